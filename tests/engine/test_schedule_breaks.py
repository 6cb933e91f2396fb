"""The fewest-broken-days decision model (engine/scheduling/breaks.py): plans with at most
the asked number of breaks, the tables counted through its cardinality clauses, and no plan
where none exists."""

from __future__ import annotations

import json

from matchwerk.engine.scheduling import blocks
from matchwerk.engine.scheduling.breaks import FewestBroken
from matchwerk.engine.scheduling.problem import parse
from matchwerk.engine.scheduling.search import greedy
from matchwerk.engine.scheduling.state import State

from test_schedule_blocks import _crossed_pair, _ladder, _placed


def _solve(state: State, breaks: int, seconds: float = 10.0) -> FewestBroken:
    seeker = FewestBroken(state, breaks, seed=1)
    seeker.start(seconds)
    seeker.thread.join()
    seeker.stop()
    return seeker


def _check_plan(state: State) -> None:
    """Every meeting held in an allowed slot, nobody twice in a slot, the tables kept."""
    p = state.p
    assert all(state.slot_of[m] in p.allowed[m] for m in range(p.n_meetings))
    for q in range(len(p.pids)):
        slots = [state.slot_of[m] for m in p.meetings_of[q]]
        assert len(slots) == len(set(slots))
    for s in range(p.n_slots):
        assert sum(1 for m in range(p.n_meetings) if state.slot_of[m] == s) <= p.tables[s]


def test_a_broken_plan_becomes_one_with_no_more_breaks_than_asked():
    problem = parse(_ladder())
    state = State(problem)
    for m in range(problem.n_meetings):  # meeting k in slot 2k mod 5: inner people broken
        state.place(m, (2 * m) % problem.n_slots)
    assert sum(state.breaks()) > 0
    seeker = _solve(state, 0)
    assert seeker.found() and seeker.limit == 0
    assert seeker.apply_if_better(lambda st: sum(st.breaks()))
    assert sum(state.breaks()) == 0
    _check_plan(state)


def _crowded_middle() -> dict:
    # "y" has three meetings and four slots: an unbroken day takes slots 0-2 or 1-3, so both
    # middle slots. "z" and "w" must meet in a middle slot, and there is one table: y has a
    # break in every plan, though with two tables nobody would.
    return {"slots": ["0", "1", "2", "3"], "tables": 1,
            "participants": [{"id": i} for i in ("y", "a", "b", "c", "z", "w")],
            "meetings": [{"a": "y", "b": "a"}, {"a": "y", "b": "b"}, {"a": "y", "b": "c"},
                         {"a": "z", "b": "w", "slots": ["1", "2"]}],
            "time_limit": 5, "idle_first": "breaks"}


def test_the_tables_count_in_the_clauses():
    # The model leaves out the window's linear table bound and counts busy people instead:
    # asking for no break must fail here only because of the single table.
    data = _crowded_middle()
    problem = parse(data)
    assert blocks.forced_breaks(problem) == []
    state = _placed(problem, {("y", "a"): 0, ("y", "b"): 1, ("y", "c"): 3, ("z", "w"): 2})
    assert sum(state.breaks()) == 1
    assert _solve(state, 0).status == blocks.INFEASIBLE
    found = _solve(state, 1)
    assert found.found()
    found.window.apply(found.solver)
    assert sum(state.breaks()) == 1
    _check_plan(state)
    data["tables"] = 2
    roomy = parse(data)
    state = _placed(roomy, {("y", "a"): 0, ("y", "b"): 1, ("y", "c"): 3, ("z", "w"): 2})
    seeker = _solve(state, 0)
    assert seeker.apply_if_better(lambda st: sum(st.breaks()))
    assert sum(state.breaks()) == 0
    _check_plan(state)


def test_no_plan_where_two_unbroken_days_exclude_each_other():
    problem = parse(_crossed_pair())
    state = _placed(problem, {("q", "early"): 0, ("q", "r"): 1, ("r", "late"): 3})
    snapshot = state.snapshot()
    seeker = _solve(state, 0)
    assert seeker.status == blocks.INFEASIBLE
    assert not seeker.apply_if_better(lambda st: sum(st.breaks()))
    assert state.snapshot() == snapshot


