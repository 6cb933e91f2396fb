"""A task for the killed-worker test (imported by the worker subprocesses): the first run
leaves a mark and sleeps until it is killed; a later run finds the mark and finishes."""

import time
from pathlib import Path

from django_tasks import task


@task()
def sleep_first_time(mark: str) -> str:
    path = Path(mark)
    if not path.exists():
        path.write_text("started")
        time.sleep(600)
    return "done"
