"""Extension point: profile changes schedule a background recompute of suggestions."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from matchwerk.profiles.models import Need, Offer, Organisation


def _changed(organisation_id: int | None) -> None:
    from matchwerk.matching.services import organisation_changed

    if organisation_id:
        organisation_changed(organisation_id=organisation_id)


@receiver([post_save, post_delete], sender=Organisation, dispatch_uid="matching_org_changed")
def _organisation_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _changed(instance.pk)


@receiver([post_save, post_delete], sender=Need, dispatch_uid="matching_need_changed")
@receiver([post_save, post_delete], sender=Offer, dispatch_uid="matching_offer_changed")
def _statement_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _changed(instance.organisation_id)


@receiver(m2m_changed, sender=Organisation.topics.through, dispatch_uid="matching_topics_changed")
def _topics_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, Organisation):
        _changed(instance.pk)
