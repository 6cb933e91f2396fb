"""Fewer idle gaps and breaks with the set of scheduled meetings kept: simulated annealing
over Kempe chains.

A move takes a person ``q``, one of q's meetings in slot ``s1`` and another slot ``s2``,
and swaps ``s1`` and ``s2`` along the chain of meetings through it (q's partner's meeting
in ``s2`` moves to ``s1``, that meeting's other person's meeting in ``s1`` moves to ``s2``, …).
Everyone inside the chain keeps the same busy slots; only the two ends of the chain change
their day, so a move is cheap to judge. When the chain leaves ``s2`` over its table count,
one more meeting of ``s2`` whose two people are free in ``s1`` goes the other way. Moves
that make the weighted sum ``GAP_WEIGHT · gaps + breaks`` of the people involved worse are
taken with probability ``exp(−Δ/T)``; the best schedule seen is kept.
"""

from __future__ import annotations

import math
import random
import time

from .state import State

# Gaps (FORMATS.md's secondary goal) come first, breaks break ties.
GAP_WEIGHT = 1000
CHAIN_MAX = 24
# Share of moves of a person with idle slots that try to close one of the holes directly.
TARGETED = 0.5
TEMPS = (600.0, 0.3)


# With ``fair``, a person's k-th break costs (k − 1) · FAIR_WEIGHT more than the first, so
# breaks spread over people instead of piling up on a few.
FAIR_WEIGHT = 3


class IdleCost:
    """Cost of one person's day: gaps and breaks weighted lexicographically (``first`` says
    which counts first), plus the fairness term when asked for."""

    def __init__(self, first: str = "gaps", fair: bool = False):
        self.gap, self.brk = (GAP_WEIGHT, 1) if first == "gaps" else (1, GAP_WEIGHT)
        self.fair = FAIR_WEIGHT if fair else 0

    def __call__(self, state: State, person: int) -> int:
        breaks = state.person_breaks(person)
        cost = self.gap * state.person_gaps(person) + self.brk * breaks
        if self.fair and breaks > 1:
            cost += self.fair * self.brk * (breaks - 1) * breaks // 2
        return cost


