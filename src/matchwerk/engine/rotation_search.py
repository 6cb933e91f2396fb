"""Greedy seating and tabu search for table rotation on groups of moderate size.

Pure Python on integer bit sets (one ``int`` per person): for a few dozen people this is far
faster per move than numpy, whose call overhead dominates on arrays this small.

- ``met1[p]`` / ``met2[p]``: people whom p has met (or knows) at least once / twice;
- ``masks[r][t]``: the people at table t in round r.

Then "acquaintances of a at table t" is ``(met1[a] & masks[r][t]).bit_count()`` and the
change of cost of swapping a and b (tables ta ≠ tb in round r) is

    Δ = |met1[a] ∩ tb| + |met1[b] ∩ ta| − 2·[a, b met] − |met2[a] ∩ ta| − |met2[b] ∩ tb|

Greedy initialisation after Triska & Musliu (2012): a table is opened with the compatible
pair of unseated people with the most *freedom* (unseated people who could still join both
without a conflict), then filled with the person who adds the fewest conflicts and keeps
the most freedom; ties are broken at random; each round is the best of a few such tries.

Tabu search after Dotú & Van Hentenryck (2005): in any round, swap a person in conflict with
a person at another table; the best non-tabu swap is taken (aspiration when it beats the
best seating of the run); a swap of a and b in a round is tabu for a random tenure. After
``stable`` moves without a new best, the best seating of the run is perturbed by a few
random swaps; after ``perturbations`` perturbations without a new best the run ends and a new
run starts from a fresh greedy seating (many short runs beat one long one).
"""

from __future__ import annotations

import random
import time

# greedy tries per round (without / with fixed design rounds); moves without a new best
# before a perturbation; perturbations per run; random swaps per perturbation; tabu tenure.
TUNING = {"greedy_tries": 8, "greedy_tries_prefix": 1, "stable": 120, "perturbations": 4,
          "kicks": 3, "tenure_min": 3, "tenure_max": 12}


