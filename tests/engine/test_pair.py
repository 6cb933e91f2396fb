"""`matchwerk pair`: exact maximum-score pairs under capacities and a pair budget."""

import itertools
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchwerk.engine import pair
from matchwerk.engine.inputs import InputError

MATCHWERK = str(Path(sys.executable).with_name("matchwerk"))


def brute_force(data: dict) -> float:
    """Best total over every subset of the listed pairs that respects the rules."""
    caps = {("l", s["id"]): s.get("capacity", 1) for s in data["left"]}
    caps.update({("r", s["id"]): s.get("capacity", 1) for s in data["right"]})
    limit = data.get("max_pairs")
    best = 0.0
    scores = data["scores"]
    for size in range(len(scores) + 1):
        if limit is not None and size > limit:
            break
        for chosen in itertools.combinations(scores, size):
            used: dict = {}
            for s in chosen:
                used[("l", s["left"])] = used.get(("l", s["left"]), 0) + 1
                used[("r", s["right"])] = used.get(("r", s["right"]), 0) + 1
            if all(count <= caps[key] for key, count in used.items()):
                best = max(best, math.fsum(s["score"] for s in chosen))
    return best


@st.composite
def instances(draw):
    n_left = draw(st.integers(1, 4))
    n_right = draw(st.integers(1, 4))
    left = [{"id": f"l{i}", "capacity": draw(st.integers(0, 2))} for i in range(n_left)]
    right = [{"id": f"r{j}", "capacity": draw(st.integers(0, 2))} for j in range(n_right)]
    cells = [(i, j) for i in range(n_left) for j in range(n_right)]
    chosen = draw(st.lists(st.sampled_from(cells), unique=True, max_size=9))
    scores = [{"left": f"l{i}", "right": f"r{j}",
               "score": draw(st.integers(-300, 1000)) / 1000} for i, j in chosen]
    data = {"left": left, "right": right, "scores": scores}
    if draw(st.booleans()):
        data["max_pairs"] = draw(st.integers(0, 5))
    return data


@settings(max_examples=60, deadline=None)
@given(instances())
def test_pair_equals_brute_force_on_small_instances(data):
    result = pair.run(data)
    caps = {s["id"]: s["capacity"] for s in data["left"] + data["right"]}
    used: dict = {}
    allowed = {(s["left"], s["right"]): s["score"] for s in data["scores"]}
    for p in result["pairs"]:
        assert allowed[(p["left"], p["right"])] == p["score"]
        used[p["left"]] = used.get(p["left"], 0) + 1
        used[p["right"]] = used.get(p["right"], 0) + 1
    assert all(count <= caps[key] for key, count in used.items())
    assert len({(p["left"], p["right"]) for p in result["pairs"]}) == len(result["pairs"])
    if "max_pairs" in data:
        assert len(result["pairs"]) <= data["max_pairs"]
    assert result["optimal"] is True
    assert result["total"] == pytest.approx(brute_force(data), abs=1e-9)


def test_pair_respects_max_pairs_and_takes_the_best():
    data = {"left": [{"id": "c1"}, {"id": "c2"}, {"id": "c3"}],
            "right": [{"id": "f1"}, {"id": "f2"}, {"id": "f3"}],
            "scores": [{"left": "c1", "right": "f1", "score": 0.9},
                       {"left": "c2", "right": "f2", "score": 0.5},
                       {"left": "c3", "right": "f3", "score": 0.7}],
            "max_pairs": 2}
    result = pair.run(data)
    assert [(p["left"], p["right"]) for p in result["pairs"]] == [("c1", "f1"), ("c3", "f3")]
    assert result["total"] == pytest.approx(1.6)


def test_pair_prefers_two_pairs_over_one_better_pair():
    data = {"left": [{"id": "a"}, {"id": "b"}], "right": [{"id": "x"}, {"id": "y"}],
            "scores": [{"left": "a", "right": "x", "score": 1.0},
                       {"left": "a", "right": "y", "score": 0.8},
                       {"left": "b", "right": "x", "score": 0.8}]}
    result = pair.run(data)
    assert result["total"] == pytest.approx(1.6)


def test_pair_ignores_negative_scores_and_zero_capacity():
    data = {"left": [{"id": "a", "capacity": 0}, {"id": "b"}], "right": [{"id": "x", "capacity": 3}],
            "scores": [{"left": "a", "right": "x", "score": 5},
                       {"left": "b", "right": "x", "score": -1}]}
    assert pair.run(data) == {"pairs": [], "total": 0.0, "optimal": True}


def test_pair_scaling_is_exact_for_nine_decimals():
    problem = pair.parse({"left": [{"id": "a"}, {"id": "b"}], "right": [{"id": "x"}],
                          "scores": [{"left": "a", "right": "x", "score": 0.123456789},
                                     {"left": "b", "right": "x", "score": 0.123456788}]})
    result = pair.solve(problem)
    assert result.exact_scaling and result.scale == 10**9
    assert [p.left for p in result.pairs] == ["a"]


@pytest.mark.parametrize("data, message", [
    ({"right": [], "scores": []}, "left: missing"),
    ({"left": [{"id": "a"}, {"id": "a"}], "right": [], "scores": []}, "duplicate id 'a'"),
    ({"left": [{"id": "a"}], "right": [{"id": "x"}],
      "scores": [{"left": "a", "right": "y", "score": 1}]}, "unknown right id 'y'"),
    ({"left": [{"id": "a"}], "right": [{"id": "x"}],
      "scores": [{"left": "a", "right": "x", "score": "hoch"}]}, "scores[0].score: expected"),
    ({"left": [{"id": "a", "capacity": -1}], "right": [], "scores": []}, "capacity: must be at least 0"),
    ({"left": [{"id": "a"}], "right": [{"id": "x"}], "scores": [
        {"left": "a", "right": "x", "score": 1}, {"left": "a", "right": "x", "score": 2}]},
     "duplicate pair"),
    ({"left": [], "right": [], "scores": [], "max_pairs": 1.5}, "max_pairs: expected an integer"),
])
def test_pair_malformed_input_raises(data, message):
    with pytest.raises(InputError) as error:
        pair.run(data)
    assert message in str(error.value)


def test_pair_cli_prints_json(tmp_path):
    path = tmp_path / "pair.json"
    path.write_text(json.dumps({"left": [{"id": "c1"}], "right": [{"id": "f1"}],
                                "scores": [{"left": "c1", "right": "f1", "score": 0.7}],
                                "max_pairs": 30}))
    done = subprocess.run([MATCHWERK, "pair", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"pairs": [{"left": "c1", "right": "f1", "score": 0.7}],
                                       "total": 0.7, "optimal": True}


def test_pair_cli_malformed_exits_2(tmp_path):
    path = tmp_path / "pair.json"
    path.write_text(json.dumps({"left": [{"id": "c1"}], "right": [],
                                "scores": [{"left": "c1", "right": "nope", "score": 1}]}))
    done = subprocess.run([MATCHWERK, "pair", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "unknown right id 'nope'" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
