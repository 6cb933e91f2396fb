"""Releasing a rounds plan freezes it, like the meeting plan's versions: participants see
the released plan; a hand move afterwards makes a new released version (the old one stays
as it was) and mails only the person moved; a re-run makes a draft that participants see
only once it is released, and that release mails only the people whose tables changed."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from matchwerk.core.models import AccessLog
from matchwerk.rounds import selectors, services
from matchwerk.rounds.enums import PairMode, PlanKind
from matchwerk.rounds.models import Plan, Seat

pytestmark = pytest.mark.django_db


def seating(plan):
    return sorted(Seat.objects.filter(plan=plan).values_list("round", "table", "registration_id", "side"))


@pytest.fixture
def kickoff(staff, make_event, register):
    """Speed-dating: 2 startups × 2 SMEs, 2 rounds at 3 tables."""
    event = make_event()
    startups, smes = register(event, "startup", 2), register(event, "sme", 2)
    services.round_setup_save(actor=staff, event=event, kind=PlanKind.SPEED, rounds=2, tables=3,
                              side_a_kinds=["startup"], side_b_kinds=["sme"], pair_mode=PairMode.ALL)
    services.plan_run_start(actor=staff, event=event, kind=PlanKind.SPEED)
    return event, startups, smes, selectors.current_plan(event, PlanKind.SPEED)


def test_release_mails_everybody_once_and_a_later_move_only_the_person_moved(staff, kickoff,
                                                                          django_capture_on_commit_callbacks):
    event, (a1, a2), (b1, b2), plan = kickoff
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_release(actor=staff, plan=plan)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in (a1, a2, b1, b2))
    assert "Ihre Tische: Kick-off" in mail.outbox[0].subject and "Runde 1: Tisch" in mail.outbox[0].body
    released = seating(plan)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.seat_move(actor=staff, plan=plan, registration=a1, round_number=1, table=None)
    # the released plan is frozen; the move made a new released version based on it
    assert seating(plan) == released
    new = selectors.current_plan(event, PlanKind.SPEED)
    assert new.pk != plan.pk and new.is_released and new.based_on_id == plan.pk
    assert selectors.published_plan(event, PlanKind.SPEED) == new
    assert not Seat.objects.filter(plan=new, registration=a1, round=1).exists()
    assert len(seating(new)) == len(released) - 1 and new.figures["hand_moves"] == 1
    # only the person moved is mailed, with their tables now
    assert [m.to[0] for m in mail.outbox] == [a1.email]
    assert "haben sich geändert" in mail.outbox[0].subject and "Runde 1: Pause" in mail.outbox[0].body
    audit = AccessLog.objects.filter(action="matchwerk.rounds.seat.moved").latest("pk")
    assert audit.data["based_on"] == plan.pk and audit.data["notified"] == 1
    # the old plan can no longer be changed, nor released twice
    with pytest.raises(ValidationError, match="Nur der aktuelle Plan"):
        services.seat_move(actor=staff, plan=plan, registration=a2, round_number=1, table=None)
    with pytest.raises(ValidationError, match="schon veröffentlicht"):
        services.plan_release(actor=staff, plan=new)


def test_moves_before_the_release_change_the_draft_in_place_without_mail(staff, kickoff,
                                                                        django_capture_on_commit_callbacks):
    event, (a1, _a2), _smes, plan = kickoff
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.seat_move(actor=staff, plan=plan, registration=a1, round_number=1, table=None)
    assert Plan.objects.filter(event=event).count() == 1 and mail.outbox == []
    assert not Seat.objects.filter(plan=plan, registration=a1, round=1).exists()


def test_a_rerun_after_the_release_is_a_draft_until_released(staff, kickoff, django_capture_on_commit_callbacks):
    event, (a1, a2), (b1, b2), plan = kickoff
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_release(actor=staff, plan=plan)
    services.plan_run_start(actor=staff, event=event, kind=PlanKind.SPEED)
    draft = selectors.current_plan(event, PlanKind.SPEED)
    assert draft.pk != plan.pk and not draft.is_released
    assert selectors.published_plan(event, PlanKind.SPEED) == plan  # participants still see the released one
    # the draft differs for exactly the people whose seats we change by hand
    Seat.objects.filter(plan=draft).delete()
    Seat.objects.bulk_create([Seat(plan=draft, round=s.round, table=s.table, registration_id=s.registration_id,
                                   side=s.side) for s in Seat.objects.filter(plan=plan)])
    Seat.objects.filter(plan=draft, registration=b2, round=2).delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_release(actor=staff, plan=draft)
    assert [m.to[0] for m in mail.outbox] == [b2.email]
    draft.refresh_from_db()
    assert draft.based_on_id == plan.pk and draft.figures["changed_people"] == 1
    assert selectors.published_plan(event, PlanKind.SPEED) == draft


def test_only_staff_release_and_the_page_shows_the_state(client, staff, kickoff, django_capture_on_commit_callbacks):
    event, (a1, _a2), _smes, plan = kickoff
    with pytest.raises(PermissionDenied):
        services.plan_release(actor=a1.user, plan=plan)
    url = reverse("rounds:release", args=[event.pk, "speed-dating"])
    client.force_login(a1.user)
    assert client.post(url).status_code in (403, 404)
    assert client.get(url).status_code in (403, 404, 405)
    plan.refresh_from_db()
    assert not plan.is_released
    client.force_login(staff)
    setup_url = reverse("rounds:setup", args=[event.pk, "speed-dating"])
    assert "Plan veröffentlichen" in client.get(setup_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url, follow=True).content.decode()
    assert "Der Plan ist veröffentlicht; 4 Personen werden benachrichtigt." in page
    assert "Veröffentlichte Pläne bleiben unverändert" in page
    page = client.post(url, follow=True).content.decode()
    assert "schon veröffentlicht" in page
    # the table plan of another kind without a plan: a message, nothing released
    page = client.post(reverse("rounds:release", args=[event.pk, "tischrunden"]), follow=True).content.decode()
    assert "Noch kein Plan." in page
