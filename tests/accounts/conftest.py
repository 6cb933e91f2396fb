import pytest
from django.core import mail

ARGON2_FIRST = ["django.contrib.auth.hashers.Argon2PasswordHasher",
                "django.contrib.auth.hashers.PBKDF2PasswordHasher"]


@pytest.fixture(autouse=True)
def _mail_outbox_empty(settings):
    # Tasks run in the request, mails land in the outbox (the test-wide default in
    # tests/conftest.py comes too late when pytest-django has already read the settings).
    # Argon2 costs ~0.5 s per hash on a busy machine; tests that need it set it back.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher",
                                 "django.contrib.auth.hashers.Argon2PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SITE_URL = "https://matchwerk.example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []


def link_in(body: str, prefix: str) -> str:
    """The first line of a mail body that starts with ``prefix`` (a URL)."""
    for line in body.splitlines():
        if line.strip().startswith(prefix):
            return line.strip()
    raise AssertionError(f"no link starting with {prefix!r} in:\n{body}")
