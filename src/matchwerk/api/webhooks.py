"""Webhooks: the one entry point ``webhook_emit`` that the apps' services call, the signed
message, and one delivery attempt with back-off between attempts.

A message is a JSON body ``{"id", "event", "timestamp", "data"}``. It is signed with the
hook's secret: ``X-Matchwerk-Signature: sha256=<hex HMAC-SHA256 of the raw body>``; the
timestamp is inside the signed body and repeated in ``X-Matchwerk-Timestamp`` so that a
receiver can refuse old messages (replays). See docs/api.md for the receiver's recipe.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from matchwerk.api import rules
from matchwerk.api.enums import DeliveryStatus, WebhookEvent
from matchwerk.api.models import Webhook, WebhookDelivery
from matchwerk.api.urlcheck import webhook_url_problem

logger = logging.getLogger("matchwerk.webhooks")

USER_AGENT = "Matchwerk-Webhooks/1"


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def message_body(*, delivery_id, event: str, data: dict) -> tuple[str, int]:
    timestamp = int(time.time())
    body = json.dumps({"id": str(delivery_id), "event": event, "timestamp": timestamp, "data": data},
                      cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)
    return body, timestamp


def webhook_emit(event: str, data: dict, *, visible: Callable[[object], bool] | None = None
                 ) -> list[WebhookDelivery]:
    """Tell every active hook subscribed to ``event``. ``visible(user)`` says whether a
    hook's owner may see the object (the app's own rule): hooks of owners who may not
    get nothing. Deliveries are written in the caller's transaction and sent after it
    commits (nothing is sent for a change that was rolled back)."""
    if event not in WebhookEvent.values:
        raise ValueError(f"unknown webhook event {event!r}")
    deliveries = []
    for hook in Webhook.objects.filter(is_active=True, owner__is_active=True).select_related("owner"):
        if event not in hook.events or not rules.can_manage_webhooks.test(hook.owner):
            continue
        if visible is not None and not visible(hook.owner):
            continue
        delivery = WebhookDelivery(webhook=hook, event=event, body="", timestamp=0)
        delivery.body, delivery.timestamp = message_body(delivery_id=delivery.pk, event=event, data=data)
        delivery.save()
        delivery_enqueue(delivery)
        deliveries.append(delivery)
    return deliveries


def delivery_enqueue(delivery: WebhookDelivery, *, run_after=None) -> None:
    from matchwerk.api.tasks import deliver_webhook

    delivery_id = str(delivery.pk)

    def enqueue():
        task = deliver_webhook
        if run_after is not None:
            if not task.get_backend().supports_defer:
                return  # e.g. MATCHWERK_TASKS=immediate: the retry waits for `matchwerk webhooks_retry`
            task = task.using(run_after=run_after)
        task.enqueue(delivery_id=delivery_id)

    transaction.on_commit(enqueue)


def retry_delay(attempt: int) -> timedelta:
    """The wait after failed attempt ``attempt`` (1, 2, …): WEBHOOK_RETRY_DELAY seconds,
    then four times as long each time."""
    return timedelta(seconds=settings.WEBHOOK_RETRY_DELAY * 4 ** (attempt - 1))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer (3xx: not delivered), never followed


def _post(url: str, body: bytes, headers: dict) -> tuple[int | None, str]:
    """POST once; (status, error). No proxies from the environment, no redirects."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with opener.open(request, timeout=settings.WEBHOOK_TIMEOUT) as response:
            response.read(1024)
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return None, f"{type(error).__name__}: {reason}"[:300]


