"""Feedback after the event and the event's numbers."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from factories import make_organisation, make_user

from matchwerk.events import selectors, services
from matchwerk.events.models import Event, Feedback


@pytest.fixture
def held(staff, participant, make_event):
    """An event that has begun, with the participant (for an SME) and a startup."""
    event = make_event(capacity=5)
    registration = services.registration_create(actor=participant, event=event,
                                                organisation=make_organisation(owner=participant, kind="sme"))
    other = make_user()
    services.registration_create(actor=other, event=event, organisation=make_organisation(owner=other,
                                                                                          kind="startup"))
    services.registration_check_in(actor=staff, event=event, code=registration.code)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(hours=3),
                                             ends_at=timezone.now() - timedelta(hours=1))
    event.refresh_from_db()
    registration.refresh_from_db()
    return event, registration


def test_feedback_once_after_the_start(participant, held, make_event):
    event, registration = held
    feedback = services.feedback_create(actor=participant, registration=registration, rating=4,
                                        improve=" Mehr Zeit für Gespräche ")
    assert feedback.improve == "Mehr Zeit für Gespräche"
    with pytest.raises(ValidationError, match="bereits eine Rückmeldung"):
        services.feedback_create(actor=participant, registration=registration, rating=5)
    future = services.registration_create(actor=participant, event=make_event())
    with pytest.raises(ValidationError, match="sobald die Veranstaltung begonnen hat"):
        services.feedback_create(actor=participant, registration=future, rating=5)
    with pytest.raises(PermissionDenied):
        services.feedback_create(actor=make_user(), registration=registration, rating=1)


@pytest.mark.parametrize("rating", [0, 6])
def test_rating_outside_one_to_five_is_refused(participant, held, rating):
    with pytest.raises(ValidationError):
        services.feedback_create(actor=participant, registration=held[1], rating=rating)
    assert not Feedback.objects.exists()


def test_event_numbers_for_reports(participant, held):
    event, registration = held
    services.feedback_create(actor=participant, registration=registration, rating=4, improve="Mehr Pausen")
    numbers = selectors.event_numbers(event=event)
    assert (numbers["registered"], numbers["present"], numbers["no_shows"]) == (2, 1, 1)
    assert sorted(numbers["by_kind"]) == [("Digitales Startup", 1), ("Kleines/mittleres Unternehmen", 1)]
    assert numbers["feedback_count"] == 1 and numbers["feedback_average"] == 4


def test_feedback_page(client, participant, held, staff):
    event, registration = held
    url = reverse("events:feedback", args=[event.pk])
    assert client.get(url).status_code == 302
    client.force_login(participant)
    assert "Rückmeldung" in client.get(reverse("events:detail", args=[event.pk])).content.decode()
    response = client.post(url, {"rating": "5", "improve": "Alles gut"}, follow=True)
    assert "Danke für Ihre Rückmeldung" in response.content.decode()
    assert "bereits eine Rückmeldung" in client.get(url).content.decode()
    client.force_login(make_user())
    assert "nur Teilnehmende" in client.get(url).content.decode()
    assert Feedback.objects.count() == 1
    client.force_login(staff)
    page = client.get(reverse("events:staff_detail", args=[event.pk])).content.decode()
    assert "Alles gut" in page and "im Schnitt 5,0 von 5" in page


def test_after_the_event_no_shows_are_marked_on_the_staff_page_and_in_the_list(client, staff, held):
    import csv
    import io

    event, registration = held
    client.force_login(staff)
    page = client.get(reverse("events:staff_detail", args=[event.pk])).content.decode()
    assert page.count("<strong>nicht erschienen</strong>") == 1  # the startup's person; the participant came
    lines = list(csv.reader(io.StringIO(client.get(reverse("events:staff_participants_csv", args=[event.pk]))
                                        .content.decode("utf-8-sig")), delimiter=";"))
    column = lines[0].index("erschienen")
    assert sorted(line[column] for line in lines[1:]) == ["ja", "nein"]
    # before the end nobody is marked
    Event.objects.filter(pk=event.pk).update(ends_at=timezone.now() + timedelta(hours=1))
    assert "<strong>nicht erschienen</strong>" not in client.get(
        reverse("events:staff_detail", args=[event.pk])).content.decode()
