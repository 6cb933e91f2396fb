"""Changes of the rounds app; keyword-only, permission-checked, audited.

Versions like the meeting plan's: ``plan_release`` freezes the current plan and mails the
people whose seats differ from the previously released plan (at the first release:
everybody seated). A hand move (``seat_move``) changes an unreleased plan in place; on a
released plan it makes a new released plan (``based_on`` the old one, which stays as it
was) and mails only the person moved.

``plan_run_start`` checks the input at once (a clear message, nothing saved) and queues
the engine run; ``plan_run_execute`` (the task) computes and stores a new plan in one
transaction — when anything fails the run is marked failed and the previous plan stays.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from matchwerk.core.audit import log_event
from matchwerk.core.mail import mail_send
from matchwerk.engine.inputs import InputError
from matchwerk.rounds import planning
from matchwerk.rounds.enums import PlanKind, RunStatus, Side
from matchwerk.events.enums import RegistrationStatus
from matchwerk.rounds.models import Plan, PlanRun, RoundSetup, Seat, SelectedPair, SideChoice
from matchwerk.rounds.rules import can_plan_rounds

logger = logging.getLogger("matchwerk.rounds")

SETUP_FIELDS = ("rounds", "round_seconds", "break_seconds", "clock_starts_at", "tables", "side_a_label",
                "side_b_label", "side_a_kinds", "side_b_kinds", "pair_mode", "table_size", "table_topics",
                "separate_colleagues", "separate_partners")


def _check(actor, event) -> None:
    if not can_plan_rounds(actor, event):
        raise PermissionDenied


def round_setup_get(*, event, kind: str) -> RoundSetup:
    """The event's settings of this kind (unsaved defaults when there are none yet)."""
    setup = RoundSetup.objects.filter(event=event, kind=kind).first()
    if setup is None:
        setup = RoundSetup(event=event, kind=kind, clock_starts_at=event.starts_at)
        if kind == PlanKind.SPEED:
            setup.side_a_kinds, setup.side_b_kinds = ["startup", "creative"], ["sme"]
            setup.side_a_label, setup.side_b_label = _("Startups und Kreative"), _("KMU")
    return setup


def round_setup_save(*, actor, event, kind: str, **values) -> RoundSetup:
    """Save the settings (validated: 0 rounds or 0 tables are refused, nothing saved)."""
    _check(actor, event)
    unknown = set(values) - set(SETUP_FIELDS)
    if unknown:
        raise TypeError(f"unknown setup fields: {sorted(unknown)}")
    setup = round_setup_get(event=event, kind=kind)
    for name, value in values.items():
        setattr(setup, name, value)
    setup.full_clean()
    setup.save()
    log_event("matchwerk.rounds.setup.updated", setup, {"kind": kind, "fields": sorted(values)}, actor=actor)
    return setup


def speed_sides_set(*, actor, setup: RoundSetup, choices: dict[int, str]) -> int:
    """Sides by hand: ``choices`` maps registration ids to ``Side`` values, or "" for "by kind"."""
    _check(actor, setup.event)
    valid = set(setup.event.registrations.values_list("pk", flat=True))
    with transaction.atomic():
        if setup.pk is None:
            setup.full_clean()
            setup.save()
        changed = 0
        for registration_id, side in choices.items():
            if registration_id not in valid:
                raise ValidationError(_("Diese Person ist nicht für die Veranstaltung angemeldet."))
            if side in Side.values:
                SideChoice.objects.update_or_create(setup=setup, registration_id=registration_id,
                                                    defaults={"side": side})
            else:
                SideChoice.objects.filter(setup=setup, registration_id=registration_id).delete()
            changed += 1
    log_event("matchwerk.rounds.sides.updated", setup, {"people": changed}, actor=actor)
    return changed


def speed_pairs_select(*, actor, setup: RoundSetup, pairs: list[tuple[int, int]]) -> int:
    """Replace the team's selection of speed-dating pairs (side A id, side B id)."""
    _check(actor, setup.event)
    valid = set(setup.event.registrations.values_list("pk", flat=True))
    if any(a not in valid or b not in valid or a == b for a, b in pairs):
        raise ValidationError(_("Ein Paar muss aus zwei verschiedenen Angemeldeten dieser Veranstaltung bestehen."))
    with transaction.atomic():
        if setup.pk is None:
            setup.full_clean()
            setup.save()
        SelectedPair.objects.filter(setup=setup).delete()
        SelectedPair.objects.bulk_create([SelectedPair(setup=setup, side_a_id=a, side_b_id=b)
                                          for a, b in sorted(set(pairs))])
    log_event("matchwerk.rounds.pairs.selected", setup, {"pairs": len(set(pairs))}, actor=actor)
    return len(set(pairs))


