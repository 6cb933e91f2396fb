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
