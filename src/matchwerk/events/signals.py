"""Extension points the events app plugs into."""

from __future__ import annotations

from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver

from matchwerk.accounts.models import User


@receiver(pre_delete, sender=User, dispatch_uid="events_anonymise_registrations")
def anonymise_registrations(sender, instance: User, **kwargs) -> None:
    """An account is erased: its registrations (and those staff entered with its confirmed
    address) stay as anonymous rows, so an event's numbers do not change afterwards."""
    from matchwerk.events.services.registrations import registrations_anonymise

    registrations_anonymise(user=instance)
    instance.wall_posts.all().delete()  # a post on the wall is the person's own words: gone with the account


@receiver(post_delete, sender="events.WallPost", dispatch_uid="events_wall_photo_file")
def delete_wall_photo_file(sender, instance, **kwargs) -> None:
    """A deleted post (also by the erasure of its author) takes its photo file along."""
    if instance.photo:
        instance.photo.delete(save=False)


def _photo_consent_changed(sender, consent, organisation_id=None, **kwargs) -> None:
    """The photo consent withdrawn: the person's photos leave every wall at once."""
    from matchwerk.privacy.enums import ConsentPurpose

    if consent.purpose == ConsentPurpose.PHOTOS and not consent.granted and consent.user_id:
        from matchwerk.events.services.wall import wall_photos_remove

        wall_photos_remove(user=consent.user)


def connect_privacy() -> None:
    from matchwerk.privacy.signals import consent_recorded

    consent_recorded.connect(_photo_consent_changed, dispatch_uid="events_photo_consent")
