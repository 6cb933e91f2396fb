""""You should meet": the matching engine's suggestions for a participant, restricted to
the other participants of the same event (their organisations), with reasons rendered in
the reader's language (matching/reasons.py). Uses the platform's match index
(``matching.engine_adapter.current_index``) like the programme suggestions do."""

from __future__ import annotations

from dataclasses import dataclass

from matchwerk.engine.matching.profiles import pairs_from_list
from matchwerk.events.models import Registration
from matchwerk.matching import reasons
from matchwerk.matching.engine_adapter import current_index
from matchwerk.meetings.models import Hidden
from matchwerk.meetings.selectors import participants


@dataclass
class Recommendation:
    registration: Registration
    score: float
    reason_lines: list[str]


def you_should_meet(*, registration: Registration, top: int = 8) -> list[Recommendation]:
    own = registration.organisation_id
    if not own:
        return []
    by_organisation: dict[str, list[Registration]] = {}
    for person in participants(event=registration.event, viewer=registration):
        if person.organisation_id and person.organisation_id != own:
            by_organisation.setdefault(str(person.organisation_id), []).append(person)
    if not by_organisation:
        return []
    loaded, _changed = current_index()
    if str(own) not in loaded.index:
        return []
    hidden = set(Hidden.objects.filter(registration=registration).values_list("hidden__organisation_id", flat=True))
    options = {}
    programme = registration.event.programme
    if programme is not None and programme.kind_pairs:
        options["pairs"] = pairs_from_list(programme.kind_pairs)
    found = loaded.index.suggest(str(own), top=top, candidates=set(by_organisation),
                                 exclude={str(o) for o in hidden if o}, **options)
    labels = reasons.topic_labels()
    out = []
    for suggestion in found:
        lines = reasons.render_all(suggestion.codes, labels)
        for person in by_organisation.get(suggestion.id, []):
            out.append(Recommendation(registration=person, score=suggestion.score, reason_lines=lines))
    return out[:top]
