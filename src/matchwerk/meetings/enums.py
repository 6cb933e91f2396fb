from django.db import models
from django.utils.translation import gettext_lazy as _


class Priority(models.IntegerChoices):
    """A request's priority; the value is the meeting's weight in the plan."""

    MUST = 3, _("unbedingt treffen")
    WOULD_LIKE = 1, _("gern treffen")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("offen")
    ACCEPTED = "accepted", _("angenommen")
    DECLINED = "declined", _("abgelehnt")
    WITHDRAWN = "withdrawn", _("zurückgezogen")


OPEN_REQUEST_STATUSES = (RequestStatus.PENDING, RequestStatus.ACCEPTED)


class VersionStatus(models.TextChoices):
    PRELIMINARY = "preliminary", _("vorläufig")
    RELEASED = "released", _("veröffentlicht")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("wartet")
    RUNNING = "running", _("läuft")
    DONE = "done", _("fertig")
    FAILED = "failed", _("fehlgeschlagen")
    CANCELLED = "cancelled", _("abgebrochen")


ACTIVE_RUN_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)
