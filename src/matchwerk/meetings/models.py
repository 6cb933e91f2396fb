"""Brokerage settings of an event, meeting requests, the meeting plan in versions, and
feedback after each meeting.

People are the event's registrations (confirmed, with an account). A plan version holds
meetings (one per accepted request at most) and, per meeting, one seat per person: the
database refuses a person twice in one slot (``seat_unique_person_slot``) and a table
twice in one slot (``meeting_unique_table_slot``) within a version, whoever writes.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchwerk.core.limits import TextLimitValidator
from matchwerk.events.models import Event, Registration
from matchwerk.meetings.enums import ACTIVE_RUN_STATUSES, OPEN_REQUEST_STATUSES, Priority, RequestStatus, \
    RunStatus, VersionStatus

MESSAGE_MAX_CHARS = 1000


class Brokerage(models.Model):
    """The 1:1 meeting settings of one event (a brokerage day, a conference's meetings)."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="brokerage",
                                 verbose_name=_("Veranstaltung"))
    meeting_minutes = models.PositiveSmallIntegerField(_("Gesprächsdauer (Minuten)"), default=20,
                                                       validators=[MinValueValidator(5), MaxValueValidator(240)])
    tables = models.PositiveIntegerField(_("Tische"), default=20,
                                         help_text=_("So viele Gespräche passen gleichzeitig in einen Zeitabschnitt."))
    min_meetings = models.PositiveSmallIntegerField(_("Gespräche pro Person (mindestens)"), default=0)
    max_meetings = models.PositiveSmallIntegerField(_("Gespräche pro Person (höchstens)"), null=True, blank=True,
                                                    help_text=_("Leer: so viele, wie Zeitabschnitte frei sind."))
    requests_open_at = models.DateTimeField(_("Anfragen ab"), null=True, blank=True,
                                            help_text=_("Leer: ab sofort."))
    requests_close_at = models.DateTimeField(_("Anfragen bis"), null=True, blank=True,
                                             help_text=_("Leer: bis zum Beginn der Veranstaltung."))
    self_booking = models.BooleanField(_("Selbstbuchung nach Veröffentlichung"), default=False,
                                       help_text=_("Nach der Veröffentlichung des Plans dürfen Teilnehmende freie "
                                                   "gemeinsame Zeiten für angenommene Anfragen selbst buchen."))
    # Raised by every change of the working version; a plan run stores its result only
    # when nothing changed while it ran.
    revision = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now)

    class Meta:
        verbose_name = _("Gesprächsbörse")
        verbose_name_plural = _("Gesprächsbörsen")
        constraints = [
            models.CheckConstraint(condition=Q(tables__gte=1), name="brokerage_tables_positive"),
            models.CheckConstraint(condition=Q(meeting_minutes__gte=5), name="brokerage_minutes_min"),
            models.CheckConstraint(condition=Q(max_meetings__isnull=True) | Q(max_meetings__gte=F("min_meetings")),
                                   name="brokerage_max_ge_min"),
        ]

    def __str__(self) -> str:
        return str(self.event)

    @property
    def requests_closes_at(self):
        return self.requests_close_at or self.event.starts_at


class Session(models.Model):
    """A block of consecutive meeting slots (e.g. 09:00–12:00); time between blocks is a break."""

    brokerage = models.ForeignKey(Brokerage, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))

    class Meta:
        verbose_name = _("Gesprächsblock")
        verbose_name_plural = _("Gesprächsblöcke")
        ordering = ["starts_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="meeting_session_ends_after_start")]


class Slot(models.Model):
    """One meeting time, made from the sessions and the meeting length."""

    brokerage = models.ForeignKey(Brokerage, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))

    class Meta:
        verbose_name = _("Zeitabschnitt")
        verbose_name_plural = _("Zeitabschnitte")
        ordering = ["starts_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["brokerage", "starts_at"], name="slot_unique_start")]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return local.strftime("%d.%m. %H:%M")

    @property
    def key(self) -> str:
        return timezone.localtime(self.starts_at).strftime("%Y-%m-%d %H:%M")


class Booth(models.Model):
    """An exhibitor's fixed table: all their meetings take place there."""

    brokerage = models.ForeignKey(Brokerage, on_delete=models.CASCADE, related_name="booths")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="booths")
    table = models.PositiveIntegerField(_("Tisch"))

    class Meta:
        verbose_name = _("Stand")
        verbose_name_plural = _("Stände")
        ordering = ["table"]
        constraints = [
            models.UniqueConstraint(fields=["brokerage", "registration"], name="booth_unique_person"),
            models.UniqueConstraint(fields=["brokerage", "table"], name="booth_unique_table"),
            models.CheckConstraint(condition=Q(table__gte=1), name="booth_table_positive"),
        ]


class Absence(models.Model):
    """A slot a participant cannot attend (everyone is available unless they say so)."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="meeting_absences")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="absences")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "slot"], name="absence_unique")]


class Hidden(models.Model):
    """"No thanks": ``hidden`` no longer appears in ``registration``'s suggestions."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="meeting_hidden")
    hidden = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "hidden"], name="hidden_unique")]


