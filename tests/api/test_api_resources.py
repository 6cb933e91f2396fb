"""The resources added to the API after the first cut: grants and payments, the match
journal, meeting requests, meeting plan versions and meetings, round plans, an event's
sessions and event ideas — each with the rights of the pages, denied paths included
(other region's coordinator, other participant, read-only token, anonymous)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from factories import make_user

from matchwerk.events import services as event_services
from matchwerk.events.models import EventIdea, Session
from matchwerk.matching.models import JournalEntry
from matchwerk.meetings import services as meeting_services
from matchwerk.meetings.models import MeetingRequest
from matchwerk.programmes.grants.models import Grant, Payment
from matchwerk.rounds.models import Plan as RoundPlan
from matchwerk.rounds.models import Seat as RoundSeat

pytestmark = pytest.mark.django_db

API = "/api/v1"
JSON = "application/json"


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def post(client, url, body, headers):
    return client.post(url, body, content_type=JSON, **headers)


@pytest.fixture
def grant(world):
    programme, match = world.objects["programme"], world.objects["match"]
    programme.budget, programme.grant_per_match = Decimal("10000.00"), Decimal("3000.00")
    programme.save(update_fields=["budget", "grant_per_match"])
    match.status, match.stage = "active", "kickoff"
    match.save(update_fields=["status", "stage"])
    return Grant.objects.create(programme=programme, match=match, purpose="Prototyp bauen",
                                amount_requested=Decimal("2000.00"))


def test_grants_and_payments(client, world, grant):
    url = f"{API}/grants/{grant.pk}/"
    for role in ("coord", "team", "admin", "pa", "pb"):  # staff who see the match, and its members
        assert grant.pk in ids(client.get(f"{API}/grants/", **world.headers(role))), role
    assert ids(client.get(f"{API}/grants/", **world.headers("coord_other"))) == set()
    assert client.get(url, **world.headers("coord_other")).status_code == 404
    assert client.get(url).status_code == 401
    approve = f"{url}approve/"
    # the matching team reads but does not decide; a member neither; a read-only token never writes
    for headers in (world.headers("team"), world.headers("pa"), world.headers("coord", read_only=True)):
        assert post(client, approve, {"amount": "1500.00"}, headers).status_code == 403
    assert post(client, approve, {"amount": "1500.00"}, world.headers("coord_other")).status_code == 404
    coord = world.headers("coord")
    over = post(client, approve, {"amount": "3500.00"}, coord)  # above the grant per match: the service refuses
    assert over.status_code == 400 and "non_field_errors" in over.json(), over.content
    assert post(client, approve, {"amount": "zwei"}, coord).status_code == 400
    grant.refresh_from_db()
    assert grant.status == "applied"
    ok = post(client, approve, {"amount": "1500.00", "note": "Viel Erfolg"}, coord)
    assert ok.status_code == 200, ok.content
    assert ok.json()["status"] == "approved" and ok.json()["amount_approved"] == "1500.00"
    world.objects["match"].refresh_from_db()
    assert world.objects["match"].stage == "grant_approved"
    # payments: coordinators record them, within the approved amount
    payment = {"grant": grant.pk, "paid_on": timezone.localdate().isoformat(), "amount": "1000.00",
               "reference": "Abschlag 1"}
    assert post(client, f"{API}/payments/", payment, world.headers("team")).status_code == 403
    assert post(client, f"{API}/payments/", payment, world.headers("pa")).status_code == 403
    assert post(client, f"{API}/payments/", payment, world.headers("coord_other")).status_code == 400  # unknown grant
    too_much = post(client, f"{API}/payments/", dict(payment, amount="600.00"), coord)
    assert too_much.status_code == 201, too_much.content
    assert post(client, f"{API}/payments/", payment, coord).status_code == 400  # 600 + 1000 > 1500
    assert post(client, f"{API}/payments/", dict(payment, paid_on="2999-01-01"), coord).status_code == 400
    assert Payment.objects.count() == 1
    assert ids(client.get(f"{API}/payments/", {"grant": grant.pk}, **world.headers("pb"))) == {too_much.json()["id"]}
    assert ids(client.get(f"{API}/payments/", **world.headers("coord_other"))) == set()


def test_grant_request_changes_needs_a_note(client, world, grant):
    url = f"{API}/grants/{grant.pk}/request-changes/"
    assert post(client, url, {"note": ""}, world.headers("coord")).status_code == 400
    response = post(client, url, {"note": "Bitte Kostenplan ergänzen"}, world.headers("coord"))
    assert response.status_code == 200 and response.json()["status"] == "changes"


def test_match_journal_staff_notes_stay_with_staff(client, world):
    match = world.objects["match"]
    staff_note = post(client, f"{API}/journal-entries/", {"match": match.pk, "text": "Intern: A zögert",
                                                          "visibility": "staff"}, world.headers("coord"))
    assert staff_note.status_code == 201, staff_note.content
    shared = post(client, f"{API}/journal-entries/", {"match": match.pk, "text": "Treffen am Montag"},
                  world.headers("pa"))
    assert shared.status_code == 201 and shared.json()["visibility"] == "match"
    # a member may not write staff-only notes
    assert post(client, f"{API}/journal-entries/", {"match": match.pk, "text": "x", "visibility": "staff"},
                world.headers("pb")).status_code == 403
    as_member = client.get(f"{API}/journal-entries/", **world.headers("pb"))
    assert ids(as_member) == {shared.json()["id"]} and "Intern" not in as_member.content.decode()
    assert client.get(f"{API}/journal-entries/{staff_note.json()['id']}/", **world.headers("pb")).status_code == 404
    assert ids(client.get(f"{API}/journal-entries/", **world.headers("team"))) == {
        staff_note.json()["id"], shared.json()["id"]}
    assert ids(client.get(f"{API}/journal-entries/", **world.headers("coord_other"))) == set()
    assert post(client, f"{API}/journal-entries/", {"match": match.pk, "text": "fremd"},
                world.headers("coord_other")).status_code == 400  # the match is not hers: unknown
    assert post(client, f"{API}/journal-entries/", {"match": match.pk, "text": "nur lesen"},
                world.headers("pa", read_only=True)).status_code == 403
    assert JournalEntry.objects.count() == 2


@pytest.fixture
def brokerage(world):
    admin = world.users["admin"]
    day = (timezone.localtime() + timedelta(days=20)).date()

    def at(hour):
        return timezone.make_aware(datetime.combine(day, time(hour)))

    event = event_services.event_publish(actor=admin, event=event_services.event_create(
        actor=admin, topics=(), title="Börse M", format="brokerage", description="", venue_name="Messe",
        venue_address="", venue_host="", starts_at=at(9), ends_at=at(17), capacity=20, region=world.objects["region"]))
    meeting_services.brokerage_configure(actor=admin, event=event, meeting_minutes=20, tables=4,
                                         sessions=[(at(9), at(10))])
    carla = make_user(full_name="Carla C")
    world.users["pc"] = carla
    regs = {role: event_services.registration_create(actor=world.users[role], event=event)
            for role in ("pa", "pb", "pc")}
    return event, regs


def test_meeting_requests_follow_the_meeting_rules(client, world, brokerage):
    event, regs = brokerage
    body = {"event": event.pk, "receiver": regs["pb"].pk, "message": "Kaffee?", "priority": 3}
    assert post(client, f"{API}/meeting-requests/", body, world.headers("pa", read_only=True)).status_code == 403
    assert post(client, f"{API}/meeting-requests/", body, world.headers("coord_other")).status_code == 403
    assert post(client, f"{API}/meeting-requests/", dict(body, priority=2), world.headers("pa")).status_code == 400
    assert post(client, f"{API}/meeting-requests/", dict(body, receiver=regs["pa"].pk),
                world.headers("pa")).status_code == 400  # herself (not in her list of people)
    # a registration of another event is not found
    assert post(client, f"{API}/meeting-requests/", dict(body, receiver=world.objects["registration_a"].pk),
                world.headers("pa")).status_code == 400
    created = post(client, f"{API}/meeting-requests/", body, world.headers("pa"))
    assert created.status_code == 201, created.content
    row = created.json()
    assert row["status"] == "pending" and row["receiver"]["id"] == regs["pb"].pk and "email" not in row["receiver"]
    assert post(client, f"{API}/meeting-requests/", body, world.headers("pa")).status_code == 400  # asked already
    pk = row["id"]
    # Carla is neither side: she does not see it; staff of the event do, the other region's do not
    assert ids(client.get(f"{API}/meeting-requests/", **world.headers("pc"))) == set()
    assert client.get(f"{API}/meeting-requests/{pk}/", **world.headers("pc")).status_code == 404
    assert pk in ids(client.get(f"{API}/meeting-requests/", {"event": event.pk}, **world.headers("coord")))
    assert ids(client.get(f"{API}/meeting-requests/", **world.headers("coord_other"))) == set()
    # only the requester changes it, while it is open
    detail = f"{API}/meeting-requests/{pk}/"
    assert client.patch(detail, {"priority": 1}, content_type=JSON, **world.headers("pb")).status_code == 403
    assert client.patch(detail, {"priority": 1}, content_type=JSON, **world.headers("pc")).status_code == 404
    assert client.patch(detail, {"priority": 7}, content_type=JSON, **world.headers("pa")).status_code == 400
    changed = client.patch(detail, {"priority": 1}, content_type=JSON, **world.headers("pa"))
    assert changed.status_code == 200 and changed.json()["priority"] == 1 and changed.json()["message"] == "Kaffee?"
    # only the receiver answers; only the requester withdraws
    answer = f"{API}/meeting-requests/{pk}/answer/"
    assert post(client, answer, {"accept": True}, world.headers("pa")).status_code == 403
    assert post(client, answer, {"accept": True}, world.headers("pc")).status_code == 404
    assert post(client, f"{API}/meeting-requests/{pk}/withdraw/", {}, world.headers("pb")).status_code == 403
    accepted = post(client, answer, {"accept": True}, world.headers("pb"))
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert post(client, answer, {"accept": False}, world.headers("pb")).status_code == 400  # answered already
    assert client.patch(detail, {"message": "später"}, content_type=JSON,
                        **world.headers("pa")).status_code == 400  # no longer open
    declined = post(client, f"{API}/meeting-requests/", {"event": event.pk, "receiver": regs["pa"].pk},
                    world.headers("pc"))
    assert declined.status_code == 201, declined.content
    response = post(client, f"{API}/meeting-requests/{declined.json()['id']}/answer/", {"accept": False},
                    world.headers("pa"))
    assert response.status_code == 200 and response.json()["status"] == "declined"
    assert MeetingRequest.objects.count() == 2


def test_plan_versions_and_meetings(client, world, brokerage):
    event, regs = brokerage
    request = meeting_services.request_create(actor=world.users["pa"], event=event, receiver=regs["pb"])
    meeting_services.request_answer(actor=world.users["pb"], request=request, accept=True)
    slot = event.brokerage.slots.first()
    meeting = meeting_services.meeting_add(actor=world.users["admin"], event=event, request=request, slot=slot)
    # a draft: staff see it, the participants do not yet
    assert ids(client.get(f"{API}/meetings/", **world.headers("pa"))) == set()
    assert meeting.pk in ids(client.get(f"{API}/meetings/", **world.headers("coord")))
    versions = client.get(f"{API}/meeting-plan-versions/", {"event": event.pk}, **world.headers("coord"))
    assert [(v["number"], v["status"], v["meetings"]) for v in versions.json()["results"]] == [(1, "preliminary", 1)]
    meeting_services.version_release(actor=world.users["coord"], event=event)
    for role in ("pa", "pb"):
        mine = client.get(f"{API}/meetings/", **world.headers(role))
        assert ids(mine) == {meeting.pk}
        assert mine.json()["results"][0]["starts_at"] and mine.json()["results"][0]["table"] >= 1
    assert ids(client.get(f"{API}/meetings/", **world.headers("pc"))) == set()  # not hers
    assert client.get(f"{API}/meetings/{meeting.pk}/", **world.headers("pc")).status_code == 404
    assert ids(client.get(f"{API}/meetings/", **world.headers("coord_other"))) == set()
    # versions are the staff's
    assert ids(client.get(f"{API}/meeting-plan-versions/", **world.headers("pa"))) == set()
    assert ids(client.get(f"{API}/meeting-plan-versions/", **world.headers("coord_other"))) == set()
    released = client.get(f"{API}/meeting-plan-versions/", {"status": "released"}, **world.headers("admin"))
    assert [v["number"] for v in released.json()["results"]] == [1]
    assert client.get(f"{API}/meetings/").status_code == 401


def test_round_plans_show_staff_everything_and_participants_their_seats(client, world):
    event = world.objects["event"]
    guest = event_services.registration_create(actor=world.users["pb"], event=event)
    plan = RoundPlan.objects.create(event=event, kind="speed", rounds=1, figures={"pairs": 1})
    RoundSeat.objects.create(plan=plan, round=1, table=1, registration=world.objects["registration_a"], side="a")
    RoundSeat.objects.create(plan=plan, round=1, table=1, registration=guest, side="b")
    staff = client.get(f"{API}/round-plans/{plan.pk}/", **world.headers("coord"))
    assert staff.status_code == 200 and len(staff.json()["seats"]) == 2
    own = client.get(f"{API}/round-plans/{plan.pk}/", **world.headers("pa"))
    assert [seat["registration"] for seat in own.json()["seats"]] == [world.objects["registration_a"].pk]
    assert "Bert B" not in own.content.decode()
    assert ids(client.get(f"{API}/round-plans/", **world.headers("coord_other"))) == set()
    assert client.get(f"{API}/round-plans/{plan.pk}/", **world.headers("coord_other")).status_code == 404
    newer = RoundPlan.objects.create(event=event, kind="speed", rounds=1)  # a participant sees the current plan only
    assert ids(client.get(f"{API}/round-plans/", **world.headers("pa"))) == {newer.pk}
    assert ids(client.get(f"{API}/round-plans/", **world.headers("admin"))) == {plan.pk, newer.pk}
    RoundPlan.objects.filter(pk=plan.pk).update(released_at=timezone.now())  # released: the newer one is a draft
    assert ids(client.get(f"{API}/round-plans/", **world.headers("pa"))) == {plan.pk}


def test_sessions_staff_write_everyone_reads(client, world):
    event = world.objects["event"]
    start = event.starts_at
    body = {"event": event.pk, "kind": "talk", "title": "Begrüßung", "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(minutes=30)).isoformat(), "room": "Saal"}
    assert post(client, f"{API}/sessions/", body, world.headers("pa")).status_code == 403
    assert post(client, f"{API}/sessions/", body, world.headers("coord", read_only=True)).status_code == 403
    assert post(client, f"{API}/sessions/", body, world.headers("coord_other")).status_code == 400  # not her event
    outside = dict(body, ends_at=(start + timedelta(days=2)).isoformat())
    refused = post(client, f"{API}/sessions/", outside, world.headers("coord"))
    assert refused.status_code == 400, refused.content
    assert post(client, f"{API}/sessions/", dict(body, farbe="rot"), world.headers("coord")).status_code == 400
    assert Session.objects.count() == 0
    created = post(client, f"{API}/sessions/", body, world.headers("coord"))
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert pk in ids(client.get(f"{API}/sessions/", {"event": event.pk}, **world.headers("pb")))
    assert client.delete(f"{API}/sessions/{pk}/", **world.headers("pb")).status_code == 403
    assert client.delete(f"{API}/sessions/{pk}/", **world.headers("coord_other")).status_code == 403
    assert client.delete(f"{API}/sessions/{pk}/", **world.headers("coord")).status_code == 204
    assert Session.objects.count() == 0


def test_event_ideas(client, world):
    body = {"title": "Stammtisch Design", "description": "Monatlich", "format": "roundtable",
            "region": world.objects["region"].pk, "topics": [world.objects["topic"].pk]}
    assert post(client, f"{API}/event-ideas/", dict(body, title=""), world.headers("pa")).status_code == 400
    assert post(client, f"{API}/event-ideas/", body, world.headers("pa", read_only=True)).status_code == 403
    created = post(client, f"{API}/event-ideas/", body, world.headers("pa"))
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert ids(client.get(f"{API}/event-ideas/", **world.headers("pb"))) == set()  # another participant's idea
    assert ids(client.get(f"{API}/event-ideas/", **world.headers("coord_other"))) == set()  # region R's idea
    assert pk in ids(client.get(f"{API}/event-ideas/", **world.headers("coord")))
    decide = f"{API}/event-ideas/{pk}/decide/"
    # the submitter sees her idea but does not decide on it
    assert post(client, decide, {"action": "decline", "message": "nein"}, world.headers("pa")).status_code == 403
    assert post(client, decide, {"action": "decline", "message": "nein"},
                world.headers("coord_other")).status_code == 404
    assert post(client, decide, {"action": "decline"}, world.headers("coord")).status_code == 400  # needs a message
    assert post(client, decide, {"action": "accept"}, world.headers("coord")).status_code == 400  # needs time, seats
    start = timezone.now().replace(microsecond=0) + timedelta(days=30)
    accepted = post(client, decide, {"action": "accept", "starts_at": start.isoformat(),
                                     "ends_at": (start + timedelta(hours=2)).isoformat(), "capacity": 12,
                                     "venue_name": "Café"},
                    world.headers("coord"))
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted" and accepted.json()["event"]
    assert EventIdea.objects.get(pk=pk).event.status == "draft"
    mine = client.get(f"{API}/event-ideas/{pk}/", **world.headers("pa"))
    assert mine.status_code == 200 and mine.json()["status"] == "accepted"


def test_wall_posts_follow_the_wall_rules(client, world):
    from matchwerk.events import services as event_services
    from matchwerk.events.wall_models import WallPost

    event = world.objects["event"]
    url = f"{API}/wall-posts/"
    # only a confirmed participant (A) or the event's staff may post; B is not registered
    assert post(client, url, {"event": event.pk, "text": "Hallo"}, world.headers("pb")).status_code == 403
    assert post(client, url, {"event": event.pk, "text": "Hallo"}, world.headers("pa", read_only=True)).status_code == 403
    assert post(client, url, {"event": event.pk, "text": "x" * 281}, world.headers("pa")).status_code == 400
    assert post(client, url, {"event": event.pk, "text": "Hallo", "author_name": "Jemand"},
                world.headers("pa")).status_code == 400  # unknown field
    assert not WallPost.objects.exists()
    created = post(client, url, {"event": event.pk, "text": "Wer baut mit uns eine App?"}, world.headers("pa"))
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "pending" and body["author_name"] == "Anna A" and body["has_photo"] is False
    pk = body["id"]
    # pending: its author and the event's staff see it; other participants and regions do not
    assert pk in ids(client.get(url, **world.headers("pa")))
    assert pk in ids(client.get(url, **world.headers("coord")))
    assert ids(client.get(url, **world.headers("coord_other"))) == set()
    moderate = f"{url}{pk}/moderate/"
    assert post(client, moderate, {"status": "approved"}, world.headers("pa")).status_code == 403
    assert post(client, moderate, {"status": "approved"}, world.headers("coord_other")).status_code == 404
    assert post(client, moderate, {"status": "deleted"}, world.headers("coord")).status_code == 400
    approved = post(client, moderate, {"status": "approved"}, world.headers("coord"))
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    # approved: every confirmed participant reads it; B after registering, not before
    assert ids(client.get(url, **world.headers("pb"))) == set()
    event_services.registration_create(actor=world.users["pb"], event=event)
    assert ids(client.get(f"{url}?event={event.pk}", **world.headers("pb"))) == {pk}
    hidden = post(client, moderate, {"status": "hidden"}, world.headers("admin"))
    assert hidden.status_code == 200
    assert ids(client.get(url, **world.headers("pb"))) == set() and ids(client.get(url, **world.headers("pa"))) == set()
    assert pk in ids(client.get(f"{url}?status=hidden", **world.headers("coord")))
