"""Social Golfer benchmark (issue #14): ``matchwerk rotate`` on instances g-s-w (g tables
of s people, w rounds) for which schedules without any repeat are published (CSPLib
prob010; Warwick Harvey's table of solved instances; Dotú & Van Hentenryck 2005; Triska &
Musliu 2012). The reference for each is 0 repeats; the repeats found, seconds and moves are
reported, each instance with a 30 s time limit. Repeats are recomputed here from the output.

Usage: ``python bench/optimise_golfers.py [g-s-w ...] [--time-limit 30]`` prints JSON.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time

# (groups, size, weeks): published solutions without repeats exist for all of them.
INSTANCES = [(5, 3, 7), (6, 5, 6), (8, 4, 9), (8, 4, 10), (9, 4, 10), (10, 4, 10)]


def repeats_of(rounds: list) -> int:
    met: dict[tuple, int] = {}
    for tables in rounds:
        for table in tables:
            for a, b in itertools.combinations(sorted(table), 2):
                met[a, b] = met.get((a, b), 0) + 1
    return sum(c - 1 for c in met.values() if c > 1)


def measure(g: int, s: int, w: int, time_limit: float, rotate_run) -> dict:
    people = [f"p{i:02d}" for i in range(g * s)]
    started = time.monotonic()
    result = rotate_run({"participants": people, "table_size": s, "rounds": w, "time_limit": time_limit})
    seconds = time.monotonic() - started
    seated_once = all(sorted(p for t in tables for p in t) == sorted(people) for tables in result["rounds"])
    return {"instance": f"{g}-{s}-{w}", "people": g * s, "repeats": repeats_of(result["rounds"]),
            "published": 0, "seconds": round(seconds, 2), "everyone_seated_once": seated_once,
            "moves": result.get("stats", {}).get("iterations")}


def run(names: list[str] | None = None, time_limit: float = 30.0, rotate_run=None) -> dict:
    if rotate_run is None:
        from matchwerk.engine.rotate import run as rotate_run
    chosen = [tuple(int(x) for x in n.split("-")) for n in names] if names else INSTANCES
    rows = {f"{g}-{s}-{w}": measure(g, s, w, time_limit, rotate_run) for g, s, w in chosen}
    return {"time_limit": time_limit, "instances": rows,
            "solved": sum(r["repeats"] == 0 for r in rows.values()), "of": len(rows)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("names", nargs="*")
    parser.add_argument("--time-limit", type=float, default=30.0)
    args = parser.parse_args()
    json.dump(run(args.names or None, args.time_limit), sys.stdout, indent=2)
    sys.stdout.write("\n")
