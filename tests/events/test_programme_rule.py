"""A programme can require topics: its events are published only with them."""

import pytest
from django.core.exceptions import ValidationError

from matchwerk.events import services
from matchwerk.events.enums import EventStatus
from matchwerk.programmes.models import Programme

from .conftest import event_fields


@pytest.fixture
def programme(topic):
    programme = Programme.objects.create(name="Digitale Kooperation Sachsen", slug="digitale-kooperation")
    programme.required_topics.add(topic)  # "Digitalisierung"
    return programme


def test_event_without_the_required_topic_is_not_published_and_the_message_names_the_rule(staff, programme,
                                                                                          topic):
    event = services.event_create(actor=staff, programme=programme, **event_fields())
    with pytest.raises(ValidationError) as error:
        services.event_publish(actor=staff, event=event)
    message = " ".join(error.value.messages)
    assert "Das Programm „Digitale Kooperation Sachsen“ verlangt für seine Veranstaltungen das Thema " \
           "„Digitalisierung“" in message
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT
    assert services.publication_problems(event) == error.value.messages

    services.event_update(actor=staff, event=event, topics=[topic])
    assert services.event_publish(actor=staff, event=event).status == EventStatus.PUBLISHED


def test_published_event_keeps_the_required_topic(staff, programme, topic):
    event = services.event_create(actor=staff, programme=programme, topics=[topic], **event_fields())
    services.event_publish(actor=staff, event=event)
    with pytest.raises(ValidationError, match="verlangt für seine Veranstaltungen"):
        services.event_update(actor=staff, event=event, topics=[])
    assert list(event.topics.all()) == [topic]


def test_events_without_programme_or_rule_publish_freely(staff, topic):
    free = Programme.objects.create(name="Offen", slug="offen")
    for programme in (None, free):
        event = services.event_create(actor=staff, programme=programme, **event_fields())
        assert services.event_publish(actor=staff, event=event).status == EventStatus.PUBLISHED


def test_copy_keeps_the_programme(staff, programme, topic):
    event = services.event_create(actor=staff, programme=programme, topics=[topic], **event_fields())
    assert services.event_copy(actor=staff, event=event, months=1).programme == programme


def test_staff_page_lists_the_rule_before_publishing(client, staff, programme):
    from django.urls import reverse

    event = services.event_create(actor=staff, programme=programme, **event_fields())
    client.force_login(staff)
    page = client.get(reverse("events:staff_detail", args=[event.pk])).content.decode()
    assert "Noch nicht veröffentlichbar" in page and "verlangt für seine Veranstaltungen" in page
