"""Retention: when a programme's retention period after its end has passed, the personal
data of its participants who are not involved anywhere else is erased (accounts through
the GDPR erasure service ``accounts.services.user_erase``) or anonymised (person entries
without an account). Figures of the reports stay the same: they count organisations,
matches, grants and events, never people."""
