"""Who may apply for, decide on, pay and check a grant.

- The match's members (people acting for one of its organisations) apply, see their
  grant and submit the proof of use.
- Staff who see the match (``matching.rules.can_view_match``) see its grant; the
  coordinators among them (and administrators) decide, record payments and check proofs.
  The matching team reads but does not decide.
"""

from __future__ import annotations

import rules

from matchwerk.accounts.rules import is_admin, is_coordinator, is_network_staff
from matchwerk.matching.rules import can_view_match
from matchwerk.profiles.rules import acts_for
from matchwerk.programmes.rules import can_view_programme


@rules.predicate
def member_of_match(user, match) -> bool:
    return match is not None and any(acts_for.test(user, side.organisation) for side in match.sides.all())


@rules.predicate
def member_of_grant_match(user, grant) -> bool:
    return grant is not None and member_of_match.test(user, grant.match)


@rules.predicate
def sees_grant_match(user, grant) -> bool:
    return grant is not None and can_view_match.test(user, grant.match)


can_apply_for_grant = member_of_match                     # (user, match)
can_view_grant = member_of_grant_match | (is_network_staff & sees_grant_match)
can_decide_grant = is_admin | (is_coordinator & sees_grant_match)   # approve, ask for changes, pay, check proof
can_submit_proof = member_of_grant_match
can_view_programme_grants = can_view_programme            # (user, programme): budget and grant list
