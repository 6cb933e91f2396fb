"""Events: create with clear errors, copy, publish, edit (calendar sequence), cancel."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from factories import make_user

from matchwerk.core.models import AccessLog
from matchwerk.events import services
from matchwerk.events.enums import EventFormat, EventStatus, QuestionKind
from matchwerk.events.models import Event

from .conftest import event_fields


def test_event_create_makes_a_draft_organised_by_its_creator(staff, topic, region):
    event = services.event_create(actor=staff, topics=[topic], hashtag="DigitalGR",
                                  **event_fields(region=region))
    assert event.status == EventStatus.DRAFT
    assert list(event.organisers.all()) == [staff]
    assert list(event.topics.all()) == [topic]
    assert event.hashtag == "#DigitalGR"
    assert event.sequence == 0
    assert AccessLog.objects.filter(action="matchwerk.events.event.created", object_id=str(event.pk)).exists()


@pytest.mark.parametrize("delta", [timedelta(hours=-1), timedelta(0)])
def test_event_ending_before_it_starts_is_refused_with_a_clear_message(staff, delta):
    fields = event_fields()
    fields["ends_at"] = fields["starts_at"] + delta
    with pytest.raises(ValidationError) as error:
        services.event_create(actor=staff, **fields)
    assert error.value.message_dict["ends_at"] == ["Das Ende muss nach dem Beginn liegen."]
    assert not Event.objects.exists()


@pytest.mark.parametrize("capacity", [0, -5])
def test_event_without_seats_is_refused_with_a_clear_message(staff, capacity):
    with pytest.raises(ValidationError) as error:
        services.event_create(actor=staff, **event_fields(capacity=capacity))
    assert "Eine Veranstaltung braucht mindestens einen Platz." in error.value.message_dict["capacity"]
    assert not Event.objects.exists()


def test_database_refuses_bad_dates_and_capacity_too(staff):
    start = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(title="x", format=EventFormat.WORKSHOP, venue_name="x", starts_at=start,
                             ends_at=start - timedelta(hours=1), capacity=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(title="x", format=EventFormat.WORKSHOP, venue_name="x", starts_at=start,
                             ends_at=start + timedelta(hours=1), capacity=0)


def test_online_event_needs_a_link_and_others_a_venue(staff):
    with pytest.raises(ValidationError) as error:
        services.event_create(actor=staff, **event_fields(format=EventFormat.ONLINE, venue_name=""))
    assert "online_url" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.event_create(actor=staff, **event_fields(venue_name=" "))
    assert "venue_name" in error.value.message_dict
    event = services.event_create(actor=staff, **event_fields(format=EventFormat.ONLINE, venue_name="",
                                                              online_url="https://meet.example.org/abc"))
    assert event.is_online


def test_several_days_are_fine(staff):
    fields = event_fields()
    fields["ends_at"] = fields["starts_at"] + timedelta(days=2)
    assert services.event_create(actor=staff, **fields).is_multi_day


def test_participants_cannot_create_events(participant):
    with pytest.raises(PermissionDenied):
        services.event_create(actor=participant, **event_fields())


def test_event_copy_is_the_same_event_next_month(staff, make_event, topic):
    start = timezone.make_aware(timezone.datetime(2027, 1, 31, 18, 0))
    original = make_event(topics=[topic], starts_at=start, ends_at=start + timedelta(hours=2),
                          cancellation_deadline=start - timedelta(days=2))
    services.question_add(actor=staff, event=original, label="Essenswünsche", kind=QuestionKind.TEXT)
    copy = services.event_copy(actor=staff, event=original, months=1)
    local = timezone.localtime(copy.starts_at)
    assert (local.year, local.month, local.day, local.hour) == (2027, 2, 28, 18)  # the month's last day
    assert copy.ends_at - copy.starts_at == timedelta(hours=2)
    assert timezone.localtime(copy.cancellation_deadline).date() == timezone.datetime(2027, 2, 26).date()
    assert copy.status == EventStatus.DRAFT and copy.copied_from == original
    assert copy.uid != original.uid and copy.sequence == 0
    assert list(copy.topics.all()) == [topic]
    assert [q.label for q in copy.questions.all()] == ["Essenswünsche"]
    assert copy.registrations.count() == 0


def test_event_copy_by_four_weeks_keeps_the_weekday(staff, make_event):
    original = make_event()
    copy = services.event_copy(actor=staff, event=original, days=28)
    assert timezone.localtime(copy.starts_at).weekday() == timezone.localtime(original.starts_at).weekday()
    assert timezone.localtime(copy.starts_at).time() == timezone.localtime(original.starts_at).time()


def test_event_copy_needs_a_shift(staff, make_event):
    with pytest.raises(ValidationError):
        services.event_copy(actor=staff, event=make_event())


def test_publish_only_drafts(staff, make_event):
    event = make_event()
    assert event.status == EventStatus.PUBLISHED and event.published_at is not None
    with pytest.raises(ValidationError, match="Nur Entwürfe"):
        services.event_publish(actor=staff, event=event)


def test_participant_cannot_publish_edit_or_cancel(participant, make_event):
    event = make_event(publish=False)
    for call in (lambda: services.event_publish(actor=participant, event=event),
                 lambda: services.event_update(actor=participant, event=event, title="x"),
                 lambda: services.event_cancel(actor=participant, event=event),
                 lambda: services.event_copy(actor=participant, event=event, months=1)):
        with pytest.raises(PermissionDenied):
            call()
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT


def test_time_change_raises_sequence_but_description_does_not(staff, make_event):
    event = make_event()
    services.event_update(actor=staff, event=event, description="Neu beschrieben.")
    event.refresh_from_db()
    assert event.sequence == 0
    services.event_update(actor=staff, event=event, starts_at=event.starts_at + timedelta(hours=1),
                          ends_at=event.ends_at + timedelta(hours=1))
    event.refresh_from_db()
    assert event.sequence == 1
    services.event_update(actor=staff, event=event, venue_name="Kulturpalast")
    event.refresh_from_db()
    assert event.sequence == 2


def test_bad_edit_saves_nothing(staff, make_event):
    event = make_event()
    with pytest.raises(ValidationError):
        services.event_update(actor=staff, event=event, ends_at=event.starts_at - timedelta(hours=1))
    fresh = Event.objects.get(pk=event.pk)
    assert fresh.ends_at == event.ends_at and fresh.sequence == 0


def test_cancel_and_close(staff, make_event):
    event = services.event_cancel(actor=staff, event=make_event(), reason="Referent erkrankt")
    assert event.status == EventStatus.CANCELLED and event.sequence == 1
    with pytest.raises(ValidationError):
        services.event_cancel(actor=staff, event=event)
    with pytest.raises(ValidationError):
        services.event_update(actor=staff, event=event, title="Neu")
    other = services.event_close(actor=staff, event=make_event())
    assert other.status == EventStatus.CLOSED
    with pytest.raises(ValidationError):
        services.event_close(actor=staff, event=make_event(publish=False))


def test_choice_question_needs_two_choices(staff, make_event):
    event = make_event()
    with pytest.raises(ValidationError):
        services.question_add(actor=staff, event=event, label="Welcher Workshop?", kind=QuestionKind.CHOICE,
                              choices="nur einer")
    question = services.question_add(actor=staff, event=event, label="Welcher Workshop?",
                                     kind=QuestionKind.CHOICE, choices="KI\nRobotik\n")
    assert question.choice_list == ["KI", "Robotik"]
    with pytest.raises(PermissionDenied):
        services.question_delete(actor=make_user(), question=question)
    assert mail.outbox == []


def test_overlong_description_is_refused(staff):
    with pytest.raises(ValidationError) as error:
        services.event_create(actor=staff, **event_fields(description="x" * 10_001))
    assert "zu lang" in " ".join(error.value.message_dict["description"])
    assert not Event.objects.exists()
