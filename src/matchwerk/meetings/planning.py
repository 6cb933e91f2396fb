"""The bridge to the engine's ``schedule`` verb: the engine input built from the database,
and the reasons why an accepted request stayed out of the plan."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings

from matchwerk.meetings.enums import RequestStatus
from matchwerk.meetings.models import Absence, Booth, Brokerage, Meeting, MeetingRequest, PlanVersion, Slot

# Unplaced reasons (codes stored in a version's figures, rendered in the reader's language).
NO_COMMON_TIME = "no_common_time"
CAP_REACHED = "cap_reached"
ALL_TAKEN = "all_taken"
# Reasons why a participant has fewer meetings than the event's minimum.
FEW_REQUESTS = "few_requests"
FEW_SLOTS = "few_slots"
CROWDED = "crowded"

# With a minimum per person, a meeting's engine weight is PRIORITY_SCALE × priority plus a
# boost for each of its two people that is larger the fewer accepted requests that person
# has (MIN_BOOST when they have no more than the minimum): the scheduler then prefers the
# meetings that bring people up to their minimum, while a "must meet" (3 × 4 = 12) still
# outweighs a "would like" of two people at risk (4 + 3 + 3 = 10). FORMATS.md's ``schedule``
# has caps but no minimums, so the minimum is a preference, not a hard rule.
PRIORITY_SCALE = 4
MIN_BOOST = 3


@dataclass
class PlanInput:
    data: dict
    slots: dict[str, int] = field(default_factory=dict)        # slot key → Slot id
    requests: list[int] = field(default_factory=list)          # engine meeting index → request id
    available: dict[int, set[str]] = field(default_factory=dict)  # registration id → slot keys


def time_limit(n_meetings: int) -> float:
    """Seconds for the scheduler: a few for a small event, up to 75 s for 12,000 requests."""
    configured = getattr(settings, "MEETINGS_PLAN_SECONDS", None)
    if configured:
        return float(configured)
    return float(min(75, max(5, n_meetings / 160)))


def min_boost(*, minimum: int, requests: int) -> int:
    """The weight added to each meeting of a person with ``requests`` accepted requests."""
    if minimum <= 0 or requests <= 0:
        return 0
    return round(MIN_BOOST * min(1.0, minimum / requests))


def engine_weight(*, priority: int, minimum: int, demand_a: int, demand_b: int) -> int:
    if minimum <= 0:
        return int(priority)
    return (PRIORITY_SCALE * int(priority) + min_boost(minimum=minimum, requests=demand_a)
            + min_boost(minimum=minimum, requests=demand_b))


def plan_input(*, brokerage: Brokerage, working: PlanVersion | None) -> PlanInput:
    """The ``schedule`` input of an event: its slots and tables, every person with an
    accepted request (availability, cap, booth), the accepted requests weighted by
    priority, the locked meetings of the working version fixed where they are."""
    slots = list(Slot.objects.filter(brokerage=brokerage).order_by("starts_at").values_list("pk", "starts_at"))
    keys = {pk: Slot(starts_at=at).key for pk, at in slots}
    requests = list(MeetingRequest.objects.filter(event_id=brokerage.event_id, status=RequestStatus.ACCEPTED)
                    .order_by("pk").values_list("pk", "requester_id", "receiver_id", "priority"))
    people = sorted({r[1] for r in requests} | {r[2] for r in requests})
    absent: dict[int, set[int]] = defaultdict(set)
    for registration_id, slot_id in Absence.objects.filter(registration_id__in=people, slot__brokerage=brokerage
                                                           ).values_list("registration_id", "slot_id"):
        absent[registration_id].add(slot_id)
    booths = dict(Booth.objects.filter(brokerage=brokerage).values_list("registration_id", "table"))
    fixed = {}
    if working is not None:
        fixed = {request_id: (keys[slot_id], table) for request_id, slot_id, table in
                 Meeting.objects.filter(version=working, locked=True).values_list("request_id", "slot_id", "table")}
    all_keys = [keys[pk] for pk, _ in slots]
    participants, available = [], {}
    for person in people:
        row: dict = {"id": str(person)}
        if absent.get(person):
            row["available"] = [keys[pk] for pk, _ in slots if pk not in absent[person]]
        available[person] = set(row.get("available", all_keys))
        if brokerage.max_meetings:
            row["max_meetings"] = brokerage.max_meetings
        if person in booths:
            row["table"] = booths[person]
        participants.append(row)
    demand = Counter()
    for _pk, a, b, _priority in requests:
        demand[a] += 1
        demand[b] += 1
    minimum = brokerage.min_meetings or 0
    meetings = []
    for pk, a, b, priority in requests:
        row = {"a": str(a), "b": str(b), "weight": engine_weight(priority=priority, minimum=minimum,
                                                                 demand_a=demand[a], demand_b=demand[b])}
        if pk in fixed:
            row["fixed"] = {"slot": fixed[pk][0], "table": fixed[pk][1]}
        meetings.append(row)
    data = {"slots": all_keys, "tables": brokerage.tables, "participants": participants, "meetings": meetings,
            "time_limit": time_limit(len(meetings))}
    return PlanInput(data=data, slots={keys[pk]: pk for pk, _ in slots}, requests=[r[0] for r in requests],
                     available=available)


def unplaced_reasons(plan: PlanInput, result: dict, cap: int | None) -> list[dict]:
    """Why each accepted request is not in the plan: no common free time, a person's cap,
    or every common free slot taken (by the two people's other meetings or full tables)."""
    load = Counter()
    for row in result["scheduled"]:
        load[row["a"]] += 1
        load[row["b"]] += 1
    out = []
    unscheduled = Counter((row["a"], row["b"]) for row in result["unscheduled"])
    for index, meeting in enumerate(plan.data["meetings"]):
        pair = (meeting["a"], meeting["b"])
        if not unscheduled.get(pair):
            continue
        unscheduled[pair] -= 1
        a, b = int(meeting["a"]), int(meeting["b"])
        if not plan.available[a] & plan.available[b]:
            reason, person = NO_COMMON_TIME, None
        elif cap and (load[meeting["a"]] >= cap or load[meeting["b"]] >= cap):
            reason, person = CAP_REACHED, a if load[meeting["a"]] >= cap else b
        else:
            reason, person = ALL_TAKEN, None
        out.append({"request": plan.requests[index], "reason": reason, "person": person,
                    "weight": meeting["weight"]})
    return out


def below_minimum(plan: PlanInput, placed: Counter, minimum: int, everyone: list[int]) -> list[dict]:
    """The participants (``everyone``: the event's confirmed registrations) with fewer
    meetings than ``minimum`` in the plan (``placed``: meetings per registration id), each
    with the reason: fewer accepted requests than the minimum, available in fewer slots
    than the minimum, or their partners' and the tables' common times were taken."""
    if minimum <= 0:
        return []
    demand = Counter()
    for meeting in plan.data["meetings"]:
        demand[int(meeting["a"])] += 1
        demand[int(meeting["b"])] += 1
    out = []
    for person in sorted(set(everyone) | set(demand)):
        if placed[person] >= minimum:
            continue
        slots = len(plan.available.get(person, plan.data["slots"]))
        if demand[person] < minimum:
            reason, count = FEW_REQUESTS, demand[person]
        elif slots < minimum:
            reason, count = FEW_SLOTS, slots
        else:
            reason, count = CROWDED, demand[person]
        out.append({"person": person, "placed": placed[person], "reason": reason, "count": count})
    return out
