"""Rows of the URL × role matrix: grants (programmes/grants) and programme reports.

Programme P (region R) funds matches; grant G (applied) is on the world's match A × B, grant
H (approved, with a proof of use and a receipt) on a second match A × B. Both sides'
participants are the match's members; staff who see the match (coordinator of R, P's
matching team, administrators) see the grants, the coordinator of R and administrators
decide. The coordinator of S sees neither the match nor programme P.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.files.base import ContentFile

from .base import ADMIN, COORD, GET_ONLY, PA, PB, POST_ONLY, STAFF, TEAM, r

MEMBERS = frozenset({PA, PB})
SEES_MATCH = frozenset({COORD, TEAM, ADMIN})
DECIDES = frozenset({COORD, ADMIN})
P = ("slug:p",)

ROWS = {
    # the members' side; the probe's empty forms answer 400 with the errors
    "grants:apply": r(MEMBERS, kwargs=("match_pk:match",), also_ok={400}),
    "grants:grant": r(MEMBERS | SEES_MATCH, GET_ONLY, kwargs=("pk:grant",)),
    "grants:proof_submit": r(POST_ONLY, MEMBERS, kwargs=("pk:grant_approved",), also_ok={400}),
    "grants:receipt": r(MEMBERS | SEES_MATCH, GET_ONLY, kwargs=("pk:receipt",)),
    # the back office
    "grants:staff_index": r(STAFF, GET_ONLY),  # each sees the programmes of her scope
    "grants:staff_list": r(SEES_MATCH, GET_ONLY, kwargs=P),
    "grants:staff_detail": r(SEES_MATCH, GET_ONLY, kwargs=("pk:grant",)),
    "grants:staff_approve": r(POST_ONLY, DECIDES, kwargs=("pk:grant",), also_ok={400}),
    "grants:staff_changes": r(POST_ONLY, DECIDES, kwargs=("pk:grant",), also_ok={400}),
    "grants:staff_payment": r(POST_ONLY, DECIDES, kwargs=("pk:grant_approved",), also_ok={400}),
    "grants:staff_proof_check": r(POST_ONLY, DECIDES, kwargs=("pk:grant_approved",), also_ok={400}),
    "reports:dashboard": r(SEES_MATCH, GET_ONLY, kwargs=P),
    "reports:funder_pdf": r(SEES_MATCH, GET_ONLY, kwargs=P),
    "reports:funder_xlsx": r(SEES_MATCH, GET_ONLY, kwargs=P),
}


def world(ctx) -> dict:
    from matchwerk.matching.models import Match, MatchSide
    from matchwerk.programmes.grants.enums import GrantStatus
    from matchwerk.programmes.grants.models import Grant, ProofOfUse, Receipt

    programme = ctx.programme
    programme.budget = Decimal("10000.00")
    programme.save(update_fields=["budget"])
    grant = Grant.objects.create(programme=programme, match=ctx.match, purpose="Prototyp",
                                 amount_requested=Decimal("1000.00"))
    second = Match.objects.create(programme=programme, status="active")
    MatchSide.objects.create(match=second, organisation=ctx.org_a)
    MatchSide.objects.create(match=second, organisation=ctx.org_b)
    approved = Grant.objects.create(programme=programme, match=second, purpose="Zweite Idee",
                                    amount_requested=Decimal("2500.00"), amount_approved=Decimal("2500.00"),
                                    status=GrantStatus.APPROVED)
    proof = ProofOfUse.objects.create(grant=approved, report="Bericht")
    receipt = Receipt(proof=proof, original_name="beleg.pdf", content_type="application/pdf", size=9)
    receipt.file.save("beleg.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    receipt.save()
    return {"grant": grant.pk, "grant_approved": approved.pk, "receipt": receipt.pk, "match": ctx.match.pk}
