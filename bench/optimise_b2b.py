"""B2B meeting-scheduling benchmark (issue #14): ``matchwerk schedule`` on published instances.

The instances are the 8 dev instances of Bofill et al., "Constraint solving approaches to the
business-to-business meeting scheduling problem" (JAIR 74, 2022), in FORMATS.md form under
../shared/datasets/b2b/, each with ``<name>.ref.json`` holding the paper's proven optimum of
breaks. Every requested meeting must be held; quality is the number of breaks (per
participant, the maximal runs of slots without a meeting between their first and last
meeting, summed). Breaks, gaps and meetings are recomputed here from the output, not read
from the scheduler's stats.

Usage: ``python bench/optimise_b2b.py [NAME ...] [--time-limit 30]`` prints JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def _datasets() -> Path:
    """../shared/datasets beside the repository (also from a git worktree one level deeper)."""
    here = Path(__file__).resolve()
    for parent in here.parents[1:4]:
        if (parent / "shared" / "datasets").is_dir():
            return parent / "shared" / "datasets"
    return here.parents[2] / "shared" / "datasets"


B2B = _datasets() / "b2b"
DEV = ["tic-12", "tic-13", "tic-13crafc", "tic-14crafa", "ticf-13crafa", "forumt-14",
       "forumt-14crafe", "forum-13crafb"]


def idle_figures(data: dict, result: dict) -> dict:
    """Breaks, max breaks per person and gaps of ``result``, recomputed from the plan."""
    slots = data["slots"]
    index = {s: k for k, s in enumerate(slots)}
    busy: dict[str, set[int]] = {}
    for row in result["scheduled"]:
        for person in (row["a"], row["b"]):
            busy.setdefault(person, set()).add(index[row["slot"]])
    breaks = max_breaks = gaps = 0
    for person in data["participants"]:
        mine = busy.get(person["id"])
        if not mine:
            continue
        available = set(index[s] for s in person.get("available", slots))
        first, last = min(mine), max(mine)
        runs = sum(1 for k in range(first + 1, last + 1) if k not in mine and k - 1 in mine)
        breaks += runs
        max_breaks = max(max_breaks, runs)
        gaps += sum(1 for k in range(first, last + 1) if k not in mine and k in available)
    return {"breaks": breaks, "max_breaks": max_breaks, "gaps": gaps}


def measure(name: str, schedule_run, time_limit: float, idle_first: str | None = None) -> dict:
    data = json.loads((B2B / f"{name}.json").read_text(encoding="utf-8"))
    ref = json.loads((B2B / f"{name}.ref.json").read_text(encoding="utf-8"))
    data["time_limit"] = time_limit
    if idle_first:
        data["idle_first"] = idle_first
    started = time.monotonic()
    try:
        result = schedule_run(data)
    except Exception as exc:  # the old scheduler rejects repeated pairs
        return {"instance": name, "error": f"{type(exc).__name__}: {exc}",
                "seconds": round(time.monotonic() - started, 2)}
    wall = time.monotonic() - started
    stats = result.get("stats", {})
    figures = {
        "instance": name,
        "meetings": len(data["meetings"]),
        "scheduled": len(result["scheduled"]),
        **idle_figures(data, result),
        "published_breaks_optimum": ref["published_breaks_optimum"],
        "seconds": round(wall, 2),
    }
    for key in ("gaps_bound", "breaks_bound", "gaps_optimal", "breaks_optimal"):
        if key in stats:
            figures[key] = stats[key]
    figures["at_optimum"] = (figures["scheduled"] == figures["meetings"]
                             and figures["breaks"] <= ref["published_breaks_optimum"])
    return figures


def run(names: list[str] | None = None, time_limit: float = 30.0, schedule_run=None,
        idle_first: str | None = None) -> dict:
    if schedule_run is None:
        from matchwerk.engine.schedule import run as schedule_run
    names = names or [n for n in DEV if (B2B / f"{n}.json").is_file()]
    rows = {name: measure(name, schedule_run, time_limit, idle_first) for name in names}
    done = [r for r in rows.values() if "error" not in r]
    return {"time_limit": time_limit, "idle_first": idle_first or "gaps", "instances": rows,
            "summed_breaks": sum(r["breaks"] for r in done),
            "summed_published_optimum": sum(r["published_breaks_optimum"] for r in done),
            "at_optimum": sum(bool(r["at_optimum"]) for r in done)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("names", nargs="*")
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--idle-first", choices=("gaps", "breaks"))
    args = parser.parse_args()
    json.dump(run(args.names or None, args.time_limit, idle_first=args.idle_first), sys.stdout, indent=2)
    sys.stdout.write("\n")
