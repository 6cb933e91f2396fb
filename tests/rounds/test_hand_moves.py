"""Moving a person to another table in one round by hand: conflicts are refused with a
clear message and change nothing; only staff of the event, only the current plan."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from matchwerk.events.enums import EventFormat
from matchwerk.rounds import selectors, services
from matchwerk.rounds.enums import PairMode, PlanKind
from matchwerk.rounds.models import Seat

pytestmark = pytest.mark.django_db


def seating(plan):
    return sorted(Seat.objects.filter(plan=plan).values_list("round", "table", "registration_id", "side"))


def seat_of(plan, person, round_number):
    return Seat.objects.filter(plan=plan, registration=person, round=round_number).first()


@pytest.fixture
def kickoff(staff, make_event, register):
    """Speed-dating: 2 startups × 2 SMEs, 2 rounds at 3 tables: every pair meets once."""
    event = make_event()
    startups, smes = register(event, "startup", 2), register(event, "sme", 2)
    services.round_setup_save(actor=staff, event=event, kind=PlanKind.SPEED, rounds=2, tables=3,
                              side_a_kinds=["startup"], side_b_kinds=["sme"], pair_mode=PairMode.ALL)
    services.plan_run_start(actor=staff, event=event, kind=PlanKind.SPEED)
    return event, startups, smes, selectors.current_plan(event, PlanKind.SPEED)


def test_speed_dating_moves_refuse_conflicts_with_a_clear_message(staff, kickoff):
    event, (a1, a2), (b1, b2), plan = kickoff
    before = seating(plan)

    def move(person, table, round_number=1):
        return services.seat_move(actor=staff, plan=plan, registration=person, round_number=round_number,
                                  table=table)

    mine, other = seat_of(plan, a1, 1), seat_of(plan, a2, 1)
    with pytest.raises(ValidationError, match=rf"Tisch {other.table} ist in Runde 1 schon voll \("):
        move(a1, other.table)
    with pytest.raises(ValidationError, match=r"Tisch 4 gibt es nicht \(1 bis 3\)"):
        move(a1, 4)
    with pytest.raises(ValidationError, match=rf"sitzt in Runde 1 schon an Tisch {mine.table}"):
        move(a1, mine.table)
    with pytest.raises(ValidationError, match=r"Runde 3 gibt es nicht"):
        move(a1, 1, round_number=3)
    assert seating(plan) == before  # nothing changed

    partner = Seat.objects.get(plan=plan, round=1, table=mine.table, side="b").registration
    move(a1, None)  # a1 sits round 1 out: their partner waits alone at the table
    assert seat_of(plan, a1, 1) is None
    with pytest.raises(ValidationError, match="hat in Runde 1 schon Pause"):
        move(a1, None)
    # a2 already meets that partner in round 2
    with pytest.raises(ValidationError, match=rf"{a2.name} und {partner.name} sitzen schon in Runde 2 zusammen"):
        move(a2, mine.table)
    other_b = b2 if partner == b1 else b1
    with pytest.raises(ValidationError, match=rf"schon jemand derselben Seite \({partner.name}\)"):
        move(other_b, mine.table)
    free = ({1, 2, 3} - set(Seat.objects.filter(plan=plan, round=1).values_list("table", flat=True))).pop()
    move(a1, free)  # an empty table is fine
    assert seat_of(plan, a1, 1).table == free and seat_of(plan, a1, 1).side == "a"
    plan.refresh_from_db()
    assert plan.figures["hand_moves"] == 2


def test_only_staff_and_only_the_current_plan(staff, kickoff, make_event, register):
    event, (a1, a2), _smes, plan = kickoff
    with pytest.raises(PermissionDenied):
        services.seat_move(actor=a1.user, plan=plan, registration=a1, round_number=1, table=None)
    stranger = register(make_event(title="Andere"), "startup")[0]
    with pytest.raises(ValidationError, match="nicht für die Veranstaltung angemeldet"):
        services.seat_move(actor=staff, plan=plan, registration=stranger, round_number=1, table=3)
    services.plan_run_start(actor=staff, event=event, kind=PlanKind.SPEED)  # a new plan
    with pytest.raises(ValidationError, match="Nur der aktuelle Plan"):
        services.seat_move(actor=staff, plan=plan, registration=a1, round_number=1, table=None)


def test_roundtable_move_to_a_full_table_is_refused_and_takes_the_new_tables_topic(staff, make_event, register):
    event = make_event(EventFormat.ROUNDTABLE, "Innovationsstammtisch")
    people = register(event, "sme", 6)
    services.round_setup_save(actor=staff, event=event, kind=PlanKind.ROUNDTABLE, rounds=2, table_size=3,
                              table_topics="Smart City | Dr. Anna Weber\nKlimaschutz | Eva Stein")
    services.plan_run_start(actor=staff, event=event, kind=PlanKind.ROUNDTABLE)
    plan = selectors.current_plan(event, PlanKind.ROUNDTABLE)
    person = next(p for p in people if seat_of(plan, p, 1).table == 1)
    at_two = [p for p in people if seat_of(plan, p, 1).table == 2]
    with pytest.raises(ValidationError, match=r"Tisch 2 ist in Runde 1 schon voll"):
        services.seat_move(actor=staff, plan=plan, registration=person, round_number=1, table=2)
    services.seat_move(actor=staff, plan=plan, registration=at_two[0], round_number=1, table=None)
    services.seat_move(actor=staff, plan=plan, registration=person, round_number=1, table=2)
    seat = seat_of(plan, person, 1)
    assert (seat.table, seat.topic, seat.host) == (2, "Klimaschutz", "Eva Stein")


def test_the_page_moves_and_shows_conflicts(client, staff, kickoff):
    event, (a1, a2), _smes, plan = kickoff
    url = reverse("rounds:seat_move", args=[event.pk, "speed-dating"])
    client.force_login(staff)
    page = client.get(reverse("rounds:setup", args=[event.pk, "speed-dating"])).content.decode()
    assert 'id="umsetzen"' in page
    other = seat_of(plan, a2, 1).table
    response = client.post(url, {"person": a1.pk, "round": 1, "table": other}, follow=True)
    assert f"Tisch {other} ist in Runde 1 schon voll" in response.content.decode()
    response = client.post(url, {"person": a1.pk, "round": 1, "table": ""}, follow=True)
    assert "ist umgesetzt (Runde 1: Pause)" in response.content.decode()
    assert seat_of(plan, a1, 1) is None
    response = client.post(url, {"person": "x", "round": 1, "table": 1}, follow=True)
    assert "Bitte Person, Runde und Tisch angeben." in response.content.decode()
    client.force_login(a2.user)
    assert client.post(url, {"person": a2.pk, "round": 1, "table": ""}).status_code in (403, 404)
    assert seat_of(plan, a2, 1) is not None
