"""A programme's funding fields: exact EUR amounts, the default grant, the period's check."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from factories import make_programme

pytestmark = pytest.mark.django_db


def test_defaults_are_a_funded_programme_with_2500_eur_per_match():
    programme = make_programme()
    programme.refresh_from_db()
    assert programme.grant_per_match == Decimal("2500.00") and isinstance(programme.budget, Decimal)
    assert programme.funds_matches and programme.retention_months == 24


def test_zero_grant_means_the_programme_does_not_fund_matches():
    assert not make_programme(grant_per_match=Decimal("0")).funds_matches


def test_period_must_not_end_before_it_starts():
    programme = make_programme(starts_on=date(2026, 3, 1), ends_on=date(2026, 2, 1))
    with pytest.raises(ValidationError) as error:
        programme.full_clean()
    assert "ends_on" in error.value.message_dict


def test_negative_amounts_are_refused():
    programme = make_programme()
    programme.budget = Decimal("-0.01")
    with pytest.raises(ValidationError) as error:
        programme.full_clean()
    assert "budget" in error.value.message_dict
