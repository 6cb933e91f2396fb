"""Fixtures of the rounds tests: a published event with confirmed participants of given kinds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from factories import make_coordinator, make_organisation, make_region, make_user

from matchwerk.events.enums import EventFormat, EventStatus, RegistrationStatus
from matchwerk.events.models import Event, Registration


@pytest.fixture
def region(db):
    return make_region(name="Meißen")


@pytest.fixture
def staff(region):
    """The coordinator of the events' region (events are scoped to staff by region)."""
    return make_coordinator(region, full_name="Konrad Koordination")


@pytest.fixture
def make_event(region):
    def make(fmt=EventFormat.SPEED_DATING, title="Kick-off"):
        start = timezone.now().replace(microsecond=0) + timedelta(days=7)
        return Event.objects.create(title=title, format=fmt, venue_name="TGZ Meißen", starts_at=start,
                                    ends_at=start + timedelta(hours=3), capacity=200, status=EventStatus.PUBLISHED,
                                    region=region)
    return make


@pytest.fixture
def register():
    """``register(event, kind, n, organisation=None)``: n confirmed people (own account, own
    organisation of ``kind`` unless one is given); returns their registrations."""
    def make(event, kind="sme", n=1, organisation=None, status=RegistrationStatus.CONFIRMED):
        registrations = []
        for _ in range(n):
            user = make_user()
            org = organisation or make_organisation(owner=user, kind=kind)
            registrations.append(Registration.objects.create(
                event=event, user=user, name=user.get_full_name(), email=user.email, organisation=org,
                status=status))
        return registrations
    return make


@pytest.fixture(autouse=True)
def _german():
    from django.utils import translation

    with translation.override("de"):
        yield
