"""Periodic jobs without cron: the task workers queue them themselves.

``settings.PERIODIC_TASKS`` names each job's task and its period in seconds (hourly
follow-up check-ins and milestone reminders, the daily retention sweep). At every
heartbeat (``matchwerk worker``, every ``TASK_HEARTBEAT_SECONDS``) each worker calls
``periodic_enqueue_due``: a job whose current period (periods are counted from the Unix
epoch, so an hourly job's period starts on the full hour UTC) has no ``PeriodicRun`` row
yet gets one and its task is queued, in one transaction. The row's unique
(job, period start) pair lets only one of several workers (one per queue, or several
machines) queue it; the others see the row or lose the insert and skip. A worker that was
down for a while queues each job once when it is back (no replay of missed periods).

The jobs themselves are idempotent as well (a follow-up round sends nothing twice, a
retention run erases nothing twice), so running the management commands from cron
beside the workers does no harm.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from matchwerk.core.models import PeriodicRun

logger = logging.getLogger("matchwerk.tasks")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
KEEP_RUNS = timedelta(days=90)  # rows older than this are removed (the history of the last months stays)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task_path: str
    every: timedelta

    def period_start(self, now: datetime) -> datetime:
        seconds = int(self.every.total_seconds())
        elapsed = int((now - EPOCH).total_seconds())
        return EPOCH + timedelta(seconds=elapsed - elapsed % seconds)


def periodic_jobs() -> list[PeriodicJob]:
    if not settings.PERIODIC_TASKS_ENABLED:
        return []
    return [PeriodicJob(name=name, task_path=job["task"], every=timedelta(seconds=int(job["every"])))
            for name, job in settings.PERIODIC_TASKS.items()]


def periodic_enqueue_due(*, now: datetime | None = None, worker_id: str = "") -> list[str]:
    """Queue every periodic job whose current period has not been queued yet (by anyone);
    returns the names of the jobs this call queued."""
    now = now or timezone.now()
    queued = []
    for job in periodic_jobs():
        start = job.period_start(now)
        if PeriodicRun.objects.filter(job=job.name, period_start=start).exists():
            continue
        try:
            with transaction.atomic():
                run = PeriodicRun.objects.create(job=job.name, period_start=start, enqueued_at=now,
                                                 worker_id=worker_id[:64])
                result = import_string(job.task_path).enqueue()
                run.task_result_id = str(result.id)[:64]
                run.save(update_fields=["task_result_id"])
        except IntegrityError:  # another worker queued this period a moment ago
            continue
        logger.info("Periodic job %s queued for the period from %s", job.name, start.isoformat())
        queued.append(job.name)
    if queued:
        PeriodicRun.objects.filter(period_start__lt=now - KEEP_RUNS).delete()
    return queued
