"""Requests: mutual opt-in, editing by the requester only, withdrawal, "no thanks",
availability, and clear messages for requests to oneself or to a non-participant."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from factories import make_user

from matchwerk.events import services as event_services
from matchwerk.meetings import selectors, services
from matchwerk.meetings.enums import Priority, RequestStatus
from matchwerk.meetings.models import Absence, Hidden, MeetingRequest

pytestmark = pytest.mark.django_db


def test_request_accept_is_mutual_opt_in(brokerage, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_create(actor=people[0].user, event=brokerage.event, receiver=people[1],
                                          message="Wir suchen eine Buchungsplattform.", priority=Priority.MUST)
    assert request.status == RequestStatus.PENDING
    assert [m.to for m in mail.outbox] == [[people[1].email]]
    with pytest.raises(PermissionDenied):  # the requester cannot accept their own request
        services.request_answer(actor=people[0].user, request=request, accept=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_answer(actor=people[1].user, request=request, accept=True)
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED
    with pytest.raises(ValidationError, match="schon beantwortet"):
        services.request_answer(actor=people[1].user, request=request, accept=False)


def test_request_to_oneself_is_refused(brokerage, people):
    with pytest.raises(ValidationError) as error:
        services.request_create(actor=people[0].user, event=brokerage.event, receiver=people[0])
    assert error.value.messages == ["Sie können kein Gespräch mit sich selbst anfragen."]
    assert not MeetingRequest.objects.exists()


def test_request_to_a_non_participant_is_refused(brokerage, people, staff):
    other_event = event_services.event_publish(actor=staff, event=event_services.event_create(
        actor=staff, topics=(), title="Anderes", format="workshop", description="", venue_name="Ort",
        venue_address="", venue_host="", starts_at=brokerage.event.starts_at, region=brokerage.event.region,
        ends_at=brokerage.event.ends_at, capacity=5))
    stranger = event_services.registration_create(actor=make_user(full_name="Fremde Person"), event=other_event)
    with pytest.raises(ValidationError) as error:
        services.request_create(actor=people[0].user, event=brokerage.event, receiver=stranger)
    assert error.value.messages == ["Fremde Person nimmt nicht an dieser Veranstaltung teil."]
    assert not MeetingRequest.objects.exists()


def test_a_non_participant_cannot_request(brokerage, people):
    with pytest.raises(PermissionDenied):
        services.request_create(actor=make_user(), event=brokerage.event, receiver=people[0])


def test_no_duplicate_and_no_reverse_request(brokerage, people):
    services.request_create(actor=people[0].user, event=brokerage.event, receiver=people[1])
    with pytest.raises(ValidationError, match="bereits angefragt"):
        services.request_create(actor=people[0].user, event=brokerage.event, receiver=people[1])
    with pytest.raises(ValidationError, match="hat Sie bereits angefragt"):
        services.request_create(actor=people[1].user, event=brokerage.event, receiver=people[0])
    assert MeetingRequest.objects.count() == 1


def test_only_the_requester_edits_or_withdraws_a_pending_request(brokerage, people):
    request = services.request_create(actor=people[0].user, event=brokerage.event, receiver=people[1],
                                      message="alt", priority=Priority.WOULD_LIKE)
    for outsider in (people[1].user, people[2].user):
        with pytest.raises(PermissionDenied):
            services.request_update(actor=outsider, request=request, message="x", priority=Priority.MUST)
        with pytest.raises(PermissionDenied):
            services.request_withdraw(actor=outsider, request=request)
    services.request_update(actor=people[0].user, request=request, message="neu", priority=Priority.MUST)
    request.refresh_from_db()
    assert (request.message, request.priority) == ("neu", Priority.MUST)
    services.request_withdraw(actor=people[0].user, request=request)
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN
    with pytest.raises(ValidationError, match="Nur offene Anfragen"):
        services.request_update(actor=people[0].user, request=request, message="zu spät", priority=1)
    # after withdrawing, asking again is possible
    services.request_create(actor=people[0].user, event=brokerage.event, receiver=people[1])


def test_bad_priority_and_long_message(brokerage, people):
    with pytest.raises(ValidationError, match="Priorität"):
        services.request_create(actor=people[0].user, event=brokerage.event, receiver=people[1], priority=7)
    with pytest.raises(ValidationError, match="höchstens 1000"):
        services.request_create(actor=people[0].user, event=brokerage.event, receiver=people[1], message="x" * 1001)
    assert not MeetingRequest.objects.exists()


def test_request_window(brokerage, people):
    brokerage.requests_close_at = timezone.now() - timedelta(minutes=1)
    brokerage.save()
    with pytest.raises(ValidationError, match="vorbei"):
        services.request_create(actor=people[0].user, event=brokerage.event, receiver=people[1])
    brokerage.requests_close_at, brokerage.requests_open_at = None, timezone.now() + timedelta(days=1)
    brokerage.save()
    with pytest.raises(ValidationError, match="ab"):
        services.request_create(actor=people[0].user, event=brokerage.event, receiver=people[1])


def test_no_thanks_hides_a_person(brokerage, people):
    services.person_hide(actor=people[0].user, registration=people[0], hidden=people[1])
    shown = list(selectors.participants(event=brokerage.event, viewer=people[0]))
    assert people[1] not in shown and people[0] not in shown and people[2] in shown
    assert Hidden.objects.count() == 1
    with pytest.raises(PermissionDenied):  # for someone else
        services.person_hide(actor=people[2].user, registration=people[0], hidden=people[3])


def test_availability(brokerage, people):
    slots = list(brokerage.slots.order_by("starts_at"))
    assert services.availability_set(actor=people[0].user, registration=people[0],
                                     available=[slots[0].pk, slots[1].pk]) == 2
    assert Absence.objects.filter(registration=people[0]).count() == len(slots) - 2
    with pytest.raises(PermissionDenied):
        services.availability_set(actor=people[1].user, registration=people[0], available=[])
