"""Social Golfer benchmark (issue #14): ``matchwerk rotate`` on instances g-s-w (g tables
of s people, w rounds) for which schedules without any repeat are published. The reference
for each is 0 repeats; the repeats found (recomputed here from the output), seconds, moves
of the tabu search and the design that seeded the rounds are reported, each instance with a
30 s time limit and seed 0.

Where the published schedules come from (all with 0 repeats):
- Kirkman triple systems (v ≡ 3 mod 6, (v-1)/2 rounds) and nearly Kirkman triple systems
  (v ≡ 0 mod 6, v ≥ 18, (v-2)/2 rounds): 5-3-7, 6-3-8, 7-3-10, 8-3-10, 10-3-13;
- affine planes and geometries AG(m, q): 5-5-6, 8-4-9;
- resolvable 2-(28,4,1) designs (v ≡ 4 mod 12, Hanani–Ray-Chaudhuri–Wilson): 7-4-9;
- CSPLib prob010 / Harvey's and Sellmann's tables of solved instances, Dotú & Van Hentenryck
  (2005), Triska & Musliu (2012): 5-4-5, 6-4-7, 6-5-6, 8-4-10 (Aguado 2004), 9-4-10, 10-4-10.

Usage: ``python bench/optimise_golfers.py [g-s-w ...] [--time-limit 30]`` prints JSON.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import time

# (groups, size, weeks): published solutions without repeats exist for all of them.
INSTANCES = [(5, 3, 7), (5, 4, 5), (5, 5, 6), (6, 3, 8), (6, 4, 7), (6, 5, 6), (7, 3, 10),
             (7, 4, 9), (8, 3, 10), (8, 4, 9), (8, 4, 10), (9, 4, 10), (10, 3, 13), (10, 4, 10)]


def repeats_of(rounds: list) -> int:
    met: dict[tuple, int] = {}
    for tables in rounds:
        for table in tables:
            for a, b in itertools.combinations(sorted(table), 2):
                met[a, b] = met.get((a, b), 0) + 1
    return sum(c - 1 for c in met.values() if c > 1)


def measure(g: int, s: int, w: int, time_limit: float, rotate_run) -> dict:
    people = [f"p{i:02d}" for i in range(g * s)]
    started, cpu = time.monotonic(), time.process_time()
    result = rotate_run({"participants": people, "table_size": s, "rounds": w, "time_limit": time_limit})
    seconds, cpu = time.monotonic() - started, time.process_time() - cpu
    seated_once = all(sorted(p for t in tables for p in t) == sorted(people) for tables in result["rounds"])
    stats = result.get("stats", {})
    return {"instance": f"{g}-{s}-{w}", "people": g * s, "repeats": repeats_of(result["rounds"]),
            "published": 0, "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
            "everyone_seated_once": seated_once, "moves": stats.get("iterations"),
            "design": stats.get("design")}


def run(names: list[str] | None = None, time_limit: float = 30.0, rotate_run=None) -> dict:
    if rotate_run is None:
        from matchwerk.engine.rotate import run as rotate_run
    chosen = [tuple(int(x) for x in n.split("-")) for n in names] if names else INSTANCES
    load = os.getloadavg()
    rows = {f"{g}-{s}-{w}": measure(g, s, w, time_limit, rotate_run) for g, s, w in chosen}
    return {"time_limit": time_limit, "load_average_before": [round(x, 2) for x in load],
            "load_average_after": [round(x, 2) for x in os.getloadavg()], "instances": rows,
            "solved": sum(r["repeats"] == 0 for r in rows.values()), "of": len(rows)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("names", nargs="*")
    parser.add_argument("--time-limit", type=float, default=30.0)
    args = parser.parse_args()
    json.dump(run(args.names or None, args.time_limit), sys.stdout, indent=2)
    sys.stdout.write("\n")
