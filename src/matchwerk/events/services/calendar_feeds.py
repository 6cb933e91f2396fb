"""Personal calendar subscriptions: a secret URL per person, revocable."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from matchwerk.events import rules
from matchwerk.events.models import CalendarFeed, new_feed_token


def calendar_feed_create(*, actor) -> CalendarFeed:
    """A new secret URL for the person's calendar; an older one stops working."""
    if not rules.can_use_calendar_feed(actor):
        raise PermissionDenied
    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=actor)
        if not created:
            feed.token = new_feed_token()
            feed.save(update_fields=["token"])
    return feed


def calendar_feed_revoke(*, actor) -> None:
    if not rules.can_use_calendar_feed(actor):
        raise PermissionDenied
    CalendarFeed.objects.filter(user=actor).delete()
