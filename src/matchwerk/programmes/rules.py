"""Teams and scopes: which regions and programmes a member of staff acts for.

- Administrators act for everything.
- A coordinator acts for the regions she coordinates (``Region.coordinators``) and for
  the regions of the programmes whose team she belongs to.
- The matching team acts for the programmes whose team it belongs to.

A programme without regions covers all regions. ``staff_region_ids`` is the one place
that turns this into region ids; ``profiles.rules`` and ``matching.rules`` build on it.
"""

from __future__ import annotations

import rules

from matchwerk.accounts.rules import is_admin, is_coordinator, is_matching_team, is_network_staff
from matchwerk.programmes.models import Programme

ALL = None  # staff_region_ids() of someone who acts for every region


def staff_region_ids(user) -> frozenset[int] | None:
    """The regions a member of staff acts for: a set of ids, or ``ALL`` (None)."""
    if is_admin.test(user):
        return ALL
    if not is_network_staff.test(user):
        return frozenset()
    regions: set[int] = set()
    if is_coordinator.test(user):
        regions.update(user.coordinated_regions.values_list("pk", flat=True))
    for programme in user.programme_teams.filter(is_active=True).prefetch_related("regions"):
        programme_regions = [region.pk for region in programme.regions.all()]
        if not programme_regions:
            return ALL
        regions.update(programme_regions)
    return frozenset(regions)


def in_region_scope(user, region_id: int | None) -> bool:
    scope = staff_region_ids(user)
    return scope is ALL or region_id in scope


def programmes_for_staff(user):
    """Active programmes whose queue the user may open: all for administrators, the team's
    programmes, and for coordinators every programme that covers one of her regions."""
    programmes = Programme.objects.filter(is_active=True)
    if is_admin.test(user):
        return programmes
    if not is_network_staff.test(user):
        return programmes.none()
    visible = programmes.filter(team=user)
    if is_coordinator.test(user):
        regions = list(user.coordinated_regions.values_list("pk", flat=True))
        visible = visible | programmes.filter(regions__isnull=True) | programmes.filter(regions__in=regions)
    return programmes.filter(pk__in=visible.values("pk")).order_by("name")


@rules.predicate
def is_programme_team_member(user, programme) -> bool:
    """The user is on the programme's team. The team's ids are read once per programme
    instance (one request's worth: a page asks this several times)."""
    if programme is None or user is None or not getattr(user, "is_authenticated", False):
        return False
    if getattr(programme, "_team_ids", None) is None:
        programme._team_ids = frozenset(programme.team.values_list("pk", flat=True))
    return user.pk in programme._team_ids


@rules.predicate
def covers_coordinated_region(user, programme) -> bool:
    if programme is None:
        return False
    regions = set(programme.regions.values_list("pk", flat=True))
    return not regions or user.coordinated_regions.filter(pk__in=regions).exists()


can_view_programme = is_admin | ((is_matching_team | is_coordinator) & is_programme_team_member) \
    | (is_coordinator & covers_coordinated_region)
can_manage_programme = is_admin


@rules.predicate
def coordinates_in_programme(user, programme) -> bool:
    """Named as a coordinator of one of the programme's regions (``ProgrammeCoordinator``)."""
    return programme is not None and programme.coordinators.filter(user=user).exists()


# Open a programme's page: who may view it, and its coordinators per region.
can_open_programme = can_view_programme | (is_coordinator & coordinates_in_programme)
# Peer-learning sessions: the programme's team, its coordinators, administrators.
can_manage_peer_sessions = is_admin | (is_network_staff & is_programme_team_member) \
    | (is_coordinator & (coordinates_in_programme | covers_coordinated_region))


@rules.predicate
def takes_part_in_peer_session(user, session) -> bool:
    """The user acts for one of the matches invited to the session."""
    from matchwerk.matching.rules import is_match_member  # matching.rules builds on this module

    if session is None or not getattr(user, "is_authenticated", False):
        return False
    invited = session.invitations.select_related("match").prefetch_related("match__sides__organisation")
    return any(is_match_member.test(user, invitation.match) for invitation in invited)


@rules.predicate
def manages_peer_session(user, session) -> bool:
    return session is not None and can_manage_peer_sessions.test(user, session.programme)


# A session's page, notes and material files: its participants and the staff who manage it.
can_view_peer_session = manages_peer_session | takes_part_in_peer_session
