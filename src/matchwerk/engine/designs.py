"""Rounds without any repeat from finite geometry and from designs with a prescribed group of
symmetries (used to seed table rotation), part 1: affine geometry, rounds invariant under a
group (Kramer–Mesner) and the CP-SAT portfolio runner. Part 2, translates of one round and
the portfolio over all designs with a group, is ``group_designs``."""

from __future__ import annotations

import itertools
import math
import time

import numpy as np


def _prime_power(n: int) -> tuple[int, int] | None:
    """(p, m) with n = p**m for a prime p, else None."""
    for p in range(2, n + 1):
        if n % p == 0:
            m = 0
            while n % p == 0:
                n //= p
                m += 1
            return (p, m) if n == 1 else None
    return None


def affine_rounds(n: int, table_size: int, rounds: int, rng, tries: int = 4000) -> np.ndarray | None:
    """Rounds without any repeat from affine geometry, when n = p**m and table_size = p**k.

    People are the vectors of GF(p)^m; a round is the set of cosets of a k-dimensional
    subspace; two people meet in the round of U exactly when their difference lies in U, so
    subspaces that pairwise share only the zero vector (a partial spread, found here by a
    randomised greedy search) give rounds in which nobody meets anybody twice. Returns up to
    ``rounds`` rounds as a (rounds found, n) array of table numbers, or None.
    """
    base = _prime_power(n)
    if base is None or table_size == n:
        return None
    p, m = base
    k = round(math.log(table_size, p))
    if p**k != table_size or not 0 < k < m:
        return None
    digits = (np.arange(n)[:, None] // p ** np.arange(m)[None, :]) % p  # vector of each person
    weights = p ** np.arange(m)
    combos = (np.arange(p**k)[:, None] // p ** np.arange(k)[None, :]) % p
    best: list[np.ndarray] = []
    for _ in range(8):
        used = np.zeros(n, dtype=bool)
        used[0] = True
        family: list[np.ndarray] = []
        for _ in range(tries // 8):
            basis = digits[rng.integers(1, n, size=k)]
            span = np.unique(((combos @ basis) % p) @ weights)
            if len(span) == table_size and not used[span[1:]].any():
                used[span] = True
                family.append(span)
                if len(family) == rounds:
                    break
        if len(family) > len(best):
            best = family
        if len(best) == rounds:
            break
    if not best:
        return None
    seating = np.zeros((len(best), n), dtype=np.int64)
    for r, span in enumerate(best):
        coset = (digits[:, None, :] + digits[span][None, :, :]) % p @ weights  # (n, p**k)
        label = coset.min(axis=1)  # smallest member names the coset
        seating[r] = np.unique(label, return_inverse=True)[1]
    return seating


# -- rounds invariant under a group (the Kramer–Mesner method) -------------------------------
#
# Assume that a group G of order d acts on the n = k·d people without fixed points: people are
# (x, i) with x in G and i one of k "sides", and t in G moves (x, i) to (x + t, i). A round that
# is invariant under G is a union of G-orbits of tables, and a pair of people meets in it
# exactly as often as every other pair of its G-orbit ("pair class": same side with difference
# ±δ, or sides i < j with difference δ). So a schedule without any repeat is a choice, per
# round, of table orbits that cover every side exactly once, such that every pair class is
# covered at most once over all rounds — a small exact problem over a few thousand table orbits
# instead of n people, solved here with CP-SAT. Such schedules exist for many Social Golfer
# instances (e.g. 8-4-10 under GF(2)^3 acting on four sides of eight); whether one exists for a
# given group is not known in advance, so several groups are tried within the time budget.

MAX_ORBIT_COMBINATIONS = 150_000  # tables to enumerate per group (bigger instances: skipped)


def _invariant_factors(d: int, smallest: int = 2) -> list[tuple[int, ...]]:
    """Every abelian group of order d as (m1, m2, …) with m1 | m2 | … (Z_m1 × Z_m2 × …)."""
    if d == 1:
        return [()]
    found = []
    for m in range(smallest, d + 1):
        if d % m == 0:
            for rest in _invariant_factors(d // m, m):
                if not rest or rest[0] % m == 0:
                    found.append((m,) + rest)
    return found


def _groups(d: int) -> list[tuple[str, np.ndarray]]:
    """Addition tables of the abelian groups of order d, most factors first (GF(p)^m … Z_d)."""
    found = []
    for factors in sorted(_invariant_factors(d), key=len, reverse=True):
        radix = np.cumprod((1,) + factors[:-1])
        digits = (np.arange(d)[:, None] // radix[None, :]) % np.array(factors)[None, :]
        table = ((digits[:, None, :] + digits[None, :, :]) % np.array(factors)) @ radix
        if len(set(factors)) == 1 and len(factors) > 1 and _prime_power(factors[0]) == (factors[0], 1):
            name = f"GF({factors[0]})^{len(factors)}"
        else:
            name = " × ".join(f"Z_{m}" for m in factors)
        found.append((name, table))
    return found


def orbit_candidates(n: int, table_size: int) -> list[tuple[int, str, np.ndarray]]:
    """(group order d, name, addition table) for every group tried on n people at tables of
    ``table_size``: d divides n with k = n / d sides, k = table_size, table_size − 1, …, 2, then
    table_size + 1, …, 2 · table_size (groups of order ≥ 2 only), and the
    number of tables to enumerate stays below ``MAX_ORBIT_COMBINATIONS``."""
    s = table_size
    if s < 2 or n % s:
        return []
    found = []
    for k in list(range(s, 1, -1)) + list(range(s + 1, 2 * s + 1)):
        if k > n // 2:
            continue
        if n % k:
            continue
        d = n // k
        combos = sum(math.comb(n - i * d - 1, s - 1) for i in range(k))
        if combos <= MAX_ORBIT_COMBINATIONS:
            found += [(d, name, add) for name, add in _groups(d)]
    return found


def _table_orbits(d: int, k: int, s: int, add: np.ndarray):
    """The G-orbits of tables of s people that cover no pair twice and every person of a side
    they touch exactly once. Returns (base tables, sides touched, pair classes covered)."""
    neg = np.argmin(add, axis=1)  # add[x, neg[x]] == 0 (0 is the smallest entry of each row)
    addl = add.tolist()
    negl = neg.tolist()
    seen: set[tuple] = set()
    bases, sides_of, classes_of = [], [], []
    class_index: dict[tuple, int] = {}
    for i0 in range(k):
        first = i0 * d
        for rest in itertools.combinations(range(first + 1, k * d), s - 1):
            block = (first,) + rest
            on_first = [p - first for p in block if p < first + d]
            images = []
            for x in on_first:
                t = negl[x]
                images.append(tuple(sorted((p // d) * d + addl[p % d][t] for p in block)))
            key = min(images)
            if key in seen:
                continue
            seen.add(key)
            stabiliser = images.count(key)
            counts = [0] * k
            for p in key:
                counts[p // d] += 1
            if any(c not in (0, stabiliser) for c in counts):
                continue  # would seat somebody of a side twice (or leave some out) per round
            orbit = d // stabiliser
            per_class: dict[tuple, int] = {}
            for a, b in itertools.combinations(key, 2):
                i, x, j, y = a // d, a % d, b // d, b % d
                if i == j:
                    delta = addl[y][negl[x]]
                    c = (i, i, min(delta, negl[delta]))
                else:
                    c = (i, j, addl[y][negl[x]])
                per_class[c] = per_class.get(c, 0) + 1
            ok = True
            for c, count in per_class.items():
                size = d if c[0] != c[1] or c[2] != negl[c[2]] else d // 2
                if count * orbit > size:  # some pair of the class would meet twice
                    ok = False
                    break
            if not ok:
                continue
            bases.append(key)
            sides_of.append([i for i in range(k) if counts[i]])
            classes_of.append([class_index.setdefault(c, len(class_index)) for c in per_class])
    return bases, sides_of, classes_of, class_index


def _orbit_part(model, n: int, s: int, rounds: int, d: int, add: np.ndarray):
    """Add ``rounds`` rounds invariant under the group (addition table ``add``) on n / d sides
    to the CP-SAT ``model``: (pair class → literals that cover it, decode(solver) -> seating),
    or None when no table orbit fits."""
    k = n // d
    bases, sides_of, classes_of, class_index = _table_orbits(d, k, s, add)
    supports = sorted({tuple(sides) for sides in sides_of})
    shapes = _partitions(k, supports)
    if not bases or not shapes:
        return None
    # Rounds are interchangeable, so the model picks the set of orbits used (each pair class
    # at most once) and how many rounds have each shape (a partition of the sides into the
    # sides that one orbit touches); the orbits are dealt to rounds afterwards.
    used = [model.new_bool_var(f"u{o}") for o in range(len(bases))]
    count = [model.new_int_var(0, rounds, f"n{q}") for q in range(len(shapes))]
    model.add(sum(count) == rounds)
    for support in supports:
        model.add(sum(used[o] for o, sides in enumerate(sides_of) if tuple(sides) == support)
                  == sum(count[q] for q, shape in enumerate(shapes) if support in shape))
    key_of = {index: key for key, index in class_index.items()}
    terms: dict[tuple, list] = {}
    for o, classes in enumerate(classes_of):
        for c in classes:
            terms.setdefault(key_of[c], []).append(used[o])

    def decode(solver) -> np.ndarray:
        pool: dict[tuple, list[int]] = {}
        for o, sides in enumerate(sides_of):
            if solver.value(used[o]):
                pool.setdefault(tuple(sides), []).append(o)
        seating = np.zeros((rounds, n), dtype=np.int64)
        r = 0
        for q, shape in enumerate(shapes):
            for _ in range(solver.value(count[q])):
                tables: set[tuple] = set()
                for support in shape:
                    base = bases[pool[support].pop()]
                    for t in range(d):
                        tables.add(tuple(sorted((p // d) * d + int(add[p % d, t]) for p in base)))
                for number, table in enumerate(sorted(tables)):
                    seating[r, list(table)] = number
                r += 1
        return seating

    return terms, decode


def _orbit_model(n: int, s: int, rounds: int, d: int, add: np.ndarray):
    """CP-SAT model of ``rounds`` rounds invariant under the group on n / d sides:
    (model, decode(solver) -> seating) or None."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    part = _orbit_part(model, n, s, rounds, d, add)
    if part is None:
        return None
    for literals in part[0].values():
        model.add_at_most_one(literals)
    return model, part[1]


def orbit_rounds(n: int, table_size: int, rounds: int, time_limit: float, seed: int = 0):
    """``rounds`` rounds of n people at tables of ``table_size`` without any repeat, each round
    invariant under a group acting on the people without fixed points (see above), or None
    when no tried group gives one within ``time_limit`` seconds. Returns (a (rounds, n) array
    of table numbers, a description of the group)."""
    return portfolio(_orbit_jobs(n, table_size, rounds), time.perf_counter() + time_limit, seed)


def _orbit_jobs(n: int, table_size: int, rounds: int) -> list:
    return [(lambda d=d, add=add: _orbit_model(n, table_size, rounds, d, add),
             f"rounds invariant under {name} on {n // d} sides", n // d)
            for d, name, add in orbit_candidates(n, table_size)]


def portfolio(jobs: list, stop: float, seed: int = 0, first: float = 0.5, growth: float = 2.0):
    """Try CP-SAT models in turn, each with a deterministic-time budget (``first``, times
    ``growth`` on every pass; models proven infeasible drop out), until one is solved or ``stop`` (perf_counter)
    is reached. ``jobs``: (build() -> (model, decode) or None, description).
    Returns (decode(solver), description) or None. Reproducible unless the wall clock ends it
    (deterministic time, one worker, the seed changes with every pass)."""
    from ortools.sat.python import cp_model

    built: dict[int, tuple | None] = {}
    alive = list(range(len(jobs)))
    budget, attempt = first, 0
    while alive:
        for j in list(alive):
            left = stop - time.perf_counter()
            if left <= 0.05:
                return None
            if j not in built:
                built[j] = jobs[j][0]()
            if built[j] is None:
                alive.remove(j)
                continue
            model, decode = built[j]
            solver = cp_model.CpSolver()
            solver.parameters.max_time_in_seconds = left
            solver.parameters.max_deterministic_time = budget
            solver.parameters.num_workers = 1
            solver.parameters.random_seed = seed + attempt
            status = solver.solve(model)
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                return decode(solver), jobs[j][1]
            if status != cp_model.UNKNOWN:  # proven infeasible
                alive.remove(j)
        budget *= growth
        attempt += 1
    return None


def _partitions(k: int, supports: list[tuple], limit: int = 5000) -> list[tuple] | None:
    """The partitions of the sides 0 … k−1 into ``supports`` (None when there are more than
    ``limit``)."""
    starting: dict[int, list[tuple]] = {}
    for support in supports:
        starting.setdefault(support[0], []).append(support)
    found: list[tuple] = []

    def extend(covered: frozenset, chosen: list) -> bool:
        if len(covered) == k:
            found.append(tuple(chosen))
            return len(found) <= limit
        first = min(set(range(k)) - covered)
        for support in starting.get(first, []):
            if not covered.intersection(support):
                if not extend(covered.union(support), chosen + [support]):
                    return False
        return True

    return found if extend(frozenset(), []) else None
