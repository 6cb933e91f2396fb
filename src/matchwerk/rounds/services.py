"""Changes of the rounds app; keyword-only, permission-checked, audited.

``plan_run_start`` checks the input at once (a clear message, nothing saved) and queues
the engine run; ``plan_run_execute`` (the task) computes and stores a new plan in one
transaction — when anything fails the run is marked failed and the previous plan stays.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matchwerk.core.audit import log_event
from matchwerk.engine.inputs import InputError
from matchwerk.rounds import planning
from matchwerk.rounds.enums import PlanKind, RunStatus, Side
from matchwerk.rounds.models import Plan, PlanRun, RoundSetup, SelectedPair, SideChoice
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
