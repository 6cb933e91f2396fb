"""Who may see and change events and registrations.

``can_<verb>_<entity>(user, obj)`` return booleans and never raise; views and services
ask the same functions. Drafts are visible only to those who may edit them (others get
404); registrations are personal data: the person, and the event's staff.
"""

from __future__ import annotations

from matchwerk.accounts.rules import is_network_staff
from matchwerk.events.enums import PUBLIC_STATUSES
from matchwerk.profiles.rules import belongs_to


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def can_manage_events(user) -> bool:
    """The back office's event pages: create, list, copy."""
    return is_network_staff.test(user)


def can_edit_event(user, event) -> bool:
    """Edit, publish, close, cancel; see and manage the event's registrations."""
    return event is not None and is_network_staff.test(user)


def can_view_event(user, event) -> bool:
    return event is not None and (event.status in PUBLIC_STATUSES or can_edit_event(user, event))


def can_register_for_event(user, event) -> bool:
    """May try to register (the service then says why it cannot: full, closed, …)."""
    return _active(user) and can_view_event(user, event)


def can_change_registration(user, registration) -> bool:
    """Cancel, accept or decline: the registered person, and the event's staff."""
    if registration is None:
        return False
    own = _active(user) and registration.user_id is not None and registration.user_id == user.pk
    return own or can_edit_event(user, registration.event)


def can_register_for_organisation(user, organisation) -> bool:
    """A person registers on behalf of an organisation they belong to."""
    return organisation is None or belongs_to.test(user, organisation)


def can_use_calendar_feed(user) -> bool:
    return _active(user)
