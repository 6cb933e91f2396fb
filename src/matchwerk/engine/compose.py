"""Compose event groups: fill events with participants under per-kind size bounds.

Each participant goes to at most one event; an event either stays empty or holds, for every
kind named in its ``size``, between ``lo`` and ``hi`` participants of that kind.
**Kinds not named in an event's ``size`` may not attend it** (an event for startups and SMEs
takes no research groups). The objective is the summed affinity of all pairs that share an
event.

Method (a heuristic with a proven bound):

1. *Greedy*: open as many events as the people of each kind allow (in input order), seat
   the minimum of every kind round-robin, always the unseated person with the highest
   affinity to the event so far, then add people while that raises the objective.
2. *Local search*: best-improvement moves (a person to another open event or out) and swaps
   (two people of one kind between events or with an unseated person), evaluated with a
   person × event affinity matrix that is updated incrementally; iterated with random
   perturbations of the best solution until ``time_limit`` or stagnation.
3. *Bound*: every person gains at most the sum of its best positive affinities that fit
   into one event it may attend (per kind up to ``hi``, one seat fewer for its own kind);
   half the sum over people bounds the objective. ``gap`` = (bound − objective) / bound.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from matchwerk.engine.inputs import (InputError, Progress, check_type, field as get_field,
                                     items, known_id, number, unique_ids)

DEFAULT_TIME_LIMIT = 5.0
_EPS = 1e-9


@dataclass
class EventSpec:
    id: str
    size: dict[str, tuple[int, int]]


@dataclass
class ComposeProblem:
    participants: list[tuple[str, str]]  # (id, kind)
    affinity: list[tuple[str, str, float]]
    events: list[EventSpec]
    time_limit: float = DEFAULT_TIME_LIMIT
    seed: int = 0


@dataclass
class ComposeResult:
    events: dict[str, list[str]]
    unassigned: list[str]
    objective: float
    bound: float
    seconds: float = 0.0
    rounds: int = 0
    greedy_objective: float = 0.0

    @property
    def gap(self) -> float:
        if self.bound <= _EPS:
            return 0.0
        return max(0.0, (self.bound - self.objective) / self.bound)

    def as_dict(self) -> dict:
        return {"events": self.events, "unassigned": self.unassigned,
                "objective": round(self.objective, 9), "bound": round(self.bound, 9),
                "gap": round(self.gap, 6),
                "stats": {"seconds": round(self.seconds, 3), "perturbations": self.rounds,
                          "greedy_objective": round(self.greedy_objective, 9)}}


def parse(data: dict) -> ComposeProblem:
    """Validate the JSON input of ``matchwerk compose`` (FORMATS.md)."""
    people = []
    for i, entry in enumerate(items(data, "participants", "")):
        where = f"participants[{i}]"
        check_type(entry, dict, where)
        people.append((get_field(entry, "id", str, where), get_field(entry, "kind", str, where)))
    index = unique_ids([p[0] for p in people], "participants")
    pairs = []
    seen: set[tuple[int, int]] = set()
    for i, entry in enumerate(items(data, "affinity", "", [])):
        where = f"affinity[{i}]"
        check_type(entry, dict, where)
        a = known_id(get_field(entry, "a", str, where), index, f"{where}.a", "participant")
        b = known_id(get_field(entry, "b", str, where), index, f"{where}.b", "participant")
        score = number(entry, "score", where)
        if a == b:
            raise InputError(f"{where}: a participant cannot have an affinity with itself")
        if not math.isfinite(score):
            raise InputError(f"{where}.score: must be a finite number")
        key = (min(a, b), max(a, b))
        if key in seen:
            raise InputError(f"{where}: duplicate pair {people[a][0]!r} – {people[b][0]!r}")
        seen.add(key)
        pairs.append((people[a][0], people[b][0], float(score)))
    events = []
    for i, entry in enumerate(items(data, "events", "")):
        where = f"events[{i}]"
        check_type(entry, dict, where)
        size = {}
        for kind, bounds in get_field(entry, "size", dict, where).items():
            place = f"{where}.size.{kind}"
            check_type(bounds, list, place)
            if len(bounds) != 2 or any(isinstance(v, bool) or not isinstance(v, int) for v in bounds):
                raise InputError(f"{place}: expected [minimum, maximum] as two integers")
            lo, hi = bounds
            if lo < 0 or hi < lo:
                raise InputError(f"{place}: need 0 ≤ minimum ≤ maximum, got [{lo}, {hi}]")
            size[kind] = (lo, hi)
        events.append(EventSpec(get_field(entry, "id", str, where), size))
    unique_ids([e.id for e in events], "events")
    time_limit = number(data, "time_limit", "", DEFAULT_TIME_LIMIT, minimum=0)
    seed = get_field(data, "seed", int, "", 0)
    return ComposeProblem(people, pairs, events, float(time_limit), seed)


class _State:
    """Seating with the incremental matrix G[p, e] = affinity of p to the people in event e."""

    def __init__(self, A, kind, lo, hi, rng):
        self.A, self.kind, self.lo, self.hi, self.rng = A, kind, lo, hi, rng
        self.n, self.m = len(kind), lo.shape[0]
        self.at = np.full(self.n, -1)  # event of each person, -1 = unseated
        self.count = np.zeros_like(lo)
        self.G = np.zeros((self.n, self.m + 1))  # last column: "unseated", always 0
        self.open = np.zeros(self.m, dtype=bool)

    def objective(self) -> float:
        seated = self.at >= 0
        return float(self.G[np.flatnonzero(seated), self.at[seated]].sum() / 2)

    def place(self, p: int, e: int) -> None:
        """Move p to event e (-1: unseated); bounds are the caller's business."""
        old = self.at[p]
        if old == e:
            return
        if old >= 0:
            self.G[:, old] -= self.A[:, p]
            self.count[old, self.kind[p]] -= 1
        if e >= 0:
            self.G[:, e] += self.A[:, p]
            self.count[e, self.kind[p]] += 1
        self.at[p] = e

    def snapshot(self):
        return self.at.copy(), self.open.copy()

    def restore(self, snap) -> None:
        at, opened = snap
        self.at[:] = -1
        self.count[:] = 0
        self.G[:] = 0
        self.open = opened.copy()
        for p in np.flatnonzero(at >= 0):
            self.place(int(p), int(at[p]))

    # -- best-improvement local search --------------------------------------------------
    def best_move(self):
        """The best improving relocation or swap, as (gain, kind of move, p, target)."""
        best = (_EPS, None, None, None)
        ev = np.where(self.at >= 0, self.at, self.m)  # column of each person's event in G
        own = self.G[np.arange(self.n), ev]
        # closing an event whose people like each other less than nothing
        inside = np.bincount(ev, weights=own, minlength=self.m + 1)[: self.m] / 2
        if self.m and -inside.min() > best[0]:
            best = (float(-inside.min()), "close", int(np.argmin(inside)), None)
        for k in range(self.lo.shape[1]):
            people = np.flatnonzero(self.kind == k)
            if len(people) == 0:
                continue
            # relocations: leaving must keep the old event at its minimum, entering below maximum
            can_leave = np.where(self.at[people] >= 0,
                                 self.count[self.at[people], k] - 1 >= self.lo[self.at[people], k], True)
            can_enter = self.open & (self.count[:, k] + 1 <= self.hi[:, k])
            gain = self.G[people, : self.m] - own[people, None]
            gain = np.where(can_leave[:, None] & can_enter[None, :], gain, -np.inf)
            seated = np.flatnonzero(ev[people] < self.m)
            gain[seated, ev[people][seated]] = -np.inf  # staying put is no move
            out_gain = np.where(can_leave & (self.at[people] >= 0), -own[people], -np.inf)
            i, j = np.unravel_index(np.argmax(gain), gain.shape) if gain.size else (0, 0)
            if gain.size and gain[i, j] > best[0]:
                best = (float(gain[i, j]), "move", int(people[i]), int(j))
            i = int(np.argmax(out_gain))
            if out_gain[i] > best[0]:
                best = (float(out_gain[i]), "move", int(people[i]), -1)
            # swaps between two people of kind k at different places
            e_of = ev[people]
            Gk = self.G[people]
            A_kk = self.A[np.ix_(people, people)]
            p_to_q = Gk[:, e_of]  # [i, j] = G[p_i, event of q_j]
            both_seated_i = (e_of < self.m)[:, None]
            both_seated_j = (e_of < self.m)[None, :]
            swap = (p_to_q - A_kk * both_seated_j - own[people][:, None]
                    + p_to_q.T - A_kk * both_seated_i - own[people][None, :])
            swap = np.where(e_of[:, None] != e_of[None, :], swap, -np.inf)
            i, j = np.unravel_index(np.argmax(swap), swap.shape)
            if swap[i, j] > best[0]:
                best = (float(swap[i, j]), "swap", int(people[i]), int(people[j]))
        return best

    def climb(self, deadline: float) -> None:
        while time.perf_counter() < deadline:
            gain, what, p, target = self.best_move()
            if what is None:
                return
            if what == "close":
                for q in np.flatnonzero(self.at == p):
                    self.place(int(q), -1)
                self.open[p] = False
            elif what == "move":
                self.place(p, target)
            else:
                ep, eq = int(self.at[p]), int(self.at[target])
                self.place(p, eq)
                self.place(target, ep)


