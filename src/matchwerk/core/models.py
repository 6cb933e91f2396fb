from __future__ import annotations

import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReadableJSONEncoder(DjangoJSONEncoder):
    """JSON with non-ASCII characters as they are ("Müller", not "M\\u00fcller"), so that a
    text search over the stored JSON finds names on SQLite too (PostgreSQL's jsonb does anyway)."""

    def __init__(self, *args, **kwargs):
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


class AccessLog(models.Model):
    """Staff access to personal data and other noteworthy actions (GDPR accountability)."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("wer"))
    action = models.CharField(_("Aktion"), max_length=60)
    object_type = models.CharField(_("Objektart"), max_length=60, blank=True)
    object_id = models.CharField(_("Objekt"), max_length=60, blank=True)
    data = models.JSONField(_("Daten"), default=dict, blank=True, encoder=ReadableJSONEncoder)
    at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokoll")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type}:{self.object_id}"

    @property
    def detail(self) -> str:
        """``data`` as one readable line (``key=value …``, keys sorted)."""
        return " ".join(f"{key}={value}" for key, value in sorted(self.data.items()))


class WorkerHeartbeat(models.Model):
    """A task worker that is alive: it touches ``seen_at`` every few seconds
    (``matchwerk worker``). A running task whose worker stopped beating is stale."""

    worker_id = models.CharField(_("Worker"), max_length=64, primary_key=True)
    queues = models.CharField(_("Warteschlangen"), max_length=200, blank=True)
    pid = models.PositiveIntegerField(_("Prozess"), default=0)
    host = models.CharField(_("Rechner"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("gestartet"), default=timezone.now)
    seen_at = models.DateTimeField(_("zuletzt gesehen"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("Task-Worker")
        verbose_name_plural = _("Task-Worker")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.queues}) {self.seen_at:%H:%M:%S}"


class TaskRetry(models.Model):
    """A failed task result and the result that retries it (one retry per failure).

    ``attempt`` is the attempt number of the retry (the first run is attempt 1)."""

    failed_result_id = models.CharField(_("fehlgeschlagener Task"), max_length=64, unique=True)
    retry_result_id = models.CharField(_("Wiederholung"), max_length=64, blank=True, db_index=True)
    task_path = models.CharField(_("Task"), max_length=200)
    attempt = models.PositiveSmallIntegerField(_("Versuch"))
    reason = models.CharField(_("Grund"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("angelegt"), default=timezone.now)

    class Meta:
        verbose_name = _("Task-Wiederholung")
        verbose_name_plural = _("Task-Wiederholungen")

    def __str__(self) -> str:
        return f"{self.task_path} attempt {self.attempt}"


class CachedFile(models.Model):
    """An uploaded file kept for a short while in the database (pretix's ``CachedFile``
    idea): between an import's preview and its confirmation, for the import task. Every
    process sees it (no shared folder needed) and it expires by itself."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+", verbose_name=_("gehört"))
    name = models.CharField(_("Dateiname"), max_length=255)
    content_type = models.CharField(_("Inhaltstyp"), max_length=255, blank=True)
    size = models.PositiveIntegerField(_("Größe"), default=0)
    data = models.BinaryField(_("Inhalt"))
    created_at = models.DateTimeField(_("angelegt"), default=timezone.now)
    expires_at = models.DateTimeField(_("läuft ab"), db_index=True)

    class Meta:
        verbose_name = _("zwischengespeicherte Datei")
        verbose_name_plural = _("zwischengespeicherte Dateien")

    def __str__(self) -> str:
        return f"{self.name} ({self.size} B)"


class PeriodicRun(models.Model):
    """One period of a periodic job (``settings.PERIODIC_TASKS``) whose task has been queued:
    the task workers queue a job when its period has no row yet, and the unique pair
    (job, period start) makes sure that several workers queue it only once per period."""

    job = models.CharField(_("Aufgabe"), max_length=60)
    period_start = models.DateTimeField(_("Zeitraum ab"))
    enqueued_at = models.DateTimeField(_("eingereiht"), default=timezone.now)
    task_result_id = models.CharField(_("Task"), max_length=64, blank=True)
    worker_id = models.CharField(_("Worker"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("regelmäßige Aufgabe")
        verbose_name_plural = _("regelmäßige Aufgaben")
        ordering = ["-period_start", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "period_start"], name="periodic_run_once_per_period")]

    def __str__(self) -> str:
        return f"{self.job} {self.period_start:%Y-%m-%d %H:%M}"