class Seating:
    """Seating of all rounds with the meeting counts (meetings + known) of every pair."""

    def __init__(self, n: int, sizes: list[int], rounds: int, known: list[tuple[int, int]]):
        self.n, self.sizes, self.w, self.g = n, sizes, rounds, len(sizes)
        self.known = known
        self.reset()

    def reset(self) -> None:
        n = self.n
        self.E = [0] * (n * n)
        self.met1 = [0] * n
        self.met2 = [0] * n
        self.cost = 0
        self.pos: list[list[int]] = []  # table of each person, per seated round
        self.masks: list[list[int]] = []  # members of each table (bit set), per seated round
        for a, b in self.known:
            self._bump(a, b, 1)

    def _bump(self, p: int, q: int, d: int) -> None:
        n, E = self.n, self.E
        e = E[p * n + q] + d
        E[p * n + q] = E[q * n + p] = e
        if d > 0:
            if e >= 2:
                self.cost += 1
            if e == 1:
                self.met1[p] |= 1 << q
                self.met1[q] |= 1 << p
            elif e == 2:
                self.met2[p] |= 1 << q
                self.met2[q] |= 1 << p
        else:
            if e >= 1:
                self.cost -= 1
            if e == 0:
                self.met1[p] &= ~(1 << q)
                self.met1[q] &= ~(1 << p)
            elif e == 1:
                self.met2[p] &= ~(1 << q)
                self.met2[q] &= ~(1 << p)

    def add_round(self, pos: list[int]) -> None:
        masks = [0] * self.g
        for p, t in enumerate(pos):
            masks[t] |= 1 << p
        for m in masks:
            members = _bits(m)
            for i, p in enumerate(members):
                for q in members[i + 1:]:
                    self._bump(p, q, 1)
        self.pos.append(list(pos))
        self.masks.append(masks)

    def load(self, rounds: list[list[int]]) -> None:
        self.reset()
        for pos in rounds:
            self.add_round(pos)

    def swap(self, r: int, a: int, b: int) -> None:
        pos, masks = self.pos[r], self.masks[r]
        ta, tb = pos[a], pos[b]
        mates_a = _bits(masks[ta] & ~(1 << a))
        mates_b = _bits(masks[tb] & ~(1 << b))
        bump = self._bump
        for c in mates_a:
            bump(a, c, -1)
            bump(b, c, 1)
        for d in mates_b:
            bump(b, d, -1)
            bump(a, d, 1)
        bit = (1 << a) | (1 << b)
        masks[ta] ^= bit
        masks[tb] ^= bit
        pos[a], pos[b] = tb, ta

    # -- greedy initialisation (Triska & Musliu) -------------------------------------
    def best_greedy_round(self, rng: random.Random, tries: int) -> list[int]:
        """The greedy round with the fewest conflicts out of ``tries`` randomised tries."""
        best, best_conflicts = None, None
        for _ in range(tries):
            pos = self.greedy_round(rng)
            tables = [0] * self.g
            for p, t in enumerate(pos):
                tables[t] |= 1 << p
            conflicts = sum((self.met1[p] & tables[pos[p]]).bit_count() for p in range(self.n))
            if best is None or conflicts < best_conflicts:
                best, best_conflicts = pos, conflicts
            if conflicts == 0:
                break
        return best

    def greedy_round(self, rng: random.Random) -> list[int]:
        """A round seated by freedom: see the module docstring."""
        n, met1 = self.n, self.met1
        everyone = (1 << n) - 1
        fresh = [everyone & ~met1[p] & ~(1 << p) for p in range(n)]
        unseated = everyone
        pos = [0] * n
        for t, size in enumerate(self.sizes):
            people = _bits(unseated)
            if size == 1 or len(people) == 1:
                p = rng.choice(people)
                table = 1 << p
                unseated &= ~table
                pos[p] = t
                continue
            # the pair with the fewest conflicts and the most freedom
            best, choice = None, None
            for i, x in enumerate(people):
                fx = fresh[x] & unseated
                for y in people[i + 1:]:
                    score = (((fx >> y) & 1) * n * 2 + (fx & fresh[y]).bit_count(), rng.random())
                    if best is None or score > best:
                        best, choice = score, (x, y)
            x, y = choice
            table = (1 << x) | (1 << y)
            unseated &= ~table
            compatible = fresh[x] & fresh[y] & unseated
            for _ in range(size - 2):
                best, z = None, -1
                for q in _bits(unseated):
                    score = (-(met1[q] & table).bit_count(), (fresh[q] & compatible).bit_count(),
                             rng.random())
                    if best is None or score > best:
                        best, z = score, q
                table |= 1 << z
                unseated &= ~(1 << z)
                compatible &= fresh[z]
            for p in _bits(table):
                pos[p] = t
        return pos

    # -- tabu search (Dotú & Van Hentenryck) -----------------------------------------
    def best_moves(self, rounds, tabu: dict, it: int, aspiration: int):
        """The best swaps (lowest Δ) over all rounds in ``rounds``; tabu unless Δ < aspiration."""
        n, met1, met2 = self.n, self.met1, self.met2
        best_delta, moves = 1 << 30, []
        people = range(n)
        nn = n * n
        for r in rounds:
            pos, masks = self.pos[r], self.masks[r]
            c2 = [(met2[p] & masks[pos[p]]).bit_count() for p in people]
            if not any(c2):
                continue
            rbase = r * nn
            for a in people:
                ca = c2[a]
                if not ca:
                    continue
                ta = pos[a]
                ma = met1[a]
                mta = masks[ta]
                acq = [(ma & m).bit_count() - ca for m in masks]
                abase = rbase + a * n
                for b in people:
                    tb = pos[b]
                    if tb == ta:
                        continue
                    d = acq[tb] + (met1[b] & mta).bit_count() - c2[b] - 2 * ((ma >> b) & 1)
                    if d > best_delta:
                        continue
                    if tabu.get(abase + b, 0) > it and d >= aspiration:
                        continue
                    if d < best_delta:
                        best_delta, moves = d, [(r, a, b)]
                    else:
                        moves.append((r, a, b))
        return best_delta, moves


