"""Event ideas: anyone signed in submits; staff accept (a draft event from the idea), ask
for changes or decline with a message; the submitter gets a mail each time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from factories import make_coordinator, make_region, make_team_member, make_user

from matchwerk.accounts.enums import Role
from matchwerk.events import services
from matchwerk.events.enums import EventStatus, IdeaStatus
from matchwerk.events.models import Event, EventIdea

from .conftest import HOME_REGION


@pytest.fixture
def idea(participant, topic, committed):
    with committed():
        return services.idea_submit(actor=participant, topics=[topic], title="Maker-Stammtisch Görlitz",
                                    description="Einmal im Monat treffen sich Makerspaces und Handwerk.",
                                    format="roundtable", region=make_region(name=HOME_REGION),
                                    gain="Neue Kontakte zu Werkstätten.")


def _when():
    start = timezone.now().replace(microsecond=0) + timedelta(days=30)
    return {"starts_at": start, "ends_at": start + timedelta(hours=2), "venue_name": "Werkstatt", "capacity": 25}


def test_submitting_sends_a_receipt(idea, participant):
    assert idea.status == IdeaStatus.SUBMITTED
    assert [m.to for m in mail.outbox] == [[participant.email]]
    assert "Maker-Stammtisch Görlitz" in mail.outbox[0].subject


def test_accepting_makes_a_draft_event_prefilled_from_the_idea(idea, staff, topic, committed):
    mail.outbox.clear()
    with committed():
        event = services.idea_accept(actor=staff, idea=idea, message="Gern im März!", **_when())
    assert event.status == EventStatus.DRAFT and event.title == "Maker-Stammtisch Görlitz"
    assert event.format == "roundtable" and event.region.name == HOME_REGION
    assert list(event.topics.all()) == [topic] and "Neue Kontakte zu Werkstätten." in event.description
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ACCEPTED and idea.event == event and idea.decided_by == staff
    assert "Gern im März!" in mail.outbox[0].body
    with pytest.raises(ValidationError, match="schon entschieden"):
        services.idea_decline(actor=staff, idea=idea, message="doch nicht")


def test_declining_needs_a_message_that_reaches_the_submitter(idea, staff, committed):
    mail.outbox.clear()
    with pytest.raises(ValidationError, match="begründen"):
        services.idea_decline(actor=staff, idea=idea, message=" ")
    assert EventIdea.objects.get(pk=idea.pk).status == IdeaStatus.SUBMITTED
    with committed():
        services.idea_decline(actor=staff, idea=idea, message="Das Thema gab es gerade erst.")
    assert EventIdea.objects.get(pk=idea.pk).status == IdeaStatus.DECLINED
    assert "Das Thema gab es gerade erst." in mail.outbox[0].body


def test_changes_requested_then_revised_goes_back_to_the_team(client, idea, staff, participant, committed):
    with committed():
        services.idea_request_changes(actor=staff, idea=idea, message="Bitte einen Ort vorschlagen.")
    assert "Bitte einen Ort vorschlagen." in mail.outbox[-1].body
    client.force_login(participant)
    assert "Änderungen erbeten" in client.get(reverse("events:ideas_mine")).content.decode()
    response = client.post(reverse("events:idea_edit", args=[idea.pk]), {
        "title": idea.title, "format": "roundtable", "description": idea.description,
        "place_and_time": "Kühlhaus Görlitz, donnerstags"})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SUBMITTED and idea.place_and_time == "Kühlhaus Görlitz, donnerstags"


def test_who_may_review_which_idea(idea, participant):
    outsider = make_coordinator(make_region(name="Erzgebirge"))
    for user in (participant, outsider, make_user(role=Role.COORDINATOR)):
        with pytest.raises(PermissionDenied):
            services.idea_decline(actor=user, idea=idea, message="nein")
    with pytest.raises(PermissionDenied):  # another person cannot revise it
        services.idea_update(actor=make_user(), idea=idea, title="Gekapert")
    assert EventIdea.objects.get(pk=idea.pk).status == IdeaStatus.SUBMITTED
    team = make_team_member()
    services.idea_request_changes(actor=team, idea=idea, message="Mehr Details bitte")


def test_staff_pages_list_and_accept_with_clear_errors(client, idea, staff):
    other = make_coordinator(make_region(name="Vogtland"))
    client.force_login(other)
    assert "Maker-Stammtisch" not in client.get(reverse("events:staff_ideas")).content.decode()
    assert client.get(reverse("events:staff_idea", args=[idea.pk])).status_code == 403
    client.force_login(staff)
    assert "Maker-Stammtisch" in client.get(reverse("events:staff_ideas")).content.decode()
    url = reverse("events:staff_idea", args=[idea.pk])
    response = client.post(url, {"action": "accept"})
    assert "Zum Annehmen bitte Beginn, Ende und Plätze angeben." in response.content.decode()
    assert not Event.objects.exists()
    start = timezone.localtime() + timedelta(days=20)
    response = client.post(url, {"action": "accept", "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
                                 "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
                                 "venue_name": "Kühlhaus", "capacity": "30"})
    event = Event.objects.get()
    assert response.url == reverse("events:staff_detail", args=[event.pk])


def test_public_page_counts_ideas_and_events_held(client, idea, staff, participant):
    event = services.idea_accept(actor=staff, idea=idea, **_when())
    services.event_publish(actor=staff, event=event)
    services.idea_submit(actor=participant, title="Zweite Idee", description="…", format="workshop")
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(days=2),
                                             ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=2))
    page = client.get(reverse("events:ideas")).content.decode()
    assert "Maker-Stammtisch Görlitz" in page and "Zweite Idee" not in page
    response = client.get(reverse("events:ideas"))
    assert response.context["numbers"] == {"received": 2, "accepted": 1, "held": 1}


def test_anonymous_visitors_must_sign_in_to_submit(client):
    response = client.get(reverse("events:idea_create"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_ideas_are_in_the_data_export(idea, participant):
    from matchwerk.events.selectors import ideas_export

    assert [row["title"] for row in ideas_export(participant)] == ["Maker-Stammtisch Görlitz"]
