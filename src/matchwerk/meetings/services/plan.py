"""The meeting plan: runs of the scheduler in the background, hand changes (lock, move,
add, remove) to the working version, and release.

Every write to a plan takes the brokerage row lock first (``select_for_update``), so plan
runs storing their result, hand moves and releases of one event happen one after the
other; the unique constraints on seats (person × slot) and meetings (table × slot) are
the second line. A run stores its result only when the working version did not change
while it ran; a failed or cancelled run leaves every version as it was.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from matchwerk.api.webhooks import meeting_plan_emit
from matchwerk.core.audit import log_event
from matchwerk.events.enums import RegistrationStatus
from matchwerk.events.models import Event, Registration
from matchwerk.meetings import planning, rules
from matchwerk.meetings.enums import ACTIVE_RUN_STATUSES, RequestStatus, RunStatus, VersionStatus
from matchwerk.meetings.models import (
    Absence, Booth, Brokerage, Meeting, MeetingRequest, PlanRun, PlanVersion, Seat, Slot,
)


class RunCancelled(Exception):
    pass


def _locked_brokerage(event: Event) -> Brokerage:
    brokerage = Brokerage.objects.select_for_update().filter(event=event).first()
    if brokerage is None:
        raise ValidationError(_("Für diese Veranstaltung gibt es keine Gesprächsbörse."))
    return brokerage


def latest_released(event: Event) -> PlanVersion | None:
    return PlanVersion.objects.filter(event=event, status=VersionStatus.RELEASED).order_by("-number").first()


def working_version(event: Event) -> PlanVersion | None:
    return PlanVersion.objects.filter(event=event, status=VersionStatus.PRELIMINARY).first()


def _copy_meetings(source: PlanVersion, target: PlanVersion) -> None:
    _insert_meetings(target, list(source.meetings.values_list("request_id", "slot_id", "table", "locked")))


def _insert_meetings(version: PlanVersion, rows: list[tuple[int, int, int, bool]]) -> None:
    """Many meetings (request, slot, table, locked) and their seats at once: on PostgreSQL
    one COPY and one INSERT … SELECT (at 7,800 meetings ``bulk_create`` of meetings and seats
    took most of the time from the engine's answer to the stored version)."""
    if connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        columns = ", ".join(quote(Meeting._meta.get_field(name).column)
                            for name in ("version", "request", "slot", "table", "locked"))
        with connection.cursor() as cursor, cursor.cursor.copy(
                f"COPY {quote(Meeting._meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row((version.pk, *row))
    else:
        Meeting.objects.bulk_create([Meeting(version=version, request_id=r, slot_id=s, table=t, locked=lk)
                                     for r, s, t, lk in rows], batch_size=2000)
    _insert_seats(version)


def _insert_seats(version: PlanVersion) -> None:
    """Both seats of every meeting of ``version`` that has none yet, in one statement."""
    quote = connection.ops.quote_name
    seat, meeting, request = (quote(model._meta.db_table) for model in (Seat, Meeting, MeetingRequest))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {seat} (meeting_id, version_id, slot_id, registration_id) "
            f"SELECT m.id, m.version_id, m.slot_id, CASE WHEN k.n = 1 THEN r.requester_id ELSE r.receiver_id END "
            f"FROM {meeting} m JOIN {request} r ON r.id = m.request_id "
            f"CROSS JOIN (SELECT 1 AS n UNION ALL SELECT 2) k "
            f"WHERE m.version_id = %s AND NOT EXISTS (SELECT 1 FROM {seat} s WHERE s.meeting_id = m.id)",
            [version.pk])


def _seats_for(meetings: list[Meeting], version: PlanVersion) -> None:
    people = dict((pk, (a, b)) for pk, a, b in MeetingRequest.objects.filter(
        pk__in=[m.request_id for m in meetings]).values_list("pk", "requester_id", "receiver_id"))
    Seat.objects.bulk_create([Seat(meeting=m, version=version, slot_id=m.slot_id, registration_id=person)
                              for m in meetings for person in people[m.request_id]], batch_size=4000)


def _working(event: Event, actor) -> PlanVersion:
    """The preliminary version (brokerage row locked by the caller); made from the latest
    released version (or empty) when there is none."""
    version = working_version(event)
    if version is not None:
        return version
    number = (PlanVersion.objects.filter(event=event).aggregate(n=Max("number"))["n"] or 0) + 1
    version = PlanVersion.objects.create(event=event, number=number, created_by=actor)
    released = latest_released(event)
    if released is not None:
        _copy_meetings(released, version)
        version.figures = {**released.figures, "based_on": released.number}
        version.save(update_fields=["figures"])
    return version


def _touch(brokerage: Brokerage) -> None:
    Brokerage.objects.filter(pk=brokerage.pk).update(revision=brokerage.revision + 1)
    brokerage.revision += 1


# -- runs ------------------------------------------------------------------------------------

@transaction.atomic
def plan_start(*, actor, event: Event) -> PlanRun:
    """Queue a run of the scheduler ("Plan erstellen")."""
    if not rules.can_manage_meetings(actor, event):
        raise PermissionDenied
    brokerage = _locked_brokerage(event)
    if not brokerage.slots.exists():
        raise ValidationError(_("Es gibt noch keine Zeitabschnitte: bitte zuerst die Gesprächsblöcke festlegen."))
    if PlanRun.objects.filter(event=event, status__in=ACTIVE_RUN_STATUSES).exists():
        raise ValidationError(_("Für diese Veranstaltung wird gerade ein Plan berechnet."))
    try:
        with transaction.atomic():
            run = PlanRun.objects.create(event=event, base_revision=brokerage.revision, created_by=actor)
    except IntegrityError:
        raise ValidationError(_("Für diese Veranstaltung wird gerade ein Plan berechnet.")) from None
    log_event("matchwerk.meetings.plan.started", run, actor=actor)
    from matchwerk.meetings.tasks import run_plan

    run_id = run.pk
    transaction.on_commit(lambda: run_plan.enqueue(run_id=run_id))
    return run


def plan_cancel(*, actor, run: PlanRun) -> PlanRun:
    if not rules.can_manage_meetings(actor, run.event):
        raise PermissionDenied
    PlanRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
        status=RunStatus.CANCELLED, finished_at=timezone.now(), message=_("abgebrochen"))
    PlanRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(cancel_requested=True)
    log_event("matchwerk.meetings.plan.cancelled", run, actor=actor)
    run.refresh_from_db()
    return run


