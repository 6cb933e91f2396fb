"""Public list and page, registration through the web, agenda, staff pages and who is
refused where."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from factories import make_organisation, make_region, make_topic, make_user

from matchwerk.accounts.enums import Role
from matchwerk.core.models import AccessLog
from matchwerk.events import services
from matchwerk.events.enums import EventFormat, EventStatus, RegistrationStatus
from matchwerk.events.models import Event, Registration

from .conftest import HOME_REGION

LIST = reverse("events:list")


@pytest.fixture
def catalogue(make_event, region, topic):
    """Four published events in two regions and formats, one draft, one long past."""
    dresden = make_region(name="Dresden")
    soon = timezone.now() + timedelta(days=5)
    later = timezone.now() + timedelta(days=40)
    events = {
        "kickoff": make_event(title="Kick-off Görlitz", format=EventFormat.SPEED_DATING, region=region,
                              topics=[topic], starts_at=soon, ends_at=soon + timedelta(hours=3)),
        "roundtable": make_event(title="Stammtisch Smart City", format=EventFormat.ROUNDTABLE, region=dresden,
                                 starts_at=later, ends_at=later + timedelta(hours=2)),
        "conference": make_event(title="Digitalkonferenz", format=EventFormat.CONFERENCE, region=dresden,
                                 topics=[topic, make_topic(name="KI")], starts_at=later + timedelta(days=1),
                                 ends_at=later + timedelta(days=2)),
        "draft": make_event(title="Geheimer Entwurf", publish=False, region=region),
    }
    past = make_event(title="Vorbei", region=region)
    Event.objects.filter(pk=past.pk).update(starts_at=timezone.now() - timedelta(days=3),
                                            ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=2))
    events["past"] = past
    return events


def _titles(response) -> list[str]:
    return [event.title for event in response.context["page"]]


def test_public_list_shows_upcoming_published_events_soonest_first(client, catalogue):
    response = client.get(LIST)
    assert response.status_code == 200
    assert _titles(response) == ["Kick-off Görlitz", "Stammtisch Smart City", "Digitalkonferenz"]


def test_public_list_filters_by_region_format_topic_and_date(client, catalogue, region, topic):
    assert _titles(client.get(LIST, {"region": region.slug})) == ["Kick-off Görlitz"]
    assert _titles(client.get(LIST, {"format": "conference"})) == ["Digitalkonferenz"]
    assert _titles(client.get(LIST, {"thema": topic.slug})) == ["Kick-off Görlitz", "Digitalkonferenz"]
    later = (timezone.now() + timedelta(days=20)).date()
    assert _titles(client.get(LIST, {"von": later.isoformat()})) == ["Stammtisch Smart City", "Digitalkonferenz"]
    past_day = (timezone.now() - timedelta(days=3)).date()
    assert _titles(client.get(LIST, {"von": past_day.isoformat(), "bis": past_day.isoformat()})) == ["Vorbei"]
    response = client.get(LIST, {"von": later.isoformat(), "bis": past_day.isoformat()})
    assert "Das Enddatum liegt vor dem Anfangsdatum." in response.content.decode()


def test_public_list_query_count_does_not_grow_with_events(client, catalogue, make_event, region,
                                                           django_assert_max_num_queries):
    with django_assert_max_num_queries(6) as few:
        client.get(LIST, {"region": region.slug})
    for n in range(8):
        start = timezone.now() + timedelta(days=10 + n)
        make_event(title=f"Workshop {n}", region=region, topics=[make_topic()], starts_at=start,
                   ends_at=start + timedelta(hours=2))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST, {"region": region.slug})
    assert len(response.context["page"]) == 9


def test_event_page_is_public_but_a_draft_is_not(client, catalogue, staff, participant):
    response = client.get(reverse("events:detail", args=[catalogue["kickoff"].pk]))
    assert response.status_code == 200 and "Kick-off Görlitz" in response.content.decode()
    draft = reverse("events:detail", args=[catalogue["draft"].pk])
    assert client.get(draft).status_code == 404
    client.force_login(participant)
    assert client.get(draft).status_code == 404
    client.force_login(staff)
    assert client.get(draft).status_code == 200
    assert client.get(reverse("events:detail", args=[999999])).status_code == 404


def test_register_through_the_page_and_see_it_in_the_agenda(client, participant, make_event, staff):
    organisation = make_organisation(owner=participant, name="Buchbar Digital")
    event = make_event(title="Maker Fair Chemnitz", format=EventFormat.EXHIBITION)
    question = services.question_add(actor=staff, event=event, label="Essenswünsche", kind="text")
    client.force_login(participant)
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "Verbindlich anmelden" in page and "Essenswünsche" in page and "Buchbar Digital" in page
    response = client.post(reverse("events:register", args=[event.pk]),
                           {"organisation": organisation.pk, f"frage_{question.pk}": "vegetarisch"}, follow=True)
    assert "Sie sind angemeldet" in response.content.decode()
    registration = Registration.objects.get()
    assert registration.organisation == organisation and registration.answers == {str(question.pk): "vegetarisch"}
    agenda = client.get(reverse("events:agenda")).content.decode()
    assert "Maker Fair Chemnitz" in agenda and registration.code in agenda

    response = client.post(reverse("events:register", args=[event.pk]), follow=True)
    assert "bereits angemeldet" in response.content.decode()
    assert Registration.objects.count() == 1


def test_register_requires_login_and_post(client, make_event):
    event = make_event()
    url = reverse("events:register", args=[event.pk])
    assert client.post(url).status_code == 302 and not Registration.objects.exists()
    client.force_login(make_user())
    assert client.get(url).status_code == 405


def test_cancel_through_the_page_and_foreign_cancel_is_404(client, participant, make_event):
    event = make_event()
    registration = services.registration_create(actor=participant, event=event)
    client.force_login(make_user())
    assert client.post(reverse("events:cancel", args=[registration.pk])).status_code == 404
    client.force_login(participant)
    response = client.post(reverse("events:cancel", args=[registration.pk]), follow=True)
    assert "Sie sind abgemeldet" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_agenda_and_feed_buttons_need_login(client):
    assert client.get(reverse("events:agenda")).status_code == 302
    assert client.post(reverse("events:feed_create")).status_code == 302
    assert client.post(reverse("events:feed_revoke")).status_code == 302


def test_agenda_offers_a_feed_address(client, participant):
    client.force_login(participant)
    client.post(reverse("events:feed_create"))
    page = client.get(reverse("events:agenda")).content.decode()
    token = participant.calendar_feed.token
    assert f"/kalender/{token}.ics" in page
    client.post(reverse("events:feed_revoke"))
    assert token not in client.get(reverse("events:agenda")).content.decode()


# --- staff pages -------------------------------------------------------------------

STAFF_GETS = ["events:staff_list", "events:staff_create"]
STAFF_OBJECT_GETS = ["events:staff_detail", "events:staff_edit"]
STAFF_OBJECT_POSTS = ["events:staff_copy", "events:staff_status", "events:staff_question_add", "events:staff_move",
                      "events:staff_invite", "events:staff_walk_in"]


@pytest.mark.parametrize("role", ["anonymous", "participant"])
def test_staff_pages_refuse_non_staff(client, make_event, role):
    event = make_event(publish=False)
    registration = services.registration_walk_in(
        actor=event.organisers.first(), event=services.event_publish(actor=event.organisers.first(), event=event),
        name="Gast", email="gast@example.org")
    question = services.question_add(actor=event.organisers.first(), event=event, label="Frage", kind="text")
    if role == "participant":
        client.force_login(make_user())
    expected = 302 if role == "anonymous" else 403
    for name in STAFF_GETS:
        assert client.get(reverse(name)).status_code == expected, name
    for name in STAFF_OBJECT_GETS:
        assert client.get(reverse(name, args=[event.pk])).status_code == expected, name
    for name in STAFF_OBJECT_POSTS:
        assert client.post(reverse(name, args=[event.pk]), {"action": "cancel"}).status_code == expected, name
    assert client.post(reverse("events:staff_question_delete", args=[question.pk])).status_code == expected
    assert client.post(reverse("events:staff_registration_cancel", args=[registration.pk])).status_code == expected
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED and event.questions.count() == 1
    assert Registration.objects.get().status == RegistrationStatus.CONFIRMED


def _form_data(**overrides) -> dict:
    start = (timezone.localtime() + timedelta(days=21)).replace(hour=18, minute=0, second=0, microsecond=0)
    data = {"title": "Innovationsstammtisch Mobilität", "format": "roundtable", "description": "Mobilität",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "venue_name": "Kulturpalast", "capacity": "30", "access": "open",
            "region": str(make_region(name=HOME_REGION).pk)}
    data.update(overrides)
    return data


def test_staff_create_publish_copy_and_edit_through_the_pages(client, staff, topic):
    client.force_login(staff)
    response = client.post(reverse("events:staff_create"), _form_data(topics=[topic.pk]))
    event = Event.objects.get()
    assert response.url == reverse("events:staff_detail", args=[event.pk])
    assert client.get(response.url).status_code == 200
    client.post(reverse("events:staff_status", args=[event.pk]), {"action": "publish"})
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    response = client.post(reverse("events:staff_copy", args=[event.pk]), {"copy-shift": "1m"})
    copy = Event.objects.exclude(pk=event.pk).get()
    assert response.url == reverse("events:staff_detail", args=[copy.pk]) and copy.status == EventStatus.DRAFT
    response = client.post(reverse("events:staff_edit", args=[event.pk]), _form_data(title="Neuer Titel"))
    event.refresh_from_db()
    assert event.title == "Neuer Titel" and event.sequence == 1
    assert client.get(reverse("events:staff_list")).status_code == 200
    assert AccessLog.objects.filter(action="matchwerk.events.registrations.viewed").exists()


@pytest.mark.parametrize("overrides, message", [
    ({"capacity": "0"}, "Eine Veranstaltung braucht mindestens einen Platz."),
    ({"capacity": "-3"}, "Eine Veranstaltung braucht mindestens einen Platz."),
    ({"ends_at": "2020-01-01T10:00"}, "Das Ende muss nach dem Beginn liegen."),
])
def test_staff_form_shows_clear_errors_and_saves_nothing(client, staff, overrides, message):
    client.force_login(staff)
    response = client.post(reverse("events:staff_create"), _form_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Event.objects.exists()


def test_staff_walk_in_invite_and_questions_through_the_pages(client, staff, participant, make_event):
    event = make_event()
    client.force_login(staff)
    client.post(reverse("events:staff_walk_in", args=[event.pk]),
                {"walkin-name": "Gerd Gast", "walkin-email": "gerd@example.org"})
    client.post(reverse("events:staff_invite", args=[event.pk]), {"invite-email": participant.email})
    response = client.post(reverse("events:staff_invite", args=[event.pk]), {"invite-email": "nobody@example.org"},
                           follow=True)
    assert "kein aktives Konto" in response.content.decode()
    client.post(reverse("events:staff_question_add", args=[event.pk]),
                {"question-label": "Workshop?", "question-kind": "choice", "question-choices": "A\nB"})
    assert sorted(Registration.objects.values_list("status", flat=True)) == ["confirmed", "invited"]
    assert event.questions.get().choice_list == ["A", "B"]
    page = client.get(reverse("events:staff_detail", args=[event.pk])).content.decode()
    assert "Gerd Gast" in page and "gerd@example.org" in page


def test_staff_role_matching_team_of_the_programme_and_admin_also_manage(client, make_event):
    from factories import make_programme, make_team_member

    programme = make_programme()
    event = make_event(programme=programme)
    for user in (make_team_member(programme=programme), make_user(role=Role.ADMIN)):
        client.force_login(user)
        assert client.get(reverse("events:staff_detail", args=[event.pk])).status_code == 200


def test_staff_move_through_the_page(client, staff, participant, make_event):
    source, target = make_event(title="Dezember"), make_event(title="Januar")
    registration = services.registration_create(actor=participant, event=source)
    client.force_login(staff)
    page = client.get(reverse("events:staff_detail", args=[source.pk])).content.decode()
    assert "Januar" in page and registration.code in page
    response = client.post(reverse("events:staff_move", args=[source.pk]),
                           {"move-code": registration.code.lower(), "move-to_event": target.pk}, follow=True)
    assert "ist verschoben nach „Januar“" in response.content.decode(), [str(m) for m in response.context["messages"]]
    assert Registration.objects.get(event=target).user == participant
    response = client.post(reverse("events:staff_move", args=[source.pk]),
                           {"move-code": "FALSCH", "move-to_event": target.pk}, follow=True)
    assert "keine Anmeldung mit diesem Code" in response.content.decode()
    client.force_login(participant)
    assert client.post(reverse("events:staff_move", args=[source.pk]),
                       {"move-code": registration.code, "move-to_event": source.pk}).status_code == 403


def test_agenda_registers_its_offline_worker(client, participant):
    client.force_login(participant)
    page = client.get(reverse("events:agenda")).content.decode()
    assert 'data-worker="/mein-bereich/veranstaltungen/offline.js"' in page and "<script>" not in page
    response = client.get(reverse("events:agenda_worker"))
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/mein-bereich/veranstaltungen/"
    assert "caches.match" in response.content.decode()
