"""Writes of the back office: topics and regions (each logged)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from matchwerk.core.audit import log_event
from matchwerk.profiles.models import Region, Topic


def topic_save(*, actor, topic: Topic) -> Topic:
    created = topic.pk is None
    topic.full_clean()
    with transaction.atomic():
        topic.save()
        log_event(f"matchwerk.profiles.topic.{'created' if created else 'changed'}", topic, {"slug": topic.slug},
                  actor=actor)
    return topic


def topic_delete(*, actor, topic: Topic) -> None:
    """Deletes the topic; organisations, needs and offers simply lose it."""
    with transaction.atomic():
        log_event("matchwerk.profiles.topic.deleted", topic, {"slug": topic.slug}, actor=actor)
        topic.delete()


def region_save(*, actor, region: Region, coordinators=None) -> Region:
    created = region.pk is None
    region.full_clean()
    with transaction.atomic():
        region.save()
        if coordinators is not None:
            region.coordinators.set(coordinators)
        log_event(f"matchwerk.profiles.region.{'created' if created else 'changed'}", region, {"slug": region.slug},
                  actor=actor)
    return region


def region_delete(*, actor, region: Region) -> None:
    if region.organisations.exists():
        raise ValidationError(_("Die Region „%(name)s“ ist noch Organisationen zugeordnet und kann nicht gelöscht "
                                "werden.") % {"name": region.name})
    with transaction.atomic():
        log_event("matchwerk.profiles.region.deleted", region, {"slug": region.slug}, actor=actor)
        region.delete()