def _problem(setup: RoundSetup):
    if setup.kind == PlanKind.SPEED:
        return planning.speed_problem(setup)
    return planning.roundtable_problem(setup)


def plan_run_start(*, actor, event, kind: str) -> PlanRun:
    """Check the input now (``ValidationError`` with a clear message, nothing saved), then
    queue the engine run; its page shows the progress."""
    from matchwerk.rounds.tasks import compute_round_plan

    _check(actor, event)
    setup = RoundSetup.objects.filter(event=event, kind=kind).first()
    if setup is None:
        raise ValidationError(_("Bitte speichern Sie zuerst die Einstellungen."))
    _problem(setup)
    with transaction.atomic():
        run = PlanRun.objects.create(event=event, kind=kind, created_by=actor)
        log_event("matchwerk.rounds.run.started", run, {"kind": kind}, actor=actor)
        compute_round_plan.enqueue(run_id=run.pk)
    run.refresh_from_db()
    return run


def _finish(run: PlanRun, **changes) -> None:
    for name, value in changes.items():
        setattr(run, name, value)
    run.finished_at = timezone.now()
    run.save(update_fields=[*changes, "finished_at"])


def plan_run_execute(*, run_id: int) -> str:
    """The task's body: compute and store a new plan; on any failure keep the old one."""
    run = PlanRun.objects.select_related("event").filter(pk=run_id).first()
    if run is None or run.finished:
        return "skipped"
    PlanRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    setup = RoundSetup.objects.select_related("event").filter(event=run.event, kind=run.kind).first()
    try:
        if setup is None:
            raise ValidationError(_("Die Einstellungen fehlen."))
        problem = _problem(setup)
        solved = (planning.speed_solve(setup, problem) if run.kind == PlanKind.SPEED
                  else planning.roundtable_solve(setup, *problem))
        with transaction.atomic():
            plan = Plan.objects.create(event=run.event, kind=run.kind, rounds=setup.rounds, figures=solved.figures,
                                       created_by=run.created_by)
            for seat in solved.seats:
                seat.plan = plan
            plan.seats.model.objects.bulk_create(solved.seats)
            _finish(run, status=RunStatus.DONE, plan=plan, message="")
    except (ValidationError, InputError) as error:
        message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        _finish(run, status=RunStatus.FAILED, message=message)
    except Exception:  # noqa: BLE001 - the run must end; the old plan stays
        logger.exception("round plan run %s failed", run.pk)
        _finish(run, status=RunStatus.FAILED, message=_("Die Berechnung ist mit einem internen Fehler abgebrochen; "
                                                        "der bisherige Plan gilt weiter."))
    log_event(f"matchwerk.rounds.run.{'done' if run.status == RunStatus.DONE else 'failed'}", run,
              {"kind": run.kind, "message": run.message[:200]}, actor=run.created_by)
    return run.status


def clock_start(*, actor, setup: RoundSetup, at: datetime | None = None) -> RoundSetup:
    """Start the round clock now (or at ``at``): round 1 begins then."""
    _check(actor, setup.event)
    if setup.pk is None:
        raise ValidationError(_("Bitte speichern Sie zuerst die Einstellungen."))
    setup.clock_starts_at = at or timezone.now()
    setup.save(update_fields=["clock_starts_at", "updated_at"])
    log_event("matchwerk.rounds.clock.started", setup, {"at": setup.clock_starts_at.isoformat()}, actor=actor)
    return setup


def _names(seats) -> str:
    return ", ".join(seat.registration.name for seat in seats)


def _seating(plan: Plan) -> dict[int, set[tuple[int, int]]]:
    """Per registration: its (round, table) pairs in the plan."""
    out: dict[int, set[tuple[int, int]]] = {}
    for registration_id, number, table in Seat.objects.filter(plan=plan).values_list("registration_id", "round",
                                                                                     "table"):
        out.setdefault(registration_id, set()).add((number, table))
    return out


