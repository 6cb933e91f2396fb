"""Round plans of an event: the staff's settings, the stored plans and the engine runs.

One ``RoundSetup`` per event and kind (speed-dating or roundtables) holds the settings;
each successful engine run stores a new ``Plan`` with one ``Seat`` per person and round —
the newest plan of an event and kind is the current one, so a failed run keeps the
previous plan. ``PlanRun`` is the background run that staff follow on a status page.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchwerk.core.limits import TextLimitValidator
from matchwerk.events.models import Event, Registration
from matchwerk.rounds.enums import PairMode, PlanKind, RunStatus, Side

MAX_ROUNDS = 50
MAX_TABLES = 500
TOPICS_MAX_CHARS = 5_000


class RoundSetup(models.Model):
    """The staff's settings for the speed-dating or roundtable rounds of one event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="round_setups",
                              verbose_name=_("Veranstaltung"))
    kind = models.CharField(_("Art"), max_length=12, choices=PlanKind.choices)
    rounds = models.PositiveSmallIntegerField(_("Runden"), default=6,
                                              validators=[MinValueValidator(1), MaxValueValidator(MAX_ROUNDS)])
    round_seconds = models.PositiveIntegerField(_("Dauer einer Runde (Sekunden)"), default=7 * 60,
                                                validators=[MinValueValidator(1), MaxValueValidator(4 * 3600)])
    break_seconds = models.PositiveIntegerField(_("Pause zwischen den Runden (Sekunden)"), default=60,
                                                validators=[MaxValueValidator(4 * 3600)])
    clock_starts_at = models.DateTimeField(_("Beginn der ersten Runde"), null=True, blank=True)
    # Speed-dating: tables for two, two sides chosen by organisation kind (or by hand).
    tables = models.PositiveSmallIntegerField(_("Tische"), default=10,
                                              validators=[MinValueValidator(1), MaxValueValidator(MAX_TABLES)])
    side_a_label = models.CharField(_("Bezeichnung Seite A"), max_length=60, default="Startups")
    side_b_label = models.CharField(_("Bezeichnung Seite B"), max_length=60, default="KMU")
    side_a_kinds = models.JSONField(_("Seite A: Arten von Organisationen"), default=list, blank=True)
    side_b_kinds = models.JSONField(_("Seite B: Arten von Organisationen"), default=list, blank=True)
    pair_mode = models.CharField(_("Paare"), max_length=10, choices=PairMode.choices, default=PairMode.ALL)
    # Roundtables: tables of a size, topics and hosts, who should not sit together.
    table_size = models.PositiveSmallIntegerField(_("Personen pro Tisch"), default=6,
                                                  validators=[MinValueValidator(2), MaxValueValidator(1000)])
    table_topics = models.TextField(
        _("Themen und Gastgeber der Tische"), blank=True, max_length=TOPICS_MAX_CHARS,
        validators=[TextLimitValidator(TOPICS_MAX_CHARS)],
        help_text=_("Eine Zeile pro Tisch: Thema | Gastgeber, z. B. „Smart City | Dr. Anna Weber“."))
    separate_colleagues = models.BooleanField(_("Kolleginnen und Kollegen einer Organisation trennen"), default=True)
    separate_partners = models.BooleanField(_("bestehende Match-Partner trennen"), default=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Rundenplanung")
        verbose_name_plural = _("Rundenplanungen")
        constraints = [
            models.UniqueConstraint(fields=["event", "kind"], name="round_setup_unique_kind"),
            models.CheckConstraint(condition=Q(rounds__gte=1), name="round_setup_rounds_positive"),
            models.CheckConstraint(condition=Q(tables__gte=1), name="round_setup_tables_positive"),
            models.CheckConstraint(condition=Q(table_size__gte=2), name="round_setup_table_size_two"),
            models.CheckConstraint(condition=Q(round_seconds__gte=1), name="round_setup_round_length_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.get_kind_display()}"

    @property
    def topic_lines(self) -> list[tuple[str, str]]:
        """(topic, host) per table, in table order."""
        lines = []
        for line in self.table_topics.splitlines():
            if line.strip():
                topic, _sep, host = line.partition("|")
                lines.append((topic.strip(), host.strip()))
        return lines

    def round_window(self, number: int):
        """(start, end) of round ``number`` (1-based) on the clock, or None before it is set."""
        if self.clock_starts_at is None:
            return None
        start = self.clock_starts_at + timedelta(seconds=(number - 1) * (self.round_seconds + self.break_seconds))
        return start, start + timedelta(seconds=self.round_seconds)


class Plan(models.Model):
    """One computed plan; the newest of an event and kind is the one staff work on.

    Once staff release a plan it is frozen: participants see the newest released plan
    (or, before any release, the newest plan), and a hand move after the release makes a
    new released plan (``based_on`` the previous one) and mails only the person moved.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="round_plans",
                              verbose_name=_("Veranstaltung"))
    kind = models.CharField(_("Art"), max_length=12, choices=PlanKind.choices)
    rounds = models.PositiveSmallIntegerField(_("Runden"))
    figures = models.JSONField(_("Kennzahlen"), default=dict, blank=True)
    created_at = models.DateTimeField(_("berechnet am"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("angestoßen von"))
    released_at = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("veröffentlicht von"))
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("geändert aus"))

    class Meta:
        verbose_name = _("Rundenplan")
        verbose_name_plural = _("Rundenpläne")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["event", "kind", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.event} · {self.get_kind_display()} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_released(self) -> bool:
        return self.released_at is not None


class Seat(models.Model):
    """A person at a table in one round of a plan (speed-dating: two per table)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="seats", verbose_name=_("Plan"))
    round = models.PositiveSmallIntegerField(_("Runde"))  # 1-based
    table = models.PositiveSmallIntegerField(_("Tisch"))  # 1-based
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="round_seats",
                                     verbose_name=_("Anmeldung"))
    side = models.CharField(_("Seite"), max_length=3, choices=Side.choices, blank=True)
    topic = models.CharField(_("Thema"), max_length=200, blank=True)
    host = models.CharField(_("Gastgeber"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Platz")
        verbose_name_plural = _("Plätze")
        ordering = ["plan", "round", "table", "side", "pk"]
        constraints = [
            # Each person at most once per round: the database refuses anything else.
            models.UniqueConstraint(fields=["plan", "round", "registration"], name="seat_once_per_round"),
            models.CheckConstraint(condition=Q(round__gte=1) & Q(table__gte=1), name="seat_round_table_positive"),
        ]
        indexes = [models.Index(fields=["registration", "plan"])]

    def __str__(self) -> str:
        return f"{self.registration} · {self.round}/{self.table}"


class SideChoice(models.Model):
    """Staff put a person on a speed-dating side by hand (else the organisation kind decides)."""

    setup = models.ForeignKey(RoundSetup, on_delete=models.CASCADE, related_name="side_choices")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    side = models.CharField(_("Seite"), max_length=3, choices=Side.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["setup", "registration"], name="side_choice_unique")]


class SelectedPair(models.Model):
    """A pair the matching team picked for speed-dating (``PairMode.SELECTED``)."""

    setup = models.ForeignKey(RoundSetup, on_delete=models.CASCADE, related_name="selected_pairs")
    side_a = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    side_b = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["setup", "side_a", "side_b"], name="selected_pair_unique")]


class PlanRun(models.Model):
    """A background run of the engine for one event and kind."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="round_runs",
                              verbose_name=_("Veranstaltung"))
    kind = models.CharField(_("Art"), max_length=12, choices=PlanKind.choices)
    status = models.CharField(_("Status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    message = models.TextField(_("Meldung"), blank=True)
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("angestoßen von"))
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now)
    finished_at = models.DateTimeField(_("fertig um"), null=True, blank=True)

    class Meta:
        verbose_name = _("Planungslauf")
        verbose_name_plural = _("Planungsläufe")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.event} · {self.get_kind_display()} · {self.get_status_display()}"

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)
