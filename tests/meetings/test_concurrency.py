"""Concurrency on PostgreSQL: parallel accepts, hand moves and a plan run never
double-book a person or a table (brokerage row lock + unique constraints on seats and
tables per slot)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from threads import run_at_once

from matchwerk.meetings import services
from matchwerk.meetings.enums import RequestStatus, RunStatus
from matchwerk.meetings.models import Meeting, MeetingRequest, PlanRun, Seat
from matchwerk.meetings.services.plan import plan_execute, working_version

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need a server database (run with scripts/with-postgres.sh)")


def no_double_booking(version) -> None:
    people = Seat.objects.filter(version=version).values("slot", "registration").annotate(n=Count("pk"))
    assert not [row for row in people if row["n"] > 1]
    tables = Meeting.objects.filter(version=version).values("slot", "table").annotate(n=Count("pk"))
    assert not [row for row in tables if row["n"] > 1]


def test_parallel_accepts_accept_once(brokerage, people):
    request = services.request_create(actor=people[0].user, event=brokerage.event, receiver=people[1])
    results = run_at_once([lambda: services.request_answer(
        actor=people[1].user, request=MeetingRequest.objects.get(pk=request.pk), accept=True) for _ in range(6)])
    assert sum(isinstance(r, MeetingRequest) for r in results) == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 5
    assert MeetingRequest.objects.get(pk=request.pk).status == RequestStatus.ACCEPTED


def test_two_people_asking_each_other_at_once_make_one_request(brokerage, people):
    results = run_at_once([
        lambda: services.request_create(actor=people[0].user, event=brokerage.event, receiver=people[1]),
        lambda: services.request_create(actor=people[1].user, event=brokerage.event, receiver=people[0])])
    assert sum(isinstance(r, MeetingRequest) for r in results) == 1, results
    assert MeetingRequest.objects.count() == 1


def test_parallel_hand_adds_never_double_book_a_person(staff, brokerage, accepted):
    slot = brokerage.slots.order_by("starts_at").first()
    # person 0 is in requests 0 (0×1) and 1 (0×2); 1 × 2 is request 2: all three share someone
    results = run_at_once([lambda r=r: services.meeting_add(actor=staff, event=brokerage.event,
                                                            request=MeetingRequest.objects.get(pk=r.pk), slot=slot)
                           for r in accepted[:3]])
    assert sum(isinstance(r, Meeting) for r in results) == 1, results
    assert all(isinstance(r, (Meeting, ValidationError)) for r in results), results
    no_double_booking(working_version(brokerage.event))


def test_parallel_hand_moves_never_double_book_a_table(staff, brokerage, accepted):
    slots = list(brokerage.slots.order_by("starts_at"))
    first = services.meeting_add(actor=staff, event=brokerage.event, request=accepted[0], slot=slots[0], table=1)
    second = services.meeting_add(actor=staff, event=brokerage.event, request=accepted[3], slot=slots[1], table=1)
    target = slots[2]
    results = run_at_once([
        lambda m=m: services.meeting_move(actor=staff, meeting=Meeting.objects.get(pk=m.pk), slot=target, table=2)
        for m in (first, second)])
    assert sorted(type(r).__name__ for r in results) == ["Meeting", "ValidationError"], results
    no_double_booking(working_version(brokerage.event))


def test_plan_run_and_hand_moves_at_once(staff, brokerage, accepted, settings):
    settings.MEETINGS_PLAN_SECONDS = 2
    slots = list(brokerage.slots.order_by("starts_at"))
    services.meeting_add(actor=staff, event=brokerage.event, request=accepted[3], slot=slots[0])
    version = working_version(brokerage.event)
    run = PlanRun.objects.create(event=brokerage.event, created_by=staff,
                                 base_revision=type(brokerage).objects.get(pk=brokerage.pk).revision)

    def move():
        meeting = Meeting.objects.get(version=version, request=accepted[3])
        return services.meeting_move(actor=staff, meeting=meeting, slot=slots[-1])

    results = run_at_once([lambda: plan_execute(run_id=run.pk), move, move])
    run.refresh_from_db()
    # Either the run stored its plan before the moves (then the moves worked on it), or the
    # moves came first and the run refused to overwrite them; never both half-way.
    assert run.status in (RunStatus.DONE, RunStatus.FAILED), run.error
    if run.status == RunStatus.FAILED:
        assert "von Hand geändert" in run.message
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, ValidationError)], results
    no_double_booking(version)


def test_the_database_refuses_a_person_twice_in_a_slot(staff, brokerage, accepted):
    slots = list(brokerage.slots.order_by("starts_at"))
    meeting = services.meeting_add(actor=staff, event=brokerage.event, request=accepted[0], slot=slots[0])
    other = services.meeting_add(actor=staff, event=brokerage.event, request=accepted[1], slot=slots[1])
    with pytest.raises(IntegrityError), transaction.atomic():  # bypassing the service: the constraint holds
        Seat.objects.filter(meeting=other).update(slot=meeting.slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=other.pk).update(slot=meeting.slot, table=meeting.table)
