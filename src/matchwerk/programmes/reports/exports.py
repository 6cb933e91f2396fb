"""The funder report as PDF (WeasyPrint via ``core.pdf.render_pdf``, with the charts) and as
XLSX (openpyxl, one sheet per table)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from matchwerk.core.pdf import render_pdf
from matchwerk.programmes.reports.charts import report_chart_images
from matchwerk.programmes.reports.figures import ProgrammeFigures

EUR_FORMAT = '#,##0.00 "EUR"'


def funder_report_filename(figures: ProgrammeFigures, extension: str) -> str:
    period = "-".join(d.isoformat() for d in (figures.date_from, figures.date_to) if d) or "gesamt"
    return f"foerderbericht-{figures.programme.slug}-{period}.{extension}"


def _overview(figures: ProgrammeFigures) -> list[list]:
    programme = figures.programme
    return [
        [_("Programm"), programme.name],
        [_("Fördermittelgeber"), programme.funder],
        [_("Förderkennzeichen"), programme.funding_reference],
        [_("Laufzeit"), " – ".join(d.strftime("%d.%m.%Y") for d in (programme.starts_on, programme.ends_on) if d)],
        [_("Berichtszeitraum"), " – ".join(d.strftime("%d.%m.%Y") for d in (figures.date_from, figures.date_to) if d)
         or _("gesamte Laufzeit")],
        [_("Matches im Zeitraum"), figures.matches],
        [_("Zufriedenheit mit Veranstaltungen (Schnitt, 1–5)"), _average(figures.satisfaction.average)],
        [_("Zufriedenheit mit Gesprächen (Schnitt, 1–5)"), _average(figures.meeting_satisfaction.average)],
        [_("erstellt am"), timezone.localtime().strftime("%d.%m.%Y %H:%M")],
    ]


def _average(value: float | None) -> float | str:
    """An average rating (a number: the PDF shows it localised, the XLSX as a number), "–"
    when no rating was given."""
    return "–" if value is None else value


def funder_report_pdf(figures: ProgrammeFigures) -> bytes:
    charts = report_chart_images(figures)
    return render_pdf("programmes/reports/funder_report.html", {
        "figures": figures, "programme": figures.programme, "overview": _overview(figures), "charts": charts})


def funder_report_xlsx(figures: ProgrammeFigures) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Übersicht")[:31]
    for row in _overview(figures):
        sheet.append(row)
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 28, 60
    used = {sheet.title}
    for table in figures.tables:
        title = _sheet_title(table.title, used)
        sheet = workbook.create_sheet(title)
        sheet.append([str(column) for column in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_cell(value) for value in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, Decimal):
                    cell.number_format = EUR_FORMAT
                elif isinstance(cell.value, date):
                    cell.number_format = "DD.MM.YYYY"
        sheet.column_dimensions["A"].width = 48
        for letter in "BCDE":
            sheet.column_dimensions[letter].width = 18
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value):
    return str(value) if not isinstance(value, (int, float, Decimal, date)) else value


def _sheet_title(title: str, used: set[str]) -> str:
    base = "".join("-" if ch in "[]:*?/\\" else ch for ch in str(title))[:31]
    name, n = base, 2
    while name in used:
        suffix = f" {n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name