def _notify(plan: Plan, registration_ids, *, first: bool) -> int:
    """Queue one mail per person (in the caller's transaction): their table in every round."""
    from matchwerk.events.models import Registration

    people = list(Registration.objects.filter(pk__in=list(registration_ids)).exclude(email="")
                  .select_related("user"))
    if not people:
        return 0
    seats: dict[int, dict[int, Seat]] = {}
    for seat in Seat.objects.filter(plan=plan, registration__in=people):
        seats.setdefault(seat.registration_id, {})[seat.round] = seat
    url = settings.SITE_URL + reverse("rounds:my_table", args=[plan.event_id])
    for person in people:
        mine = seats.get(person.pk, {})
        rounds = [{"number": n, "table": mine[n].table if n in mine else None,
                   "topic": mine[n].topic if n in mine else ""} for n in range(1, plan.rounds + 1)]
        mail_send(to=person.email, template="rounds/mail/plan_changed",
                  language=(person.user.language if person.user_id else ""),
                  context={"name": person.name, "event_title": plan.event.title, "first": first,
                           "speed": plan.kind == PlanKind.SPEED, "rounds": rounds, "url": url})
    return len(people)


def _latest_released(event, kind: str) -> Plan | None:
    return (Plan.objects.filter(event=event, kind=kind, released_at__isnull=False)
            .order_by("-created_at", "-pk").first())


def _current_locked(plan: Plan) -> Plan:
    """The plan row locked; refused unless it is the newest of its event and kind."""
    plan = Plan.objects.select_for_update().select_related("event").get(pk=plan.pk)
    newest = Plan.objects.filter(event=plan.event, kind=plan.kind).order_by("-created_at", "-pk").first()
    if newest.pk != plan.pk:
        raise ValidationError(_("Nur der aktuelle Plan lässt sich ändern."))
    return plan


@transaction.atomic
def plan_release(*, actor, plan: Plan) -> Plan:
    """Release the current plan: participants see it from now on; it never changes again.
    The people whose seats differ from the previously released plan get a mail (at the
    first release: everybody seated)."""
    _check(actor, plan.event)
    plan = _current_locked(plan)
    if plan.is_released:
        raise ValidationError(_("Dieser Plan ist schon veröffentlicht."))
    previous = _latest_released(plan.event, plan.kind)
    now, before = _seating(plan), (_seating(previous) if previous is not None else {})
    changed = sorted(pk for pk in set(now) | set(before) if now.get(pk, set()) != before.get(pk, set()))
    plan.released_at, plan.released_by = timezone.now(), actor
    if previous is not None and plan.based_on_id is None:
        plan.based_on = previous
    plan.figures = {**plan.figures, "changed_people": len(changed)}
    plan.save(update_fields=["released_at", "released_by", "based_on", "figures"])
    notified = _notify(plan, changed, first=previous is None)
    log_event("matchwerk.rounds.plan.released", plan, {"kind": plan.kind, "changed_people": len(changed),
                                                       "notified": notified,
                                                       "based_on": previous.pk if previous else None}, actor=actor)
    return plan


def _new_version(plan: Plan, actor) -> Plan:
    """A released plan's next version: a copy of its seats, released at once (the move
    applied to it is the only change)."""
    copy = Plan.objects.create(event=plan.event, kind=plan.kind, rounds=plan.rounds, created_by=actor,
                               figures={**plan.figures, "hand_moves": 0, "based_on": plan.pk},
                               released_at=timezone.now(), released_by=actor, based_on=plan)
    Seat.objects.bulk_create([Seat(plan=copy, round=seat.round, table=seat.table, registration_id=seat.registration_id,
                                   side=seat.side, topic=seat.topic, host=seat.host)
                              for seat in Seat.objects.filter(plan=plan).order_by("pk")])
    return copy