def _greedy(state: _State, people_per_kind: np.ndarray) -> None:
    lo, hi, m = state.lo, state.hi, state.m
    reserve = np.zeros_like(people_per_kind)
    for e in range(m):
        if np.any(hi[e] > 0) and np.all(reserve + lo[e] <= people_per_kind):
            state.open[e] = True
            reserve += lo[e]
    strength = np.clip(state.A, 0, None).sum(axis=1)  # tie-break for the first seat
    # 1. minimum of every kind, round-robin over events
    missing = True
    while missing:
        missing = False
        for e in np.flatnonzero(state.open):
            for k in np.flatnonzero(state.count[e] < lo[e]):
                free = np.flatnonzero((state.at < 0) & (state.kind == k))
                value = state.G[free, e] + 1e-6 * strength[free]
                state.place(int(free[np.argmax(value)]), int(e))
                missing = True
    # 2. add people while it raises the objective
    while True:
        free = np.flatnonzero(state.at < 0)
        if len(free) == 0:
            return
        room = state.open[None, :] & (state.count[:, state.kind[free]].T < hi[:, state.kind[free]].T)
        gain = np.where(room, state.G[free, :m], -np.inf)
        i, e = np.unravel_index(np.argmax(gain), gain.shape)
        if not gain[i, e] > _EPS:
            return
        state.place(int(free[i]), int(e))


