"""Follow-up check-ins 3, 6 and 12 months after completion: sent on schedule and exactly
once (time travel through ``now=``), reminders after 14 days, answers through the signed
link move the stage."""

import re
from datetime import datetime, timedelta, timezone as tz

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from factories import make_match, make_organisation, make_programme, make_region, make_user

from matchwerk.matching import services
from matchwerk.matching.enums import MatchStage
from matchwerk.matching.models import FollowUp, FollowUpAnswer, Match
from matchwerk.matching.services.followups import add_months, followup_token
from matchwerk.matching.tasks import send_due_followups
from matchwerk.profiles.models import Person

pytestmark = pytest.mark.django_db

COMPLETED = datetime(2026, 1, 31, 10, 0, tzinfo=tz.utc)


@pytest.fixture
def completed_match():
    region = make_region()
    owner_a, owner_b = make_user(email="anna@example.org"), make_user(email="bert@example.org")
    a = make_organisation(owner=owner_a, kind="creative", region=region)
    b = make_organisation(owner=owner_b, kind="sme", region=region)
    Person.objects.create(organisation=b, name="Carla Kontakt", email="carla@example.org", can_edit=False)
    Person.objects.create(organisation=b, name="Ohne Adresse", email="", can_edit=False)
    programme = make_programme(regions=[region])
    match = make_match(a, b, programme=programme, stage=MatchStage.IN_PROGRESS)
    services.match_stage_change(actor=None, match=match, stage=MatchStage.COMPLETED, now=COMPLETED, system=True)
    mail.outbox.clear()
    return match


def _recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(COMPLETED, 1) == datetime(2026, 2, 28, 10, 0, tzinfo=tz.utc)
    assert add_months(COMPLETED, 12) == datetime(2027, 1, 31, 10, 0, tzinfo=tz.utc)


def test_checkins_go_out_at_3_6_12_months_exactly_once(completed_match):
    members = ["anna@example.org", "bert@example.org", "carla@example.org"]
    # one day before three months: nothing
    assert services.followups_send_due(now=add_months(COMPLETED, 3) - timedelta(days=1)) == 0
    assert mail.outbox == []
    # at three months: one mail per member with an address, and not again on later runs
    three = add_months(COMPLETED, 3)
    assert services.followups_send_due(now=three) == 1
    assert _recipients() == members
    assert "3 Monate" in mail.outbox[0].subject
    for later in (three, three + timedelta(hours=1), three + timedelta(days=3)):
        assert services.followups_send_due(now=later) == 0
    assert len(mail.outbox) == 3
    # someone answers (no reminder then); at six and twelve months the next rounds
    checkin = FollowUp.objects.get(match=completed_match, month=3)
    person = Person.objects.get(email="carla@example.org")
    services.followup_answer(token=followup_token(followup=checkin, person_id=person.pk), still_cooperating=True,
                             outcome="Zweiter Auftrag", now=three + timedelta(days=2))
    mail.outbox.clear()
    assert services.followups_send_due(now=add_months(COMPLETED, 6)) == 1
    assert services.followups_send_due(now=add_months(COMPLETED, 6)) == 0
    assert services.followups_send_due(now=add_months(COMPLETED, 12)) == 1
    assert services.followups_send_due(now=add_months(COMPLETED, 12) + timedelta(days=1)) == 0
    assert len(mail.outbox) == 6
    assert set(FollowUp.objects.filter(match=completed_match, kind="checkin").values_list("month", flat=True)) == {
        3, 6, 12}


def test_the_task_run_twice_like_a_restarted_worker_sends_once(completed_match):
    when = add_months(COMPLETED, 3).isoformat()
    first = send_due_followups.call(now=when)
    again = send_due_followups.call(now=when)
    assert first["followups"] == 1 and again["followups"] == 0
    assert len(mail.outbox) == 3
    assert FollowUp.objects.filter(match=completed_match).count() == 1


def test_the_unique_constraint_stops_a_second_row(completed_match):
    from django.db import IntegrityError, transaction

    services.followups_send_due(now=add_months(COMPLETED, 3))
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.create(match=completed_match, month=3, kind="checkin", due_at=COMPLETED)


def test_reminder_after_14_days_without_answer_once(completed_match):
    three = add_months(COMPLETED, 3)
    services.followups_send_due(now=three)
    mail.outbox.clear()
    assert services.followups_send_due(now=three + timedelta(days=13)) == 0
    assert services.followups_send_due(now=three + timedelta(days=14)) == 1
    assert len(mail.outbox) == 3 and all("Erinnerung" in message.subject for message in mail.outbox)
    assert services.followups_send_due(now=three + timedelta(days=30)) == 0
    assert len(mail.outbox) == 3


def test_no_reminder_when_someone_answered(completed_match):
    three = add_months(COMPLETED, 3)
    services.followups_send_due(now=three)
    checkin = FollowUp.objects.get(match=completed_match)
    person = Person.objects.get(email="anna@example.org")
    services.followup_answer(token=followup_token(followup=checkin, person_id=person.pk), still_cooperating=True)
    mail.outbox.clear()
    assert services.followups_send_due(now=three + timedelta(days=20)) == 0
    assert mail.outbox == []


