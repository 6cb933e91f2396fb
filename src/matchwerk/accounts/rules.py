"""Who someone is in the network: the role predicates every app's rules combine.

Predicates come from the ``rules`` package (as in pretalx): small functions that combine
with ``&``, ``|`` and ``~`` and are asked with ``predicate.test(user, obj)``, which
always returns a boolean and never raises. Roles alone open nothing but the back office
door; what staff may see and change is scoped by teams (``programmes.rules``).
"""

from __future__ import annotations

import rules

from matchwerk.accounts.enums import Role


@rules.predicate
def is_active_user(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


@rules.predicate
def has_admin_role(user) -> bool:
    return user.is_superuser or user.role == Role.ADMIN


@rules.predicate
def has_coordinator_role(user) -> bool:
    return user.role == Role.COORDINATOR


@rules.predicate
def has_matching_team_role(user) -> bool:
    return user.role == Role.MATCHING_TEAM


@rules.predicate
def has_confirmed_email(user) -> bool:
    return user.email_confirmed_at is not None


is_admin = is_active_user & has_admin_role
is_coordinator = is_active_user & has_coordinator_role & ~has_admin_role
is_matching_team = is_active_user & has_matching_team_role & ~has_admin_role
# Coordinators, the matching team and administrators: the back office's door.
is_network_staff = is_admin | is_coordinator | is_matching_team

can_manage_users = is_admin
# Only administrators assign coordinators to regions (and create, rename or delete regions).
can_manage_regions = is_admin