class Annealer:
    def __init__(self, state: State, rng: random.Random, cost: IdleCost | None = None):
        self.st = state
        self.rng = rng
        self.idle_cost = idle_cost = cost or IdleCost()
        p = state.p
        self.allowed = [frozenset(a) for a in p.allowed]
        self.people = [q for q in range(len(p.pids))
                       if any(state.slot_of[m] >= 0 and p.fixed[m] is None for m in p.meetings_of[q])]
        self.cost = [idle_cost(state, q) for q in range(len(p.pids))]
        self.total = sum(self.cost)
        self.moves = 0
        self.tried = 0

    def run(self, deadline: float, stop_at: int = 0, patience: float = math.inf, heat: float = 1.0,
            stop=None, end_heat: float | None = None) -> int:
        """Anneal until ``deadline``, until the cost is ``stop_at``, until ``patience``
        tried moves bring no better schedule or until ``stop()`` is true; returns the best
        cost (the state holds the best schedule seen). The temperature falls from ``heat``
        to ``end_heat`` times the first temperature (default: to the last temperature)."""
        st, rng = self.st, self.rng
        if not self.people or self.total <= stop_at:
            return self.total
        best, best_snap = self.total, st.snapshot()
        start = time.monotonic()
        span = max(deadline - start, 1e-6)
        t0, t1 = TEMPS
        if end_heat is not None:
            t1 = max(t0 * end_heat, t1)
        t0 = max(t0 * heat, t1)
        temp = t0
        idle = [q for q in self.people if self.cost[q]] or self.people
        last_gain = self.tried
        while True:
            self.tried += 1
            if self.tried % 64 == 0:
                now = time.monotonic()
                if now >= deadline or best <= stop_at or self.tried - last_gain > patience:
                    break
                if stop is not None and stop():
                    break
                temp = t0 * (t1 / t0) ** ((now - start) / span)
                idle = [q for q in self.people if self.cost[q]]
                if not idle:
                    idle = self.people
            q = idle[rng.randrange(len(idle))] if rng.random() < 0.7 else \
                self.people[rng.randrange(len(self.people))]
            delta = self._move(q, temp)
            if delta is None:
                continue
            self.moves += 1
            self.total += delta
            if self.total < best:
                best, best_snap = self.total, st.snapshot()
                last_gain = self.tried
        if self.total > best:
            st.restore(best_snap)
            self.cost = [self.idle_cost(st, q) for q in range(len(st.p.pids))]
            self.total = best
        return best

    def _move(self, q: int, temp: float) -> int | None:
        st, p, rng = self.st, self.st.p, self.rng
        row = st.occ[q]
        mine = [m for m in row if m >= 0 and p.fixed[m] is None]
        if not mine:
            return None
        if self.cost[q] and rng.random() < TARGETED:
            # Close a hole: move q's first or last meeting into an idle slot of q's day.
            busy = [s for s, m in enumerate(row) if m >= 0]
            holes = [s for s in range(busy[0] + 1, busy[-1]) if row[s] < 0]
            if not holes:
                return None
            m = row[busy[0] if rng.random() < 0.5 else busy[-1]]
            s2 = holes[rng.randrange(len(holes))]
            if p.fixed[m] is not None or s2 not in self.allowed[m]:
                return None
        else:
            m = mine[rng.randrange(len(mine))]
            options = p.allowed[m]
            if len(options) < 2:
                return None
            s2 = options[rng.randrange(len(options))]
        s1 = st.slot_of[m]
        if s2 == s1:
            return None
        chain = self._chain(m, s1, s2)
        if chain is None:
            return None
        allowed = self.allowed
        targets = [s2 if st.slot_of[e] == s1 else s1 for e in chain]
        for e, t in zip(chain, targets):
            if t not in allowed[e]:
                return None
        into2 = sum(1 for t in targets if t == s2)
        into1 = len(chain) - into2
        extra = -1
        if st.load[s2] - into1 + into2 > p.tables[s2]:
            extra = self._spare(s2, s1, chain)
            if extra < 0:
                return None
        elif st.load[s1] - into2 + into1 > p.tables[s1]:
            extra = self._spare(s1, s2, chain)
            if extra < 0:
                return None
        people = set()
        for e in chain:
            people.add(p.ma[e])
            people.add(p.mb[e])
        if extra >= 0:
            people.add(p.ma[extra])
            people.add(p.mb[extra])
        before = sum(self.cost[x] for x in people)
        st.begin()
        moved = chain + ([extra] if extra >= 0 else [])
        dest = targets + ([s1 if st.slot_of[extra] == s2 else s2] if extra >= 0 else [])
        for e in moved:
            st.remove(e)
        for e, t in zip(moved, dest):
            table = st.free_table(e, t)
            if table is None or st.occ[p.ma[e]][t] >= 0 or st.occ[p.mb[e]][t] >= 0 \
                    or st.load[t] >= p.tables[t]:
                st.rollback()
                return None
            st.place(e, t, table)
        after_costs = {x: self.idle_cost(st, x) for x in people}
        delta = sum(after_costs.values()) - before
        if delta > 0 and rng.random() >= math.exp(-delta / temp):
            st.rollback()
            return None
        st.commit()
        for x, c in after_costs.items():
            self.cost[x] = c
        return delta

    def _chain(self, m: int, s1: int, s2: int) -> list[int] | None:
        st, p = self.st, self.st.p
        chain, seen, stack = [m], {m}, [m]
        while stack:
            e = stack.pop()
            for x in (p.ma[e], p.mb[e]):
                for slot in (s1, s2):
                    f = st.occ[x][slot]
                    if f >= 0 and f not in seen:
                        if p.fixed[f] is not None or len(chain) >= CHAIN_MAX:
                            return None
                        seen.add(f)
                        chain.append(f)
                        stack.append(f)
        return chain

    def _spare(self, full: int, other: int, chain: list[int]) -> int:
        """A meeting of slot ``full`` that can go to ``other`` (both people free there)."""
        st, p, rng = self.st, self.st.p, self.rng
        lst = st.in_slot[full]
        chained = set(chain)
        for _ in range(6):
            e = lst[rng.randrange(len(lst))]
            if e in chained or p.fixed[e] is not None or other not in self.allowed[e]:
                continue
            if st.occ[p.ma[e]][other] < 0 and st.occ[p.mb[e]][other] < 0:
                return e
        return -1
