"""Planning services: valid plans (once per round, table sizes, pairs across sides, minimal
repeats), bad input refused with a clear message and nothing saved, a failed run keeps the
previous plan."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict

import pytest
from django.core.exceptions import ValidationError
from factories import make_organisation, make_user

from matchwerk.events.enums import EventFormat
from matchwerk.matching.enums import MatchStatus
from matchwerk.matching.models import Match, MatchSide
from matchwerk.rounds import selectors, services
from matchwerk.rounds.enums import PairMode, PlanKind, RunStatus, Side
from matchwerk.rounds.models import Plan, PlanRun, RoundSetup, Seat

pytestmark = pytest.mark.django_db


def speed(staff, event, **values):
    defaults = {"rounds": 8, "tables": 3, "round_seconds": 420, "break_seconds": 60,
                "side_a_kinds": ["startup"], "side_b_kinds": ["sme"], "pair_mode": PairMode.ALL}
    return services.round_setup_save(actor=staff, event=event, kind=PlanKind.SPEED, **{**defaults, **values})


def rows(plan):
    return list(Seat.objects.filter(plan=plan).values_list("round", "table", "registration_id", "side"))


def check_once_per_round(plan):
    per_round = Counter((r, person) for r, _t, person, _s in rows(plan))
    assert per_round and max(per_round.values()) == 1


def test_speed_dating_all_pairs_3_startups_8_smes(staff, make_event, register):
    event = make_event()
    startups, smes = register(event, "startup", 3), register(event, "sme", 8)
    speed(staff, event)
    run = services.plan_run_start(actor=staff, event=event, kind=PlanKind.SPEED)
    assert run.status == RunStatus.DONE, run.message
    plan = selectors.current_plan(event, PlanKind.SPEED)
    check_once_per_round(plan)
    tables = defaultdict(list)
    for r, t, person, side in rows(plan):
        tables[r, t].append((side, person))
        assert 1 <= t <= 3 and 1 <= r <= 8
    a_ids, b_ids = {p.pk for p in startups}, {p.pk for p in smes}
    met = set()
    for seats in tables.values():
        assert sorted(side for side, _p in seats) == [Side.A, Side.B]  # two per table, one of each side
        a = next(p for s, p in seats if s == Side.A)
        b = next(p for s, p in seats if s == Side.B)
        assert a in a_ids and b in b_ids  # pairs only across sides
        met.add((a, b))
    assert met == set(itertools.product(a_ids, b_ids))  # all 24 pairs fit: everyone meets everyone
    assert plan.figures["pairs"] == 24 and plan.figures["pair_engine"] is False


def test_speed_dating_uses_pair_when_not_all_fit_and_prefers_suggestions(staff, make_event, register):
    from matchwerk.matching.models import Suggestion
    from factories import make_programme

    event = make_event()
    startups, smes = register(event, "startup", 2), register(event, "sme", 4)
    programme = make_programme()
    favourite = (startups[0], smes[3])
    Suggestion.objects.create(programme=programme, organisation=favourite[0].organisation,
                              partner=favourite[1].organisation, score=0.9, rank=1)
    speed(staff, event, rounds=1, tables=2)  # 8 pairs, room for 2
    run = services.plan_run_start(actor=staff, event=event, kind=PlanKind.SPEED)
    assert run.status == RunStatus.DONE
    plan = selectors.current_plan(event, PlanKind.SPEED)
    assert plan.figures["pair_engine"] is True and plan.figures["pairs"] == 2
    by_table = defaultdict(set)
    for _r, t, person, _s in rows(plan):
        by_table[t].add(person)
    assert {favourite[0].pk, favourite[1].pk} in list(by_table.values())


def test_speed_dating_selected_pairs_only(staff, make_event, register):
    event = make_event()
    (a1, a2), (b1, b2) = register(event, "creative", 2), register(event, "sme", 2)
    setup = speed(staff, event, side_a_kinds=["creative"], pair_mode=PairMode.SELECTED)
    services.speed_pairs_select(actor=staff, setup=setup, pairs=[(a1.pk, b2.pk), (a2.pk, b1.pk)])
    services.plan_run_start(actor=staff, event=event, kind=PlanKind.SPEED)
    plan = selectors.current_plan(event, PlanKind.SPEED)
    pairs = defaultdict(set)
    for r, t, person, _s in rows(plan):
        pairs[r, t].add(person)
    assert sorted(map(sorted, pairs.values())) == sorted([sorted([a1.pk, b2.pk]), sorted([a2.pk, b1.pk])])


def test_sides_by_hand_override_the_kind(staff, make_event, register):
    event = make_event()
    (researcher,) = register(event, "research", 1)
    smes = register(event, "sme", 2)
    setup = speed(staff, event, rounds=2, tables=1)
    with pytest.raises(ValidationError, match="ist niemand"):
        services.plan_run_start(actor=staff, event=event, kind=PlanKind.SPEED)
    services.speed_sides_set(actor=staff, setup=setup, choices={researcher.pk: Side.A, smes[1].pk: Side.OUT})
    services.plan_run_start(actor=staff, event=event, kind=PlanKind.SPEED)
    seated = {person for _r, _t, person, _s in rows(selectors.current_plan(event, PlanKind.SPEED))}
    assert seated == {researcher.pk, smes[0].pk}


def roundtable(staff, event, **values):
    defaults = {"rounds": 3, "table_size": 3, "round_seconds": 1200, "break_seconds": 300,
                "table_topics": "Smart City | Dr. Anna Weber\nUrbane Mobilität | Jonas Ritter\nKlimaschutz | Eva Stein",
                "separate_colleagues": True, "separate_partners": True}
    return services.round_setup_save(actor=staff, event=event, kind=PlanKind.ROUNDTABLE, **{**defaults, **values})


def test_roundtable_9_people_tables_of_3_no_repeats_colleagues_and_partners_apart(staff, make_event, register):
    event = make_event(EventFormat.ROUNDTABLE, "Innovationsstammtisch")
    city = make_organisation(kind="public")
    colleagues = register(event, organisation=city, n=2)
    others = register(event, "startup", 7)
    from factories import make_programme

    match = Match.objects.create(status=MatchStatus.ACTIVE, programme=make_programme())
    MatchSide.objects.create(match=match, organisation=others[0].organisation)
    MatchSide.objects.create(match=match, organisation=others[1].organisation)
    # 9 people in threes for 3 rounds: 27 of the 36 pairs meet, so the two known pairs can be kept apart
    # (with 4 rounds every pair would meet exactly once, the known ones too)
    roundtable(staff, event, rounds=3)
    run = services.plan_run_start(actor=staff, event=event, kind=PlanKind.ROUNDTABLE)
    assert run.status == RunStatus.DONE, run.message
    plan = selectors.current_plan(event, PlanKind.ROUNDTABLE)
    check_once_per_round(plan)
    tables = defaultdict(set)
    for r, t, person, _s in rows(plan):
        tables[r, t].add(person)
    assert all(len(members) == 3 for members in tables.values()) and len(tables) == 9
    meetings = Counter(pair for members in tables.values() for pair in itertools.combinations(sorted(members), 2))
    assert max(meetings.values()) == 1  # nobody twice with the same person
    assert not any(set(pair) <= members for members in tables.values()
                   for pair in [(colleagues[0].pk, colleagues[1].pk), (others[0].pk, others[1].pk)])
    assert plan.figures["repeats"] == 0 and plan.figures["known_met"] == 0
    assert plan.figures["colleague_pairs"] == 1 and plan.figures["partner_pairs"] == 1
    topics = set(Seat.objects.filter(plan=plan).values_list("table", "topic", "host"))
    assert (1, "Smart City", "Dr. Anna Weber") in topics and (3, "Klimaschutz", "Eva Stein") in topics


def test_roundtable_unequal_tables_differ_by_at_most_one(staff, make_event, register):
    event = make_event(EventFormat.ROUNDTABLE)
    register(event, "sme", 10)
    roundtable(staff, event, table_size=4, rounds=2)
    services.plan_run_start(actor=staff, event=event, kind=PlanKind.ROUNDTABLE)
    sizes = Counter((r, t) for r, t, _p, _s in rows(selectors.current_plan(event, PlanKind.ROUNDTABLE)))
    assert sorted(set(sizes.values())) == [3, 4] and len(sizes) == 6


@pytest.mark.parametrize("kind, values, message", [
    (PlanKind.SPEED, {"rounds": 0}, "mindestens"),
    (PlanKind.SPEED, {"tables": 0}, "mindestens"),
    (PlanKind.ROUNDTABLE, {"table_size": 1}, "mindestens"),
])
def test_zero_rounds_or_tables_are_refused_and_nothing_is_saved(staff, make_event, register, kind, values, message):
    event = make_event()
    register(event, "startup", 2)
    save = speed if kind == PlanKind.SPEED else roundtable
    with pytest.raises(ValidationError):
        save(staff, event, **values)
    assert not RoundSetup.objects.filter(event=event).exists()


def test_more_per_table_than_participants_is_refused_and_no_run_is_saved(staff, make_event, register):
    event = make_event(EventFormat.ROUNDTABLE)
    register(event, "sme", 4)
    roundtable(staff, event, table_size=6)
    with pytest.raises(ValidationError, match="6 Personen sitzen, angemeldet sind aber nur 4"):
        services.plan_run_start(actor=staff, event=event, kind=PlanKind.ROUNDTABLE)
    assert not PlanRun.objects.exists() and not Plan.objects.exists()


def test_no_participants_is_refused(staff, make_event):
    event = make_event(EventFormat.ROUNDTABLE)
    roundtable(staff, event)
    with pytest.raises(ValidationError, match="keine bestätigten Anmeldungen"):
        services.plan_run_start(actor=staff, event=event, kind=PlanKind.ROUNDTABLE)


def test_a_failed_run_keeps_the_previous_plan(staff, make_event, register):
    event = make_event(EventFormat.ROUNDTABLE)
    register(event, "sme", 6)
    roundtable(staff, event)
    services.plan_run_start(actor=staff, event=event, kind=PlanKind.ROUNDTABLE)
    before = selectors.current_plan(event, PlanKind.ROUNDTABLE)
    seats_before = rows(before)
    # The settings become impossible after the run was queued (e.g. people cancelled).
    run = PlanRun.objects.create(event=event, kind=PlanKind.ROUNDTABLE, created_by=staff)
    RoundSetup.objects.filter(event=event).update(table_size=50)
    assert services.plan_run_execute(run_id=run.pk) == RunStatus.FAILED
    run.refresh_from_db()
    assert "50 Personen" in run.message and run.plan is None
    assert selectors.current_plan(event, PlanKind.ROUNDTABLE) == before and rows(before) == seats_before
    assert Plan.objects.count() == 1


def test_a_participant_from_another_event_cannot_be_put_on_a_side(staff, make_event, register):
    event, other = make_event(), make_event()
    (stranger,) = register(other, "sme", 1)
    setup = speed(staff, event)
    with pytest.raises(ValidationError):
        services.speed_sides_set(actor=staff, setup=setup, choices={stranger.pk: Side.A})
    with pytest.raises(ValidationError):
        services.speed_pairs_select(actor=staff, setup=setup, pairs=[(stranger.pk, stranger.pk)])


def test_participants_may_not_plan(make_event, register):
    from django.core.exceptions import PermissionDenied

    event = make_event()
    with pytest.raises(PermissionDenied):
        services.round_setup_save(actor=make_user(), event=event, kind=PlanKind.SPEED, rounds=3)