def _finish(run: PlanRun, status: str, message: str = "", error: str = "") -> None:
    PlanRun.objects.filter(pk=run.pk).update(status=status, message=message[:200], error=error,
                                             finished_at=timezone.now(), progress=1.0)


def plan_execute(*, run_id: int, solve=None) -> PlanRun | None:
    """The body of the background task: build the input, run ``schedule`` (the engine's
    Python API), store the result as the preliminary version. ``solve`` is the engine
    call (tests may pass one that fails)."""
    from matchwerk.engine.schedule import run as schedule_run

    solve = solve or schedule_run
    claimed = PlanRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), message=_("Eingabe wird gelesen"))
    run = PlanRun.objects.select_related("event").filter(pk=run_id).first()
    if not claimed or run is None:
        return run
    event = run.event
    brokerage = Brokerage.objects.get(event=event)
    plan = planning.plan_input(brokerage=brokerage, working=working_version(event))
    last = [0.0]

    def progress(fraction: float, message: str) -> None:
        now = time.monotonic()
        if now - last[0] < 0.5 and fraction < 1:
            return
        last[0] = now
        PlanRun.objects.filter(pk=run_id).update(progress=max(0.0, min(0.99, fraction)), message=message[:200])
        if PlanRun.objects.filter(pk=run_id, cancel_requested=True).exists():
            raise RunCancelled

    try:
        result = solve(plan.data, progress) if plan.data["meetings"] else _empty_result()
    except RunCancelled:
        _finish(run, RunStatus.CANCELLED, _("abgebrochen; der bisherige Plan bleibt"))
        return run
    except Exception as error:  # the engine's input error or a crash: the old plan stays
        _finish(run, RunStatus.FAILED, _("fehlgeschlagen; der bisherige Plan bleibt"), error=str(error)[:2000])
        log_event("matchwerk.meetings.plan.failed", run, {"error": str(error)[:200]})
        return run
    try:
        version = _store(run, plan, result, brokerage.max_meetings)
    except ValidationError as error:
        _finish(run, RunStatus.FAILED, " ".join(error.messages))
        return run
    PlanRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE, version=version, progress=1.0,
                                             finished_at=timezone.now(), message=_("fertig"))
    run.refresh_from_db()
    return run


