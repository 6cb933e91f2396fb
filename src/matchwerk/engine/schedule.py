"""``matchwerk schedule``: 1:1 meetings into slots and tables (FORMATS.md).

The work is done in :mod:`matchwerk.engine.scheduling`: parse and check the input, a greedy
start, the LP-relaxation bound, ejection-chain local search until the bound is reached or
time is up, then moves that shorten people's idle gaps without losing any meeting.
See docs/engine-schedule.md.
"""

from __future__ import annotations

import math
import random
import time

from matchwerk.engine.inputs import Progress
from matchwerk.engine.scheduling import blocks, breaks, exact
from matchwerk.engine.scheduling.bound import BackgroundBound
from matchwerk.engine.scheduling.idle import TEMPS, Annealer, IdleCost
from matchwerk.engine.scheduling.problem import Problem, parse
from matchwerk.engine.scheduling.search import Improver, compact, greedy
from matchwerk.engine.scheduling.state import State

SEED = 20240503
# Share of the time limit kept for fewer idle gaps while the weight is not settled.
GAP_SHARE = 0.15
# Time limit of the LP bound (it runs in a thread beside the search).
LP_SHARE = 0.95
# Full CP-SAT models (weight proof, idle-gap proof) up to this many meeting × slot variables.
EXACT_MAX = 20000
# Instances with a proof attempt (PROOF_MAX): the annealing stops after this many tried
# moves per meeting (at least the minimum) without a better plan; CP-SAT then gets this
# share of the time left to prove the gaps minimal, and the annealing the rest.
ANNEAL_PATIENCE, ANNEAL_PATIENCE_MIN, PROOF_SHARE = 300, 30000, 0.4
# The proof attempt gets at most PROOF_BASE + variables / PROOF_RATE seconds; the annealing
# after it restarts at REHEAT times the first temperature.
PROOF_BASE, PROOF_RATE, REHEAT = 1.0, 1000, 0.1
# Only models up to this many variables get the proof attempt: beyond, the weak linear
# relaxation of the gap model proves no more than 0 within seconds (the B2B instances
# have 1,200-3,500), and the annealing makes better use of the time.
PROOF_MAX = 1000
# Share of the idle phase the gap compaction may take before the annealing.
COMPACT_SHARE = 0.05
# Larger models (up to blocks.BLOCKS_MAX variables) anneal alone for this share of the idle
# phase; then the interval model of blocks.py (everybody who can have an unbroken day gets
# one) is tried beside the annealing, at most this many seconds per try.
BLOCKS_WAIT, BLOCKS_TRY = 0.2, 6.0
# Once the interval model is proven infeasible, the most-unbroken-days model of blocks.py (for
# a proven lower bound on breaks, and maybe a better plan) runs once beside the annealing, for
# at most this share of the idle phase and this many seconds, with a core-based and an LP worker (plus one that CP-SAT gives to its
# neighbourhood searches).
BOUND_SHARE, BOUND_TRY, BOUND_WORKERS, BOUND_SUBSOLVERS = 0.3, 8.0, 3, ("core", "max_lp")
# When breaks come first, that bound gets at most BOUND_TRY_BREAKS seconds (on forum-13crafb
# it proves 5 in about 2 s); then breaks.FewestBroken asks for a plan with one break more
# than the bound, with this many CP-SAT workers, until the time is up or it answers (the
# annealing waits meanwhile, so CP-SAT has both cores).
BOUND_TRY_BREAKS, FEWEST_WORKERS = 3.0, 2
# ... when at least this many seconds are left (building the model takes about 0.5 s).
FEWEST_MIN = 2.0


