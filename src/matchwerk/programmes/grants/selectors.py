"""Reads of grants: a programme's budget figures and grant lists."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from matchwerk.programmes.grants.enums import GrantStatus
from matchwerk.programmes.grants.models import Grant, Payment

ZERO = Decimal("0.00")


def programme_budget(programme) -> Decimal | None:
    """The programme's total budget (None: the programme does not fund matches)."""
    return programme.budget if programme.funds_matches else None


def grant_ceiling(programme) -> Decimal:
    """The most one match may get (the programme's grant per match)."""
    return programme.grant_per_match


@dataclass(frozen=True)
class BudgetSummary:
    total: Decimal | None
    approved: Decimal       # committed by approved grants
    paid: Decimal
    requested: Decimal      # applications not yet decided
    approved_count: int
    paid_count: int         # approved grants with at least one payment

    @property
    def remaining(self) -> Decimal | None:
        return None if self.total is None else self.total - self.approved

    @property
    def unpaid(self) -> Decimal:
        return self.approved - self.paid


def budget_summary(*, programme) -> BudgetSummary:
    """The budget box (two aggregate queries: grants, payments)."""
    sums = Grant.objects.filter(programme=programme).aggregate(
        approved=Sum("amount_approved", filter=Q(status=GrantStatus.APPROVED)),
        requested=Sum("amount_requested", filter=~Q(status=GrantStatus.APPROVED)),
        approved_count=Count("pk", filter=Q(status=GrantStatus.APPROVED)),
    )
    paid = Payment.objects.filter(grant__programme=programme).aggregate(
        total=Sum("amount"), grants=Count("grant_id", distinct=True))
    return BudgetSummary(
        total=programme_budget(programme), approved=sums["approved"] or ZERO, paid=paid["total"] or ZERO,
        requested=sums["requested"] or ZERO, approved_count=sums["approved_count"], paid_count=paid["grants"],
    )


def grants_of_programme(*, programme, scope: Q | None = None, status: str = ""):
    """The programme's grants (``scope``: a filter on matches as ``matching.rules.match_scope``
    returns it, prefixed for grants)."""
    grants = Grant.objects.filter(programme=programme).select_related("match", "programme").prefetch_related(
        "match__sides__organisation__region", "payments")
    if scope is not None:
        match_ids = programme.matches.filter(scope).values("pk")
        grants = grants.filter(match_id__in=match_ids)
    if status in GrantStatus.values:
        grants = grants.filter(status=status)
    return grants.order_by("-applied_at", "-id")


def grant_of_match(*, match) -> Grant | None:
    return Grant.objects.filter(match=match).prefetch_related("cost_lines", "payments").first()
