from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanKind(models.TextChoices):
    SPEED = "speed", _("Speed-Dating")
    ROUNDTABLE = "roundtable", _("Tischrunden")


# URL slugs of the two kinds (German, as the rest of the site).
KIND_SLUGS = {"speed-dating": PlanKind.SPEED, "tischrunden": PlanKind.ROUNDTABLE}
SLUG_OF_KIND = {kind: slug for slug, kind in KIND_SLUGS.items()}


class Side(models.TextChoices):
    A = "a", _("Seite A")
    B = "b", _("Seite B")
    OUT = "out", _("nimmt nicht teil")


class PairMode(models.TextChoices):
    ALL = "all", _("alle Paare (so viele, wie in die Runden passen)")
    SELECTED = "selected", _("nur die vom Team ausgewählten Paare")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("wartet")
    RUNNING = "running", _("läuft")
    DONE = "done", _("fertig")
    FAILED = "failed", _("fehlgeschlagen")
