"""Reads of the accounts app: the privacy overview, the data export, the user list."""

from __future__ import annotations

from typing import Any, Callable

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from matchwerk.accounts.models import User
from matchwerk.core.models import AccessLog
from matchwerk.privacy.enums import CONSENT_TEXT_VERSIONS, ORGANISATION_FLAGS, ConsentPurpose
from matchwerk.privacy.models import Consent
from matchwerk.privacy.selectors import consents_in_force
from matchwerk.profiles.models import Organisation, Person, Region

# Other apps add their parts of a person's data to the export here, e.g. in their
# AppConfig.ready(): ``register_export_section("events", lambda user: [...])``.
# A section function receives the user and returns JSON-serialisable data.
EXPORT_SECTIONS: dict[str, Callable[[User], Any]] = {}


def register_export_section(name: str, function: Callable[[User], Any]) -> None:
    EXPORT_SECTIONS[name] = function


# What each consent means, as shown next to the decision (text version in CONSENT_TEXT_VERSIONS).
CONSENT_DESCRIPTIONS = {
    ConsentPurpose.DIRECTORY: _("Die Organisation erscheint mit Profil, Bedarfen und Angeboten im öffentlichen "
                                "Verzeichnis. Namen und Kontaktdaten der Personen sind dort nicht sichtbar."),
    ConsentPurpose.MATCHING: _("Profil, Bedarfe und Angebote der Organisation werden verwendet, um passende "
                               "Partner vorzuschlagen; das Matching-Team sieht die Vorschläge mit Begründung."),
    ConsentPurpose.PHOTOS: _("Fotos von Veranstaltungen, auf denen Sie zu sehen sind, dürfen auf der Website und "
                             "in Berichten des Netzwerks veröffentlicht werden."),
    ConsentPurpose.NEWSLETTER: _("Sie erhalten den Newsletter des Netzwerks per E-Mail; Abmeldung jederzeit."),
}


def _consent_row(purpose: str, record: Consent | None, flag: bool | None = None) -> dict:
    """One purpose's state; ``flag`` is the organisation's current flag (organisation purposes),
    which may be on without any record, e.g. after an import by the network's staff."""
    return {
        "unrecorded_flag": record is None and bool(flag),
        "purpose": purpose,
        "label": ConsentPurpose(purpose).label,
        "description": CONSENT_DESCRIPTIONS[ConsentPurpose(purpose)],
        "record": record,
        "granted": bool(record.granted) if record is not None else bool(flag),
        "current_version": CONSENT_TEXT_VERSIONS[ConsentPurpose(purpose)],
        "outdated": record is not None and record.text_version != CONSENT_TEXT_VERSIONS[ConsentPurpose(purpose)],
    }


def organisations_acted_for(*, user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(people__user=user, people__can_edit=True).distinct().order_by("name")


def privacy_overview(*, user: User) -> dict:
    """The person's own consents and, per organisation they act for, the organisation's."""
    personal = [_consent_row(p, r) for p, r in consents_in_force(user=user).items()]
    organisations = [
        {"organisation": organisation,
         "consents": [_consent_row(p, r, getattr(organisation, ORGANISATION_FLAGS[ConsentPurpose(p)]))
                      for p, r in consents_in_force(user=user, organisation=organisation).items()]}
        for organisation in organisations_acted_for(user=user)
    ]
    return {"personal": personal, "organisations": organisations}


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _log_rows(entries) -> list[dict]:
    return [{"at": _iso(e.at), "action": e.action, "object_type": e.object_type, "object_id": e.object_id,
             "data": e.data} for e in entries]


def persons_of_user(*, user: User) -> QuerySet[Person]:
    """Every person entry about this person: those linked to the account and, once the
    address is confirmed, those with the same e-mail address that someone else entered."""
    condition = Q(user=user)
    if user.email_confirmed_at is not None and user.email:
        condition |= Q(email__iexact=user.email)
    return Person.objects.filter(condition)


# Names shorter than this are not searched for in access-log data (too many false hits).
LOG_NAME_MIN_CHARS = 5


def access_log_terms(*, user: User, persons) -> list[str]:
    """The e-mail address and names under which staff may have searched for the person."""
    terms = {user.email.lower()} if user.email else set()
    for name in [user.full_name, *(p.name for p in persons)]:
        name = (name or "").strip()
        if len(name) >= LOG_NAME_MIN_CHARS and name != "(gelöscht)":
            terms.add(name.lower())
    terms.update(p.email.lower() for p in persons if p.email)
    return sorted(terms)


def access_log_about(*, user: User, persons) -> QuerySet[AccessLog]:
    """Access-log entries about the person: about the account, about any of her person
    entries, or with her address or name in the data (e.g. a staff search)."""
    condition = Q(object_type="accounts.user", object_id=str(user.pk)) | Q(
        object_type="profiles.person", object_id__in=[str(p.pk) for p in persons])
    for term in access_log_terms(user=user, persons=persons):
        condition |= Q(data__icontains=term)
    return AccessLog.objects.filter(condition)


def user_export_data(*, user: User) -> dict:
    """Everything Matchwerk holds about the person, as JSON-ready data.

    Only the person's own data: other people of their organisations are not included.
    Person entries with her confirmed address count as hers, also when someone else
    entered them.
    """
    persons = list(persons_of_user(user=user).select_related("organisation", "organisation__region")
                   .order_by("pk"))
    about = access_log_about(user=user, persons=persons).order_by("at", "id")
    data = {
        "format": "matchwerk-personal-data-export/1",
        "account": {
            "email": user.email, "full_name": user.full_name, "role": user.role, "language": user.language,
            "date_joined": _iso(user.date_joined), "email_confirmed_at": _iso(user.email_confirmed_at),
            "last_login": _iso(user.last_login),
            "coordinated_regions": [r.name for r in user.coordinated_regions.order_by("name")],
        },
        "persons": [{
            "organisation": {"id": p.organisation_id, "key": p.organisation.key, "name": p.organisation.name,
                             "region": p.organisation.region.name},
            "name": p.name, "email": p.email, "phone": p.phone, "position": p.position,
            "is_contact": p.is_contact, "can_edit": p.can_edit, "linked_to_account": p.user_id == user.pk,
        } for p in persons],
        "consents": [{
            "purpose": c.purpose, "organisation": c.organisation.name if c.organisation else None,
            "granted": c.granted, "text_version": c.text_version, "recorded_at": _iso(c.recorded_at),
        } for c in user.consents.select_related("organisation").order_by("recorded_at", "id")],
        "access_log_about_you": _log_rows(about),
        "your_logged_actions": _log_rows(AccessLog.objects.filter(actor=user).order_by("at", "id")),
    }
    for name, function in EXPORT_SECTIONS.items():
        data[name] = function(user)
    return data


def users_for_management(*, query: str = "", role: str = "") -> QuerySet[User]:
    users = User.objects.order_by("email").prefetch_related(
        Prefetch("coordinated_regions", queryset=Region.objects.order_by("name")))
    if query:
        users = users.filter(Q(email__icontains=query) | Q(full_name__icontains=query))
    if role:
        users = users.filter(role=role)
    return users
