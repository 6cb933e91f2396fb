"""``matchwerk schedule``: 1:1 meetings into slots and tables (FORMATS.md).

The work is done in :mod:`matchwerk.engine.scheduling`: parse and check the input, a greedy
start, the LP-relaxation bound, ejection-chain local search until the bound is reached or
time is up, then moves that shorten people's idle gaps without losing any meeting.
See docs/engine-schedule.md.
"""

from __future__ import annotations

import random
import time

from matchwerk.engine.inputs import Progress
from matchwerk.engine.scheduling.bound import BackgroundBound
from matchwerk.engine.scheduling.problem import Problem, parse
from matchwerk.engine.scheduling.search import Improver, compact, greedy
from matchwerk.engine.scheduling.state import State

SEED = 20240503
# Share of the time limit kept for shortening idle gaps once the objective is settled.
GAP_SHARE = 0.15
# Time limit of the LP bound (it runs in a thread beside the search).
LP_SHARE = 0.85


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
    search_end = started + (1 - GAP_SHARE) * limit
    if state.value < bounds.current()[0] - 1e-9 or bounds.thread.is_alive():
        span = max(search_end - time.monotonic(), 1e-6)
        base = time.monotonic()
        improver.run(search_end, lambda: bounds.current()[0],
                     lambda f: report(0.05 + 0.8 * min(1.0, (time.monotonic() - base) / span),
                                      f"Suche: {_num(state.value)} von höchstens {_num(bounds.current()[0])}"))
    report(0.85, "Lücken werden verkleinert")
    moves = compact(state, rng, deadline)
    bounds.wait(deadline - time.monotonic())
    bound, bound_kind = bounds.current()
    report(1.0, "Fertig")
    best_at = round((improver.best_at or greedy_done) - started, 3)
    return _result(problem, state, bound, bound_kind, started, start_value, improver.iterations, moves,
                   best_at)


def _num(value: float) -> int | float:
    return int(round(value)) if abs(value - round(value)) < 1e-9 else round(value, 6)


def _result(problem: Problem, state: State, bound: float, bound_kind: str, started: float,
            start_value: float, iterations: int, moves: int, best_at: float) -> dict:
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
    return {
        "scheduled": scheduled,
        "unscheduled": unscheduled,
        "objective": objective,
        "bound": bound,
        "optimal": abs(objective - bound) < 1e-6,
        "stats": {
            "seconds": round(time.monotonic() - started, 3),
            "gaps": state.gaps(),
            "meetings": len(scheduled),
            "start_objective": _num(start_value),
            "bound_kind": bound_kind,
            "iterations": iterations,
            "best_found_at": best_at,
            "gap_moves": moves,
        },
    }
