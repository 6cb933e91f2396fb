"""Proven upper bounds on the scheduled weight.

The main bound is the LP relaxation (HiGHS interior point through ``scipy.optimize.linprog``,
or on large models OR-Tools' PDLP, turned into a proven bound through the duals, see
:func:`dual_value`): a variable
``x[m, s]`` in [0, 1] per meeting and allowed slot, at most one meeting per person and
slot, at most ``tables[s]`` per slot, at most ``max_meetings`` per person, each meeting at
most once, and booth tables used once per slot by the meetings that can only sit there.
Locked meetings are fixed beforehand. With integer weights the bound is rounded down.
A cheap combinatorial bound (every meeting that has a slot, capped per slot and per
person) is always computed, and the smaller of the valid bounds is reported.
"""

from __future__ import annotations

import math
import threading
import time
import warnings

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csc_matrix, csr_matrix

from .problem import NO_CAP, Problem


def simple_bound(problem: Problem) -> float:
    """Total weight of schedulable meetings, limited by the table count of all slots.

    Valid because at most sum(tables) meetings fit, so the heaviest sum(tables) count at most.
    """
    weights = sorted((problem.weight[m] for m in range(problem.n_meetings) if problem.allowed[m]),
                     reverse=True)
    return float(sum(weights[:sum(problem.tables)]))


def lp_bound(problem: Problem, time_limit: float) -> float | None:
    """The LP relaxation's optimum (locked meetings included), or None when HiGHS gives up."""
    return solve_lp(build_lp(problem), time_limit)


def build_lp(problem: Problem) -> tuple:
    """The relaxation as (matrix, right-hand sides, weights, weight of locked meetings)."""
    locked_value = 0.0
    cap = list(problem.cap)
    tables = list(problem.tables)
    for m, fixed in enumerate(problem.fixed):
        if fixed is not None:
            locked_value += problem.weight[m]
            tables[fixed[0]] -= 1
            cap[problem.ma[m]] -= 1
            cap[problem.mb[m]] -= 1
    columns = [(m, s) for m in range(problem.n_meetings) if problem.fixed[m] is None
               for s in problem.allowed[m]]
    rows: list[int] = []
    cols: list[int] = []
    row_rhs: list[float] = []
    keys: dict[tuple, int] = {}

    def add(key: tuple, rhs: float, j: int) -> None:
        r = keys.get(key)
        if r is None:
            r = keys[key] = len(row_rhs)
            row_rhs.append(rhs)
        rows.append(r)
        cols.append(j)

    for j, (m, s) in enumerate(columns):
        a, b = problem.ma[m], problem.mb[m]
        add(("m", m), 1, j)
        add(("ps", a, s), 1, j)
        add(("ps", b, s), 1, j)
        add(("s", s), tables[s], j)
        for person in (a, b):
            if cap[person] < NO_CAP:
                add(("p", person), cap[person], j)
        opts = problem.booth_opts[m]
        if len(opts) == 1:
            add(("t", s, opts[0]), 1, j)
    matrix = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(row_rhs), len(columns)))
    weights = np.array([problem.weight[m] for m, _ in columns], dtype=float)
    return matrix, np.array(row_rhs, dtype=float), weights, locked_value


# Models with more variables go to PDLP first (OR-Tools' first-order LP method): on the
# 2,500-person web benchmark instance (109,468 variables) it proves the same rounded bound
# as HiGHS's interior point (15,586) in 10 s against 42 s, one thread each.
PDLP_MIN_VARIABLES = 30_000
PDLP_TOLERANCE = 1e-4


def solve_lp(model: tuple, time_limit: float) -> float | None:
    matrix, rhs, weights, locked_value = model
    if not len(weights):
        return locked_value
    if len(weights) >= PDLP_MIN_VARIABLES:
        started = time.monotonic()
        value = _solve_pdlp(model, time_limit)
        if value is not None:
            return value
        time_limit -= time.monotonic() - started
        if time_limit <= 0.5:
            return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # run_crossover is passed to HiGHS verbatim
        result = linprog(-weights, A_ub=matrix, b_ub=rhs, bounds=(0, 1), method="highs-ipm",
                         options={"time_limit": max(time_limit, 0.5), "run_crossover": "off",
                                  "ipm_optimality_tolerance": 1e-5})
    marginals = getattr(getattr(result, "ineqlin", None), "marginals", None)
    if marginals is None or len(marginals) != len(rhs) or not np.all(np.isfinite(marginals)):
        return None
    return dual_value(matrix, rhs, weights, -marginals) + locked_value


