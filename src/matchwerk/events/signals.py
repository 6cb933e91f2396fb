"""Extension points the events app plugs into."""

from __future__ import annotations

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from matchwerk.accounts.models import User


@receiver(pre_delete, sender=User, dispatch_uid="events_anonymise_registrations")
def anonymise_registrations(sender, instance: User, **kwargs) -> None:
    """An account is erased: its registrations (and those staff entered with its confirmed
    address) stay as anonymous rows, so an event's numbers do not change afterwards."""
    from matchwerk.events.services.registrations import registrations_anonymise

    registrations_anonymise(user=instance)
    instance.wall_posts.all().delete()  # a post on the wall is the person's own words: gone with the account