class MeetingRequest(models.Model):
    """A request for a 1:1 meeting; a meeting needs both "yes" (the request and its acceptance).

    The request is also the meeting's identity in calendars: ``uid`` stays, ``sequence``
    rises whenever a released version moves or drops the meeting.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meeting_requests")
    requester = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="meeting_requests_sent",
                                  verbose_name=_("angefragt von"))
    receiver = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="meeting_requests_received",
                                 verbose_name=_("angefragt bei"))
    message = models.TextField(_("Nachricht"), blank=True, max_length=MESSAGE_MAX_CHARS,
                               validators=[TextLimitValidator(MESSAGE_MAX_CHARS)])
    priority = models.PositiveSmallIntegerField(_("Priorität"), choices=Priority.choices, default=Priority.WOULD_LIKE)
    status = models.CharField(_("Status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    created_at = models.DateTimeField(_("angefragt am"), default=timezone.now)
    answered_at = models.DateTimeField(_("beantwortet am"), null=True, blank=True)
    added_by_staff = models.BooleanField(default=False)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # The last released version dropped this meeting (calendars get STATUS:CANCELLED).
    calendar_cancelled = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("Gesprächsanfrage")
        verbose_name_plural = _("Gesprächsanfragen")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(requester=F("receiver")), name="meeting_request_not_self"),
            models.UniqueConstraint(fields=["requester", "receiver"], condition=Q(status__in=OPEN_REQUEST_STATUSES),
                                    name="meeting_request_one_open"),
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"{self.requester.name} → {self.receiver.name}"

    def other(self, registration: Registration | int) -> Registration:
        """The other person of the request (``registration``: one of the two, or its id)."""
        pk = registration if isinstance(registration, int) else registration.pk
        return self.receiver if pk == self.requester_id else self.requester


class PlanVersion(models.Model):
    """One version of an event's meeting plan: at most one preliminary (the working copy);
    released versions are frozen."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="plan_versions")
    number = models.PositiveIntegerField(_("Version"))
    status = models.CharField(_("Status"), max_length=12, choices=VersionStatus.choices,
                              default=VersionStatus.PRELIMINARY)
    figures = models.JSONField(_("Kennzahlen"), default=dict, blank=True)
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    released_at = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = _("Planversion")
        verbose_name_plural = _("Planversionen")
        ordering = ["event", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="plan_version_unique_number"),
            models.UniqueConstraint(fields=["event"], condition=Q(status=VersionStatus.PRELIMINARY),
                                    name="plan_version_one_preliminary"),
        ]

    def __str__(self) -> str:
        return f"{self.event} · v{self.number}"

    @property
    def is_released(self) -> bool:
        return self.status == VersionStatus.RELEASED


class Meeting(models.Model):
    """A meeting of a plan version: a request in a slot at a table."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="meetings")
    request = models.ForeignKey(MeetingRequest, on_delete=models.CASCADE, related_name="meetings")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="meetings")
    table = models.PositiveIntegerField(_("Tisch"))
    locked = models.BooleanField(_("fest"), default=False)

    class Meta:
        verbose_name = _("Gespräch")
        verbose_name_plural = _("Gespräche")
        ordering = ["slot__starts_at", "table"]
        constraints = [
            models.UniqueConstraint(fields=["version", "request"], name="meeting_unique_request"),
            models.UniqueConstraint(fields=["version", "slot", "table"], name="meeting_unique_table_slot"),
            models.CheckConstraint(condition=Q(table__gte=1), name="meeting_table_positive"),
        ]


class Seat(models.Model):
    """One person's place in a meeting; unique per person and slot within a version."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="seats")
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="+")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="+")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="meeting_seats")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "slot", "registration"],
                                               name="seat_unique_person_slot")]
        indexes = [models.Index(fields=["registration", "version"])]


class PlanRun(models.Model):
    """A background run of the scheduler for an event; at most one queued or running."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="plan_runs")
    status = models.CharField(_("Status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.FloatField(default=0.0)
    message = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    base_revision = models.PositiveIntegerField(default=0)
    cancel_requested = models.BooleanField(default=False)
    version = models.ForeignKey(PlanVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Planberechnung")
        verbose_name_plural = _("Planberechnungen")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["event"], condition=Q(status__in=ACTIVE_RUN_STATUSES),
                                               name="plan_run_one_active")]

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_RUN_STATUSES


class MeetingFeedback(models.Model):
    """One side's feedback after a meeting: rating, continue or not, no-show report."""

    request = models.ForeignKey(MeetingRequest, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="meeting_feedback")
    rating = models.PositiveSmallIntegerField(_("Bewertung"), null=True, blank=True,
                                              validators=[MinValueValidator(1), MaxValueValidator(5)])
    wants_to_continue = models.BooleanField(_("weiter zusammenarbeiten"), default=False)
    no_show = models.BooleanField(_("Gegenüber nicht erschienen"), default=False)
    note = models.TextField(_("Notiz für das Matching-Team"), blank=True, max_length=1000,
                            validators=[TextLimitValidator(1000)])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Rückmeldung zum Gespräch")
        verbose_name_plural = _("Rückmeldungen zu Gesprächen")
        constraints = [
            models.UniqueConstraint(fields=["request", "author"], name="meeting_feedback_unique"),
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                                   name="meeting_feedback_rating_1_to_5"),
        ]
