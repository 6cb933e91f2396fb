"""The demo's matches: several stages, moved through the stage service, loaded once."""

import pytest
from django.core.management import call_command

from matchwerk.matching.enums import MatchStage
from matchwerk.matching.models import JournalEntry, Match, Milestone, StageChange
from matchwerk.programmes.models import ProgrammeCoordinator

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_part]


def test_demo_has_matches_in_several_stages_once():
    call_command("demo_load", verbosity=0)
    stages = set(Match.objects.filter(programme__slug="kreative-lausitz").values_list("stage", flat=True))
    assert {MatchStage.PROPOSED, MatchStage.AGREED, MatchStage.KICKOFF, MatchStage.ENDED} <= stages
    kickoff = Match.objects.get(programme__slug="kreative-lausitz", stage=MatchStage.KICKOFF)
    assert list(StageChange.objects.filter(match=kickoff).values_list("to_stage", flat=True)) == [
        "proposed", "agreed", "kickoff"]
    assert Milestone.objects.filter(match=kickoff).exists()
    assert JournalEntry.objects.filter(match=kickoff, visibility="staff").exists()
    assert ProgrammeCoordinator.objects.filter(programme__slug="kreative-lausitz").count() == 2
    count = Match.objects.count()
    call_command("demo_load", verbosity=0)
    assert Match.objects.count() == count