def _empty_result() -> dict:
    return {"scheduled": [], "unscheduled": [], "objective": 0, "bound": 0, "optimal": True,
            "stats": {"seconds": 0, "gaps": 0, "breaks": 0, "meetings": 0}}


@transaction.atomic
def _store(run: PlanRun, plan: planning.PlanInput, result: dict, cap: int | None) -> PlanVersion:
    event = run.event
    brokerage = _locked_brokerage(event)
    if PlanRun.objects.filter(pk=run.pk, cancel_requested=True).exists():
        raise ValidationError(_("abgebrochen; der bisherige Plan bleibt"))
    if brokerage.revision != run.base_revision:
        raise ValidationError(_("Der Plan wurde während der Berechnung von Hand geändert; der bisherige Plan "
                                "bleibt. Bitte erneut berechnen."))
    version = _working(event, run.created_by)
    # Seats first (no further cascades: one DELETE), then the meetings without collecting them.
    Seat.objects.filter(version=version, meeting__locked=False).delete()
    Meeting.objects.filter(version=version, locked=False)._raw_delete(connection.alias)
    kept = set(version.meetings.values_list("request_id", flat=True))
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, meeting in enumerate(plan.data["meetings"]):
        index[(meeting["a"], meeting["b"])].append(plan.requests[i])
    rows = []
    for row in result["scheduled"]:
        request_id = index[(row["a"], row["b"])].pop(0)
        if request_id in kept:
            continue
        rows.append((request_id, plan.slots[row["slot"]], row["table"], False))
    _insert_meetings(version, rows)
    stats = result.get("stats", {})
    bound = result.get("bound") or 0
    version.figures = {
        "requested": len(plan.data["meetings"]), "placed": len(result["scheduled"]),
        "objective": result.get("objective", 0), "bound": bound, "optimal": bool(result.get("optimal")),
        "ratio": round(result["objective"] / bound, 4) if bound else 1.0,
        "gaps": stats.get("gaps", 0), "breaks": stats.get("breaks", 0), "seconds": stats.get("seconds", 0),
        "locked": len(kept), "unplaced": planning.unplaced_reasons(plan, result, cap), "run": run.pk,
        "minimum": brokerage.min_meetings,
        # with a minimum, objective and bound are in the engine's boosted weights (planning.engine_weight)
        "weights": "priority+minimum" if brokerage.min_meetings else "priority",
    }
    if brokerage.min_meetings:
        placed = Counter(dict(Seat.objects.filter(version=version).values_list("registration_id").annotate(
            n=Count("pk")).values_list("registration_id", "n")))
        everyone = list(Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED,
                                                    user__isnull=False).values_list("pk", flat=True))
        version.figures["below_minimum"] = planning.below_minimum(plan, placed, brokerage.min_meetings, everyone)
    version.created_by = run.created_by
    version.save(update_fields=["figures", "created_by"])
    _touch(brokerage)
    log_event("matchwerk.meetings.plan.stored", version, {"placed": version.figures["placed"]})
    return version


# -- hand changes ----------------------------------------------------------------------------

def _target(event: Event, meeting: Meeting, actor) -> tuple[PlanVersion, Meeting]:
    """The working version and the meeting in it (a released version is never changed: a
    change to it goes into a new working version made from it)."""
    version = _working(event, actor)
    if meeting.version_id == version.pk:
        return version, Meeting.objects.select_related("request", "slot").get(pk=meeting.pk)
    found = version.meetings.select_related("request", "slot").filter(request_id=meeting.request_id).first()
    if found is None:
        raise ValidationError(_("Dieses Gespräch ist im aktuellen Entwurf nicht mehr enthalten."))
    return version, found


def _when(slot: Slot) -> str:
    return timezone.localtime(slot.starts_at).strftime("%H:%M")


