"""The real thing: `matchwerk worker` processes on a file SQLite database; the worker running
a task is killed with SIGKILL (as the OOM killer does). The task is marked failed
(WorkerLost) and retried, and the retry runs to the end in the worker started next."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).parent
# Its own file database in any run; the PostgreSQL pass of `make test` need not repeat it.
pytestmark = pytest.mark.skipif(bool(os.environ.get("MATCHWERK_DATABASE_URL")), reason="runs in the SQLite pass")


def _env(tmp_path):
    return {**os.environ, "MATCHWERK_DATA_DIR": str(tmp_path), "MATCHWERK_DATABASE_URL": "",
            "MATCHWERK_TASKS": "database", "MATCHWERK_PRODUCTION": "", "DJANGO_SETTINGS_MODULE": "matchwerk.settings",
            "MATCHWERK_TASK_HEARTBEAT_SECONDS": "1", "MATCHWERK_TASK_WORKER_TIMEOUT": "3",
            "MATCHWERK_TASK_RETRY_DELAY": "0", "MATCHWERK_PERIODIC_TASKS": "off",  # only the test's own task
            "PYTHONPATH": os.pathsep.join([str(HERE / "workerkill"), os.environ.get("PYTHONPATH", "")])}


def _tasks(env) -> list:
    with sqlite3.connect(Path(env["MATCHWERK_DATA_DIR"]) / "matchwerk.sqlite3", timeout=30) as db:
        return [list(row) for row in db.execute(
            "SELECT task_path, status, exception_class_path FROM django_tasks_database_dbtaskresult ORDER BY enqueued_at")]


def _wait(env, predicate, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        tasks = _tasks(env)
        if predicate(tasks):
            return tasks
        time.sleep(0.5)
    raise AssertionError(f"timed out; tasks: {tasks}")


def _worker(env):
    return subprocess.Popen([sys.executable, "-m", "matchwerk", "worker", "--queue-name", "default",
                             "--interval", "0.2", "--no-startup-delay"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_killed_workers_task_is_failed_and_retried_to_the_end(tmp_path):
    env = _env(tmp_path)
    migrated = subprocess.run([sys.executable, "-m", "matchwerk", "migrate", "-v", "0"], env=env,
                              capture_output=True, text=True, timeout=300)
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    enqueue = ("import django; django.setup(); from slow_tasks import sleep_first_time; "
               f"sleep_first_time.enqueue(mark={str(tmp_path / 'mark')!r})")
    assert subprocess.run([sys.executable, "-c", enqueue], env=env, timeout=120).returncode == 0
    first = _worker(env)
    try:
        _wait(env, lambda tasks: tasks and tasks[0][1] == "RUNNING" and (tmp_path / "mark").exists())
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    second = _worker(env)
    try:
        tasks = _wait(env, lambda tasks: len(tasks) == 2 and tasks[1][1] == "SUCCESSFUL")
    finally:
        second.terminate()
        second.wait(timeout=30)
    assert tasks[0] == ["slow_tasks.sleep_first_time", "FAILED", "matchwerk.core.taskqueue.WorkerLost"]
    assert tasks[1][:2] == ["slow_tasks.sleep_first_time", "SUCCESSFUL"]
