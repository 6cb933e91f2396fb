"""Login throttling by e-mail address and by client address.

After ``LOGIN_FAILURE_LIMIT`` failed attempts for one e-mail address, or from one client
address, within ``LOGIN_FAILURE_WINDOW`` seconds, further attempts are refused until the
oldest failure in the window has aged out. Failures live in the database
(``LoginFailure``), so the limit holds across worker processes and on every database.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from matchwerk.accounts.models import LoginFailure


def normalise_email(email: str | None) -> str:
    return (email or "").strip().lower()[:254]


def client_ip(request) -> str:
    """The client address as the web server saw it.

    Behind a reverse proxy the proxy must pass the client address in ``REMOTE_ADDR``
    (e.g. gunicorn ``--forwarded-allow-ips`` with ``X-Forwarded-For`` handling); a
    header sent by the client itself is never trusted here.
    """
    if request is None:
        return ""
    return (request.META.get("REMOTE_ADDR") or "")[:45]


def _window_start():
    return timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)


def login_failures_prune() -> None:
    """Forget failures older than the window (personal data kept no longer than needed)."""
    LoginFailure.objects.filter(at__lt=_window_start()).delete()


def login_is_throttled(*, email: str, ip: str) -> bool:
    """Checked before every login attempt; also prunes failures older than the window."""
    login_failures_prune()
    limit = settings.LOGIN_FAILURE_LIMIT
    recent = LoginFailure.objects.filter(at__gte=_window_start())
    email = normalise_email(email)
    if email and recent.filter(email=email).count() >= limit:
        return True
    return bool(ip) and recent.filter(ip=ip).count() >= limit


def login_failure_record(*, email: str, ip: str) -> None:
    """Count one failed attempt."""
    LoginFailure.objects.create(email=normalise_email(email), ip=ip)


def login_failures_reset(*, email: str) -> None:
    """A successful login clears the failures for its e-mail address."""
    LoginFailure.objects.filter(email=normalise_email(email)).delete()
