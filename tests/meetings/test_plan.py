"""The plan: a run of the real scheduler stores a preliminary version with figures; locked
meetings survive a re-run; hand moves reject conflicts with a clear message; a released
version never changes; a later change makes a new version, notifies only the people whose
meetings changed and raises the calendar SEQUENCE; a failed run keeps the old version."""

from __future__ import annotations

from collections import Counter

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from matchwerk.meetings import planning, services
from matchwerk.meetings.enums import RunStatus, VersionStatus
from matchwerk.meetings.ical import meetings_calendar_bytes
from matchwerk.meetings.models import Meeting, PlanRun, PlanVersion, Seat
from matchwerk.meetings.services.plan import plan_execute

from .conftest import day_at

pytestmark = pytest.mark.django_db


def run_plan(staff, event, capture):
    with capture(execute=True):
        run = services.plan_start(actor=staff, event=event)
    run.refresh_from_db()
    return run


def snapshot(version):
    return sorted(version.meetings.values_list("request_id", "slot_id", "table", "locked"))


def test_plan_run_places_every_accepted_request(staff, brokerage, accepted, django_capture_on_commit_callbacks):
    run = run_plan(staff, brokerage.event, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.DONE, run.error
    version = run.version
    assert version.status == VersionStatus.PRELIMINARY
    figures = version.figures
    assert figures["placed"] == figures["requested"] == 4
    assert figures["objective"] == figures["bound"] == 6 and figures["optimal"]
    assert figures["unplaced"] == []
    assert Seat.objects.filter(version=version).count() == 8
    # nobody twice in one slot (also guaranteed by the database)
    pairs = list(Seat.objects.filter(version=version).values_list("slot_id", "registration_id"))
    assert len(pairs) == len(set(pairs))


def test_unplaced_requests_get_a_reason(staff, brokerage, accepted, people, django_capture_on_commit_callbacks):
    # person 3 and 4 have no common free slot
    slots = list(brokerage.slots.order_by("starts_at"))
    services.availability_set(actor=people[3].user, registration=people[3], available=[slots[0].pk])
    services.availability_set(actor=people[4].user, registration=people[4], available=[slots[1].pk])
    run = run_plan(staff, brokerage.event, django_capture_on_commit_callbacks)
    unplaced = run.version.figures["unplaced"]
    assert [row["reason"] for row in unplaced] == ["no_common_time"]
    assert unplaced[0]["request"] == accepted[3].pk


def test_rerun_keeps_locked_meetings(staff, brokerage, accepted, django_capture_on_commit_callbacks):
    version = run_plan(staff, brokerage.event, django_capture_on_commit_callbacks).version
    meeting = version.meetings.get(request=accepted[0])
    busy = set(Seat.objects.filter(version=version, registration__in=[accepted[0].requester, accepted[0].receiver])
               .values_list("slot_id", flat=True))
    free = [s for s in brokerage.slots.order_by("-starts_at") if s.pk not in busy]
    services.meeting_move(actor=staff, meeting=meeting, slot=free[0])
    services.meeting_lock(actor=staff, meeting=meeting, locked=True)
    moved = Meeting.objects.get(pk=meeting.pk)
    again = run_plan(staff, brokerage.event, django_capture_on_commit_callbacks)
    assert again.status == RunStatus.DONE, again.error
    kept = again.version.meetings.get(request=accepted[0])
    assert (kept.slot_id, kept.table, kept.locked) == (moved.slot_id, moved.table, True)
    assert again.version.pk == version.pk and again.version.figures["locked"] == 1


def test_hand_move_conflicts_are_clear(staff, brokerage, accepted, people, django_capture_on_commit_callbacks):
    version = run_plan(staff, brokerage.event, django_capture_on_commit_callbacks).version
    first = version.meetings.get(request=accepted[0])   # 0 × 1
    second = version.meetings.get(request=accepted[1])  # 0 × 2
    before = snapshot(version)
    with pytest.raises(ValidationError) as error:
        services.meeting_move(actor=staff, meeting=first, slot=second.slot)
    assert "Teilnehmer 0 hat um" in error.value.messages[0] and "schon ein Gespräch" in error.value.messages[0]
    other = version.meetings.exclude(slot=first.slot).exclude(request__in=[accepted[0], accepted[1]]).first() \
        or version.meetings.get(request=accepted[3])
    with pytest.raises(ValidationError, match="gibt es nicht"):
        services.meeting_move(actor=staff, meeting=first, slot=first.slot, table=99)
    slots = list(brokerage.slots.order_by("starts_at"))
    services.availability_set(actor=people[1].user, registration=people[1],
                              available=[s.pk for s in slots if s.pk != slots[-1].pk])
    with pytest.raises(ValidationError, match="nicht verfügbar"):
        services.meeting_move(actor=staff, meeting=first, slot=slots[-1])
    assert snapshot(version) == before
    assert other is not None
    with pytest.raises(PermissionDenied):
        services.meeting_move(actor=people[0].user, meeting=first, slot=slots[-1])


def test_released_version_never_changes(staff, brokerage, accepted, people, django_capture_on_commit_callbacks):
    version = run_plan(staff, brokerage.event, django_capture_on_commit_callbacks).version
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        released = services.version_release(actor=staff, event=brokerage.event)
    assert released.status == VersionStatus.RELEASED and released.pk == version.pk
    assert len(mail.outbox) == 5  # first release: everyone with a meeting
    frozen = snapshot(released)
    calendar = icalendar.Calendar.from_ical(meetings_calendar_bytes(registration=people[0]))
    entries = {str(e["UID"]): int(e["SEQUENCE"]) for e in calendar.walk("VEVENT")}
    assert len(entries) == 2 and set(entries.values()) == {0}

    # a hand move after the release goes into a new version; the released one stays
    meeting = released.meetings.get(request=accepted[3])  # 3 × 4, nobody else involved
    free = [s for s in brokerage.slots.order_by("starts_at") if s.pk != meeting.slot_id]
    moved = services.meeting_move(actor=staff, meeting=meeting, slot=free[-1])
    assert moved.version_id != released.pk
    services.meeting_lock(actor=staff, meeting=moved, locked=True)
    assert snapshot(PlanVersion.objects.get(pk=released.pk)) == frozen
    # a re-run works on the new version, never on the released one
    run_plan(staff, brokerage.event, django_capture_on_commit_callbacks)
    assert snapshot(PlanVersion.objects.get(pk=released.pk)) == frozen

    mail.outbox.clear()
    new = PlanVersion.objects.get(event=brokerage.event, status=VersionStatus.PRELIMINARY)
    changed_people = set()
    old = {m.request_id: (m.slot_id, m.table) for m in released.meetings.all()}
    for m in new.meetings.select_related("request"):
        if old.get(m.request_id) != (m.slot_id, m.table):
            changed_people |= {m.request.requester.email, m.request.receiver.email}
    with django_capture_on_commit_callbacks(execute=True):
        second = services.version_release(actor=staff, event=brokerage.event)
    assert second.number == released.number + 1
    assert {m.to[0] for m in mail.outbox} == changed_people
    assert snapshot(PlanVersion.objects.get(pk=released.pk)) == frozen
    # the calendar: same UID, higher SEQUENCE for the moved meeting
    accepted[3].refresh_from_db()
    attachment = [a for a in mail.outbox[0].attachments if a[0].endswith(".ics")][0]
    content = attachment[1] if isinstance(attachment[1], bytes) else attachment[1].encode()
    assert b"SEQUENCE:" in content
    calendar = icalendar.Calendar.from_ical(meetings_calendar_bytes(registration=people[3]))
    sequences = {str(e["UID"]): int(e["SEQUENCE"]) for e in calendar.walk("VEVENT")}
    assert sequences[f"meeting-{accepted[3].uid}@matchwerk"] == 1


def test_a_failed_run_keeps_the_previous_version(staff, brokerage, accepted, django_capture_on_commit_callbacks):
    version = run_plan(staff, brokerage.event, django_capture_on_commit_callbacks).version
    before = snapshot(version)
    run = PlanRun.objects.create(event=brokerage.event, base_revision=brokerage.__class__.objects.get(
        pk=brokerage.pk).revision, created_by=staff)

    def broken(data, progress):
        progress(0.1, "…")
        raise RuntimeError("solver crashed")

    plan_execute(run_id=run.pk, solve=broken)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "solver crashed" in run.error
    assert snapshot(PlanVersion.objects.get(pk=version.pk)) == before


def test_a_cancelled_run_keeps_the_previous_version(staff, brokerage, accepted, django_capture_on_commit_callbacks):
    version = run_plan(staff, brokerage.event, django_capture_on_commit_callbacks).version
    before = snapshot(version)
    run = PlanRun.objects.create(event=brokerage.event, base_revision=0, created_by=staff)

    def cancelled_midway(data, progress):
        PlanRun.objects.filter(pk=run.pk).update(cancel_requested=True)
        progress(0.5, "…")
        return {"scheduled": [], "unscheduled": [], "objective": 0, "bound": 0}

    plan_execute(run_id=run.pk, solve=cancelled_midway)
    run.refresh_from_db()
    assert run.status == RunStatus.CANCELLED
    assert snapshot(PlanVersion.objects.get(pk=version.pk)) == before


def test_a_run_does_not_overwrite_hand_changes_made_meanwhile(staff, brokerage, accepted,
                                                              django_capture_on_commit_callbacks):
    version = run_plan(staff, brokerage.event, django_capture_on_commit_callbacks).version
    run = PlanRun.objects.create(event=brokerage.event, base_revision=brokerage.__class__.objects.get(
        pk=brokerage.pk).revision, created_by=staff)
    meeting = version.meetings.get(request=accepted[3])

    def solve_while_staff_move(data, progress):
        from matchwerk.engine.schedule import run as real

        services.meeting_lock(actor=staff, meeting=meeting, locked=True)
        return real(data, progress)

    plan_execute(run_id=run.pk, solve=solve_while_staff_move)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "von Hand geändert" in run.message


def test_one_run_at_a_time_and_staff_only(staff, brokerage, accepted, people):
    services.plan_start(actor=staff, event=brokerage.event)  # queued (not committed in this test)
    with pytest.raises(ValidationError, match="gerade ein Plan"):
        services.plan_start(actor=staff, event=brokerage.event)
    with pytest.raises(PermissionDenied):
        services.plan_start(actor=people[0].user, event=brokerage.event)


def test_add_by_hand(staff, brokerage, accepted, people, django_capture_on_commit_callbacks):
    slots = list(brokerage.slots.order_by("starts_at"))
    services.availability_set(actor=people[3].user, registration=people[3], available=[slots[0].pk])
    services.availability_set(actor=people[4].user, registration=people[4], available=[slots[1].pk])
    run_plan(staff, brokerage.event, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="nicht verfügbar"):
        services.meeting_add(actor=staff, event=brokerage.event, request=accepted[3], slot=slots[0])
    services.availability_set(actor=people[4].user, registration=people[4], available=[slots[0].pk, slots[1].pk])
    meeting = services.meeting_add(actor=staff, event=brokerage.event, request=accepted[3], slot=slots[0])
    assert meeting.locked
    with pytest.raises(ValidationError, match="schon eingeplant"):
        services.meeting_add(actor=staff, event=brokerage.event, request=accepted[3], slot=slots[1])


def test_self_booking_after_release_makes_a_new_released_version(staff, brokerage, accepted, people,
                                                                  django_capture_on_commit_callbacks):
    slots = list(brokerage.slots.order_by("starts_at"))
    services.availability_set(actor=people[3].user, registration=people[3], available=[slots[0].pk])
    services.availability_set(actor=people[4].user, registration=people[4], available=[slots[1].pk])
    run_plan(staff, brokerage.event, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.version_release(actor=staff, event=brokerage.event)
    frozen = snapshot(first)
    with pytest.raises(ValidationError, match="Organisationsteam"):  # not allowed at this event
        services.meeting_book(actor=people[3].user, request=accepted[3], slot=slots[0])
    brokerage.self_booking = True
    brokerage.save()
    services.availability_set(actor=people[4].user, registration=people[4], available=[s.pk for s in slots])
    from matchwerk.meetings.services.plan import free_slots

    offered = free_slots(request=accepted[3])
    assert offered == [slots[0]]  # person 3 is only available then
    with pytest.raises(PermissionDenied):  # not one of the two
        services.meeting_book(actor=people[0].user, request=accepted[3], slot=slots[0])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booked = services.meeting_book(actor=people[3].user, request=accepted[3], slot=slots[0])
    assert booked.status == VersionStatus.RELEASED and booked.number == first.number + 1
    assert booked.meetings.filter(request=accepted[3], slot=slots[0]).exists()
    assert snapshot(PlanVersion.objects.get(pk=first.pk)) == frozen
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people[3].email, people[4].email])
    with pytest.raises(ValidationError, match="schon eingeplant"):
        services.meeting_book(actor=people[4].user, request=accepted[3], slot=slots[0])


