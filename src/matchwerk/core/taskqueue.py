"""Robust background tasks on top of django-tasks' database backend.

django-tasks-db (0.13) claims a task by setting it RUNNING and sets it SUCCESSFUL or FAILED
when the task returns or raises; it has no notion of a worker that dies (the OOM killer,
a power cut): such a task stays RUNNING forever, and failed tasks are never retried.
This module adds both, used by ``matchwerk worker`` (every few seconds, in a thread
beside the worker loop):

* ``worker_beat`` — a worker's heartbeat row (``WorkerHeartbeat``).
* ``tasks_mark_stale`` — a RUNNING task whose worker has not beaten for
  ``TASK_WORKER_TIMEOUT`` seconds (or that has run longer than ``TASK_MAX_RUNTIME``)
  is marked FAILED with ``WorkerLost``.
* ``tasks_retry_failed`` — every FAILED task is enqueued again (same task, arguments,
  queue and priority) after ``TASK_RETRY_DELAY * 4 ** (attempt - 2)`` seconds, until it
  has run ``TASK_MAX_ATTEMPTS`` times; ``TaskRetry`` links each failure to its retry.

Tasks must therefore tolerate running more than once (at-least-once semantics).
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from matchwerk.core.models import TaskRetry, WorkerHeartbeat

logger = logging.getLogger("matchwerk.tasks")

# Failures older than this are not looked at any more (a worker that was down for
# longer does not replay a day of old failures).
RETRY_WINDOW = timedelta(days=1)


class WorkerLost(Exception):
    """The worker running a task died or stopped beating (recorded as the task's error)."""


@dataclass
class Recovery:
    stale: list[str] = field(default_factory=list)
    retried: list[str] = field(default_factory=list)
    given_up: list[str] = field(default_factory=list)


def worker_beat(*, worker_id: str, queues: list[str], now: datetime | None = None) -> None:
    now = now or timezone.now()
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={
        "seen_at": now, "queues": ",".join(queues)[:200], "pid": os.getpid(), "host": socket.gethostname()[:200],
    }, create_defaults={
        "seen_at": now, "started_at": now, "queues": ",".join(queues)[:200], "pid": os.getpid(),
        "host": socket.gethostname()[:200],
    })


def worker_gone(*, worker_id: str) -> None:
    """A worker that stops cleanly removes its heartbeat: its unfinished task is stale at once."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def workers_alive(*, now: datetime | None = None) -> set[str]:
    since = (now or timezone.now()) - timedelta(seconds=settings.TASK_WORKER_TIMEOUT)
    return set(WorkerHeartbeat.objects.filter(seen_at__gte=since).values_list("worker_id", flat=True))


def tasks_mark_stale(*, now: datetime | None = None) -> list[str]:
    """Mark RUNNING tasks of dead workers (or running too long) FAILED; returns their ids."""
    now = now or timezone.now()
    alive = workers_alive(now=now)
    grace = now - timedelta(seconds=settings.TASK_WORKER_TIMEOUT)
    too_long = now - timedelta(seconds=settings.TASK_MAX_RUNTIME)
    stale = []
    for result in DBTaskResult.objects.running().filter(started_at__lt=grace).only("id", "worker_ids", "started_at"):
        worker = result.worker_ids[-1] if result.worker_ids else ""
        if worker in alive and result.started_at >= too_long:
            continue
        reason = (f"worker {worker} stopped beating" if worker not in alive
                  else f"running longer than {settings.TASK_MAX_RUNTIME} s")
        updated = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED, finished_at=now, return_value=None,
            exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
            traceback=f"{WorkerLost.__qualname__}: {reason}\n",
        )
        if updated:
            logger.warning("Task %s marked failed: %s", result.pk, reason)
            stale.append(str(result.pk))
    return stale


def _attempt_of(result_id: str) -> int:
    previous = TaskRetry.objects.filter(retry_result_id=result_id).values_list("attempt", flat=True).first()
    return previous or 1


def retry_delay(attempt: int) -> timedelta:
    """The wait before ``attempt`` (2, 3, …): TASK_RETRY_DELAY, then four times as long each time."""
    return timedelta(seconds=settings.TASK_RETRY_DELAY * 4 ** max(attempt - 2, 0))


def tasks_retry_failed(*, now: datetime | None = None) -> tuple[list[str], list[str]]:
    """Enqueue a retry of every recent failure not handled yet; returns (retried, given up)."""
    now = now or timezone.now()
    since = now - RETRY_WINDOW
    handled = set(TaskRetry.objects.filter(created_at__gte=since).values_list("failed_result_id", flat=True))
    failures = DBTaskResult.objects.failed().filter(finished_at__gte=since).order_by("finished_at")
    retried, given_up = [], []
    for failure in failures:
        failure_id = str(failure.pk)
        if failure_id in handled:
            continue
        attempt = _attempt_of(failure_id) + 1
        reason = failure.exception_class_path.rsplit(".", 1)[-1][:200]
        try:
            with transaction.atomic():
                record = TaskRetry.objects.create(failed_result_id=failure_id, task_path=failure.task_path[:200],
                                                  attempt=attempt, reason=reason)
                if attempt > settings.TASK_MAX_ATTEMPTS:
                    logger.error("Task %s (%s) failed %d times; not retried again", failure_id,
                                 failure.task_path, attempt - 1)
                    given_up.append(failure_id)
                    continue
                try:
                    task = failure.task
                except Exception:  # the task's code is gone: nothing to retry
                    logger.exception("Task %s: cannot load %s", failure_id, failure.task_path)
                    given_up.append(failure_id)
                    continue
                args = failure.args_kwargs
                run_after = now + retry_delay(attempt)
                again = task.using(run_after=run_after).enqueue(*args["args"], **args["kwargs"])
                record.retry_result_id = str(again.id)
                record.save(update_fields=["retry_result_id"])
        except IntegrityError:  # another worker handled this failure a moment ago
            continue
        logger.warning("Task %s (%s) failed (%s); attempt %d runs after %s", failure_id, failure.task_path,
                       reason, attempt, run_after.isoformat(timespec="seconds"))
        retried.append(str(again.id))
    return retried, given_up


def tasks_recover(*, now: datetime | None = None) -> Recovery:
    """One sweep: stale tasks failed, failures retried, old heartbeats removed."""
    now = now or timezone.now()
    recovery = Recovery(stale=tasks_mark_stale(now=now))
    recovery.retried, recovery.given_up = tasks_retry_failed(now=now)
    WorkerHeartbeat.objects.filter(seen_at__lt=now - RETRY_WINDOW).delete()
    return recovery


def task_attempts(*, result_id: str) -> int:
    """Which attempt a task result is (1 for the first run)."""
    return _attempt_of(str(result_id))
