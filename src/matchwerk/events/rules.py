"""Who may see and change events and registrations.

``can_<verb>_<entity>(user, obj)`` return booleans and never raise; views and services
ask the same functions. Drafts are visible only to those who may edit them (others get
404); registrations are personal data: the person, and the event's staff.

Staff are scoped (issue #7's teams): administrators act on every event; a coordinator on
the events of the regions she coordinates and of the programmes whose team she is on; the
matching team on the events of its programmes. Whoever organises an event (and is staff)
acts on it too, so an event never becomes unreachable for the person who runs it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from matchwerk.accounts.rules import is_admin, is_coordinator, is_network_staff
from matchwerk.events.enums import PUBLIC_STATUSES, EventStatus
from matchwerk.profiles.rules import belongs_to


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


@dataclass(frozen=True)
class EventScope:
    """The events a member of staff acts on: everything, or these regions and programmes."""

    everything: bool
    region_ids: frozenset[int]
    programme_ids: frozenset[int]

    def covers(self, *, region_id: int | None, programme_id: int | None) -> bool:
        return self.everything or (region_id is not None and region_id in self.region_ids) or (
            programme_id is not None and programme_id in self.programme_ids)


_NOTHING = EventScope(False, frozenset(), frozenset())


def event_scope(user) -> EventScope:
    """Read once per user object (one request's worth: pages ask for many events)."""
    if not is_network_staff.test(user):
        return _NOTHING
    cached = getattr(user, "_event_scope", None)
    if cached is not None:
        return cached
    if is_admin.test(user):
        scope = EventScope(True, frozenset(), frozenset())
    else:
        regions = frozenset(user.coordinated_regions.values_list("pk", flat=True)) if is_coordinator.test(user) \
            else frozenset()
        programmes = frozenset(user.programme_teams.filter(is_active=True).values_list("pk", flat=True))
        scope = EventScope(False, regions, programmes)
    user._event_scope = scope
    return scope


def staff_events_filter(user) -> Q | None:
    """A filter of ``Event`` rows the user acts on (None: all of them)."""
    scope = event_scope(user)
    if scope.everything:
        return None
    return Q(region__in=scope.region_ids) | Q(programme__in=scope.programme_ids) | Q(organisers=user)


def can_manage_events(user) -> bool:
    """The back office's event pages: the list (scoped), create."""
    return is_network_staff.test(user)


def can_create_event_for(user, *, region_id: int | None, programme_id: int | None) -> bool:
    """A new event (or a changed region/programme) must lie in the user's scope."""
    return is_network_staff.test(user) and event_scope(user).covers(region_id=region_id, programme_id=programme_id)


def _organises(user, event) -> bool:
    if event.pk is None:
        return False
    ids = getattr(event, "_organiser_ids", None)
    if ids is None:
        ids = event._organiser_ids = frozenset(event.organisers.values_list("pk", flat=True))
    return user.pk in ids


def can_edit_event(user, event) -> bool:
    """Edit, publish, close, cancel; see and manage the event's registrations."""
    if event is None or not is_network_staff.test(user):
        return False
    return event_scope(user).covers(region_id=event.region_id, programme_id=event.programme_id) \
        or _organises(user, event)


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


def can_submit_idea(user) -> bool:
    return _active(user)


def can_review_ideas(user) -> bool:
    """The back office's idea list (each sees the ideas of her scope)."""
    return is_network_staff.test(user)


def can_review_idea(user, idea) -> bool:
    """Accept, ask for changes, decline: administrators and the matching team every idea,
    coordinators the ideas of their regions and those without a region."""
    if idea is None or not is_network_staff.test(user):
        return False
    if is_coordinator.test(user):
        return idea.region_id is None or idea.region_id in event_scope(user).region_ids
    return True


def can_edit_idea(user, idea) -> bool:
    """The submitter revises her idea while staff ask for changes."""
    from matchwerk.events.enums import IdeaStatus

    return idea is not None and _active(user) and idea.submitter_id == user.pk and idea.status in (
        IdeaStatus.SUBMITTED, IdeaStatus.CHANGES_REQUESTED)


def _confirmed_participant(user, event) -> bool:
    from matchwerk.events.enums import RegistrationStatus

    return _active(user) and event.registrations.filter(user=user, status=RegistrationStatus.CONFIRMED).exists()


def can_view_wall(user, event) -> bool:
    """The wall of a published event: its confirmed participants and its staff."""
    if event is None:
        return False
    return can_edit_event(user, event) or (event.status == EventStatus.PUBLISHED
                                           and _confirmed_participant(user, event))


def can_post_on_wall(user, event) -> bool:
    return event is not None and event.status == EventStatus.PUBLISHED and (
        _confirmed_participant(user, event) or (_active(user) and can_edit_event(user, event)))


def can_moderate_wall(user, event) -> bool:
    return can_edit_event(user, event)
