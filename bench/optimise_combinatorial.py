"""Benchmarks for table rotation, pairing and event composition (issue #3).

Each figure stands beside a baseline run in the same process:

- rotate: the known limits of the Social Golfer Problem (Kirkman 15/3/7, 32/4/9, 32/4/10)
  and a 200-person evening (tables of 8, 6 rounds), 30 s each; baselines: random seating
  and the greedy seating alone (no design seed, no local search).
- pair: 2,000 × 6,000 with 160,000 scored pairs; baseline: greedy by score; exactness
  checked against the LP optimum (HiGHS; the constraint matrix is totally unimodular, so the
  LP optimum is the integer optimum) on a 300 × 900 instance.
- compose: 40 startups, 150 SMEs, 12 events (2–3 startups, 7–10 SMEs); baseline: the greedy
  fill alone; the gap to the proven bound is reported.

Usage: ``python bench/optimise_combinatorial.py [rotate|pair|compose ...]`` prints JSON.
"""

from __future__ import annotations

import json
import math
import sys
import time

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from matchwerk.engine import compose, pair, rotate

ROTATE_CASES = [("kirkman-15-3-7", 15, 3, 7), ("golfers-32-4-9", 32, 4, 9),
                ("golfers-32-4-10", 32, 4, 10), ("evening-200-8-6", 200, 8, 6)]


def _random_seating_repeats(n: int, size: int, rounds: int, rng) -> int:
    sizes = rotate.table_sizes(n, size)
    met = np.zeros((n, n), dtype=np.int64)
    for _ in range(rounds):
        order = rng.permutation(n)
        start = 0
        for s in sizes:
            table = order[start:start + s]
            start += s
            met[np.ix_(table, table)] += 1
    np.fill_diagonal(met, 0)
    return int(np.maximum(np.triu(met, 1) - 1, 0).sum())


def bench_rotate(time_limit: float = 30.0) -> dict:
    out = {}
    rng = np.random.default_rng(0)
    for name, n, size, rounds in ROTATE_CASES:
        people = [f"p{i}" for i in range(n)]
        greedy = rotate.solve(rotate.RotationProblem(people, size, rounds, time_limit=0.0,
                                                     use_design=False))
        started = time.perf_counter()
        result = rotate.solve(rotate.RotationProblem(people, size, rounds, time_limit=time_limit))
        out[name] = {
            "repeats": result.repeats, "known_met": result.known_met,
            "seconds": round(time.perf_counter() - started, 2), "moves": result.iterations,
            "time_limit": time_limit,
            "baseline_random_seating_repeats": _random_seating_repeats(n, size, rounds, rng),
            "baseline_greedy_repeats": greedy.repeats,
        }
    return out


