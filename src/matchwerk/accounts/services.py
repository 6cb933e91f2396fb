"""Writes of the accounts app: sign-up, confirmation, account settings, roles, erasure."""

from __future__ import annotations

import re

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchwerk.accounts.enums import Role
from matchwerk.accounts.models import User
from matchwerk.accounts.rules import can_manage_users
from matchwerk.accounts.selectors import access_log_about, access_log_terms, persons_of_user
from matchwerk.accounts.throttle import normalise_email
from matchwerk.accounts.confirmation import confirmation_url
from matchwerk.core.audit import log_event
from matchwerk.core.mail import mail_send
from matchwerk.core.models import AccessLog
from matchwerk.privacy.enums import ORGANISATION_FLAGS, ConsentPurpose
from matchwerk.privacy.models import Consent
from matchwerk.privacy.selectors import consents_in_force
from matchwerk.privacy.services import consent_record
from matchwerk.profiles.models import Organisation, Person, Region
from matchwerk.profiles.rules import can_record_organisation_consent
from matchwerk.profiles.signals import announce_changed

# Version of the privacy notice a person accepts at sign-up (bump when the text changes).
PRIVACY_NOTICE_VERSION = "2026-11"
# What an erased person's name becomes on the organisations they belonged to.
ERASED_PERSON_NAME = "(gelöscht)"


def _mail_confirmation(*, user: User) -> None:
    """The link that confirms the account's e-mail address, in the user's language."""
    mail_send(to=user.email, template="accounts/mail/confirm_email", language=user.language,
              context={"name": user.get_short_name(), "confirm_url": confirmation_url(user=user)})


def user_signup(*, email: str, password: str, full_name: str, language: str = "de",
                newsletter: bool = False, photos: bool = False) -> User | None:
    """Create an unconfirmed account and send the confirmation link.

    For an address that already has an account nothing is created: its owner gets a
    mail that somebody tried to sign up; the caller shows the same screen either way,
    so the form does not reveal which addresses exist. Returns the new user or None.
    """
    email = normalise_email(email)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = User(email=email, full_name=full_name.strip(), language=language)
                user.set_password(password)
                # Uniqueness is the database's job: a double submit that lost the race
                # ends in the IntegrityError below, never in an unhandled ValidationError.
                user.full_clean(validate_unique=False)
                user.save()
                consent_record(user=user, purpose=ConsentPurpose.NEWSLETTER, granted=newsletter)
                consent_record(user=user, purpose=ConsentPurpose.PHOTOS, granted=photos)
                log_event("matchwerk.accounts.account.signed_up", user,
                          {"privacy_notice": PRIVACY_NOTICE_VERSION}, actor=user)
        except IntegrityError:  # the same address signed up a moment ago
            existing = User.objects.filter(email__iexact=email).first()
        else:
            _mail_confirmation(user=user)
            return user
    if existing is not None:
        make_password(password)  # the same hashing work as for a new account: no timing difference
        mail_send(to=existing.email, template="accounts/mail/signup_attempt", language=existing.language,
                  context={"name": existing.get_short_name()})
    return None


def user_confirm_email(*, user: User) -> bool:
    """Mark the address confirmed; False if it already was."""
    if user.email_confirmed_at is not None:
        return False
    with transaction.atomic():
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])
        log_event("matchwerk.accounts.email.confirmed", user, actor=user)
    return True


def user_confirmation_resend(*, user: User) -> bool:
    if user.email_confirmed_at is not None or not user.is_active:
        return False
    _mail_confirmation(user=user)
    return True


def user_update_settings(*, user: User, full_name: str, language: str) -> User:
    with transaction.atomic():
        user.full_name = full_name.strip()
        user.language = language
        user.full_clean()
        user.save(update_fields=["full_name", "language"])
    return user


def consent_change(*, user: User, purpose: str, granted: bool, organisation: Organisation | None = None) -> Consent:
    """A person changes one of their consents (organisation purposes only for
    organisations they act for)."""
    if organisation is not None and not can_record_organisation_consent.test(user, organisation):
        raise PermissionDenied
    consent = consent_record(user=user, purpose=purpose, granted=granted, organisation=organisation)
    log_event("matchwerk.accounts.consent.changed", organisation or user,
              {"purpose": str(purpose), "granted": granted, "text_version": consent.text_version}, actor=user)
    return consent


