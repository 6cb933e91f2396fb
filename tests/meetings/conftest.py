"""Fixtures for the meetings tests: a published brokerage day with participants who
registered for their organisations, and its settings (two blocks of 20-minute slots)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from factories import make_coordinator, make_need, make_offer, make_organisation, make_region, make_user

from matchwerk.events import services as event_services
from matchwerk.events.enums import EventFormat
from matchwerk.meetings import services


def day_at(day, hh: int, mm: int = 0):
    return timezone.make_aware(datetime.combine(day, time(hh, mm)))


@pytest.fixture
def staff(db):
    return make_coordinator(make_region(name="Dresden"), full_name="Konrad Koordination")


@pytest.fixture
def event(staff):
    day = (timezone.localtime() + timedelta(days=10)).date()
    created = event_services.event_create(
        actor=staff, topics=(), title="Kooperationsbörse Dresden", format=EventFormat.BROKERAGE, description="",
        venue_name="Messe Dresden", venue_address="Messering 6, 01067 Dresden", venue_host="",
        starts_at=day_at(day, 9), ends_at=day_at(day, 17), capacity=50, region=staff.coordinated_regions.get())
    return event_services.event_publish(actor=staff, event=created)


@pytest.fixture
def people(event):
    """Five participants, each for an organisation (alternating kinds), registered and confirmed."""
    kinds = ["startup", "sme", "creative", "sme", "research"]
    out = []
    for n, kind in enumerate(kinds):
        user = make_user(full_name=f"Teilnehmer {n}")
        organisation = make_organisation(owner=user, kind=kind, name=f"Firma {n}")
        make_need(organisation, title="Online-Buchung einführen" if n % 2 else "Fertigung für Prototypen")
        make_offer(organisation, title="Webentwicklung" if n % 2 == 0 else "CNC-Fertigung")
        out.append(event_services.registration_create(actor=user, event=event, organisation=organisation))
    return out


@pytest.fixture
def brokerage(event, staff):
    day = timezone.localtime(event.starts_at).date()
    return services.brokerage_configure(
        actor=staff, event=event, meeting_minutes=20, tables=3, max_meetings=None,
        sessions=[(day_at(day, 9), day_at(day, 10)), (day_at(day, 13), day_at(day, 14))])


@pytest.fixture
def accepted(brokerage, people):
    """Accepted requests 0→1, 0→2, 1→2, 3→4 (0→1 a must-meet)."""
    out = []
    for a, b, priority in ((0, 1, 3), (0, 2, 1), (1, 2, 1), (3, 4, 1)):
        request = services.request_create(actor=people[a].user, event=brokerage.event, receiver=people[b],
                                          message="Hallo", priority=priority)
        out.append(services.request_answer(actor=people[b].user, request=request, accept=True))
    return out


@pytest.fixture(autouse=True)
def quick_plans(settings):
    settings.MEETINGS_PLAN_SECONDS = 3
