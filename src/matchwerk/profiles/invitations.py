"""Signed invitation links: a person entry asks its owner to link her Matchwerk account.

An account is never linked because somebody typed its address: the person gets a mail
with a signed link, logs in (or signs up) and confirms. The token signs the person
entry's id together with its e-mail address, so a link stops working when the address
of the entry changes; it expires after ``INVITATION_MAX_AGE``.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from matchwerk.profiles.models import Person

_SALT = "matchwerk.profiles.person-invitation"
INVITATION_MAX_AGE = 14 * 24 * 3600


def invitation_token_make(*, person: Person) -> str:
    return signing.TimestampSigner(salt=_SALT).sign_object({"p": person.pk, "e": person.email.strip().lower()})


def invitation_url(*, person: Person) -> str:
    return settings.SITE_URL + reverse("profiles:invitation", args=[invitation_token_make(person=person)])


class InvitationInvalid(Exception):
    """The link is tampered with, expired, or the entry's address has changed."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def invitation_person(token: str) -> Person:
    try:
        payload = signing.TimestampSigner(salt=_SALT).unsign_object(token, max_age=INVITATION_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise InvitationInvalid("expired") from exc
    except signing.BadSignature as exc:
        raise InvitationInvalid("invalid") from exc
    person = Person.objects.select_related("organisation").filter(pk=payload.get("p")).first()
    if person is None or not person.email or person.email.strip().lower() != payload.get("e"):
        raise InvitationInvalid("invalid")
    return person
