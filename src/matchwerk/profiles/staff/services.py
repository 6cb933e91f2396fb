"""Writes of the back office: topics and regions (each checked and logged)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from matchwerk.accounts.rules import can_manage_regions
from matchwerk.core.audit import log_event
from matchwerk.profiles.models import Region, Topic
from matchwerk.profiles.rules import can_manage_topics
from matchwerk.profiles.signals import announce_changed


def _organisations_with(topic: Topic) -> list[int]:
    return sorted(set(topic.organisations.values_list("pk", flat=True))
                  | set(topic.needs.values_list("organisation_id", flat=True))
                  | set(topic.offers.values_list("organisation_id", flat=True)))


def topic_save(*, actor, topic: Topic) -> Topic:
    if not can_manage_topics.test(actor):
        raise PermissionDenied
    created = topic.pk is None
    topic.full_clean()
    with transaction.atomic():
        renamed = not created and Topic.objects.filter(pk=topic.pk).exclude(name_de=topic.name_de).exists()
        topic.save()
        log_event(f"matchwerk.profiles.topic.{'created' if created else 'changed'}", topic, {"slug": topic.slug},
                  actor=actor)
        if renamed:  # profiles carry the German topic names
            announce_changed(ids=_organisations_with(topic))
    return topic


def topic_delete(*, actor, topic: Topic) -> None:
    """Deletes the topic; organisations, needs and offers simply lose it."""
    if not can_manage_topics.test(actor):
        raise PermissionDenied
    with transaction.atomic():
        log_event("matchwerk.profiles.topic.deleted", topic, {"slug": topic.slug}, actor=actor)
        affected = _organisations_with(topic)
        topic.delete()
        announce_changed(ids=affected)


def region_save(*, actor, region: Region, coordinators=None) -> Region:
    """Create or change a region; only administrators, since this assigns coordinators."""
    if not can_manage_regions.test(actor):
        raise PermissionDenied
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
    if not can_manage_regions.test(actor):
        raise PermissionDenied
    if region.organisations.exists():
        raise ValidationError(_("Die Region „%(name)s“ ist noch Organisationen zugeordnet und kann nicht gelöscht "
                                "werden.") % {"name": region.name})
    with transaction.atomic():
        log_event("matchwerk.profiles.region.deleted", region, {"slug": region.slug}, actor=actor)
        region.delete()
