"""Days in one block (engine/scheduling/blocks.py): the lower bound on breaks from people
who cannot have an unbroken day, and the interval model that finds plans without breaks."""

from __future__ import annotations

import json
import time

from matchwerk.engine.schedule import run
from matchwerk.engine.scheduling import blocks
from matchwerk.engine.scheduling.problem import parse
from matchwerk.engine.scheduling.state import State

from test_schedule_listings import check_listings


def _split_day() -> dict:
    # "gap" is away in slot 2 and has three meetings that must straddle it ("a" only before,
    # "c" only after): a break in every plan. Everybody else can have an unbroken day.
    slots = [str(k) for k in range(5)]
    return {"slots": slots, "tables": 3,
            "participants": [{"id": "gap", "available": ["0", "1", "3", "4"]},
                             {"id": "a", "available": ["0", "1"]}, {"id": "b"},
                             {"id": "c", "available": ["3", "4"]}, {"id": "d"}],
            "meetings": [{"a": "gap", "b": "a"}, {"a": "gap", "b": "b"}, {"a": "gap", "b": "c"},
                         {"a": "b", "b": "d"}, {"a": "c", "b": "d", "slots": ["3", "4"]}],
            "time_limit": 20, "idle_first": "breaks"}


def test_forced_breaks_names_the_people_without_an_unbroken_day():
    problem = parse(_split_day())
    assert [problem.pids[q] for q in blocks.forced_breaks(problem)] == ["gap"]
    assert blocks.can_be_unbroken(problem, problem.pids.index("d"), problem.meetings_of[problem.pids.index("d")])


def test_break_bound_is_reached_and_proven_before_the_time_limit():
    data = _split_day()
    result = run(data)
    check_listings(data, result)
    stats = result["stats"]
    assert result["optimal"] is True and not result["unscheduled"]
    assert (stats["breaks"], stats["breaks_bound"], stats["breaks_optimal"]) == (1, 1, True)
    assert (stats["gaps"], stats["gaps_optimal"]) == (0, True)
    assert stats["seconds"] < data["time_limit"] / 2  # proven, so it returns early


def test_break_bound_is_zero_unless_every_meeting_is_held():
    state = State(parse(_split_day()))  # nothing placed yet
    assert blocks.breaks_bound(state) == 0


def _ladder(n: int = 6) -> dict:
    # People 0 … n−1, each meets the next one: a path, so every day can be one block of
    # at most two slots, one table per slot.
    slots = [str(k) for k in range(n)]
    people = [{"id": f"p{k}"} for k in range(n)]
    meetings = [{"a": f"p{k}", "b": f"p{k + 1}"} for k in range(n - 1)]
    return {"slots": slots, "tables": 1, "participants": people, "meetings": meetings, "time_limit": 5}


def test_interval_model_turns_a_broken_plan_into_one_without_breaks():
    problem = parse(_ladder())
    state = State(problem)
    # meeting k in slot 2k mod 5: every inner person has an idle slot between two meetings
    for m in range(problem.n_meetings):
        state.place(m, (2 * m) % problem.n_slots)
    assert sum(state.breaks()) > 0
    seeker = blocks.Blocks(state, seed=1)
    seeker.start(5.0)
    while not seeker.done():
        time.sleep(0.01)
    assert seeker.found()
    assert seeker.apply_if_better(lambda st: sum(st.breaks()))
    assert sum(state.breaks()) == 0 and state.gaps() == 0
    assert all(state.slot_of[m] >= 0 for m in range(problem.n_meetings))
    for s in range(problem.n_slots):
        assert state.load[s] <= problem.tables[s]


def _crossed_pair() -> dict:
    # "q" meets "early" (slot 0 only) and "r"; "r" meets "late" (slot 3 only) and "q". Alone,
    # each can have an unbroken day (q in 0-1, r in 2-3), but not both at once: their meeting
    # would have to be in slot 1 for q and in slot 2 for r. The per-person bound proves 0;
    # the optimum is 1.
    return {"slots": ["0", "1", "2", "3"], "tables": 2,
            "participants": [{"id": "q"}, {"id": "r"}, {"id": "early", "available": ["0"]},
                             {"id": "late", "available": ["3"]}],
            "meetings": [{"a": "q", "b": "early"}, {"a": "q", "b": "r"}, {"a": "r", "b": "late"}],
            "time_limit": 20, "idle_first": "breaks"}


def _placed(problem, where: dict[tuple[str, str], int]) -> State:
    state = State(problem)
    for m in range(problem.n_meetings):
        pair = (problem.pids[problem.ma[m]], problem.pids[problem.mb[m]])
        state.place(m, where[pair])
    return state


def test_most_unbroken_model_proves_a_break_the_per_person_bound_misses():
    problem = parse(_crossed_pair())
    assert blocks.forced_breaks(problem) == []
    state = _placed(problem, {("q", "early"): 0, ("q", "r"): 2, ("r", "late"): 3})
    assert sum(state.breaks()) == 1
    seeker = blocks.MostUnbroken(state, seed=1)
    seeker.start(5.0)
    while not seeker.done():
        time.sleep(0.01)
    assert seeker.solver.StatusName(seeker.status) == "OPTIMAL"
    assert seeker.breaks_bound() == 1


def test_crossed_pair_is_solved_to_its_break_optimum_and_proven():
    data = _crossed_pair()
    result = run(data)
    check_listings(data, result)
    stats = result["stats"]
    assert result["optimal"] is True and not result["unscheduled"]
    assert (stats["breaks"], stats["breaks_bound"], stats["breaks_optimal"]) == (1, 1, True)


def test_breaks_first_on_a_published_instance_where_not_everybody_can_be_unbroken(shared_dir):
    # forum-13crafb (Bofill et al.): the interval model is infeasible within a second, so the
    # verb goes on with the most-unbroken-days bound and breaks.FewestBroken (tested on this
    # instance in test_schedule_breaks.py). A short run: every meeting held, the hard rules
    # kept, the counts consistent (5 breaks are proven unavoidable, 6 is the optimum).
    data = json.loads((shared_dir / "datasets" / "b2b" / "forum-13crafb.json").read_text())
    data.update(time_limit=12, idle_first="breaks")
    result = run(data)
    check_listings(data, result)
    stats = result["stats"]
    assert not result["unscheduled"] and stats["meetings"] == 195
    assert 3 <= stats["breaks_bound"] <= 6 <= stats["breaks"]
