"""``{% agenda_meetings registration %}``: a person's meetings at one event inside the
personal agenda (events/agenda.html), with links to the meetings page, .ics and PDF.

The agenda shows one card per registration; the tag reads the meetings of all the
person's confirmed registrations at once on its first call (three queries however many
events the agenda lists) and keeps them in the template's render context."""

from __future__ import annotations

from django import template

from matchwerk.events.enums import RegistrationStatus
from matchwerk.meetings.models import Brokerage
from matchwerk.meetings.selectors import agenda_meetings_of_user

register = template.Library()


@register.inclusion_tag("meetings/_agenda_meetings.html", takes_context=True)
def agenda_meetings(context, registration):
    if registration.status != RegistrationStatus.CONFIRMED:
        return {"show": False}
    if registration.user_id is None:
        found = agenda_meetings_of_user(registrations=[registration])
    else:
        key = ("meetings.agenda", registration.user_id)
        if key not in context.render_context:
            context.render_context[key] = agenda_meetings_of_user(user_id=registration.user_id)
        found = context.render_context[key]
    if registration.pk not in found:  # no brokerage at this event
        return {"show": False}
    return {"show": True, "event_id": registration.event_id, "meetings": found[registration.pk]}


@register.simple_tag
def has_brokerage(event) -> bool:
    return Brokerage.objects.filter(event=event).exists()
