"""The demo's kick-off and roundtable evening come with plans made by the engine runs."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from matchwerk.rounds.demo import KICKOFF, STAMMTISCH, load_demo_rounds
from matchwerk.rounds.enums import PlanKind, RunStatus
from matchwerk.rounds.models import Plan, PlanRun

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_part]


def test_demo_plans_for_kickoff_and_stammtisch_once():
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
        call_command("demo_load", verbosity=0)
    speed = Plan.objects.get(kind=PlanKind.SPEED)
    table = Plan.objects.get(kind=PlanKind.ROUNDTABLE)
    assert speed.event.title == KICKOFF and table.event.title == STAMMTISCH
    assert speed.figures["pairs"] == speed.figures["candidates"] == 24  # 3 startups × 8 SMEs, all fit
    assert table.seats.filter(round=1, table=1, topic="Smart City").exists()
    assert table.figures["participants"] == 9 and table.figures["tables"] == 3
    assert table.figures["repeats"] == 0 and table.figures["known_met"] == 0, table.figures  # nobody twice
    assert set(PlanRun.objects.values_list("status", flat=True)) == {RunStatus.DONE}
    assert load_demo_rounds() == 0 and Plan.objects.count() == 2
