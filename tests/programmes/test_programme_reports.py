"""Report figures against a fixture with known counts; the dashboard, the funder report as
PDF and XLSX; who may see them."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import translation
from django.urls import reverse
from django.utils import timezone
from factories import make_coordinator, make_region
from openpyxl import load_workbook
from programme_report_world import report_world
from pypdf import PdfReader

from matchwerk.core.models import AccessLog
from matchwerk.programmes.reports.figures import programme_figures

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def german():
    """Messages and labels are asserted in German, whatever language an earlier test left active."""
    with translation.override("de"):
        yield

FUNNEL = [["Paare vorgeschlagen", 2], ["vorgeschlagen", 6], ["beide einverstanden", 4], ["Kick-off gehalten", 4],
          ["Förderung bewilligt", 3], ["in Umsetzung", 2], ["abgeschlossen", 2],
          ["arbeitet nach 6 Monaten noch zusammen", 1], ["arbeitet nach 12 Monaten noch zusammen", 0]]


def _rows(table):
    return [[str(cell) if not isinstance(cell, (int, Decimal)) else cell for cell in row] for row in table.rows]


def test_figures_equal_the_known_counts():
    world = report_world()
    figures = programme_figures(programme=world.programme)
    assert figures.matches == 6
    assert _rows(figures.funnel) == FUNNEL
    stages = dict(_rows(figures.by_stage))
    assert stages == {"vorgeschlagen": 1, "beide einverstanden": 0, "Kick-off gehalten": 1, "Förderung bewilligt": 1,
                      "in Umsetzung": 0, "abgeschlossen": 1, "arbeitet nach 6 Monaten noch zusammen": 1,
                      "arbeitet nach 12 Monaten noch zusammen": 0, "beendet": 1}
    assert _rows(figures.by_region) == [["Region Nord", 4], ["Region Süd", 2]]
    assert _rows(figures.by_kind_pair) == [["Kreativschaffende × Kleines/mittleres Unternehmen", 4],
                                           ["Kleines/mittleres Unternehmen × Digitales Startup", 1],
                                           ["Kreativschaffende × Forschung", 1]]
    assert _rows(figures.budget) == [["Gesamtbudget", Decimal("10000.00")], ["bewilligt", Decimal("2000.00")],
                                     ["ausgezahlt", Decimal("1500.00")], ["noch frei (gesamt)", Decimal("8000.00")]]
    assert _rows(figures.grants) == [["Anträge", 2], ["bewilligte Förderungen", 1], ["Zahlungen", 1]]
    assert [(row[0], row[2]) for row in figures.events.rows] == [("Kick-off Nord", 2), ("Peer-Learning online", 1)]
    assert _rows(figures.satisfaction) == [["5 / 5", 2], ["4 / 5", 1], ["3 / 5", 0], ["2 / 5", 0], ["1 / 5", 0]]
    assert figures.satisfaction.average == 4.67
    assert _rows(figures.meetings) == [["Gespräche gehalten", 2], ["davon „nicht erschienen“ gemeldet", 1],
                                       ["beide möchten weitermachen", 1], ["Matches aus Gesprächen", 1]]
    assert _rows(figures.meeting_satisfaction) == [["5 / 5", 1], ["4 / 5", 1], ["3 / 5", 0], ["2 / 5", 0],
                                                   ["1 / 5", 0]]
    assert figures.meeting_satisfaction.average == 4.5
    assert _rows(figures.followups) == [["nach 3 Monaten", 1, 1, 1, 0], ["nach 6 Monaten", 2, 1, 1, 1],
                                        ["nach 12 Monaten", 0, 0, 0, 0]]


def test_a_period_counts_only_what_happened_in_it():
    world = report_world()
    tomorrow = timezone.localdate() + timedelta(days=1)
    figures = programme_figures(programme=world.programme, date_from=tomorrow)
    assert figures.matches == 0 and figures.events.rows == []
    assert [row[1] for row in figures.meetings.rows] == [0, 0, 0, 0]
    assert [row[1] for row in figures.followups.rows] == [0, 0, 0]
    assert figures.meeting_satisfaction.average is None
    assert [row[1] for row in figures.meeting_satisfaction.rows] == [0, 0, 0, 0, 0]
    assert dict(_rows(figures.budget))["ausgezahlt"] == Decimal("0.00")
    assert dict(_rows(figures.budget))["Gesamtbudget"] == Decimal("10000.00")
    last_fortnight = programme_figures(programme=world.programme, date_from=timezone.localdate() - timedelta(days=14))
    assert [row[0] for row in last_fortnight.events.rows] == ["Peer-Learning online"]
    assert last_fortnight.matches == 6


def test_dashboard_shows_charts_with_their_tables(client):
    world = report_world()
    client.force_login(world.coordinator)
    response = client.get(reverse("reports:dashboard", args=[world.programme.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    # Charts are data: images (the page's CSP blocks the inline styles an inline SVG carries).
    assert html.count('src="data:image/svg+xml;base64,') == 9 and "<svg" not in html
    assert html.count('alt="Diagramm: ') == 9
    assert "<caption>Zufriedenheit mit Gesprächen</caption>" in html
    assert "Zufriedenheit im Schnitt 4,7 von 5" in html and "Gespräche im Schnitt 4,5 von 5" in html
    assert "<caption>Gespräche auf Veranstaltungen</caption>" in html
    assert "<caption>Nachfragen nach 3, 6 und 12 Monaten</caption>" in html
    assert "<caption>Matches nach Region</caption>" in html
    assert "8.000,00" in html and "1.500,00" in html  # remaining and paid, German format
    assert response.context["figures"].matches == 6


def test_dashboard_period_errors_are_clear(client):
    world = report_world()
    client.force_login(world.coordinator)
    response = client.get(reverse("reports:dashboard", args=[world.programme.slug]), {"von": "gestern"})
    assert response.status_code == 400 and "kein Datum" in response.content.decode()


def test_funder_report_pdf_contains_the_figures(client):
    world = report_world()
    client.force_login(world.coordinator)
    response = client.get(reverse("reports:funder_pdf", args=[world.programme.slug]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert world.programme.name in text and "SAB-100-2026" in text
    assert "1.500,00" in text and "8.000,00" in text and "Region Nord" in text
    assert "Gespräche auf Veranstaltungen" in text and "Matches aus Gesprächen" in text
    assert "nach 6 Monaten" in text
    assert "Zufriedenheit mit Gesprächen" in text and "Zufriedenheit mit Gesprächen (Schnitt, 1–5) 4,5" in text
    assert AccessLog.objects.filter(action="matchwerk.programmes.report.exported", data__format="pdf").exists()


def test_funder_report_xlsx_has_one_sheet_per_table(client):
    world = report_world()
    client.force_login(world.coordinator)
    response = client.get(reverse("reports:funder_xlsx", args=[world.programme.slug]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Übersicht", "Vom Vorschlag zur dauerhaften Z", "Matches nach aktueller Stufe",
                                   "Matches nach Region", "Matches nach Paarung", "Budget (EUR)", "Förderungen",
                                   "Veranstaltungen", "Gespräche auf Veranstaltungen",
                                   "Zufriedenheit (Rückmeldungen zu", "Zufriedenheit mit Gesprächen",
                                   "Nachfragen nach 3, 6 und 12 Mon"]
    ratings = list(workbook["Zufriedenheit mit Gesprächen"].iter_rows(min_row=2, values_only=True))
    assert ratings == [("5 / 5", 1), ("4 / 5", 1), ("3 / 5", 0), ("2 / 5", 0), ("1 / 5", 0)]
    overview = {row[0]: row[1] for row in workbook["Übersicht"].iter_rows(values_only=True)}
    assert overview["Zufriedenheit mit Gesprächen (Schnitt, 1–5)"] == 4.5
    assert overview["Zufriedenheit mit Veranstaltungen (Schnitt, 1–5)"] == 4.67
    followups = list(workbook["Nachfragen nach 3, 6 und 12 Mon"].iter_rows(min_row=2, values_only=True))
    assert followups == [("nach 3 Monaten", 1, 1, 1, 0), ("nach 6 Monaten", 2, 1, 1, 1), ("nach 12 Monaten", 0, 0, 0, 0)]
    budget = {row[0]: row[1] for row in workbook["Budget (EUR)"].iter_rows(min_row=2, values_only=True)}
    assert budget == {"Gesamtbudget": 10000, "bewilligt": 2000, "ausgezahlt": 1500, "noch frei (gesamt)": 8000}
    regions = list(workbook["Matches nach Region"].iter_rows(min_row=2, values_only=True))
    assert regions == [("Region Nord", 4), ("Region Süd", 2)]


def test_reports_are_denied_outside_the_programme(client):
    world = report_world()
    outsider_coordinator = make_coordinator(make_region(name="Region Fern"))
    urls = [reverse(name, args=[world.programme.slug])
            for name in ("reports:dashboard", "reports:funder_pdf", "reports:funder_xlsx")]
    for user, expected in ((outsider_coordinator, 404), (world.member, 403)):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == expected, (user, url)
    client.logout()
    assert client.get(urls[0]).status_code == 302


def test_the_dashboard_reads_its_figures_in_a_few_queries(client, django_assert_max_num_queries):
    """Counts come from grouped and conditional aggregates, the charts from one cache read:
    the number of queries does not grow with the tables (it was 39 with a COUNT per figure
    and one cache read per chart)."""
    world = report_world()
    client.force_login(world.coordinator)
    url = reverse("reports:dashboard", args=[world.programme.slug])
    client.get(url)  # draws the charts into the cache
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


def _charts(response) -> dict[str, str]:
    return {table.key: chart for table, chart in response.context["sections"] if chart}


def test_a_changed_figure_changes_its_chart_and_only_that_one_is_drawn_again(client, monkeypatch):
    from matchwerk.programmes.grants import services as grant_services
    from matchwerk.programmes.reports import charts

    world = report_world()
    client.force_login(world.coordinator)
    url = reverse("reports:dashboard", args=[world.programme.slug])
    before = _charts(client.get(url))
    grant_services.payment_record(actor=world.coordinator, grant=world.match.grant, paid_on=timezone.localdate(),
                                  amount="250.00", reference="ZA-2026-2")
    drawn = []
    draw = charts._draw
    monkeypatch.setattr(charts, "_draw", lambda table, *args: drawn.append(table.key) or draw(table, *args))
    after = _charts(client.get(url))
    assert drawn == ["budget"]  # the other seven come from the cache
    assert {key for key in before if before[key] != after[key]} == {"budget"}
    assert client.get(url).status_code == 200 and drawn == ["budget"]  # and now the new one too
