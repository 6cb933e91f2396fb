"""The one place where a grant moves its match through the programme's stages (the
stage model and its validated transitions belong to ``matching``)."""

from __future__ import annotations

from matchwerk.matching.enums import MatchStage
from matchwerk.matching.services import match_stage_change


def match_to_grant_approved(*, actor, match, amount: str) -> None:
    """Move ``match`` to "grant approved" through ``matching.services.match_stage_change``
    (its rules apply: only from "kick-off held", only by who may accompany the match; a
    refusal rolls the approval back)."""
    match_stage_change(actor=actor, match=match, stage=MatchStage.GRANT_APPROVED,
                       note=f"Förderung bewilligt: {amount} EUR")
