"""Fixtures for the events tests: staff, participants and an event factory."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from factories import make_coordinator, make_region, make_topic, make_user

from matchwerk.accounts.enums import Role
from matchwerk.events import services
from matchwerk.events.enums import EventFormat


HOME_REGION = "Dresden"  # the ``staff`` coordinator's region, the events' default


def event_fields(**overrides) -> dict:
    start = timezone.now().replace(microsecond=0) + timedelta(days=14)
    fields = {"title": "Digitalisierung im Handwerk", "format": EventFormat.WORKSHOP,
              "description": "Ein Abend mit Startups und Handwerksbetrieben.", "venue_name": "TechZentrum Dresden",
              "venue_address": "Marschnerstraße 1, 01307 Dresden", "venue_host": "TechZentrum",
              "starts_at": start, "ends_at": start + timedelta(hours=3), "capacity": 20,
              "region": make_region(name=HOME_REGION)}
    fields.update(overrides)
    return fields


@pytest.fixture
def staff(db):
    """A coordinator of the events' default region and of Görlitz (the ``region`` fixture)."""
    return make_coordinator(make_region(name=HOME_REGION), make_region(name="Landkreis Görlitz"),
                            full_name="Konrad Koordination")


@pytest.fixture
def participant(db):
    return make_user(full_name="Paula Teilnehmerin")


@pytest.fixture
def make_event(staff):
    """``make_event(publish=True, topics=(), **fields)``: an event made through the services."""

    def make(*, publish: bool = True, topics=(), actor=None, **fields):
        event = services.event_create(actor=actor or staff, topics=topics, **event_fields(**fields))
        if publish:
            event = services.event_publish(actor=actor or staff, event=event)
        return event

    return make


@pytest.fixture
def region(db):
    return make_region(name="Landkreis Görlitz")


@pytest.fixture
def topic(db):
    return make_topic(name="Digitalisierung")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): …`` runs the on-commit callbacks (mail tasks) of the block at
    its end, as a real commit would; tests run inside one transaction otherwise."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def _german():
    """Messages are asserted in German (the source language), whatever an earlier test's
    request left active in this thread."""
    from django.utils import translation

    with translation.override("de"):
        yield
