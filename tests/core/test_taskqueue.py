"""Robust tasks: a task whose worker died is marked failed and retried with back-off, up to
TASK_MAX_ATTEMPTS attempts; a live worker's task is left alone."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from matchwerk.core import taskqueue
from matchwerk.core.management.commands.worker import Heartbeat
from matchwerk.core.models import TaskRetry, WorkerHeartbeat
from matchwerk.core.tasks import send_mail
from matchwerk.matching.tasks import recompute_suggestions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = {"default": {**settings.TASKS["default"], "BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    settings.TASK_WORKER_TIMEOUT = 120
    settings.TASK_MAX_RUNTIME = 3600
    settings.TASK_MAX_ATTEMPTS = 3
    settings.TASK_RETRY_DELAY = 30
    settings.PERIODIC_TASKS_ENABLED = False  # tests/core/test_periodic.py covers the periodic jobs


def _running(task_result_id, *, worker: str, started_minutes_ago: float) -> DBTaskResult:
    result = DBTaskResult.objects.get(pk=task_result_id)
    result.claim(worker)
    DBTaskResult.objects.filter(pk=result.pk).update(started_at=timezone.now() - timedelta(minutes=started_minutes_ago))
    return result


def _ready_retries():
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY)


def test_task_of_a_killed_worker_is_marked_failed_and_retried_after_a_delay():
    # The worker claimed a recompute 10 minutes ago and was killed (its last beat: 9 minutes ago).
    task = recompute_suggestions.enqueue(programme_id=4)
    taskqueue.worker_beat(worker_id="oom-killed", queues=["default"], now=timezone.now() - timedelta(minutes=9))
    _running(task.id, worker="oom-killed", started_minutes_ago=10)
    now = timezone.now()
    recovery = taskqueue.tasks_recover(now=now)
    failed = DBTaskResult.objects.get(pk=task.id)
    assert recovery.stale == [str(task.id)]
    assert failed.status == TaskResultStatus.FAILED and failed.finished_at == now
    assert failed.exception_class_path == "matchwerk.core.taskqueue.WorkerLost"
    assert "oom-killed stopped beating" in failed.traceback
    [retry] = _ready_retries()
    assert retry.task_path == "matchwerk.matching.tasks.recompute_suggestions"
    assert retry.args_kwargs == {"args": [], "kwargs": {"programme_id": 4}} and retry.queue_name == "default"
    assert retry.run_after == now + timedelta(seconds=30)
    assert not DBTaskResult.objects.ready().exists()  # not before the back-off has passed
    assert taskqueue.task_attempts(result_id=retry.pk) == 2
    assert taskqueue.tasks_recover(now=now).retried == []  # one retry per failure, not one per sweep


def test_task_of_a_live_worker_is_left_running():
    task = recompute_suggestions.enqueue()
    taskqueue.worker_beat(worker_id="busy", queues=["default"])
    _running(task.id, worker="busy", started_minutes_ago=50)
    recovery = taskqueue.tasks_recover()
    assert recovery.stale == [] and recovery.retried == []
    assert DBTaskResult.objects.get(pk=task.id).status == TaskResultStatus.RUNNING


def test_task_just_claimed_by_a_worker_without_heartbeat_gets_a_grace_period():
    task = recompute_suggestions.enqueue()
    _running(task.id, worker="starting", started_minutes_ago=0.5)
    assert taskqueue.tasks_recover().stale == []


def test_task_running_longer_than_the_limit_fails_even_if_its_worker_beats(settings):
    settings.TASK_MAX_RUNTIME = 600
    task = recompute_suggestions.enqueue()
    taskqueue.worker_beat(worker_id="stuck", queues=["default"])
    _running(task.id, worker="stuck", started_minutes_ago=11)
    assert taskqueue.tasks_recover().stale == [str(task.id)]
    assert "running longer than 600 s" in DBTaskResult.objects.get(pk=task.id).traceback


def test_back_off_grows_and_retries_stop_after_the_last_attempt():
    now = timezone.now()
    task = recompute_suggestions.enqueue()
    current = task.id
    delays = []
    for attempt in (1, 2, 3):
        _running(current, worker=f"dead-{attempt}", started_minutes_ago=30)
        recovery = taskqueue.tasks_recover(now=now)
        assert recovery.stale == [str(current)]
        if attempt == 3:
            assert recovery.retried == [] and recovery.given_up == [str(current)]
            break
        [current] = recovery.retried
        delays.append(DBTaskResult.objects.get(pk=current).run_after - now)
    assert delays == [timedelta(seconds=30), timedelta(seconds=120)]
    assert not _ready_retries().exists()
    assert list(TaskRetry.objects.order_by("attempt").values_list("attempt", flat=True)) == [2, 3, 4]
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 3


def test_a_task_that_raises_is_retried_and_the_retry_can_succeed(settings, run_worker):
    """A real failure in the real worker loop: the mail template is missing at the first attempt."""
    result = send_mail.enqueue(to="a@example.org", template="core/mail/missing", context={})
    run_worker(["mail"], worker_id="w1")
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.FAILED
    [retry_id] = taskqueue.tasks_recover().retried
    # Pretend the back-off has passed and the template exists now (fixed by a deploy).
    DBTaskResult.objects.filter(pk=retry_id).update(
        run_after=timezone.now() - timedelta(seconds=1),
        args_kwargs={"args": [], "kwargs": {"to": "a@example.org", "template": "accounts/mail/signup_attempt",
                                            "context": {"name": "A"}, "language": ""}})
    run_worker(["mail"], worker_id="w1")
    assert DBTaskResult.objects.get(pk=retry_id).status == TaskResultStatus.SUCCESSFUL
    assert [m.to for m in mail.outbox] == [["a@example.org"]]


def test_heartbeat_registers_the_worker_and_sweeps():
    task = recompute_suggestions.enqueue()
    _running(task.id, worker="gone-long-ago", started_minutes_ago=60)
    Heartbeat(worker_id="w-new", queues=["default"]).beat()
    assert WorkerHeartbeat.objects.get(worker_id="w-new").queues == "default"
    assert DBTaskResult.objects.get(pk=task.id).status == TaskResultStatus.FAILED
    assert _ready_retries().count() == 1


def test_a_worker_that_stops_cleanly_leaves_no_heartbeat():
    taskqueue.worker_beat(worker_id="w", queues=["mail"])
    taskqueue.worker_gone(worker_id="w")
    assert not WorkerHeartbeat.objects.exists()
