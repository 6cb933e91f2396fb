"""iCalendar files (RFC 5545) for events, built with the ``icalendar`` package.

Every event keeps one UID for its whole life and its SEQUENCE rises with every change of
time, place or status, so calendar programs update the entry instead of adding a
second one; a cancelled event is sent with STATUS:CANCELLED. Times are written in UTC.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timezone as dt_timezone

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from matchwerk.events.enums import EventStatus
from matchwerk.events.models import Event

PRODID = "-//Matchwerk//Veranstaltungen//DE"
UID_DOMAIN = "matchwerk"
ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"


def event_uid(event: Event) -> str:
    return f"{event.uid}@{UID_DOMAIN}"


def event_location(event: Event) -> str:
    if event.is_online:
        return event.online_url
    return ", ".join(part for part in (event.venue_name, event.venue_address) if part)


def _vevent(event: Event, *, stamp) -> icalendar.Event:
    entry = icalendar.Event()
    entry.add("uid", event_uid(event))
    entry.add("sequence", event.sequence)
    entry.add("dtstamp", stamp)
    entry.add("dtstart", event.starts_at.astimezone(dt_timezone.utc))
    entry.add("dtend", event.ends_at.astimezone(dt_timezone.utc))
    entry.add("summary", event.title)
    entry.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
    location = event_location(event)
    if location:
        entry.add("location", location)
    url = settings.SITE_URL + reverse("events:detail", args=[event.pk])
    entry.add("url", url)
    description = event.description.strip()
    entry.add("description", f"{description}\n\n{url}" if description else url)
    if event.updated_at:
        entry.add("last-modified", event.updated_at.astimezone(dt_timezone.utc))
    return entry


def calendar_bytes(events: Iterable[Event], *, name: str = "") -> bytes:
    """One VCALENDAR with a VEVENT per event."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(dt_timezone.utc).replace(microsecond=0)
    for event in events:
        calendar.add_component(_vevent(event, stamp=stamp))
    return calendar.to_ical()


def ics_filename(event: Event) -> str:
    return f"veranstaltung-{event.pk}.ics"
