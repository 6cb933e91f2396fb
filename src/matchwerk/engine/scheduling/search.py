"""Heuristics that fill a :class:`State`: greedy starts, ejection-chain local search, gap compaction.

The local search picks an unscheduled meeting, puts it into one of its slots and ejects
whatever is in the way (the two people's meetings in that slot, the holder of a booth
table, one meeting of a full slot, a meeting over a person's cap). Ejected meetings move to
another slot when one fits, otherwise they start a shorter chain of their own. Moves that
do not lose weight are always taken (walking plateaus), losing moves rarely (simulated
annealing), and the best schedule seen is kept.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable

from .state import State


def first_fit(state: State) -> None:
    """The baseline: heaviest meetings first (ties in input order), each into the first
    slot where it fits (gives the 1,458 of sched-dev-m.ref.json)."""
    p = state.p
    for m in sorted(range(p.n_meetings), key=lambda m: -p.weight[m]):
        if state.slot_of[m] >= 0:
            continue
        for s in p.allowed[m]:
            t = state.fits(m, s)
            if t is not None:
                state.place(m, s, t)
                break


def greedy(state: State) -> None:
    """Heavy and hard-to-place meetings first, each into the least loaded slot that fits,
    preferring slots next to the two people's other meetings (fewer idle gaps)."""
    p = state.p
    demand = [len(ms) for ms in p.meetings_of]
    order = sorted(range(p.n_meetings),
                   key=lambda m: (-p.weight[m], len(p.allowed[m]), -(demand[p.ma[m]] + demand[p.mb[m]]), m))
    for m in order:
        if state.slot_of[m] >= 0:
            continue
        best, best_score = None, None
        a, b = p.ma[m], p.mb[m]
        for s in p.allowed[m]:
            t = state.fits(m, s)
            if t is None:
                continue
            score = state.load[s] / p.tables[s] - 0.3 * (_next_to(state, a, s) + _next_to(state, b, s))
            if best_score is None or score < best_score:
                best, best_score = (s, t), score
        if best is not None:
            state.place(m, *best)


def _next_to(state: State, person: int, s: int) -> int:
    row = state.occ[person]
    return (s > 0 and row[s - 1] >= 0) + (s + 1 < len(row) and row[s + 1] >= 0)


# Simulated-annealing temperature at the start and at the end of the search.
TEMPS = (0.6, 0.03)
# The search gives up after STALL * candidates + STALL_MIN picks without a better schedule.
STALL, STALL_MIN = 100, 20000