def reconfigure(staff, brokerage, minimum):
    """One block of three slots and one table: room for three of the four accepted requests."""
    day = timezone.localtime(brokerage.event.starts_at).date()
    services.brokerage_configure(actor=staff, event=brokerage.event, meeting_minutes=20, tables=1,
                                 min_meetings=minimum, sessions=[(day_at(day, 9), day_at(day, 10))])


def test_minimum_per_person_steers_the_plan(staff, brokerage, accepted, people, django_capture_on_commit_callbacks):
    # Room for three meetings; 0×1 (must), 0×2, 1×2 and 3×4 accepted. By priority alone every
    # choice of three is worth 5; with a minimum of 1 only 0×1, 3×4 and one of 0×2 / 1×2 give
    # everybody a meeting, and the plan takes that.
    reconfigure(staff, brokerage, minimum=1)
    figures = run_plan(staff, brokerage.event, django_capture_on_commit_callbacks).version.figures
    assert figures["placed"] == 3 and figures["minimum"] == 1
    assert figures["below_minimum"] == []
    placed = set(Meeting.objects.filter(version__event=brokerage.event).values_list("request_id", flat=True))
    assert {accepted[0].pk, accepted[3].pk} <= placed
    assert figures["weights"] == "priority+minimum" and figures["objective"] == figures["bound"] == 34


