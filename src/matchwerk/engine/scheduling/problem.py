"""Reading and checking a ``matchwerk schedule`` input into an index-based problem.

Participants, slots and meetings become integers; for every meeting the slots it may use
(both people available, a booth table that exists in that slot, no locked meeting in the
way) and its booth table options are computed once here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field as dc_field

from matchwerk.engine.inputs import InputError, check_type, field, integer, items, known_id, number, unique_ids

NO_CAP = 10**9


@dataclass
class Problem:
    slots: list[str]
    tables: list[int]                      # per slot: number of tables
    pids: list[str]
    avail: list[list[bool]]                # per person, per slot
    cap: list[int]                         # per person (NO_CAP when none)
    booth: list[int | None]                # per person: fixed table
    ma: list[int]                          # meeting endpoints
    mb: list[int]
    weight: list[float]
    fixed: list[tuple[int, int] | None]    # per meeting: (slot, table) when locked
    mslots: list[frozenset[int] | None] = dc_field(default_factory=list)  # per meeting: allowed slots
    booth_opts: list[tuple[int, ...]] = dc_field(default_factory=list)  # per meeting
    allowed: list[list[int]] = dc_field(default_factory=list)            # per meeting
    meetings_of: list[list[int]] = dc_field(default_factory=list)        # per person
    time_limit: float = 10.0
    idle_first: str = "gaps"               # which idle count the second phase lowers first
    fair_breaks: bool = False              # also keep the largest number of breaks low

    @property
    def n_slots(self) -> int:
        return len(self.slots)

    @property
    def n_meetings(self) -> int:
        return len(self.ma)


def parse(data: dict) -> Problem:
    """Validate ``data`` (FORMATS.md, ``matchwerk schedule``) and build a :class:`Problem`."""
    check_type(data, dict, "input")
    slots = items(data, "slots", "")
    slot_index = unique_ids(slots, "slots")
    tables = _tables(data, slots, slot_index)
    time_limit = number(data, "time_limit", "", 10)
    if not time_limit > 0 or not math.isfinite(time_limit):
        raise InputError(f"time_limit: must be positive, got {time_limit}")

    idle_first = field(data, "idle_first", str, "", "gaps")
    if idle_first not in ("gaps", "breaks"):
        raise InputError(f"idle_first: must be 'gaps' or 'breaks', got {idle_first!r}")
    fair_breaks = field(data, "fair_breaks", bool, "", False)

    raw_people = items(data, "participants", "")
    for i, person in enumerate(raw_people):
        check_type(person, dict, f"participants[{i}]")
        field(person, "id", str, f"participants[{i}]")
    person_index = unique_ids([p["id"] for p in raw_people], "participants")
    avail, cap, booth = [], [], []
    for i, person in enumerate(raw_people):
        where = f"participants[{i}]"
        available = items(person, "available", where, None)
        row = [available is None] * len(slots)
        for j, slot in enumerate(available or []):
            row[known_id(slot, slot_index, f"{where}.available[{j}]", "slot")] = True
        avail.append(row)
        cap.append(integer(person, "max_meetings", where, NO_CAP, minimum=0))
        booth.append(integer(person, "table", where, None, minimum=1))

    problem = Problem(slots=list(slots), tables=tables, pids=[p["id"] for p in raw_people],
                      avail=avail, cap=cap, booth=booth, ma=[], mb=[], weight=[], fixed=[],
                      time_limit=float(time_limit), idle_first=idle_first, fair_breaks=fair_breaks)
    _meetings(problem, items(data, "meetings", ""), person_index, slot_index)
    _check_locked(problem)
    _derive(problem)
    return problem


def _tables(data: dict, slots: list[str], slot_index: dict[str, int]) -> list[int]:
    raw = field(data, "tables", (int, dict), "")
    if isinstance(raw, int):
        if raw < 0:
            raise InputError(f"tables: must be at least 0, got {raw}")
        return [raw] * len(slots)
    tables = [None] * len(slots)
    for key in raw:
        s = known_id(key, slot_index, f"tables.{key}", "slot")
        tables[s] = integer(raw, key, "tables", minimum=0)
    for s, value in enumerate(tables):
        if value is None:
            raise InputError(f"tables.{slots[s]}: missing")
    return tables


def _meetings(problem: Problem, raw: list, person_index: dict[str, int],
              slot_index: dict[str, int]) -> None:
    for i, meeting in enumerate(raw):
        where = f"meetings[{i}]"
        check_type(meeting, dict, where)
        a = known_id(field(meeting, "a", str, where), person_index, f"{where}.a", "participant")
        b = known_id(field(meeting, "b", str, where), person_index, f"{where}.b", "participant")
        if a == b:
            raise InputError(f"{where}: a participant cannot meet themselves ({problem.pids[a]!r})")
        # A pair may be listed more than once: each listing is its own meeting (FORMATS.md).
        weight = number(meeting, "weight", where, 1, minimum=0)
        if not math.isfinite(weight):
            raise InputError(f"{where}.weight: must be a finite number, got {weight}")
        locked = field(meeting, "fixed", dict, where, None)
        fixed = None
        if locked is not None:
            s = known_id(field(locked, "slot", str, f"{where}.fixed"), slot_index,
                         f"{where}.fixed.slot", "slot")
            fixed = (s, integer(locked, "table", f"{where}.fixed", minimum=1))
        own_slots = items(meeting, "slots", where, None)
        mslots = None
        if own_slots is not None:
            mslots = frozenset(known_id(slot, slot_index, f"{where}.slots[{j}]", "slot")
                               for j, slot in enumerate(own_slots))
            if fixed is not None and fixed[0] not in mslots:
                raise InputError(f"{where}.fixed: slot {problem.slots[fixed[0]]!r} is not one of "
                                 f"the meeting's slots")
        problem.ma.append(a)
        problem.mb.append(b)
        problem.weight.append(float(weight))
        problem.fixed.append(fixed)
        problem.mslots.append(mslots)


def _check_locked(problem: Problem) -> None:
    """Locked meetings must themselves obey every hard rule."""
    busy: dict[tuple[int, int], int] = {}
    table_used: dict[tuple[int, int], int] = {}
    count = [0] * len(problem.pids)
    for m, fixed in enumerate(problem.fixed):
        if fixed is None:
            continue
        s, t = fixed
        where = f"meetings[{m}].fixed"
        slot = problem.slots[s]
        if t > problem.tables[s]:
            raise InputError(f"{where}: table {t} does not exist in slot {slot!r} "
                             f"({problem.tables[s]} tables)")
        if (s, t) in table_used:
            raise InputError(f"{where}: table {t} in slot {slot!r} is already taken by "
                             f"meetings[{table_used[s, t]}]")
        table_used[s, t] = m
        booths = [problem.booth[p] for p in (problem.ma[m], problem.mb[m]) if problem.booth[p]]
        if booths and t not in booths:
            raise InputError(f"{where}: table {t} is not the booth table of either participant")
        for p in (problem.ma[m], problem.mb[m]):
            pid = problem.pids[p]
            if not problem.avail[p][s]:
                raise InputError(f"{where}: {pid!r} is not available in slot {slot!r}")
            if (p, s) in busy:
                raise InputError(f"{where}: {pid!r} already has meetings[{busy[p, s]}] "
                                 f"in slot {slot!r}")
            busy[p, s] = m
            count[p] += 1
            if count[p] > problem.cap[p]:
                raise InputError(f"{where}: locked meetings exceed max_meetings of {pid!r}")


def _derive(problem: Problem) -> None:
    locked_tables = {f for f in problem.fixed if f is not None}
    locked_busy = set()
    for m, f in enumerate(problem.fixed):
        if f is not None:
            locked_busy.add((problem.ma[m], f[0]))
            locked_busy.add((problem.mb[m], f[0]))
    problem.meetings_of = [[] for _ in problem.pids]
    for m in range(problem.n_meetings):
        a, b = problem.ma[m], problem.mb[m]
        problem.meetings_of[a].append(m)
        problem.meetings_of[b].append(m)
        opts = tuple(sorted({problem.booth[p] for p in (a, b) if problem.booth[p]}))
        problem.booth_opts.append(opts)
        if problem.fixed[m] is not None:
            problem.allowed.append([problem.fixed[m][0]])
            continue
        allowed = []
        for s in range(problem.n_slots):
            if not (problem.avail[a][s] and problem.avail[b][s]) or problem.tables[s] == 0:
                continue
            if problem.mslots[m] is not None and s not in problem.mslots[m]:
                continue
            if (a, s) in locked_busy or (b, s) in locked_busy:
                continue
            if opts and not any(t <= problem.tables[s] and (s, t) not in locked_tables for t in opts):
                continue
            allowed.append(s)
        problem.allowed.append(allowed)