class Improver:
    """Ejection chains with simulated-annealing acceptance; keeps the best state seen."""

    def __init__(self, state: State, rng: random.Random):
        self.st = state
        self.rng = rng
        p = state.p
        self.locked = [f is not None for f in p.fixed]
        self.candidates = [m for m in range(p.n_meetings) if p.allowed[m] and not self.locked[m]]
        self.iterations = 0
        self.best_at: float | None = None  # when the best schedule was found (monotonic clock)

    def run(self, deadline: float, bound: Callable[[], float],
            report: Callable[[float], None] | None = None, stall: bool = True) -> bool:
        """Search until ``deadline``, until the best value reaches ``bound()``, or (with
        ``stall``) until ``STALL`` picks per candidate meeting (plus ``STALL_MIN``) bring
        nothing better. Returns True when it stopped for the stall."""
        st, rng = self.st, self.rng
        if not self.candidates:
            return False
        stalled = False
        best_value, best = st.value, st.snapshot()
        start = time.monotonic()
        span = max(deadline - start, 1e-6)
        temp0, temp1 = TEMPS
        temp = temp0
        tick = last_gain = 0
        patience = STALL * len(self.candidates) + STALL_MIN if stall else math.inf
        while True:
            tick += 1
            if tick % 256 == 0:
                now = time.monotonic()
                if now >= deadline or best_value >= bound() - 1e-9:
                    break
                if tick - last_gain > patience:
                    stalled = True
                    break
                frac = (now - start) / span
                temp = temp0 * (temp1 / temp0) ** frac
                if report is not None and tick % 4096 == 0:
                    report(frac)
            m = self.candidates[rng.randrange(len(self.candidates))]
            if st.slot_of[m] >= 0:
                continue
            self.iterations += 1
            st.begin()
            delta = self._insert(m, 2, {m})
            if delta is None or (delta < 0 and rng.random() >= math.exp(delta / temp)):
                st.rollback()
                continue
            st.commit()
            if st.value > best_value + 1e-9:
                best_value, best = st.value, st.snapshot()
                self.best_at = time.monotonic()
                last_gain = tick
        if st.value < best_value - 1e-9:
            st.restore(best)
        return stalled

    def _insert(self, m: int, depth: int, keep: set[int]) -> float | None:
        """Place unplaced ``m`` ejecting what is in the way; the weight change, or None
        (and the state as before)."""
        mark = len(self.st.log)
        delta = self._try_insert(m, depth, keep)
        if delta is None:
            self.st.undo_to(mark)
        return delta

    def _try_insert(self, m: int, depth: int, keep: set[int]) -> float | None:
        st, p, rng = self.st, self.st.p, self.rng
        w = p.weight
        a, b = p.ma[m], p.mb[m]
        best_s, best_cost = -1, math.inf
        for s in p.allowed[m]:
            cost = rng.random() * 0.4
            ea, eb = st.occ[a][s], st.occ[b][s]
            ok = True
            gone = 0
            for e in (ea, eb):
                if e >= 0:
                    if self.locked[e] or e in keep:
                        ok = False
                        break
                    cost += w[e]
                    gone += 1
            if not ok:
                continue
            if st.load[s] - gone >= p.tables[s]:
                cost += 0.5
            if p.booth_opts[m] and st.free_table(m, s) is None:
                cost += 0.7
            if cost < best_cost:
                best_s, best_cost = s, cost
        if best_s < 0:
            return None
        s = best_s
        ejected: list[int] = []
        for e in (st.occ[a][s], st.occ[b][s]):
            if e >= 0 and st.slot_of[e] >= 0:
                st.remove(e)
                ejected.append(e)
        table = 0
        if p.booth_opts[m]:
            table = st.free_table(m, s)
            if table is None:
                holders = [st.used[s][t] for t in p.booth_opts[m] if t <= p.tables[s]]
                holders = [e for e in holders if not self.locked[e] and e not in keep]
                if not holders:
                    return None
                e = min(holders, key=lambda e: w[e])
                table = st.table_of[e]
                st.remove(e)
                ejected.append(e)
        if st.load[s] >= p.tables[s]:
            e = self._victim(s, keep)
            if e is None:
                return None
            st.remove(e)
            ejected.append(e)
        capped: list[int] = []
        for person in (a, b):
            if st.count[person] >= p.cap[person]:
                mine = [e for e in p.meetings_of[person]
                        if st.slot_of[e] >= 0 and not self.locked[e] and e not in keep]
                if not mine:
                    return None
                e = min(mine, key=lambda e: (w[e], rng.random()))
                st.remove(e)
                capped.append(e)
        st.place(m, s, table)
        keep.add(m)
        delta = w[m] - sum(w[e] for e in capped)
        for e in ejected:
            if self._relocate(e):
                keep.add(e)
                continue
            sub = self._insert(e, depth - 1, keep) if depth > 0 else None
            # a successful sub-chain's change already counts e's own weight
            delta += (sub - w[e]) if sub is not None else -w[e]
        return delta

    def _victim(self, s: int, keep: set[int]) -> int | None:
        """A meeting to take out of full slot ``s``: one that can move elsewhere, else a light one."""
        st, p, rng = self.st, self.st.p, self.rng
        lst = st.in_slot[s]
        best, best_key = None, None
        for _ in range(4):
            e = lst[rng.randrange(len(lst))]
            if self.locked[e] or e in keep:
                continue
            movable = any(s2 != s and _fits_moved(st, e, s2) for s2 in p.allowed[e])
            key = (not movable, p.weight[e])
            if best_key is None or key < best_key:
                best, best_key = e, key
                if movable:
                    break
        return best

    def _relocate(self, e: int) -> bool:
        st, p = self.st, self.st.p
        opts = p.allowed[e]
        start = self.rng.randrange(len(opts)) if opts else 0
        for i in range(len(opts)):
            s = opts[(start + i) % len(opts)]
            t = st.fits(e, s)
            if t is not None:
                st.place(e, s, t)
                return True
        return False


