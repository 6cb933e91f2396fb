"""After the event: a short feedback form (rating 1–5, what to improve)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matchwerk.events import rules
from matchwerk.events.enums import EventStatus, RegistrationStatus
from matchwerk.events.models import Feedback, Registration


def feedback_problem(registration: Registration | None) -> str:
    """Why this registration cannot give feedback ('' when it can)."""
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        return _("Rückmeldungen geben nur Teilnehmende.")
    event = registration.event
    if event.status == EventStatus.CANCELLED or event.status == EventStatus.DRAFT:
        return _("Zu dieser Veranstaltung gibt es keine Rückmeldungen.")
    if timezone.now() < event.starts_at:
        return _("Rückmeldungen sind möglich, sobald die Veranstaltung begonnen hat.")
    if Feedback.objects.filter(registration=registration).exists():
        return _("Danke, Sie haben bereits eine Rückmeldung gegeben.")
    return ""


def feedback_create(*, actor, registration: Registration, rating: int, improve: str = "") -> Feedback:
    if not rules.can_change_registration(actor, registration) or registration.user_id != getattr(actor, "pk", None):
        raise PermissionDenied
    problem = feedback_problem(registration)
    if problem:
        raise ValidationError(problem)
    feedback = Feedback(registration=registration, rating=rating, improve=improve.strip())
    feedback.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            feedback.save()
    except IntegrityError:  # a double submit
        raise ValidationError(_("Danke, Sie haben bereits eine Rückmeldung gegeben.")) from None
    return feedback