def _pair_instance(n_left: int, n_right: int, edges: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    cells = rng.choice(n_left * n_right, size=edges, replace=False)
    scores = np.round(rng.beta(2, 5, size=edges), 4)
    return {"left": [{"id": f"c{i}", "capacity": int(c)} for i, c in enumerate(rng.integers(1, 4, n_left))],
            "right": [{"id": f"f{j}", "capacity": 1} for j in range(n_right)],
            "scores": [{"left": f"c{k // n_right}", "right": f"f{k % n_right}", "score": float(s)}
                       for k, s in zip(cells, scores)],
            "max_pairs": n_left}


def _greedy_pairs(data: dict) -> float:
    cap = {("l", s["id"]): s.get("capacity", 1) for s in data["left"]}
    cap.update({("r", s["id"]): s.get("capacity", 1) for s in data["right"]})
    total, count = 0.0, 0
    for s in sorted(data["scores"], key=lambda s: -s["score"]):
        if s["score"] <= 0 or count >= data["max_pairs"]:
            break
        if cap[("l", s["left"])] > 0 and cap[("r", s["right"])] > 0:
            cap[("l", s["left"])] -= 1
            cap[("r", s["right"])] -= 1
            total += s["score"]
            count += 1
    return total


def _lp_pairs(data: dict) -> float:
    left = {s["id"]: i for i, s in enumerate(data["left"])}
    right = {s["id"]: i for i, s in enumerate(data["right"])}
    m = len(data["scores"])
    li = np.array([left[s["left"]] for s in data["scores"]])
    ri = np.array([right[s["right"]] for s in data["scores"]])
    w = np.array([s["score"] for s in data["scores"]])
    rows = np.concatenate([li, len(left) + ri, np.full(m, len(left) + len(right))])
    matrix = sparse.coo_matrix((np.ones(3 * m), (rows, np.tile(np.arange(m), 3))),
                               shape=(len(left) + len(right) + 1, m))
    rhs = np.array([s.get("capacity", 1) for s in data["left"]] +
                   [s.get("capacity", 1) for s in data["right"]] + [data["max_pairs"]], dtype=float)
    result = linprog(-w, A_ub=matrix.tocsr(), b_ub=rhs, bounds=(0, 1), method="highs")
    return float(-result.fun)


def bench_pair() -> dict:
    data = _pair_instance(2000, 6000, 160_000, seed=1)
    started = time.perf_counter()
    result = pair.run(data)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    greedy = _greedy_pairs(data)
    greedy_seconds = time.perf_counter() - started
    small = _pair_instance(300, 900, 6_000, seed=2)
    small_total = pair.run(small)["total"]
    reference = _lp_pairs(small)
    return {"size": "2000 x 6000, 160000 scored pairs, max_pairs 2000",
            "seconds": round(seconds, 2), "pairs": len(result["pairs"]),
            "total": round(result["total"], 6), "optimal": result["optimal"],
            "baseline_greedy_total": round(greedy, 6), "baseline_greedy_seconds": round(greedy_seconds, 2),
            "greedy_shortfall_percent": round(100 * (result["total"] - greedy) / result["total"], 3),
            "check_300x900_total": round(small_total, 6), "check_300x900_lp_optimum": round(reference, 6),
            "check_exact": math.isclose(small_total, reference, rel_tol=1e-9, abs_tol=1e-6)}


def _compose_instance(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    people = [{"id": f"s{i}", "kind": "startup"} for i in range(40)] + \
             [{"id": f"f{i}", "kind": "sme"} for i in range(150)]
    topics = rng.integers(0, 8, size=len(people))  # e.g. Tourismus, Handwerk, Logistik …
    affinity = []
    for i in range(len(people)):
        for j in range(i + 1, len(people)):
            score = 0.5 * (topics[i] == topics[j]) + 0.35 * rng.random() - 0.15
            if score > 0:
                affinity.append({"a": people[i]["id"], "b": people[j]["id"], "score": round(float(score), 3)})
    events = [{"id": f"e{k}", "size": {"startup": [2, 3], "sme": [7, 10]}} for k in range(12)]
    return {"participants": people, "affinity": affinity, "events": events}


def bench_compose(time_limit: float = 10.0) -> dict:
    data = _compose_instance(seed=3)
    data["time_limit"] = time_limit
    started = time.perf_counter()
    result = compose.run(data)
    return {"size": "40 startups, 150 SMEs, 12 events (2-3 startups, 7-10 SMEs)",
            "affinity_pairs": len(data["affinity"]),
            "objective": result["objective"], "bound": result["bound"], "gap": result["gap"],
            "seconds": round(time.perf_counter() - started, 2), "time_limit": time_limit,
            "baseline_greedy_objective": result["stats"]["greedy_objective"],
            "baseline_greedy_gap": round(1 - result["stats"]["greedy_objective"] / result["bound"], 6),
            "seated": sum(len(m) for m in result["events"].values()),
            "open_events": sum(1 for m in result["events"].values() if m)}


def run(parts: set[str] | None = None) -> dict:
    parts = parts or {"rotate", "pair", "compose"}
    result = {}
    if "rotate" in parts:
        result["rotate"] = bench_rotate()
    if "pair" in parts:
        result["pair"] = bench_pair()
    if "compose" in parts:
        result["compose"] = bench_compose()
    return result


if __name__ == "__main__":
    json.dump(run(set(sys.argv[1:]) or None), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