def _fits_moved(st: State, e: int, s2: int) -> bool:
    """Would placed meeting ``e`` fit in slot ``s2`` if it left its own slot?"""
    p = st.p
    a, b = p.ma[e], p.mb[e]
    if st.occ[a][s2] >= 0 or st.occ[b][s2] >= 0 or st.load[s2] >= p.tables[s2]:
        return False
    return st.free_table(e, s2) is not None


def compact(state: State, rng: random.Random, deadline: float) -> int:
    """Shorten idle gaps without changing which meetings are scheduled (the objective stays).

    Moves: a meeting to another slot where it fits; a swap of slots with a sampled meeting
    of that slot when it is full; or, when one of the two people is busy there, a Kempe-chain
    swap (every meeting of the chain of people busy in both slots trades slots, so only the
    chain's two ends change their day). A move is kept when the summed gaps of the people
    involved drop. Returns the moves made.
    """
    p = state.p
    movable = [m for m in range(p.n_meetings) if state.slot_of[m] >= 0 and p.fixed[m] is None]
    allowed = [frozenset(slots) for slots in p.allowed]
    moves = 0
    for _round in range(60):
        improved = 0
        rng.shuffle(movable)
        for k, m in enumerate(movable):
            if k % 32 == 0 and time.monotonic() >= deadline:
                return moves
            a, b = p.ma[m], p.mb[m]
            if state.person_gaps(a) + state.person_gaps(b) == 0:
                continue
            s0 = state.slot_of[m]
            for s in p.allowed[m]:
                if s == s0:
                    continue
                ea, eb = state.occ[a][s], state.occ[b][s]
                if ea >= 0 or eb >= 0:
                    if _kempe_if_better(state, m, s, allowed):
                        improved += 1
                        moves += 1
                        break
                    continue
                if state.load[s] < p.tables[s]:
                    partners = [-1]
                else:
                    lst = state.in_slot[s]
                    partners = [lst[rng.randrange(len(lst))] for _ in range(3)]
                done = False
                for e in partners:
                    if e >= 0 and (p.fixed[e] is not None or s0 not in allowed[e]):
                        continue
                    if _swap_if_better(state, m, e, s):
                        done = True
                        break
                if done:
                    improved += 1
                    moves += 1
                    break
        if not improved:
            break
    return moves


def _swap_if_better(state: State, m: int, e: int, s: int) -> bool:
    """Move ``m`` to slot ``s`` and ``e`` (if any, from ``s``) to m's slot; keep it if gaps drop."""
    p = state.p
    people = {p.ma[m], p.mb[m]}
    if e >= 0:
        people.update((p.ma[e], p.mb[e]))
    before = sum(state.person_gaps(q) for q in people)
    s0 = state.slot_of[m]
    state.begin()
    state.remove(m)
    if e >= 0:
        state.remove(e)
    t = state.fits(m, s)
    if t is not None:
        state.place(m, s, t)
        if e >= 0:
            t = state.fits(e, s0)
            if t is not None:
                state.place(e, s0, t)
    if t is None or sum(state.person_gaps(q) for q in people) >= before:
        state.rollback()
        return False
    state.commit()
    return True


KEMPE_MAX = 16


def _kempe_if_better(state: State, m: int, s: int, allowed: list[frozenset[int]]) -> bool:
    """Swap slots ``s`` and m's slot along the chain of meetings through ``m``; keep if gaps drop."""
    p = state.p
    s0 = state.slot_of[m]
    chain, seen, stack, people = [m], {m}, [m], set()
    while stack:
        e = stack.pop()
        for q in (p.ma[e], p.mb[e]):
            people.add(q)
            for slot in (s0, s):
                f = state.occ[q][slot]
                if f >= 0 and f not in seen:
                    if p.fixed[f] is not None or len(chain) >= KEMPE_MAX:
                        return False
                    seen.add(f)
                    chain.append(f)
                    stack.append(f)
    targets = [s if state.slot_of[e] == s0 else s0 for e in chain]
    if any(t not in allowed[e] for e, t in zip(chain, targets)):
        return False
    before = sum(state.person_gaps(q) for q in people)
    state.begin()
    for e in chain:
        state.remove(e)
    for e, target in zip(chain, targets):
        t = state.fits(e, target)
        if t is None:
            state.rollback()
            return False
        state.place(e, target, t)
    if sum(state.person_gaps(q) for q in people) >= before:
        state.rollback()
        return False
    state.commit()
    return True