def _bits(mask: int) -> list[int]:
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


def search(n: int, sizes: list[int], rounds: int, known: list[tuple[int, int]], seed: int,
           deadline: float, bound: int = 0, progress=None, started: float | None = None,
           time_limit: float = 0.0, prefix=None):
    """Seat ``rounds`` rounds within ``deadline`` (a ``time.perf_counter()`` value).

    ``prefix(rng)``, when given, returns rounds (table of each person) that every run keeps
    fixed, drawn afresh for each run. Returns (table of each person per round, cost, moves,
    runs).
    """
    rng = random.Random(seed)
    state = Seating(n, sizes, rounds, known)
    nn = n * n
    best_rounds = None
    first = 0

    def fresh_start():
        nonlocal first
        state.reset()
        if prefix is not None:
            keep = [list(p) for p in prefix(rng)][:rounds]
        elif best_rounds is not None and not known and rounds > 1:
            keep = best_rounds[:1]  # round 0 may be any partition (symmetry): keep it
        else:
            keep = []
        first = len(keep) if keep else (1 if not known and rounds > 1 else 0)
        for pos in keep:
            state.add_round(pos)
        for _ in range(len(keep), rounds):
            state.add_round(state.best_greedy_round(rng, tries))

    tries = TUNING["greedy_tries_prefix" if prefix is not None else "greedy_tries"]
    fresh_start()
    best_cost, best_rounds = state.cost, [list(p) for p in state.pos]
    moves = runs = 0
    started = time.perf_counter() if started is None else started
    next_report = started + 1.0
    while best_cost > bound and len(sizes) > 1 and first < rounds:
        # one run: tabu search with perturbations from a fresh greedy seating
        runs += 1
        movable = range(first, rounds)
        tabu: dict[int, int] = {}
        run_cost, run_rounds = state.cost, [list(p) for p in state.pos]
        stable = perturbations = 0
        while state.cost > bound:
            if moves & 15 == 0:
                now = time.perf_counter()
                if now >= deadline:
                    break
                if progress and now >= next_report:
                    progress(min(1.0, (now - started) / max(time_limit, 1e-9)),
                             f"rotate: {moves} moves, {runs} runs, best {best_cost} conflicts")
                    next_report = now + 1.0
            moves += 1
            delta, options = state.best_moves(movable, tabu, moves, run_cost - state.cost)
            if not options:
                break
            r, a, b = options[rng.randrange(len(options))] if len(options) > 1 else options[0]
            state.swap(r, a, b)
            tenure = moves + rng.randint(TUNING["tenure_min"], TUNING["tenure_max"])
            tabu[r * nn + a * n + b] = tabu[r * nn + b * n + a] = tenure
            if state.cost < run_cost:
                run_cost, run_rounds, stable = state.cost, [list(p) for p in state.pos], 0
                perturbations = 0
                if run_cost < best_cost:
                    best_cost, best_rounds = run_cost, [list(p) for p in run_rounds]
            else:
                stable += 1
                if stable > TUNING["stable"]:
                    perturbations += 1
                    if perturbations > TUNING["perturbations"]:
                        break
                    state.load(run_rounds)
                    for _ in range(TUNING["kicks"]):
                        r = rng.randrange(first, rounds)
                        a, b = rng.sample(range(n), 2)
                        if state.pos[r][a] != state.pos[r][b]:
                            state.swap(r, a, b)
                    tabu.clear()
                    stable = 0
        if state.cost < best_cost:
            best_cost, best_rounds = state.cost, [list(p) for p in state.pos]
        if best_cost <= bound or time.perf_counter() >= deadline:
            break
        fresh_start()
        if state.cost < best_cost:
            best_cost, best_rounds = state.cost, [list(p) for p in state.pos]
    return best_rounds, best_cost, moves, runs