def run(data: dict, progress: Progress | None = None) -> dict:
    started = time.monotonic()
    report = progress or (lambda fraction, message: None)
    problem = parse(data)
    limit = problem.time_limit
    deadline = started + limit
    report(0.0, "Eingabe geprüft")

    bounds = BackgroundBound(problem, time_limit=LP_SHARE * limit)
    state = State(problem)
    greedy(state)
    start_value = state.value
    greedy_done = time.monotonic()
    report(0.05, "Startplan erstellt")

    rng = random.Random(SEED)
    improver = Improver(state, rng)
    small = exact.size(problem) <= EXACT_MAX
    proof = _Proof(bounds)
    search_end = started + (1 - GAP_SHARE) * limit
    if state.value < proof.bound() - 1e-9 or bounds.thread.is_alive():
        span = max(search_end - time.monotonic(), 1e-6)
        base = time.monotonic()
        tell = (lambda f: report(0.05 + 0.8 * min(1.0, (time.monotonic() - base) / span),
                                 f"Suche: {_num(state.value)} von höchstens {_num(proof.bound())}"))
        stalled = improver.run(search_end, proof.bound, tell)
        if stalled and small and time.monotonic() < search_end:
            # The local search is stuck below the bound: CP-SAT either finds more or proves it.
            out = exact.maximise_weight(state, search_end - time.monotonic(), seed=SEED)
            proof.exact = out.bound
            if out.improved:
                improver.best_at = time.monotonic()
        if state.value < proof.bound() - 1e-9 and time.monotonic() < search_end:
            improver.run(search_end, proof.bound, tell, stall=False)
    report(0.85, "Lücken werden verkleinert")
    idle = _fewer_idle(state, rng, deadline)
    while state.value < proof.bound() - 1e-9 and deadline - time.monotonic() > 0.05 * limit:
        # Idle gaps are settled but the weight is not proven: more search, then gaps again.
        now = time.monotonic()
        improver.run(now + 0.6 * (deadline - now), proof.bound, stall=False)
        idle = _fewer_idle(state, rng, deadline)
    bounds.wait(deadline - time.monotonic())
    bound, bound_kind = proof.current()
    report(1.0, "Fertig")
    best_at = round((improver.best_at or greedy_done) - started, 3)
    return _result(problem, state, bound, bound_kind, started, start_value, improver.iterations, idle,
                   best_at)


class _Proof:
    """The best proven upper bound on the weight: LP (or table) bound, or CP-SAT's."""

    def __init__(self, bounds: BackgroundBound):
        self.bounds = bounds
        self.exact: float | None = None

    def current(self) -> tuple[float, str]:
        bound, kind = self.bounds.current()
        if self.exact is not None and self.exact < bound:
            bound, kind = self.exact, "cp-sat"
            if self.bounds.integral:
                bound = float(math.floor(bound + 1e-6))
        return bound, kind

    def bound(self) -> float:
        return self.current()[0]