def _solve_pdlp(model: tuple, time_limit: float) -> float | None:
    """The bound from PDLP's dual solution (proven by :func:`dual_value` whatever its
    accuracy); None when PDLP gives no finite duals."""
    from ortools.pdlp import solvers_pb2
    from ortools.pdlp.python import pdlp

    matrix, rhs, weights, locked_value = model
    program = pdlp.QuadraticProgram()
    program.objective_vector = -weights
    program.constraint_matrix = csc_matrix(matrix)
    program.constraint_lower_bounds = np.full(len(rhs), -np.inf)
    program.constraint_upper_bounds = rhs
    program.variable_lower_bounds = np.zeros(len(weights))
    program.variable_upper_bounds = np.ones(len(weights))
    params = solvers_pb2.PrimalDualHybridGradientParams()
    criteria = params.termination_criteria.simple_optimality_criteria
    criteria.eps_optimal_relative = criteria.eps_optimal_absolute = PDLP_TOLERANCE
    params.termination_criteria.time_sec_limit = max(time_limit, 0.5)
    params.num_threads = 1  # the other core belongs to the search
    try:
        result = pdlp.primal_dual_hybrid_gradient(program, params)
    except (ValueError, RuntimeError):
        return None
    duals = np.asarray(result.dual_solution, dtype=float)
    if len(duals) != len(rhs) or not np.all(np.isfinite(duals)):
        return None
    return dual_value(matrix, rhs, weights, -duals) + locked_value


def dual_value(matrix: csr_matrix, rhs: np.ndarray, weights: np.ndarray, duals: np.ndarray) -> float:
    """Weak duality: any y >= 0 proves ``max w.x, Ax <= b, 0 <= x <= 1`` is at most
    ``b.y + sum(max(0, w - A'y))`` (the second term prices the bounds x <= 1).

    The interior-point solution stops short of exact optimality (no crossover); clipping
    its duals to y >= 0 and paying for any remaining violation keeps the bound proven.
    """
    y = np.maximum(duals, 0.0)
    reduced = weights - matrix.T @ y
    return float(rhs @ y + np.maximum(reduced, 0.0).sum())


# Models with at most this many variables are solved before the search starts.
SMALL_LP = 3000


class BackgroundBound:
    """The LP bound computed in a thread (HiGHS releases the GIL) while the search runs.

    :meth:`current` is the best bound known so far: the table bound until the LP is done.
    """

    def __init__(self, problem: Problem, time_limit: float):
        self.problem = problem
        self.integral = all(float(w).is_integer() for w in problem.weight)
        self.simple = simple_bound(problem)
        self.lp: float | None = None
        # Built here: the Python part would otherwise compete with the search for the GIL.
        model = build_lp(problem)
        self.thread = threading.Thread(target=self._solve, args=(model, time_limit), daemon=True)
        self.thread.start()
        if len(model[2]) <= SMALL_LP:
            # Small models solve in a blink: knowing the bound before the search starts
            # makes the search stop at the same point on every run (same input, same plan).
            self.wait(time_limit)

    def _solve(self, model: tuple, time_limit: float) -> None:
        try:
            self.lp = solve_lp(model, time_limit)
        except (ValueError, MemoryError):  # HiGHS refused the model: keep the table bound
            self.lp = None

    def wait(self, timeout: float) -> None:
        self.thread.join(max(timeout, 0.0))

    def current(self) -> tuple[float, str]:
        bound, name = self.simple, "tables"
        lp = self.lp
        if lp is not None and lp < bound:
            bound, name = lp, "lp"
        if self.integral:
            bound = math.floor(bound + 1e-6)
        return float(bound), name