def test_a_match_completed_long_ago_is_asked_only_the_latest_round(completed_match):
    assert services.followups_send_due(now=add_months(COMPLETED, 7)) == 1
    rows = {(f.month, f.skipped, f.sent_at is not None) for f in FollowUp.objects.filter(match=completed_match)}
    assert rows == {(3, True, False), (6, False, True)}
    assert len(mail.outbox) == 3 and "6 Monate" in mail.outbox[0].subject


def test_matches_not_completed_or_ended_get_no_checkins():
    match = make_match(stage=MatchStage.IN_PROGRESS)
    assert services.followups_send_due(now=datetime(2030, 1, 1, tzinfo=tz.utc)) == 0
    services.match_stage_change(actor=None, match=match, stage=MatchStage.ENDED, reason="x", system=True)
    assert services.followups_send_due(now=datetime(2031, 1, 1, tzinfo=tz.utc)) == 0
    assert not FollowUp.objects.exists()


def test_answers_move_the_stage_yes_at_6_and_12_no_ends(completed_match, client):
    services.followups_send_due(now=add_months(COMPLETED, 6))  # the 6-month round (the 3-month one skipped)
    six = FollowUp.objects.get(match=completed_match, month=6)
    anna = Person.objects.get(email="anna@example.org")
    url = reverse("matching:followup_answer", args=[followup_token(followup=six, person_id=anna.pk)])
    page = client.get(url)
    assert page.status_code == 200 and "Arbeiten Sie noch zusammen?" in page.content.decode()
    response = client.post(url, {"still_cooperating": "yes", "outcome": "Wir haben einen zweiten Auftrag."})
    assert response.status_code == 200 and "Danke" in response.content.decode()
    completed_match.refresh_from_db()
    assert completed_match.stage == MatchStage.COOPERATING_6
    answer = FollowUpAnswer.objects.get()
    assert answer.still_cooperating and answer.organisation == anna.organisation
    # at 12 months a "no" ends the match with a reason
    services.followups_send_due(now=add_months(COMPLETED, 12))
    twelve = FollowUp.objects.get(match=completed_match, month=12)
    bert = Person.objects.get(email="bert@example.org")
    services.followup_answer(token=followup_token(followup=twelve, person_id=bert.pk), still_cooperating=False)
    completed_match.refresh_from_db()
    assert completed_match.stage == MatchStage.ENDED and "nicht mehr" in completed_match.ended_reason
    assert completed_match.stage_changes.last().changed_by == bert.user


def test_a_no_does_not_end_when_another_member_said_yes(completed_match):
    services.followups_send_due(now=add_months(COMPLETED, 12))
    twelve = FollowUp.objects.get(match=completed_match, month=12)
    anna, bert = Person.objects.get(email="anna@example.org"), Person.objects.get(email="bert@example.org")
    services.followup_answer(token=followup_token(followup=twelve, person_id=anna.pk), still_cooperating=True)
    services.followup_answer(token=followup_token(followup=twelve, person_id=bert.pk), still_cooperating=False)
    assert Match.objects.get(pk=completed_match.pk).stage == MatchStage.COOPERATING_12


def test_forged_or_foreign_links_are_refused(completed_match, client):
    services.followups_send_due(now=add_months(COMPLETED, 3))
    checkin = FollowUp.objects.get(match=completed_match)
    token = followup_token(followup=checkin, person_id=Person.objects.get(email="anna@example.org").pk)
    with pytest.raises(ValidationError):
        services.followup_answer(token=token[:-2] + "xx", still_cooperating=True)
    stranger = make_organisation(owner=make_user()).people.get()
    with pytest.raises(ValidationError):
        services.followup_answer(token=followup_token(followup=checkin, person_id=stranger.pk), still_cooperating=True)
    assert client.get(reverse("matching:followup_answer", args=["kaputt"])).status_code == 400
    assert not FollowUpAnswer.objects.exists()


def test_the_coordinator_sees_who_has_not_answered(completed_match, client):
    services.followups_send_due(now=add_months(COMPLETED, 3))
    admin = make_user(role="admin")
    client.force_login(admin)
    page = client.get(reverse("matching:match_detail", args=[completed_match.pk])).content.decode()
    assert "noch niemand hat geantwortet" in page
    board = client.get(reverse("matching:caseload") + f"?programm={completed_match.programme.slug}").content.decode()
    assert "Nachfrage unbeantwortet" in board
    checkin = FollowUp.objects.get(match=completed_match)
    carla = Person.objects.get(email="carla@example.org")
    services.followup_answer(token=followup_token(followup=checkin, person_id=carla.pk), still_cooperating=True)
    page = client.get(reverse("matching:match_detail", args=[completed_match.pk])).content.decode()
    missing = re.search(r'<td id="missing-checkin-3">([^<]*)</td>', page).group(1)
    names = {p.name for p in Person.objects.filter(email__in=["anna@example.org", "bert@example.org"])}
    assert set(missing.split(", ")) == names  # Carla answered; Anna and Bert not yet
