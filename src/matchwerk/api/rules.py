"""Who may use the API's own objects: personal tokens and webhooks.

Everything else the API serves is decided by the rules of the app that owns it
(``profiles.rules``, ``matching.rules``, ``events.rules`` …): a token acts with its
user's rights through the same predicates as the pages.
"""

from __future__ import annotations

import rules

from matchwerk.accounts.rules import is_active_user, is_admin, is_network_staff  # noqa: F401  (is_admin: pages)


@rules.predicate
def owns(user, obj) -> bool:
    return obj is not None and getattr(obj, "owner_id", getattr(obj, "user_id", None)) == user.pk


can_use_api_tokens = is_active_user
can_revoke_api_token = is_active_user & owns
# Network staff register webhooks; each hook delivers only what its owner may see.
can_manage_webhooks = is_network_staff
can_change_webhook = is_network_staff & (owns | is_admin)
