"""Optimisation benchmarks (issue #3): prints one JSON document.

Runs the meeting scheduler on generated brokerage-like instances and the shared
sched-dev-m.json, and table rotation, pairing and event composition, each beside a
baseline run in the same process. Usage: ``python bench/optimise.py [schedule|other]``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import optimise_combinatorial  # noqa: E402
import optimise_schedule  # noqa: E402


def main(argv: list[str]) -> int:
    parts = set(argv) or {"schedule", "other"}
    result: dict = {}
    if "schedule" in parts:
        result["schedule"] = optimise_schedule.run()
    if "other" in parts:
        result.update(optimise_combinatorial.run())
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
