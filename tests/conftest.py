"""Test-wide set-up: tasks run immediately, a fast password hasher, markers by folder."""

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


@pytest.fixture(autouse=True)
def _test_settings(request):
    """Tasks run in the request and mail lands in the outbox; passwords are hashed with a
    fast hasher (argon2 costs ~0.5 s per hash; tests of argon2 itself set it back).
    Pure engine tests need no Django settings at all."""
    if request.node.get_closest_marker("engine"):
        yield
        return
    settings = request.getfixturevalue("settings")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher",
                                 "django.contrib.auth.hashers.Argon2PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    yield


@pytest.fixture
def shared_dir() -> Path:
    """The read-only ../shared folder beside the project (data sets, examples)."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the project")
    return SHARED
