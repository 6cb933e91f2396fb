from django.db import models
from django.utils.translation import gettext_lazy as _


class SuggestionStatus(models.TextChoices):
    OPEN = "open", _("offen")
    ACCEPTED = "accepted", _("angenommen")
    REJECTED = "rejected", _("abgelehnt")
    SNOOZED = "snoozed", _("zurückgestellt")


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("vorgeschlagen – wartet auf Zustimmung")
    ACTIVE = "active", _("bestätigt")
    DECLINED = "declined", _("abgelehnt")


class Answer(models.TextChoices):
    PENDING = "pending", _("ausstehend")
    ACCEPTED = "accepted", _("zugestimmt")
    DECLINED = "declined", _("abgelehnt")


# Kind pairs a programme may match (unordered); the default programme allows these.
DEFAULT_KIND_PAIRS = [
    ["creative", "sme"], ["startup", "sme"], ["startup", "public"], ["creative", "public"],
    ["research", "sme"], ["research", "startup"], ["creative", "startup"],
]
