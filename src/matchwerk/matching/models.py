from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchwerk.engine.matching.fusion import FusionConfig
from matchwerk.matching.enums import (DEFAULT_KIND_PAIRS, Answer, MatchOrigin, MatchStage, MatchStatus, Strength,
                                     SuggestionStatus)
from matchwerk.core.limits import JOURNAL_ENTRY_MAX_CHARS, MATCH_IDEA_MAX_CHARS, TextLimitValidator
from matchwerk.profiles.models import Organisation
from matchwerk.programmes.models import Programme


def _default_kind_pairs() -> list:
    """Referenced by migration 0001 (Programme lived here then; it is in ``programmes`` now)."""
    return [list(pair) for pair in DEFAULT_KIND_PAIRS]


class Suggestion(models.Model):
    """The engine's suggestion that ``organisation`` works with ``partner`` (directional:
    the organisation sees it under "Vorschläge"); curated by the matching team."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="suggestions",
                                  verbose_name=_("Programm"))
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="suggestions",
                                     verbose_name=_("Organisation"))
    partner = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="suggested_to",
                                verbose_name=_("vorgeschlagener Partner"))
    score = models.FloatField(_("Punktzahl"))
    rank = models.PositiveSmallIntegerField(_("Rang"))
    # Reason codes with parameters (engine/matching/reasons.py; need/offer as database ids),
    # rendered in the reader's language by matching.reasons.
    reasons = models.JSONField(_("Gründe"), default=list)
    status = models.CharField(_("Status"), max_length=10, choices=SuggestionStatus.choices,
                              default=SuggestionStatus.OPEN)
    snoozed_until = models.DateTimeField(_("zurückgestellt bis"), null=True, blank=True)
    computed_at = models.DateTimeField(_("berechnet am"), default=timezone.now)
    # One of the two organisations changed since this suggestion was computed.
    is_stale = models.BooleanField(_("veraltet"), default=False)

    class Meta:
        verbose_name = _("Vorschlag")
        verbose_name_plural = _("Vorschläge")
        ordering = ["organisation", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "organisation", "partner"], name="suggestion_unique"),
            models.CheckConstraint(condition=~models.Q(organisation=models.F("partner")), name="suggestion_not_self"),
        ]
        indexes = [
            # the review queue: walked best first, the filters checked on the way (a page
            # reads a few dozen rows; with the status in the index the database sorts instead)
            models.Index(fields=["programme", "-score", "id"], name="suggestion_best_first"),
            models.Index(fields=["partner", "programme"], name="suggestion_partner"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.partner} ({self.score:.2f})"

    @property
    def strength_label(self) -> str:
        """The score in words ("sehr passend", "passend", "möglich": the engine's bands),
        shown before the number."""
        return Strength(FusionConfig.strength(FusionConfig, self.score)).label


class Decision(models.Model):
    """The matching team's decision on a pair (unordered; ``low``/``high`` by id), kept forever.
    Rejected pairs are never suggested again; outcomes re-weight the scores."""

    class Kind(models.TextChoices):
        ACCEPTED = "accepted", _("angenommen")
        REJECTED = "rejected", _("abgelehnt")
        SNOOZED = "snoozed", _("zurückgestellt")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="decisions")
    low = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    high = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("Entscheidung"), max_length=10, choices=Kind.choices)
    reason = models.CharField(_("Begründung"), max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("entschieden am"), default=timezone.now)

    class Meta:
        verbose_name = _("Entscheidung")
        verbose_name_plural = _("Entscheidungen")
        ordering = ["-decided_at", "-id"]


class Match(models.Model):
    """Two or more organisations that work together in a programme, for months.

    ``status`` is the answer to the invitation (double opt-in: active once every side
    agreed); ``stage`` is the match's life from "proposed" to "still cooperating after 12
    months" or "ended" — changed only by ``matching.services.match_stage_change``, which
    validates the move and records a :class:`StageChange`.
    """

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="matches",
                                  verbose_name=_("Programm"))
    status = models.CharField(_("Status"), max_length=10, choices=MatchStatus.choices, default=MatchStatus.PROPOSED)
    reasons = models.JSONField(_("Gründe"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("angelegt von"))
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)
    origin = models.CharField(_("Herkunft"), max_length=20, choices=MatchOrigin.choices,
                              default=MatchOrigin.SUGGESTION)
    stage = models.CharField(_("Stufe"), max_length=20, choices=MatchStage.choices, default=MatchStage.PROPOSED)
    stage_changed_at = models.DateTimeField(_("Stufe seit"), default=timezone.now)
    ended_reason = models.CharField(_("Grund für das Ende"), max_length=300, blank=True)
    idea = models.TextField(_("Idee und Ziel"), blank=True, max_length=MATCH_IDEA_MAX_CHARS,
                            validators=[TextLimitValidator(MATCH_IDEA_MAX_CHARS)],
                            help_text=_("Was das Match gemeinsam ausprobieren will – in eigenen Worten."))
    coordinator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="coordinated_matches", verbose_name=_("Koordinator·in"))

    class Meta:
        verbose_name = _("Match")
        verbose_name_plural = _("Matches")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["programme", "stage"], name="match_programme_stage")]

    def __str__(self) -> str:
        return " × ".join(str(side.organisation) for side in self.sides.all())


class StageChange(models.Model):
    """One move of a match from one stage to another: who, when, why (kept forever; the
    dates of a match's stages are read from here)."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("von"), max_length=20, choices=MatchStage.choices, blank=True)
    to_stage = models.CharField(_("nach"), max_length=20, choices=MatchStage.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("geändert von"))
    changed_at = models.DateTimeField(_("geändert am"), default=timezone.now)
    note = models.CharField(_("Notiz"), max_length=500, blank=True)
    reason = models.CharField(_("Grund"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Stufenwechsel")
        verbose_name_plural = _("Stufenwechsel")
        ordering = ["changed_at", "pk"]
        indexes = [models.Index(fields=["match", "to_stage"], name="stage_change_match_to")]

    def __str__(self) -> str:
        return f"{self.match_id}: {self.from_stage} → {self.to_stage}"


class MatchSide(models.Model):
    """One organisation's side of a match and its answer to the invitation."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="sides")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="match_sides",
                                     verbose_name=_("Organisation"))
    answer = models.CharField(_("Antwort"), max_length=10, choices=Answer.choices, default=Answer.PENDING)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    answered_at = models.DateTimeField(_("beantwortet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Match-Seite")
        verbose_name_plural = _("Match-Seiten")
        constraints = [models.UniqueConstraint(fields=["match", "organisation"], name="match_side_unique")]


class ProfileChange(models.Model):
    """An announced change of an organisation's matching profile (texts, topics, kind,
    region, consent), appended by :func:`matching.services.organisation_changed`. Each
    process that keeps a match index applies the changes after the last one it has seen;
    old entries are pruned."""

    organisation_id = models.BigIntegerField(_("Organisation"), db_index=True)  # may be deleted since
    changed_at = models.DateTimeField(_("geändert am"), default=timezone.now)

    class Meta:
        verbose_name = _("Profiländerung")
        verbose_name_plural = _("Profiländerungen")


class RecomputeState(models.Model):
    """One row: whether a recompute of the suggestions is queued (at most one pending
    recompute; changes announced meanwhile are merged into it)."""

    pending = models.BooleanField(default=False)
    # Changes to this row's creation: a process's cached match index belongs to one epoch.
    epoch = models.CharField(max_length=32, default="")
    pruned_below = models.BigIntegerField(default=0)  # ProfileChange ids below were deleted
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Stand der Neuberechnung")
        verbose_name_plural = _("Stand der Neuberechnung")


class TextEmbedding(models.Model):
    """A text's embedding by one encoder, computed once: the key hashes encoder, role
    (need/offer) and text (engine/matching/semantic.py: ``EmbeddingCache.key``)."""

    key = models.CharField(max_length=40, primary_key=True)
    vector = models.BinaryField()

    class Meta:
        verbose_name = _("Text-Einbettung")
        verbose_name_plural = _("Text-Einbettungen")


class JournalEntry(models.Model):
    """A note in a match's journal: staff only (the coordination's own notes) or visible to
    the match (its members read and write those)."""

    class Visibility(models.TextChoices):
        STAFF = "staff", _("nur Koordination und Team")
        MATCH = "match", _("für das Match sichtbar")

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="journal")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("von"))
    written_at = models.DateTimeField(_("geschrieben am"), default=timezone.now)
    visibility = models.CharField(_("sichtbar für"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.MATCH)
    text = models.TextField(_("Eintrag"), max_length=JOURNAL_ENTRY_MAX_CHARS,
                            validators=[TextLimitValidator(JOURNAL_ENTRY_MAX_CHARS)])

    class Meta:
        verbose_name = _("Journaleintrag")
        verbose_name_plural = _("Journal")
        ordering = ["-written_at", "-pk"]
        indexes = [models.Index(fields=["match", "-written_at"], name="journal_match_latest")]


class Milestone(models.Model):
    """A step the match plans, with a due date; the coordinator and the members get one
    reminder mail when it is due and not done (``reminded_at`` is claimed before sending)."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("Meilenstein"), max_length=200)
    due_on = models.DateField(_("fällig am"))
    done_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("erinnert am"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Meilenstein")
        verbose_name_plural = _("Meilensteine")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["done_at", "due_on"], name="milestone_open_due")]

    def __str__(self) -> str:
        return self.title


class FollowUp(models.Model):
    """One follow-up mail round of a match: the check-in at 3, 6 or 12 months after the
    match was completed, or the reminder 14 days after a check-in nobody answered. The
    row is created (unique per match, month and kind) in the same transaction that queues
    the mails, so a round never goes out twice — also when the task runs again."""

    class Kind(models.TextChoices):
        CHECKIN = "checkin", _("Nachfrage")
        REMINDER = "reminder", _("Erinnerung")

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="followups")
    month = models.PositiveSmallIntegerField(_("Monat nach Abschluss"))
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices, default=Kind.CHECKIN)
    due_at = models.DateTimeField(_("fällig am"))
    sent_at = models.DateTimeField(_("verschickt am"), null=True, blank=True)
    recipients = models.PositiveSmallIntegerField(_("Empfänger"), default=0)
    # A check-in that came due together with a later one (e.g. a match completed long ago)
    # is recorded but not sent: only the latest is asked.
    skipped = models.BooleanField(_("übersprungen"), default=False)

    class Meta:
        verbose_name = _("Nachfrage")
        verbose_name_plural = _("Nachfragen")
        ordering = ["match", "month", "kind"]
        constraints = [models.UniqueConstraint(fields=["match", "month", "kind"], name="followup_once")]


class FollowUpAnswer(models.Model):
    """A member's answer to a check-in, given through the signed link of the mail."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="answers")
    person = models.ForeignKey("profiles.Person", null=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(Organisation, null=True, on_delete=models.SET_NULL, related_name="+")
    still_cooperating = models.BooleanField(_("arbeiten noch zusammen"))
    outcome = models.TextField(_("Was ist daraus geworden?"), blank=True, max_length=JOURNAL_ENTRY_MAX_CHARS,
                               validators=[TextLimitValidator(JOURNAL_ENTRY_MAX_CHARS)])
    answered_at = models.DateTimeField(_("beantwortet am"), default=timezone.now)

    class Meta:
        verbose_name = _("Antwort auf eine Nachfrage")
        verbose_name_plural = _("Antworten auf Nachfragen")
        ordering = ["answered_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["followup", "person"], name="followup_answer_once")]
