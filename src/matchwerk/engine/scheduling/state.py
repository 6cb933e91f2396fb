"""A mutable schedule: who meets in which slot, with an undo log for tentative moves.

Non-booth meetings hold no table number until the end (any free number in the slot will
do, see :meth:`State.tables`); booth meetings and locked meetings hold their number while
they are placed, so two of them never share one.
"""

from __future__ import annotations

from .problem import Problem


class State:
    def __init__(self, problem: Problem):
        self.p = problem
        n_s = problem.n_slots
        self.slot_of = [-1] * problem.n_meetings
        self.table_of = [0] * problem.n_meetings
        self.occ = [[-1] * n_s for _ in problem.pids]
        self.load = [0] * n_s
        self.used = [dict() for _ in range(n_s)]      # slot -> {table: meeting}
        self.count = [0] * len(problem.pids)
        self.in_slot = [[] for _ in range(n_s)]       # meetings per slot (swap-remove)
        self.pos = [-1] * problem.n_meetings
        self.value = 0.0
        self.log: list[tuple] | None = None
        for m, fixed in enumerate(problem.fixed):
            if fixed is not None:
                self.place(m, fixed[0], fixed[1])

    # -- elementary changes -------------------------------------------------------------
    def place(self, m: int, s: int, t: int = 0) -> None:
        p = self.p
        a, b = p.ma[m], p.mb[m]
        self.slot_of[m] = s
        self.table_of[m] = t
        self.occ[a][s] = m
        self.occ[b][s] = m
        self.load[s] += 1
        if t:
            self.used[s][t] = m
        self.count[a] += 1
        self.count[b] += 1
        lst = self.in_slot[s]
        self.pos[m] = len(lst)
        lst.append(m)
        self.value += p.weight[m]
        if self.log is not None:
            self.log.append((0, m))

    def remove(self, m: int) -> None:
        p = self.p
        s, t = self.slot_of[m], self.table_of[m]
        a, b = p.ma[m], p.mb[m]
        self.slot_of[m] = -1
        self.table_of[m] = 0
        self.occ[a][s] = -1
        self.occ[b][s] = -1
        self.load[s] -= 1
        if t:
            del self.used[s][t]
        self.count[a] -= 1
        self.count[b] -= 1
        lst = self.in_slot[s]
        i = self.pos[m]
        last = lst.pop()
        if last != m:
            lst[i] = last
            self.pos[last] = i
        self.pos[m] = -1
        self.value -= p.weight[m]
        if self.log is not None:
            self.log.append((1, m, s, t))

    def begin(self) -> None:
        self.log = []

    def commit(self) -> None:
        self.log = None

    def rollback(self) -> None:
        self.undo_to(0)
        self.log = None

    def undo_to(self, mark: int) -> None:
        """Undo the logged changes after position ``mark`` of the log (keeps logging on)."""
        log, self.log = self.log, None
        while len(log) > mark:
            entry = log.pop()
            if entry[0] == 0:
                self.remove(entry[1])
            else:
                self.place(entry[1], entry[2], entry[3])
        self.log = log

    # -- questions ------------------------------------------------------------------------
    def free_table(self, m: int, s: int) -> int | None:
        """The table ``m`` would take in slot ``s``: 0 for any, a booth number, or None."""
        opts = self.p.booth_opts[m]
        if not opts:
            return 0
        used, limit = self.used[s], self.p.tables[s]
        for t in opts:
            if t <= limit and t not in used:
                return t
        return None

    def fits(self, m: int, s: int) -> int | None:
        """Table for a direct placement of unplaced ``m`` in ``s`` (None when it does not fit)."""
        p = self.p
        a, b = p.ma[m], p.mb[m]
        if self.occ[a][s] >= 0 or self.occ[b][s] >= 0 or self.load[s] >= p.tables[s]:
            return None
        if self.count[a] >= p.cap[a] or self.count[b] >= p.cap[b]:
            return None
        return self.free_table(m, s)

    def person_gaps(self, person: int) -> int:
        row, avail = self.occ[person], self.p.avail[person]
        first = last = -1
        busy = 0
        for s, m in enumerate(row):
            if m >= 0:
                if first < 0:
                    first = s
                last = s
                busy += 1
        if first < 0:
            return 0
        return sum(1 for s in range(first, last + 1) if avail[s]) - busy

    def gaps(self) -> int:
        return sum(self.person_gaps(q) for q in range(len(self.p.pids)))

    def person_breaks(self, person: int) -> int:
        """Maximal runs of slots without a meeting between the first and last meeting."""
        row = self.occ[person]
        runs, seen, idle = 0, False, False
        for m in row:
            if m >= 0:
                if seen and idle:
                    runs += 1
                seen, idle = True, False
            else:
                idle = True
        return runs

    def breaks(self) -> list[int]:
        """Breaks per person."""
        return [self.person_breaks(q) for q in range(len(self.p.pids))]

    def snapshot(self) -> tuple[list[int], list[int]]:
        return list(self.slot_of), list(self.table_of)

    def restore(self, snap: tuple[list[int], list[int]]) -> None:
        slot_of, table_of = snap
        for m in range(self.p.n_meetings):
            if self.slot_of[m] >= 0 and (self.slot_of[m] != slot_of[m] or self.table_of[m] != table_of[m]):
                self.remove(m)
        for m in range(self.p.n_meetings):
            if slot_of[m] >= 0 and self.slot_of[m] < 0:
                self.place(m, slot_of[m], table_of[m])

    def tables(self) -> list[int]:
        """Final table numbers: booth/locked numbers as held, the rest take free numbers."""
        result = list(self.table_of)
        for s in range(self.p.n_slots):
            free = (t for t in range(1, self.p.tables[s] + 1) if t not in self.used[s])
            for m in sorted(self.in_slot[s]):
                if not result[m]:
                    result[m] = next(free)
        return result
