"""A person's meetings at an event as iCalendar entries: one VEVENT per meeting with the
request's UID (``meeting-<uuid>@matchwerk``, never changes) and its SEQUENCE (raised by
every released version that moves or drops the meeting); dropped meetings are sent with
STATUS:CANCELLED so calendars remove them instead of keeping a stale copy."""

from __future__ import annotations

from datetime import timezone as dt_timezone

import icalendar
from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from matchwerk.events.ical import PRODID, UID_DOMAIN, event_location
from matchwerk.events.models import Registration
from matchwerk.meetings.models import MeetingRequest
from matchwerk.meetings.selectors import meetings_of


def meeting_uid(request: MeetingRequest) -> str:
    return f"meeting-{request.uid}@{UID_DOMAIN}"


def meetings_calendar_bytes(*, registration: Registration) -> bytes:
    event = registration.event
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Gespräche · {event.title}")
    stamp = timezone.now().astimezone(dt_timezone.utc).replace(microsecond=0)
    url = settings.SITE_URL + reverse("meetings:home", args=[event.pk])
    location = event_location(event)
    for meeting in meetings_of(registration=registration):
        request, other = meeting.request, meeting.partner
        entry = icalendar.Event()
        entry.add("uid", meeting_uid(request))
        entry.add("sequence", request.sequence)
        entry.add("dtstamp", stamp)
        entry.add("dtstart", meeting.slot.starts_at.astimezone(dt_timezone.utc))
        entry.add("dtend", meeting.slot.ends_at.astimezone(dt_timezone.utc))
        label = f"{other.name} ({other.organisation_label})" if other.organisation_label else other.name
        entry.add("summary", f"Gespräch: {label}")
        entry.add("location", f"Tisch {meeting.table}" + (f", {location}" if location else ""))
        entry.add("status", "CONFIRMED")
        entry.add("url", url)
        entry.add("description", f"{event.title}\n{url}")
        calendar.add_component(entry)
    for request in MeetingRequest.objects.filter(Q(requester=registration) | Q(receiver=registration),
                                                 calendar_cancelled=True).select_related("requester", "receiver"):
        entry = icalendar.Event()
        entry.add("uid", meeting_uid(request))
        entry.add("sequence", request.sequence)
        entry.add("dtstamp", stamp)
        entry.add("dtstart", event.starts_at.astimezone(dt_timezone.utc))
        entry.add("dtend", event.starts_at.astimezone(dt_timezone.utc))
        entry.add("summary", f"Gespräch: {request.other(registration).name}")
        entry.add("status", "CANCELLED")
        calendar.add_component(entry)
    return calendar.to_ical()
