"""`matchwerk compose`: fill events under per-kind size bounds, maximising affinity inside."""

import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchwerk.engine import compose
from matchwerk.engine.inputs import InputError

MATCHWERK = str(Path(sys.executable).with_name("matchwerk"))
KINDS = ["startup", "sme", "research"]


def objective_of(data, events):
    score = {}
    for a in data["affinity"]:
        score[frozenset((a["a"], a["b"]))] = a["score"]
    return sum(score.get(frozenset(pair), 0.0)
               for members in events.values() for pair in itertools.combinations(members, 2))


def check_rules(data, result):
    kind = {p["id"]: p["kind"] for p in data["participants"]}
    seated = [p for members in result["events"].values() for p in members]
    assert len(seated) == len(set(seated))
    assert sorted(seated + result["unassigned"]) == sorted(kind)
    for event in data["events"]:
        members = result["events"][event["id"]]
        if not members:
            continue
        for k in {kind[p] for p in members}:
            assert k in event["size"], f"{k} may not attend {event['id']}"
        for k, (lo, hi) in event["size"].items():
            assert lo <= sum(kind[p] == k for p in members) <= hi


@st.composite
def instances(draw):
    n = draw(st.integers(0, 14))
    participants = [{"id": f"p{i}", "kind": draw(st.sampled_from(KINDS))} for i in range(n)]
    pairs = list(itertools.combinations(range(n), 2))
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=40)) if pairs else []
    affinity = [{"a": f"p{i}", "b": f"p{j}", "score": draw(st.integers(-200, 1000)) / 1000}
                for i, j in chosen]
    events = []
    for e in range(draw(st.integers(0, 3))):
        size = {}
        for k in draw(st.lists(st.sampled_from(KINDS), unique=True, min_size=1, max_size=3)):
            lo = draw(st.integers(0, 2))
            size[k] = [lo, lo + draw(st.integers(0, 3))]
        events.append({"id": f"e{e}", "size": size})
    return {"participants": participants, "affinity": affinity, "events": events,
            "time_limit": 0.05}


@settings(max_examples=40, deadline=None)
@given(instances())
def test_compose_holds_bounds_and_reports_a_valid_bound(data):
    result = compose.run(data)
    check_rules(data, result)
    assert result["objective"] == pytest.approx(objective_of(data, result["events"]), abs=1e-6)
    assert result["bound"] >= result["objective"] - 1e-9
    assert 0 <= result["gap"] <= 1


def brute_force(data):
    """Optimum by trying every assignment of people to events or nobody."""
    ids = [p["id"] for p in data["participants"]]
    places = [None] + [e["id"] for e in data["events"]]
    best = 0.0
    for choice in itertools.product(places, repeat=len(ids)):
        events = {e["id"]: [p for p, c in zip(ids, choice) if c == e["id"]] for e in data["events"]}
        try:
            check_rules(data, {"events": events, "unassigned": [p for p, c in zip(ids, choice) if c is None]})
        except AssertionError:
            continue
        best = max(best, objective_of(data, events))
    return best


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000))
def test_compose_bound_is_at_least_the_brute_force_optimum(seed):
    import random

    rng = random.Random(seed)
    participants = [{"id": f"p{i}", "kind": rng.choice(["startup", "sme"])} for i in range(6)]
    affinity = [{"a": f"p{i}", "b": f"p{j}", "score": rng.randint(-2, 10) / 10}
                for i, j in itertools.combinations(range(6), 2) if rng.random() < 0.7]
    events = [{"id": "e1", "size": {"startup": [1, 2], "sme": [1, 2]}},
              {"id": "e2", "size": {"startup": [0, 1], "sme": [1, 3]}}]
    data = {"participants": participants, "affinity": affinity, "events": events, "time_limit": 0.2}
    result = compose.run(data)
    optimum = brute_force(data)
    assert result["objective"] <= optimum + 1e-9
    assert result["bound"] >= optimum - 1e-9


