"""``{% agenda_meetings registration %}``: a person's meetings at one event inside the
personal agenda (events/agenda.html), with links to the meetings page, .ics and PDF."""

from __future__ import annotations

from django import template

from matchwerk.events.enums import RegistrationStatus
from matchwerk.meetings.models import Brokerage
from matchwerk.meetings.selectors import meetings_of

register = template.Library()


@register.inclusion_tag("meetings/_agenda_meetings.html")
def agenda_meetings(registration):
    if registration.status != RegistrationStatus.CONFIRMED or \
            not Brokerage.objects.filter(event_id=registration.event_id).exists():
        return {"show": False}
    return {"show": True, "event_id": registration.event_id, "meetings": meetings_of(registration=registration)}


@register.simple_tag
def has_brokerage(event) -> bool:
    return Brokerage.objects.filter(event=event).exists()
