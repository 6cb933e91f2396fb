"""Speed-dating rounds: chosen pairs (one person of each side) into rounds and tables.

Given pairs between a left and a right side, ``rounds`` rounds and ``tables`` tables, every
pair is put into exactly one round so that nobody sits twice in one round and no round
needs more than ``tables`` tables. This is a proper edge colouring of a bipartite graph
with ``rounds`` colours whose colour classes have at most ``tables`` edges. By König's
theorem ``rounds`` ≥ the largest number of pairs of one person suffices; by de Werra's
balancing the classes can be made to differ in size by at most one, so ``rounds ×
tables`` ≥ the number of pairs suffices too. Both conditions are checked; which pairs to
keep when they do not hold is the job of ``pair`` (capacities = rounds, ``max_pairs`` =
rounds × tables), which the web app calls first.

1. Colour the pairs one by one (alternating-path recolouring: take a colour α free at the
   left person and β free at the right one; if α is taken at the right one, swap α and β
   along the α/β path starting there — in a bipartite graph it never reaches the left
   person — and use α).
2. Balance: while the largest class has two or more pairs more than the smallest, the pairs
   of those two colours form paths and even cycles; one path starts and ends with the
   larger colour, and swapping the colours on it moves one pair across.
3. Tables: when one side has at most ``tables`` people, each of them keeps one table all
   evening (the other side moves); otherwise tables are numbered per round.

Pure Python, no Django; the app's service functions call :func:`speed_rounds`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from matchwerk.engine.inputs import InputError


@dataclass(frozen=True)
class Seating:
    round: int  # 0-based
    table: int  # 0-based
    left: str
    right: str


def _check(pairs: list[tuple[str, str]], rounds: int, tables: int) -> None:
    if rounds < 1:
        raise InputError("rounds: must be at least 1")
    if tables < 1:
        raise InputError("tables: must be at least 1")
    if len(set(pairs)) != len(pairs):
        raise InputError("pairs: a pair is listed twice")
    if len(pairs) > rounds * tables:
        raise InputError(f"pairs: {len(pairs)} pairs do not fit into {rounds} rounds × {tables} tables")
    degree: dict[tuple[str, str], int] = defaultdict(int)
    for left, right in pairs:
        degree["L", left] += 1
        degree["R", right] += 1
    busiest = max(degree.items(), key=lambda item: item[1], default=(("", ""), 0))
    if busiest[1] > rounds:
        raise InputError(f"pairs: {busiest[0][1]!r} has {busiest[1]} pairs but there are only {rounds} rounds")


def colour_pairs(pairs: list[tuple[str, str]], rounds: int) -> list[int]:
    """A colour (round) in ``range(rounds)`` per pair; nobody has two pairs of one colour."""
    colour = [-1] * len(pairs)
    at: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)  # node -> colour -> pair index
    ends = [(("L", left), ("R", right)) for left, right in pairs]

    def other(index: int, node):
        a, b = ends[index]
        return b if node == a else a

    for index, (u, v) in enumerate(ends):
        alpha = next(c for c in range(rounds) if c not in at[u])
        beta = next(c for c in range(rounds) if c not in at[v])
        if alpha in at[v]:
            # Swap alpha and beta on the path v -alpha- w1 -beta- w2 ... (it never reaches u).
            path = []
            node, want = v, alpha
            while want in at[node]:
                edge = at[node][want]
                path.append(edge)
                node = other(edge, node)
                want = beta if want == alpha else alpha
            for edge in path:
                a, b = ends[edge]
                del at[a][colour[edge]], at[b][colour[edge]]
            for edge in path:
                colour[edge] = beta if colour[edge] == alpha else alpha
                a, b = ends[edge]
                at[a][colour[edge]] = at[b][colour[edge]] = edge
        colour[index] = alpha
        at[u][alpha] = at[v][alpha] = index
    _balance(colour, ends, at, rounds)
    return colour


def _balance(colour: list[int], ends, at, rounds: int) -> None:
    """Swap colours on alternating paths until class sizes differ by at most one."""
    while True:
        sizes = [0] * rounds
        for c in colour:
            sizes[c] += 1
        big = max(range(rounds), key=lambda c: sizes[c])
        small = min(range(rounds), key=lambda c: sizes[c])
        if sizes[big] - sizes[small] <= 1:
            return
        # A path component of the big/small subgraph with one more big edge: it starts at a
        # node that has a big edge but no small edge, and its last edge is big too.
        for start, colours in list(at.items()):
            if big not in colours or small in colours:
                continue
            path, node, want = [], start, big
            while want in at[node]:
                edge = at[node][want]
                path.append(edge)
                a, b = ends[edge]
                node = b if node == a else a
                want = small if want == big else big
            if len(path) % 2 == 1:  # big, small, …, big
                for edge in path:
                    a, b = ends[edge]
                    del at[a][colour[edge]], at[b][colour[edge]]
                for edge in path:
                    colour[edge] = small if colour[edge] == big else big
                    a, b = ends[edge]
                    at[a][colour[edge]] = at[b][colour[edge]] = edge
                break
        else:  # cannot happen (counting argument); never loop forever
            return


def speed_rounds(pairs: list[tuple[str, str]], *, rounds: int, tables: int) -> list[Seating]:
    """Every pair (left id, right id) once, in ``rounds`` rounds at ``tables`` tables.

    Raises :class:`InputError` when they cannot fit (a person with more pairs than rounds,
    more pairs than rounds × tables, a pair listed twice, 0 rounds or 0 tables)."""
    pairs = [(str(left), str(right)) for left, right in pairs]
    _check(pairs, rounds, tables)
    colour = colour_pairs(pairs, rounds)
    lefts = sorted({left for left, _ in pairs})
    rights = sorted({right for _, right in pairs})
    fixed: dict[str, int] | None = None
    side = 0
    if len(lefts) <= tables:
        fixed, side = {person: t for t, person in enumerate(lefts)}, 0
    elif len(rights) <= tables:
        fixed, side = {person: t for t, person in enumerate(rights)}, 1
    by_round: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for pair, c in zip(pairs, colour):
        by_round[c].append(pair)
    # Fuller rounds first: the empty or thin rounds come at the end of the evening.
    order = sorted(by_round, key=lambda c: (-len(by_round[c]), c))
    seatings = []
    for r, c in enumerate(order):
        in_round = sorted(by_round[c])
        for t, (left, right) in enumerate(in_round):
            table = fixed[(left, right)[side]] if fixed is not None else t
            seatings.append(Seating(r, table, left, right))
    return seatings
