"""A programme's dashboard (charts with their tables) and the funder report as PDF and
XLSX, for the staff who see the programme (``programmes.rules.can_view_programme``)."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from matchwerk.core.audit import log_event
from matchwerk.core.pdf import pdf_response
from matchwerk.core.staff import staff_view
from matchwerk.programmes.grants.selectors import budget_summary
from matchwerk.programmes.models import Programme
from matchwerk.programmes.reports.charts import report_chart_images
from matchwerk.programmes.reports.exports import funder_report_filename, funder_report_pdf, funder_report_xlsx
from matchwerk.programmes.reports.figures import programme_figures
from matchwerk.programmes.rules import can_view_programme

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _programme(user, slug: str) -> Programme:
    programme = get_object_or_404(Programme, slug=slug)
    if not can_view_programme.test(user, programme):
        raise Http404
    return programme


def _period(request) -> tuple[date | None, date | None, list[str]]:
    values, errors = [], []
    for name in ("von", "bis"):
        raw = (request.GET.get(name) or "").strip()
        try:
            values.append(date.fromisoformat(raw) if raw else None)
        except ValueError:
            values.append(None)
            errors.append(_("„%(value)s“ ist kein Datum (JJJJ-MM-TT).") % {"value": raw[:20]})
    if values[0] and values[1] and values[1] < values[0]:
        errors.append(_("Das Ende des Zeitraums liegt vor seinem Beginn."))
    return values[0], values[1], errors


@staff_view()
@require_GET
def dashboard(request, slug: str):
    programme = _programme(request.user, slug)
    date_from, date_to, errors = _period(request)
    if errors:
        date_from = date_to = None
    figures = programme_figures(programme=programme, date_from=date_from, date_to=date_to)
    charts = report_chart_images(figures)
    sections = [(table, charts.get(table.key, "")) for table in figures.tables]
    return render(request, "programmes/reports/dashboard.html", {
        "programme": programme, "figures": figures, "sections": sections, "errors": errors,
        "budget": budget_summary(programme=programme), "query": request.GET.urlencode(),
        "breadcrumbs": [(_("Förderungen und Berichte"), reverse("grants:staff_index"))],
    }, status=400 if errors else 200)


def _export(request, slug: str, kind: str):
    programme = _programme(request.user, slug)
    date_from, date_to, errors = _period(request)
    if errors:
        return HttpResponse(" ".join(errors), status=400, content_type="text/plain; charset=utf-8")
    figures = programme_figures(programme=programme, date_from=date_from, date_to=date_to)
    log_event("matchwerk.programmes.report.exported", programme,
              {"format": kind, "from": date_from.isoformat() if date_from else "",
               "to": date_to.isoformat() if date_to else ""}, actor=request.user)
    if kind == "pdf":
        return pdf_response(funder_report_pdf(figures), funder_report_filename(figures, "pdf"))
    response = HttpResponse(funder_report_xlsx(figures), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{funder_report_filename(figures, "xlsx")}"'
    return response


@staff_view()
@require_GET
def funder_report_pdf_view(request, slug: str):
    return _export(request, slug, "pdf")


@staff_view()
@require_GET
def funder_report_xlsx_view(request, slug: str):
    return _export(request, slug, "xlsx")
