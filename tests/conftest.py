"""Test-wide set-up: tasks run immediately, markers by folder (engine, e2e)."""

import os
from pathlib import Path

os.environ.setdefault("MATCHWERK_TASKS", "immediate")

import pytest  # noqa: E402

TESTS = Path(__file__).parent
SHARED = TESTS.parent.parent / "shared"


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = Path(str(item.fspath))
        if TESTS / "engine" in path.parents:
            item.add_marker(pytest.mark.engine)
        if TESTS / "e2e" in path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def shared_dir() -> Path:
    """The read-only ../shared folder beside the project (data sets, examples)."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the project")
    return SHARED
