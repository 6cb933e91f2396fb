"""Speed-dating rounds (engine/speed.py): every pair once, nobody twice per round, tables respected."""

from __future__ import annotations

import itertools
import random
from collections import Counter

import pytest

from matchwerk.engine.inputs import InputError
from matchwerk.engine.speed import speed_rounds


def check(seatings, pairs, rounds, tables):
    assert sorted((s.left, s.right) for s in seatings) == sorted(pairs)
    for r in range(rounds):
        in_round = [s for s in seatings if s.round == r]
        people = [s.left for s in in_round] + [s.right for s in in_round]
        assert len(people) == len(set(people)), f"someone twice in round {r}"
        assert len({s.table for s in in_round}) == len(in_round)
        assert all(0 <= s.table < tables for s in in_round)
    assert all(0 <= s.round < rounds for s in seatings)


def test_all_pairs_of_3_by_8_in_8_rounds():
    pairs = [(f"s{i}", f"f{j}") for i, j in itertools.product(range(3), range(8))]
    seatings = speed_rounds(pairs, rounds=8, tables=3)
    check(seatings, pairs, 8, 3)
    # Three startups at three tables: each keeps her table all evening.
    assert {(s.left, s.table) for s in seatings} == {("s0", 0), ("s1", 1), ("s2", 2)}


@pytest.mark.parametrize("seed", range(20))
def test_random_graphs_fill_rounds_up_to_the_limits(seed):
    rng = random.Random(seed)
    rounds, tables = rng.randint(2, 7), rng.randint(1, 6)
    lefts, rights = [f"l{i}" for i in range(rng.randint(1, 9))], [f"r{i}" for i in range(rng.randint(1, 9))]
    candidates = list(itertools.product(lefts, rights))
    rng.shuffle(candidates)
    degree, pairs = Counter(), []
    for left, right in candidates:  # any set with degrees ≤ rounds and at most rounds × tables pairs
        if degree[left] < rounds and degree[right] < rounds and len(pairs) < rounds * tables:
            pairs.append((left, right))
            degree[left] += 1
            degree[right] += 1
    check(speed_rounds(pairs, rounds=rounds, tables=tables), pairs, rounds, tables)


@pytest.mark.parametrize("pairs, rounds, tables, message", [
    ([("a", "x")], 0, 1, "rounds"),
    ([("a", "x")], 1, 0, "tables"),
    ([("a", "x"), ("a", "y")], 1, 5, "only 1 rounds"),
    ([("a", "x"), ("b", "y"), ("c", "z")], 1, 2, "do not fit"),
    ([("a", "x"), ("a", "x")], 3, 3, "twice"),
])
def test_what_cannot_fit_is_refused(pairs, rounds, tables, message):
    with pytest.raises(InputError, match=message):
        speed_rounds(pairs, rounds=rounds, tables=tables)