def test_compose_fills_two_events_with_their_best_groups():
    people = [{"id": f"s{i}", "kind": "startup"} for i in range(4)] + \
             [{"id": f"f{i}", "kind": "sme"} for i in range(4)]
    # two natural groups: {s0, s1, f0, f1} and {s2, s3, f2, f3}
    affinity = [{"a": a, "b": b, "score": 1.0}
                for group in (["s0", "s1", "f0", "f1"], ["s2", "s3", "f2", "f3"])
                for a, b in itertools.combinations(group, 2)]
    events = [{"id": "e1", "size": {"startup": [2, 2], "sme": [2, 2]}},
              {"id": "e2", "size": {"startup": [2, 2], "sme": [2, 2]}}]
    result = compose.run({"participants": people, "affinity": affinity, "events": events,
                          "time_limit": 2})
    groups = sorted(sorted(m) for m in result["events"].values())
    assert groups == [["f0", "f1", "s0", "s1"], ["f2", "f3", "s2", "s3"]]
    assert result["objective"] == pytest.approx(12.0)
    assert result["bound"] == pytest.approx(12.0, abs=1e-5)
    assert result["gap"] == pytest.approx(0.0, abs=1e-6)


def test_compose_leaves_an_event_empty_when_its_minimum_cannot_be_met():
    data = {"participants": [{"id": "s1", "kind": "startup"}, {"id": "f1", "kind": "sme"}],
            "affinity": [{"a": "s1", "b": "f1", "score": 0.6}],
            "events": [{"id": "e1", "size": {"startup": [2, 3], "sme": [7, 10]}}]}
    result = compose.run(data)
    assert result["events"] == {"e1": []}
    assert sorted(result["unassigned"]) == ["f1", "s1"]
    assert result["objective"] == 0


def test_compose_keeps_unlisted_kinds_out():
    data = {"participants": [{"id": "s1", "kind": "startup"}, {"id": "r1", "kind": "research"},
                             {"id": "f1", "kind": "sme"}],
            "affinity": [{"a": "s1", "b": "r1", "score": 5}, {"a": "s1", "b": "f1", "score": 1}],
            "events": [{"id": "e1", "size": {"startup": [1, 1], "sme": [0, 2]}}]}
    result = compose.run(data)
    assert sorted(result["events"]["e1"]) == ["f1", "s1"]
    assert result["unassigned"] == ["r1"]


@pytest.mark.parametrize("data, message", [
    ({"affinity": [], "events": []}, "participants: missing"),
    ({"participants": [{"id": "a"}], "events": []}, "participants[0].kind: missing"),
    ({"participants": [{"id": "a", "kind": "sme"}], "affinity": [{"a": "a", "b": "x", "score": 1}],
      "events": []}, "affinity[0].b: unknown participant 'x'"),
    ({"participants": [{"id": "a", "kind": "sme"}], "events": [{"id": "e", "size": {"sme": [3, 2]}}]},
     "need 0 ≤ minimum ≤ maximum"),
    ({"participants": [], "events": [{"id": "e", "size": {"sme": 3}}]}, "events[0].size.sme"),
    ({"participants": [], "events": [{"id": "e", "size": {}}, {"id": "e", "size": {}}]},
     "duplicate id 'e'"),
    ({"participants": [{"id": "a", "kind": "sme"}, {"id": "b", "kind": "sme"}],
      "affinity": [{"a": "a", "b": "b", "score": 1}, {"a": "b", "b": "a", "score": 1}], "events": []},
     "duplicate pair"),
])
def test_compose_malformed_input_raises(data, message):
    with pytest.raises(InputError) as error:
        compose.run(data)
    assert message in str(error.value)


def test_compose_cli_prints_json(tmp_path):
    path = tmp_path / "compose.json"
    path.write_text(json.dumps({
        "participants": [{"id": "s1", "kind": "startup"}, {"id": "f1", "kind": "sme"}],
        "affinity": [{"a": "s1", "b": "f1", "score": 0.6}],
        "events": [{"id": "e1", "size": {"startup": [1, 3], "sme": [1, 10]}}]}))
    done = subprocess.run([MATCHWERK, "compose", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert sorted(result["events"]["e1"]) == ["f1", "s1"]
    assert result["objective"] == pytest.approx(0.6)
    assert result["bound"] == pytest.approx(0.6, abs=1e-5)


def test_compose_cli_malformed_exits_2(tmp_path):
    path = tmp_path / "compose.json"
    path.write_text(json.dumps({"participants": [{"id": "s1", "kind": "startup"}], "events": "e1"}))
    done = subprocess.run([MATCHWERK, "compose", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "events: expected a list" in done.stderr
