"""``matchwerk schedule``: hard rules on random instances, the bound, locks, input errors, CLI."""

from __future__ import annotations

import itertools
import math
import re
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchwerk.engine.inputs import InputError
from matchwerk.engine.schedule import run
from matchwerk.engine.scheduling.bound import lp_bound
from matchwerk.engine.scheduling.generate import brokerage
from matchwerk.engine.scheduling.problem import parse
from matchwerk.engine.scheduling.search import first_fit
from matchwerk.engine.scheduling.state import State

MATCHWERK = Path(sys.executable).with_name("matchwerk")


# -- an independent checker of FORMATS.md's hard rules --------------------------------------
def check_schedule(data: dict, result: dict) -> None:
    slots = data["slots"]
    raw_tables = data["tables"]
    tables = {s: raw_tables if isinstance(raw_tables, int) else raw_tables[s] for s in slots}
    people = {p["id"]: p for p in data["participants"]}
    requested = {frozenset((m["a"], m["b"])): m for m in data["meetings"]}
    busy, used_tables, per_slot, held = set(), set(), {s: 0 for s in slots}, {}
    seen = set()
    for row in result["scheduled"]:
        a, b, slot, table = row["a"], row["b"], row["slot"], row["table"]
        pair = frozenset((a, b))
        assert pair in requested, f"unrequested pair {a}/{b}"
        assert pair not in seen, f"pair {a}/{b} scheduled twice"
        seen.add(pair)
        assert slot in tables
        assert 1 <= table <= tables[slot], f"table {table} outside slot {slot}"
        assert (slot, table) not in used_tables, f"table {table} used twice in {slot}"
        used_tables.add((slot, table))
        per_slot[slot] += 1
        booths = [people[p]["table"] for p in (a, b) if "table" in people[p]]
        if booths:
            assert table in booths, f"{a}/{b} not at a booth table"
        for person in (a, b):
            assert slot in people[person].get("available", slots), f"{person} unavailable in {slot}"
            assert (person, slot) not in busy, f"{person} double-booked in {slot}"
            busy.add((person, slot))
            held[person] = held.get(person, 0) + 1
        fixed = requested[pair].get("fixed")
        if fixed:
            assert (slot, table) == (fixed["slot"], fixed["table"]), "locked meeting moved"
    for slot, count in per_slot.items():
        assert count <= tables[slot]
    for pid, person in people.items():
        if "max_meetings" in person:
            assert held.get(pid, 0) <= person["max_meetings"]
    for m in data["meetings"]:
        if m.get("fixed"):
            assert frozenset((m["a"], m["b"])) in seen, "locked meeting dropped"
    unscheduled = {frozenset((u["a"], u["b"])) for u in result["unscheduled"]}
    assert unscheduled == set(requested) - seen
    objective = sum(requested[p].get("weight", 1) for p in seen)
    assert result["objective"] == pytest.approx(objective)
    assert result["objective"] <= result["bound"] + 1e-6
    assert result["optimal"] == (abs(result["objective"] - result["bound"]) < 1e-6)
    assert result["stats"]["gaps"] == expected_gaps(data, result)


def expected_gaps(data: dict, result: dict) -> int:
    slots = data["slots"]
    total = 0
    for person in data["participants"]:
        mine = [slots.index(r["slot"]) for r in result["scheduled"] if person["id"] in (r["a"], r["b"])]
        if mine:
            available = set(person.get("available", slots))
            total += sum(1 for k in range(min(mine), max(mine) + 1) if slots[k] in available) - len(mine)
    return total


def brute_force_optimum(data: dict) -> float:
    """Best weight over every assignment of meetings to slots (tiny instances only)."""
    problem = parse(data)
    best = 0.0
    choices = [[-1] + problem.allowed[m] if problem.fixed[m] is None else problem.allowed[m]
               for m in range(problem.n_meetings)]
    for assignment in itertools.product(*choices):
        if _feasible(problem, assignment):
            best = max(best, sum(problem.weight[m] for m, s in enumerate(assignment) if s >= 0))
    return best


def _feasible(problem, assignment) -> bool:
    count = [0] * len(problem.pids)
    busy = set()
    for m, s in enumerate(assignment):
        if s < 0:
            continue
        for person in (problem.ma[m], problem.mb[m]):
            if (person, s) in busy:
                return False
            busy.add((person, s))
            count[person] += 1
            if count[person] > problem.cap[person]:
                return False
    for s in range(problem.n_slots):
        here = [m for m, t in enumerate(assignment) if t == s]
        if len(here) > problem.tables[s]:
            return False
        options = [[problem.fixed[m][1]] if problem.fixed[m] else
                   [t for t in problem.booth_opts[m] if t <= problem.tables[s]] or [0] for m in here]
        if not any(len(set(t for t in pick if t)) == sum(1 for t in pick if t)
                   for pick in itertools.product(*options)):
            return False
    return True