def upper_bound(A: np.ndarray, kind: np.ndarray, hi: np.ndarray) -> float:
    """Half the sum over people of the best positive affinities fitting into one event."""
    n, kinds = len(kind), hi.shape[1]
    best = np.zeros(n)
    prefix = []
    for k in range(kinds):
        cols = np.flatnonzero(kind == k)
        values = -np.sort(-np.clip(A[:, cols], 0, None), axis=1)
        prefix.append(np.concatenate([np.zeros((n, 1)), np.cumsum(values, axis=1)], axis=1))
    for e in range(hi.shape[0]):
        allowed = hi[e, kind] > 0
        total = np.zeros(n)
        for k in range(kinds):
            seats = np.full(n, hi[e, k]) - (kind == k)
            seats = np.clip(seats, 0, prefix[k].shape[1] - 1)
            total += prefix[k][np.arange(n), seats]
        best = np.maximum(best, np.where(allowed, total, 0.0))
    return float(best.sum() / 2)


def lp_bound(A: np.ndarray, kind: np.ndarray, hi: np.ndarray, max_edges: int = 300_000) -> float | None:
    """LP relaxation: fractional partner choices x_pq ∈ [0, 1] for positive affinities.

    Person p has at most ``hi − 1`` partners of its own kind and ``hi`` of each other kind
    in the best event it may attend; and the number of pairs of kinds (k, l) is at most
    what all events together can hold (Σ hi_k·hi_l, or Σ C(hi_k, 2) for k = l).
    Returns None when the instance is too large for it.
    """
    n, kinds = len(kind), hi.shape[1]
    rows, cols = np.nonzero(np.triu(A, 1) > _EPS)
    edges = len(rows)
    if edges == 0:
        return 0.0
    if edges > max_edges:
        return None
    weights = A[rows, cols]
    ev = np.arange(edges)
    caps = np.zeros((n, kinds))
    for e in range(hi.shape[0]):
        allowed = hi[e, kind] > 0
        seats = hi[e][None, :] - (kind[:, None] == np.arange(kinds)[None, :])
        caps = np.maximum(caps, np.where(allowed[:, None], np.clip(seats, 0, None), 0))
    degree = sparse.coo_matrix(
        (np.ones(2 * edges),
         (np.concatenate([rows * kinds + kind[cols], cols * kinds + kind[rows]]),
          np.concatenate([ev, ev]))),
        shape=(n * kinds, edges))
    ka, kb = np.minimum(kind[rows], kind[cols]), np.maximum(kind[rows], kind[cols])
    pair_type = ka * kinds + kb
    type_rows = sparse.coo_matrix((np.ones(edges), (pair_type, ev)), shape=(kinds * kinds, edges))
    room = np.zeros(kinds * kinds)
    for k in range(kinds):
        for j in range(k, kinds):
            per_event = hi[:, k] * (hi[:, k] - 1) // 2 if k == j else hi[:, k] * hi[:, j]
            room[k * kinds + j] = per_event.sum()
    matrix = sparse.vstack([degree, type_rows]).tocsr()
    rhs = np.concatenate([caps.ravel(), room])
    result = linprog(-weights, A_ub=matrix, b_ub=rhs, bounds=(0, 1), method="highs")
    if result.status != 0:
        return None
    # a tiny relative tolerance keeps the bound safe against the solver's feasibility tolerance
    return float(-result.fun) * (1 + 1e-7) + 1e-7


