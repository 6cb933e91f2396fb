"""``matchwerk schedule`` with per-meeting ``slots``, pairs listed more than once, and the
idle-gap phase (issue #14): hard rules on random instances, known gap optima, breaks."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchwerk.engine.schedule import run


def check_listings(data: dict, result: dict) -> None:
    """FORMATS.md's hard rules where a pair may be listed more than once and a listing may
    name its own slots: nobody is double-booked, each row is one listing (each listing at
    most once) held in one of its allowed slots, and stats agree with the plan."""
    slots = data["slots"]
    raw = data["tables"]
    tables = {s: raw if isinstance(raw, int) else raw[s] for s in slots}
    people = {p["id"]: p for p in data["participants"]}
    busy, used = set(), set()
    rows_of: dict[frozenset, list[dict]] = {}
    for row in result["scheduled"]:
        a, b, slot, table = row["a"], row["b"], row["slot"], row["table"]
        assert 1 <= table <= tables[slot]
        assert (slot, table) not in used, f"table {table} used twice in {slot}"
        used.add((slot, table))
        for person in (a, b):
            assert slot in people[person].get("available", slots), f"{person} unavailable in {slot}"
            assert (person, slot) not in busy, f"{person} double-booked in {slot}"
            busy.add((person, slot))
        rows_of.setdefault(frozenset((a, b)), []).append(row)
    listings: dict[frozenset, list[dict]] = {}
    for meeting in data["meetings"]:
        listings.setdefault(frozenset((meeting["a"], meeting["b"])), []).append(meeting)
    unscheduled: dict[frozenset, int] = {}
    for row in result["unscheduled"]:
        pair = frozenset((row["a"], row["b"]))
        unscheduled[pair] = unscheduled.get(pair, 0) + 1
    for pair, rows in rows_of.items():
        assert pair in listings, f"unrequested pair {sorted(pair)}"
        # every row needs its own listing that allows its slot (a bipartite matching)
        assert _matched(rows, listings[pair], slots) == len(rows), f"pair {sorted(pair)}: rows without a listing"
    for pair, lst in listings.items():
        assert len(rows_of.get(pair, [])) + unscheduled.get(pair, 0) == len(lst)
    assert result["objective"] <= result["bound"] + 1e-6
    stats = result["stats"]
    index = {s: k for k, s in enumerate(slots)}
    gaps = breaks = worst = 0
    for pid, person in people.items():
        mine = sorted(index[s] for (q, s) in busy if q == pid)
        if not mine:
            continue
        free = [k for k in range(mine[0], mine[-1] + 1) if k not in mine]
        gaps += sum(1 for k in free if slots[k] in person.get("available", slots))
        runs = sum(1 for k in free if k - 1 in mine)
        breaks += runs
        worst = max(worst, runs)
    assert (stats["gaps"], stats["breaks"], stats["max_breaks"]) == (gaps, breaks, worst)
    assert stats.get("gaps_bound", 0) <= stats["gaps"]
    assert stats.get("breaks_bound", 0) <= stats["breaks"]
    if stats["gaps_optimal"] and "gaps_bound" in stats:
        assert result["optimal"] and stats["gaps_bound"] == stats["gaps"]
    if stats["breaks_optimal"] and "breaks_bound" in stats:
        assert result["optimal"] and stats["breaks_bound"] == stats["breaks"]


def _matched(rows: list[dict], listings: list[dict], slots: list[str]) -> int:
    owner: dict[int, int] = {}

    def augment(r: int, seen: set[int]) -> bool:
        for j, listing in enumerate(listings):
            if j in seen or rows[r]["slot"] not in listing.get("slots", slots):
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = r
                return True
        return False

    return sum(augment(r, set()) for r in range(len(rows)))


@st.composite
def listing_instances(draw):
    n_slots = draw(st.integers(1, 5))
    slots = [f"s{k}" for k in range(n_slots)]
    tables = draw(st.integers(1, 3))
    n = draw(st.integers(2, 6))
    people = []
    for i in range(n):
        person = {"id": f"p{i}"}
        if draw(st.integers(0, 3)) == 0:
            person["available"] = draw(st.lists(st.sampled_from(slots), unique=True))
        people.append(person)
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), max_size=12))  # repeats allowed
    meetings = []
    for a, b in chosen:
        meeting = {"a": f"p{a}", "b": f"p{b}", "weight": draw(st.sampled_from([1, 2]))}
        if draw(st.booleans()):
            meeting["slots"] = draw(st.lists(st.sampled_from(slots), unique=True))
        meetings.append(meeting)
    return {"slots": slots, "tables": tables, "participants": people, "meetings": meetings,
            "time_limit": 0.2}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(listing_instances())
def test_schedule_meeting_slots_and_repeated_pairs_hold_hard_rules(data):
    check_listings(data, run(data))


def test_schedule_repeated_pair_is_held_twice_in_different_slots():
    data = {"slots": ["1", "2", "3"], "tables": 4,
            "participants": [{"id": "firm"}, {"id": "lab"}],
            "meetings": [{"a": "firm", "b": "lab"}, {"a": "lab", "b": "firm", "weight": 2}],
            "time_limit": 5}
    result = run(data)
    check_listings(data, result)
    assert len(result["scheduled"]) == 2
    assert result["scheduled"][0]["slot"] != result["scheduled"][1]["slot"]
    assert (result["objective"], result["optimal"]) == (3, True)
    assert (result["stats"]["gaps"], result["stats"]["gaps_optimal"]) == (0, True)


def test_schedule_meeting_slots_keep_a_morning_meeting_in_the_morning():
    slots = ["09:00", "09:20", "14:00", "14:20"]
    data = {"slots": slots, "tables": 1,
            "participants": [{"id": "a"}, {"id": "b"}, {"id": "c"}],
            "meetings": [{"a": "a", "b": "b", "slots": ["09:00", "09:20"]},
                         {"a": "a", "b": "c", "slots": ["09:00"]},
                         {"a": "b", "b": "c", "slots": ["14:20"]}],
            "time_limit": 5}
    result = run(data)
    check_listings(data, result)
    where = {(r["a"], r["b"]): r["slot"] for r in result["scheduled"]}
    assert where == {("a", "b"): "09:20", ("a", "c"): "09:00", ("b", "c"): "14:20"}
    # idle: b at 14:00 (between 09:20 and 14:20), c at 09:20 and 14:00 (one run)
    assert (result["stats"]["gaps"], result["stats"]["breaks"], result["stats"]["max_breaks"]) == (3, 2, 1)
    assert result["stats"]["gaps_optimal"] is True


def test_schedule_known_gap_optimum_is_reached_and_proven():
    # The hub meets five people; "early" can only come at slot 0 and "late" only at slot 6,
    # so the hub's day spans all 7 slots with 5 meetings: at least 2 idle gaps. 2 are enough:
    # hub 0 early, 1 m1, 2 m2, 3 m3, 6 late; x 2 m1, 3 m2, 4 m3 (m1, m2, m3 back to back).
    slots = [str(k) for k in range(7)]
    data = {"slots": slots, "tables": 2,
            "participants": [{"id": "hub"}, {"id": "early", "available": ["0"]},
                             {"id": "late", "available": ["6"]}, {"id": "x"},
                             {"id": "m1"}, {"id": "m2"}, {"id": "m3"}],
            "meetings": [{"a": "hub", "b": "early"}, {"a": "hub", "b": "late"},
                         {"a": "hub", "b": "m1"}, {"a": "hub", "b": "m2"}, {"a": "hub", "b": "m3"},
                         {"a": "x", "b": "m1"}, {"a": "x", "b": "m2"}, {"a": "x", "b": "m3"}],
            "time_limit": 20}
    result = run(data)
    check_listings(data, result)
    assert result["optimal"] is True
    assert result["stats"]["gaps"] == 2
    assert result["stats"]["gaps_optimal"] is True
    assert result["stats"]["gaps_bound"] == 2


def _hub_instance() -> dict:
    slots = [str(k) for k in range(7)]
    return {"slots": slots, "tables": 2,
            "participants": [{"id": "hub"}, {"id": "early", "available": ["0"]},
                             {"id": "late", "available": ["6"]}, {"id": "x"},
                             {"id": "m1"}, {"id": "m2"}, {"id": "m3"}],
            "meetings": [{"a": "hub", "b": "early"}, {"a": "hub", "b": "late"},
                         {"a": "hub", "b": "m1"}, {"a": "hub", "b": "m2"}, {"a": "hub", "b": "m3"},
                         {"a": "x", "b": "m1"}, {"a": "x", "b": "m2"}, {"a": "x", "b": "m3"}],
            "time_limit": 20}


def test_schedule_breaks_first_reaches_and_proves_the_break_optimum():
    # The hub's day runs from slot 0 to 6 with 5 meetings: at least one break, and one
    # break (its two idle slots side by side) is possible while nobody else is idle.
    data = dict(_hub_instance(), idle_first="breaks", fair_breaks=True)
    result = run(data)
    check_listings(data, result)
    stats = result["stats"]
    assert (stats["breaks"], stats["max_breaks"], stats["gaps"]) == (1, 1, 2)
    assert stats["breaks_optimal"] is True and stats["breaks_bound"] == 1


def test_schedule_idle_options_are_checked():
    import pytest

    from matchwerk.engine.inputs import InputError

    with pytest.raises(InputError, match="idle_first: must be 'gaps' or 'breaks'"):
        run(dict(_hub_instance(), idle_first="holes"))
    with pytest.raises(InputError, match="fair_breaks: expected"):
        run(dict(_hub_instance(), fair_breaks="yes"))
