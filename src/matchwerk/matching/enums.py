from django.db import models
from django.utils.translation import gettext_lazy as _

from matchwerk.engine.matching.fusion import GOOD, POSSIBLE, STRONG, FusionConfig
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
    """The engine's strength words for a suggestion's score (engine/matching/fusion.py),
    for the review queue's filter."""

    STRONG = STRONG, _("sehr passend")
    GOOD = GOOD, _("passend")
    POSSIBLE = POSSIBLE, _("möglich")


# Score bands of the strengths: [low, high), from the engine's configuration.
STRENGTH_BOUNDS = {STRONG: (FusionConfig.strong_score, None), GOOD: (FusionConfig.good_score, FusionConfig.strong_score),
                   POSSIBLE: (None, FusionConfig.good_score)}
