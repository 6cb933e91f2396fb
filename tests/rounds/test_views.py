"""Pages of the rounds app: a participant sees only her own tables and card; staff rights as
the events rules say; bad input is a clear message and saves nothing; the projector page
works without JavaScript (the server computes the round)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from factories import make_coordinator, make_region, make_user
from pypdf import PdfReader

from matchwerk.events.enums import EventFormat, RegistrationStatus
from matchwerk.events.rules import can_edit_event
from matchwerk.rounds import selectors, services
from matchwerk.rounds.enums import PlanKind
from matchwerk.rounds.models import PlanRun, RoundSetup, Seat

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    content = b"".join(response) if response.streaming else response.content
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def evening(staff, make_event, register):
    """A roundtable evening: 6 people at tables of 3 for 2 rounds, with a plan."""
    event = make_event(EventFormat.ROUNDTABLE, "Innovationsstammtisch")
    people = register(event, "sme", 6)
    services.round_setup_save(actor=staff, event=event, kind=PlanKind.ROUNDTABLE, rounds=2, table_size=3,
                              table_topics="Smart City | Dr. Anna Weber\nKlimaschutz | Eva Stein")
    services.plan_run_start(actor=staff, event=event, kind=PlanKind.ROUNDTABLE)
    return event, people


def mates_and_strangers(event, person):
    plan = selectors.current_plan(event, PlanKind.ROUNDTABLE)
    seats = list(Seat.objects.filter(plan=plan).select_related("registration"))
    mine = {(s.round, s.table) for s in seats if s.registration_id == person.pk}
    mates = {s.registration.name for s in seats if (s.round, s.table) in mine and s.registration_id != person.pk}
    strangers = {s.registration.name for s in seats} - mates - {person.name}
    return mates, strangers


def test_a_participant_sees_her_own_tables_only(client, evening):
    event, people = evening
    me = people[0]
    mates, strangers = mates_and_strangers(event, me)
    assert strangers  # 6 people, 2 rounds of tables of 3: somebody never sits with me
    client.force_login(me.user)
    page = client.get(reverse("rounds:my_table", args=[event.pk])).content.decode()
    assert all(name in page for name in mates)
    assert not any(name in page for name in strangers)
    assert "Smart City" in page or "Klimaschutz" in page


def test_my_card_pdf_holds_my_name_only(client, evening):
    event, people = evening
    me = people[0]
    mates, strangers = mates_and_strangers(event, me)
    client.force_login(me.user)
    response = client.get(reverse("rounds:my_card", args=[event.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response)
    assert me.name in text and all(name in text for name in mates)
    assert not any(name in text for name in strangers)


@pytest.mark.parametrize("who", ["stranger", "waitlisted", "anonymous", "staff"])
def test_others_do_not_see_a_personal_table(client, evening, make_event, register, staff, who):
    event, _people = evening
    if who == "stranger":
        client.force_login(make_user())
    elif who == "waitlisted":
        (waiting,) = register(event, "sme", 1, status=RegistrationStatus.WAITLISTED)
        client.force_login(waiting.user)
    elif who == "staff":
        client.force_login(staff)
    for name in ("rounds:my_table", "rounds:my_card"):
        response = client.get(reverse(name, args=[event.pk]))
        if who == "anonymous":
            assert response.status_code == 302 and "/konto/" in response["Location"]
        else:
            assert response.status_code == 404


def test_staff_pages_are_closed_to_participants_and_open_as_the_events_rules_say(client, evening, staff):
    event, people = evening
    urls = [reverse("rounds:setup", args=[event.pk, "tischrunden"]),
            reverse("rounds:projector", args=[event.pk, "tischrunden"]),
            reverse("rounds:plan_pdf", args=[event.pk, "tischrunden"]),
            reverse("rounds:cards_pdf", args=[event.pk, "tischrunden"])]
    client.force_login(people[0].user)
    assert all(client.get(url).status_code == 403 for url in urls)
    # The events rules scope staff by region: the coordinator of another region is refused.
    other_region = make_coordinator(make_region(name="Vogtlandkreis"))
    assert not can_edit_event(other_region, event) and can_edit_event(staff, event)
    client.force_login(other_region)
    assert all(client.get(url).status_code == 403 for url in urls)
    assert client.post(reverse("rounds:run_start", args=[event.pk, "tischrunden"])).status_code == 403
    client.force_login(staff)
    assert all(client.get(url).status_code == 200 for url in urls)
    assert client.get(reverse("rounds:setup", args=[event.pk, "unbekannt"])).status_code == 404


def test_staff_table_plan_and_cards_pdf(client, evening, staff):
    event, people = evening
    client.force_login(staff)
    plan = pdf_text(client.get(reverse("rounds:plan_pdf", args=[event.pk, "tischrunden"])))
    assert "Runde 1" in plan and "Runde 2" in plan and "Smart City" in plan and "Dr. Anna Weber" in plan
    assert all(person.name in plan for person in people)
    cards = PdfReader(io.BytesIO(client.get(reverse("rounds:cards_pdf", args=[event.pk, "tischrunden"])).content))
    assert len(cards.pages) == len(people)


def test_zero_tables_in_the_form_is_a_clear_message_and_nothing_is_saved(client, staff, make_event):
    event = make_event()
    client.force_login(staff)
    response = client.post(reverse("rounds:setup", args=[event.pk, "speed-dating"]), {
        "rounds": "6", "round_minutes": "7", "break_minutes": "1", "tables": "0", "side_a_label": "Startups",
        "side_b_label": "KMU", "side_a_kinds": ["startup"], "side_b_kinds": ["sme"], "pair_mode": "all"})
    assert response.status_code == 400
    assert "Es braucht mindestens einen Tisch." in response.content.decode()
    assert not RoundSetup.objects.exists()


def test_a_run_with_bad_input_says_why_and_saves_no_run(client, staff, make_event, register):
    event = make_event(EventFormat.ROUNDTABLE)
    register(event, "sme", 3)
    services.round_setup_save(actor=staff, event=event, kind=PlanKind.ROUNDTABLE, rounds=2, table_size=5)
    client.force_login(staff)
    response = client.post(reverse("rounds:run_start", args=[event.pk, "tischrunden"]), follow=True)
    assert "An einem Tisch sollen 5 Personen sitzen, angemeldet sind aber nur 3." in response.content.decode()
    assert not PlanRun.objects.exists()


def test_a_run_from_the_page_ends_on_its_status_page(client, staff, make_event, register):
    event = make_event()
    register(event, "startup", 2)
    register(event, "sme", 2)
    services.round_setup_save(actor=staff, event=event, kind=PlanKind.SPEED, rounds=2, tables=2,
                              side_a_kinds=["startup"], side_b_kinds=["sme"])
    client.force_login(staff)
    response = client.post(reverse("rounds:run_start", args=[event.pk, "speed-dating"]), follow=True)
    assert "Fertig: Der neue Plan gilt." in response.content.decode()
    page = client.get(reverse("rounds:setup", args=[event.pk, "speed-dating"])).content.decode()
    assert "4 von 4 möglichen Paaren" in page


def test_projector_without_javascript_shows_the_round_the_server_computes(client, staff, make_event, register):
    event = make_event()
    startups, smes = register(event, "startup", 2), register(event, "sme", 2)
    setup = services.round_setup_save(actor=staff, event=event, kind=PlanKind.SPEED, rounds=2, tables=2,
                                      round_seconds=300, break_seconds=60,
                                      side_a_kinds=["startup"], side_b_kinds=["sme"])
    services.plan_run_start(actor=staff, event=event, kind=PlanKind.SPEED)
    services.clock_start(actor=staff, setup=setup, at=timezone.now() - timedelta(seconds=370))
    client.force_login(staff)
    page = client.get(reverse("rounds:projector", args=[event.pk, "speed-dating"])).content.decode()
    assert "Runde 2 von 2" in page and 'http-equiv="refresh"' in page
    assert 'data-plan-round="2">' in page.replace(' aria-labelledby="projector-round-2"', "")


def test_clock_phases():
    setup = RoundSetup(rounds=3, round_seconds=60, break_seconds=30)
    assert selectors.clock(setup) is None
    start = timezone.now()
    setup.clock_starts_at = start
    at = lambda seconds: selectors.clock(setup, start + timedelta(seconds=seconds))  # noqa: E731
    assert (at(-10).phase, at(-10).round, at(-10).seconds_left) == ("before", 1, 10)
    assert (at(0).phase, at(0).round, at(0).seconds_left) == ("round", 1, 60)
    assert (at(61).phase, at(61).round, at(61).seconds_left) == ("break", 2, 29)
    assert (at(95).phase, at(95).round, at(95).seconds_left) == ("round", 2, 55)
    assert (at(200).phase, at(200).round, at(200).seconds_left) == ("round", 3, 40)
    assert at(240).phase == "over" and at(10_000).phase == "over"