def _check_place(*, brokerage: Brokerage, version: PlanVersion, request: MeetingRequest, slot: Slot,
                 table: int | None, moving: Meeting | None) -> int:
    """A clear message for every conflict; returns the table to use."""
    if slot.brokerage_id != brokerage.pk:
        raise ValidationError(_("Diese Zeit gehört nicht zu dieser Veranstaltung."))
    people = [request.requester, request.receiver]
    for person in people:
        if Absence.objects.filter(registration=person, slot=slot).exists():
            raise ValidationError(_("%(name)s ist um %(time)s nicht verfügbar.") % {"name": person.name,
                                                                                  "time": _when(slot)})
    for person in people:
        busy = Seat.objects.filter(version=version, slot=slot, registration=person)
        if moving is not None:
            busy = busy.exclude(meeting=moving)
        other = busy.select_related("meeting__request__requester", "meeting__request__receiver").first()
        if other is not None:
            partner = other.meeting.request.other(person)
            raise ValidationError(_("%(name)s hat um %(time)s schon ein Gespräch (mit %(other)s).")
                                  % {"name": person.name, "time": _when(slot), "other": partner.name})
        if moving is None and brokerage.max_meetings and Seat.objects.filter(
                version=version, registration=person).count() >= brokerage.max_meetings:
            raise ValidationError(_("%(name)s hat schon die Höchstzahl von %(max)s Gesprächen.")
                                  % {"name": person.name, "max": brokerage.max_meetings})
    booths = dict(Booth.objects.filter(brokerage=brokerage, registration__in=people).values_list(
        "registration_id", "table"))
    taken = set(Meeting.objects.filter(version=version, slot=slot).exclude(
        pk=moving.pk if moving else None).values_list("table", flat=True))
    if table is None:
        choices = sorted(set(booths.values())) or [t for t in range(1, brokerage.tables + 1)
                                                   if t not in set(Booth.objects.filter(brokerage=brokerage)
                                                                   .values_list("table", flat=True))]
        free = [t for t in choices if t not in taken] or [t for t in range(1, brokerage.tables + 1)
                                                          if t not in taken and not booths]
        if not free:
            raise ValidationError(_("Um %(time)s ist kein passender Tisch frei.") % {"time": _when(slot)})
        table = free[0]
    if not 1 <= table <= brokerage.tables:
        raise ValidationError(_("Tisch %(table)s gibt es nicht (1 bis %(tables)s).")
                              % {"table": table, "tables": brokerage.tables})
    if booths and table not in booths.values():
        raise ValidationError(_("Dieses Gespräch findet am Stand statt (Tisch %(tables)s).")
                              % {"tables": ", ".join(map(str, sorted(booths.values())))})
    if table in taken:
        raise ValidationError(_("Tisch %(table)s ist um %(time)s schon belegt.") % {"table": table,
                                                                                 "time": _when(slot)})
    return table


def _conflict() -> ValidationError:
    return ValidationError(_("Gleichzeitig hat jemand anderes diesen Platz vergeben; bitte die Seite neu laden."))


@transaction.atomic
def meeting_move(*, actor, meeting: Meeting, slot: Slot, table: int | None = None) -> Meeting:
    event = meeting.version.event
    if not rules.can_manage_meetings(actor, event):
        raise PermissionDenied
    brokerage = _locked_brokerage(event)
    version, meeting = _target(event, meeting, actor)
    table = _check_place(brokerage=brokerage, version=version, request=meeting.request, slot=slot, table=table,
                         moving=meeting)
    try:
        with transaction.atomic():
            Meeting.objects.filter(pk=meeting.pk).update(slot=slot, table=table)
            Seat.objects.filter(meeting=meeting).update(slot=slot)
    except IntegrityError:
        raise _conflict() from None
    _touch(brokerage)
    log_event("matchwerk.meetings.meeting.moved", meeting, {"slot": slot.pk, "table": table}, actor=actor)
    meeting.refresh_from_db()
    return meeting


@transaction.atomic
def meeting_add(*, actor, event: Event, request: MeetingRequest, slot: Slot, table: int | None = None) -> Meeting:
    """Place an accepted request by hand (locked, so later runs keep it)."""
    if not rules.can_manage_meetings(actor, event):
        raise PermissionDenied
    brokerage = _locked_brokerage(event)
    if request.event_id != event.pk or request.status != RequestStatus.ACCEPTED:
        raise ValidationError(_("Nur angenommene Anfragen dieser Veranstaltung lassen sich einplanen."))
    version = _working(event, actor)
    if version.meetings.filter(request=request).exists():
        raise ValidationError(_("Dieses Gespräch ist schon eingeplant; bitte verschieben statt neu anlegen."))
    table = _check_place(brokerage=brokerage, version=version, request=request, slot=slot, table=table, moving=None)
    try:
        with transaction.atomic():
            meeting = Meeting.objects.create(version=version, request=request, slot=slot, table=table, locked=True)
            _seats_for([meeting], version)
    except IntegrityError:
        raise _conflict() from None
    _touch(brokerage)
    log_event("matchwerk.meetings.meeting.added", meeting, {"slot": slot.pk, "table": table}, actor=actor)
    return meeting


