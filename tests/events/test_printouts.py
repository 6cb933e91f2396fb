"""Badges, participant list and agenda as real PDFs (WeasyPrint), read back with pypdf;
the QR code on the ticket page carries the check-in code."""

from __future__ import annotations

import io
from datetime import timedelta

import pypdf
import pytest
from django.urls import reverse
from factories import make_coordinator, make_organisation, make_region, make_user

from matchwerk.events import printouts, services


def _text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def event_with_people(make_event, staff):
    event = make_event(title="Digitalkonferenz Leipzig", hashtag="DigiL")
    anna, bernd = make_user(full_name="Anna Apfelbaum"), make_user(full_name="Bernd Birnstiel")
    services.registration_create(actor=anna, event=event,
                                 organisation=make_organisation(owner=anna, name="Glasstudio Lausitz"))
    services.registration_create(actor=bernd, event=event)
    services.session_add(actor=staff, event=event, kind="talk", title="Keynote Datenräume",
                         starts_at=event.starts_at, ends_at=event.starts_at + timedelta(minutes=30), room="Saal A")
    return event, anna, bernd


def test_badges_pdf_has_names_organisations_and_codes(event_with_people):
    event, anna, bernd = event_with_people
    text = _text(printouts.badges_pdf(event=event))
    for expected in ("Anna Apfelbaum", "Glasstudio Lausitz", "Bernd Birnstiel", anna.event_registrations.get().code):
        assert expected in text
    single = pypdf.PdfReader(io.BytesIO(printouts.badges_pdf(event=event, single=True)))
    assert len(single.pages) == 2  # one badge per page


def test_qr_code_is_an_svg_named_by_the_check_in_code():
    assert "<svg" in printouts.qr_svg("ABCD2345") and "ABCD2345" in printouts.qr_svg("ABCD2345")
    assert printouts.qr_data_uri("ABCD2345").startswith("data:image/svg+xml")


def test_participant_list_and_agenda_pdfs(client, staff, event_with_people):
    event, anna, _ = event_with_people
    client.force_login(staff)
    response = client.get(reverse("events:staff_participants_pdf", args=[event.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert "Teilnahmeliste" in text and "Anna Apfelbaum" in text and "Bernd Birnstiel" in text
    response = client.get(reverse("events:staff_badges", args=[event.pk]))
    assert "Anna Apfelbaum" in _text(response.content)
    client.force_login(anna)
    text = _text(client.get(reverse("events:agenda_pdf")).content)
    assert "Digitalkonferenz Leipzig" in text and "Keynote Datenräume" in text
    assert anna.event_registrations.get().code in text


def test_printouts_are_denied_outside_the_scope(client, event_with_people):
    event, anna, _ = event_with_people
    for user in (anna, make_coordinator(make_region(name="Vogtland"))):
        client.force_login(user)
        for name in ("events:staff_badges", "events:staff_participants_pdf"):
            assert client.get(reverse(name, args=[event.pk])).status_code == 403
    client.logout()
    assert client.get(reverse("events:agenda_pdf")).status_code == 302


def test_ticket_page_shows_the_qr_code_only_to_the_confirmed_person(client, event_with_people):
    event, anna, bernd = event_with_people
    client.force_login(anna)
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "<svg" in page and anna.event_registrations.get().code in page
    client.force_login(make_user())
    assert "<svg" not in client.get(reverse("events:detail", args=[event.pk])).content.decode()


def test_participant_list_as_xlsx_and_csv_opened_for_real(client, staff, event_with_people):
    import csv

    import openpyxl

    from matchwerk.core.models import AccessLog

    event, anna, bernd = event_with_people
    question = services.question_add(actor=staff, event=event, label="Ernährung", kind="text")
    registration = anna.event_registrations.get()
    registration.answers = {str(question.pk): "=SUMME(A1:A9) vegetarisch"}
    registration.save(update_fields=["answers"])
    services.registration_check_in(actor=staff, event=event, code=registration.code)
    client.force_login(staff)

    response = client.get(reverse("events:staff_participants_xlsx", args=[event.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="teilnahmeliste-' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["Name", "E-Mail", "Organisation"] and rows[0][-1] == "Ernährung"
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"Anna Apfelbaum", "Bernd Birnstiel"}
    assert by_name["Anna Apfelbaum"][2] == "Glasstudio Lausitz" and by_name["Anna Apfelbaum"][5]  # checked in
    assert by_name["Anna Apfelbaum"][-1] == "=SUMME(A1:A9) vegetarisch"  # text, not a formula
    assert sheet.cell(row=2, column=len(rows[0])).data_type == "s"
    assert not by_name["Bernd Birnstiel"][5]

    response = client.get(reverse("events:staff_participants_csv", args=[event.pk]))
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][0] == "Name" and {line[0] for line in lines[1:]} == {"Anna Apfelbaum", "Bernd Birnstiel"}
    assert "'=SUMME(A1:A9) vegetarisch" in [line[-1] for line in lines]  # CSV injection defused
    assert AccessLog.objects.filter(action="matchwerk.events.registrations.exported", actor=staff).count() == 2


@pytest.mark.parametrize("name", ["events:staff_participants_xlsx", "events:staff_participants_csv"])
def test_participant_files_are_denied_outside_the_scope(client, event_with_people, name):
    event, anna, _ = event_with_people
    for user in (anna, make_coordinator(make_region(name="Vogtland"))):
        client.force_login(user)
        assert client.get(reverse(name, args=[event.pk])).status_code == 403
    client.logout()
    assert client.get(reverse(name, args=[event.pk])).status_code == 302
