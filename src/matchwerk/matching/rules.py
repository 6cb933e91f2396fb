"""Who may see suggestions and matches, review the queue, and answer an invitation.

- An organisation sees its own suggestions and answers its own invitations.
- The programme's team (matching team members and coordinators named on it) reviews all
  of the programme's suggestions and sees all of its matches.
- A coordinator reviews the suggestions and sees the matches that involve an
  organisation of her regions, in every programme covering one of her regions; she also
  sees the matches she coordinates and, in a programme that names her as coordinator of a
  region (``ProgrammeCoordinator``), its matches with an organisation of that region.
- Whoever sees a match as staff also accompanies it: moves its stage, writes its journal.
- Administrators do everything.
"""

from __future__ import annotations

import rules
from django.db.models import Q

from matchwerk.accounts.rules import is_admin, is_coordinator, is_network_staff
from matchwerk.profiles.rules import acts_for, in_staff_scope
from matchwerk.programmes.rules import ALL, can_view_programme, is_programme_team_member, staff_region_ids


@rules.predicate
def on_suggestion_team(user, suggestion) -> bool:
    return suggestion is not None and is_programme_team_member.test(user, suggestion.programme)


@rules.predicate
def coordinates_suggestion(user, suggestion) -> bool:
    """One of the two organisations lies in the coordinator's regions."""
    return suggestion is not None and is_coordinator.test(user) and (
        in_staff_scope.test(user, suggestion.organisation) or in_staff_scope.test(user, suggestion.partner))


@rules.predicate
def on_match_team(user, match) -> bool:
    return match is not None and is_programme_team_member.test(user, match.programme)


@rules.predicate
def coordinates_match(user, match) -> bool:
    return match is not None and is_coordinator.test(user) and any(
        in_staff_scope.test(user, side.organisation) for side in match.sides.all())


@rules.predicate
def is_match_coordinator(user, match) -> bool:
    return match is not None and match.coordinator_id is not None and match.coordinator_id == user.pk


def _programme_coordination_regions(user, programme) -> set[int]:
    """Regions the user coordinates in this programme (``ProgrammeCoordinator``), read once
    per programme instance."""
    cache = getattr(programme, "_coordination_regions", None)
    if cache is None:
        cache = programme._coordination_regions = {}
    if user.pk not in cache:
        cache[user.pk] = set(programme.coordinators.filter(user=user).values_list("region_id", flat=True))
    return cache[user.pk]


@rules.predicate
def coordinates_match_in_programme(user, match) -> bool:
    if match is None:
        return False
    regions = _programme_coordination_regions(user, match.programme)
    return bool(regions) and any(side.organisation.region_id in regions for side in match.sides.all())


@rules.predicate
def acts_for_side(user, side) -> bool:
    return side is not None and acts_for.test(user, side.organisation)


can_review_queue = can_view_programme  # open the programme's review queue (scoped inside)
can_review_suggestion = is_admin | (is_network_staff & on_suggestion_team) | coordinates_suggestion
can_recompute_suggestions = is_admin | (is_network_staff & is_programme_team_member)
can_view_match = is_admin | (is_network_staff & on_match_team) | coordinates_match \
    | (is_coordinator & (is_match_coordinator | coordinates_match_in_programme))
# Accompany a match: move its stage, edit its idea and coordinator, write staff notes.
can_change_match = can_view_match


@rules.predicate
def is_match_member(user, match) -> bool:
    """The user acts for one of the match's organisations."""
    return match is not None and any(acts_for.test(user, side.organisation) for side in match.sides.all())


# A match's own page: its members (stage, next milestone, the shared journal) and its staff.
can_open_match = can_view_match | is_match_member
# Write to the journal: members write entries visible to the match; staff also staff-only notes.
can_write_journal = can_change_match | is_match_member
# An organisation's own suggestion list: the organisation itself and the staff of its region.
can_view_suggestions = acts_for | in_staff_scope
can_respond_to_match = acts_for_side


def can_create_match(user, programme: Programme, organisations) -> bool:
    """The programme's team and administrators for any organisations; a coordinator when
    at least one of them lies in her regions (or her regions in this programme)."""
    if not can_view_programme.test(user, programme):
        return False
    if is_admin.test(user) or is_programme_team_member.test(user, programme):
        return True
    regions = set(programme.coordinators.filter(user=user).values_list("region_id", flat=True))
    return any(in_staff_scope.test(user, organisation) or organisation.region_id in regions
               for organisation in organisations)


def suggestion_scope(user, programme) -> Q | None:
    """Filter for the suggestions of ``programme`` the user reviews (None: all of them).

    Administrators and the programme's team review everything; a coordinator the pairs
    with at least one organisation of her regions.
    """
    if is_admin.test(user) or (is_network_staff.test(user) and is_programme_team_member.test(user, programme)):
        return None
    scope = staff_region_ids(user) if is_coordinator.test(user) else frozenset()
    if scope is ALL:
        return None
    return Q(organisation__region_id__in=scope) | Q(partner__region_id__in=scope)


def match_scope(user, programme) -> Q | None:
    """Filter for the matches of ``programme`` the user sees (None: all of them)."""
    if is_admin.test(user) or (is_network_staff.test(user) and is_programme_team_member.test(user, programme)):
        return None
    if not is_coordinator.test(user):
        return Q(pk__in=[])
    scope = staff_region_ids(user)
    if scope is ALL:
        return None
    regions = set(scope) | _programme_coordination_regions(user, programme)
    return Q(sides__organisation__region_id__in=regions) | Q(coordinator=user)