# -- random instances -----------------------------------------------------------------------
@st.composite
def instances(draw, max_people: int = 7, max_slots: int = 4, max_meetings: int = 12):
    n_slots = draw(st.integers(1, max_slots))
    slots = [f"s{k}" for k in range(n_slots)]
    if draw(st.booleans()):
        tables = draw(st.integers(0, 3))
    else:
        tables = {s: draw(st.integers(0, 3)) for s in slots}
    n = draw(st.integers(2, max_people))
    people = []
    for i in range(n):
        person = {"id": f"p{i}"}
        if draw(st.booleans()):
            person["available"] = draw(st.lists(st.sampled_from(slots), unique=True))
        if draw(st.integers(0, 4)) == 0:
            person["max_meetings"] = draw(st.integers(0, 3))
        if draw(st.integers(0, 4)) == 0:
            person["table"] = draw(st.integers(1, 3))
        people.append(person)
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=max_meetings))
    meetings = []
    for a, b in chosen:
        a, b = (b, a) if draw(st.booleans()) else (a, b)
        meeting = {"a": f"p{a}", "b": f"p{b}"}
        weight = draw(st.sampled_from([None, 1, 2, 3]))
        if weight is not None:
            meeting["weight"] = weight
        meetings.append(meeting)
    return {"slots": slots, "tables": tables, "participants": people, "meetings": meetings,
            "time_limit": 0.1}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_schedule_random_instances_hold_hard_rules(data):
    result = run(data)
    check_schedule(data, result)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_people=5, max_slots=3, max_meetings=6))