def _fewer_idle(state: State, rng: random.Random, deadline: float) -> dict:
    """Second phase: the scheduled weight stays, idle gaps (then breaks) go down until they
    are proven minimal or time is up. Returns the figures for ``stats``."""
    began = time.monotonic()
    # A quick first-improvement pass, bounded: at 1,000+ people it used to take all of the
    # idle time (12 s at 1,000 people) and leave ~1,130 gaps where the annealing alone
    # reaches ~600 in the same time.
    moves = compact(state, rng, began + COMPACT_SHARE * (deadline - began))
    p = state.p
    cost = IdleCost(p.idle_first, p.fair_breaks)
    # Everybody who can have an unbroken day has one and nobody has a gap: proven optimal.
    lower = blocks.breaks_bound(state)
    stop_at = lower * cost.brk
    annealer = Annealer(state, rng, cost)
    provable = exact.size(p) <= PROOF_MAX
    patience = max(ANNEAL_PATIENCE_MIN, ANNEAL_PATIENCE * p.n_meetings) if provable else math.inf
    if not provable and exact.size(p) <= blocks.BLOCKS_MAX:
        moved, total, lower = _anneal_with_blocks(state, annealer, rng, cost, lower, deadline)
        stop_at = lower * cost.brk
    else:
        total = annealer.run(deadline, stop_at=stop_at, patience=patience)
        moved = annealer.moves
    proven = total <= stop_at
    bounds = {"gaps": 0, "breaks": lower}
    if not proven and provable and time.monotonic() < deadline:
        # The annealing has settled: CP-SAT on the whole model, hinted with the plan.
        movable = [m for m in range(state.p.n_meetings) if state.p.allowed[m]]
        budget = min(PROOF_SHARE * (deadline - time.monotonic()), PROOF_BASE + exact.size(p) / PROOF_RATE)
        out = exact.minimise_idle(state, movable, budget, seed=SEED, first=p.idle_first, fair=p.fair_breaks)
        if out.primary_bound is not None:
            bounds[p.idle_first] = max(bounds[p.idle_first], out.primary_bound)
        proven = out.optimal
        if not proven:
            annealer = Annealer(state, rng, cost)
            annealer.run(deadline, stop_at=stop_at, heat=REHEAT)
            moved += annealer.moves
            proven = annealer.total <= stop_at
    counts = {"gaps": state.gaps(), "breaks": sum(state.breaks())}
    if proven:
        # cost ≤ stop_at: no gaps and breaks at their lower bound; CP-SAT: the first count
        bounds[p.idle_first] = counts[p.idle_first]
    return {"proven": proven, "gaps_bound": bounds["gaps"], "breaks_bound": bounds["breaks"],
            "idle_moves": moves + moved, "idle_seconds": round(time.monotonic() - began, 3)}


def _anneal_with_blocks(state: State, annealer: Annealer, rng: random.Random, cost: IdleCost,
                        lower: int, deadline: float) -> tuple[int, int, int]:
    """The annealing, with CP-SAT models of blocks.py in a background thread beside it.

    The annealing runs alone for the first BLOCKS_WAIT of the phase. Then the interval model
    (everybody who can have an unbroken day gets one) is tried repeatedly, each try hinted
    with the best plan so far (hints from a near plan find a plan in seconds where a start
    from a poor one often does not) and lasting at most BLOCKS_TRY seconds, while the
    annealing goes on; once the model is proven infeasible it is not tried again, and instead
    the most-unbroken-days model runs once (at most BOUND_SHARE of the phase and BOUND_TRY
    seconds, BOUND_TRY_BREAKS when breaks come first): its proven bound raises ``lower``
    (the proven lower bound on breaks, when every meeting is held). When breaks come first,
    breaks.FewestBroken then asks for a plan with ``lower + 1`` breaks (one more each time
    it proves that none with at most one break per person exists), while the annealing
    waits, until it finds one or the time is up. A plan found by any of them is taken when
    it is better. After each try beside it the annealing runs alone for as long (so it
    keeps at least half of the time).
    The temperature follows one schedule over the whole phase. Returns the moves made, the
    cost reached and the lower bound on breaks."""
    began = time.monotonic()
    span = max(deadline - began, 1e-6)
    t0, t1 = TEMPS
    stop_at = lower * cost.brk

    def heat(at: float) -> float:
        return (t1 / t0) ** min(1.0, max(0.0, (at - began) / span))

    def run(until: float, stop=None) -> None:
        annealer.run(until, stop_at=stop_at, heat=heat(time.monotonic()), end_heat=heat(until), stop=stop)

    def key(st: State) -> int:
        return sum(cost(st, q) for q in range(len(st.p.pids)))

    moved = 0
    run(began + BLOCKS_WAIT * span)
    attempt = 0
    hopeless = False  # the interval model is proven infeasible
    bounded = not blocks.all_held(state)  # the bound holds for plans with every meeting
    asked = 0         # breaks last asked of FewestBroken (-1: no more tries)
    breaks_first = cost.brk > cost.gap
    while annealer.total > stop_at and deadline - time.monotonic() > 0.05:
        tried = time.monotonic()
        seeker = None
        if not bounded and hopeless:
            bounded = True
            seeker = blocks.MostUnbroken(state, seed=SEED, workers=BOUND_WORKERS, subsolvers=BOUND_SUBSOLVERS)
            seeker.start(min(BOUND_TRY_BREAKS if breaks_first else BOUND_TRY, BOUND_SHARE * span,
                             deadline - tried))
        elif (hopeless and breaks_first and asked >= 0 and max(lower, asked) + 1 < sum(state.breaks())
              and deadline - tried > FEWEST_MIN):
            seeker = breaks.FewestBroken(state, max(lower, asked) + 1, seed=SEED, workers=FEWEST_WORKERS)
            asked = seeker.asked
            seeker.start(deadline - time.monotonic())
        elif not hopeless:
            seeker = blocks.Blocks(state, seed=SEED + attempt)
            seeker.start(min(BLOCKS_TRY, deadline - tried))
            attempt += 1
        if isinstance(seeker, breaks.FewestBroken):
            seeker.thread.join(max(deadline - time.monotonic(), 0.0))
        elif seeker is not None:
            run(deadline, stop=seeker.done)
        if seeker is not None:
            seeker.stop()
            if isinstance(seeker, blocks.MostUnbroken):
                lower = max(lower, seeker.breaks_bound())
                stop_at = lower * cost.brk
            elif isinstance(seeker, blocks.Blocks):
                hopeless = seeker.status == blocks.INFEASIBLE
            elif seeker.status != blocks.INFEASIBLE:
                asked = -1  # a plan found, or the time is up
            if annealer.total > stop_at and seeker.apply_if_better(key):
                moved += annealer.moves
                annealer = Annealer(state, rng, cost)
        if annealer.total > stop_at and (seeker is None or not (hopeless and breaks_first)):
            # the annealing alone for as long as the try
            run(min(deadline, time.monotonic() + max(time.monotonic() - tried, 1.0)))
    return moved + annealer.moves, annealer.total, lower


