"""Brokerage settings: meeting length, sessions (blocks of slots), tables and booths,
meetings per person, the request window, self-booking."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from matchwerk.core.audit import log_event
from matchwerk.events.enums import RegistrationStatus
from matchwerk.events.models import Event, Registration
from matchwerk.meetings import rules
from matchwerk.meetings.models import Booth, Brokerage, PlanVersion, Session, Slot


def _when(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "j.n.Y H:i")


def slot_times(sessions: list[tuple[datetime, datetime]], minutes: int) -> list[tuple[datetime, datetime]]:
    """The meeting slots of the sessions: as many whole meetings as fit into each block."""
    step = timedelta(minutes=minutes)
    times = []
    for start, end in sorted(sessions):
        at = start
        while at + step <= end:
            times.append((at, at + step))
            at += step
    return times


def _check(event: Event, fields: dict, sessions: list[tuple[datetime, datetime]]) -> None:
    errors: dict[str, list] = {}
    if fields["tables"] is None or fields["tables"] < 1:
        errors.setdefault("tables", []).append(_("Es braucht mindestens einen Tisch."))
    minutes = fields["meeting_minutes"]
    if minutes is None or not 5 <= minutes <= 240:
        errors.setdefault("meeting_minutes", []).append(_("Ein Gespräch dauert zwischen 5 und 240 Minuten."))
    low, high = fields["min_meetings"], fields["max_meetings"]
    if high is not None and high < 1:
        errors.setdefault("max_meetings", []).append(_("Höchstens 0 Gespräche ergibt keinen Plan; leer lassen "
                                                       "für keine Grenze."))
    elif high is not None and low is not None and high < low:
        errors.setdefault("max_meetings", []).append(_("Die Höchstzahl darf nicht unter der Mindestzahl liegen."))
    opens, closes = fields["requests_open_at"], fields["requests_close_at"]
    if opens and closes and closes <= opens:
        errors.setdefault("requests_close_at", []).append(_("Das Ende der Anfragezeit muss nach ihrem Beginn liegen."))
    if closes and closes > event.ends_at:
        errors.setdefault("requests_close_at", []).append(_("Anfragen können nicht nach dem Ende der Veranstaltung "
                                                            "schließen."))
    if not sessions:
        errors.setdefault("sessions", []).append(_("Bitte mindestens einen Gesprächsblock angeben."))
    previous_end = None
    for start, end in sorted(sessions):
        label = f"{_when(start)}–{_when(end)}"
        if end <= start:
            errors.setdefault("sessions", []).append(_("Der Block %(block)s endet nicht nach seinem Beginn.")
                                                     % {"block": label})
        elif start < event.starts_at or end > event.ends_at:
            errors.setdefault("sessions", []).append(
                _("Der Block %(block)s liegt außerhalb der Veranstaltung (%(start)s–%(end)s).")
                % {"block": label, "start": _when(event.starts_at), "end": _when(event.ends_at)})
        elif minutes and end - start < timedelta(minutes=minutes):
            errors.setdefault("sessions", []).append(_("Der Block %(block)s ist kürzer als ein Gespräch.")
                                                     % {"block": label})
        if previous_end is not None and start < previous_end:
            errors.setdefault("sessions", []).append(_("Der Block %(block)s überschneidet sich mit dem vorigen.")
                                                     % {"block": label})
        previous_end = max(previous_end or end, end)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def brokerage_configure(*, actor, event: Event, sessions: list[tuple[datetime, datetime]], meeting_minutes: int,
                        tables: int, min_meetings: int = 0, max_meetings: int | None = None,
                        requests_open_at: datetime | None = None, requests_close_at: datetime | None = None,
                        self_booking: bool = False) -> Brokerage:
    """Create or change the settings; the slots follow the sessions. Once a plan exists,
    the slots can no longer change (meetings sit in them). Bad input raises
    ``ValidationError`` and saves nothing."""
    if not rules.can_manage_meetings(actor, event):
        raise PermissionDenied
    fields = {"meeting_minutes": meeting_minutes, "tables": tables, "min_meetings": min_meetings or 0,
              "max_meetings": max_meetings, "requests_open_at": requests_open_at,
              "requests_close_at": requests_close_at}
    _check(event, fields, sessions)
    brokerage = Brokerage.objects.select_for_update().filter(event=event).first()
    times = slot_times(sessions, meeting_minutes)
    if brokerage is not None:
        current = list(brokerage.slots.order_by("starts_at").values_list("starts_at", "ends_at"))
        if current != times and PlanVersion.objects.filter(event=event).exists():
            raise ValidationError({"sessions": [_("Es gibt schon einen Gesprächsplan: Blöcke und Gesprächsdauer "
                                                  "lassen sich nicht mehr ändern.")]})
        highest_booth = brokerage.booths.order_by("-table").values_list("table", flat=True).first()
        if highest_booth and tables < highest_booth:
            raise ValidationError({"tables": [_("Stand %(table)s ist vergeben: es braucht mindestens %(table)s "
                                                "Tische.") % {"table": highest_booth}]})
    else:
        brokerage = Brokerage(event=event)
        current = None
    for name, value in fields.items():
        setattr(brokerage, name, value)
    brokerage.self_booking = bool(self_booking)
    brokerage.full_clean(exclude=["event"])
    brokerage.save()
    brokerage.sessions.all().delete()
    Session.objects.bulk_create([Session(brokerage=brokerage, starts_at=s, ends_at=e) for s, e in sorted(sessions)])
    if current != times:
        brokerage.slots.all().delete()
        Slot.objects.bulk_create([Slot(brokerage=brokerage, starts_at=s, ends_at=e) for s, e in times])
    log_event("matchwerk.meetings.brokerage.configured", brokerage,
              {"slots": len(times), "tables": tables}, actor=actor)
    return brokerage


@transaction.atomic
def booth_set(*, actor, event: Event, registration: Registration, table: int | None) -> Booth | None:
    """Give an exhibitor a fixed table (``None`` removes it)."""
    if not rules.can_manage_meetings(actor, event):
        raise PermissionDenied
    brokerage = Brokerage.objects.select_for_update().get(event=event)
    if registration.event_id != event.pk or registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(_("Nur angemeldete Teilnehmende dieser Veranstaltung bekommen einen Stand."))
    if table is None:
        Booth.objects.filter(brokerage=brokerage, registration=registration).delete()
        return None
    if not 1 <= table <= brokerage.tables:
        raise ValidationError(_("Tisch %(table)s gibt es nicht (1 bis %(tables)s).")
                              % {"table": table, "tables": brokerage.tables})
    holder = Booth.objects.filter(brokerage=brokerage, table=table).exclude(registration=registration).first()
    if holder is not None:
        raise ValidationError(_("Tisch %(table)s ist schon der Stand von %(name)s.")
                              % {"table": table, "name": holder.registration.name})
    booth, _created = Booth.objects.update_or_create(brokerage=brokerage, registration=registration,
                                                     defaults={"table": table})
    log_event("matchwerk.meetings.booth.set", booth, {"table": table}, actor=actor)
    return booth
