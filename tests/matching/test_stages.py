"""A match's stages: one service moves them, validates every move and records who and when."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from factories import (
    make_coordinator, make_match, make_organisation, make_programme, make_region, make_team_member, make_user,
)

from matchwerk.core.models import AccessLog
from matchwerk.matching import services
from matchwerk.matching.enums import Answer, MatchOrigin, MatchStage, MatchStatus, stage_flow, stage_targets
from matchwerk.matching.models import Match, StageChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    region, other = make_region(name="Landkreis Görlitz"), make_region(name="Vogtlandkreis")
    owner_a, owner_b = make_user(), make_user()
    creative = make_organisation(owner=owner_a, kind="creative", region=region, name="Atelier")
    firm = make_organisation(owner=owner_b, kind="sme", region=region, name="Tischlerei")
    programme = make_programme(regions=[region, other], budget=Decimal("75000.00"))
    return {"region": region, "other": other, "creative": creative, "firm": firm, "programme": programme,
            "owner_a": owner_a, "owner_b": owner_b, "coordinator": make_coordinator(region),
            "other_coordinator": make_coordinator(other), "team": make_team_member(programme=programme),
            "admin": make_user(role="admin")}


def _move(world, match, *stages, actor_key="coordinator"):
    for stage in stages:
        services.match_stage_change(actor=world[actor_key], match=match, stage=stage)


def test_a_funded_match_walks_the_whole_flow_and_every_move_is_recorded(world):
    match = make_match(world["creative"], world["firm"], programme=world["programme"])
    assert match.stage == MatchStage.PROPOSED and match.origin == MatchOrigin.MANUAL
    _move(world, match, MatchStage.AGREED, MatchStage.KICKOFF, MatchStage.GRANT_APPROVED, MatchStage.IN_PROGRESS,
          MatchStage.COMPLETED, MatchStage.COOPERATING_6, MatchStage.COOPERATING_12)
    match.refresh_from_db()
    assert match.stage == MatchStage.COOPERATING_12 and match.status == MatchStatus.ACTIVE
    changes = list(StageChange.objects.filter(match=match).values_list("from_stage", "to_stage", "changed_by"))
    assert [to for _, to, _ in changes] == ["proposed", "agreed", "kickoff", "grant_approved", "in_progress",
                                            "completed", "cooperating_6", "cooperating_12"]
    assert all(by == world["coordinator"].pk for _, _, by in changes[1:])
    assert [(f, t) for f, t, _ in changes[1:]] == list(zip([t for _, t, _ in changes[:-1]],
                                                            [t for _, t, _ in changes[1:]]))
    logged = AccessLog.objects.filter(action="matchwerk.matching.match.stage_changed", object_id=str(match.pk))
    assert logged.count() == 7 and logged.filter(actor=world["coordinator"]).count() == 7


@pytest.mark.parametrize("start, target", [
    (MatchStage.PROPOSED, MatchStage.KICKOFF),
    (MatchStage.AGREED, MatchStage.COMPLETED),
    (MatchStage.KICKOFF, MatchStage.IN_PROGRESS),       # funded: grant approved first
    (MatchStage.KICKOFF, MatchStage.COMPLETED),         # no "completed" before "grant approved"
    (MatchStage.IN_PROGRESS, MatchStage.KICKOFF),       # never backwards
    (MatchStage.COMPLETED, MatchStage.IN_PROGRESS),
    (MatchStage.COOPERATING_12, MatchStage.COOPERATING_6),
])
def test_invalid_moves_are_refused_and_change_nothing(world, start, target):
    match = make_match(world["creative"], world["firm"], programme=world["programme"], stage=start)
    before = StageChange.objects.count()
    with pytest.raises(ValidationError):
        services.match_stage_change(actor=world["coordinator"], match=match, stage=target)
    match.refresh_from_db()
    assert match.stage == start and StageChange.objects.count() == before


def test_unfunded_programme_has_no_grant_stage(world):
    programme = make_programme(regions=[world["region"]], grant_per_match=Decimal("0.00"))
    assert not programme.funds_matches
    assert MatchStage.GRANT_APPROVED not in stage_flow(funded=False)
    match = make_match(world["creative"], world["firm"], programme=programme, stage=MatchStage.KICKOFF)
    with pytest.raises(ValidationError):
        services.match_stage_change(actor=world["coordinator"], match=match, stage=MatchStage.GRANT_APPROVED)
    _move(world, match, MatchStage.IN_PROGRESS, MatchStage.COMPLETED)
    assert Match.objects.get(pk=match.pk).stage == MatchStage.COMPLETED


def test_stage_targets_funded_and_not():
    assert stage_targets(MatchStage.KICKOFF, funded=True) == [MatchStage.GRANT_APPROVED, MatchStage.ENDED]
    assert stage_targets(MatchStage.KICKOFF, funded=False) == [MatchStage.IN_PROGRESS, MatchStage.ENDED]
    assert stage_targets(MatchStage.COMPLETED, funded=True) == [
        MatchStage.COOPERATING_6, MatchStage.COOPERATING_12, MatchStage.ENDED]
    assert stage_targets(MatchStage.ENDED, funded=True) == []


def test_ending_needs_a_reason_and_is_final(world):
    match = make_match(world["creative"], world["firm"], programme=world["programme"], stage=MatchStage.IN_PROGRESS)
    with pytest.raises(ValidationError):
        services.match_stage_change(actor=world["coordinator"], match=match, stage=MatchStage.ENDED, reason="  ")
    services.match_stage_change(actor=world["coordinator"], match=match, stage=MatchStage.ENDED,
                                reason="Firma hat Insolvenz angemeldet")
    match.refresh_from_db()
    assert match.stage == MatchStage.ENDED and match.ended_reason == "Firma hat Insolvenz angemeldet"
    assert match.status == MatchStatus.ACTIVE  # it had been agreed: counts as a confirmed match
    for stage in (MatchStage.IN_PROGRESS, MatchStage.COMPLETED, MatchStage.ENDED):
        with pytest.raises(ValidationError):
            services.match_stage_change(actor=world["coordinator"], match=match, stage=stage, reason="x")


def test_ending_a_proposed_match_declines_it(world):
    match = make_match(world["creative"], world["firm"], programme=world["programme"])
    services.match_stage_change(actor=world["team"], match=match, stage=MatchStage.ENDED, reason="passt nicht")
    match.refresh_from_db()
    assert match.status == MatchStatus.DECLINED


def test_unknown_or_same_stage_is_refused(world):
    match = make_match(world["creative"], world["firm"], programme=world["programme"], stage=MatchStage.AGREED)
    for stage in ("nonsense", MatchStage.AGREED):
        with pytest.raises(ValidationError):
            services.match_stage_change(actor=world["coordinator"], match=match, stage=stage)


@pytest.mark.parametrize("who", ["owner_a", "other_coordinator"])
def test_stage_change_denied_for_participants_and_coordinators_of_other_regions(world, who):
    match = make_match(world["creative"], world["firm"], programme=world["programme"])
    with pytest.raises(PermissionDenied):
        services.match_stage_change(actor=world[who], match=match, stage=MatchStage.AGREED)
    with pytest.raises(PermissionDenied):
        services.match_stage_change(actor=None, match=match, stage=MatchStage.AGREED)
    match.refresh_from_db()
    assert match.stage == MatchStage.PROPOSED


@pytest.mark.parametrize("who", ["coordinator", "team", "admin"])
def test_stage_change_allowed_for_region_coordinator_team_and_admin(world, who):
    match = make_match(world["creative"], world["firm"], programme=world["programme"])
    services.match_stage_change(actor=world[who], match=match, stage=MatchStage.AGREED)
    assert Match.objects.get(pk=match.pk).stage == MatchStage.AGREED


def test_programme_coordinator_of_a_region_and_match_coordinator_may_move(world):
    from matchwerk.programmes.models import ProgrammeCoordinator

    outsider = make_coordinator(world["other"])
    match = make_match(world["creative"], world["firm"], programme=world["programme"])
    with pytest.raises(PermissionDenied):
        services.match_stage_change(actor=outsider, match=match, stage=MatchStage.AGREED)
    ProgrammeCoordinator.objects.create(programme=world["programme"], region=world["region"], user=outsider)
    fresh = Match.objects.get(pk=match.pk)
    services.match_stage_change(actor=outsider, match=fresh, stage=MatchStage.AGREED)
    second = make_coordinator(world["other"])
    fresh = Match.objects.get(pk=match.pk)
    fresh.coordinator = second
    fresh.save(update_fields=["coordinator"])
    services.match_stage_change(actor=second, match=fresh, stage=MatchStage.KICKOFF)
    assert Match.objects.get(pk=match.pk).stage == MatchStage.KICKOFF


def test_new_match_gets_the_programmes_coordinator_of_its_region(world):
    from matchwerk.programmes.models import ProgrammeCoordinator

    ProgrammeCoordinator.objects.create(programme=world["programme"], region=world["region"],
                                        user=world["coordinator"])
    match = make_match(world["creative"], world["firm"], programme=world["programme"])
    assert match.coordinator == world["coordinator"]


def test_double_yes_moves_a_suggested_match_to_both_agreed(world):
    from matchwerk.matching.models import Suggestion

    suggestion = Suggestion.objects.create(programme=world["programme"], organisation=world["creative"],
                                           partner=world["firm"], score=0.9, rank=1, reasons=[])
    match = services.suggestion_accept(user=world["team"], suggestion=suggestion)
    assert match.origin == MatchOrigin.SUGGESTION and match.stage == MatchStage.PROPOSED
    # staff cannot skip the sides' answers of a suggested match
    with pytest.raises(ValidationError):
        services.match_stage_change(actor=world["team"], match=match, stage=MatchStage.AGREED)
    sides = {side.organisation_id: side for side in match.sides.all()}
    services.match_respond(user=world["owner_a"], side=sides[world["creative"].pk], accept=True)
    assert Match.objects.get(pk=match.pk).stage == MatchStage.PROPOSED
    match = services.match_respond(user=world["owner_b"], side=sides[world["firm"].pk], accept=True)
    assert match.stage == MatchStage.AGREED and match.status == MatchStatus.ACTIVE
    last = StageChange.objects.filter(match=match).last()
    assert (last.from_stage, last.to_stage, last.changed_by) == ("proposed", "agreed", world["owner_b"])


def test_a_no_ends_the_match_with_a_reason(world):
    match = make_match(world["creative"], world["firm"], programme=world["programme"])
    side = match.sides.get(organisation=world["firm"])
    match = services.match_respond(user=world["owner_b"], side=side, accept=False)
    assert (match.stage, match.status, match.ended_reason) == (MatchStage.ENDED, MatchStatus.DECLINED, "abgelehnt")
    assert match.sides.get(organisation=world["firm"]).answer == Answer.DECLINED


def test_manual_match_of_three_organisations_and_its_checks(world):
    third = make_organisation(kind="startup", region=world["other"])
    match = services.match_create(actor=world["coordinator"], programme=world["programme"],
                                  organisations=[world["creative"], world["firm"], third],
                                  idea="Gemeinsam einen Online-Shop für Möbel aus Restholz ausprobieren")
    assert match.sides.count() == 3 and match.created_by == world["coordinator"]
    with pytest.raises(ValidationError):
        services.match_create(actor=world["team"], programme=world["programme"],
                              organisations=[world["creative"], world["creative"]])
    with pytest.raises(ValidationError):  # the pair already has a match here
        services.match_create(actor=world["team"], programme=world["programme"],
                              organisations=[world["creative"], world["firm"]])
    lonely = make_organisation(region=world["region"])
    with pytest.raises(PermissionDenied):  # neither organisation lies in her regions
        services.match_create(actor=world["other_coordinator"], programme=world["programme"],
                              organisations=[world["creative"], lonely])
    with pytest.raises(PermissionDenied):
        services.match_create(actor=world["owner_a"], programme=world["programme"],
                              organisations=[world["creative"], lonely])


def test_moves_are_dated_with_the_given_time(world):
    match = make_match(world["creative"], world["firm"], programme=world["programme"])
    then = timezone.now() - timedelta(days=40)
    services.match_stage_change(actor=world["coordinator"], match=match, stage=MatchStage.AGREED, now=then)
    assert match.stage_changed_at == then
    assert StageChange.objects.filter(match=match, to_stage=MatchStage.AGREED).get().changed_at == then
