"""Mails about events, in the recipient's language, with the event's ``.ics`` attached
where it belongs in a calendar (confirmation, moved up, change, cancellation) and, for a
confirmed place, the ticket's QR code as a PNG to show at the door.
Rendered and sent through core's mail path (``mail_render``/``mail_deliver``) by the
events app's tasks on the ``mail`` queue."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from matchwerk.core.mail import mail_deliver, mail_render
from matchwerk.events.ical import ICS_CONTENT_TYPE, calendar_bytes, ics_filename
from matchwerk.events.enums import RegistrationStatus
from matchwerk.events.models import Registration

# Mail kinds; those in WITH_ICS carry the calendar entry.
KINDS = ("confirmed", "waitlisted", "moved_up", "invited", "changed", "cancelled")
WITH_ICS = {"confirmed", "moved_up", "changed", "cancelled"}
# Mail kinds that carry the ticket (the check-in code as QR code) when the place is confirmed.
WITH_TICKET = {"confirmed", "moved_up"}


def ticket_filename(registration: Registration) -> str:
    return f"ticket-{registration.code}.png"


def registration_mail_send(*, registration: Registration, kind: str, reason: str = "") -> int:
    """Render ``events/mail/<kind>_subject.txt`` / ``_body.txt`` for one registration and
    send it; returns the number of mails sent (0 or 1)."""
    if kind not in KINDS:
        raise ValueError(f"unknown event mail {kind!r}")
    event = registration.event
    language = (registration.user.language if registration.user_id else "") or settings.LANGUAGE_CODE
    context = {
        "registration": registration, "event": event, "reason": reason,
        "event_url": settings.SITE_URL + reverse("events:detail", args=[event.pk]),
        "agenda_url": settings.SITE_URL + reverse("events:agenda"),
    }
    subject, body, html = mail_render(template=f"events/mail/{kind}", context=context, language=language)
    attachments = [(ics_filename(event), calendar_bytes([event]), ICS_CONTENT_TYPE)] if kind in WITH_ICS else []
    if kind in WITH_TICKET and registration.status == RegistrationStatus.CONFIRMED:
        from matchwerk.events.printouts import qr_png

        attachments.append((ticket_filename(registration), qr_png(registration.code), "image/png"))
    return mail_deliver(to=registration.email, subject=subject, body=body, html=html, attachments=attachments)
