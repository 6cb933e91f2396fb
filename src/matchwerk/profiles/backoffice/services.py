"""Writes of the back office: topics and regions (each logged)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from matchwerk.core.audit import log_access
from matchwerk.profiles.models import Region, Topic


def topic_save(*, actor, topic: Topic) -> Topic:
    created = topic.pk is None
    topic.full_clean()
    with transaction.atomic():
        topic.save()
        log_access(actor=actor, action="topic_created" if created else "topic_changed", obj=topic, detail=topic.slug)
    return topic


def topic_delete(*, actor, topic: Topic) -> None:
    """Deletes the topic; organisations, needs and offers simply lose it."""
    with transaction.atomic():
        log_access(actor=actor, action="topic_deleted", obj=topic, detail=topic.slug)
        topic.delete()


def region_save(*, actor, region: Region, coordinators=None) -> Region:
    created = region.pk is None
    region.full_clean()
    with transaction.atomic():
        region.save()
        if coordinators is not None:
            region.coordinators.set(coordinators)
        log_access(actor=actor, action="region_created" if created else "region_changed", obj=region,
                   detail=region.slug)
    return region


def region_delete(*, actor, region: Region) -> None:
    if region.organisations.exists():
        raise ValidationError(_("Die Region „%(name)s“ ist noch Organisationen zugeordnet und kann nicht gelöscht "
                                "werden.") % {"name": region.name})
    with transaction.atomic():
        log_access(actor=actor, action="region_deleted", obj=region, detail=region.slug)
        region.delete()
