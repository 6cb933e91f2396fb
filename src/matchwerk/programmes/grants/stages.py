"""The one place where a grant moves its match through the programme's stages (the
stage model and its validated transitions belong to ``matching``)."""

from __future__ import annotations


def match_to_grant_approved(*, actor, match, amount: str) -> None:
    """Move ``match`` to "grant approved" through ``matching.services.match_stage_change``
    (its transition rules apply: a refusal rolls the approval back)."""
    from matchwerk.matching import services as matching_services

    change = getattr(matching_services, "match_stage_change", None)
    if change is None:  # the stage model is not there yet (programmes issue, items 1–2)
        return
    from matchwerk.matching.enums import MatchStage

    change(actor=actor, match=match, stage=MatchStage.GRANT_APPROVED,
           note=f"Förderung bewilligt: {amount} EUR")
