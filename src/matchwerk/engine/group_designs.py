"""Designs with a group of symmetries for table rotation, part 2: rounds that are the
translates of one base round, mixed with rounds invariant under the group, and the portfolio
over all of them (``group_rounds``). Part 1 (affine geometry, invariant rounds, the
portfolio runner) is ``designs``."""

from __future__ import annotations

import math
import time

import numpy as np

from matchwerk.engine.designs import (MAX_ORBIT_COMBINATIONS, _groups, _orbit_jobs, _orbit_part,
                                      portfolio)


# -- rounds that are translates of one round ("rotational" designs) -------------------------
#
# A group G of order v ≥ rounds acts on n = k·v + f people: (x, i) ↦ (x + t, i) on k sides,
# while f ≤ tables people ∞_j stay fixed. One base round R is chosen; the rounds are its
# translates R + t for distinct t in G. A pair meets in as many rounds as R has pairs of its
# class (same side: difference ±δ; sides i < j: difference δ; ∞_j with side i), so a base round
# that holds every class at most once — classes with δ = −δ and pairs of two fixed people not
# at all — gives up to v rounds without any repeat (1-rotational Kirkman and resolvable designs
# are of this kind). Finding R is a small CP-SAT model over n people and the tables of one round.


MAX_ROTATIONAL_SIZE = 60_000  # pairs × tables of the model (bigger instances: skipped)


