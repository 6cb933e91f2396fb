"""Days in one block: proven lower bounds on breaks and CP-SAT searches for plans in which
(nearly) everybody has an unbroken day.

**Per-person bound.** When every meeting is held (and every weight is positive, so every
plan of the same weight holds them all), a person with ``k`` meetings has a day without a
break only if ``k`` consecutive slots can take all of them: each of their meetings needs its
own slot of the window among the slots it may use (a bipartite matching; other people,
tables and booths are ignored, so the test only errs towards "possible"). Everybody for
whom no window passes has at least one break in every such plan, so their number is a
proven lower bound on the breaks (``stats.breaks_bound``). On the B2B instance
``forumt-14`` it equals the published optimum (5).

**Most unbroken days** (:class:`MostUnbroken`). People who can each have an unbroken day
alone may not all have one together (their shared meetings, the tables). A pure Boolean
model maximises the number of unbroken days; its proven upper bound turns into a lower
bound on breaks that counts such conflicts too (5 on ``forum-13crafb`` where the per-person
test gives 3; 4 on ``tic-13crafc`` and 5 on ``forumt-14crafe``, their published optima).

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


def _matchable(meetings: list[int], window: range | list[int], allowed: list[list[int]]) -> bool:
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


INFEASIBLE = cp_model.INFEASIBLE


def all_held(state: State) -> bool:
    """Every meeting is held and every weight is positive: then every plan of at least the
    state's weight holds all meetings, and the bounds on breaks below apply."""
    return all(s >= 0 for s in state.slot_of) and all(w > 0 for w in state.p.weight)


def breaks_bound(state: State) -> int:
    """A proven lower bound on breaks among plans of at least the state's weight (0 unless
    every meeting is held and every weight is positive)."""
    if not all_held(state):
        return 0
    return len(forced_breaks(state.p))


class _Background:
    """A CP-SAT model over a :class:`Window`, solved in a background thread (CP-SAT releases
    the GIL, so the annealing goes on meanwhile)."""

    window: Window

    def _solver(self, seed: int, workers: int = WORKERS) -> None:
        self.solver = cp_model.CpSolver()
        self.solver.parameters.num_workers = workers
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


class Blocks(_Background):
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
                _cover(window, q, k, starts)
                continue
            # free day: breaks = block starts − 1
            breaks.append(sum(_block_starts(window, q)) - 1)
        self.lower = len(breaks)  # each free person has at least one break
        if breaks:
            model.Minimize(sum(breaks))
        self._solver(seed)


def _runs(window: Window, state: State, q: int) -> list:
    """Possible unbroken days of ``q`` in ``window``: a literal per run of ``k`` consecutive
    slots (``k``: q's held meetings) that can take all of q's meetings (and the kept ones),
    implying, as clauses, q busy in each slot of the run and nowhere else."""
    p, model = state.p, window.model
    held = [m for m in p.meetings_of[q] if state.slot_of[m] >= 0]
    k = len(held)
    kept = window.kept_busy[q]
    locked = [s for s in range(p.n_slots) if kept[s]]
    starts = []
    for t in range(p.n_slots - k + 1):
        if not all(t <= s < t + k for s in locked) or not _matchable(held, range(t, t + k), p.allowed):
            continue
        v = model.NewBoolVar("")
        model.AddHint(v, all(state.occ[q][s] >= 0 for s in range(t, t + k)))
        starts.append(v)
        for s in range(p.n_slots):
            lits = window.at_person_slot.get((q, s), [])
            if t <= s < t + k:
                if not kept[s]:
                    model.AddBoolOr(lits + [v.Not()])
            else:
                for x in lits:
                    model.AddImplication(v, x.Not())
    return starts


class MostUnbroken(_Background):
    """As many unbroken days as possible: a pure Boolean model (a MaxSAT in effect), over the
    state's scheduled meetings of ``free`` (default all; the rest stays where it is).

    For each person of the window whose held meetings fit a run of consecutive slots (and
    whose kept meetings lie inside it), ``u[q]`` says q's day is unbroken and ``start[q, t]``
    (exactly one when ``u[q]``) where it begins; a start implies q busy in each slot of its
    run and free elsewhere, all as clauses over the meeting × slot literals. The summed
    ``u`` is maximised. Clauses propagate well and CP-SAT's core-based worker proves upper
    bounds on the count quickly, which the linear break count (block starts − 1) did not:
    over all meetings, everybody outside the count has at least one break, so
    ``breaks_bound`` is a proven lower bound on the breaks of any plan that holds every
    meeting (5 on forum-13crafb in about 2 s, where the per-person test proves 3; 4 on
    tic-13crafc, its published optimum, through the LP worker)."""

    def __init__(self, state: State, seed: int = 0, free: list[int] | None = None, workers: int = WORKERS,
                 subsolvers: tuple[str, ...] = ()):
        self.st = state
        p = state.p
        if free is None:
            free = [m for m in range(p.n_meetings) if state.slot_of[m] >= 0]
        self.window = window = Window(state, [m for m in free if state.slot_of[m] >= 0])
        model = window.model
        for m in window.free:
            model.AddExactlyOne(window.held[m])
        self.u = []
        self.others = 0  # people of the window who cannot have an unbroken day
        for q in window.people:
            starts = _runs(window, state, q)
            if not starts:
                self.others += 1
                continue
            u = model.NewBoolVar("")
            model.AddHint(u, state.person_breaks(q) == 0)
            model.Add(sum(starts) == u)
            self.u.append(u)
        model.Maximize(sum(self.u))
        self._solver(seed, workers)
        self.solver.parameters.subsolvers.extend(subsolvers)

    def breaks_bound(self) -> int:
        """Lower bound on the summed breaks of the window's people (after a solve)."""
        if self.status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return self.others
        return self.others + len(self.u) - int(self.solver.BestObjectiveBound() + 1e-6)


def _block_starts(window: Window, q: int) -> list:
    """A literal per slot where q could be busy, true at least where a run of q's busy slots
    starts (``first[s] ≥ busy[s] − busy[s−1]``): their sum bounds the number of runs."""
    model, st = window.model, window.st
    firsts = []
    before = 0
    for s in range(window.p.n_slots):
        busy = window.busy(q, s)
        if not (isinstance(busy, int) and busy == 0):
            v = model.NewBoolVar("")
            model.Add(v >= busy - before)
            model.AddHint(v, st.occ[q][s] >= 0 and not (s and st.occ[q][s - 1] >= 0))
            firsts.append(v)
        before = busy
    return firsts


def _cover(window: Window, q: int, k: int, starts: dict) -> None:
    """q's busy slots are exactly those of the run of ``k`` slots that starts (``starts``:
    first slot -> literal) as a linear equation per slot."""
    for s in range(window.p.n_slots):
        cover = [starts[t] for t in range(s - k + 1, s + 1) if t in starts]
        busy = window.busy(q, s)
        if cover or not isinstance(busy, int):
            window.model.Add(sum(cover) == busy)
