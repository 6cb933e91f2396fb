import pytest
from django.core import mail

ARGON2_FIRST = ["django.contrib.auth.hashers.Argon2PasswordHasher",
                "django.contrib.auth.hashers.PBKDF2PasswordHasher"]


@pytest.fixture(autouse=True)
def _mail_outbox_empty(settings):
    # Tasks, mail backend and password hashers come from matchwerk.settings_test.
    settings.SITE_URL = "https://matchwerk.example.org"
    mail.outbox = []


def link_in(body: str, prefix: str) -> str:
    """The first line of a mail body that starts with ``prefix`` (a URL)."""
    for line in body.splitlines():
        if line.strip().startswith(prefix):
            return line.strip()
    raise AssertionError(f"no link starting with {prefix!r} in:\n{body}")
