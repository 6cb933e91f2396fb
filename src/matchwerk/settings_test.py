"""Settings for the test suite (pytest's DJANGO_SETTINGS_MODULE): the real settings with
tasks run in the request, mail into Django's locmem outbox and a fast password hasher
(argon2 costs ~0.5 s per hash; tests of argon2 itself put it first again)."""

from matchwerk.settings import *  # noqa: F403
from matchwerk.settings import TASK_QUEUES

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": TASK_QUEUES}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher",
                    "django.contrib.auth.hashers.Argon2PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Webhook tests deliver to a real HTTP server on 127.0.0.1.
WEBHOOK_ALLOW_PRIVATE = True
WEBHOOK_TIMEOUT = 5

# Receipts written by tests go to a throw-away folder, not into var/.
import os  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

# One folder per pytest-xdist worker, so parallel workers never share files.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
RECEIPTS_ROOT = Path(tempfile.gettempdir()) / f"matchwerk-test-receipts-{_WORKER}"

# Table rotation stops at its time limit unless it proves zero repeats; the tests check
# rules and invariants, not how far ten seconds of search get (bench/optimise.py does that).
ROUNDS_ROTATE_SECONDS = 1
PEER_MATERIAL_ROOT = Path(tempfile.gettempdir()) / f"matchwerk-test-peer-material-{_WORKER}"
WALL_PHOTOS_ROOT = Path(tempfile.gettempdir()) / f"matchwerk-test-wall-photos-{_WORKER}"
