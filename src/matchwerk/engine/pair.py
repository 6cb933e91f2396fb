"""Pick pairs (e.g. creative × small firm) that maximise the summed score.

This is a maximum-weight b-matching on a bipartite graph with a cardinality cap
(``max_pairs`` = programme budget ÷ grant per match). It is solved exactly as a
min-cost flow with OR-Tools::

    source --(cap max_pairs)--> hub --(capacity of l)--> l --(1, -score)--> r
           --(capacity of r)--> sink,      hub --(max_pairs, cost 0)--> sink  (bypass)

``max_pairs`` units leave the hub; each unit either forms a pair (cost ``-score``) or
takes the zero-cost bypass, so the flow picks the best *up to* ``max_pairs`` pairs.
Pairs with a score ≤ 0 never improve the total and are left out.

Exactness: OR-Tools needs integer costs. Scores are scaled by ``10**k`` for the smallest
``k ≤ 9`` that makes every score an integer (the decimal values as written in the JSON);
then the optimum is exact. Scores with more than 9 decimal places are rounded to 9 places,
so the total is optimal within ``pairs × 1e-9``; ``optimal`` is then still true for the
rounded scores and :attr:`PairResult.exact_scaling` is false.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

from matchwerk.engine.inputs import (InputError, Progress, check_type, field as get_field,
                                     integer, known_id, number, unique_ids)

MAX_DECIMALS = 9
# Keep |cost| * nodes well inside int64: OR-Tools' cost scaling multiplies costs by ~nodes.
_COST_LIMIT = 2**62


@dataclass(frozen=True)
class Side:
    id: str
    capacity: int = 1


@dataclass(frozen=True)
class Candidate:
    left: str
    right: str
    score: float


@dataclass
class PairProblem:
    left: list[Side]
    right: list[Side]
    candidates: list[Candidate]
    max_pairs: int | None = None


@dataclass
class PairResult:
    pairs: list[Candidate] = field(default_factory=list)
    total: float = 0.0
    optimal: bool = True
    exact_scaling: bool = True
    scale: int = 1

    def as_dict(self) -> dict:
        return {"pairs": [{"left": p.left, "right": p.right, "score": p.score} for p in self.pairs],
                "total": self.total, "optimal": self.optimal}


def parse(data: dict) -> PairProblem:
    """Validate the JSON input of ``matchwerk pair`` (FORMATS.md)."""
    sides = []
    for key in ("left", "right"):
        entries = check_type(get_field(data, key, list, ""), list, key)
        parsed = []
        for i, entry in enumerate(entries):
            where = f"{key}[{i}]"
            check_type(entry, dict, where)
            parsed.append(Side(get_field(entry, "id", str, where),
                               integer(entry, "capacity", where, 1, minimum=0)))
        unique_ids([s.id for s in parsed], key)
        sides.append(parsed)
    left, right = sides
    left_index = {s.id: i for i, s in enumerate(left)}
    right_index = {s.id: i for i, s in enumerate(right)}
    candidates = []
    seen: set[tuple[int, int]] = set()
    for i, entry in enumerate(get_field(data, "scores", list, "")):
        where = f"scores[{i}]"
        check_type(entry, dict, where)
        li = known_id(get_field(entry, "left", str, where), left_index, f"{where}.left", "left id")
        ri = known_id(get_field(entry, "right", str, where), right_index, f"{where}.right", "right id")
        score = number(entry, "score", where)
        if not math.isfinite(score):
            raise InputError(f"{where}.score: must be a finite number")
        if (li, ri) in seen:
            raise InputError(f"{where}: duplicate pair {left[li].id!r} – {right[ri].id!r}")
        seen.add((li, ri))
        candidates.append(Candidate(left[li].id, right[ri].id, score))
    max_pairs = integer(data, "max_pairs", "", None, minimum=0)
    return PairProblem(left, right, candidates, max_pairs)


def _scale_for(scores: np.ndarray) -> tuple[int, bool]:
    """Smallest power of ten (≤ 10**9) that turns every score into an integer."""
    for k in range(MAX_DECIMALS + 1):
        scaled = scores * 10**k
        if np.all(np.abs(scaled - np.round(scaled)) <= np.maximum(1e-6, np.abs(scaled) * 1e-14)):
            return 10**k, True
    return 10**MAX_DECIMALS, False


def solve(problem: PairProblem, progress: Progress | None = None) -> PairResult:
    """Exact maximum-score pairs under capacities and ``max_pairs``."""
    positive = [c for c in problem.candidates if c.score > 0]
    left_index = {s.id: i for i, s in enumerate(problem.left)}
    right_index = {s.id: i for i, s in enumerate(problem.right)}
    left_cap = sum(s.capacity for s in problem.left)
    right_cap = sum(s.capacity for s in problem.right)
    limit = min(left_cap, right_cap, len(positive))
    if problem.max_pairs is not None:
        limit = min(limit, problem.max_pairs)
    if limit == 0 or not positive:
        return PairResult()
    if progress:
        progress(0.0, f"pair: {len(positive)} candidate pairs, up to {limit} pairs")

    scores = np.array([c.score for c in positive], dtype=np.float64)
    scale, exact = _scale_for(scores)
    n_left, n_right = len(problem.left), len(problem.right)
    nodes = n_left + n_right + 2
    while scale > 1 and float(scores.max()) * scale * (nodes + 1) * 4 >= _COST_LIMIT:
        scale //= 10
        exact = False
    costs = -np.round(scores * scale).astype(np.int64)

    hub, sink = 0, 1
    left_node = 2 + np.arange(n_left, dtype=np.int32)
    right_node = 2 + n_left + np.arange(n_right, dtype=np.int32)
    li = np.array([left_index[c.left] for c in positive], dtype=np.int32)
    ri = np.array([right_index[c.right] for c in positive], dtype=np.int32)

    tails = np.concatenate([np.full(n_left, hub, np.int32), left_node[li],
                            right_node, np.array([hub], np.int32)])
    heads = np.concatenate([left_node, right_node[ri],
                            np.full(n_right, sink, np.int32), np.array([sink], np.int32)])
    caps = np.concatenate([
        np.array([min(s.capacity, limit) for s in problem.left], np.int64),
        np.ones(len(positive), np.int64),
        np.array([min(s.capacity, limit) for s in problem.right], np.int64),
        np.array([limit], np.int64)])
    unit_costs = np.concatenate([np.zeros(n_left, np.int64), costs,
                                 np.zeros(n_right + 1, np.int64)])

    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, unit_costs)
    flow.set_nodes_supplies(np.array([hub, sink], np.int32), np.array([limit, -limit], np.int64))
    status = flow.solve()
    if status != flow.OPTIMAL:  # cannot happen: the bypass arc always makes it feasible
        raise RuntimeError(f"min-cost flow failed with status {status}")
    pair_arcs = arcs[n_left:n_left + len(positive)]
    chosen = np.flatnonzero(flow.flows(pair_arcs) > 0)
    pairs = [positive[i] for i in chosen]
    pairs.sort(key=lambda c: (-c.score, c.left, c.right))
    total = math.fsum(c.score for c in pairs)
    if progress:
        progress(1.0, f"pair: {len(pairs)} pairs, total {total:.6g}")
    return PairResult(pairs=pairs, total=total, optimal=True, exact_scaling=exact, scale=scale)


def run(data: dict, progress: Progress | None = None) -> dict:
    """``matchwerk pair``: JSON in, JSON out (FORMATS.md)."""
    return solve(parse(data), progress).as_dict()
