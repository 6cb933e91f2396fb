"""Table rotation: seat people over several rounds so that they meet as many new people as possible.

This is the Social Golfer Problem with unequal tables (sizes differ by at most one) and
pairs who already know each other. Nothing in it is specific to one instance; it is solved by

0. design seeds, chosen from the parameters alone (``designs``):
   a. when the number of people is a prime power p**m and the table size p**k, as many rounds
      as possible from affine geometry (cosets of pairwise disjoint subspaces of GF(p)^m;
      ``designs.affine_rounds``);
   b. when that does not give every round, the greedy seating (1.) has conflicts and no
      repeat is forced by counting: all rounds at once from a design with a group G of
      symmetries, found by small exact CP-SAT models run as a portfolio over every abelian
      group of the fitting orders (``group_designs.group_rounds``, within 3/4 of the time
      limit): rounds invariant under G acting on k "sides" (the Kramer–Mesner method over
      G's orbits of tables, full tables), the translates of one base round under G acting on
      sides plus a few fixed people (as in 1-rotational Kirkman designs; any table sizes), or
      both at once;
   people are relabelled so that as few ``known`` pairs as possible share a designed table;
1. a greedy initialisation of the remaining rounds in the spirit of Triska & Musliu (2012):
   each round fills table after table, always taking the person who adds the fewest
   conflicts to the table and, among those, leaves the most unseated people still
   compatible with it ("freedom") — first as a depth-first search for a conflict-free round
   with a node budget, else as the best of a few randomised greedy tries;
2. a conflict-directed tabu search after Dotú & Van Hentenryck (2005): in any round, swap a
   person who sits with somebody already met with a person at another table, choosing the
   best non-tabu swap (incremental delta evaluation with numpy), with aspiration and a
   random perturbation of the best seating when the search stagnates.

Cost: for every pair, ``max(0, meetings + known - 1)`` where ``known`` is 1 for pairs who
already know each other; so a repeat costs 1 and a known pair seated together costs 1.
The search stops at zero cost, at a proven lower bound, or at ``time_limit`` seconds.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from matchwerk.engine.designs import _prime_power, affine_rounds  # noqa: F401
from matchwerk.engine.group_designs import group_rounds
from matchwerk.engine.inputs import (InputError, Progress, check_type, integer, items, known_id,
                                     number, unique_ids)

DEFAULT_TIME_LIMIT = 10.0
_BLOCKED = np.int32(2**30)
DFS_MAX_PEOPLE = 120
FREEDOM_MAX_PEOPLE = 400
DESIGN_SHARE = 0.75  # at most this share of the time limit goes to designs with a group
DESIGN_MIN_SECONDS = 1.0  # below this time limit they are not tried
TUNING = {"stable": 600, "tenure_min": 2, "tenure_max": 10, "kicks": 2, "restart": 24}


@dataclass
class RotationProblem:
    participants: list[str]
    table_size: int
    rounds: int
    known: list[tuple[str, str]] = field(default_factory=list)
    time_limit: float = DEFAULT_TIME_LIMIT
    seed: int = 0
    use_design: bool = True  # seed rounds from designs (affine geometry, designs with a group)


@dataclass
class RotationResult:
    rounds: list[list[list[str]]]
    repeats: int
    known_met: int
    lower_bound: int = 0
    iterations: int = 0
    seconds: float = 0.0
    design: str = ""  # which design seeded rounds ("" for none)

    def as_dict(self) -> dict:
        return {"rounds": self.rounds, "repeats": self.repeats, "known_met": self.known_met,
                "stats": {"lower_bound": self.lower_bound, "iterations": self.iterations,
                          "seconds": round(self.seconds, 3), "design": self.design}}


def parse(data: dict) -> RotationProblem:
    """Validate the JSON input of ``matchwerk rotate`` (FORMATS.md)."""
    people = items(data, "participants", "")
    index = unique_ids(people, "participants")
    if not people:
        raise InputError("participants: must not be empty")
    table_size = integer(data, "table_size", "", minimum=1)
    rounds = integer(data, "rounds", "", minimum=1)
    known = []
    for i, pair in enumerate(items(data, "known", "", [])):
        where = f"known[{i}]"
        check_type(pair, list, where)
        if len(pair) != 2:
            raise InputError(f"{where}: expected a pair of two participant ids")
        a = known_id(pair[0], index, f"{where}[0]", "participant")
        b = known_id(pair[1], index, f"{where}[1]", "participant")
        if a == b:
            raise InputError(f"{where}: a participant cannot be paired with itself")
        known.append((people[a], people[b]))
    time_limit = number(data, "time_limit", "", DEFAULT_TIME_LIMIT, minimum=0)
    seed = integer(data, "seed", "", 0)
    return RotationProblem(list(people), table_size, rounds, known, float(time_limit), seed)


def table_sizes(n: int, table_size: int) -> list[int]:
    """⌈n / table_size⌉ tables whose sizes differ by at most one, larger tables first."""
    tables = math.ceil(n / table_size)
    base, extra = divmod(n, tables)
    return [base + 1] * extra + [base] * (tables - extra)


def lower_bound(n: int, sizes: list[int], rounds: int, known_degree: np.ndarray) -> int:
    """A proven lower bound on the cost (repeats + known pairs seated together)."""
    smallest = min(sizes)
    meetings = rounds * sum(s * (s - 1) // 2 for s in sizes)
    free_pairs = n * (n - 1) // 2 - int(known_degree.sum()) // 2
    global_bound = meetings - free_pairs
    # Each person meets at least rounds × (smallest − 1) times but only n − 1 − known people for free.
    per_person = np.maximum(0, rounds * (smallest - 1) + known_degree - (n - 1))
    return max(0, global_bound, int(math.ceil(per_person.sum() / 2)))


class _Search:
    """State of the local search: seating per round and the pair-meeting matrix."""

    def __init__(self, n: int, sizes: list[int], rounds: int, known: np.ndarray, rng):
        self.n, self.sizes, self.w, self.g = n, sizes, rounds, len(sizes)
        self.known = known
        self.rng = rng
        self.assign = np.zeros((rounds, n), dtype=np.int64)  # table of each person per round
        self.E = known.astype(np.int64).copy()  # meetings + known, diagonal 0

    # -- greedy initialisation -------------------------------------------------------
    def greedy_round(self, r: int, attempts: int = 1, deadline: float = math.inf) -> None:
        """Seat round r greedily; the best of ``attempts`` randomised tries (as time allows)."""
        best = None
        fresh = (self.E == 0)
        fresh_int = fresh.astype(np.int32)
        if self.n <= DFS_MAX_PEOPLE:
            tables = self._search_round(fresh, fresh_int)
            if tables is not None:
                best = (tables, 0)
                attempts = 0
        for _ in range(attempts):
            tables, conflicts = self._try_round(fresh, fresh_int)
            if best is None or conflicts < best[1]:
                best = (tables, conflicts)
            if conflicts == 0 or time.perf_counter() > deadline:
                break
        row = np.zeros(self.n, dtype=np.int64)
        for t, table in enumerate(best[0]):
            row[table] = t
        self.seat_round(r, row)

    def seat_round(self, r: int, row: np.ndarray) -> None:
        """Seat round r (before the search starts) and count its meetings."""
        self.assign[r] = row
        for t in range(self.g):
            members = np.flatnonzero(row == t)
            self.E[np.ix_(members, members)] += 1
            self.E[members, members] -= 1

    def _search_round(self, fresh: np.ndarray, fresh_int: np.ndarray, budget: int = 3000):
        """Depth-first search (with a node budget) for a round without any conflict.

        Same ordering as the greedy: open a table with the most constrained person, add
        compatible people who keep the most freedom; backtrack when a table cannot be filled.
        """
        n, sizes = self.n, self.sizes
        noise = self.rng.random(n) * 1e-3
        nodes = [0]
        tables: list[list[int]] = []

        def fill(unseated: np.ndarray, table: list[int], compatible: np.ndarray) -> bool:
            nodes[0] += 1
            if nodes[0] > budget:
                return False
            size = sizes[len(tables)]
            if len(table) == size:
                tables.append(table)
                if len(tables) == len(sizes):
                    return True
                options = fresh_int @ unseated.astype(np.int32)
                score = np.where(unseated, options + noise, np.inf)
                p = int(np.argmin(score))
                rest = unseated.copy()
                rest[p] = False
                if fill(rest, [p], rest & fresh[p]):
                    return True
                tables.pop()
                return False
            if int(compatible.sum()) < size - len(table):
                return False
            candidates = np.flatnonzero(compatible)
            freedom = fresh_int[candidates] @ compatible.astype(np.int32) + noise[candidates]
            for q in candidates[np.argsort(-freedom)][:6]:
                rest = unseated.copy()
                rest[q] = False
                if fill(rest, table + [int(q)], compatible & fresh[q] & rest):
                    return True
                if nodes[0] > budget:
                    return False
            return False

        start = np.ones(n, dtype=bool)
        options = fresh_int.sum(axis=1)
        p = int(np.argmin(options + noise))
        start[p] = False
        return list(tables) if fill(start, [p], start & fresh[p]) else None

    def _try_round(self, fresh: np.ndarray, fresh_int: np.ndarray):
        """Most-constrained first: open each table with the unseated person who has the fewest
        unseated people left to meet; then add the person who adds the fewest conflicts and
        keeps the most unseated people compatible with the whole table ("freedom")."""
        n = self.n
        unseated = np.ones(n, dtype=bool)
        noise = self.rng.random(n) * 1e-3
        tables, total = [], 0
        for size in self.sizes:
            options = fresh_int @ unseated.astype(np.int32) if n <= FREEDOM_MAX_PEOPLE else 0
            score = options + noise
            score[~unseated] = np.inf
            p = int(np.argmin(score))
            table = [p]
            unseated[p] = False
            compatible = unseated & fresh[p]
            conflicts = (~fresh[p]).astype(np.int64)
            conflicts[p] = 0
            for _ in range(size - 1):
                # freedom costs O(n²) per seat: only for groups of moderate size
                freedom = fresh_int @ compatible.astype(np.int32) if n <= FREEDOM_MAX_PEOPLE else 0
                score = conflicts * (n + 1) - freedom + noise
                score[~unseated] = np.inf
                q = int(np.argmin(score))
                total += int(conflicts[q])
                table.append(q)
                unseated[q] = False
                compatible &= fresh[q]
                conflicts += ~fresh[q]
            tables.append(table)
        return tables, total

    def cost(self) -> int:
        upper = np.triu(self.E, 1)
        return int(np.maximum(upper - 1, 0).sum())

    # -- tabu search ---------------------------------------------------------------------
    # C1[r, i, t] counts the people at table t in round r whom i has met at least once
    # (meetings + known ≥ 1), C2 those met at least twice; both are kept up to date on
    # every swap so that a swap's change of cost is a handful of array look-ups.
    def rebuild(self) -> None:
        n, w, g = self.n, self.w, self.g
        if getattr(self, "_memb", None) is None:
            self._own_base = ((np.arange(w)[:, None] * n + np.arange(n)[None, :]) * g).reshape(-1)
            self._person_base = np.arange(n) * g
            self._all_rounds = np.arange(w)
            self._memb = np.zeros((w, n, g), dtype=np.float32)  # one-hot table per round
            self._memb[np.arange(w)[:, None], np.arange(n)[None, :], self.assign] = 1.0
        self.B1 = (self.E >= 1).astype(np.float32)
        self.B2 = (self.E >= 2).astype(np.float32)
        self.C1 = np.matmul(self.B1, self._memb)  # small integers, exact in float32
        self.C2 = np.matmul(self.B2, self._memb)
        self._flat1 = self.C1.reshape(-1)
        self._flat2 = self.C2.reshape(-1)

    def deltas(self):
        """Candidate swaps: every (round r, conflicting person a, person b at another table).

        Returns (flat index r·n + a per candidate row, a, delta (K, n), same table (K, n)).
        """
        n, g = self.n, self.g
        flat_assign = self.assign.reshape(-1)
        own2 = self._flat2[self._own_base + flat_assign]  # (w·n): conflicts of each seat
        idx = np.flatnonzero(own2)
        if len(idx) == 0:
            return None
        rs = idx // n
        ta = flat_assign[idx]
        tb = self.assign[rs]  # (K, n)
        delta = (self._flat1[(idx * g)[:, None] + tb]  # a's acquaintances at b's table
                 + self._flat1[(rs * (n * g))[:, None] + self._person_base[None, :] + ta[:, None]]
                 - own2[idx][:, None] - own2.reshape(self.w, n)[rs] - 2 * self.B1[idx - rs * n])
        return idx, delta, tb == ta[:, None]

    def swap(self, r: int, a: int, b: int) -> None:
        if self.w * self.n * self.n * self.g <= 4_000_000:
            self._swap_seats(r, a, b)
            self.rebuild()
        else:
            self._swap_incremental(r, a, b)

    def _swap_seats(self, r: int, a: int, b: int) -> None:
        row = self.assign[r]
        ta, tb = row[a], row[b]
        change = (row == tb).astype(np.int64) - (row == ta)  # a leaves ta, joins tb
        change[a] = change[b] = 0
        E = self.E
        E[a] += change
        E[:, a] += change
        E[b] -= change
        E[:, b] -= change
        row[a], row[b] = tb, ta
        memb = self._memb[r]
        memb[a, ta] = memb[b, tb] = 0.0
        memb[a, tb] = memb[b, ta] = 1.0

    def _swap_incremental(self, r: int, a: int, b: int) -> None:
        row = self.assign[r]
        ta, tb = row[a], row[b]
        at_a = np.flatnonzero(row == ta)
        at_b = np.flatnonzero(row == tb)
        at_a = at_a[at_a != a]
        at_b = at_b[at_b != b]
        # 1. membership of round r changes (with the meeting flags as they are)
        for C, B in ((self.C1, self.B1), (self.C2, self.B2)):
            diff = B[:, b] - B[:, a]
            C[r, :, ta] += diff
            C[r, :, tb] -= diff
        row[a], row[b] = tb, ta
        memb = self._memb[r]
        memb[a, ta] = memb[b, tb] = 0.0
        memb[a, tb] = memb[b, ta] = 1.0
        # 2. meeting counts change for a and b with their old and new table mates
        left_a, left_b = len(at_a), len(at_b)
        first = np.concatenate([np.full(left_a, a), np.full(left_b, b),
                                np.full(left_b, a), np.full(left_a, b)])
        second = np.concatenate([at_a, at_b, at_b, at_a])
        change = np.concatenate([np.full(left_a + left_b, -1), np.full(left_a + left_b, 1)])
        old = self.E[first, second]
        new = old + change
        self.E[first, second] = new
        self.E[second, first] = new
        for C, B, level in ((self.C1, self.B1, 1), (self.C2, self.B2, 2)):
            flip = (new >= level).astype(np.int32) - (old >= level)
            hit = np.flatnonzero(flip)
            if len(hit) == 0:
                continue
            i, x, d = first[hit], second[hit], flip[hit]
            B[i, x] += d
            B[x, i] += d
            w = self.w
            rr = np.tile(self._all_rounds, len(hit))
            ii = np.repeat(i, w)
            xx = np.repeat(x, w)
            dd = np.repeat(d, w)
            np.add.at(C, (rr, ii, self.assign[rr, xx]), dd)
            np.add.at(C, (rr, xx, self.assign[rr, ii]), dd)

    def load(self, assign: np.ndarray) -> None:
        self.assign = assign.copy()
        self._memb = None
        self.E = self.known.astype(np.int64).copy()
        for r in range(self.w):
            for t in range(self.g):
                members = np.flatnonzero(self.assign[r] == t)
                self.E[np.ix_(members, members)] += 1
                self.E[members, members] -= 1
        self.rebuild()


def solve(problem: RotationProblem, progress: Progress | None = None) -> RotationResult:
    """Seat everyone once per round, minimising repeats and known pairs seated together."""
    started = time.perf_counter()
    deadline = started + problem.time_limit
    people = problem.participants
    n = len(people)
    index = {p: i for i, p in enumerate(people)}
    known = np.zeros((n, n), dtype=np.int64)
    for a, b in problem.known:
        known[index[a], index[b]] = known[index[b], index[a]] = 1
    sizes = table_sizes(n, problem.table_size)
    bound = lower_bound(n, sizes, problem.rounds, known.sum(axis=1))
    rng = np.random.default_rng(problem.seed)

    search = _Search(n, sizes, problem.rounds, known, rng)
    attempts = max(1, min(20, 4000 // max(n, 1)))
    designed, design = None, ""
    if problem.use_design:
        designed = affine_rounds(n, problem.table_size, problem.rounds, rng)
        design = f"affine geometry, {len(designed)} rounds" if designed is not None else ""
    _seat(search, designed, known, rng, attempts, started + problem.time_limit / 2)
    cost = search.cost()
    if (problem.use_design and cost > bound == 0 and problem.time_limit >= DESIGN_MIN_SECONDS
            and (designed is None or len(designed) < problem.rounds)):
        # the greedy seating has conflicts: try a design with a group for all rounds
        found = group_rounds(n, sizes, problem.table_size, problem.rounds,
                             problem.time_limit * DESIGN_SHARE, problem.seed)
        if found is not None:
            designed, design = found
            search = _Search(n, sizes, problem.rounds, known, rng)
            _seat(search, designed, known, rng, attempts, deadline)
            cost = search.cost()
    best_cost, best_assign = cost, search.assign.copy()
    iterations = 0
    if progress:
        progress(0.0, f"rotate: greedy seating with {cost} conflicts (lower bound {bound})")

    w = problem.rounds
    run_cost, run_assign, fails, restarts = cost, search.assign.copy(), 0, 0
    tabu = np.zeros(w * n * n, dtype=np.int64)  # flat (round, a, b): swap forbidden until
    columns = np.arange(n)[None, :]
    stable = 0
    stable_limit = TUNING["stable"]
    next_report = started + 1.0
    while best_cost > bound and len(sizes) > 1:
        now = time.perf_counter()
        if now >= deadline:
            break
        if progress and now >= next_report:
            progress(min(1.0, (now - started) / max(problem.time_limit, 1e-9)),
                     f"rotate: {iterations} moves, best {best_cost} conflicts")
            next_report = now + 1.0
        iterations += 1
        found = search.deltas()
        if found is None:  # no conflict left
            best_cost, best_assign = 0, search.assign.copy()
            break
        idx, delta, same = found
        is_tabu = tabu[(idx * n)[:, None] + columns] > iterations
        allowed = ~same & (~is_tabu | (delta < best_cost - cost))  # aspiration
        masked = np.where(allowed, delta, _BLOCKED)
        low = masked.min()
        if low == _BLOCKED:
            masked = np.where(same, _BLOCKED, delta)
            low = masked.min()
        choices = np.flatnonzero(masked == low)
        k, b = divmod(int(choices[rng.integers(len(choices))]), n)
        r, a = divmod(int(idx[k]), n)
        search.swap(r, a, b)
        cost += int(low)
        tenure = int(rng.integers(TUNING["tenure_min"], TUNING["tenure_max"]))
        tabu[(r * n + a) * n + b] = tabu[(r * n + b) * n + a] = iterations + tenure
        if cost < run_cost:
            run_cost, run_assign, stable, fails = cost, search.assign.copy(), 0, 0
            if cost < best_cost:
                best_cost, best_assign = cost, search.assign.copy()
        else:
            stable += 1
        if stable > stable_limit:
            fails += 1
            if fails > TUNING["restart"] and problem.time_limit > 0:
                # This basin is worn out: a fresh greedy seating (new random choices).
                search = _Search(n, sizes, problem.rounds, known, rng)
                for r in range(problem.rounds):
                    search.greedy_round(r, attempts, deadline)
                search.rebuild()
                cost = search.cost()
                run_cost, run_assign, fails = cost, search.assign.copy(), 0
                restarts += 1
            else:
                # Perturb the best seating of this run with a few random swaps (more the
                # longer it has not improved) and continue from there.
                search.load(run_assign)
                for _ in range(TUNING["kicks"] + fails // 4):
                    r = int(rng.integers(w))
                    a, b = rng.choice(n, 2, replace=False)
                    if search.assign[r, a] != search.assign[r, b]:
                        search.swap(r, int(a), int(b))
                cost = search.cost()
            tabu.fill(0)
            stable = 0

    search.load(best_assign)
    result = _result(problem, search, sizes, bound, iterations, time.perf_counter() - started)
    result.design = design
    return result


def _seat(search: _Search, designed, known, rng, attempts: int, deadline: float) -> None:
    """Seat the first rounds from the design (people relabelled), the others greedily."""
    first = 0
    if designed is not None:
        shuffle = _relabel(designed, known, rng)
        for r, row in enumerate(designed):
            search.seat_round(r, row[shuffle])
        first = len(designed)
    for r in range(first, search.w):
        search.greedy_round(r, attempts, deadline)
    search.rebuild()


def _relabel(designed: np.ndarray, known: np.ndarray, rng, tries: int = 32) -> np.ndarray:
    """Who plays which person of the design (``shuffle[person]`` = design point): known pairs
    are mapped one after the other onto pairs of design points that never share a table
    (random choices), the rest at random; the best of ``tries`` such relabellings (fewest
    known pairs seated together) is returned."""
    w, n = designed.shape
    pairs = np.argwhere(np.triu(known, 1))
    if len(pairs) == 0:
        return rng.permutation(n)
    tables = int(designed.max()) + 1
    onehot = np.zeros((w, n, tables), dtype=np.int32)
    onehot[np.arange(w)[:, None], np.arange(n)[None, :], designed] = 1
    met = np.einsum("rit,rjt->ij", onehot, onehot) - w * np.eye(n, dtype=np.int64)
    apart = met == 0
    np.fill_diagonal(apart, False)
    best, best_met = None, None
    for _ in range(tries):
        shuffle = np.full(n, -1)
        free = np.ones(n, dtype=bool)
        for a, b in pairs[rng.permutation(len(pairs))]:
            if shuffle[a] >= 0 and shuffle[b] >= 0:
                continue
            if shuffle[a] < 0 and shuffle[b] < 0:
                options = np.argwhere(apart & free[:, None] & free[None, :])
                if len(options) == 0:
                    continue
                u, v = options[rng.integers(len(options))]
                shuffle[a], shuffle[b] = u, v
                free[u] = free[v] = False
                continue
            placed, other = (a, b) if shuffle[a] >= 0 else (b, a)
            options = np.flatnonzero(apart[shuffle[placed]] & free)
            if len(options):
                v = options[rng.integers(len(options))]
                shuffle[other] = v
                free[v] = False
        rest = np.flatnonzero(shuffle < 0)
        shuffle[rest] = rng.permutation(np.flatnonzero(free))
        together = int(met[shuffle[pairs[:, 0]], shuffle[pairs[:, 1]]].sum())
        if best is None or together < best_met:
            best, best_met = shuffle, together
            if together == 0:
                break
    return best


def _result(problem, search: _Search, sizes, bound, iterations, seconds) -> RotationResult:
    people = problem.participants
    meetings = search.E - search.known
    upper = np.triu(np.ones_like(meetings, dtype=bool), 1)
    repeats = int(np.maximum(meetings - 1, 0)[upper].sum())
    known_met = int((meetings * search.known)[upper].sum())
    rounds = []
    for r in range(problem.rounds):
        tables = [[people[p] for p in np.flatnonzero(search.assign[r] == t)] for t in range(len(sizes))]
        rounds.append(tables)
    return RotationResult(rounds, repeats, known_met, bound, iterations, seconds)


def run(data: dict, progress: Progress | None = None) -> dict:
    """``matchwerk rotate``: JSON in, JSON out (FORMATS.md)."""
    return solve(parse(data), progress).as_dict()
