"""The demo's brokerage days: requests, a released plan from the real scheduler, feedback
and matches from a mutual "continue"; loading twice adds nothing."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from matchwerk.matching.enums import MatchOrigin
from matchwerk.matching.models import Match
from matchwerk.meetings.demo import PAST, UPCOMING
from matchwerk.meetings.enums import RequestStatus, VersionStatus
from matchwerk.meetings.models import MeetingFeedback, MeetingRequest, PlanVersion, Seat

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_part]


def _load():
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
        call_command("demo_load", verbosity=0)


def test_demo_brokerage_days():
    _load()
    for title in (UPCOMING, PAST):
        version = PlanVersion.objects.get(event__title=title)
        assert version.status == VersionStatus.RELEASED
        assert version.figures["placed"] > 10 and version.figures["ratio"] >= 0.99
        statuses = set(MeetingRequest.objects.filter(event__title=title).values_list("status", flat=True))
        assert {RequestStatus.ACCEPTED, RequestStatus.PENDING} <= statuses
    assert Seat.objects.filter(version__event__title=UPCOMING,
                               registration__email="radreisen@matchwerk.example").exists()
    assert MeetingFeedback.objects.filter(request__event__title=PAST, no_show=True).count() == 1
    assert Match.objects.filter(origin=MatchOrigin.EVENT_MEETING).count() >= 1
    _load()
    assert PlanVersion.objects.filter(event__title__in=(UPCOMING, PAST)).count() == 2
