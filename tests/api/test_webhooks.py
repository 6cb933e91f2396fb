"""Webhooks against a real HTTP server on 127.0.0.1 (http.server in a thread): signature
by the documented recipe, retries with back-off and then failed, resend from the log,
nothing for owners who may not see the object, addresses checked against SSRF."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from matchwerk.api.enums import DeliveryStatus
from matchwerk.api.models import WebhookDelivery
from matchwerk.api.services import webhook_create, webhook_delivery_resend
from matchwerk.api.urlcheck import webhook_url_problem
from matchwerk.api.webhooks import delivery_attempt, retry_delay
from matchwerk.events import services as event_services

pytestmark = pytest.mark.django_db


class Receiver:
    def __init__(self, status: int = 200):
        self.status, self.received = status, []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def verify(secret: str, headers: dict, body: bytes) -> dict:
    """The receiver's recipe from docs/api.md."""
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(expected, headers["X-Matchwerk-Signature"])
    message = json.loads(body)
    assert str(message["timestamp"]) == headers["X-Matchwerk-Timestamp"]
    return message


def test_check_in_is_delivered_signed(world, receiver, django_capture_on_commit_callbacks):
    hook = webhook_create(actor=world.users["coord"], url=receiver.url, events=["checkin.created"])
    other = webhook_create(actor=world.users["coord_other"], url=receiver.url, events=["checkin.created"])
    registration = world.objects["registration_a"]
    with django_capture_on_commit_callbacks(execute=True):
        event_services.registration_check_in(actor=world.users["coord"], event=world.objects["event"],
                                             code=registration.code)
    assert len(receiver.received) == 1  # the coordinator of S may not see E's registrations: nothing for her
    headers, body = receiver.received[0]
    message = verify(hook.secret, headers, body)
    assert message["event"] == "checkin.created" and message["data"]["registration"] == registration.pk
    assert headers["X-Matchwerk-Event"] == "checkin.created"
    with pytest.raises(AssertionError):
        verify(other.secret, headers, body)  # another hook's secret does not verify
    delivery = WebhookDelivery.objects.get(webhook=hook)
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.response_status == 200
    assert not WebhookDelivery.objects.filter(webhook=other).exists()


@override_settings(WEBHOOK_MAX_ATTEMPTS=3)
def test_failing_receiver_is_retried_with_back_off_then_failed_and_can_be_resent(world, receiver,
                                                                                  django_capture_on_commit_callbacks):
    receiver.status = 500
    hook = webhook_create(actor=world.users["admin"], url=receiver.url, events=["registration.cancelled"])
    with django_capture_on_commit_callbacks(execute=True):
        event_services.registration_cancel(actor=world.users["pa"], registration=world.objects["registration_a"])
    delivery = WebhookDelivery.objects.get(webhook=hook)
    # the immediate task backend cannot run a task later: the first attempt ran, the next is planned
    assert delivery.attempts == 1 and delivery.status == DeliveryStatus.PENDING
    assert delivery.response_status == 500 and delivery.next_attempt_at is not None
    first_wait = delivery.next_attempt_at - delivery.last_attempt_at
    delivery = delivery_attempt(delivery)
    assert delivery.attempts == 2 and delivery.status == DeliveryStatus.PENDING
    assert delivery.next_attempt_at - delivery.last_attempt_at > first_wait  # back-off grows
    assert retry_delay(2) == 4 * retry_delay(1)
    delivery = delivery_attempt(delivery)
    assert delivery.attempts == 3 and delivery.status == DeliveryStatus.FAILED and delivery.next_attempt_at is None
    assert len(receiver.received) == 3
    receiver.status = 204
    with django_capture_on_commit_callbacks(execute=True):
        again = webhook_delivery_resend(actor=world.users["admin"], delivery=delivery)
    again.refresh_from_db()
    assert again.status == DeliveryStatus.SUCCEEDED and again.resent_from_id == delivery.pk
    verify(hook.secret, *receiver.received[-1])
    assert json.loads(receiver.received[-1][1])["data"] == json.loads(delivery.body)["data"]


def test_nothing_is_sent_for_a_change_that_was_rolled_back(world, receiver):
    webhook_create(actor=world.users["admin"], url=receiver.url, events=["registration.created"])
    event_services.registration_create(actor=world.users["pb"], event=world.objects["event"])
    # the test's transaction never commits: the delivery row exists, nothing was sent
    assert WebhookDelivery.objects.count() == 1 and receiver.received == []


@override_settings(WEBHOOK_ALLOW_PRIVATE=False)
def test_addresses_are_checked_against_ssrf(world):
    for url in ("ftp://example.org/x", "http://127.0.0.1:8000/", "http://localhost/", "http://169.254.169.254/",
                "http://10.0.0.5/", "http://[::1]/", "http://user:pw@example.org/", "file:///etc/passwd"):
        assert webhook_url_problem(url), url
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        webhook_create(actor=world.users["admin"], url="http://127.0.0.1/", events=["checkin.created"])
    with pytest.raises(ValidationError):
        webhook_create(actor=world.users["admin"], url="https://example.org/", events=["no.such.event"])


