"""Every engine verb refuses absurd numbers and deep nesting with exit status 2, one line on
standard error and nothing on standard output (issue 8: 12 of 837 malformed inputs crashed)."""

from __future__ import annotations

import copy
import json

import pytest

from matchwerk import cli
from matchwerk.engine import inputs

VALID = {
    "rank": {"organisations": [{"id": "a", "kind": "sme", "name": "A", "needs": ["Online-Buchung"]},
                               {"id": "b", "kind": "startup", "name": "B", "offers": ["Buchungssystem"]}]},
    "schedule": {"participants": [{"id": "p1"}, {"id": "p2"}], "meetings": [{"id": "m1", "a": "p1", "b": "p2"}],
                 "slots": ["09:00", "09:20"], "tables": 2, "time_limit": 1},
    "rotate": {"participants": ["p1", "p2", "p3", "p4"], "table_size": 2, "rounds": 2, "time_limit": 1},
    "pair": {"left": [{"id": "c1"}], "right": [{"id": "f1"}],
             "scores": [{"left": "c1", "right": "f1", "score": 0.7}]},
    "compose": {"participants": [{"id": "s1", "kind": "startup"}, {"id": "f1", "kind": "sme"}],
                "affinity": [{"a": "s1", "b": "f1", "score": 0.6}],
                "events": [{"id": "e1", "size": {"startup": [0, 1], "sme": [0, 1]}}], "time_limit": 1},
}


def _with(verb: str, path: list, literal: str) -> str:
    """The valid document of ``verb`` with the value at ``path`` replaced by a raw JSON literal."""
    data = copy.deepcopy(VALID[verb])
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = "@@"
    return json.dumps(data).replace('"@@"', literal)


def _nested(depth: int) -> str:
    return '{"organisations": ' + "[" * depth + "]" * depth + "}"


CASES = [
    # the twelve crashes of the issue
    *[(verb, _nested(100_000)) for verb in VALID],                     # RecursionError in every verb
    ("schedule", _with("schedule", ["time_limit"], "1e30")),           # native crash (exit 134)
    ("rotate", _with("rotate", ["rounds"], "1" + "0" * 30)),           # rounds 1e30
    ("rotate", _with("rotate", ["time_limit"], "NaN")),                # ran until killed
    ("rotate", _with("rotate", ["time_limit"], "Infinity")),
    ("rotate", _with("rotate", ["time_limit"], "1e30")),
    ("pair", _with("pair", ["scores", 0, "score"], "1e30")),           # overflow in the scaling
    ("schedule", _with("schedule", ["time_limit"], "-Infinity")),
    # more absurd numbers
    ("schedule", _with("schedule", ["time_limit"], "-1")),
    ("schedule", _with("schedule", ["tables"], "1" + "0" * 30)),
    ("schedule", _with("schedule", ["time_limit"], "1" + "0" * 5000)),  # beyond int() of 4,300 digits
    ("rotate", _with("rotate", ["table_size"], "1000000000")),
    ("rank", _with("rank", ["top"], "1" + "0" * 30)),
    ("pair", _with("pair", ["left", 0, "capacity"], "1" + "0" * 20)),
    ("pair", _with("pair", ["scores", 0, "score"], "1e400")),
    ("compose", _with("compose", ["time_limit"], "1e30")),
    ("compose", _with("compose", ["affinity", 0, "score"], "-1e30")),
    ("compose", _with("compose", ["events", 0, "size", "sme"], "[0, 1e30]")),
]


@pytest.mark.parametrize("verb, text", CASES, ids=[f"{verb}-{i}" for i, (verb, _) in enumerate(CASES)])
def test_absurd_input_exits_2_with_one_line(verb, text, tmp_path, capsys):
    path = tmp_path / "input.json"
    path.write_text(text, encoding="utf-8")
    assert cli.main([verb, str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("error: ") and err.count("\n") == 1, err


@pytest.mark.parametrize("verb", sorted(VALID))
def test_the_valid_documents_still_run(verb, tmp_path, capsys):
    path = tmp_path / "input.json"
    path.write_text(json.dumps(VALID[verb]), encoding="utf-8")
    assert cli.main([verb, str(path)]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)


def test_python_callers_get_the_same_checks():
    with pytest.raises(inputs.InputError, match="finite"):
        inputs.number({"time_limit": float("nan")}, "time_limit", "")
    with pytest.raises(inputs.InputError, match="at most 86400"):
        inputs.number({"time_limit": 1e30}, "time_limit", "")
    assert inputs.integer({}, "max_meetings", "", 10**9) == 10**9   # defaults are the caller's business
    assert inputs.loads('{"a": [[[1]]]}') == {"a": [[[1]]]}
    with pytest.raises(inputs.InputError, match="nested deeper"):
        inputs.loads("[" * (inputs.MAX_DEPTH + 1) + "]" * (inputs.MAX_DEPTH + 1))
