"""A mutual "continue" after a meeting proposes a match to the matching team: a
``matching.Match`` with origin "event meeting" (stage "proposed") between the two
organisations, in the event's programme (or the default programme), with both notes as
its idea. The team accompanies it from there like any match (matching/services.py).
Participants without an organisation, or two people of one organisation, cannot be
matched; a pair that already has a match in that programme keeps it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from matchwerk.matching.enums import MatchOrigin
from matchwerk.matching.models import Match
from matchwerk.matching.services import match_create
from matchwerk.meetings.models import MeetingFeedback, MeetingRequest


def propose_match(*, request: MeetingRequest) -> Match | None:
    a, b = request.requester, request.receiver
    if not a.organisation_id or not b.organisation_id or a.organisation_id == b.organisation_id:
        return None
    from matchwerk.matching.recompute import programme_default

    programme = request.event.programme or programme_default()
    notes = {f.author_id: f.note for f in MeetingFeedback.objects.filter(request=request)}
    idea = f"Gespräch auf „{request.event.title}“: beide möchten weitermachen." + "".join(
        f"\n{person.name}: {notes[person.pk]}" for person in (a, b) if notes.get(person.pk))
    try:
        return match_create(actor=None, programme=programme, organisations=[a.organisation, b.organisation],
                            idea=idea[:2000], origin=MatchOrigin.EVENT_MEETING)
    except ValidationError:  # they already have a match in this programme
        return None
