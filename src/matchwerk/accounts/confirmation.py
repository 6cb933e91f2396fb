"""Signed e-mail confirmation links.

The token signs the user id together with the address being confirmed, so a link
stops working when the address changes; ``EMAIL_CONFIRMATION_MAX_AGE`` limits its age.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from matchwerk.accounts.models import User

_SALT = "matchwerk.accounts.email-confirmation"


def confirmation_token_make(*, user: User) -> str:
    return signing.TimestampSigner(salt=_SALT).sign_object({"u": user.pk, "e": user.email})


def confirmation_url(*, user: User) -> str:
    return settings.SITE_URL + reverse("accounts:confirm_email", args=[confirmation_token_make(user=user)])


class ConfirmationInvalid(Exception):
    """The link is tampered with, expired, or for an address that has changed."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def confirmation_token_user(token: str) -> User:
    try:
        payload = signing.TimestampSigner(salt=_SALT).unsign_object(
            token, max_age=settings.EMAIL_CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ConfirmationInvalid("expired") from exc
    except signing.BadSignature as exc:
        raise ConfirmationInvalid("invalid") from exc
    user = User.objects.filter(pk=payload.get("u"), email=payload.get("e"), is_active=True).first()
    if user is None:
        raise ConfirmationInvalid("invalid")
    return user
