"""Rounds without any repeat from finite geometry (used to seed table rotation)."""

from __future__ import annotations

import math

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


_SIDE_PAIRS = [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]
_SIDE_MATCHINGS = [((0, 1), (2, 3)), ((0, 2), (1, 3)), ((0, 3), (1, 2))]


def golfers_32_4(rounds: int, rng) -> np.ndarray | None:
    """Up to 10 rounds of 32 people at tables of 4 without any repeat (Social Golfer 8-4-10).

    No 10th round fits onto the 9 affine rounds, so this uses another structure: people are
    (v, side) with v in GF(2)^3 and four sides of 8, and every round is invariant under the
    translations v ↦ v + g. Then pairs fall into classes — "pure" (same side, difference d)
    and "mixed" (sides i < j, difference δ) — and a round covers whole classes:

    - T round, block {(g, 0), (g+a, 1), (g+b, 2), (g+c, 3)} for all g: mixed class
      x_i + x_j of every pair of sides (x = (0, a, b, c));
    - M on sides i, j, blocks {(x, i), (x+s, i), (x+δ, j), (x+δ+s, j)}: pure class s on
      both sides and mixed classes δ, δ+s of (i, j); two M's on complementary side pairs
      make a round;
    - P on side i, the cosets of a 2-dimensional subspace U: pure classes U \\ {0}.

    Six T rounds (per pair of sides six distinct mixed classes; the two left over give the
    M's δ and s), three MM rounds (one per way to split the sides into two pairs) and one
    PPPP round (the subspace U_i avoids the three s-values of side i) cover every pair at
    most once — all but the 16 pairs of one pure class per side. A small depth-first search
    (randomised by ``rng``, about a millisecond) finds the six T rounds. Returns a
    (min(rounds, 10), 32) array of table numbers, or None.
    """
    import itertools
    import random

    order = random.Random(int(rng.integers(2**32)))

    def finish(ts):
        s, delta, subspace = {}, {}, {}
        for i, j in _SIDE_PAIRS:
            left = [v for v in range(8) if v not in {x[i] ^ x[j] for x in ts}]
            s[(i, j)], delta[(i, j)] = left[0] ^ left[1], left[0]
        for i in range(4):
            used = {s[e] for e in _SIDE_PAIRS if i in e}
            if len(used) != 3:
                return None
            rest = [v for v in range(1, 8) if v not in used]
            spans = [(u, v) for u, v in itertools.combinations(rest, 2) if u ^ v in rest]
            if not spans:
                return None
            subspace[i] = spans[0]
        return s, delta, subspace

    def search(ts, used):
        if len(ts) == 6:
            found = finish(ts)
            return (list(ts), found) if found else None
        # symmetry: first T round (0, 0, 0, 0), second a = 1, then a increasing
        choices_a = [1] if len(ts) == 1 else range(ts[-1][1] + 1, 8)
        bs, cs = list(range(8)), list(range(8))
        order.shuffle(bs)
        order.shuffle(cs)
        for a in choices_a:
            for b in bs:
                for c in cs:
                    x = (0, a, b, c)
                    diffs = [x[i] ^ x[j] for i, j in _SIDE_PAIRS]
                    if any(d in used[k] for k, d in enumerate(diffs)):
                        continue
                    for k, d in enumerate(diffs):
                        used[k].add(d)
                    found = search(ts + [x], used)
                    for k, d in enumerate(diffs):
                        used[k].discard(d)
                    if found:
                        return found
        return None

    found = search([(0, 0, 0, 0)], [{0} for _ in _SIDE_PAIRS])
    if found is None:
        return None
    ts, (s, delta, subspace) = found

    def person(v, side):
        return side * 8 + v

    def pairs_of(step):  # the 4 cosets of {0, step} as representatives
        seen, reps = set(), []
        for x in range(8):
            if x not in seen:
                seen |= {x, x ^ step}
                reps.append(x)
        return reps

    all_rounds = [[[person(g, 0), person(g ^ a, 1), person(g ^ b, 2), person(g ^ c, 3)]
                   for g in range(8)] for _, a, b, c in ts]
    for matching in _SIDE_MATCHINGS:
        tables = []
        for i, j in matching:
            sv, dv = s[(i, j)], delta[(i, j)]
            tables += [[person(x, i), person(x ^ sv, i), person(x ^ dv, j), person(x ^ dv ^ sv, j)]
                       for x in pairs_of(sv)]
        all_rounds.append(tables)
    tables = []
    for i in range(4):
        u, v = subspace[i]
        cosets = {frozenset((x, x ^ u, x ^ v, x ^ u ^ v)) for x in range(8)}
        tables += [[person(y, i) for y in sorted(c)] for c in sorted(cosets, key=min)]
    all_rounds.append(tables)
    seating = np.zeros((min(rounds, 10), 32), dtype=np.int64)
    for r, tables in enumerate(all_rounds[:rounds]):
        for t, table in enumerate(tables):
            seating[r, table] = t
    return seating
