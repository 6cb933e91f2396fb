"""Periodic jobs without cron: a worker's heartbeat queues the due jobs (follow-ups hourly,
retention daily) once per period, however many workers beat; the real worker loop then
sends the due follow-up check-in exactly once."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult
from factories import make_match, make_organisation, make_programme, make_region, make_user

from matchwerk.core.management.commands.worker import Heartbeat
from matchwerk.core.models import PeriodicRun
from matchwerk.core.periodic import periodic_enqueue_due, periodic_jobs

pytestmark = pytest.mark.django_db
FOLLOWUPS = "matchwerk.matching.tasks.send_due_followups"
WEBHOOKS = "matchwerk.api.tasks.retry_lost_webhook_deliveries"
RETENTION = "matchwerk.programmes.retention.tasks.retention_sweep_task"
NOON = datetime(2026, 6, 10, 12, 5, tzinfo=UTC)


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = {"default": {**settings.TASKS["default"], "BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    settings.PERIODIC_TASKS_ENABLED = True


def _queued() -> list[str]:
    return sorted(DBTaskResult.objects.values_list("task_path", flat=True))


def test_periods_start_on_the_full_hour_and_day():
    jobs = {job.name: job for job in periodic_jobs()}
    assert jobs["followups"].period_start(NOON) == datetime(2026, 6, 10, 12, 0, tzinfo=UTC)
    assert jobs["programme_retention"].period_start(NOON) == datetime(2026, 6, 10, tzinfo=UTC)


def test_two_workers_beating_queue_each_due_job_once_per_period():
    mail_worker, default_worker = Heartbeat(worker_id="w-mail", queues=["mail"]), \
        Heartbeat(worker_id="w-default", queues=["default"])
    mail_worker.beat(now=NOON)
    default_worker.beat(now=NOON)
    mail_worker.beat(now=NOON + timedelta(seconds=10))
    assert _queued() == [WEBHOOKS, FOLLOWUPS, RETENTION]
    assert PeriodicRun.objects.get(job="followups").worker_id == "w-mail"
    # the next hour: the follow-up round again, the retention sweep not before the next day
    default_worker.beat(now=NOON + timedelta(hours=1))
    mail_worker.beat(now=NOON + timedelta(hours=1, seconds=10))
    assert _queued() == [WEBHOOKS, WEBHOOKS, FOLLOWUPS, FOLLOWUPS, RETENTION]
    assert periodic_enqueue_due(now=NOON + timedelta(days=1)) == ["followups", "programme_retention",
                                                                  "webhooks_retry"]
    assert _queued() == [WEBHOOKS] * 3 + [FOLLOWUPS] * 3 + [RETENTION] * 2
    # a period already queued by someone else (the row exists): nothing
    assert periodic_enqueue_due(now=NOON + timedelta(days=1, minutes=1)) == []


def test_switched_off_nothing_is_queued(settings):
    settings.PERIODIC_TASKS_ENABLED = False
    Heartbeat(worker_id="w1", queues=["default"]).beat(now=NOON)
    assert _queued() == [] and not PeriodicRun.objects.exists()


def test_a_due_checkin_goes_out_exactly_once_through_the_workers(run_worker):
    from django.utils import timezone

    from matchwerk.matching import services
    from matchwerk.matching.enums import MatchStage

    region = make_region()
    a = make_organisation(owner=make_user(email="anna@example.org"), kind="creative", region=region)
    b = make_organisation(owner=make_user(email="bert@example.org"), kind="sme", region=region)
    match = make_match(a, b, programme=make_programme(regions=[region]), stage=MatchStage.IN_PROGRESS)
    # completed 100 days ago: the 3-month check-in is due now, its reminder not yet
    services.match_stage_change(actor=None, match=match, stage=MatchStage.COMPLETED, system=True,
                                now=timezone.now() - timedelta(days=100))
    mail.outbox.clear()
    now = timezone.now()
    for worker, moment in (("w-mail", now), ("w-default", now), ("w-mail", now + timedelta(hours=1))):
        Heartbeat(worker_id=worker, queues=["default"]).beat(now=moment)
        run_worker(["default"])
        run_worker(["mail"])
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "anna@example.org", "bert@example.org"]
    assert match.followups.get(month=3).sent_at is not None