def test_stage_moves_and_grant_approval_are_delivered_to_staff_who_see_the_match(receiver,
                                                                                 django_capture_on_commit_callbacks):
    from decimal import Decimal

    from factories import make_coordinator, make_match, make_organisation, make_programme, make_region, make_user

    from matchwerk.matching import services as matching_services
    from matchwerk.matching.enums import MatchStage

    region, other = make_region(), make_region()
    programme = make_programme(regions=[region], budget=Decimal("75000.00"))
    match = make_match(make_organisation(owner=make_user(), kind="creative", region=region),
                       make_organisation(owner=make_user(), kind="sme", region=region), programme=programme)
    coordinator, outsider = make_coordinator(region), make_coordinator(other)
    hook = webhook_create(actor=coordinator, url=receiver.url, events=["grant.approved", "match.stage_changed"])
    webhook_create(actor=outsider, url=receiver.url, events=["grant.approved", "match.stage_changed"])
    with django_capture_on_commit_callbacks(execute=True):
        for stage in (MatchStage.AGREED, MatchStage.KICKOFF, MatchStage.GRANT_APPROVED):
            matching_services.match_stage_change(actor=coordinator, match=match, stage=stage)
    events = [verify(hook.secret, headers, body)["event"] for headers, body in receiver.received]
    assert events == ["match.stage_changed"] * 3 + ["grant.approved"]  # nothing for the other region's coordinator


def test_meeting_plan_release_is_delivered_to_the_events_staff(world, receiver, django_capture_on_commit_callbacks):
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from matchwerk.meetings import services as meeting_services

    admin, coord = world.users["admin"], world.users["coord"]
    day = (timezone.localtime() + timedelta(days=20)).date()
    start = timezone.make_aware(datetime.combine(day, time(9)))
    event = event_services.event_publish(actor=admin, event=event_services.event_create(
        actor=admin, topics=(), title="Börse", format="brokerage", description="", venue_name="Messe",
        venue_address="", venue_host="", starts_at=start, ends_at=start + timedelta(hours=8), capacity=20,
        region=world.objects["region"]))
    meeting_services.brokerage_configure(actor=admin, event=event, meeting_minutes=20, tables=2,
                                         sessions=[(start, start + timedelta(hours=1))])
    event_services.registration_create(actor=world.users["pa"], event=event)
    reg_b = event_services.registration_create(actor=world.users["pb"], event=event)
    request = meeting_services.request_create(actor=world.users["pa"], event=event, receiver=reg_b)
    meeting_services.request_answer(actor=world.users["pb"], request=request, accept=True)
    meeting_services.meeting_add(actor=admin, event=event, request=request, slot=event.brokerage.slots.first())
    hook = webhook_create(actor=coord, url=receiver.url, events=["meeting_plan.released"])
    webhook_create(actor=world.users["coord_other"], url=receiver.url, events=["meeting_plan.released"])
    webhook_create(actor=world.users["admin"], url=receiver.url, events=["checkin.created"])  # not subscribed
    with django_capture_on_commit_callbacks(execute=True):
        version = meeting_services.version_release(actor=coord, event=event)
    assert len(receiver.received) == 1  # neither the other region's coordinator nor an unsubscribed hook
    headers, body = receiver.received[0]
    message = verify(hook.secret, headers, body)
    assert message["event"] == "meeting_plan.released" == headers["X-Matchwerk-Event"]
    assert message["data"] | {"released_at": None} == {
        "event": event.pk, "version": version.pk, "number": 1, "released_at": None, "released_by": coord.pk,
        "meetings": 1, "changed_meetings": 1, "dropped_meetings": 0}
    assert WebhookDelivery.objects.get(webhook=hook).status == DeliveryStatus.SUCCEEDED


@override_settings(WEBHOOK_MAX_ATTEMPTS=3)
def test_webhooks_retry_command_queues_due_deliveries(world, receiver, django_capture_on_commit_callbacks):
    from datetime import timedelta
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    receiver.status = 503
    hook = webhook_create(actor=world.users["admin"], url=receiver.url, events=["registration.cancelled"])
    with django_capture_on_commit_callbacks(execute=True):
        event_services.registration_cancel(actor=world.users["pa"], registration=world.objects["registration_a"])
    delivery = WebhookDelivery.objects.get(webhook=hook)
    assert delivery.attempts == 1 and delivery.status == DeliveryStatus.PENDING
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("webhooks_retry", stdout=out)
    assert out.getvalue().startswith("0 ")  # not due yet: nothing sent
    assert len(receiver.received) == 1
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=60))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("webhooks_retry", "--older-than", "300", stdout=out)  # due, but not long enough ago
    assert len(receiver.received) == 1
    # the workers' periodic safety net waits 10 minutes past the planned attempt as well
    from matchwerk.api.tasks import retry_lost_webhook_deliveries

    with django_capture_on_commit_callbacks(execute=True):
        assert retry_lost_webhook_deliveries.call() == 0
    assert len(receiver.received) == 1
    receiver.status = 200
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("webhooks_retry", stdout=out)
    assert out.getvalue().startswith("1 ")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempts == 2 and len(receiver.received) == 2
    verify(hook.secret, *receiver.received[-1])
