"""Background work of the events app: mails on the ``mail`` queue (tasks receive ids and
load what they need)."""

from __future__ import annotations

from django_tasks import task

from matchwerk.core.tasks import MAIL_QUEUE
from matchwerk.events.enums import RegistrationStatus
from matchwerk.events.mails import registration_mail_send
from matchwerk.events.models import Registration


@task(queue_name=MAIL_QUEUE, priority=50)
def notify_registration(registration_id: int, kind: str) -> int:
    """One mail about one registration (confirmed, waitlisted, moved up, invited)."""
    registration = Registration.objects.select_related("event", "user").filter(pk=registration_id).first()
    if registration is None:
        return 0
    return registration_mail_send(registration=registration, kind=kind)


def _holding(event_id: int):
    return Registration.objects.select_related("event", "user").filter(
        event_id=event_id, status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED])


@task(queue_name=MAIL_QUEUE, priority=50)
def notify_event_changed(event_id: int) -> int:
    """Time, place or title changed: everyone registered or waiting gets the new entry."""
    return sum(registration_mail_send(registration=registration, kind="changed")
               for registration in _holding(event_id))


@task(queue_name=MAIL_QUEUE, priority=50)
def notify_event_cancelled(event_id: int, reason: str = "") -> int:
    return sum(registration_mail_send(registration=registration, kind="cancelled", reason=reason)
               for registration in _holding(event_id))
