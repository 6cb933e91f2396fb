"""Check-in by typed code and by search; a second scan says "already" and changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from factories import make_organisation, make_user

from matchwerk.events import selectors, services
from matchwerk.events.enums import RegistrationStatus
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
    with pytest.raises(ValidationError, match="Unbekannter Code"):
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
