"""Reads of the rounds app: the current plan by round and table, a person's seats, the clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from matchwerk.events.enums import RegistrationStatus
from matchwerk.rounds.enums import Side
from matchwerk.rounds.models import Plan, PlanRun, RoundSetup, Seat


def current_plan(event, kind: str) -> Plan | None:
    """The newest plan: the one staff work on (released or not)."""
    return Plan.objects.filter(event=event, kind=kind).order_by("-created_at", "-pk").first()


def published_plan(event, kind: str) -> Plan | None:
    """The plan participants and the room's screen see: the newest released one; before
    any release, the newest plan (as before releases existed)."""
    plans = Plan.objects.filter(event=event, kind=kind).order_by("-created_at", "-pk")
    return plans.filter(released_at__isnull=False).first() or plans.first()


def last_run(event, kind: str) -> PlanRun | None:
    return PlanRun.objects.filter(event=event, kind=kind).order_by("-created_at", "-pk").first()


@dataclass
class Table:
    number: int
    topic: str = ""
    host: str = ""
    seats: list[Seat] = field(default_factory=list)


@dataclass
class Round:
    number: int
    tables: list[Table] = field(default_factory=list)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    sitting_out: list = field(default_factory=list)


def plan_rounds(plan: Plan, setup: RoundSetup | None = None, people=None) -> list[Round]:
    """Every round with its tables and seats (two queries); ``people`` (registrations of the
    event) fills ``sitting_out`` for speed-dating."""
    rounds = {n: Round(n) for n in range(1, plan.rounds + 1)}
    seats = Seat.objects.filter(plan=plan).select_related("registration__organisation").order_by(
        "round", "table", "side", "registration__name", "pk")
    for seat in seats:
        current = rounds.setdefault(seat.round, Round(seat.round))
        if not current.tables or current.tables[-1].number != seat.table:
            current.tables.append(Table(seat.table, seat.topic, seat.host))
        current.tables[-1].seats.append(seat)
    for number, item in rounds.items():
        if setup is not None and (window := setup.round_window(number)):
            item.starts_at, item.ends_at = window
        if people is not None:
            seated = {seat.registration_id for table in item.tables for seat in table.seats}
            item.sitting_out = [p for p in people if p.pk not in seated]
    return [rounds[n] for n in sorted(rounds)]


@dataclass
class MySeat:
    round: int
    table: int | None
    topic: str = ""
    host: str = ""
    others: list[Seat] = field(default_factory=list)
    starts_at: datetime | None = None
    ends_at: datetime | None = None


def my_registration(user, event):
    return event.registrations.filter(user=user, status=RegistrationStatus.CONFIRMED).select_related(
        "organisation").first()


def my_seats(registration, kind: str, setup: RoundSetup | None) -> list[MySeat] | None:
    """This person's table and table mates per round of the published plan (None: no
    plan). Only the seats of the tables this person sits at are read."""
    plan = published_plan(registration.event, kind)
    if plan is None:
        return None
    mine = {seat.round: seat for seat in Seat.objects.filter(plan=plan, registration=registration)}
    mates: dict[tuple[int, int], list[Seat]] = {}
    if mine:
        tables = Seat.objects.filter(plan=plan, round__in=list(mine)).exclude(registration=registration)
        for seat in tables.select_related("registration__organisation").order_by("side", "registration__name"):
            if mine[seat.round].table == seat.table:
                mates.setdefault((seat.round, seat.table), []).append(seat)
    result = []
    for number in range(1, plan.rounds + 1):
        seat = mine.get(number)
        window = setup.round_window(number) if setup is not None else None
        item = MySeat(number, seat.table if seat else None, seat.topic if seat else "", seat.host if seat else "",
                      mates.get((number, seat.table), []) if seat else [])
        if window:
            item.starts_at, item.ends_at = window
        result.append(item)
    return result


@dataclass
class Clock:
    """Where the round clock stands: ``phase`` is "before", "round", "break" or "over"."""

    phase: str
    round: int  # the current (or next) round, 1-based; 0 before the first
    seconds_left: int
    total_rounds: int
    ends_at: datetime | None


def clock(setup: RoundSetup, now: datetime | None = None) -> Clock | None:
    if setup.clock_starts_at is None:
        return None
    now = now or timezone.now()
    start, length, pause = setup.clock_starts_at, setup.round_seconds, setup.break_seconds
    if now < start:
        return Clock("before", 1, _ceil((start - now).total_seconds()), setup.rounds, start)
    elapsed = (now - start).total_seconds()
    cycle = length + pause
    index = int(elapsed // cycle)
    if index >= setup.rounds or (index == setup.rounds - 1 and elapsed - index * cycle >= length):
        return Clock("over", setup.rounds, 0, setup.rounds, None)
    within = elapsed - index * cycle
    if within < length:
        ends = start + timedelta(seconds=index * cycle + length)
        return Clock("round", index + 1, _ceil(length - within), setup.rounds, ends)
    ends = start + timedelta(seconds=(index + 1) * cycle)
    return Clock("break", index + 2, _ceil(cycle - within), setup.rounds, ends)


def _ceil(seconds: float) -> int:
    whole = int(seconds)
    return whole + (1 if seconds > whole else 0)


def side_label(setup: RoundSetup, side: str) -> str:
    return {Side.A: setup.side_a_label, Side.B: setup.side_b_label}.get(side, "")