def test_schedule_bound_never_below_true_optimum(data):
    result = run(data)
    optimum = brute_force_optimum(data)
    assert result["objective"] <= optimum + 1e-9
    assert result["bound"] >= optimum - 1e-9


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.randoms(use_true_random=False))
def test_schedule_locked_meetings_stay_and_rest_is_replanned(data, rnd):
    first = run(data)
    if not first["scheduled"]:
        return
    locked = {frozenset((r["a"], r["b"])): r for r in rnd.sample(first["scheduled"], k=max(1, len(first["scheduled"]) // 2))}
    for meeting in data["meetings"]:
        row = locked.get(frozenset((meeting["a"], meeting["b"])))
        if row:
            meeting["fixed"] = {"slot": row["slot"], "table": row["table"]}
    second = run(data)
    check_schedule(data, second)


# -- fixed cases ----------------------------------------------------------------------------
def test_schedule_format_example_is_optimal():
    data = {"slots": ["09:00", "09:20", "09:40"], "tables": 20,
            "participants": [{"id": "p1", "available": ["09:00", "09:40"]}, {"id": "p2"}],
            "meetings": [{"a": "p1", "b": "p2", "weight": 2}], "time_limit": 1}
    result = run(data)
    assert result["scheduled"][0]["slot"] in ("09:00", "09:40")
    assert (result["objective"], result["bound"], result["optimal"]) == (2, 2, True)
    check_schedule(data, result)


def test_schedule_triangle_in_two_slots_is_proven_by_cp_sat():
    # Three people who all want to meet each other need three slots; with two only two
    # meetings fit, while the LP relaxation (half of each meeting in each slot) says 3.
    # The local search stalls below the LP bound, so CP-SAT proves that 2 is the optimum.
    data = {"slots": ["a", "b"], "tables": 5,
            "participants": [{"id": "x"}, {"id": "y"}, {"id": "z"}],
            "meetings": [{"a": "x", "b": "y"}, {"a": "y", "b": "z"}, {"a": "x", "b": "z"}],
            "time_limit": 20}
    result = run(data)
    assert result["objective"] == 2
    assert math.floor(lp_bound(parse(data), time_limit=5) + 1e-6) == 3
    assert (result["bound"], result["optimal"], result["stats"]["bound_kind"]) == (2, True, "cp-sat")
    assert len(result["unscheduled"]) == 1
    assert result["stats"]["gaps_optimal"] is True


def test_schedule_booth_owners_meet_at_one_of_their_booths():
    data = {"slots": ["1", "2"], "tables": 3,
            "participants": [{"id": "x", "table": 2}, {"id": "y", "table": 3}, {"id": "z"}],
            "meetings": [{"a": "x", "b": "y"}, {"a": "x", "b": "z"}, {"a": "y", "b": "z"}],
            "time_limit": 0.5}
    result = run(data)
    check_schedule(data, result)
    assert result["objective"] == 2


def test_schedule_caps_are_held():
    data = {"slots": ["1", "2", "3"], "tables": 9,
            "participants": [{"id": "hub", "max_meetings": 1}, {"id": "a"}, {"id": "b"}],
            "meetings": [{"a": "hub", "b": "a", "weight": 1}, {"a": "hub", "b": "b", "weight": 3}],
            "time_limit": 0.5}
    result = run(data)
    check_schedule(data, result)
    assert result["scheduled"] == [{"a": "hub", "b": "b", "slot": result["scheduled"][0]["slot"], "table": 1}]
    assert result["unscheduled"] == [{"a": "hub", "b": "a", "weight": 1}]
    assert result["optimal"] is True


def test_schedule_gaps_shrink_when_slots_allow():
    # One person with three meetings: they should sit back to back, not spread out.
    data = {"slots": [str(k) for k in range(6)], "tables": 1,
            "participants": [{"id": "h"}, {"id": "a"}, {"id": "b"}, {"id": "c"}],
            "meetings": [{"a": "h", "b": x} for x in "abc"], "time_limit": 0.5}
    result = run(data)
    check_schedule(data, result)
    assert result["stats"]["gaps"] == 0


def test_schedule_generated_instance_beats_first_fit():
    data = brokerage(120, seed=3, time_limit=2)
    result = run(data)
    check_schedule(data, result)
    baseline = State(parse(data))
    first_fit(baseline)
    assert result["objective"] >= baseline.value
    assert result["objective"] >= 0.98 * result["bound"]


def test_schedule_dev_m_close_to_lp_bound(shared_dir):
    data = json.loads((shared_dir / "datasets" / "sched-dev-m.json").read_text())
    data["time_limit"] = 4
    assert math.floor(lp_bound(parse(data), time_limit=60) + 1e-6) == 1525  # as in sched-dev-m.ref.json
    result = run(data)
    check_schedule(data, result)
    assert result["bound"] >= 1525
    assert result["objective"] >= 0.98 * 1525


def test_schedule_reports_progress():
    calls = []
    run(brokerage(60, seed=2, time_limit=0.5), progress=lambda f, msg: calls.append((f, msg)))
    fractions = [f for f, _ in calls]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert all(0.0 <= f <= 1.0 for f in fractions)
    assert fractions == sorted(fractions)
    assert all(isinstance(msg, str) and msg for _, msg in calls)


def test_schedule_same_input_same_objective_when_bound_reached():
    # The idle-gap phase anneals against the clock, so two runs may return different plans
    # of the same (proven) weight; both must be valid.
    data = brokerage(40, seed=5, time_limit=2)
    first, second = run(data), run(data)
    assert first["optimal"] is True and second["optimal"] is True
    assert first["objective"] == second["objective"]
    check_schedule(data, first)
    check_schedule(data, second)


# -- malformed input ------------------------------------------------------------------------
def _base() -> dict:
    return {"slots": ["1", "2"], "tables": 2,
            "participants": [{"id": "x"}, {"id": "y", "table": 1}, {"id": "z", "available": ["1"]}],
            "meetings": [{"a": "x", "b": "y"}]}


def _locked(slot: str, table: int, a: str = "x", b: str = "y") -> dict:
    data = _base()
    data["meetings"] = [{"a": a, "b": b, "fixed": {"slot": slot, "table": table}}]
    return data


MALFORMED = {
    "missing slots": ({k: v for k, v in _base().items() if k != "slots"}, "slots: missing"),
    "missing meetings": ({k: v for k, v in _base().items() if k != "meetings"}, "meetings: missing"),
    "slots not a list": (dict(_base(), slots="1,2"), "slots: expected a list"),
    "tables wrong type": (dict(_base(), tables="2"), "tables: expected"),
    "negative tables": (dict(_base(), tables=-1), "tables: must be at least 0"),
    "tables object misses a slot": (dict(_base(), tables={"1": 2}), "tables.2: missing"),
    "tables object unknown slot": (dict(_base(), tables={"1": 2, "2": 2, "9": 1}), "unknown slot '9'"),
    "duplicate participant": (dict(_base(), participants=[{"id": "x"}, {"id": "x"}, {"id": "y"}]),
                              "duplicate id 'x'"),
    "participant without id": (dict(_base(), participants=[{"available": ["1"]}]), "participants[0].id: missing"),
    "unknown slot in available": (dict(_base(), participants=[{"id": "x", "available": ["7"]}, {"id": "y"}]),
                                  "unknown slot '7'"),
    "dangling meeting id": (dict(_base(), meetings=[{"a": "x", "b": "nobody"}]), "unknown participant 'nobody'"),
    "meeting with oneself": (dict(_base(), meetings=[{"a": "x", "b": "x"}]), "cannot meet themselves"),
    "meeting slots not a list": (dict(_base(), meetings=[{"a": "x", "b": "y", "slots": "1"}]),
                                 "meetings[0].slots: expected a list"),
    "meeting slot unknown": (dict(_base(), meetings=[{"a": "x", "b": "y", "slots": ["1", "9"]}]),
                             "meetings[0].slots[1]: unknown slot '9'"),
    "locked outside own slots": (dict(_base(), meetings=[{"a": "x", "b": "y", "slots": ["2"],
                                                          "fixed": {"slot": "1", "table": 1}}]),
                                 "not one of the meeting's slots"),
    "weight not a number": (dict(_base(), meetings=[{"a": "x", "b": "y", "weight": "high"}]), "weight: expected"),
    "boolean weight": (dict(_base(), meetings=[{"a": "x", "b": "y", "weight": True}]), "weight: expected"),
    "negative cap": (dict(_base(), participants=[{"id": "x", "max_meetings": -1}, {"id": "y"}]),
                     "max_meetings: must be at least 0"),
    "time limit zero": (dict(_base(), time_limit=0), "time_limit: must be positive"),
    "time limit not a number": (dict(_base(), time_limit=float("nan")), "time_limit: must be"),
    "infinite weight": (dict(_base(), meetings=[{"a": "x", "b": "y", "weight": float("inf")}]),
                        "weight: must be a finite number"),
    "meeting not an object": (dict(_base(), meetings=[["x", "y"]]), "meetings[0]: expected an object"),
    "locked in unknown slot": (_locked("9", 1), "unknown slot '9'"),
    "locked at missing table": (_locked("1", 3), "table 3 does not exist"),
    "locked away from booth": (_locked("1", 2), "not the booth table"),
    "locked while unavailable": (_locked("2", 1, "z", "y"), "'z' is not available"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_schedule_malformed_input_is_an_input_error(case):
    data, message = MALFORMED[case]
    with pytest.raises(InputError, match=re.escape(message)):
        run(data)


def test_schedule_locked_double_booking_is_an_input_error():
    data = _base()
    data["meetings"] = [{"a": "x", "b": "y", "fixed": {"slot": "1", "table": 1}},
                        {"a": "x", "b": "z", "fixed": {"slot": "1", "table": 2}}]
    with pytest.raises(InputError, match="'x' already has meetings\\[0\\]"):
        run(data)


def test_schedule_locked_table_taken_twice_is_an_input_error():
    data = _base()
    data["participants"].append({"id": "w"})
    data["meetings"] = [{"a": "x", "b": "y", "fixed": {"slot": "1", "table": 1}},
                        {"a": "z", "b": "w", "fixed": {"slot": "1", "table": 1}}]
    with pytest.raises(InputError, match="already taken"):
        run(data)


def test_schedule_locked_over_cap_is_an_input_error():
    data = _base()
    data["participants"][0]["max_meetings"] = 1
    data["meetings"] = [{"a": "x", "b": "y", "fixed": {"slot": "1", "table": 1}},
                        {"a": "x", "b": "z", "fixed": {"slot": "2", "table": 2}}]
    data["participants"][2]["available"] = ["1", "2"]
    with pytest.raises(InputError, match="exceed max_meetings"):
        run(data)


# -- command line ---------------------------------------------------------------------------
def test_schedule_cli_prints_json(tmp_path):
    path = tmp_path / "in.json"
    path.write_text(json.dumps(dict(_base(), time_limit=0.5)))
    done = subprocess.run([str(MATCHWERK), "schedule", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["objective"] == 1 and result["optimal"] is True
    assert result["scheduled"][0]["table"] == 1  # y's booth


def test_schedule_cli_malformed_exits_2(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(dict(_base(), meetings=[{"a": "x", "b": "ghost"}])))
    done = subprocess.run([str(MATCHWERK), "schedule", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "unknown participant 'ghost'" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_schedule_cli_progress_goes_to_stderr(tmp_path):
    path = tmp_path / "in.json"
    path.write_text(json.dumps(brokerage(30, seed=4, time_limit=0.5)))
    done = subprocess.run([str(MATCHWERK), "schedule", str(path), "--progress"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "100.0 %" in done.stderr
    assert json.loads(done.stdout)["stats"]["meetings"] > 0