def _other_admins_exist(user: User) -> bool:
    others = User.objects.filter(is_active=True).exclude(pk=user.pk)
    return others.filter(role=Role.ADMIN).exists() or others.filter(is_superuser=True).exists()


def user_update_role(*, actor: User, user: User, role: str, regions: list[Region] | None = None) -> User:
    """An administrator sets a user's role and (for coordinators) their regions.

    Other roles hold no regions: changing a coordinator's role clears them. The last
    administrator cannot give up the role.
    """
    if not can_manage_users.test(actor):
        raise PermissionDenied
    role = Role(role)
    if user.is_admin and role != Role.ADMIN and not _other_admins_exist(user):
        raise ValidationError(_("Die letzte Administratorin bzw. der letzte Administrator kann die Rolle nicht abgeben."))
    regions = list(regions or []) if role == Role.COORDINATOR else []
    with transaction.atomic():
        user.role = role
        user.full_clean()
        user.save(update_fields=["role"])
        user.coordinated_regions.set(regions)
        log_event("matchwerk.accounts.user.role_changed", user,
                  {"role": role.value, "regions": [r.pk for r in regions]}, actor=actor)
    return user


def _access_log_anonymise(*, user: User, persons: list[Person]) -> int:
    """Entries about the erased person stay (that an access happened is the network's
    record) but lose what points to her: the object reference, and her address or name
    wherever it appears in the data (e.g. a staff search for her name)."""
    terms = access_log_terms(user=user, persons=persons)
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE) if terms else None
    hers = {("accounts.user", str(user.pk))} | {("profiles.person", str(p.pk)) for p in persons}
    entries = list(access_log_about(user=user, persons=persons))

    def scrub(value):
        if isinstance(value, str):
            return pattern.sub(ERASED_PERSON_NAME, value)
        if isinstance(value, dict):
            return {key: scrub(item) for key, item in value.items()}
        if isinstance(value, list):
            return [scrub(item) for item in value]
        return value

    for entry in entries:
        if (entry.object_type, entry.object_id) in hers:
            entry.object_id = ""
        if pattern is not None:
            entry.data = scrub(entry.data)
    AccessLog.objects.bulk_update(entries, ["object_id", "data"])
    return len(entries)


def user_erase(*, user: User) -> None:
    """Erase a person's account at their own request.

    - The account, its personal consents and sessions go (consent records cascade).
    - The person's entries on organisations stay (the organisation keeps existing, also
      when this was its only editor; the network's staff can assign a new one), but
      lose the account link and all personal fields — the linked ones and those with her
      confirmed e-mail address that someone else entered.
    - Access-log entries about her are anonymised (``_access_log_anonymise``).
    - An organisation consent in force that was granted by this person loses its
      record; the organisation's flag is switched off, because without a record the
      consent can no longer be shown (another editor can grant it again).
    - The erasure is written to the access log without personal data.
    """
    if user.is_admin and not _other_admins_exist(user):
        raise ValidationError(_("Das Konto der letzten Administration kann nicht gelöscht werden."))
    with transaction.atomic():
        to_withdraw: list[tuple[Organisation, ConsentPurpose]] = []
        for organisation in Organisation.objects.filter(consents__user=user).distinct():
            for purpose, record in consents_in_force(user=user, organisation=organisation).items():
                if record is not None and record.user_id == user.pk and record.granted:
                    to_withdraw.append((organisation, ConsentPurpose(purpose)))
        people = list(persons_of_user(user=user))
        log_entries = _access_log_anonymise(user=user, persons=people)
        Person.objects.filter(pk__in=[p.pk for p in people]).update(
            user=None, name=ERASED_PERSON_NAME, email="", phone="", position="", is_contact=False, can_edit=False)
        log_event("matchwerk.accounts.account.erased", user,
                  {"persons_anonymised": len(people), "access_log_entries_anonymised": log_entries,
                   "organisation_consents_withdrawn": len(to_withdraw)}, actor=user)
        user.delete()
        for organisation, purpose in to_withdraw:
            setattr(organisation, ORGANISATION_FLAGS[purpose], False)
            organisation.save(update_fields=[ORGANISATION_FLAGS[purpose], "updated_at"])
            if purpose == ConsentPurpose.MATCHING:
                announce_changed(organisation.pk)
