"""From an event's registrations to the engine's problems and back to seats.

``speed_problem`` / ``roundtable_problem`` read the database and check the input (every
problem is a ``ValidationError`` with a German message, raised before anything runs or is
saved); ``speed_solve`` / ``roundtable_solve`` call the engine's Python API (``pair`` and
``engine.speed`` for speed-dating, ``rotate`` for roundtables) and return unsaved seats
with the plan's figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from matchwerk.engine import pair as pair_engine
from matchwerk.engine import rotate as rotate_engine
from matchwerk.engine.speed import speed_rounds
from matchwerk.events.enums import RegistrationStatus
from matchwerk.events.models import Registration
from matchwerk.matching.enums import MatchStatus
from matchwerk.matching.models import MatchSide, Suggestion
from matchwerk.rounds.enums import PairMode, Side
from matchwerk.rounds.models import RoundSetup, Seat

# Every speed-dating pair scores 1 plus the matching engine's suggestion score (if any),
# so ``pair`` keeps as many pairs as fit and prefers the suggested ones.
BASE_SCORE = 1.0


@dataclass
class SpeedProblem:
    side_a: list[Registration]
    side_b: list[Registration]
    candidates: list[tuple[Registration, Registration, float]]


@dataclass
class Solved:
    seats: list[Seat]
    figures: dict = field(default_factory=dict)


def participants(event) -> list[Registration]:
    return list(Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
                .select_related("organisation").order_by("name", "pk"))


def _basic_checks(setup: RoundSetup, people: list[Registration]) -> None:
    if setup.rounds < 1:
        raise ValidationError(_("Es braucht mindestens eine Runde."))
    if not people:
        raise ValidationError(_("Für diese Veranstaltung gibt es keine bestätigten Anmeldungen."))


def sides(setup: RoundSetup, people: list[Registration]) -> dict[int, str]:
    """Side of every confirmed registration: chosen by hand, else by organisation kind."""
    chosen = dict(setup.side_choices.values_list("registration_id", "side")) if setup.pk else {}
    result = {}
    for person in people:
        kind = person.organisation.kind if person.organisation_id else ""
        side = chosen.get(person.pk)
        if side is None:
            side = (Side.A if kind and kind in setup.side_a_kinds
                    else Side.B if kind and kind in setup.side_b_kinds else Side.OUT)
        result[person.pk] = side
    return result


def suggestion_scores(organisation_ids: set[int]) -> dict[frozenset, float]:
    """The best suggestion score between two organisations, either direction, any programme."""
    scores: dict[frozenset, float] = {}
    rows = Suggestion.objects.filter(organisation_id__in=organisation_ids, partner_id__in=organisation_ids)
    for a, b, score in rows.values_list("organisation_id", "partner_id", "score"):
        key = frozenset((a, b))
        scores[key] = max(scores.get(key, 0.0), max(0.0, float(score)))
    return scores


def speed_problem(setup: RoundSetup) -> SpeedProblem:
    people = participants(setup.event)
    _basic_checks(setup, people)
    if setup.tables < 1:
        raise ValidationError(_("Es braucht mindestens einen Tisch."))
    side_of = sides(setup, people)
    side_a = [p for p in people if side_of[p.pk] == Side.A]
    side_b = [p for p in people if side_of[p.pk] == Side.B]
    for label, group in ((setup.side_a_label, side_a), (setup.side_b_label, side_b)):
        if not group:
            raise ValidationError(_("Auf der Seite „%(side)s“ ist niemand. Wählen Sie Arten von Organisationen "
                                    "oder ordnen Sie Personen von Hand zu.") % {"side": label})
    scores = suggestion_scores({p.organisation_id for p in people if p.organisation_id})

    def score(a: Registration, b: Registration) -> float:
        return BASE_SCORE + scores.get(frozenset((a.organisation_id, b.organisation_id)), 0.0)

    if setup.pair_mode == PairMode.SELECTED:
        by_id = {p.pk: p for p in side_a + side_b}
        candidates = [(by_id[a], by_id[b], 0.0) for a, b in setup.selected_pairs.values_list("side_a_id", "side_b_id")
                      if a in by_id and b in by_id and side_of[a] == Side.A and side_of[b] == Side.B]
        candidates = [(a, b, score(a, b)) for a, b, _s in candidates]
        if not candidates:
            raise ValidationError(_("Es sind noch keine Paare ausgewählt (oder keines der ausgewählten Paare "
                                    "verbindet die beiden Seiten)."))
    else:
        candidates = [(a, b, score(a, b)) for a in side_a for b in side_b
                      if not (a.organisation_id and a.organisation_id == b.organisation_id)]
    return SpeedProblem(side_a, side_b, candidates)


def speed_solve(setup: RoundSetup, problem: SpeedProblem) -> Solved:
    rounds, tables = setup.rounds, setup.tables
    degree: dict[int, int] = {}
    for a, b, _s in problem.candidates:
        degree[a.pk] = degree.get(a.pk, 0) + 1
        degree[b.pk] = degree.get(b.pk, 0) + 1
    fits = len(problem.candidates) <= rounds * tables and max(degree.values()) <= rounds
    chosen = [(a, b) for a, b, _s in problem.candidates]
    if not fits:  # not all pairs fit: the engine's `pair` keeps the best that do
        result = pair_engine.solve(pair_engine.PairProblem(
            left=[pair_engine.Side(str(p.pk), rounds) for p in problem.side_a],
            right=[pair_engine.Side(str(p.pk), rounds) for p in problem.side_b],
            candidates=[pair_engine.Candidate(str(a.pk), str(b.pk), s) for a, b, s in problem.candidates],
            max_pairs=rounds * tables))
        by_id = {str(p.pk): p for p in problem.side_a + problem.side_b}
        chosen = [(by_id[c.left], by_id[c.right]) for c in result.pairs]
    seatings = speed_rounds([(str(a.pk), str(b.pk)) for a, b in chosen], rounds=rounds, tables=tables)
    seats = []
    for s in seatings:
        seats.append(Seat(round=s.round + 1, table=s.table + 1, registration_id=int(s.left), side=Side.A))
        seats.append(Seat(round=s.round + 1, table=s.table + 1, registration_id=int(s.right), side=Side.B))
    figures = {"side_a": len(problem.side_a), "side_b": len(problem.side_b),
               "candidates": len(problem.candidates), "pairs": len(chosen), "pair_engine": not fits,
               "rounds": rounds, "tables": tables}
    return Solved(seats, figures)


def known_pairs(setup: RoundSetup, people: list[Registration]) -> tuple[list[tuple[str, str]], int, int]:
    """Pairs who should not share a table: colleagues of one organisation, match partners."""
    known: set[tuple[str, str]] = set()
    colleagues = partners = 0
    by_org: dict[int, list[Registration]] = {}
    for person in people:
        if person.organisation_id:
            by_org.setdefault(person.organisation_id, []).append(person)
    if setup.separate_colleagues:
        for group in by_org.values():
            for i, a in enumerate(group):
                for b in group[i + 1:]:
                    known.add((str(a.pk), str(b.pk)))
                    colleagues += 1
    if setup.separate_partners and by_org:
        sides = (MatchSide.objects.filter(organisation_id__in=by_org,
                                          match__status__in=[MatchStatus.PROPOSED, MatchStatus.ACTIVE])
                 .values_list("match_id", "organisation_id"))
        orgs_of_match: dict[int, set[int]] = {}
        for match_id, organisation_id in sides:
            orgs_of_match.setdefault(match_id, set()).add(organisation_id)
        for orgs in orgs_of_match.values():
            orgs = sorted(orgs)
            for i, x in enumerate(orgs):
                for y in orgs[i + 1:]:
                    for a in by_org[x]:
                        for b in by_org[y]:
                            pair = (str(a.pk), str(b.pk))
                            if pair not in known and pair[::-1] not in known:
                                known.add(pair)
                                partners += 1
    return sorted(known), colleagues, partners


def roundtable_problem(setup: RoundSetup) -> tuple[rotate_engine.RotationProblem, dict]:
    people = participants(setup.event)
    _basic_checks(setup, people)
    if setup.table_size < 2:
        raise ValidationError(_("An einem Tisch sitzen mindestens zwei Personen."))
    if setup.table_size > len(people):
        raise ValidationError(_("An einem Tisch sollen %(size)s Personen sitzen, angemeldet sind aber nur "
                                "%(count)s.") % {"size": setup.table_size, "count": len(people)})
    known, colleagues, partners = known_pairs(setup, people)
    problem = rotate_engine.RotationProblem(
        participants=[str(p.pk) for p in people], table_size=setup.table_size, rounds=setup.rounds, known=known,
        time_limit=float(getattr(settings, "ROUNDS_ROTATE_SECONDS", 10)), seed=setup.event_id or 0)
    return problem, {"colleague_pairs": colleagues, "partner_pairs": partners}


def roundtable_solve(setup: RoundSetup, problem: rotate_engine.RotationProblem, extra: dict) -> Solved:
    result = rotate_engine.solve(problem)
    topics = setup.topic_lines
    seats = []
    for r, tables in enumerate(result.rounds):
        for t, members in enumerate(tables):
            topic, host = topics[t] if t < len(topics) else ("", "")
            seats.extend(Seat(round=r + 1, table=t + 1, registration_id=int(member), topic=topic[:200],
                              host=host[:200]) for member in members)
    figures = {"participants": len(problem.participants), "tables": len(result.rounds[0]) if result.rounds else 0,
               "table_size": problem.table_size, "rounds": problem.rounds, "repeats": result.repeats,
               "known_met": result.known_met, "lower_bound": result.lower_bound,
               "seconds": round(result.seconds, 2), **extra}
    return Solved(seats, figures)

