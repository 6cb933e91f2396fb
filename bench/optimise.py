"""Optimisation benchmarks (issues #3 and #14): prints one JSON document.

- ``schedule``: the meeting scheduler on generated brokerage-like instances and the shared
  sched-dev-m.json, beside first-fit greedy in the same process (bench/optimise_schedule.py);
- ``b2b``: the 8 dev instances of the B2B meeting-scheduling benchmark (Bofill et al., JAIR
  2022) beside the paper's proven optimum of breaks and beside the result of the code on
  main before issue #14 (bench/optimise_b2b.py);
- ``golfers``: table rotation on Social Golfer instances with published solutions without
  repeats, beside that reference and the code before issue #14 (bench/optimise_golfers.py);
- ``other``: rotation, pairing and composition beside their baselines
  (bench/optimise_combinatorial.py).

"Before" figures come from one run of commit 59f3fa0 (the code on main when issue #14 was
started) on this machine, kept in bench/reference/; for the golfers also from one run of
070de19 (main just before rotate's general method replaced its 32-in-fours construction). Usage:
``python bench/optimise.py [schedule] [b2b] [golfers] [other]`` (default: all).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import optimise_b2b  # noqa: E402
import optimise_combinatorial  # noqa: E402
import optimise_golfers  # noqa: E402
import optimise_schedule  # noqa: E402

BEFORE = "59f3fa0"
GOLFERS_BEFORE = "070de19"


def _before(family: str) -> dict:
    path = HERE / "reference" / f"{family}-main-{BEFORE}.json"
    return json.loads(path.read_text(encoding="utf-8"))["instances"] if path.is_file() else {}


def b2b() -> dict:
    # The published optimum counts breaks, so the second phase lowers breaks first here.
    result = optimise_b2b.run(idle_first="breaks")
    before = _before("b2b")
    for name, row in result["instances"].items():
        old = before.get(name, {})
        row["before"] = ({"error": old["error"]} if "error" in old else
                         {k: old.get(k) for k in ("scheduled", "breaks", "gaps", "seconds")})
    return result


def golfers() -> dict:
    result = optimise_golfers.run()
    before = _before("golfers")
    # the code on main just before rotate lost its special case (one run, bench/reference/)
    path = HERE / "reference" / f"golfers-main-{GOLFERS_BEFORE}.json"
    today = json.loads(path.read_text(encoding="utf-8"))["instances"] if path.is_file() else {}
    for name, row in result["instances"].items():
        row["before"] = {k: today.get(name, {}).get(k) for k in ("repeats", "seconds")}
        row["before_issue_14"] = {k: before.get(name, {}).get(k) for k in ("repeats", "seconds")}
    return result


def main(argv: list[str]) -> int:
    parts = set(argv) or {"schedule", "b2b", "golfers", "other"}
    result: dict = {}
    if "schedule" in parts:
        result["schedule"] = optimise_schedule.run()
    if "b2b" in parts:
        result["b2b"] = b2b()
    if "golfers" in parts:
        result["golfers"] = golfers()
    if "other" in parts:
        result.update(optimise_combinatorial.run())
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