@transaction.atomic
def meeting_lock(*, actor, meeting: Meeting, locked: bool = True) -> Meeting:
    event = meeting.version.event
    if not rules.can_manage_meetings(actor, event):
        raise PermissionDenied
    brokerage = _locked_brokerage(event)
    _version, meeting = _target(event, meeting, actor)
    Meeting.objects.filter(pk=meeting.pk).update(locked=locked)
    _touch(brokerage)
    meeting.locked = locked
    return meeting


@transaction.atomic
def meeting_remove(*, actor, meeting: Meeting) -> None:
    event = meeting.version.event
    if not rules.can_manage_meetings(actor, event):
        raise PermissionDenied
    brokerage = _locked_brokerage(event)
    _version, meeting = _target(event, meeting, actor)
    meeting.delete()
    _touch(brokerage)
    log_event("matchwerk.meetings.meeting.removed", None, {"request": meeting.request_id}, actor=actor)


# -- release ---------------------------------------------------------------------------------

@transaction.atomic
def version_release(*, actor, event: Event) -> PlanVersion:
    """The working version becomes the released plan (frozen from now on); the people whose
    meetings changed against the previous released version are notified, with calendar
    entries of the same UID and a higher SEQUENCE."""
    if not rules.can_manage_meetings(actor, event):
        raise PermissionDenied
    brokerage = _locked_brokerage(event)
    version = working_version(event)
    if version is None:
        raise ValidationError(_("Es gibt keinen Entwurf zum Veröffentlichen."))
    previous = latest_released(event)
    before = ({r: (s, t) for r, s, t in previous.meetings.values_list("request_id", "slot_id", "table")}
              if previous else {})
    now_rows = {r: (s, t) for r, s, t in version.meetings.values_list("request_id", "slot_id", "table")}
    changed = {r for r in now_rows if before.get(r) != now_rows[r]}
    dropped = set(before) - set(now_rows)
    # A meeting that was in a calendar before (moved, dropped, or back after a drop) gets a new SEQUENCE.
    MeetingRequest.objects.filter(pk__in=(changed & set(before)) | dropped).update(
        sequence=F("sequence") + 1)
    MeetingRequest.objects.filter(pk__in=changed - set(before), calendar_cancelled=True).update(
        sequence=F("sequence") + 1)
    MeetingRequest.objects.filter(pk__in=dropped).update(calendar_cancelled=True)
    MeetingRequest.objects.filter(pk__in=changed, calendar_cancelled=True).update(calendar_cancelled=False)
    version.status, version.released_at, version.released_by = VersionStatus.RELEASED, timezone.now(), actor
    version.figures = {**version.figures, "changed_meetings": len(changed), "dropped_meetings": len(dropped)}
    version.save(update_fields=["status", "released_at", "released_by", "figures"])
    _touch(brokerage)
    affected = set()
    for a, b in MeetingRequest.objects.filter(pk__in=changed | dropped).values_list("requester_id", "receiver_id"):
        affected.update((a, b))
    log_event("matchwerk.meetings.plan.released", version, {"notified": len(affected)}, actor=actor)
    meeting_plan_emit(version)
    from matchwerk.meetings.tasks import notify_plan_changed

    version_id, people = version.pk, sorted(affected)
    transaction.on_commit(lambda: [notify_plan_changed.enqueue(version_id=version_id, registration_id=p)
                                   for p in people])
    return version



# -- self-booking ----------------------------------------------------------------------------

def free_slots(*, request: MeetingRequest) -> list[Slot]:
    """Slots of the released plan where both people are available and free and a table
    is left (what self-booking offers)."""
    return free_slots_of(event=request.event, requests=[request])[request.pk]


