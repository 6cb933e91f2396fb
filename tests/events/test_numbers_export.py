"""The numbers of an event as XLSX and CSV for the programmes' reports: totals, by kind and
region of the organisation, no-shows after the end, formula-safe, logged, staff only."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from factories import make_coordinator, make_organisation, make_region, make_user
from openpyxl import load_workbook

from matchwerk.core.models import AccessLog
from matchwerk.events import services
from matchwerk.events.models import Event


def _figures(rows) -> dict:
    return {(area, group, figure): value for area, group, figure, value in rows}


@pytest.fixture
def event_with_numbers(make_event, staff):
    event = make_event(title="Kick-off Bautzen", capacity=3)
    tricky = make_region(name="=HYPERLINK(\"http://x\")")  # a name that looks like a formula
    people = []
    for n, (kind, region) in enumerate((("startup", None), ("sme", tricky), ("sme", tricky), ("sme", None))):
        user = make_user(full_name=f"Person {n}")
        organisation = make_organisation(owner=user, kind=kind, region=region or make_region(name="Bautzen"))
        people.append(services.registration_create(actor=user, event=event, organisation=organisation))
    services.registration_check_in(actor=staff, event=event, code=people[0].code)
    services.registration_walk_in(actor=staff, event=event, name="Walter Spontan", email="walter@example.org",
                                  allow_overbooking=True)
    return event


def test_numbers_as_xlsx_and_csv_opened_for_real(client, staff, event_with_numbers):
    event = event_with_numbers
    client.force_login(staff)
    response = client.get(reverse("events:staff_numbers_xlsx", args=[event.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="zahlen-{event.pk}.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Bereich", "Gruppe", "Kennzahl", "Wert"]
    figures = _figures(rows[1:])
    assert figures[("Gesamt", "alle", "angemeldet")] == 4  # three seats, one walk-in on top
    assert figures[("Gesamt", "alle", "anwesend")] == 2 and figures[("Gesamt", "alle", "davon vor Ort angemeldet")] == 1
    assert figures[("Gesamt", "alle", "Warteliste")] == 1
    assert figures[("Gesamt", "alle", "nicht erschienen")] is None  # not before the end
    assert figures[("Art der Organisation", "Digitales Startup", "anwesend")] == 1
    assert figures[("Art der Organisation", "Kleines/mittleres Unternehmen", "angemeldet")] == 2
    assert figures[("Art der Organisation", "Kleines/mittleres Unternehmen", "Warteliste")] == 1
    assert figures[("Region der Organisation", "=HYPERLINK(\"http://x\")", "angemeldet")] == 2
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "=HYPERLINK(\"http://x\")")
    assert cell.data_type == "s"  # text, never a formula
    assert AccessLog.objects.filter(action="matchwerk.events.registrations.exported",
                                    data__what="numbers").count() == 1

    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timezone.timedelta(hours=5),
                                             ends_at=timezone.now() - timezone.timedelta(hours=1))
    response = client.get(reverse("events:staff_numbers_csv", args=[event.pk]))
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    figures = _figures(rows[1:])
    assert figures[("Gesamt", "alle", "nicht erschienen")] == "2"  # after the end
    assert figures[("Art der Organisation", "Digitales Startup", "nicht erschienen")] == "0"
    assert ("Region der Organisation", "'=HYPERLINK(\"http://x\")", "angemeldet") in figures  # CSV-safe


@pytest.mark.parametrize("name", ["events:staff_numbers_xlsx", "events:staff_numbers_csv"])
def test_numbers_are_for_the_events_staff_only(client, participant, event_with_numbers, name):
    url = reverse(name, args=[event_with_numbers.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(participant)
    assert client.get(url).status_code == 403
    client.force_login(make_coordinator(make_region(name="Vogtland")))
    assert client.get(url).status_code == 403
    assert not AccessLog.objects.filter(data__what="numbers").exists()