def solve(problem: ComposeProblem, progress: Progress | None = None) -> ComposeResult:
    started = time.perf_counter()
    deadline = started + problem.time_limit
    ids = [p[0] for p in problem.participants]
    index = {pid: i for i, pid in enumerate(ids)}
    kinds = sorted({p[1] for p in problem.participants} | {k for e in problem.events for k in e.size})
    kind_index = {k: i for i, k in enumerate(kinds)}
    n, m = len(ids), len(problem.events)
    kind = np.array([kind_index[p[1]] for p in problem.participants], dtype=np.int64)
    A = np.zeros((n, n))
    for a, b, score in problem.affinity:
        A[index[a], index[b]] = A[index[b], index[a]] = score
    lo = np.zeros((m, len(kinds)), dtype=np.int64)
    hi = np.zeros((m, len(kinds)), dtype=np.int64)
    for e, spec in enumerate(problem.events):
        for k, (low, high) in spec.size.items():
            lo[e, kind_index[k]], hi[e, kind_index[k]] = low, high
    bound = upper_bound(A, kind, hi) if n and m else 0.0
    if n and m and bound > 0:
        relaxed = lp_bound(A, kind, hi)
        if relaxed is not None:
            bound = min(bound, relaxed)
    rng = np.random.default_rng(problem.seed)
    state = _State(A, kind, lo, hi, rng)
    if m and n:
        _greedy(state, np.bincount(kind, minlength=len(kinds)))
    greedy_objective = state.objective()
    if progress:
        progress(0.0, f"compose: greedy {greedy_objective:.4g}, bound {bound:.4g}")
    if n and m:
        state.climb(deadline)
    best_value, best = state.objective(), state.snapshot()
    rounds, idle = 0, 0
    while n and m and time.perf_counter() < deadline and idle < 60 and best_value < bound - _EPS:
        rounds += 1
        _perturb(state)
        state.climb(deadline)
        value = state.objective()
        if value > best_value + _EPS:
            best_value, best, idle = value, state.snapshot(), 0
            if progress:
                progress(min(1.0, (time.perf_counter() - started) / max(problem.time_limit, 1e-9)),
                         f"compose: {best_value:.4g} (bound {bound:.4g})")
        else:
            idle += 1
            state.restore(best)
    state.restore(best)
    events = {spec.id: [ids[p] for p in np.flatnonzero(state.at == e)]
              for e, spec in enumerate(problem.events)}
    unassigned = [ids[p] for p in np.flatnonzero(state.at < 0)]
    return ComposeResult(events, unassigned, state.objective(), max(bound, state.objective()),
                         time.perf_counter() - started, rounds, greedy_objective)


def _perturb(state: _State) -> None:
    """A few random swaps of same-kind people between events (or with unseated people)."""
    for _ in range(max(2, state.n // 20)):
        p = int(state.rng.integers(state.n))
        same = np.flatnonzero((state.kind == state.kind[p]) & (state.at != state.at[p]))
        if len(same) == 0:
            continue
        q = int(same[state.rng.integers(len(same))])
        ep, eq = int(state.at[p]), int(state.at[q])
        state.place(p, eq)
        state.place(q, ep)


def run(data: dict, progress: Progress | None = None) -> dict:
    """``matchwerk compose``: JSON in, JSON out (FORMATS.md)."""
    return solve(parse(data), progress).as_dict()