@transaction.atomic
def seat_move(*, actor, plan: Plan, registration, round_number: int, table: int | None) -> str:
    """Staff move one person to another table in one round of the current plan by hand
    (``table`` None: the person sits this round out). Conflicts raise ``ValidationError``
    with a clear message and change nothing: a table that does not exist, a full table, in
    speed-dating someone of the same side at the table or a pair that already met. Returns
    a notice (empty or: whom the person meets again at a roundtable).

    An unreleased plan changes in place. A released plan stays as it is: the move makes a
    new released plan from it, and the person moved (only they) gets a mail with their
    tables."""
    _check(actor, plan.event)
    plan = _current_locked(plan)
    if registration.event_id != plan.event_id or registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(_("Diese Person ist nicht für die Veranstaltung angemeldet."))
    if not 1 <= round_number <= plan.rounds:
        raise ValidationError(_("Runde %(round)s gibt es nicht (1 bis %(rounds)s).")
                              % {"round": round_number, "rounds": plan.rounds})
    setup = RoundSetup.objects.get(event=plan.event, kind=plan.kind)
    speed = plan.kind == PlanKind.SPEED
    seats = list(Seat.objects.filter(plan=plan, round=round_number).select_related("registration"))
    mine = next((seat for seat in seats if seat.registration_id == registration.pk), None)
    where = {"name": registration.name, "round": round_number, "table": table}
    if table is None:
        if mine is None:
            raise ValidationError(_("%(name)s hat in Runde %(round)s schon Pause.") % where)
        target = _target(plan, actor)
        Seat.objects.filter(plan=target, round=round_number, registration=registration).delete()
        _moved(actor, target, registration, round_number, None)
        return ""
    tables = int(plan.figures.get("tables") or (setup.tables if speed else 0)
                 or max((seat.table for seat in seats), default=1))
    if not 1 <= table <= tables:
        raise ValidationError(_("Tisch %(table)s gibt es nicht (1 bis %(tables)s).") % {**where, "tables": tables})
    if mine is not None and mine.table == table:
        raise ValidationError(_("%(name)s sitzt in Runde %(round)s schon an Tisch %(table)s.") % where)
    at_table = [seat for seat in seats if seat.table == table]
    capacity = 2 if speed else setup.table_size
    if len(at_table) >= capacity:
        raise ValidationError(_("Tisch %(table)s ist in Runde %(round)s schon voll (%(names)s).")
                              % {**where, "names": _names(at_table)})
    side = mine.side if mine is not None else ""
    elsewhere = dict(Seat.objects.filter(plan=plan, registration=registration).exclude(round=round_number)
                     .values_list("round", "table"))
    again = sorted({(name, number) for name, number, other_table in Seat.objects.filter(
        plan=plan, registration_id__in=[seat.registration_id for seat in at_table], round__in=list(elsewhere))
        .values_list("registration__name", "round", "table") if elsewhere[number] == other_table})
    if speed:
        if not side:
            side = planning.sides(setup, [registration])[registration.pk]
        if side not in (Side.A, Side.B):
            raise ValidationError(_("%(name)s gehört zu keiner der beiden Seiten.") % where)
        same = [seat for seat in at_table if seat.side == side]
        if same:
            raise ValidationError(_("An Tisch %(table)s sitzt in Runde %(round)s schon jemand derselben Seite "
                                    "(%(names)s).") % {**where, "names": _names(same)})
        if again:
            raise ValidationError(_("%(name)s und %(other)s sitzen schon in Runde %(other_round)s zusammen.")
                                  % {**where, "other": again[0][0], "other_round": again[0][1]})
    topic, host = (at_table[0].topic, at_table[0].host) if at_table else (
        setup.topic_lines[table - 1] if not speed and table <= len(setup.topic_lines) else ("", ""))
    target = _target(plan, actor)
    if mine is not None:
        Seat.objects.filter(plan=target, round=round_number, registration=registration).update(
            table=table, topic=topic, host=host)
    else:
        Seat.objects.create(plan=target, round=round_number, table=table, registration=registration, side=side,
                            topic=topic, host=host)
    _moved(actor, target, registration, round_number, table)
    if again:
        return _("Hinweis: %(name)s sitzt damit erneut mit %(others)s zusammen.") % {
            **where, "others": ", ".join(f"{name} ({_('Runde')} {number})" for name, number in again)}
    return ""


def _target(plan: Plan, actor) -> Plan:
    """Where a hand move is written: the plan itself, or a new version of a released plan."""
    return _new_version(plan, actor) if plan.is_released else plan


def _moved(actor, plan: Plan, registration, round_number: int, table: int | None) -> None:
    plan.figures = {**plan.figures, "hand_moves": plan.figures.get("hand_moves", 0) + 1}
    plan.save(update_fields=["figures"])
    data = {"registration": registration.pk, "round": round_number, "table": table}
    if plan.is_released:  # a change after the release: a new version, the person moved is told
        data.update(based_on=plan.based_on_id, notified=_notify(plan, [registration.pk], first=False))
    log_event("matchwerk.rounds.seat.moved", plan, data, actor=actor)
