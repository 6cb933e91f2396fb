"""The programme of an event: sessions with times and rooms, working groups filled by
``compose`` (kinds spread evenly, recommended partners together) or by hand."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from factories import make_coordinator, make_organisation, make_programme, make_region, make_user

from matchwerk.events import services
from matchwerk.events.models import GroupMember, Session
from matchwerk.matching.models import Suggestion


def _people(event, kinds):
    registrations = []
    for n, kind in enumerate(kinds):
        person = make_user(full_name=f"{kind.title()} {n}")
        organisation = make_organisation(owner=person, kind=kind, name=f"{kind} {n}")
        registrations.append(services.registration_create(actor=person, event=event, organisation=organisation))
    return registrations


def test_sessions_appear_on_the_event_page_and_in_the_agenda(client, staff, participant, make_event):
    event = make_event(title="Jahreskonferenz")
    services.session_add(actor=staff, event=event, kind="talk", title="Keynote KI im Mittelstand",
                         starts_at=event.starts_at, ends_at=event.starts_at + timedelta(minutes=45), room="Saal 1")
    group = services.session_add(actor=staff, event=event, kind="working_group", title="AG Mobilität",
                                 starts_at=event.starts_at + timedelta(hours=1),
                                 ends_at=event.starts_at + timedelta(hours=2), room="Raum 2")
    registration = services.registration_create(actor=participant, event=event)
    services.group_member_add(actor=staff, session=group, registration=registration)
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "Keynote KI im Mittelstand" in page and "Saal 1" in page and "AG Mobilität" in page
    client.force_login(participant)
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "Ihre Arbeitsgruppe" in page
    agenda = client.get(reverse("events:agenda")).content.decode()
    assert "Keynote KI im Mittelstand" in agenda and "Ihre Arbeitsgruppe: AG Mobilität" in agenda


def test_a_session_outside_the_event_or_ending_before_it_starts_is_refused(staff, make_event):
    event = make_event()
    with pytest.raises(ValidationError) as error:
        services.session_add(actor=staff, event=event, kind="talk", title="Zu früh",
                             starts_at=event.starts_at - timedelta(hours=1), ends_at=event.starts_at)
    assert "innerhalb der Veranstaltung" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.session_add(actor=staff, event=event, kind="talk", title="Verkehrt",
                             starts_at=event.starts_at + timedelta(hours=1), ends_at=event.starts_at)
    assert "Das Ende muss nach dem Beginn liegen." in str(error.value)
    assert not Session.objects.exists()


def test_sessions_are_denied_outside_the_scope(make_event, staff):
    event = make_event()
    outsider = make_coordinator(make_region(name="Vogtland"))
    with pytest.raises(PermissionDenied):
        services.session_add(actor=outsider, event=event, kind="break", title="Pause",
                             starts_at=event.starts_at, ends_at=event.starts_at + timedelta(minutes=15))
    with pytest.raises(PermissionDenied):
        services.groups_propose(actor=outsider, event=event)
    with pytest.raises(PermissionDenied):
        services.session_add(actor=make_user(), event=event, kind="break", title="Pause",
                             starts_at=event.starts_at, ends_at=event.starts_at + timedelta(minutes=15))


def _groups(staff, event, n, capacity=None):
    return [services.session_add(actor=staff, event=event, kind="working_group", title=f"AG {i + 1}",
                                 starts_at=event.starts_at, ends_at=event.starts_at + timedelta(hours=1),
                                 capacity=capacity) for i in range(n)]


def test_proposal_spreads_every_kind_evenly_and_seats_everyone(staff, make_event):
    event = make_event(capacity=40)
    people = _people(event, ["startup"] * 3 + ["sme"] * 9)
    groups = _groups(staff, event, 3)
    proposal = services.groups_propose(actor=staff, event=event, time_limit=0.5)
    assert proposal.assigned == 12 and proposal.unassigned == 0
    members = GroupMember.objects.filter(session__in=groups).select_related("registration__organisation")
    assert len({m.registration_id for m in members}) == 12  # nobody twice
    for group in groups:
        kinds = Counter(m.registration.organisation.kind for m in members if m.session_id == group.pk)
        assert kinds == {"startup": 1, "sme": 3}
    assert {m.registration_id for m in members} == {p.pk for p in people}


def test_proposal_puts_recommended_partners_together_and_colleagues_apart(staff, make_event):
    event = make_event(capacity=40)
    startups, smes = _people(event, ["startup"] * 2), _people(event, ["sme"] * 2)
    programme = make_programme()
    # startup 0 ↔ sme 1 and startup 1 ↔ sme 0 are the matching's recommendations
    for a, b in ((startups[0], smes[1]), (startups[1], smes[0])):
        Suggestion.objects.create(programme=programme, organisation=a.organisation, partner=b.organisation,
                                  score=0.9, rank=1)
    groups = _groups(staff, event, 2)
    proposal = services.groups_propose(actor=staff, event=event, time_limit=0.5)
    assert proposal.objective == pytest.approx(1.8)
    together = {frozenset(GroupMember.objects.filter(session=g).values_list("registration_id", flat=True))
                for g in groups}
    assert together == {frozenset({startups[0].pk, smes[1].pk}), frozenset({startups[1].pk, smes[0].pk})}


def test_full_groups_leave_people_out_and_say_so(staff, make_event):
    event = make_event(capacity=40)
    _people(event, ["sme"] * 7)
    _groups(staff, event, 2, capacity=3)
    proposal = services.groups_propose(actor=staff, event=event, time_limit=0.3)
    assert proposal.assigned == 6 and proposal.unassigned == 1


def test_by_hand_one_group_per_time_and_capacity(staff, make_event):
    event = make_event(capacity=40)
    first, second = _people(event, ["sme", "sme"])
    small, other = _groups(staff, event, 2, capacity=1)
    services.group_member_add(actor=staff, session=small, registration=first)
    with pytest.raises(ValidationError, match="ist voll"):
        services.group_member_add(actor=staff, session=small, registration=second)
    with pytest.raises(ValidationError, match="schon in der Arbeitsgruppe „AG 1“"):
        services.group_member_add(actor=staff, session=other, registration=first)
    talk = services.session_add(actor=staff, event=event, kind="talk", title="Vortrag",
                                starts_at=event.starts_at, ends_at=event.starts_at + timedelta(hours=1))
    with pytest.raises(ValidationError, match="Nur Arbeitsgruppen"):
        services.group_member_add(actor=staff, session=talk, registration=second)


def test_proposal_without_groups_or_people_gives_a_clear_message(staff, make_event):
    event = make_event()
    with pytest.raises(ValidationError, match="noch keine Arbeitsgruppen"):
        services.groups_propose(actor=staff, event=event)
    _groups(staff, event, 1)
    with pytest.raises(ValidationError, match="keine bestätigten Anmeldungen"):
        services.groups_propose(actor=staff, event=event)


def test_staff_pages_add_sessions_propose_and_assign_by_code(client, staff, make_event):
    event = make_event(capacity=40)
    people = _people(event, ["sme", "startup"])
    client.force_login(staff)
    start = timezone.localtime(event.starts_at + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M")
    end = timezone.localtime(event.starts_at + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("events:staff_sessions", args=[event.pk]), {
        "session-kind": "working_group", "session-title": "AG Handwerk", "session-starts_at": start,
        "session-ends_at": end, "session-room": "Raum 3"})
    assert response.status_code == 302, response.context["form"].errors
    group = Session.objects.get(title="AG Handwerk")
    response = client.post(reverse("events:staff_groups_propose", args=[event.pk]), follow=True)
    assert "2 Personen auf 1 Arbeitsgruppen verteilt." in response.content.decode()
    GroupMember.objects.all().delete()
    response = client.post(reverse("events:staff_member_add", args=[group.pk]),
                           {"member-code": people[0].code.lower()}, follow=True)
    assert "ist in der Arbeitsgruppe „AG Handwerk“" in response.content.decode()
    member = GroupMember.objects.get()
    client.post(reverse("events:staff_member_remove", args=[member.pk]))
    assert not GroupMember.objects.exists()
    response = client.post(reverse("events:staff_sessions", args=[event.pk]), {
        "session-kind": "talk", "session-title": "Verkehrt", "session-starts_at": end, "session-ends_at": start})
    assert response.status_code == 200 and "Das Ende muss nach dem Beginn liegen." in response.content.decode()