def free_slots_of(*, event: Event, requests: list[MeetingRequest]) -> dict[int, list[Slot]]:
    """``free_slots`` of several requests of one event in five queries (the meetings page
    lists every accepted request of a person)."""
    released = PlanVersion.objects.filter(event=event, status=VersionStatus.RELEASED).defer("figures") \
        .order_by("-number").first()
    brokerage = Brokerage.objects.filter(event=event).first()
    if released is None or brokerage is None or not requests:
        return {request.pk: [] for request in requests}
    people = {p for request in requests for p in (request.requester_id, request.receiver_id)}
    busy: dict[int, set[int]] = {}
    for person, slot in Seat.objects.filter(version=released, registration_id__in=people).values_list(
            "registration_id", "slot_id"):
        busy.setdefault(person, set()).add(slot)
    for person, slot in Absence.objects.filter(registration_id__in=people).values_list("registration_id", "slot_id"):
        busy.setdefault(person, set()).add(slot)
    full = {slot for slot, n in Meeting.objects.filter(version=released).values_list("slot_id").annotate(
        n=Count("pk")).values_list("slot_id", "n") if n >= brokerage.tables}
    slots = [slot for slot in Slot.objects.filter(brokerage=brokerage).order_by("starts_at") if slot.pk not in full]
    none: set[int] = set()
    return {request.pk: [slot for slot in slots if slot.pk not in busy.get(request.requester_id, none)
                         and slot.pk not in busy.get(request.receiver_id, none)] for request in requests}


@transaction.atomic
def meeting_book(*, actor, request: MeetingRequest, slot: Slot) -> PlanVersion:
    """After the release, one of the two books a free common slot for their accepted
    request (when the event allows it). The released version stays frozen: the booking
    makes a new released version (the previous one plus this meeting); a working draft of
    the staff gets the meeting too, locked. Only the two people are notified."""
    if not rules.can_give_feedback(actor, request):  # one of the two people
        raise PermissionDenied
    event = request.event
    brokerage = _locked_brokerage(event)
    if not brokerage.self_booking:
        raise ValidationError(_("Bei dieser Veranstaltung plant das Organisationsteam alle Gespräche."))
    request = MeetingRequest.objects.select_related("requester", "receiver").get(pk=request.pk)
    if request.status != RequestStatus.ACCEPTED:
        raise ValidationError(_("Nur angenommene Anfragen lassen sich einplanen."))
    released = latest_released(event)
    if released is None:
        raise ValidationError(_("Der Gesprächsplan ist noch nicht veröffentlicht."))
    if released.meetings.filter(request=request).exists():
        raise ValidationError(_("Dieses Gespräch ist schon eingeplant; bitte verschieben statt neu anlegen."))
    draft = working_version(event)
    table = _check_place(brokerage=brokerage, version=released, request=request, slot=slot, table=None, moving=None)
    if draft is not None:
        _check_place(brokerage=brokerage, version=draft, request=request, slot=slot, table=table, moving=None)
    number = (PlanVersion.objects.filter(event=event).aggregate(n=Max("number"))["n"] or 0) + 1
    if draft is not None:  # the draft keeps being the newest number
        PlanVersion.objects.filter(pk=draft.pk).update(number=number + 1)
    version = PlanVersion.objects.create(event=event, number=number, status=VersionStatus.RELEASED,
                                         created_by=actor, released_by=actor, released_at=timezone.now(),
                                         figures={**released.figures, "booked_by_participant": request.pk,
                                                  "changed_meetings": 1, "dropped_meetings": 0})
    try:
        with transaction.atomic():
            _copy_meetings(released, version)
            booked = [Meeting.objects.create(version=version, request=request, slot=slot, table=table, locked=True)]
            if draft is not None:
                booked.append(Meeting.objects.create(version=draft, request=request, slot=slot, table=table,
                                                     locked=True))
            for meeting in booked:
                _seats_for([meeting], meeting.version)
    except IntegrityError:
        raise _conflict() from None
    if request.calendar_cancelled:
        MeetingRequest.objects.filter(pk=request.pk).update(sequence=F("sequence") + 1, calendar_cancelled=False)
    _touch(brokerage)
    log_event("matchwerk.meetings.meeting.booked", version, {"request": request.pk, "slot": slot.pk}, actor=actor)
    from matchwerk.meetings.tasks import notify_plan_changed

    version_id, people = version.pk, [request.requester_id, request.receiver_id]
    transaction.on_commit(lambda: [notify_plan_changed.enqueue(version_id=version_id, registration_id=p)
                                   for p in people])
    return version
