"""Fewest broken days as a Boolean satisfiability model with cardinality encodings.

:class:`FewestBroken` asks CP-SAT for a plan that holds every held meeting, has at most one
break per person, and in which at most ``limit`` of the people who could have an unbroken
day do not have one (the people broken in every plan come on top, see the class). It is a
decision model, not an optimisation: on forum-13crafb, asking for 6
(the proven bound plus one) finds a 6-break plan in about 10-20 s with two workers, where
minimising the number of broken days, or the interval models of :mod:`.blocks`, do not get
below 8 in 30 s.

What makes it work is the shape of the model rather than the solver (CaDiCaL needs as long
on the same clauses):

- per person and slot a literal ``busy[q, s]``, tied to the meeting literals by clauses, and
  per person ``busy`` summed to their number of meetings;
- ``broken[q]`` is implied by clauses only: two busy slots ``k`` or more apart (``k`` = q's
  meetings), or two starts of a run;
- the tables (at most two busy people per table and slot) and the limit on broken days as
  cardinality *networks* (a totalizer, PySAT's ``pysat.card``) whose auxiliary literals the
  solver learns clauses over. The same bounds as linear constraints make CP-SAT two to
  three times slower on forum-13crafb, and with the window's linear table bound added
  beside the clauses it found no plan in 60 s, so the window leaves that bound out.
"""

from __future__ import annotations

from ortools.sat.python import cp_model
from pysat.card import CardEnc, EncType
from pysat.formula import IDPool

from .blocks import _Background, _matchable, can_be_unbroken
from .exact import WORKERS, Window
from .problem import Problem
from .state import State


def _fits_two_runs(problem: Problem, meetings: list[int]) -> bool:
    """Whether ``meetings`` (of one person) fit two runs of consecutive slots."""
    n, k = problem.n_slots, len(meetings)
    for first in range(1, k):
        for start in range(n - k):
            for second in range(start + first + 1, n - (k - first) + 1):
                slots = [*range(start, start + first), *range(second, second + k - first)]
                if _matchable(meetings, slots, problem.allowed):
                    return True
    return False


class _Clauses:
    """Maps CP-SAT literals to the integer literals of PySAT's encoders and back."""

    def __init__(self, model: cp_model.CpModel):
        self.model = model
        self.pool = IDPool()
        self.lits: dict[int, cp_model.IntVar] = {}

    def id(self, lit) -> int:
        i = self.pool.id(lit.Index())
        self.lits[i] = lit
        return i

    def _lit(self, i: int):
        v = self.lits.get(abs(i))
        if v is None:
            v = self.lits[abs(i)] = self.model.NewBoolVar("")
        return v if i > 0 else v.Not()

    def at_most(self, lits: list, bound: int, encoding: int) -> None:
        if len(lits) <= bound:
            return
        if bound <= 0:
            for v in lits:
                self.model.Add(v == 0)
            return
        ids = [self.id(v) for v in lits]
        for clause in CardEnc.atmost(ids, bound, vpool=self.pool, encoding=encoding).clauses:
            self.model.AddBoolOr([self._lit(i) for i in clause])


class FewestBroken(_Background):
    """A plan with at most ``breaks`` breaks over the state's held meetings (locked ones
    stay): of the people who could have an unbroken day at most ``limit = breaks − forced``
    do not, and each of them has one break at most. ``forced`` counts the others: one
    break each for those who have a break in every plan (at most one, unless their
    meetings fit no two runs: then as many as now, and the plan may have more than
    ``breaks``), and the breaks of people whose meetings are all locked. ``asked`` is
    ``forced + max(limit, 0)``, the number the model asks for in effect. INFEASIBLE proves
    that no plan with at most one break per person (beyond those exceptions) has
    ``asked`` breaks or fewer — not a bound for all plans."""

    def __init__(self, state: State, breaks: int, seed: int = 0, workers: int = WORKERS):
        self.st = state
        p = state.p
        forced = 0
        free = [m for m in range(p.n_meetings) if state.slot_of[m] >= 0]
        self.window = window = Window(state, free, tables=False)
        model = window.model
        for m in window.free:
            model.AddExactlyOne(window.held[m])
        clauses = _Clauses(model)
        n_s = p.n_slots
        true = model.NewConstant(1)
        at_slot: dict[int, list] = {s: [] for s in range(n_s)}
        broken = []
        for q in window.people:
            held = [m for m in p.meetings_of[q] if state.slot_of[m] >= 0]
            k = len(held)
            busy = []
            for s in range(n_s):
                lits = window.at_person_slot.get((q, s), [])
                if window.kept_busy[q][s]:
                    b = true
                elif not lits:
                    busy.append(None)
                    continue
                else:
                    b = model.NewBoolVar("")
                    model.AddBoolOr(lits + [b.Not()])
                    for x in lits:
                        model.AddImplication(x, b)
                    at_slot[s].append(b)
                busy.append(b)
            present = [(s, b) for s, b in enumerate(busy) if b is not None]
            model.Add(sum(b for _, b in present) == k)
            firsts = []
            for s, b in present:
                before = busy[s - 1] if s else None
                if before is None:
                    firsts.append(b)
                    continue
                f = model.NewBoolVar("")
                model.AddBoolOr([f, b.Not(), before])
                model.AddImplication(f, b)
                model.AddImplication(f, before.Not())
                firsts.append(f)
            if not can_be_unbroken(p, q, held):  # broken in every plan
                forced += 1
                runs = 2 if _fits_two_runs(p, held) else max(2, state.person_breaks(q) + 1)
                clauses.at_most(firsts, runs, EncType.seqcounter)
                continue
            clauses.at_most(firsts, 2, EncType.seqcounter)
            bq = model.NewBoolVar("")
            broken.append(bq)
            for i, f in enumerate(firsts):
                for g in firsts[i + 1:]:
                    model.AddBoolOr([f.Not(), g.Not(), bq])
            for i, (s, b) in enumerate(present):
                for t, c in present[i + 1:]:
                    if t - s >= k:
                        model.AddBoolOr([b.Not(), c.Not(), bq])
        free_set = set(window.free)
        for s in range(n_s):  # two busy people per meeting, one table per meeting
            kept = sum(1 for m in state.in_slot[s] if m not in free_set)
            clauses.at_most(at_slot[s], 2 * (p.tables[s] - kept), EncType.kmtotalizer)
        # People whose meetings are all locked keep their breaks.
        forced += sum(state.person_breaks(q) for q in set(range(len(p.pids))) - set(window.people))
        self.limit = breaks - forced
        self.asked = forced + max(self.limit, 0)  # what the model asks in effect
        clauses.at_most(broken, self.limit, EncType.totalizer)
        # No hints: the plan at hand has more breaks than asked for, and repairing it costs
        # CP-SAT more time than it saves (12 and 11 s instead of 19 and 16 on forum-13crafb).
        model.ClearHints()
        self._solver(seed, workers)
