"""Registration: seats, waiting list moving up, invitations, cancellation deadline,
walk-ins, extra questions, organisations."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from factories import make_organisation, make_user

from matchwerk.events import services
from matchwerk.events.enums import EventAccess, QuestionKind, RegistrationStatus
from matchwerk.events.models import Registration


def _ics(message) -> icalendar.Calendar:
    attachments = [a for a in message.attachments if a[0].endswith(".ics")]
    assert len(attachments) == 1, message.attachments
    filename, content, mimetype = attachments[0]
    assert mimetype.startswith("text/calendar")
    return icalendar.Calendar.from_ical(content)


def test_register_confirms_and_mails_the_calendar_entry(participant, make_event, committed):
    event = make_event(title="Smart City Stammtisch")
    with committed():
        registration = services.registration_create(actor=participant, event=event)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.email == participant.email and registration.name == participant.get_full_name()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [participant.email]
    assert "Anmeldung bestätigt: Smart City Stammtisch" == message.subject
    assert registration.code in message.body
    entry = _ics(message).walk("VEVENT")[0]
    assert str(entry["UID"]) == f"{event.uid}@matchwerk"
    assert str(entry["SUMMARY"]) == "Smart City Stammtisch"


def test_registering_twice_is_impossible(participant, make_event):
    event = make_event()
    services.registration_create(actor=participant, event=event)
    with pytest.raises(ValidationError, match="bereits angemeldet"):
        services.registration_create(actor=participant, event=event)
    assert Registration.objects.count() == 1


def test_full_event_puts_people_on_the_waiting_list_which_moves_up_on_cancellation(make_event, committed):
    event = make_event(capacity=2)
    people = [make_user(full_name=f"Person {i}") for i in range(4)]
    with committed():
        registrations = [services.registration_create(actor=person, event=event) for person in people]
    assert [r.status for r in registrations] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert "Warteliste" in mail.outbox[2].subject and not mail.outbox[2].attachments
    mail.outbox.clear()

    with committed():
        services.registration_cancel(actor=people[0], registration=registrations[0])
    statuses = dict(Registration.objects.values_list("user_id", "status"))
    assert statuses == {people[0].pk: "cancelled", people[1].pk: "confirmed", people[2].pk: "confirmed",
                        people[3].pk: "waitlisted"}
    assert [m.to for m in mail.outbox] == [[people[2].email]]  # the first in line, and only she
    assert "Ein Platz ist frei geworden" in mail.outbox[0].subject
    _ics(mail.outbox[0])


def test_more_seats_move_the_waiting_list_up(staff, make_event):
    event = make_event(capacity=1)
    first, second = make_user(), make_user()
    services.registration_create(actor=first, event=event)
    waiting = services.registration_create(actor=second, event=event)
    assert waiting.status == RegistrationStatus.WAITLISTED
    services.event_update(actor=staff, event=event, capacity=2)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_cancellation_deadline_binds_the_participant_but_not_staff(participant, staff, make_event):
    start = timezone.now() + timedelta(days=3)
    event = make_event(starts_at=start, ends_at=start + timedelta(hours=2),
                       cancellation_deadline=timezone.now() + timedelta(minutes=1))
    registration = services.registration_create(actor=participant, event=event)
    event.cancellation_deadline = timezone.now() - timedelta(minutes=1)
    event.save(update_fields=["cancellation_deadline"])
    with pytest.raises(ValidationError, match="Frist für die Abmeldung ist abgelaufen"):
        services.registration_cancel(actor=participant, registration=registration)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    services.registration_cancel(actor=staff, registration=registration)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_nobody_cancels_someone_elses_registration(participant, make_event):
    registration = services.registration_create(actor=participant, event=make_event())
    with pytest.raises(PermissionDenied):
        services.registration_cancel(actor=make_user(), registration=registration)


def test_cancelled_person_may_register_again(participant, make_event):
    event = make_event()
    registration = services.registration_create(actor=participant, event=event)
    services.registration_cancel(actor=participant, registration=registration)
    again = services.registration_create(actor=participant, event=event)
    assert again.pk == registration.pk and again.status == RegistrationStatus.CONFIRMED


def test_drafts_closed_and_past_deadline_events_refuse_registration(participant, staff, make_event):
    with pytest.raises(PermissionDenied):  # a draft is invisible to participants
        services.registration_create(actor=participant, event=make_event(publish=False))
    closed = services.event_close(actor=staff, event=make_event())
    with pytest.raises(ValidationError, match="keine Anmeldung möglich"):
        services.registration_create(actor=participant, event=closed)
    late = make_event(registration_deadline=timezone.now() + timedelta(seconds=1))
    late.registration_deadline = timezone.now() - timedelta(seconds=1)
    late.save(update_fields=["registration_deadline"])
    with pytest.raises(ValidationError, match="Anmeldeschluss"):
        services.registration_create(actor=participant, event=late)
    assert not Registration.objects.exists()


def test_unconfirmed_email_cannot_register(make_event):
    with pytest.raises(ValidationError, match="E-Mail-Adresse"):
        services.registration_create(actor=make_user(confirmed=False), event=make_event())


def test_invitation_only_event(participant, staff, make_event, committed):
    event = make_event(access=EventAccess.INVITATION)
    with pytest.raises(ValidationError, match="nur auf Einladung"):
        services.registration_create(actor=participant, event=event)
    with committed():
        invitation = services.registration_invite(actor=staff, event=event, user=participant)
    assert invitation.status == RegistrationStatus.INVITED
    assert "Einladung" in mail.outbox[-1].subject
    with pytest.raises(ValidationError, match="bereits eingeladen"):
        services.registration_invite(actor=staff, event=event, user=participant)
    accepted = services.registration_respond(actor=participant, registration=invitation, accept=True)
    assert accepted.status == RegistrationStatus.CONFIRMED
    with pytest.raises(ValidationError, match="bereits beantwortet"):
        services.registration_respond(actor=participant, registration=accepted, accept=False)

    other = make_user()
    declined = services.registration_respond(
        actor=other, registration=services.registration_invite(actor=staff, event=event, user=other), accept=False)
    assert declined.status == RegistrationStatus.DECLINED
    with pytest.raises(PermissionDenied):
        services.registration_invite(actor=participant, event=event, user=make_user())


def test_registering_for_an_organisation_needs_membership(participant, make_event):
    own = make_organisation(owner=participant, name="Radreisen Elbland")
    foreign = make_organisation(name="Fremde GmbH")
    event = make_event()
    with pytest.raises(ValidationError, match="zu der Sie gehören"):
        services.registration_create(actor=participant, event=event, organisation=foreign)
    registration = services.registration_create(actor=participant, event=event, organisation=own)
    assert registration.organisation == own and registration.organisation_label == "Radreisen Elbland"


def test_extra_questions_are_checked(participant, staff, make_event):
    event = make_event()
    diet = services.question_add(actor=staff, event=event, label="Essenswünsche", kind=QuestionKind.TEXT)
    workshop = services.question_add(actor=staff, event=event, label="Welcher Workshop?", kind=QuestionKind.CHOICE,
                                     choices="KI im Handwerk\nRobotik", required=True)
    with pytest.raises(ValidationError, match="Pflichtfrage"):
        services.registration_create(actor=participant, event=event, answers={str(diet.pk): "vegan"})
    with pytest.raises(ValidationError, match="angebotenen Möglichkeiten"):
        services.registration_create(actor=participant, event=event, answers={str(workshop.pk): "Tanzen"})
    registration = services.registration_create(
        actor=participant, event=event, answers={str(diet.pk): " vegan ", str(workshop.pk): "Robotik"})
    assert registration.answers == {str(diet.pk): "vegan", str(workshop.pk): "Robotik"}


def test_walk_in_links_an_existing_account_and_respects_capacity(staff, participant, make_event):
    event = make_event(capacity=1)
    services.registration_create(actor=make_user(), event=event)
    with pytest.raises(ValidationError, match="ausgebucht"):
        services.registration_walk_in(actor=staff, event=event, name="Paula", email=participant.email.upper())
    walk_in = services.registration_walk_in(actor=staff, event=event, name="Paula", email=participant.email.upper(),
                                            organisation_name="Atelier Lausitz", allow_overbooking=True)
    assert walk_in.walk_in and walk_in.user == participant and walk_in.status == RegistrationStatus.CONFIRMED
    assert walk_in.registered_by == staff
    with pytest.raises(ValidationError, match="bereits angemeldet"):
        services.registration_walk_in(actor=staff, event=event, name="Paula", email=participant.email,
                                      allow_overbooking=True)
    with pytest.raises(PermissionDenied):
        services.registration_walk_in(actor=participant, event=event, name="X", email="x@example.org")


def test_cancelled_event_mails_everyone_a_cancelled_calendar_entry(staff, make_event, committed):
    event = make_event(capacity=1)
    confirmed, waiting = make_user(), make_user()
    services.registration_create(actor=confirmed, event=event)
    services.registration_create(actor=waiting, event=event)
    mail.outbox.clear()
    with committed():
        services.event_cancel(actor=staff, event=event, reason="Sturmwarnung")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([confirmed.email, waiting.email])
    for message in mail.outbox:
        assert "Sturmwarnung" in message.body
        entry = _ics(message).walk("VEVENT")[0]
        assert str(entry["STATUS"]) == "CANCELLED" and int(entry["SEQUENCE"]) == 1


def test_staff_move_a_person_to_another_event(staff, make_event, committed):
    source, target = make_event(title="Workshop Dezember", capacity=1), make_event(title="Workshop Januar", capacity=1)
    first, waiting = make_user(), make_user()
    moving = services.registration_create(actor=first, event=source)
    services.registration_create(actor=waiting, event=source)
    with committed():
        moved = services.registration_move(actor=staff, registration=moving, to_event=target)
    assert moved.event == target and moved.status == RegistrationStatus.CONFIRMED and moved.user == first
    assert Registration.objects.get(pk=moving.pk).status == RegistrationStatus.CANCELLED
    assert Registration.objects.get(event=source, user=waiting).status == RegistrationStatus.CONFIRMED
    assert {m.to[0] for m in mail.outbox} == {first.email, waiting.email}
    # The target is now full: the next one moved there waits, unless staff overbook.
    other = services.registration_create(actor=make_user(), event=make_event(title="Dritter"))
    assert services.registration_move(actor=staff, registration=other, to_event=target).status == "waitlisted"
    again = services.registration_create(actor=first, event=source)  # back at the source, on its waiting list
    with pytest.raises(ValidationError, match="dort bereits angemeldet"):
        services.registration_move(actor=staff, registration=again, to_event=target)
    with pytest.raises(PermissionDenied):
        services.registration_move(actor=first, registration=moved, to_event=source)
