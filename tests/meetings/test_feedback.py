"""Feedback after a meeting: only the two people, only after it started; a mutual
"continue" proposes a match (origin "event meeting"); no-shows are counted per person."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import F
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from matchwerk.matching.enums import MatchOrigin
from matchwerk.matching.models import Match
from matchwerk.meetings import selectors, services
from matchwerk.meetings.models import MeetingFeedback, Slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(staff, brokerage, accepted, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_start(actor=staff, event=brokerage.event)
    with django_capture_on_commit_callbacks(execute=True):
        services.version_release(actor=staff, event=brokerage.event)
    # the day has come: every slot lies in the past
    shift = brokerage.slots.order_by("-starts_at").first().ends_at - timezone.now() + timedelta(minutes=1)
    Slot.objects.filter(brokerage=brokerage).update(starts_at=F("starts_at") - shift, ends_at=F("ends_at") - shift)
    return accepted


def test_feedback_not_before_the_meeting(staff, brokerage, accepted, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_start(actor=staff, event=brokerage.event)
    with django_capture_on_commit_callbacks(execute=True):
        services.version_release(actor=staff, event=brokerage.event)
    with pytest.raises(ValidationError, match="nach dem Gespräch"):
        services.feedback_submit(actor=people[0].user, request=accepted[0], rating=5, wants_to_continue=True,
                                 no_show=False)
    assert not MeetingFeedback.objects.exists()


def test_mutual_continue_proposes_a_match(held, people):
    request = held[0]  # 0 × 1, different organisations
    services.feedback_submit(actor=people[0].user, request=request, rating=5, wants_to_continue=True,
                             no_show=False, note="Prototyp im Januar")
    assert not Match.objects.exists()  # one "yes" is not enough
    services.feedback_submit(actor=people[1].user, request=request, rating=4, wants_to_continue=True,
                             no_show=False)
    match = Match.objects.get()
    assert match.origin == MatchOrigin.EVENT_MEETING
    assert {side.organisation_id for side in match.sides.all()} == {people[0].organisation_id,
                                                                    people[1].organisation_id}
    assert "Prototyp im Januar" in match.idea


def test_only_the_two_people_give_feedback_and_see_it(client, held, people):
    with pytest.raises(PermissionDenied):
        services.feedback_submit(actor=people[3].user, request=held[0], rating=1, wants_to_continue=False,
                                 no_show=True)
    client.force_login(people[3].user)
    assert client.get(reverse("meetings:feedback", args=[held[0].pk])).status_code == 404
    with pytest.raises(ValidationError, match="Bewertung"):
        services.feedback_submit(actor=people[0].user, request=held[0], rating=9, wants_to_continue=False,
                                 no_show=False)


def test_no_shows_are_counted_per_person(held, people):
    services.feedback_submit(actor=people[0].user, request=held[0], rating=None, wants_to_continue=False,
                             no_show=True)
    services.feedback_submit(actor=people[2].user, request=held[2], rating=None, wants_to_continue=False,
                             no_show=True)  # 1 × 2: person 1 absent
    rows = selectors.no_shows(event=held[0].event)
    assert rows == [{"name": "Teilnehmer 1", "count": 2}]
