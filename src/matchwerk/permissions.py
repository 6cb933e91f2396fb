"""Object-level permissions, all in one place.

Every view and service asks one of these ``can_<verb>_<entity>(user, obj)`` functions
before it reads or writes; they return booleans and never raise. Denied reads of
objects that exist but are hidden answer 404 (no existence leak), denied writes 403.
"""

from __future__ import annotations

from matchwerk.accounts.enums import Role


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_network_staff(user) -> bool:
    """Coordinators, the matching team and administrators."""
    return _active(user) and user.is_network_staff


def is_admin(user) -> bool:
    return _active(user) and user.is_admin


def acts_for(user, organisation) -> bool:
    """The user is one of the organisation's people with the right to edit it."""
    if not _active(user) or organisation is None or organisation.pk is None:
        return False
    return organisation.people.filter(user=user, can_edit=True).exists()


def belongs_to(user, organisation) -> bool:
    """The user is one of the organisation's people (with or without the right to edit)."""
    if not _active(user) or organisation is None or organisation.pk is None:
        return False
    return organisation.people.filter(user=user).exists()


def can_view_organisation(user, organisation) -> bool:
    return organisation.listed_in_directory or is_network_staff(user) or belongs_to(user, organisation)


def can_create_organisation(user) -> bool:
    return _active(user) and (user.email_confirmed_at is not None or is_network_staff(user))


def can_edit_organisation(user, organisation) -> bool:
    return is_network_staff(user) or acts_for(user, organisation)


def can_delete_organisation(user, organisation) -> bool:
    return is_admin(user) or (_active(user) and user.role in {Role.MATCHING_TEAM, Role.COORDINATOR}) \
        or acts_for(user, organisation)


def can_view_people_of_organisation(user, organisation) -> bool:
    """Names, e-mail addresses and phone numbers of an organisation's people are personal
    data: only the organisation itself and the network's staff (logged) see them."""
    return is_network_staff(user) or acts_for(user, organisation)


def can_manage_taxonomy(user) -> bool:
    """Topics and regions."""
    return is_network_staff(user)


def can_import_organisations(user) -> bool:
    return is_network_staff(user)


def can_export_directory(user) -> bool:
    return is_network_staff(user)


def can_view_backoffice(user) -> bool:
    return is_network_staff(user)


def can_manage_users(user) -> bool:
    return is_admin(user)


def can_record_organisation_consent(user, organisation) -> bool:
    """Directory and matching consents are given by a person acting for the organisation."""
    return acts_for(user, organisation)


def can_view_suggestions(user, organisation) -> bool:
    """An organisation's partner suggestions: the organisation itself and the network's staff."""
    return is_network_staff(user) or acts_for(user, organisation)


def can_review_suggestions(user, programme=None) -> bool:
    """The review queue (accept, reject, snooze, recompute): the matching team, coordinators
    and administrators."""
    return is_network_staff(user)


def can_respond_to_match(user, side) -> bool:
    """Only someone acting for that organisation answers its invitation."""
    return acts_for(user, side.organisation)
