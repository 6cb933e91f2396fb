"""Concurrent approvals on PostgreSQL: the programme row lock serialises them, so the
approved grants never exceed the budget."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation
from django.core.exceptions import ValidationError
from django.db import connection
from programme_world import grant_world, ready_match
from threads import run_at_once

from matchwerk.programmes.grants import services
from matchwerk.programmes.grants.enums import GrantStatus
from matchwerk.programmes.grants.models import Grant
from matchwerk.programmes.grants.selectors import budget_summary


@pytest.fixture(autouse=True)
def german():
    """Messages and labels are asserted in German, whatever language an earlier test left active."""
    with translation.override("de"):
        yield


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need a server database (run with scripts/with-postgres.sh)")


def _applied(world, count: int, amount: str) -> list[Grant]:
    grants = []
    for _ in range(count):
        match, member = ready_match(world)
        grants.append(services.grant_apply(actor=member, match=match, purpose="Idee", cost_lines=[("Posten", amount)]))
    return grants


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_approvals_cannot_exceed_the_budget(postgres_only):
    world = grant_world(budget="4000.00")
    first, second = _applied(world, 2, "2500.00")  # either fits alone, both do not
    results = run_at_once([
        lambda grant=grant: services.grant_approve(actor=world.coordinator, grant=Grant.objects.get(pk=grant.pk))
        for grant in (first, second)])
    approved = [r for r in results if isinstance(r, Grant)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(approved) == 1 and len(refused) == 1, results
    assert refused[0].error_list[0].code == "budget_exceeded"
    assert Grant.objects.filter(status=GrantStatus.APPROVED).count() == 1
    assert budget_summary(programme=world.programme).approved == Decimal("2500.00")


@pytest.mark.django_db(transaction=True)
def test_many_concurrent_approvals_fill_the_budget_exactly(postgres_only):
    world = grant_world(budget="7500.00")
    grants = _applied(world, 6, "2500.00")
    results = run_at_once([
        lambda grant=grant: services.grant_approve(actor=world.coordinator, grant=Grant.objects.get(pk=grant.pk))
        for grant in grants])
    assert sum(isinstance(r, Grant) for r in results) == 3, results
    assert all(isinstance(r, (Grant, ValidationError)) for r in results), results
    assert budget_summary(programme=world.programme).approved == Decimal("7500.00")
