"""Days in one block: a proven lower bound on breaks and a CP-SAT search for plans in which
everybody who can have an unbroken day has one.

**Lower bound.** When every meeting is held (and every weight is positive, so every plan of
the same weight holds them all), a person with ``k`` meetings has a day without a break only
if ``k`` consecutive slots can take all of them: each of their meetings needs its own slot
of the window among the slots it may use (a bipartite matching; other people, tables and
booths are ignored, so the test only errs towards "possible"). Everybody for whom no window
passes has at least one break in every such plan, so their number is a proven lower bound
on the breaks (``stats.breaks_bound``). On the B2B instance ``forumt-14`` it equals the
published optimum (5).

**Search.** The model of :class:`Blocks` frees every scheduled meeting (locked meetings
stay, unscheduled ones stay out) and asks that each person who can have an unbroken day
gets one: ``start[q, t]`` says q's day is the slots ``t … t + k − 1``, exactly one start,
and q's meetings in slot s add up to the starts that cover s. The others are free and their
breaks (block starts minus one) are minimised. This interval view propagates far better
than counting breaks slot by slot (the counting model found no plan without breaks on
``ticf-13crafa`` within 40 s; this one finds one in seconds, through CP-SAT's feasibility-jump
workers), but it only looks at plans where everybody else has an unbroken day, so it runs
beside the annealing of :mod:`.idle` in a background thread (CP-SAT releases the GIL) and
its plan is taken only when it is better.
"""

from __future__ import annotations

import threading

from ortools.sat.python import cp_model

from .exact import WORKERS, Window
from .problem import Problem
from .state import State

# Models up to this many meeting × slot variables get the background search (the B2B
# instances have 1,200-3,500; larger generated ones have many unscheduled meetings anyway).
BLOCKS_MAX = 6000


def _matchable(meetings: list[int], window: range, allowed: list[list[int]]) -> bool:
    """Can each meeting get its own slot of ``window`` among its allowed slots?"""
    inside = set(window)
    owner: dict[int, int] = {}

    def augment(m: int, seen: set[int]) -> bool:
        for s in allowed[m]:
            if s in inside and s not in seen:
                seen.add(s)
                if s not in owner or augment(owner[s], seen):
                    owner[s] = m
                    return True
        return False

    return all(augment(m, set()) for m in meetings)


def can_be_unbroken(problem: Problem, person: int, meetings: list[int]) -> bool:
    """Whether ``meetings`` of ``person`` fit into some window of consecutive slots."""
    k = len(meetings)
    return k == 0 or any(_matchable(meetings, range(t, t + k), problem.allowed)
                         for t in range(problem.n_slots - k + 1))


def forced_breaks(problem: Problem) -> list[int]:
    """People who have a break in every plan that holds all their meetings."""
    return [q for q in range(len(problem.pids)) if not can_be_unbroken(problem, q, problem.meetings_of[q])]


def breaks_bound(state: State) -> int:
    """A proven lower bound on breaks among plans of at least the state's weight (0 unless
    every meeting is held and every weight is positive)."""
    p = state.p
    if any(s < 0 for s in state.slot_of) or any(w <= 0 for w in p.weight):
        return 0
    return len(forced_breaks(p))


class Blocks:
    """The interval model over the state's scheduled meetings, solved in a background thread."""

    def __init__(self, state: State, seed: int = 0):
        self.st = state
        p = state.p
        free = [m for m in range(p.n_meetings) if state.slot_of[m] >= 0 and p.fixed[m] is None]
        self.window = window = Window(state, free)
        model = window.model
        for m in window.free:
            model.AddExactlyOne(window.held[m])
        n_s = p.n_slots
        breaks = []
        for q in window.people:
            held = [m for m in p.meetings_of[q] if state.slot_of[m] >= 0]
            k = len(held)
            busy = [window.busy(q, s) for s in range(n_s)]
            possible = [not (isinstance(b, int) and b == 0) for b in busy]
            now = [state.occ[q][s] >= 0 for s in range(n_s)]
            locked = [s for s in range(n_s) if window.kept_busy[q][s]]
            starts = {}
            if can_be_unbroken(p, q, held):
                for t in range(n_s - k + 1):
                    if all(possible[t:t + k]) and all(t <= s < t + k for s in locked):
                        starts[t] = v = model.NewBoolVar("")
                        model.AddHint(v, all(now[t:t + k]))
            if starts:
                model.AddExactlyOne(starts.values())
                for s in range(n_s):
                    cover = [starts[t] for t in range(s - k + 1, s + 1) if t in starts]
                    if cover or not isinstance(busy[s], int):
                        model.Add(sum(cover) == busy[s])
                continue
            # free day: breaks = block starts − 1
            firsts = []
            for s in range(n_s):
                if not possible[s]:
                    continue
                v = model.NewBoolVar("")
                model.Add(v >= busy[s] - (busy[s - 1] if s else 0))
                model.AddHint(v, now[s] and not (s and now[s - 1]))
                firsts.append(v)
            breaks.append(sum(firsts) - 1)
        self.lower = len(breaks)  # each free person has at least one break
        if breaks:
            model.Minimize(sum(breaks))
        self.solver = cp_model.CpSolver()
        self.solver.parameters.num_workers = WORKERS
        self.solver.parameters.random_seed = seed
        self.status = cp_model.UNKNOWN
        self.thread: threading.Thread | None = None

    def start(self, seconds: float) -> None:
        self.solver.parameters.max_time_in_seconds = max(seconds, 0.01)
        self.thread = threading.Thread(target=self._solve, daemon=True)
        self.thread.start()

    def _solve(self) -> None:
        self.status = self.solver.Solve(self.window.model)

    def done(self) -> bool:
        return self.thread is not None and not self.thread.is_alive()

    def found(self) -> bool:
        return self.done() and self.status in (cp_model.OPTIMAL, cp_model.FEASIBLE)

    def stop(self) -> None:
        if self.thread is not None and self.thread.is_alive():
            self.solver.StopSearch()
            self.thread.join()

    def apply_if_better(self, key) -> bool:
        """Take the solver's plan when ``key(state)`` gets smaller; otherwise keep the state."""
        if not self.found():
            return False
        st = self.st
        before, snapshot = key(st), st.snapshot()
        value = st.value
        self.window.apply(self.solver)
        if key(st) < before and st.value >= value - 1e-9:
            return True
        st.restore(snapshot)
        return False
