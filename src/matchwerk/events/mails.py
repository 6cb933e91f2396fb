"""Mails about events, in the recipient's language, with the event's ``.ics`` attached
where it belongs in a calendar (confirmation, moved up, change, cancellation)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from matchwerk.events.ical import ICS_CONTENT_TYPE, calendar_bytes, ics_filename
from matchwerk.events.models import Registration

# Mail kinds; those in WITH_ICS carry the calendar entry.
KINDS = ("confirmed", "waitlisted", "moved_up", "invited", "changed", "cancelled")
WITH_ICS = {"confirmed", "moved_up", "changed", "cancelled"}


def registration_mail_send(*, registration: Registration, kind: str, reason: str = "") -> int:
    """Render ``events/mail/<kind>_subject.txt`` / ``_body.txt`` for one registration and
    send it; returns the number of mails sent (0 or 1)."""
    if kind not in KINDS:
        raise ValueError(f"unknown event mail {kind!r}")
    event = registration.event
    language = (registration.user.language if registration.user_id else "") or settings.LANGUAGE_CODE
    context = {
        "site_url": settings.SITE_URL, "registration": registration, "event": event, "reason": reason,
        "event_url": settings.SITE_URL + reverse("events:detail", args=[event.pk]),
        "agenda_url": settings.SITE_URL + reverse("events:agenda"),
    }
    with translation.override(language):
        subject = " ".join(render_to_string(f"events/mail/{kind}_subject.txt", context).split())
        body = render_to_string(f"events/mail/{kind}_body.txt", context)
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [registration.email])
    if kind in WITH_ICS:
        message.attach(ics_filename(event), calendar_bytes([event]), ICS_CONTENT_TYPE)
    return message.send()
