"""Writes of profiles: organisations, their people, needs and offers.

Every function takes keyword-only arguments, validates with ``full_clean()`` and writes
inside ``transaction.atomic()``. Each asks the same rules as the views
(``profiles.rules``) and raises ``PermissionDenied`` when they fail; ``actor=None`` is the
operator's command line, the demo loader and the import (which checks its own rows).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from matchwerk.core.audit import log_event
from matchwerk.core.mail import mail_send
from matchwerk.core.limits import STATEMENTS_MAX_PER_ORGANISATION
from matchwerk.core.uploads import image_format
from matchwerk.privacy.enums import ConsentPurpose
from matchwerk.privacy.services import consent_record
from matchwerk.profiles.models import Need, Offer, Organisation, Person, Topic
from matchwerk.profiles.rules import (
    can_delete_organisation, can_edit_organisation, can_override_last_editor, can_record_organisation_consent,
)
from matchwerk.profiles.signals import announce_changed

# Fields of the public profile that organisation_create/organisation_update accept.
PROFILE_FIELDS = ("name", "kind", "region", "town", "website", "size", "founded", "about", "logo")
PERSON_FIELDS = ("name", "email", "phone", "position", "is_contact", "can_edit")


def _require(rule, actor, organisation: Organisation) -> None:
    if actor is not None and not rule.test(actor, organisation):
        raise PermissionDenied


def organisation_key_for(name: str) -> str:
    """A free, stable key derived from the name: ``radreisen-elbland``, ``radreisen-elbland-2`` …"""
    base = slugify(name)[:70].strip("-") or "organisation"
    key, n = base, 1
    while Organisation.objects.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key


# Logo formats as Pillow detects them -> (file extension, content type); no SVG (scripts inside).
LOGO_TYPES = {"PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg"), "WEBP": ("webp", "image/webp"),
              "GIF": ("gif", "image/gif")}


def logo_by_content(upload):
    """Name and content type of an uploaded logo follow its detected content, never the
    given name: a GIF called ``logo.pdf`` is stored as ``logo.gif`` (served as image/gif)."""
    detected = image_format(upload)
    if detected not in LOGO_TYPES:
        raise ValidationError({"logo": _("Bitte laden Sie ein Bild im Format PNG, JPEG, WebP oder GIF hoch.")})
    extension, content_type = LOGO_TYPES[detected]
    upload.name = f"logo.{extension}"
    upload.content_type = content_type
    return upload


def _apply_profile(organisation: Organisation, fields: dict) -> None:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown organisation fields: {sorted(unknown)}")
    for name, value in fields.items():
        if name == "logo":
            if value is None:
                continue  # unchanged
            if value and not isinstance(value, FieldFile):
                value = logo_by_content(value)  # a new upload
            value = value or ""  # False: the form's "clear" box removes the logo
        elif value is None and name in ("town", "website", "size", "about"):
            value = ""
        setattr(organisation, name, value)

def _record_consents(*, actor, organisation: Organisation, directory: bool | None, matching: bool | None) -> None:
    for purpose, granted, current in (
        (ConsentPurpose.DIRECTORY, directory, organisation.listed_in_directory),
        (ConsentPurpose.MATCHING, matching, organisation.open_for_matching),
    ):
        if granted is None:
            continue
        if not can_record_organisation_consent.test(actor, organisation):
            raise ValidationError(_("Einwilligungen kann nur eine Person geben, die für die Organisation handelt."))
        consent_record(user=actor, purpose=purpose, granted=bool(granted), organisation=organisation)


@transaction.atomic
def organisation_create(*, actor, topics: Iterable[Topic] = (), consent_directory: bool,
                        consent_matching: bool, **fields) -> Organisation:
    """Create an organisation; the actor becomes its first person (contact, may edit) and
    both organisation consents are recorded as the actor decided."""
    organisation = Organisation(key=organisation_key_for(fields.get("name", "")))
    _apply_profile(organisation, fields)
    organisation.full_clean()
    organisation.save()
    organisation.topics.set(topics)
    person = Person(organisation=organisation, user=actor, name=actor.get_full_name(), email=actor.email,
                    is_contact=True, can_edit=True)
    person.full_clean()
    person.save()
    _record_consents(actor=actor, organisation=organisation, directory=consent_directory, matching=consent_matching)
    announce_changed(organisation.pk)
    return organisation


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, topics: Iterable[Topic] | None = None,
                        consent_directory: bool | None = None, consent_matching: bool | None = None,
                        **fields) -> Organisation:
    """Change the profile; consents are recorded only where the decision changed."""
    _require(can_edit_organisation, actor, organisation)
    # From the database: a ModelForm may already have put the new upload on the instance.
    old_logo = Organisation.objects.filter(pk=organisation.pk).values_list("logo", flat=True).first() or ""
    _apply_profile(organisation, fields)
    organisation.full_clean()
    organisation.save()
    if topics is not None:
        organisation.topics.set(topics)
    _record_consents(
        actor=actor, organisation=organisation,
        directory=None if consent_directory is None or consent_directory == organisation.listed_in_directory
        else consent_directory,
        matching=None if consent_matching is None or consent_matching == organisation.open_for_matching
        else consent_matching)
    new_logo = organisation.logo.name if organisation.logo else ""
    if old_logo and old_logo != new_logo:
        storage = organisation.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))
    announce_changed(organisation.pk)
    return organisation


@transaction.atomic
def organisation_delete(*, actor, organisation: Organisation) -> None:
    """Delete the organisation with its people, needs, offers, consents and logo."""
    _require(can_delete_organisation, actor, organisation)
    logo = organisation.logo.name if organisation.logo else ""
    storage = organisation.logo.storage
    organisation_id = organisation.pk
    organisation.delete()
    announce_changed(organisation_id)
    if logo:
        transaction.on_commit(lambda: storage.delete(logo))


# --- people -------------------------------------------------------------------------------

def _keeps_an_editor(organisation: Organisation, *, without: Person | None) -> bool:
    editors = organisation.people.filter(can_edit=True, user__isnull=False, user__is_active=True)
    if without is not None and without.pk:
        editors = editors.exclude(pk=without.pk)
    return editors.exists()


@transaction.atomic
def person_add(*, organisation: Organisation, actor=None, invite: bool = False, **fields) -> Person:
    """Add a person entry. An account is never linked here: with ``invite`` the person
    gets a mail and links her account herself (:func:`person_invitation_accept`)."""
    _require(can_edit_organisation, actor, organisation)
    person = Person(organisation=organisation, **{k: v for k, v in fields.items() if k in PERSON_FIELDS})
    person.full_clean()
    person.save()
    if invite:
        person_invite(actor=actor, person=person)
    return person


@transaction.atomic
def person_update(*, actor, person: Person, keep_link: bool = True, invite: bool = False, **fields) -> Person:
    """Change a person. ``keep_link=False`` removes the account link; a changed e-mail
    address removes it too (the account belongs to the old address). The last person
    who can edit the profile cannot remove that right from themselves (staff can)."""
    _require(can_edit_organisation, actor, person.organisation)
    old_email = Person.objects.filter(pk=person.pk).values_list("email", flat=True).first() or ""
    for name, value in fields.items():
        if name in PERSON_FIELDS:
            setattr(person, name, value)
    was_editor = Person.objects.filter(pk=person.pk, can_edit=True, user__isnull=False).exists()
    if not keep_link or old_email.strip().lower() != (person.email or "").strip().lower():
        person.user = None
    if was_editor and not (person.can_edit and person.user_id) and not can_override_last_editor.test(actor, person.organisation) \
            and not _keeps_an_editor(person.organisation, without=person):
        raise ValidationError(_("Die Organisation braucht mindestens eine Person mit Konto, die das Profil "
                                "bearbeiten darf."))
    person.full_clean()
    person.save()
    if invite and not person.user_id:
        person_invite(actor=actor, person=person)
    return person


def person_invite(*, actor, person: Person, imported: bool = False) -> None:
    """Send the person an invitation to link her account (the same whether or not an
    account with her address exists; nothing is linked until she confirms)."""
    from matchwerk.accounts.models import User
    from matchwerk.profiles.invitations import invitation_url

    if not person.email:
        raise ValidationError({"email": _("Für eine Einladung wird die E-Mail-Adresse gebraucht.")})
    if person.user_id:
        return
    person.invited_at = timezone.now()
    person.save(update_fields=["invited_at"])
    log_event("matchwerk.profiles.person.invited", person, {"imported": imported}, actor=actor)
    # "Claim your organisation's profile" for contacts the network's staff imported. The
    # language is that of an existing account with the address, else the site's.
    account = User.objects.filter(email__iexact=person.email.strip()).only("language").first()
    mail_send(to=person.email, template="accounts/mail/person_invitation",
              language=account.language if account is not None else "",
              context={"person": {"name": person.name}, "organisation": {"name": person.organisation.name},
                       "imported": imported, "invitation_url": invitation_url(person=person)})


def people_invite(*, actor, people: Iterable[Person], imported: bool = True) -> int:
    """The staff action after an import: invite the chosen contacts; returns how many."""
    count = 0
    with transaction.atomic():
        for person in people:
            if person.email and not person.user_id:
                person_invite(actor=actor, person=person, imported=imported)
                count += 1
    return count


def person_invitation_accept(*, user, person: Person) -> Person:
    """The invited person confirms: her account is linked to the entry.

    Only the account with the invited address may accept (a forwarded link is useless to
    anybody else); following the link proves access to the mailbox, so an unconfirmed
    address becomes confirmed.
    """
    from matchwerk.accounts.services import user_confirm_email

    if (user.email or "").strip().lower() != (person.email or "").strip().lower():
        raise ValidationError(_("Diese Einladung gilt für eine andere E-Mail-Adresse. Bitte melden Sie sich mit "
                                "dem Konto dieser Adresse an."))
    with transaction.atomic():
        person = Person.objects.select_for_update().select_related("organisation").get(pk=person.pk)
        if person.user_id == user.pk:
            return person
        if person.user_id is not None:
            raise ValidationError(_("Dieser Eintrag ist bereits mit einem Konto verknüpft."))
        if Person.objects.filter(organisation=person.organisation, user=user).exists():
            raise ValidationError(_("Ihr Konto ist bereits mit dieser Organisation verknüpft."))
        person.user = user
        person.save(update_fields=["user"])
        log_event("matchwerk.profiles.person.invitation_accepted", person, actor=user)
    user_confirm_email(user=user)
    return person


@transaction.atomic
def person_remove(*, actor, person: Person) -> None:
    _require(can_edit_organisation, actor, person.organisation)
    if person.can_edit and person.user_id and not can_override_last_editor.test(actor, person.organisation) \
            and not _keeps_an_editor(person.organisation, without=person):
        raise ValidationError(_("Die letzte Person, die das Profil bearbeiten darf, kann nicht entfernt werden. "
                                "Löschen Sie stattdessen die Organisation oder fügen Sie zuerst jemanden hinzu."))
    person.delete()


# --- needs and offers ---------------------------------------------------------------------

def _statement_save(statement: Need | Offer, *, title: str, description: str,
                    topics: Iterable[Topic] | None) -> Need | Offer:
    statement.title = title
    statement.description = description or ""
    statement.full_clean()
    statement.save()
    if topics is not None:
        statement.topics.set(topics)
    announce_changed(statement.organisation_id)
    return statement


def _statement_room(organisation: Organisation, related: str) -> None:
    if getattr(organisation, related).count() >= STATEMENTS_MAX_PER_ORGANISATION:
        raise ValidationError(_("Eine Organisation kann höchstens %(max)d Bedarfe und %(max)d Angebote haben.")
                              % {"max": STATEMENTS_MAX_PER_ORGANISATION})


@transaction.atomic
def need_create(*, actor, organisation: Organisation, title: str, description: str = "",
                topics: Iterable[Topic] = ()) -> Need:
    _require(can_edit_organisation, actor, organisation)
    _statement_room(organisation, "needs")
    return _statement_save(Need(organisation=organisation), title=title, description=description, topics=topics)


@transaction.atomic
def need_update(*, actor, need: Need, title: str, description: str = "",
                topics: Iterable[Topic] | None = None) -> Need:
    _require(can_edit_organisation, actor, need.organisation)
    return _statement_save(need, title=title, description=description, topics=topics)


@transaction.atomic
def need_delete(*, actor, need: Need) -> None:
    _require(can_edit_organisation, actor, need.organisation)
    need.delete()
    announce_changed(need.organisation_id)


@transaction.atomic
def offer_create(*, actor, organisation: Organisation, title: str, description: str = "",
                 topics: Iterable[Topic] = ()) -> Offer:
    _require(can_edit_organisation, actor, organisation)
    _statement_room(organisation, "offers")
    return _statement_save(Offer(organisation=organisation), title=title, description=description, topics=topics)


@transaction.atomic
def offer_update(*, actor, offer: Offer, title: str, description: str = "",
                 topics: Iterable[Topic] | None = None) -> Offer:
    _require(can_edit_organisation, actor, offer.organisation)
    return _statement_save(offer, title=title, description=description, topics=topics)


@transaction.atomic
def offer_delete(*, actor, offer: Offer) -> None:
    _require(can_edit_organisation, actor, offer.organisation)
    offer.delete()
    announce_changed(offer.organisation_id)
