"""Writes of the API app: personal tokens (``api_token_*``) and webhooks (``webhook_*``).

A token is ``mw_`` followed by 43 random characters; only its SHA-256 digest is stored,
so a token that is lost cannot be shown again (create a new one and revoke the old).
"""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matchwerk.api import rules
from matchwerk.api.enums import DeliveryStatus, WebhookEvent
from matchwerk.api.models import ApiToken, Webhook, WebhookDelivery
from matchwerk.api.urlcheck import webhook_url_problem
from matchwerk.core.audit import log_event

TOKEN_PREFIX = "mw_"
MAX_ACTIVE_TOKENS = 20


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def api_token_create(*, user, name: str, read_only: bool = False, actor=None) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the token (the only time it exists in
    clear). ``actor=None`` is the operator's command line."""
    if actor is not None and (actor.pk != user.pk or not rules.can_use_api_tokens.test(actor)):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Bitte geben Sie eine Bezeichnung an.")})
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(_("Sie haben bereits %(max)d aktive Schlüssel. Bitte widerrufen Sie zuerst einen.")
                              % {"max": MAX_ACTIVE_TOKENS})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name[:100], read_only=read_only, digest=token_digest(raw),
                     prefix=raw[:len(TOKEN_PREFIX) + 6])
    token.full_clean(exclude=["digest", "prefix"])
    token.save()
    log_event("matchwerk.api.token.created", token, {"read_only": read_only}, actor=actor)
    return token, raw


def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    if actor is not None and not rules.can_revoke_api_token.test(actor, token):
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_event("matchwerk.api.token.revoked", token, actor=actor)
    return token


def api_token_for(raw: str) -> ApiToken | None:
    """The active token of an active account that ``raw`` is, else None."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    return (ApiToken.objects.select_related("user")
            .filter(digest=token_digest(raw), revoked_at__isnull=True, user__is_active=True).first())


def api_token_touch(token: ApiToken, *, every_seconds: int = 60) -> None:
    """Record the use (at most once a minute per token: no write per request)."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= every_seconds:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


# --- webhooks ----------------------------------------------------------------------------------

def _clean_events(events) -> list[str]:
    valid = set(WebhookEvent.values)
    chosen = sorted({str(event) for event in events or ()})
    if not chosen:
        raise ValidationError({"events": _("Bitte wählen Sie mindestens ein Ereignis.")})
    unknown = [event for event in chosen if event not in valid]
    if unknown:
        raise ValidationError({"events": _("Unbekannte Ereignisse: %(events)s") % {"events": ", ".join(unknown)}})
    return chosen


def _clean_url(url: str) -> str:
    url = (url or "").strip()
    problem = webhook_url_problem(url)
    if problem:
        raise ValidationError({"url": problem})
    return url


def webhook_create(*, actor, url: str, events) -> Webhook:
    if not rules.can_manage_webhooks.test(actor):
        raise PermissionDenied
    hook = Webhook(owner=actor, url=_clean_url(url), events=_clean_events(events),
                   secret=secrets.token_urlsafe(32))
    hook.full_clean()
    hook.save()
    log_event("matchwerk.api.webhook.created", hook, {"events": hook.events}, actor=actor)
    return hook


def webhook_update(*, actor, webhook: Webhook, url: str, events, is_active: bool = True) -> Webhook:
    if not rules.can_change_webhook.test(actor, webhook):
        raise PermissionDenied
    webhook.url, webhook.events, webhook.is_active = _clean_url(url), _clean_events(events), bool(is_active)
    webhook.full_clean()
    webhook.save()
    log_event("matchwerk.api.webhook.changed", webhook, {"events": webhook.events}, actor=actor)
    return webhook


def webhook_delete(*, actor, webhook: Webhook) -> None:
    if not rules.can_change_webhook.test(actor, webhook):
        raise PermissionDenied
    log_event("matchwerk.api.webhook.deleted", webhook, actor=actor)
    webhook.delete()


def webhook_secret_rotate(*, actor, webhook: Webhook) -> Webhook:
    if not rules.can_change_webhook.test(actor, webhook):
        raise PermissionDenied
    webhook.secret = secrets.token_urlsafe(32)
    webhook.save(update_fields=["secret"])
    log_event("matchwerk.api.webhook.secret_rotated", webhook, actor=actor)
    return webhook


def webhook_delivery_resend(*, actor, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a logged delivery again: a new delivery with the same event and data (a new
    timestamp and signature), queued at once."""
    import json

    from matchwerk.api.webhooks import delivery_enqueue, message_body

    if not rules.can_change_webhook.test(actor, delivery.webhook):
        raise PermissionDenied
    data = json.loads(delivery.body).get("data", {})
    with transaction.atomic():
        again = WebhookDelivery(webhook=delivery.webhook, event=delivery.event, resent_from=delivery,
                                status=DeliveryStatus.PENDING, body="", timestamp=0)
        again.body, again.timestamp = message_body(delivery_id=again.pk, event=delivery.event, data=data)
        again.save()
        log_event("matchwerk.api.webhook.resent", delivery.webhook, {"delivery": str(delivery.pk)}, actor=actor)
        delivery_enqueue(again)
    return again
