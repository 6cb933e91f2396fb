"""Demo events: five or more formats in different regions, registrations that respect
the seats, a kick-off with 3 startups and 8 SMEs, idempotent loading."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from matchwerk.events.enums import EventStatus, RegistrationStatus
from matchwerk.events.models import Event, Registration

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_part]


def _load():
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
        call_command("demo_load", verbosity=0)


def test_demo_events_cover_formats_regions_and_registrations():
    _load()
    published = Event.objects.filter(status=EventStatus.PUBLISHED)
    assert len(set(published.values_list("format", flat=True))) >= 5
    assert len(set(published.exclude(region=None).values_list("region__name", flat=True))) >= 4
    assert Event.objects.filter(status=EventStatus.DRAFT).exists()
    for event in Event.objects.all():
        event.full_clean()
        confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
        assert confirmed <= event.capacity, event.title

    kickoff = Event.objects.get(format="speed_dating")
    kinds = list(kickoff.registrations.filter(status=RegistrationStatus.CONFIRMED)
                 .values_list("organisation__kind", flat=True))
    assert kinds.count("startup") == 3 and kinds.count("sme") == 8
    assert Registration.objects.filter(status=RegistrationStatus.WAITLISTED).exists()
    assert Registration.objects.filter(status=RegistrationStatus.INVITED).exists()
    assert Registration.objects.filter(email="radreisen@matchwerk.example",
                                       status=RegistrationStatus.CONFIRMED).count() >= 2
    from matchwerk.events.models import WallPost

    assert set(WallPost.objects.values_list("status", flat=True)) == {"approved", "pending", "hidden"}
    assert WallPost.objects.filter(status="approved").exclude(photo="").exists()
    assert Event.objects.exclude(projector_token=None).exists()
    from matchwerk.events.models import Candidate

    series = Event.objects.filter(series__title="Digital Smart Events 2027")  # composed over the series
    assert series.count() == 2
    for event in series:
        kinds = list(Candidate.objects.filter(event=event).values_list("organisation__kind", flat=True))
        assert 2 <= kinds.count("startup") <= 3 and 7 <= kinds.count("sme") <= 10
    assert Candidate.objects.filter(event__in=series).values("organisation").distinct().count() == \
        Candidate.objects.filter(event__in=series).count()  # nobody proposed twice


def test_demo_events_load_once():
    _load()
    counts = (Event.objects.count(), Registration.objects.count())
    _load()
    assert (Event.objects.count(), Registration.objects.count()) == counts


@pytest.mark.django_db
def test_demo_has_event_ideas_in_every_state():
    from matchwerk.events.demo import load_demo_ideas
    from matchwerk.events.models import EventIdea

    load_demo_ideas()
    assert set(EventIdea.objects.values_list("status", flat=True)) == {"submitted", "changes", "accepted",
                                                                       "declined"}
    assert load_demo_ideas() == 0  # loading twice adds nothing
