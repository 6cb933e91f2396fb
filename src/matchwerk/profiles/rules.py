"""Who may see and change organisations, their people, needs and offers.

Participants act for the organisations they belong to; staff act within their scope
(``programmes.rules.staff_region_ids``): coordinators see and edit the organisations of
their regions, the matching team sees (but does not edit) those of its programmes,
administrators everything. Views answer 404 for an organisation the user may not see and
403 for a change the user may not make; services ask the same predicates.
"""

from __future__ import annotations

import rules
from django.db.models import Q

from matchwerk.accounts.rules import (
    has_confirmed_email, is_active_user, is_admin, is_coordinator, is_matching_team, is_network_staff,
)
from matchwerk.programmes.rules import ALL, in_region_scope, staff_region_ids


def _saved(organisation) -> bool:
    return organisation is not None and organisation.pk is not None


@rules.predicate
def acts_for(user, organisation) -> bool:
    """The user is one of the organisation's people with the right to edit it."""
    return is_active_user.test(user) and _saved(organisation) \
        and organisation.people.filter(user=user, can_edit=True).exists()


@rules.predicate
def belongs_to(user, organisation) -> bool:
    """The user is one of the organisation's people (with or without the right to edit)."""
    return is_active_user.test(user) and _saved(organisation) and organisation.people.filter(user=user).exists()


@rules.predicate
def in_staff_scope(user, organisation) -> bool:
    """The organisation lies in a region the member of staff acts for."""
    return organisation is not None and is_network_staff.test(user) and in_region_scope(user, organisation.region_id)


@rules.predicate
def is_listed(user, organisation) -> bool:
    return organisation is not None and organisation.listed_in_directory


# Coordinators and administrators change what is in their scope; the matching team reads.
staff_edits = (is_admin | is_coordinator) & in_staff_scope

can_view_organisation = is_listed | belongs_to | in_staff_scope
can_create_organisation = is_active_user & (has_confirmed_email | is_network_staff)
can_edit_organisation = acts_for | staff_edits
can_delete_organisation = acts_for | staff_edits
# Names, e-mail addresses and phone numbers are personal data: the organisation itself
# and the staff of its region (each staff read is logged).
can_view_people_of_organisation = acts_for | in_staff_scope
can_record_organisation_consent = acts_for
# Staff may take the last editing right away (e.g. when a person leaves); members may not.
can_override_last_editor = staff_edits

can_view_backoffice = is_network_staff
can_manage_topics = is_network_staff
can_import_organisations = is_admin | is_coordinator
can_export_directory = is_network_staff
is_staff_reader = is_network_staff & ~acts_for  # staff reads that are logged


def organisations_in_scope(user, queryset):
    """Narrow a queryset of organisations to the staff member's regions."""
    scope = staff_region_ids(user)
    if scope is ALL:
        return queryset
    return queryset.filter(region_id__in=scope)


def region_q(user, *, field: str = "region_id") -> Q | None:
    """A filter for rows whose organisation region lies in the user's scope (None: all)."""
    scope = staff_region_ids(user)
    return None if scope is ALL else Q(**{f"{field}__in": scope})


def import_rows_outside_scope(user, plan) -> list[int]:
    """Spreadsheet rows (numbers) that would create or change an organisation outside the
    staff member's regions: a coordinator imports only into her regions."""
    from matchwerk.profiles.models import Organisation

    scope = staff_region_ids(user)
    if scope is ALL:
        return []
    existing = dict(Organisation.objects.filter(
        pk__in=[row.existing_id for row in plan.rows if row.existing_id]).values_list("pk", "region_id"))
    return [row.row for row in plan.rows
            if ("region_id" in row.values and row.values["region_id"] not in scope)
            or (row.existing_id and existing.get(row.existing_id) not in scope)]
