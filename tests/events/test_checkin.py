"""Check-in by typed code and by search; a second scan says "already" and changes nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from factories import make_coordinator, make_organisation, make_region, make_user

from matchwerk.events import selectors, services
from matchwerk.events.enums import RegistrationStatus
from matchwerk.core.models import AccessLog
from matchwerk.events.models import Registration


@pytest.fixture
def door(staff, participant, make_event):
    event = make_event(capacity=2)
    organisation = make_organisation(owner=participant, name="Glasstudio Weißwasser")
    registration = services.registration_create(actor=participant, event=event, organisation=organisation)
    services.registration_create(actor=make_user(full_name="Zweite Person"), event=event)
    waiting = services.registration_create(actor=make_user(full_name="Wartende Person"), event=event)
    return {"event": event, "registration": registration, "waiting": waiting}


def test_check_in_by_code_once(staff, door):
    event, registration = door["event"], door["registration"]
    typed = f"  {registration.code[:4].lower()}-{registration.code[4:]} "  # scanner or human typing
    first = services.registration_check_in(actor=staff, event=event, code=typed)
    assert not first.already and first.registration.pk == registration.pk
    arrived = Registration.objects.get(pk=registration.pk).checked_in_at
    assert arrived is not None
    second = services.registration_check_in(actor=staff, event=event, code=registration.code)
    assert second.already
    assert Registration.objects.get(pk=registration.pk).checked_in_at == arrived
    assert selectors.checkin_counts(event=event) == {"registered": 2, "present": 1, "walk_ins": 0}


def test_unknown_code_waiting_list_and_other_events_are_refused(staff, door, make_event):
    event = door["event"]
    with pytest.raises(ValidationError, match="Unbekannter Code"):
        services.registration_check_in(actor=staff, event=event, code="NICHTDA1")
    with pytest.raises(ValidationError, match="Bitte geben Sie einen Code ein"):
        services.registration_check_in(actor=staff, event=event, code=" - ")
    with pytest.raises(ValidationError, match="nicht angemeldet"):
        services.registration_check_in(actor=staff, event=event, code=door["waiting"].code)
    with pytest.raises(ValidationError, match="gehört zu einer anderen Veranstaltung"):
        services.registration_check_in(actor=staff, event=make_event(), code=door["registration"].code)
    with pytest.raises(PermissionDenied):
        services.registration_check_in(actor=make_user(), event=event, code=door["registration"].code)
    assert not Registration.objects.filter(checked_in_at__isnull=False).exists()


def test_walk_in_counts_as_present(staff, door):
    services.registration_walk_in(actor=staff, event=door["event"], name="Gerd Gast", email="gerd@example.org",
                                  allow_overbooking=True)
    assert selectors.checkin_counts(event=door["event"]) == {"registered": 3, "present": 1, "walk_ins": 1}


def test_checkin_page_search_and_second_scan_message(client, staff, door):
    event, registration = door["event"], door["registration"]
    client.force_login(staff)
    page = client.get(reverse("events:staff_checkin", args=[event.pk]), {"q": "glasstudio"}).content.decode()
    assert registration.name in page and "Wartende Person" not in page
    url = reverse("events:staff_checkin_do", args=[event.pk])
    response = client.post(url, {"registration": registration.pk, "q": "glasstudio"}, follow=True)
    assert f"{registration.name} ist eingecheckt." in response.content.decode()
    time = timezone.localtime(Registration.objects.get(pk=registration.pk).checked_in_at).strftime("%H:%M")
    response = client.post(url, {"code": registration.code}, follow=True)
    assert f"bereits eingecheckt (um {time})" in response.content.decode()
    response = client.post(url, {"code": "XXXX"}, follow=True)
    assert "Unbekannter Code" in response.content.decode()
    assert "1 von 2 anwesend" in response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "participant"])
def test_checkin_pages_refuse_non_staff(client, door, role):
    event = door["event"]
    if role == "participant":
        client.force_login(door["registration"].user)
    expected = 302 if role == "anonymous" else 403
    assert client.get(reverse("events:staff_checkin", args=[event.pk])).status_code == expected
    response = client.post(reverse("events:staff_checkin_do", args=[event.pk]), {"code": door["registration"].code})
    assert response.status_code == expected
    assert Registration.objects.get(pk=door["registration"].pk).status == RegistrationStatus.CONFIRMED
    assert Registration.objects.get(pk=door["registration"].pk).checked_in_at is None


def test_offline_batch_applies_each_check_in_once_and_keeps_the_scan_time(staff, door, make_event):
    event, registration, waiting = door["event"], door["registration"], door["waiting"]
    second = Registration.objects.get(event=event, name="Zweite Person")
    scanned = timezone.now().replace(microsecond=0) - timedelta(minutes=7)
    other = services.registration_create(actor=make_user(), event=make_event(title="Anderes Treffen"))
    batch = [{"code": registration.code.lower(), "at": scanned.isoformat()},
             {"code": second.code, "at": (timezone.now() - timedelta(days=3)).isoformat()},  # too old: now
             {"code": waiting.code}, {"code": other.code}, {"code": "NICHTDA1"}, "kaputt"]
    first = services.checkins_sync(actor=staff, event=event, items=batch)
    assert [r["result"] for r in first] == ["checked_in", "checked_in", "refused", "refused", "refused", "refused"]
    assert "nicht angemeldet" in first[2]["message"] and "anderen Veranstaltung" in first[3]["message"]
    assert Registration.objects.get(pk=registration.pk).checked_in_at == scanned
    assert Registration.objects.get(pk=second.pk).checked_in_at > timezone.now() - timedelta(minutes=1)
    # The browser resends the batch (its answer got lost): nothing changes.
    again = services.checkins_sync(actor=staff, event=event, items=batch)
    assert [r["result"] for r in again][:2] == ["already", "already"]
    assert f"um {timezone.localtime(scanned):%H:%M}" in again[0]["message"]
    assert Registration.objects.get(pk=registration.pk).checked_in_at == scanned
    assert selectors.checkin_counts(event=event)["present"] == 2
    assert not Registration.objects.filter(pk__in=[waiting.pk, other.pk], checked_in_at__isnull=False).exists()


def test_tickets_list_and_sync_views(client, staff, door):
    event, registration = door["event"], door["registration"]
    client.force_login(staff)
    page = client.get(reverse("events:staff_checkin", args=[event.pk]))
    assert page["Permissions-Policy"].startswith("camera=(self)")
    assert "vendor/jsqr/jsQR.js" in page.content.decode() and "events/checkin.js" in page.content.decode()
    answer = client.get(reverse("events:staff_checkin_tickets", args=[event.pk])).json()
    assert {t["code"] for t in answer["tickets"]} == set(
        event.registrations.filter(status=RegistrationStatus.CONFIRMED).values_list("code", flat=True))
    assert door["waiting"].code not in {t["code"] for t in answer["tickets"]}
    assert AccessLog.objects.filter(action="matchwerk.events.checkin.tickets_loaded", actor=staff).exists()
    url = reverse("events:staff_checkin_sync", args=[event.pk])
    body = json.dumps({"checkins": [{"code": registration.code}]})
    answer = client.post(url, body, content_type="application/json").json()
    assert answer["results"][0]["result"] == "checked_in" and answer["counts"]["present"] == 1
    assert client.post(url, "{nope", content_type="application/json").status_code == 400
    too_many = json.dumps({"checkins": [{"code": "X"}] * 501})
    assert "Höchstens" in client.post(url, too_many, content_type="application/json").json()["error"]


@pytest.mark.parametrize("role", ["anonymous", "participant", "other_coordinator"])
def test_tickets_and_sync_refuse_everyone_outside_the_scope(client, door, role):
    event, registration = door["event"], door["registration"]
    if role == "participant":
        client.force_login(registration.user)
    elif role == "other_coordinator":
        client.force_login(make_coordinator(make_region(name="Leipzig")))
    expected = 302 if role == "anonymous" else 403
    assert client.get(reverse("events:staff_checkin_tickets", args=[event.pk])).status_code == expected
    body = json.dumps({"checkins": [{"code": registration.code}]})
    response = client.post(reverse("events:staff_checkin_sync", args=[event.pk]), body,
                           content_type="application/json")
    assert response.status_code == expected
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None
