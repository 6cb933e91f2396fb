"""Brokerage settings: slots from sessions, clear messages for bad input, nothing saved."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from matchwerk.meetings import services
from matchwerk.meetings.models import Brokerage, Slot

from .conftest import day_at

pytestmark = pytest.mark.django_db


def test_sessions_make_slots_with_a_break(brokerage):
    starts = [timezone.localtime(s.starts_at).strftime("%H:%M") for s in Slot.objects.filter(brokerage=brokerage)]
    assert starts == ["09:00", "09:20", "09:40", "13:00", "13:20", "13:40"]


def test_a_slot_outside_the_event_is_refused_and_nothing_saved(event, staff):
    day = timezone.localtime(event.starts_at).date()
    with pytest.raises(ValidationError) as error:
        services.brokerage_configure(actor=staff, event=event, meeting_minutes=20, tables=5,
                                     sessions=[(day_at(day, 7), day_at(day, 8))])
    assert "außerhalb der Veranstaltung" in " ".join(error.value.messages)
    assert not Brokerage.objects.exists() and not Slot.objects.exists()


def test_zero_tables_is_refused_and_nothing_saved(event, staff):
    day = timezone.localtime(event.starts_at).date()
    with pytest.raises(ValidationError) as error:
        services.brokerage_configure(actor=staff, event=event, meeting_minutes=20, tables=0,
                                     sessions=[(day_at(day, 9), day_at(day, 10))])
    assert error.value.message_dict["tables"] == ["Es braucht mindestens einen Tisch."]
    assert not Brokerage.objects.exists()


def test_bad_changes_keep_the_old_settings(brokerage, staff):
    day = timezone.localtime(brokerage.event.starts_at).date()
    with pytest.raises(ValidationError):
        services.brokerage_configure(actor=staff, event=brokerage.event, meeting_minutes=20, tables=0,
                                     sessions=[(day_at(day, 9), day_at(day, 12))])
    brokerage.refresh_from_db()
    assert brokerage.tables == 3 and brokerage.slots.count() == 6


def test_max_below_min_and_overlapping_blocks(event, staff):
    day = timezone.localtime(event.starts_at).date()
    with pytest.raises(ValidationError) as error:
        services.brokerage_configure(actor=staff, event=event, meeting_minutes=20, tables=2, min_meetings=5,
                                     max_meetings=3, sessions=[(day_at(day, 9), day_at(day, 11)),
                                                               (day_at(day, 10), day_at(day, 12))])
    messages = " ".join(error.value.messages)
    assert "Höchstzahl darf nicht unter der Mindestzahl" in messages and "überschneidet" in messages


def test_participants_may_not_configure(event, people):
    day = timezone.localtime(event.starts_at).date()
    with pytest.raises(PermissionDenied):
        services.brokerage_configure(actor=people[0].user, event=event, meeting_minutes=20, tables=2,
                                     sessions=[(day_at(day, 9), day_at(day, 10))])


def test_booth_table_must_exist_and_be_free(brokerage, staff, people):
    services.booth_set(actor=staff, event=brokerage.event, registration=people[0], table=2)
    with pytest.raises(ValidationError, match="schon der Stand"):
        services.booth_set(actor=staff, event=brokerage.event, registration=people[1], table=2)
    with pytest.raises(ValidationError, match="gibt es nicht"):
        services.booth_set(actor=staff, event=brokerage.event, registration=people[1], table=9)
