from django.db import models
from django.utils.translation import gettext_lazy as _

from matchwerk.engine.matching.profiles import DEFAULT_PROGRAMME, PROGRAMMES


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


# Kind pairs a new programme matches (unordered): the engine's default programme, the one
# source of the rule (engine/matching/profiles.py); each programme stores and passes its own.
DEFAULT_KIND_PAIRS = sorted(sorted(pair) for pair in PROGRAMMES[DEFAULT_PROGRAMME])


class Strength(models.TextChoices):
    """Bands of the suggestion score, for the review queue's filter."""

    STRONG = "strong", _("stark (ab 0,7)")
    GOOD = "good", _("gut (0,5 bis 0,7)")
    WEAK = "weak", _("schwach (unter 0,5)")


STRENGTH_BOUNDS = {"strong": (0.7, None), "good": (0.5, 0.7), "weak": (None, 0.5)}
