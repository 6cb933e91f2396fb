"""Pages: participants see only their own requests, meetings and feedback; bad input gets a
clear message; staff pages, the progress page and the printouts work."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from factories import make_user
from pypdf import PdfReader

from matchwerk.meetings import services
from matchwerk.meetings.enums import RequestStatus
from matchwerk.meetings.models import Brokerage, MeetingRequest

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_request_through_the_pages(client, brokerage, people):
    event = brokerage.event
    client.force_login(people[0].user)
    page = client.get(reverse("meetings:people", args=[event.pk]))
    assert page.status_code == 200 and "Teilnehmer 1" in page.content.decode()
    assert "Online-Buchung einführen" in page.content.decode()  # needs and offers are shown
    response = client.post(reverse("meetings:request_create", args=[event.pk, people[1].pk]),
                           {"message": "Gern zum Thema Buchung", "priority": "3"}, follow=True)
    assert "Ihre Anfrage an Teilnehmer 1 ist verschickt." in response.content.decode()
    request = MeetingRequest.objects.get()
    client.force_login(people[1].user)
    home = client.get(reverse("meetings:home", args=[event.pk])).content.decode()
    assert "Gern zum Thema Buchung" in home
    client.post(reverse("meetings:request_answer", args=[request.pk]), {"answer": "accept"})
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED


def test_request_to_oneself_shows_a_message(client, brokerage, people):
    client.force_login(people[0].user)
    response = client.post(reverse("meetings:request_create", args=[brokerage.event.pk, people[0].pk]),
                           {"message": "", "priority": "1"}, follow=True)
    assert "Sie können kein Gespräch mit sich selbst anfragen." in response.content.decode()
    assert not MeetingRequest.objects.exists()


def test_participants_see_only_their_own_requests(client, brokerage, people):
    event = brokerage.event
    request = services.request_create(actor=people[0].user, event=event, receiver=people[1], message="Geheimnis")
    client.force_login(people[2].user)
    assert "Geheimnis" not in client.get(reverse("meetings:home", args=[event.pk])).content.decode()
    assert client.get(reverse("meetings:request_edit", args=[request.pk])).status_code == 404
    assert client.post(reverse("meetings:request_answer", args=[request.pk]), {"answer": "accept"}).status_code == 404
    assert client.post(reverse("meetings:request_withdraw", args=[request.pk])).status_code == 404
    # the receiver cannot edit, the requester cannot answer
    client.force_login(people[1].user)
    assert client.get(reverse("meetings:request_edit", args=[request.pk])).status_code == 404
    client.force_login(people[0].user)
    assert client.post(reverse("meetings:request_answer", args=[request.pk]), {"answer": "accept"}).status_code == 404
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


def test_outsiders_cannot_open_the_meetings_pages(client, brokerage):
    client.force_login(make_user())
    assert client.get(reverse("meetings:home", args=[brokerage.event.pk])).status_code == 403
    assert client.get(reverse("meetings:ics", args=[brokerage.event.pk])).status_code == 403


def test_staff_plan_pages_and_printouts(client, staff, brokerage, accepted, people,
                                        django_capture_on_commit_callbacks):
    event = brokerage.event
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:staff_plan_start", args=[event.pk]))
    assert response.status_code == 302
    progress = client.get(response.url).content.decode()
    assert "fertig" in progress.lower() and "Zum vorläufigen Plan" in progress
    plan = client.get(reverse("meetings:staff_plan", args=[event.pk])).content.decode()
    assert "4 / 4" in plan and "Teilnehmer 3 × Teilnehmer 4" in plan
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:staff_release", args=[event.pk]))
    assert "Tisch 1" in pdf_text(client.get(reverse("meetings:staff_print_tables", args=[event.pk])))
    assert "Teilnehmer 4" in pdf_text(client.get(reverse("meetings:staff_print_people", args=[event.pk])))
    # the participant's agenda, meetings page, PDF and calendar show the meeting
    client.force_login(people[3].user)
    assert "Teilnehmer 4" in client.get(reverse("events:agenda")).content.decode()
    assert "Teilnehmer 4" in pdf_text(client.get(reverse("meetings:pdf", args=[event.pk])))
    assert b"Teilnehmer 4" in client.get(reverse("meetings:ics", args=[event.pk])).content


def test_settings_page_rejects_a_block_outside_the_event(client, staff, event):
    client.force_login(staff)
    response = client.post(reverse("meetings:staff_settings", args=[event.pk]), {
        "meeting_minutes": 20, "sessions": "06:00-07:00", "tables": 4, "min_meetings": 0})
    assert "außerhalb der Veranstaltung" in response.content.decode()
    response = client.post(reverse("meetings:staff_settings", args=[event.pk]), {
        "meeting_minutes": 20, "sessions": "09:00-10:00", "tables": 0, "min_meetings": 0})
    assert "Es braucht mindestens einen Tisch." in response.content.decode()
    assert not Brokerage.objects.exists()
    response = client.post(reverse("meetings:staff_settings", args=[event.pk]), {
        "meeting_minutes": 20, "sessions": "09:00-10:00\n13:00-14:00", "tables": 4, "min_meetings": 0})
    assert response.status_code == 302