def rotational_candidates(n: int, sizes: list[int], rounds: int) -> list[tuple[int, int, int, bool]]:
    """(group order v, sides k, fixed people f, halved) with n = k·v + f, 0 ≤ f ≤ number of
    tables: v from ``rounds`` up to the most rounds a person can have without a repeat; then
    (halved) v = 2u for such u with a base round invariant under an element of order 2, when
    the tables without fixed people pair up by size."""
    if len(sizes) < 2 or min(sizes) < 2 or n * (n - 1) // 2 * len(sizes) > MAX_ROTATIONAL_SIZE:
        return []
    most = (n - 1) // (min(sizes) - 1)
    found = []
    for halved in (False, True):
        for u in range(max(rounds, 2), most + 1):
            v = 2 * u if halved else u
            for k in range(n // v, 0, -1):
                f = n - k * v
                if f > len(sizes):
                    break
                if halved and ((len(sizes) - f) % 2
                               or any(sizes[t] != sizes[t + 1] for t in range(f, len(sizes), 2))):
                    continue
                found.append((v, k, f, halved))
    return found


def _rotational_model(n: int, sizes: list[int], rounds: int, v: int, k: int, f: int, add: np.ndarray,
                      h: int | None = None):
    """CP-SAT model of one base round whose translates (see above) hold no repeat:
    (model, decode(solver) -> seating)."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    terms, decode = _rotational_part(model, n, sizes, rounds, v, k, f, add, h)
    for pairs, limit in terms.values():
        model.add(sum(pairs) <= limit)
    return model, decode


def _rotational_part(model, n: int, sizes: list[int], rounds: int, v: int, k: int, f: int,
                     add: np.ndarray, h: int | None = None):
    """Add one base round and its translates to ``model``: (pair class → (literals of the
    base round's pairs in it, how many may be there), decode(solver) -> seating). With ``h``
    (an element of order 2) the base round is invariant under H = {0, h}: the fixed people's
    tables are fixed, the others swap in pairs, the rounds are the translates by one element
    per coset of H, and each pair class may appear |class| · 2 / v times in the base round."""
    g = len(sizes)
    neg = np.argmin(add, axis=1).tolist()
    addl = add.tolist()
    y = [[model.new_bool_var(f"y{p}_{t}") for t in range(g)] for p in range(n)]
    for p in range(n):
        model.add_exactly_one(y[p])
    for t in range(g):
        model.add(sum(y[p][t] for p in range(n)) == sizes[t])
    for j in range(f):  # fixed people sit at tables of their own (two would meet every round)
        model.add(y[k * v + j][j] == 1)
    if h is not None:
        partner = list(range(f)) + [t + 1 - 2 * ((t - f) % 2) for t in range(f, g)]
        for p in range(k * v):
            image = (p // v) * v + addl[p % v][h]
            for t in range(g):
                model.add(y[image][partner[t]] == y[p][t])
    for t in range(f, g - 1):  # tables of one size are interchangeable: order them by first person
        if sizes[t] == sizes[t + 1] and (h is None or (t - f) % 2 == 0):
            for p in range(k * v):
                model.add_bool_or([~y[p][t + 1]] + [y[q][t] for q in range(p)])
    same: dict[tuple[int, int], object] = {}

    def together(p, q):
        key = (min(p, q), max(p, q))
        if key not in same:
            z = model.new_bool_var(f"z{key}")
            for t in range(g):
                model.add_bool_or([z, ~y[p][t], ~y[q][t]])
            same[key] = z
        return same[key]

    terms: dict[tuple, tuple[list, int]] = {}

    def at_most(key: tuple, pairs: set, limit: int) -> None:
        terms[key] = ([together(p, q) for p, q in sorted(pairs)], limit)

    twice = 1 if h is None else 2
    for i in range(k):
        for j in range(i, k):
            for delta in range(v):
                if i == j and (delta == 0 or neg[delta] < delta):
                    continue
                pairs = {tuple(sorted((i * v + x, j * v + addl[x][delta]))) for x in range(v)}
                # a class of v pairs meets (count / twice) times per pair; of v/2 pairs twice that
                at_most((i, j, delta), pairs, twice * len(pairs) // v)
        for a in range(f):
            at_most(("fixed", a, i), {(i * v + x, k * v + a) for x in range(v)}, twice)
    if h is None:
        shifts = list(range(rounds))
    else:
        shifts, seen = [], set()
        for t in range(v):
            if t not in seen:
                shifts.append(t)
                seen |= {t, addl[t][h]}
        shifts = shifts[:rounds]

    def decode(solver) -> np.ndarray:
        base = np.array([[t for t in range(g) if solver.value(y[p][t])][0] for p in range(n)])
        seating = np.zeros((rounds, n), dtype=np.int64)
        for r, shift in enumerate(shifts):  # round r = base round translated by the shift
            moved = np.array([(p // v) * v + addl[p % v][shift] if p < k * v else p for p in range(n)])
            seating[r, moved] = base
        return seating

    return terms, decode


def _rotational_jobs(n: int, sizes: list[int], rounds: int) -> list:
    jobs = []
    for v, k, f, halved in rotational_candidates(n, sizes, rounds):
        for name, add in _groups(v):
            described = f"translates of one round under {name} ({k} sides" + (f" and {f} fixed)" if f else ")")
            if not halved:
                jobs.append((lambda v=v, k=k, f=f, add=add: _rotational_model(n, sizes, rounds, v, k, f, add),
                             described))
                continue
            involutions = [x for x in range(1, v) if add[x, x] == 0][:2]
            for h in involutions:
                jobs.append((lambda v=v, k=k, f=f, add=add, h=h:
                             _rotational_model(n, sizes, rounds, v, k, f, add, h),
                             described[:-1] + f", base round invariant under an element of order 2)"))
    return jobs


def rotational_rounds(n: int, sizes: list[int], rounds: int, time_limit: float, seed: int = 0):
    """``rounds`` translates of one base round without any repeat (see above), or None when no
    tried group gives one within ``time_limit`` seconds. Returns (a (rounds, n) array of table
    numbers, a description of the group)."""
    return portfolio(_rotational_jobs(n, sizes, rounds), time.perf_counter() + time_limit, seed)


def _mixed_model(n: int, sizes: list[int], s: int, rounds: int, v: int, add: np.ndarray):
    """CP-SAT model of rounds − v rounds invariant under the group (order v, n / v sides) and
    the v translates of one more base round, every pair class at most once over both."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    invariant = _orbit_part(model, n, s, rounds - v, v, add)
    if invariant is None:
        return None
    translated = _rotational_part(model, n, sizes, v, v, n // v, 0, add)
    for key in set(invariant[0]) | set(translated[0]):
        pairs, limit = translated[0].get(key, ([], 1))
        model.add(sum(invariant[0].get(key, [])) + sum(pairs) <= 1)
        if limit == 0:
            model.add(sum(pairs) == 0)

    def decode(solver) -> np.ndarray:
        return np.concatenate([invariant[1](solver), translated[1](solver)])

    return model, decode


def group_rounds(n: int, sizes: list[int], table_size: int, rounds: int, time_limit: float,
                 seed: int = 0):
    """All designs with a group in one portfolio: (seating, description) or None."""
    return portfolio(group_jobs(n, sizes, table_size, rounds), time.perf_counter() + time_limit, seed)


def group_jobs(n: int, sizes: list[int], table_size: int, rounds: int) -> list:
    """The portfolio's models in order: rounds invariant under a group on at most
    ``table_size`` sides (often ruled out by counting at once), translates of one round,
    invariant rounds plus translates, invariant rounds on more sides."""
    orbits = _orbit_jobs(n, table_size, rounds) if n % table_size == 0 else []
    few_sides = [job for job in orbits if job[2] <= table_size]
    many_sides = [job for job in orbits if job[2] > table_size]
    mixed = [(lambda v=v, add=add: _mixed_model(n, sizes, table_size, rounds, v, add),
              f"{rounds - v} rounds invariant under {name} on {n // v} sides and {v} translates"
              " of one round")
             for v in range(2, rounds) if n % table_size == 0 and n % v == 0
             and 2 <= n // v <= 2 * table_size and math.comb(n - 1, table_size - 1) * n // v
             <= MAX_ORBIT_COMBINATIONS for name, add in _groups(v)]
    return few_sides + _rotational_jobs(n, sizes, rounds) + mixed + many_sides
