"""CP-SAT models of the schedule (OR-Tools), over all meetings or a window of them.

A :class:`Window` frees a set of meetings of the current :class:`State` and keeps every
other meeting where it is. Variables: ``x[m, s]`` for each free meeting and each slot it may
still take (both people free of kept meetings there, a booth table left), ``y[m, s, t]``
when two booth owners meet (which of the two booths). Constraints: at most one slot per
meeting, one meeting per person and slot, the slot's free tables, each booth table once,
the people's remaining caps.

Two uses:

- :func:`maximise_weight` — the summed weight (small instances, when the local search stalls
  below the LP bound): a schedule at least as good plus a proven bound.
- :func:`minimise_idle` — with the scheduled weight kept at least where it is, fewer idle
  slots: per person ``pre[s]`` (a meeting at or before s) and ``post[s]`` (at or after s);
  an idle gap is an available slot with ``pre ∧ post ∧ ¬busy``; a break starts at s when
  ``busy[s−1] ∧ ¬busy[s] ∧ post[s]``. The objective is lexicographic: gaps first (FORMATS.md),
  then breaks, then (optionally) the largest number of breaks of one person.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .problem import NO_CAP
from .state import State

WORKERS = 2


@dataclass
class Outcome:
    improved: bool          # the state was changed to a better schedule
    optimal: bool           # the model was solved to proven optimality
    bound: int | None       # proven bound of the model's objective (None when unknown)
    status: str


class Window:
    """A CP-SAT model in which ``free`` meetings may move (or be dropped/added); the rest is kept.

    ``tables=False`` leaves out the linear bound on meetings per slot, for models that state
    it in their own way (:mod:`.breaks`)."""

    def __init__(self, state: State, free: list[int], tables: bool = True):
        self.st = state
        p = self.p = state.p
        self.free = [m for m in free if p.fixed[m] is None]
        free_set = set(self.free)
        n_s = p.n_slots
        model = self.model = cp_model.CpModel()
        self.people = sorted({p.ma[m] for m in self.free} | {p.mb[m] for m in self.free})
        kept_busy = {q: [state.occ[q][s] >= 0 and state.occ[q][s] not in free_set for s in range(n_s)]
                     for q in self.people}
        self.kept_busy = kept_busy
        kept_load = [sum(1 for m in state.in_slot[s] if m not in free_set) for s in range(n_s)]
        kept_tables = [{t for t, m in state.used[s].items() if m not in free_set} for s in range(n_s)]
        self.x: dict[tuple[int, int], cp_model.IntVar] = {}
        self.y: dict[tuple[int, int, int], cp_model.IntVar] = {}
        self.held: dict[int, list] = {}
        self.at_person_slot: dict[tuple[int, int], list] = defaultdict(list)
        at_slot: dict[int, list] = defaultdict(list)
        at_table: dict[tuple[int, int], list] = defaultdict(list)
        for m in self.free:
            a, b = p.ma[m], p.mb[m]
            opts = p.booth_opts[m]
            lits = []
            for s in p.allowed[m]:
                if kept_busy[a][s] or kept_busy[b][s]:
                    continue
                tables_here = [t for t in opts if t <= p.tables[s] and t not in kept_tables[s]]
                if opts and not tables_here:
                    continue
                v = model.NewBoolVar(f"x{m}_{s}")
                self.x[m, s] = v
                lits.append(v)
                self.at_person_slot[a, s].append(v)
                self.at_person_slot[b, s].append(v)
                at_slot[s].append(v)
                if len(tables_here) == 1:
                    at_table[s, tables_here[0]].append(v)
                elif len(tables_here) > 1:
                    ys = []
                    for t in tables_here:
                        u = model.NewBoolVar(f"y{m}_{s}_{t}")
                        self.y[m, s, t] = u
                        at_table[s, t].append(u)
                        ys.append(u)
                    model.Add(sum(ys) == v)
            if len(lits) > 1:
                model.AddAtMostOne(lits)
            self.held[m] = lits
        for lits in self.at_person_slot.values():
            if len(lits) > 1:
                model.AddAtMostOne(lits)
        for s, lits in at_slot.items():
            if tables and len(lits) > p.tables[s] - kept_load[s]:
                model.Add(sum(lits) <= p.tables[s] - kept_load[s])
        for lits in at_table.values():
            if len(lits) > 1:
                model.AddAtMostOne(lits)
        for q in self.people:
            if p.cap[q] >= NO_CAP:
                continue
            kept = sum(1 for m in p.meetings_of[q] if state.slot_of[m] >= 0 and m not in free_set)
            mine = [v for m in p.meetings_of[q] if m in free_set for v in self.held[m]]
            if len(mine) > p.cap[q] - kept:
                model.Add(sum(mine) <= p.cap[q] - kept)
        self.scale = _weight_scale(p.weight)
        self.weight_expr = sum(self._w(m) * v for m in self.free for v in self.held[m])
        self.current_weight = sum(self._w(m) for m in self.free if state.slot_of[m] >= 0)
        self._hint_x()

    def _w(self, m: int) -> int:
        return int(round(self.p.weight[m] * self.scale))

    def _hint_x(self) -> None:
        st = self.st
        for (m, s), v in self.x.items():
            self.model.AddHint(v, st.slot_of[m] == s)
        for (m, s, t), u in self.y.items():
            self.model.AddHint(u, st.slot_of[m] == s and st.table_of[m] == t)

    def busy(self, q: int, s: int):
        if self.kept_busy[q][s]:
            return 1
        lits = self.at_person_slot.get((q, s))
        return sum(lits) if lits else 0

    def solve(self, seconds: float, seed: int) -> tuple[cp_model.CpSolver, int]:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(seconds, 0.01)
        solver.parameters.num_workers = WORKERS
        solver.parameters.random_seed = seed
        status = solver.Solve(self.model)
        return solver, status

    def apply(self, solver: cp_model.CpSolver) -> None:
        """Replace the free meetings' placement by the solver's solution."""
        st, p = self.st, self.p
        for m in self.free:
            if st.slot_of[m] >= 0:
                st.remove(m)
        for m in self.free:
            for s in p.allowed[m]:
                v = self.x.get((m, s))
                if v is None or not solver.BooleanValue(v):
                    continue
                opts = p.booth_opts[m]
                table = 0
                if opts:
                    table = next((t for t in opts if (m, s, t) in self.y and solver.BooleanValue(self.y[m, s, t])),
                                 None) or st.free_table(m, s)
                st.place(m, s, table)
                break


def _weight_scale(weights: list[float]) -> int:
    """Weights become integers: as they are when integral, else in millionths."""
    return 1 if all(float(w).is_integer() for w in weights) else 10**6


def _status(solver: cp_model.CpSolver, status: int) -> str:
    return solver.StatusName(status)


def maximise_weight(state: State, seconds: float, seed: int = 0) -> Outcome:
    """Most summed weight over all meetings (hinted with the current schedule); ``bound``
    is in weight units (locked meetings included). ``seconds`` includes building the model."""
    began = time.monotonic()
    p = state.p
    window = Window(state, [m for m in range(p.n_meetings) if p.allowed[m]])
    model = window.model
    model.Maximize(window.weight_expr)
    model.Add(window.weight_expr >= window.current_weight)
    solver, status = window.solve(seconds - (time.monotonic() - began), seed)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Outcome(False, False, None, _status(solver, status))
    improved = solver.ObjectiveValue() > window.current_weight + 0.5
    if improved:
        before = state.value
        snapshot = state.snapshot()
        window.apply(solver)
        if state.value < before + 1e-9:  # never worse than what we had
            state.restore(snapshot)
            improved = False
    locked = sum(p.weight[m] for m in range(p.n_meetings) if p.fixed[m] is not None)
    bound = math.floor(solver.BestObjectiveBound() + 1e-6) / window.scale + locked
    if window.scale != 1:  # rounding each weight to millionths moves a sum by at most this
        bound += 0.5 * len(window.free) / window.scale
    return Outcome(improved, status == cp_model.OPTIMAL, bound, _status(solver, status))


def size(problem) -> int:
    """Number of ``x`` variables of the full model."""
    return sum(len(a) for m, a in enumerate(problem.allowed) if problem.fixed[m] is None)


@dataclass
class IdleOutcome(Outcome):
    primary_bound: int | None = None  # proven lower bound on the first count (gaps or breaks)


def minimise_idle(state: State, free: list[int], seconds: float, seed: int = 0,
                  first: str = "gaps", fair: bool = False) -> IdleOutcome:
    """Fewer gaps then breaks (or breaks then gaps, ``first``) for the people of ``free``
    meetings, the weight kept; ``fair`` adds the largest number of breaks of one person last.
    ``seconds`` includes building the model."""
    began = time.monotonic()
    p = state.p
    window = Window(state, free)
    model = window.model
    model.Add(window.weight_expr >= window.current_weight)
    n_s = p.n_slots
    total = sum(window._w(m) for m in window.free)
    if window.current_weight >= total:  # every free meeting is held: say so (stronger model)
        for m in window.free:
            model.Add(sum(window.held[m]) == 1)
    gap_terms, break_terms, hints = [], [], []
    per_person_breaks = {}
    for q in window.people:
        row = state.occ[q]
        busy_now = [row[s] >= 0 for s in range(n_s)]
        first = next((s for s in range(n_s) if busy_now[s]), n_s)
        last = max((s for s in range(n_s) if busy_now[s]), default=-1)
        busy = [window.busy(q, s) for s in range(n_s)]
        pre = [model.NewBoolVar("") for _ in range(n_s)]
        post = [model.NewBoolVar("") for _ in range(n_s)]
        has = model.NewBoolVar("")
        hints.append((has, first < n_s))
        for s in range(n_s):
            hints.append((pre[s], s >= first))
            hints.append((post[s], s <= last))
            model.Add(pre[s] >= busy[s])
            model.Add(post[s] >= busy[s])
            model.Add(has >= busy[s])
            model.AddImplication(pre[s], has)
            model.AddImplication(post[s], has)
            if s:
                model.AddImplication(pre[s - 1], pre[s])
                model.AddImplication(post[s], post[s - 1])
        # pre ∨ post holds in every slot of a person with a meeting, so the slots between the
        # first and last meeting are exactly those with pre ∧ post = pre + post − 1.
        for s in range(n_s):
            model.Add(pre[s] + post[s] >= has)
        available = [s for s in range(n_s) if p.avail[q][s] or window.kept_busy[q][s]]
        gap_terms.append(sum(pre[s] + post[s] for s in available) - len(available) * has
                         - sum(busy[s] for s in range(n_s)))
        mine = []
        for s in range(1, n_s):
            if window.kept_busy[q][s]:
                continue
            k = model.NewBoolVar("")
            model.Add(k >= busy[s - 1] - busy[s] + post[s] - 1)
            mine.append(k)
            hints.append((k, busy_now[s - 1] and not busy_now[s] and s <= last))
        break_terms.extend(mine)
        per_person_breaks[q] = mine
    for var, value in hints:
        model.AddHint(var, bool(value))
    n_gaps, n_breaks = sum(gap_terms), sum(break_terms)
    limit = n_s * len(window.people) + 1       # more than any count of gaps or breaks
    primary, secondary = (n_gaps, n_breaks) if first == "gaps" else (n_breaks, n_gaps)
    if fair:
        worst = model.NewIntVar(0, n_s, "max_breaks")
        for mine in per_person_breaks.values():
            if mine:
                model.Add(worst >= sum(mine))
        secondary = secondary * (n_s + 1) + worst
        weight = limit * (n_s + 1)
    else:
        weight = limit
    model.Minimize(weight * primary + secondary)
    def measure() -> tuple:
        gaps = sum(state.person_gaps(q) for q in window.people)
        breaks = [state.person_breaks(q) for q in window.people]
        key = (gaps, sum(breaks)) if first == "gaps" else (sum(breaks), gaps)
        return key + ((max(breaks, default=0),) if fair else ())

    before = measure()
    solver, status = window.solve(seconds - (time.monotonic() - began), seed)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return IdleOutcome(False, False, None, _status(solver, status))
    snapshot = state.snapshot()
    old_value = state.value
    window.apply(solver)
    after = measure()
    improved = after < before and state.value >= old_value - 1e-9
    if not improved:
        state.restore(snapshot)
    bound = int(solver.BestObjectiveBound() + 1e-6)
    return IdleOutcome(improved, status == cp_model.OPTIMAL, bound, _status(solver, status),
                       primary_bound=max(0, bound // weight))
