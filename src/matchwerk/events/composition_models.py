"""Composition of events: series of events, rules per organisation kind (e.g. startups
2–3, SMEs 7–10) and the engine's proposal of whom to invite. Imported by
``events.models`` (Django finds the models there)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchwerk.events.enums import CandidateStatus
from matchwerk.profiles.enums import OrganisationKind


class EventSeries(models.Model):
    """Events that belong together (e.g. kick-offs in three regions): a proposal over the
    series puts nobody into two of its events unless staff allow it."""

    title = models.CharField(_("Titel der Reihe"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("angelegt von"))
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now)

    class Meta:
        verbose_name = _("Veranstaltungsreihe")
        verbose_name_plural = _("Veranstaltungsreihen")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class KindRule(models.Model):
    """How many organisations of one kind an event should bring together."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="kind_rules",
                              verbose_name=_("Veranstaltung"))
    kind = models.CharField(_("Art der Organisation"), max_length=20, choices=OrganisationKind.choices)
    minimum = models.PositiveSmallIntegerField(_("mindestens"))
    maximum = models.PositiveSmallIntegerField(_("höchstens"))

    class Meta:
        verbose_name = _("Regel je Art")
        verbose_name_plural = _("Regeln je Art")
        ordering = ["event", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["event", "kind"], name="kind_rule_unique"),
            models.CheckConstraint(condition=Q(maximum__gte=F("minimum")) & Q(maximum__gte=1),
                                   name="kind_rule_bounds"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.minimum}–{self.maximum}"


class Candidate(models.Model):
    """An organisation proposed for an event (by ``compose`` or by hand), with the person
    to invite and why; staff adjust the list, then invite."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="candidates",
                              verbose_name=_("Veranstaltung"))
    organisation = models.ForeignKey("profiles.Organisation", on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("Organisation"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("einzuladende Person"))
    status = models.CharField(_("Status"), max_length=10, choices=CandidateStatus.choices,
                              default=CandidateStatus.PROPOSED)
    by_hand = models.BooleanField(_("von Hand"), default=False)
    score = models.FloatField(_("Nähe zu den anderen"), default=0.0)
    # Names of the best-matching others of the same event (the "why" of the proposal).
    partners = models.JSONField(_("passt zu"), default=list, blank=True)
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now)

    class Meta:
        verbose_name = _("Vorschlag für eine Veranstaltung")
        verbose_name_plural = _("Vorschläge für Veranstaltungen")
        ordering = ["event", "organisation__kind", "-score", "organisation__name"]
        constraints = [models.UniqueConstraint(fields=["event", "organisation"], name="candidate_unique")]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.event}"
