"""Check-in at the door: by the typed (or scanner-typed) code or by a name found in the
search. A repeated check-in changes nothing and says when the person arrived."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matchwerk.api.webhooks import registration_emit
from matchwerk.events import rules
from matchwerk.events.enums import RegistrationStatus
from matchwerk.events.models import Event, Registration


@dataclass(frozen=True)
class CheckIn:
    registration: Registration
    already: bool  # True: checked in before, nothing changed


def normal_code(code: str) -> str:
    """Codes are shown in capitals; scanners and people type spaces, dashes, lower case."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def registration_check_in(*, actor, event: Event, code: str = "", registration_id: int | None = None) -> CheckIn:
    if not rules.can_edit_event(actor, event):
        raise PermissionDenied
    lookup = {"pk": registration_id} if registration_id else {"code": normal_code(code)}
    if not registration_id and not lookup["code"]:
        raise ValidationError(_("Bitte geben Sie einen Code ein."))
    with transaction.atomic():
        registration = Registration.objects.select_for_update().filter(event=event, **lookup).first()
        if registration is None:
            raise ValidationError(_("Unbekannter Code: Zu dieser Veranstaltung gibt es keine Anmeldung mit "
                                    "„%(code)s“.") % {"code": code.strip()[:40]})
        if registration.status != RegistrationStatus.CONFIRMED:
            raise ValidationError(_("%(name)s ist nicht angemeldet (%(status)s).")
                                  % {"name": registration.name, "status": registration.get_status_display()})
        if registration.checked_in_at is not None:
            return CheckIn(registration=registration, already=True)
        registration.checked_in_at, registration.checked_in_by = timezone.now(), actor
        registration.save(update_fields=["checked_in_at", "checked_in_by"])
        registration_emit("checkin.created", registration)
    return CheckIn(registration=registration, already=False)
