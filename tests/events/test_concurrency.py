"""Concurrent registrations on PostgreSQL: never more confirmed than seats, never two
rows for one person (row lock on the event + unique constraints)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from factories import make_user
from threads import run_at_once

from matchwerk.accounts.enums import Role
from matchwerk.events import services
from matchwerk.events.enums import RegistrationStatus
from matchwerk.events.models import Event, Registration

from .conftest import event_fields


def _published_event(capacity: int) -> Event:
    staff = make_user(role=Role.ADMIN)
    event = services.event_create(actor=staff, **event_fields(capacity=capacity))
    return services.event_publish(actor=staff, event=event)


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need a server database (run with scripts/with-postgres.sh)")


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_overfill_the_event(postgres_only):
    event = _published_event(capacity=3)
    people = [make_user() for _ in range(10)]
    results = run_at_once([
        (lambda person=person: services.registration_create(actor=person, event=Event.objects.get(pk=event.pk)))
        for person in people])
    assert all(isinstance(result, Registration) for result in results), results
    statuses = sorted(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses.count(RegistrationStatus.CONFIRMED) == 3
    assert statuses.count(RegistrationStatus.WAITLISTED) == 7


@pytest.mark.django_db(transaction=True)
def test_one_person_registering_in_parallel_gets_one_registration(postgres_only):
    event = _published_event(capacity=10)
    person = make_user()
    results = run_at_once([
        lambda: services.registration_create(actor=person, event=Event.objects.get(pk=event.pk))
        for _ in range(6)])
    made = [r for r in results if isinstance(r, Registration)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(made) == 1 and len(refused) == 5, results
    assert all("bereits angemeldet" in " ".join(error.messages) for error in refused)
    assert Registration.objects.filter(event=event).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_cancellations_move_up_each_waiting_person_once(postgres_only):
    event = _published_event(capacity=2)
    people = [make_user() for _ in range(5)]
    registrations = [services.registration_create(actor=person, event=event) for person in people]
    results = run_at_once([
        (lambda r=r: services.registration_cancel(actor=r.user, registration=r)) for r in registrations[:2]])
    assert all(isinstance(result, Registration) for result in results), results
    statuses = dict(Registration.objects.filter(event=event).values_list("user_id", "status"))
    assert [statuses[p.pk] for p in people] == ["cancelled", "cancelled", "confirmed", "confirmed", "waitlisted"]
