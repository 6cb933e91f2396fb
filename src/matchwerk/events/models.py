"""Events, their extra questions, registrations and personal calendar feeds."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchwerk.core.limits import TextLimitValidator
from matchwerk.events.enums import (
    EventAccess, EventFormat, EventStatus, QuestionKind, RegistrationStatus, WallModeration,
)
from matchwerk.profiles.models import Organisation, Region, Topic

# An event's description: a programme page of a few screens.
DESCRIPTION_MAX_CHARS = 10_000

hashtag_validator = RegexValidator(r"^#?\w{2,60}$", _("Ein Hashtag besteht aus Buchstaben, Ziffern und _ "
                                                      "(ohne Leerzeichen), z. B. #DigitalDresden."))

# Fields whose change moves the event in a participant's calendar: changing one of them
# raises ``Event.sequence`` so that calendars update the entry instead of adding a second.
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "venue_name", "venue_address", "online_url", "status")


def new_registration_code() -> str:
    """A short check-in code, easy to type (no 0/O or 1/I/L)."""
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(8))


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class Event(models.Model):
    """One event of the network: from a roundtable evening to a 300-guest conference."""

    title = models.CharField(_("Titel"), max_length=200)
    format = models.CharField(_("Format"), max_length=20, choices=EventFormat.choices)
    description = models.TextField(_("Beschreibung"), blank=True, max_length=DESCRIPTION_MAX_CHARS,
                                   validators=[TextLimitValidator(DESCRIPTION_MAX_CHARS)])
    venue_name = models.CharField(_("Ort"), max_length=200, blank=True,
                                  help_text=_("z. B. Technologiezentrum Dresden, Saal 2"))
    venue_address = models.CharField(_("Adresse"), max_length=300, blank=True)
    venue_host = models.CharField(_("Gastgeber"), max_length=200, blank=True,
                                  help_text=_("z. B. das Technologiezentrum, das die Räume stellt"))
    online_url = models.URLField(_("Link zur Online-Teilnahme"), blank=True)
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    capacity = models.PositiveIntegerField(_("Plätze"))
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="events",
                               verbose_name=_("Region"))
    topics = models.ManyToManyField(Topic, blank=True, related_name="events", verbose_name=_("Themen"))
    programme = models.ForeignKey("programmes.Programme", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="events", verbose_name=_("Programm"),
                                  help_text=_("Ein Programm kann Themen verlangen, ohne die nicht veröffentlicht wird."))
    organisers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="organised_events",
                                        verbose_name=_("Organisationsteam"))
    hashtag = models.CharField(_("Hashtag"), max_length=61, blank=True, validators=[hashtag_validator])
    access = models.CharField(_("Teilnahme"), max_length=12, choices=EventAccess.choices, default=EventAccess.OPEN)
    wall_moderation = models.CharField(_("Moderation der Wand"), max_length=8, choices=WallModeration.choices,
                                       default=WallModeration.BEFORE)
    status = models.CharField(_("Status"), max_length=12, choices=EventStatus.choices, default=EventStatus.DRAFT)
    # The projector link's secret (``/leinwand/<token>/``): a projector PC shows the wall
    # without a staff login; staff create, renew and revoke it.
    projector_token = models.CharField(_("Leinwand-Link"), max_length=64, unique=True, null=True, blank=True,
                                       editable=False)
    registration_deadline = models.DateTimeField(_("Anmeldeschluss"), null=True, blank=True,
                                                 help_text=_("Leer: Anmeldung bis zum Beginn."))
    cancellation_deadline = models.DateTimeField(_("Abmeldeschluss"), null=True, blank=True,
                                                 help_text=_("Bis dann können sich Teilnehmende selbst abmelden; "
                                                             "leer: bis zum Beginn."))
    # Calendar identity: the UID never changes, SEQUENCE rises with every change of
    # time, place or status (RFC 5545 §3.8.7.4).
    uid = models.UUIDField(_("Kalender-UID"), default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("Kalender-Version"), default=0, editable=False)
    series = models.ForeignKey("events.EventSeries", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="events", verbose_name=_("Reihe"))
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies",
                                    verbose_name=_("kopiert von"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("angelegt von"))
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)
    published_at = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Veranstaltung")
        verbose_name_plural = _("Veranstaltungen")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors.setdefault("ends_at", []).append(_("Das Ende muss nach dem Beginn liegen."))
        if self.capacity is not None and self.capacity < 1:
            errors.setdefault("capacity", []).append(_("Eine Veranstaltung braucht mindestens einen Platz."))
        if self.format == EventFormat.ONLINE and not self.online_url:
            errors.setdefault("online_url", []).append(_("Eine Online-Veranstaltung braucht einen Link."))
        if self.format and self.format != EventFormat.ONLINE and not self.venue_name.strip():
            errors.setdefault("venue_name", []).append(_("Bitte geben Sie den Ort an (oder wählen Sie das "
                                                         "Format Online-Veranstaltung)."))
        for field in ("registration_deadline", "cancellation_deadline"):
            value = getattr(self, field)
            if value and self.starts_at and value > self.starts_at:
                errors.setdefault(field, []).append(_("Diese Frist darf nicht nach dem Beginn liegen."))
        if errors:
            raise ValidationError(errors)

    @property
    def is_online(self) -> bool:
        return self.format == EventFormat.ONLINE

    @property
    def is_multi_day(self) -> bool:
        return timezone.localtime(self.starts_at).date() != timezone.localtime(self.ends_at).date()

    @property
    def registration_closes_at(self):
        return self.registration_deadline or self.starts_at

    @property
    def cancellation_closes_at(self):
        return self.cancellation_deadline or self.starts_at


class Question(models.Model):
    """An extra question asked at registration (e.g. dietary needs, which workshop)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions",
                              verbose_name=_("Veranstaltung"))
    label = models.CharField(_("Frage"), max_length=200)
    kind = models.CharField(_("Art"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.TEXT)
    choices = models.TextField(_("Antwortmöglichkeiten"), blank=True, max_length=2000,
                               validators=[TextLimitValidator(2000)], help_text=_("Eine Möglichkeit pro Zeile."))
    required = models.BooleanField(_("Pflichtfrage"), default=False)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Zusatzfrage")
        verbose_name_plural = _("Zusatzfragen")
        ordering = ["event", "position", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def clean(self) -> None:
        if self.kind == QuestionKind.CHOICE and len(self.choice_list) < 2:
            raise ValidationError({"choices": _("Eine Auswahlfrage braucht mindestens zwei Möglichkeiten.")})


class Registration(models.Model):
    """A person's place at an event: invited, confirmed, waiting, declined or cancelled.

    One row per person and event (also after a cancellation: registering again reuses
    it), so the database itself refuses a second registration.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations",
                              verbose_name=_("Veranstaltung"))
    # SET_NULL: an erased account's registrations stay as anonymous rows (events/signals.py).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="event_registrations", verbose_name=_("Konto"))
    name = models.CharField(_("Name"), max_length=150)
    email = models.EmailField(_("E-Mail"))
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="event_registrations", verbose_name=_("für die Organisation"))
    organisation_name = models.CharField(_("Organisation (Freitext)"), max_length=200, blank=True)
    status = models.CharField(_("Status"), max_length=12, choices=RegistrationStatus.choices,
                              default=RegistrationStatus.CONFIRMED)
    answers = models.JSONField(_("Antworten"), default=dict, blank=True)
    walk_in = models.BooleanField(_("vor Ort angemeldet"), default=False)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name=_("angemeldet durch"))
    code = models.CharField(_("Check-in-Code"), max_length=16, unique=True, default=new_registration_code,
                            editable=False)
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("Status geändert am"), default=timezone.now, db_index=True)
    checked_in_at = models.DateTimeField(_("eingecheckt um"), null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name=_("eingecheckt durch"))

    class Meta:
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        ordering = ["event", "status_changed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], condition=Q(user__isnull=False),
                                    name="registration_unique_user_per_event"),
            models.UniqueConstraint(fields=["event", "email"], name="registration_unique_email_per_event"),
        ]
        indexes = [models.Index(fields=["event", "status", "status_changed_at"])]

    def __str__(self) -> str:
        return f"{self.name} · {self.event}"

    @property
    def organisation_label(self) -> str:
        return self.organisation.name if self.organisation_id else self.organisation_name


class CalendarFeed(models.Model):
    """A person's secret calendar subscription URL; revoking deletes it, a new one gets a
    new token."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed",
                                verbose_name=_("Konto"))
    token = models.CharField(_("Token"), max_length=64, unique=True, default=new_feed_token, editable=False)
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now)

    class Meta:
        verbose_name = _("Kalender-Abonnement")
        verbose_name_plural = _("Kalender-Abonnements")

    def __str__(self) -> str:
        return f"{self.user}"


class Feedback(models.Model):
    """A participant's short feedback after the event: one per registration."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="feedback",
                                        verbose_name=_("Anmeldung"))
    rating = models.PositiveSmallIntegerField(_("Bewertung"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    improve = models.TextField(_("Was können wir besser machen?"), blank=True, max_length=2000,
                               validators=[TextLimitValidator(2000)])
    created_at = models.DateTimeField(_("abgegeben am"), default=timezone.now)

    class Meta:
        verbose_name = _("Rückmeldung")
        verbose_name_plural = _("Rückmeldungen")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5),
                                              name="feedback_rating_1_to_5")]

    def __str__(self) -> str:
        return f"{self.registration} · {self.rating}"


from matchwerk.events.session_models import GroupMember, Session  # noqa: E402,F401  (models of the app)
from matchwerk.events.idea_models import EventIdea  # noqa: E402,F401
from matchwerk.events.wall_models import WallPost  # noqa: E402,F401
from matchwerk.events.composition_models import Candidate, EventSeries, KindRule  # noqa: E402,F401
