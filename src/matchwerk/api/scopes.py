"""What a user may see, as querysets: the apps' rules turned into filters.

Each function mirrors one predicate of the app that owns the objects (named in its
docstring), so that a list never shows what the detail page would refuse and a foreign
object's detail is simply not found (404).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from matchwerk.accounts.rules import is_admin, is_network_staff
from matchwerk.events.enums import PUBLIC_STATUSES
from matchwerk.events.models import Event, Registration
from matchwerk.events.rules import staff_events_filter
from matchwerk.matching.models import Match, Suggestion
from matchwerk.matching.rules import match_scope, suggestion_scope
from matchwerk.matching.selectors import suggestions_for_organisation
from matchwerk.profiles.models import Organisation, Person
from matchwerk.programmes.models import Programme
from matchwerk.programmes.rules import ALL, programmes_for_staff, staff_region_ids


def _own_organisation_ids(user, *, editors_only: bool = False):
    people = Person.objects.filter(user=user)
    if editors_only:
        people = people.filter(can_edit=True)
    return people.values("organisation_id")


def organisations_visible(user) -> QuerySet[Organisation]:
    """``profiles.rules.can_view_organisation``: listed, one's own, or in the staff scope."""
    visible = Q(listed_in_directory=True) | Q(pk__in=_own_organisation_ids(user))
    if is_network_staff.test(user):
        scope = staff_region_ids(user)
        if scope is ALL:
            return Organisation.objects.all()
        visible |= Q(region_id__in=scope)
    return Organisation.objects.filter(visible)


def programmes_visible(user) -> QuerySet[Programme]:
    """``programmes.rules.can_view_programme`` (active programmes)."""
    return programmes_for_staff(user)


def suggestions_visible(user) -> QuerySet[Suggestion]:
    """``matching.rules``: the suggestions an organisation sees under "Vorschläge"
    (``acts_for``), and those a member of staff reviews (``suggestion_scope`` per programme)."""
    if is_admin.test(user):
        return Suggestion.objects.all()
    own = Suggestion.objects.none()
    for organisation in Organisation.objects.filter(pk__in=_own_organisation_ids(user, editors_only=True)):
        own = own | suggestions_for_organisation(organisation=organisation)
    visible = Q(pk__in=own.values("pk"))
    for programme in programmes_for_staff(user):
        scope = suggestion_scope(user, programme)
        visible |= Q(programme=programme) & (scope if scope is not None else Q())
    return Suggestion.objects.filter(visible)


def matches_visible(user) -> QuerySet[Match]:
    """``matching.rules.can_view_match`` and the organisation's own invitations."""
    if is_admin.test(user):
        return Match.objects.all()
    visible = Q(pk__in=Match.objects.filter(sides__organisation_id__in=_own_organisation_ids(user, editors_only=True))
                .values("pk"))
    for programme in programmes_for_staff(user):
        scope = match_scope(user, programme)
        visible |= Q(programme=programme) & (Q(pk__in=Match.objects.filter(scope).values("pk"))
                                             if scope is not None else Q())
    return Match.objects.filter(visible)


def events_staffed(user) -> QuerySet[Event]:
    """``events.rules.can_edit_event``: the events a member of staff acts on."""
    if not is_network_staff.test(user):
        return Event.objects.none()
    scope = staff_events_filter(user)
    return Event.objects.all() if scope is None else Event.objects.filter(pk__in=Event.objects.filter(scope)
                                                                           .values("pk"))


def events_visible(user) -> QuerySet[Event]:
    """``events.rules.can_view_event``: public statuses, drafts for the event's staff."""
    return Event.objects.filter(Q(status__in=PUBLIC_STATUSES) | Q(pk__in=events_staffed(user).values("pk")))


def registrations_visible(user) -> QuerySet[Registration]:
    """``events.rules.can_change_registration``: one's own, and those of the events one staffs."""
    return Registration.objects.filter(Q(user=user) | Q(event__in=events_staffed(user).values("pk")))


def checkins_visible(user) -> QuerySet[Registration]:
    """Check-ins are the door work of the event's staff (``events.rules.can_edit_event``)."""
    return Registration.objects.filter(checked_in_at__isnull=False, event__in=events_staffed(user).values("pk"))
