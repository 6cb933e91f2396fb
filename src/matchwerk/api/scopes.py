"""What a user may see, as querysets: the apps' rules turned into filters.

Each function mirrors one predicate of the app that owns the objects (named in its
docstring), so that a list never shows what the detail page would refuse and a foreign
object's detail is simply not found (404).
"""

from __future__ import annotations

from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, Value, When

from matchwerk.accounts.rules import is_admin, is_network_staff
from matchwerk.events.enums import PUBLIC_STATUSES, EventStatus, RegistrationStatus, WallPostStatus
from matchwerk.events.models import Event, EventIdea, Registration
from matchwerk.events.models import Session as EventSession
from matchwerk.events.rules import can_review_ideas, staff_events_filter
from matchwerk.events.selectors import ideas_for_staff
from matchwerk.events.wall_models import WallPost
from matchwerk.matching.models import JournalEntry, Match, Suggestion
from matchwerk.matching.rules import match_scope, suggestion_scope
from matchwerk.matching.selectors import suggestions_for_organisation
from matchwerk.meetings.enums import VersionStatus
from matchwerk.meetings.models import Meeting, MeetingRequest, PlanVersion
from matchwerk.profiles.models import Organisation, Person
from matchwerk.programmes.grants.models import Grant, Payment
from matchwerk.programmes.models import Programme
from matchwerk.programmes.rules import ALL, programmes_for_staff, staff_region_ids
from matchwerk.rounds.models import Plan as RoundPlan


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


def _member_match_ids(user):
    """The matches of the organisations the user acts for (``matching.rules.is_match_member``)."""
    return Match.objects.filter(sides__organisation_id__in=_own_organisation_ids(user, editors_only=True)) \
        .values("pk")


def matches_staffed(user) -> QuerySet[Match]:
    """``matching.rules.can_view_match`` (= ``can_change_match``): the matches a member of
    staff sees and accompanies."""
    if is_admin.test(user):
        return Match.objects.all()
    visible = Q(pk__in=[])
    for programme in programmes_for_staff(user):
        scope = match_scope(user, programme)
        visible |= Q(programme=programme) & (Q(pk__in=Match.objects.filter(scope).values("pk"))
                                             if scope is not None else Q())
    return Match.objects.filter(visible)


def matches_visible(user) -> QuerySet[Match]:
    """``matching.rules.can_view_match`` and the organisation's own invitations."""
    if is_admin.test(user):
        return Match.objects.all()
    return Match.objects.filter(Q(pk__in=_member_match_ids(user)) | Q(pk__in=matches_staffed(user).values("pk")))


def journal_visible(user) -> QuerySet[JournalEntry]:
    """``matching.match_views.match_detail``: the match's staff read every entry, its
    members only those visible to the match."""
    return JournalEntry.objects.filter(
        Q(match__in=matches_staffed(user).values("pk"))
        | Q(match__in=_member_match_ids(user), visibility=JournalEntry.Visibility.MATCH))


def grants_visible(user) -> QuerySet[Grant]:
    """``programmes.grants.rules.can_view_grant``: the match's members, and staff who see the match."""
    return Grant.objects.filter(Q(match__in=_member_match_ids(user)) | Q(match__in=matches_staffed(user).values("pk")))


def payments_visible(user) -> QuerySet[Payment]:
    """Payments are shown with their grant (``can_view_grant``)."""
    return Payment.objects.filter(grant__in=grants_visible(user).values("pk"))


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


def sessions_visible(user) -> QuerySet[EventSession]:
    """An event's programme is shown with the event (``events.rules.can_view_event``)."""
    return EventSession.objects.filter(event__in=events_visible(user).values("pk"))


def ideas_visible(user) -> QuerySet[EventIdea]:
    """One's own ideas (``events.rules.can_edit_idea``'s submitter) and, for staff, the
    ideas of their scope (``events.selectors.ideas_for_staff`` = ``can_review_idea``)."""
    visible = Q(submitter=user)
    if can_review_ideas(user):
        visible |= Q(pk__in=ideas_for_staff(user=user).values("pk"))
    return EventIdea.objects.filter(visible)


def wall_posts_visible(user) -> QuerySet[WallPost]:
    """``events.rules.can_view_wall`` / ``can_moderate_wall``: every post of the events one
    staffs; the approved posts of published events one is a confirmed participant of; and
    one's own posts still waiting for the staff (the wall page shows them to their author)."""
    if not user.is_authenticated:
        return WallPost.objects.none()
    attending = Registration.objects.filter(user=user, status=RegistrationStatus.CONFIRMED,
                                            event__status=EventStatus.PUBLISHED).values("event_id")
    return WallPost.objects.filter(Q(event__in=events_staffed(user).values("pk"))
                                   | Q(status=WallPostStatus.APPROVED, event__in=attending)
                                   | Q(author=user, status=WallPostStatus.PENDING))


def meeting_requests_visible(user) -> QuerySet[MeetingRequest]:
    """``meetings.rules.can_view_request``: requester, receiver and the event's staff."""
    return MeetingRequest.objects.filter(Q(requester__user=user) | Q(receiver__user=user)
                                         | Q(event__in=events_staffed(user).values("pk")))


def plan_versions_visible(user) -> QuerySet[PlanVersion]:
    """Every version of a meeting plan: the event's staff (``meetings.rules.can_manage_meetings``);
    participants see their meetings of the released plan under ``/meetings/``."""
    return PlanVersion.objects.filter(event__in=events_staffed(user).values("pk"))


def meetings_visible(user) -> QuerySet[Meeting]:
    """The event's staff: the meetings of every version. A participant
    (``meetings.rules.is_participant``): her own meetings of the latest released version,
    as on her meetings page (``meetings.selectors.meetings_of``)."""
    latest = PlanVersion.objects.filter(event=OuterRef("version__event"), status=VersionStatus.RELEASED) \
        .order_by("-number").values("pk")[:1]
    own = Meeting.objects.filter(seats__registration__user=user,
                                 seats__registration__status=RegistrationStatus.CONFIRMED,
                                 version_id=Subquery(latest)).values("pk")
    return Meeting.objects.filter(Q(pk__in=own) | Q(version__event__in=events_staffed(user).values("pk")))


def round_plans_visible(user) -> QuerySet[RoundPlan]:
    """``rounds.rules``: the event's staff every plan (``can_plan_rounds``); a confirmed
    participant the published plan of each kind (``can_view_own_seats``; the newest
    released one, before any release the newest: ``rounds.selectors.published_plan``),
    her own seats only."""
    released_first = Case(When(released_at__isnull=False, then=Value(0)), default=Value(1))
    current = RoundPlan.objects.filter(event=OuterRef("event"), kind=OuterRef("kind")) \
        .order_by(released_first, "-created_at", "-pk").values("pk")[:1]
    taking_part = Registration.objects.filter(user=user, status=RegistrationStatus.CONFIRMED).values("event_id")
    return RoundPlan.objects.annotate(current_pk=Subquery(current)).filter(
        Q(event__in=events_staffed(user).values("pk")) | Q(event__in=taking_part, pk=F("current_pk")))