def _num(value: float) -> int | float:
    return int(round(value)) if abs(value - round(value)) < 1e-9 else round(value, 6)


def _result(problem: Problem, state: State, bound: float, bound_kind: str, started: float,
            start_value: float, iterations: int, idle: dict, best_at: float) -> dict:
    tables = state.tables()
    scheduled, unscheduled = [], []
    for m in range(problem.n_meetings):
        a, b = problem.pids[problem.ma[m]], problem.pids[problem.mb[m]]
        s = state.slot_of[m]
        if s >= 0:
            scheduled.append({"a": a, "b": b, "slot": problem.slots[s], "table": tables[m]})
        else:
            unscheduled.append({"a": a, "b": b, "weight": _num(problem.weight[m])})
    scheduled.sort(key=lambda row: (problem.slots.index(row["slot"]), row["table"]))
    objective = _num(sum(problem.weight[m] for m in range(problem.n_meetings) if state.slot_of[m] >= 0))
    if objective > bound and objective - bound < 1e-6:  # LP float noise
        bound = objective
    bound = _num(bound)
    optimal = abs(objective - bound) < 1e-6
    breaks = state.breaks()
    gaps = state.gaps()
    return {
        "scheduled": scheduled,
        "unscheduled": unscheduled,
        "objective": objective,
        "bound": bound,
        "optimal": optimal,
        "stats": {
            "seconds": round(time.monotonic() - started, 3),
            "gaps": state.gaps(),
            # proven minimal among plans of the (proven maximal) weight
            "gaps_optimal": bool(optimal and gaps == idle["gaps_bound"]),
            "breaks_optimal": bool(optimal and sum(breaks) == idle["breaks_bound"]),
            "gaps_bound": idle["gaps_bound"],
            "breaks_bound": idle["breaks_bound"],
            "breaks": sum(breaks),
            "max_breaks": max(breaks, default=0),
            "meetings": len(scheduled),
            "start_objective": _num(start_value),
            "bound_kind": bound_kind,
            "iterations": iterations,
            "best_found_at": best_at,
            "idle_moves": idle["idle_moves"],
            "idle_seconds": idle["idle_seconds"],
        },
    }
