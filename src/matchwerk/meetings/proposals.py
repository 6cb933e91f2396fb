"""A mutual "continue" after a meeting goes to the matching team's review queue.

``matching.Match`` has no origin field on main yet, so the proposal is a
:class:`matching.Suggestion` of the event's programme (or the default programme) between
the two organisations, scored 1.0 so it sits at the top of the queue, whose reason names
the event and carries both notes. The team accepts it there like any suggestion (which
proposes the match to both organisations). Participants without an organisation cannot
be matched; such pairs are only counted on the staff page.
"""

from __future__ import annotations

from matchwerk.matching.enums import SuggestionStatus
from matchwerk.matching.models import Suggestion
from matchwerk.meetings.models import MeetingFeedback, MeetingRequest

ORIGIN = "event_meeting"


def propose_match(*, request: MeetingRequest) -> Suggestion | None:
    a, b = request.requester, request.receiver
    if not a.organisation_id or not b.organisation_id or a.organisation_id == b.organisation_id:
        return None
    from matchwerk.matching.recompute import programme_default

    programme = request.event.programme or programme_default()
    notes = {f.author_id: f.note for f in MeetingFeedback.objects.filter(request=request)}
    reason = {"code": "text", "origin": ORIGIN, "event": request.event_id, "request": request.pk,
              "text": f"Treffen auf „{request.event.title}“: beide möchten weitermachen."
                      + "".join(f" Notiz {person.name}: {notes[person.pk]}" for person in (a, b)
                                if notes.get(person.pk))}
    suggestion, created = Suggestion.objects.get_or_create(
        programme=programme, organisation_id=a.organisation_id, partner_id=b.organisation_id,
        defaults={"score": 1.0, "rank": 1, "reasons": [reason]})
    if not created:
        suggestion.reasons = [reason] + [r for r in suggestion.reasons
                                         if not (isinstance(r, dict) and r.get("origin") == ORIGIN)]
        suggestion.score, suggestion.rank = 1.0, 1
        if suggestion.status == SuggestionStatus.SNOOZED:
            suggestion.status = SuggestionStatus.OPEN
        suggestion.save(update_fields=["reasons", "score", "rank", "status"])
    return suggestion
