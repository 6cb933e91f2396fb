"""The demo programme: three regions with their coordinator, 36 matches with four in every
stage, grants approved and paid within the budget; loading twice adds nothing; the
dashboard shows it."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from matchwerk.accounts.models import User
from matchwerk.matching.enums import MatchStage
from matchwerk.profiles.models import Organisation, Person
from matchwerk.programmes.demo import SLUG
from matchwerk.programmes.grants.selectors import budget_summary
from matchwerk.programmes.models import Programme
from matchwerk.programmes.reports.figures import programme_figures

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_part]


def _load():
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
        call_command("demo_load", verbosity=0)


def test_demo_programme_has_every_stage_and_paid_grants(client):
    _load()
    programme = Programme.objects.get(slug=SLUG)
    assert programme.regions.count() == 3 and programme.coordinators.count() == 3
    stages = list(programme.matches.values_list("stage", flat=True))
    assert len(stages) == 36
    assert {stage: stages.count(stage) for stage in MatchStage.values} == {stage: 4 for stage in MatchStage.values}
    budget = budget_summary(programme=programme)
    assert budget.approved_count == 20 and budget.paid_count == 16  # "grant approved" .. "cooperating 12"
    assert budget.paid > 0 and budget.remaining == budget.total - budget.approved >= 0
    figures = programme_figures(programme=programme)
    assert figures.matches == 36 and sum(row[1] for row in figures.by_region.rows) == 36
    # every demo organisation has a contact person (no account), so the match pages show whom to talk to
    organisations = Organisation.objects.filter(match_sides__match__programme=programme).distinct()
    assert organisations.count() == 36
    assert all(org.people.filter(is_contact=True, user=None).exclude(email="").count() == 1 for org in organisations)
    client.force_login(User.objects.get(email="koordination@matchwerk.example"))
    assert client.get(reverse("reports:dashboard", args=[SLUG])).status_code == 200


def test_demo_programme_loads_once():
    _load()
    _load()
    assert Programme.objects.get(slug=SLUG).matches.count() == 36
    assert Person.objects.filter(organisation__key__startswith="demo-cilr-").count() == 36
