from django.db import models
from django.utils.translation import gettext_lazy as _


class WebhookEvent(models.TextChoices):
    """What a webhook can be told about (``webhook_emit(event, ...)``)."""

    REGISTRATION_CREATED = "registration.created", _("Anmeldung angelegt")
    REGISTRATION_CANCELLED = "registration.cancelled", _("Anmeldung storniert")
    CHECKIN_CREATED = "checkin.created", _("Check-in")
    MATCH_STAGE_CHANGED = "match.stage_changed", _("Phase eines Matches geändert")
    GRANT_APPROVED = "grant.approved", _("Förderung bewilligt")
    MEETING_PLAN_RELEASED = "meeting_plan.released", _("Terminplan freigegeben")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("wartet")
    SUCCEEDED = "succeeded", _("zugestellt")
    FAILED = "failed", _("fehlgeschlagen")