def test_forced_breaks_count_against_the_asked_number():
    # In _split_day "gap" has a break in every plan: asking for 1 break leaves 0 for the rest.
    from test_schedule_blocks import _split_day
    problem = parse(_split_day())
    state = State(problem)
    greedy(state)
    assert all(s >= 0 for s in state.slot_of)
    seeker = _solve(state, 1)
    assert seeker.limit == 0 and seeker.found()
    seeker.window.apply(seeker.solver)
    assert sum(state.breaks()) == 1
    _check_plan(state)


def test_published_instance_at_its_optimum(shared_dir):
    # forum-13crafb (Bofill et al.): 6 breaks is the published optimum, which neither the
    # annealing nor the interval models reach within 30 s. Asked for 6 from the greedy plan,
    # the model finds such a plan (about 10-20 s on two idle cores).
    data = json.loads((shared_dir / "datasets" / "b2b" / "forum-13crafb.json").read_text())
    problem = parse(data)
    state = State(problem)
    greedy(state)
    assert all(s >= 0 for s in state.slot_of) and sum(state.breaks()) > 6
    seeker = _solve(state, 6, seconds=300.0)
    assert seeker.found() and seeker.limit == 3  # 3 people are broken in every plan
    seeker.window.apply(seeker.solver)
    assert sum(state.breaks()) <= 6 and max(state.breaks()) == 1
    _check_plan(state)


def test_locked_meetings_stay_and_hold_their_table():
    # a-b is locked in slot 0; a's and b's other meetings must gather around it. Two tables.
    data = {"slots": ["0", "1", "2", "3"], "tables": 2,
            "participants": [{"id": i} for i in "abcdef"],
            "meetings": [{"a": "a", "b": "b", "fixed": {"slot": "0", "table": 1}}, {"a": "a", "b": "c"},
                         {"a": "a", "b": "d"}, {"a": "e", "b": "f"}, {"a": "b", "b": "c"}],
            "time_limit": 5, "idle_first": "breaks"}
    problem = parse(data)
    state = State(problem)  # places the locked meeting
    where = {("a", "c"): 1, ("a", "d"): 2, ("e", "f"): 0, ("b", "c"): 3}
    for m in range(1, problem.n_meetings):
        state.place(m, where[problem.pids[problem.ma[m]], problem.pids[problem.mb[m]]])
    assert sum(state.breaks()) == 2  # b: slots 0 and 3, c: 1 and 3
    seeker = _solve(state, 0)
    assert seeker.apply_if_better(lambda st: sum(st.breaks()))
    assert sum(state.breaks()) == 0
    assert state.slot_of[0] == 0
    _check_plan(state)


def test_breaks_of_people_with_only_locked_meetings_count_against_the_asked_number():
    # L and M meet twice, locked in slots 0 and 2: one break each in every plan. The path
    # a-b-c-d-e can be placed without breaks, so 2 is the fewest; asked for 2, the model
    # has no room for anybody else's break.
    data = {"slots": [str(i) for i in range(6)], "tables": 2,
            "participants": [{"id": i} for i in ("L", "M", "a", "b", "c", "d", "e")],
            "meetings": [{"a": "L", "b": "M", "fixed": {"slot": "0", "table": 1}},
                         {"a": "L", "b": "M", "fixed": {"slot": "2", "table": 1}},
                         {"a": "a", "b": "b"}, {"a": "b", "b": "c"}, {"a": "c", "b": "d"},
                         {"a": "d", "b": "e"}],
            "time_limit": 5, "idle_first": "breaks"}
    problem = parse(data)
    state = State(problem)  # places the locked meetings
    for m, s in zip(range(2, 6), (0, 2, 4, 0)):
        state.place(m, s)
    assert sum(state.breaks()) == 5
    seeker = _solve(state, 2)
    assert (seeker.limit, seeker.asked) == (0, 2)
    assert seeker.apply_if_better(lambda st: sum(st.breaks()))
    assert sum(state.breaks()) == 2 and state.slot_of[:2] == [0, 2]
    _check_plan(state)
    below = _solve(state, 1)  # fewer than the locked breaks: it asks for those in effect
    assert below.asked == 2 and below.found()
