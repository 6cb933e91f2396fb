"""``matchwerk worker``: the task worker of Matchwerk.

Without ``--queue-name`` it supervises one worker process per queue of
``settings.TASK_QUEUES`` ("mail" and "default"), so a mail never waits behind a
recompute, and starts a process again when it dies (the OOM killer, a crash), waiting
longer after each quick death. With ``--queue-name`` it is one worker: django-tasks-db's
``db_worker`` loop plus a heartbeat thread that also sweeps for tasks of dead workers and
retries failed tasks with back-off (``matchwerk.core.taskqueue``) and queues the periodic
jobs (follow-ups, retention: ``matchwerk.core.periodic``), so no cron is needed.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.db import OperationalError, close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from matchwerk.core import periodic, taskqueue

logger = logging.getLogger("matchwerk.tasks")


class Heartbeat(threading.Thread):
    """Beats every TASK_HEARTBEAT_SECONDS; each beat runs one recovery sweep and queues the
    periodic jobs that are due (``matchwerk.core.periodic``)."""

    def __init__(self, *, worker_id: str, queues: list[str]):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id, self.queues = worker_id, queues
        self.stopping = threading.Event()

    def beat(self, *, now=None) -> None:
        try:
            taskqueue.worker_beat(worker_id=self.worker_id, queues=self.queues, now=now)
            recovery = taskqueue.tasks_recover(now=now)
            if recovery.stale or recovery.retried or recovery.given_up:
                logger.warning("Recovery: %d stale, %d retried, %d given up",
                               len(recovery.stale), len(recovery.retried), len(recovery.given_up))
            periodic.periodic_enqueue_due(now=now, worker_id=self.worker_id)
        except OperationalError:  # a locked SQLite database: try again at the next beat
            logger.warning("Heartbeat of %s skipped: database busy", self.worker_id)

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                close_old_connections()  # this thread's own connection
                self.beat()
                self.stopping.wait(settings.TASK_HEARTBEAT_SECONDS)
        finally:
            connection.close()


class Command(DbWorkerCommand):
    help = "Run the task workers (one per queue, restarted when they die), or one worker with --queue-name"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(queue_name="", reload=False)

    def handle(self, *args, **options) -> None:
        if not options["queue_name"]:
            return self.supervise(interval=options["interval"], verbosity=options["verbosity"])
        heartbeat = Heartbeat(worker_id=options["worker_id"], queues=options["queue_name"].split(","))
        heartbeat.beat()  # registered (and old tasks recovered) before the first task is claimed
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stopping.set()
            heartbeat.join(timeout=5)
            taskqueue.worker_gone(worker_id=options["worker_id"])

    def supervise(self, *, interval: float, verbosity: int) -> None:
        children: dict[str, tuple[subprocess.Popen, float]] = {}
        failures: dict[str, int] = {queue: 0 for queue in settings.TASK_QUEUES}
        stopping = False

        def start(queue: str) -> None:
            command = [sys.executable, "-m", "matchwerk", "worker", "--queue-name", queue,
                       "--interval", str(interval), "--verbosity", str(verbosity)]
            children[queue] = (subprocess.Popen(command), time.monotonic())

        def stop(signum, frame) -> None:
            nonlocal stopping
            stopping = True
            for process, _ in children.values():
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        for queue in settings.TASK_QUEUES:
            start(queue)
        self.stdout.write(f"Task workers for queues {', '.join(settings.TASK_QUEUES)} started")
        while not stopping:
            time.sleep(1)
            for queue, (process, started) in list(children.items()):
                code = process.poll()
                if code is None or stopping:
                    continue
                quick = time.monotonic() - started < 60
                failures[queue] = failures[queue] + 1 if quick else 0
                wait = min(2 ** failures[queue], 60)
                self.stderr.write(f"Worker for queue {queue!r} ended with status {code}; restarting in {wait} s")
                time.sleep(wait)
                if not stopping:
                    start(queue)
        for process, _ in children.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


__all__ = ["Command", "Heartbeat", "Worker"]
