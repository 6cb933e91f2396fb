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


class MatchOrigin(models.TextChoices):
    """Where a match came from."""

    SUGGESTION = "suggestion", _("Vorschlag des Matching-Teams")
    EVENT_MEETING = "event_meeting", _("Treffen auf einer Veranstaltung")
    MANUAL = "manual", _("von der Koordination angelegt")


class MatchStage(models.TextChoices):
    """A match's life in a programme (``STAGE_FLOW`` is the order; ``ENDED`` can follow any
    stage, with a reason)."""

    PROPOSED = "proposed", _("vorgeschlagen")
    AGREED = "agreed", _("beide einverstanden")
    KICKOFF = "kickoff", _("Kick-off gehalten")
    GRANT_APPROVED = "grant_approved", _("Förderung bewilligt")
    IN_PROGRESS = "in_progress", _("in Umsetzung")
    COMPLETED = "completed", _("abgeschlossen")
    COOPERATING_6 = "cooperating_6", _("arbeitet nach 6 Monaten noch zusammen")
    COOPERATING_12 = "cooperating_12", _("arbeitet nach 12 Monaten noch zusammen")
    ENDED = "ended", _("beendet")


STAGE_FLOW = [MatchStage.PROPOSED, MatchStage.AGREED, MatchStage.KICKOFF, MatchStage.GRANT_APPROVED,
              MatchStage.IN_PROGRESS, MatchStage.COMPLETED, MatchStage.COOPERATING_6, MatchStage.COOPERATING_12]
# Stages of a match that is still being accompanied or followed up (not proposed, not ended).
ACTIVE_STAGES = STAGE_FLOW[1:]

# The forward moves; ``ENDED`` is allowed from every stage but itself. A follow-up at 12
# months may find a completed match still cooperating without an answer at 6 months.
_FORWARD = {
    MatchStage.PROPOSED: {MatchStage.AGREED},
    MatchStage.AGREED: {MatchStage.KICKOFF},
    MatchStage.KICKOFF: {MatchStage.GRANT_APPROVED, MatchStage.IN_PROGRESS},
    MatchStage.GRANT_APPROVED: {MatchStage.IN_PROGRESS},
    MatchStage.IN_PROGRESS: {MatchStage.COMPLETED},
    MatchStage.COMPLETED: {MatchStage.COOPERATING_6, MatchStage.COOPERATING_12},
    MatchStage.COOPERATING_6: {MatchStage.COOPERATING_12},
    MatchStage.COOPERATING_12: set(),
    MatchStage.ENDED: set(),
}


def stage_targets(stage: str, *, funded: bool) -> list[str]:
    """The stages a match in ``stage`` may move to, in flow order. In a programme that funds
    matches "in progress" needs "grant approved" first; in one that does not, there is no
    "grant approved" at all."""
    targets = set(_FORWARD.get(stage, set()))
    if not funded:
        targets.discard(MatchStage.GRANT_APPROVED)
    elif stage == MatchStage.KICKOFF:
        targets.discard(MatchStage.IN_PROGRESS)
    ordered = [target for target in STAGE_FLOW if target in targets]
    if stage != MatchStage.ENDED:
        ordered.append(MatchStage.ENDED)
    return ordered


def stage_flow(*, funded: bool) -> list[str]:
    """The stages of a programme's matches in order (the caseload board's columns, without
    "ended")."""
    return [stage for stage in STAGE_FLOW if funded or stage != MatchStage.GRANT_APPROVED]
