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


def login_attempt_begin(*, email: str, ip: str) -> LoginFailure | None:
    """Count one attempt *before* the password is checked; None when throttled.

    The attempt is written first (as a failure, until the password proves right) and
    only then are the attempts in the window counted. The k-th attempt to be written
    sees at least k rows, so however many requests arrive at the same moment, at most
    ``LOGIN_FAILURE_LIMIT`` of them get their password evaluated. A refused attempt
    takes its row back, so refusals do not prolong the lock.
    """
    login_failures_prune()
    attempt = LoginFailure.objects.create(email=normalise_email(email), ip=ip)
    limit = settings.LOGIN_FAILURE_LIMIT
    recent = LoginFailure.objects.filter(at__gte=_window_start())
    email = normalise_email(email)
    if (email and recent.filter(email=email).count() > limit) or (ip and recent.filter(ip=ip).count() > limit):
        attempt.delete()
        return None
    return attempt


def login_attempt_not_counted(attempt: LoginFailure) -> None:
    """The attempt ended without a wrong password (e.g. an inactive account)."""
    LoginFailure.objects.filter(pk=attempt.pk).delete()


def login_failures_reset(*, email: str) -> None:
    """A successful login clears the failures for its e-mail address."""
    LoginFailure.objects.filter(email=normalise_email(email)).delete()