def delivery_attempt(delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a pending delivery once. 2xx: delivered. Otherwise the next attempt is planned
    after the back-off, until ``WEBHOOK_MAX_ATTEMPTS`` attempts; then it is failed.

    The request is sent outside any transaction (a slow receiver must not hold a database
    lock); two workers sending the same delivery at once is possible in theory, so
    receivers treat the delivery id as the key (at-least-once, as with every webhook)."""
    delivery = WebhookDelivery.objects.select_related("webhook").get(pk=delivery.pk)
    if delivery.status != DeliveryStatus.PENDING:
        return delivery
    hook = delivery.webhook
    body = delivery.body.encode("utf-8")
    problem = webhook_url_problem(hook.url)
    if problem:
        status, error = None, problem
    else:
        status, error = _post(hook.url, body, {
            "Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT,
            "X-Matchwerk-Event": delivery.event, "X-Matchwerk-Delivery": str(delivery.pk),
            "X-Matchwerk-Timestamp": str(delivery.timestamp), "X-Matchwerk-Signature": signature(hook.secret, body),
        })
    now = timezone.now()
    with transaction.atomic():
        delivery.attempts += 1
        delivery.last_attempt_at, delivery.response_status, delivery.error = now, status, error
        if status is not None and 200 <= status < 300:
            delivery.status, delivery.next_attempt_at, delivery.error = DeliveryStatus.SUCCEEDED, None, ""
        elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
            logger.warning("Webhook delivery %s to %s failed %d times: %s", delivery.pk, hook.url,
                           delivery.attempts, error or status)
        else:
            delivery.next_attempt_at = now + retry_delay(delivery.attempts)
            delivery_enqueue(delivery, run_after=delivery.next_attempt_at)
        delivery.save(update_fields=["attempts", "last_attempt_at", "response_status", "error", "status",
                                     "next_attempt_at"])
    return delivery


def deliveries_retry_due(*, now=None, grace: timedelta = timedelta(0)) -> int:
    """Queue every pending delivery whose next attempt was due ``grace`` ago or earlier (and
    every pending one never tried that was made that long ago): for task backends that
    cannot run a task later (``MATCHWERK_TASKS=immediate``), and as a safety net for a
    queued attempt that was lost. ``matchwerk webhooks_retry``."""
    cutoff = (now or timezone.now()) - grace
    due = list(WebhookDelivery.objects.filter(
        Q(next_attempt_at__lte=cutoff) | Q(next_attempt_at__isnull=True, attempts=0, created_at__lte=cutoff),
        status=DeliveryStatus.PENDING))
    for delivery in due:
        delivery_enqueue(delivery)
    return len(due)


def registration_data(registration) -> dict:
    """The data of the registration events (``registration.*``, ``checkin.created``)."""
    return {"registration": registration.pk, "event": registration.event_id, "status": registration.status,
            "name": registration.name, "email": registration.email, "organisation": registration.organisation_id,
            "organisation_name": registration.organisation_label, "walk_in": registration.walk_in,
            "checked_in_at": registration.checked_in_at, "status_changed_at": registration.status_changed_at}


def registration_emit(event: str, registration) -> None:
    """Tell the hooks of the event's staff (``events.rules.can_edit_event``)."""
    from matchwerk.events.rules import can_edit_event

    webhook_emit(event, registration_data(registration), visible=lambda user: can_edit_event(user, registration.event))


def match_stage_emit(change) -> None:
    """``match.stage_changed`` to the hooks of staff who see the match (``can_view_match``)."""
    from matchwerk.matching.rules import can_view_match

    match = change.match
    data = {"match": match.pk, "programme": match.programme_id, "from_stage": change.from_stage,
            "to_stage": change.to_stage, "status": match.status, "changed_at": change.changed_at,
            "changed_by": change.changed_by_id, "organisations": list(match.sides.values_list("organisation_id",
                                                                                              flat=True))}
    webhook_emit("match.stage_changed", data, visible=lambda user: can_view_match.test(user, match))
    if change.to_stage == "grant_approved":  # the programme's grant for the match (MatchStage.GRANT_APPROVED)
        webhook_emit("grant.approved", data, visible=lambda user: can_view_match.test(user, match))


def meeting_plan_emit(version) -> None:
    """``meeting_plan.released`` to the hooks of the event's staff (``meetings.rules.can_manage_meetings``)."""
    from matchwerk.meetings.rules import can_manage_meetings

    event = version.event
    data = {"event": event.pk, "version": version.pk, "number": version.number, "released_at": version.released_at,
            "released_by": version.released_by_id, "meetings": version.meetings.count(),
            "changed_meetings": version.figures.get("changed_meetings", 0),
            "dropped_meetings": version.figures.get("dropped_meetings", 0)}
    webhook_emit("meeting_plan.released", data, visible=lambda user: can_manage_meetings(user, event))
