"""Check-in at the door: by the typed (or scanned) code or by a name found in the search.
A repeated check-in changes nothing and says when the person arrived.

``checkins_sync`` takes the check-ins a door device collected while it was offline (or
online: the check-in page sends every scan this way) and applies each one; sending the
same batch twice changes nothing, so the browser may resend until it gets an answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from matchwerk.api.webhooks import registration_emit
from matchwerk.events import rules
from matchwerk.events.enums import RegistrationStatus
from matchwerk.events.models import Event, Registration

# A device may keep scans for a while (a Wi-Fi drop, a laptop closed until the break); an
# offline scan keeps its own time if it is not older than this, otherwise the time it arrives.
OFFLINE_MAX_AGE = timedelta(hours=24)
# At most this many check-ins per sync request.
SYNC_MAX_ITEMS = 500


@dataclass(frozen=True)
class CheckIn:
    registration: Registration
    already: bool  # True: checked in before, nothing changed


def normal_code(code: str) -> str:
    """Codes are shown in capitals; scanners and people type spaces, dashes, lower case."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _arrival(at: datetime | None) -> datetime:
    now = timezone.now()
    if at is None or timezone.is_naive(at) or at > now or at < now - OFFLINE_MAX_AGE:
        return now
    return at


def registration_check_in(*, actor, event: Event, code: str = "", registration_id: int | None = None,
                          at: datetime | None = None) -> CheckIn:
    """Check one person in; ``at`` is the time an offline device scanned the code."""
    if not rules.can_edit_event(actor, event):
        raise PermissionDenied
    lookup = {"pk": registration_id} if registration_id else {"code": normal_code(code)}
    if not registration_id and not lookup["code"]:
        raise ValidationError(_("Bitte geben Sie einen Code ein."))
    with transaction.atomic():
        registration = Registration.objects.select_for_update().filter(event=event, **lookup).first()
        if registration is None:
            if not registration_id and Registration.objects.filter(code=lookup["code"]).exists():
                raise ValidationError(_("Dieser Code gehört zu einer anderen Veranstaltung, nicht zu "
                                        "„%(title)s“. Nicht eingecheckt.") % {"title": event.title})
            raise ValidationError(_("Unbekannter Code: Zu dieser Veranstaltung gibt es keine Anmeldung mit "
                                    "„%(code)s“.") % {"code": code.strip()[:40]})
        if registration.status != RegistrationStatus.CONFIRMED:
            raise ValidationError(_("%(name)s ist nicht angemeldet (%(status)s).")
                                  % {"name": registration.name, "status": registration.get_status_display()})
        if registration.checked_in_at is not None:
            return CheckIn(registration=registration, already=True)
        registration.checked_in_at, registration.checked_in_by = _arrival(at), actor
        registration.save(update_fields=["checked_in_at", "checked_in_by"])
        registration_emit("checkin.created", registration)
    return CheckIn(registration=registration, already=False)


def checkins_sync(*, actor, event: Event, items: list) -> list[dict]:
    """Apply a batch of ``{"code": ..., "at": ISO time}`` check-ins; one result per item:
    ``{"code", "result": "checked_in" | "already" | "refused", "message", "name", "checked_in_at"}``."""
    if not rules.can_edit_event(actor, event):
        raise PermissionDenied
    if not isinstance(items, list) or len(items) > SYNC_MAX_ITEMS:
        raise ValidationError(_("Höchstens %(n)s Check-ins auf einmal.") % {"n": SYNC_MAX_ITEMS})
    results = []
    for item in items:
        code = str(item.get("code", ""))[:40] if isinstance(item, dict) else ""
        at = parse_datetime(str(item.get("at", ""))) if isinstance(item, dict) else None
        try:
            done = registration_check_in(actor=actor, event=event, code=code, at=at)
        except ValidationError as error:
            results.append({"code": normal_code(code), "result": "refused", "message": " ".join(error.messages),
                            "name": "", "checked_in_at": None})
            continue
        registration = done.registration
        arrived = timezone.localtime(registration.checked_in_at)
        if done.already:
            message = _("%(name)s ist bereits eingecheckt (um %(time)s). Nichts geändert.") % {
                "name": registration.name, "time": arrived.strftime("%H:%M")}
        else:
            message = _("%(name)s ist eingecheckt.") % {"name": registration.name}
        results.append({"code": registration.code, "result": "already" if done.already else "checked_in",
                        "message": message, "name": registration.name, "checked_in_at": arrived.isoformat()})
    return results
