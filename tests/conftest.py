"""Test-wide set-up: markers by folder. The settings are ``matchwerk.settings_test`` (tasks run
immediately, mail into the locmem outbox, a fast password hasher), named in pyproject.toml."""

from pathlib import Path

import pytest

TESTS = Path(__file__).parent
SHARED = TESTS.parent.parent / "shared"


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = Path(str(item.fspath))
        if TESTS / "engine" in path.parents:
            item.add_marker(pytest.mark.engine)
        if TESTS / "e2e" in path.parents:
            item.add_marker(pytest.mark.e2e)
    # Live-server tests empty every table afterwards (seeded regions and topics too), so
    # they run last.
    items.sort(key=lambda item: TESTS / "e2e" in Path(str(item.fspath)).parents)


def _flushes(item) -> bool:
    """Transactional tests (and live-server ones) end by emptying every table."""
    marker = item.get_closest_marker("django_db")
    names = set(getattr(item, "fixturenames", ()))
    return bool(marker and marker.kwargs.get("transaction")) or bool(names & {"transactional_db", "live_server"})


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test that emptied the tables, put back the rows the migrations seed (regions,
    topics), so that the tests after it in the same process (pytest-xdist mixes the order)
    find the database as migrated."""
    yield
    if nextitem is None or not _flushes(item):
        return
    import importlib

    from django.apps import apps
    from pytest_django.plugin import blocking_manager_key

    seed = importlib.import_module("matchwerk.profiles.migrations.0002_seed_regions_topics").seed
    with item.config.stash[blocking_manager_key].unblock():
        seed(apps, None)


@pytest.fixture
def shared_dir() -> Path:
    """The read-only ../shared folder beside the project (data sets, examples)."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the project")
    return SHARED


@pytest.fixture
def run_worker(monkeypatch):
    """``run_worker(queues, max_tasks=None)``: django-tasks-db's real worker loop in the test
    process (``max_tasks=None``: until no task is ready). Its ``close_old_connections``
    would close the connection of the test's transaction on PostgreSQL, so it is a no-op."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run(queues: list[str], *, max_tasks: int | None = None, worker_id: str = "test-worker") -> None:
        db_worker.Worker(queue_names=queues, interval=0, batch=max_tasks is None, backend_name="default",
                         startup_delay=False, max_tasks=max_tasks, worker_id=worker_id,
                         excluded_queue_names=[]).run()

    return run