def test_people_below_the_minimum_are_listed_with_a_reason(staff, brokerage, accepted, people,
                                                           django_capture_on_commit_callbacks, client):
    reconfigure(staff, brokerage, minimum=2)
    version = run_plan(staff, brokerage.event, django_capture_on_commit_callbacks).version
    below = {row["person"]: row for row in version.figures["below_minimum"]}
    # 3 and 4 have one accepted request each: fewer than the minimum
    assert below[people[3].pk]["reason"] == below[people[4].pk]["reason"] == "few_requests"
    assert below[people[3].pk]["count"] == 1
    seats = Counter(Seat.objects.filter(version=version).values_list("registration_id", flat=True))
    for person in people:
        if person.pk in below:
            assert seats[person.pk] == below[person.pk]["placed"] < 2
            assert below[person.pk]["reason"] in ("few_requests", "crowded")
        else:
            assert seats[person.pk] >= 2
    client.force_login(staff)
    plan_url = reverse("meetings:staff_plan", args=[brokerage.event.pk])
    page = client.get(plan_url).content.decode()
    assert "ein Ziel, keine feste Regel" in page and "liste=mindestzahl" in page
    page = client.get(plan_url + "?liste=mindestzahl").content.decode()
    assert "Unter der Mindestzahl an Gesprächen" in page and "nur 1 angenommene Anfrage" in page


def test_below_minimum_reasons():
    plan = planning.PlanInput(data={"slots": ["a", "b", "c"], "meetings": [
        {"a": "1", "b": "2"}, {"a": "1", "b": "3"}, {"a": "2", "b": "3"}]},
        available={1: {"a"}, 2: {"a", "b", "c"}, 3: {"a", "b", "c"}})
    rows = planning.below_minimum(plan, Counter({1: 1, 2: 1, 3: 2}), 2, everyone=[1, 2, 3, 9])
    assert rows == [{"person": 1, "placed": 1, "reason": "few_slots", "count": 1},
                    {"person": 2, "placed": 1, "reason": "crowded", "count": 2},
                    {"person": 9, "placed": 0, "reason": "few_requests", "count": 0}]
    assert planning.below_minimum(plan, Counter(), 0, everyone=[9]) == []
    assert planning.engine_weight(priority=3, minimum=0, demand_a=1, demand_b=1) == 3
    assert planning.engine_weight(priority=3, minimum=2, demand_a=1, demand_b=8) == 12 + 3 + 1
