"""Registrations in the GDPR export and after an erasure."""

import json

from django.urls import reverse
from factories import make_user

from matchwerk.accounts import services as account_services
from matchwerk.events import selectors, services
from matchwerk.events.enums import RegistrationStatus
from matchwerk.events.models import Registration


def test_export_lists_own_registrations_and_walk_ins_with_own_address(client, staff, participant, make_event):
    event = make_event(title="Stammtisch Mobilität")
    question = services.question_add(actor=staff, event=event, label="Essenswünsche", kind="text")
    services.registration_create(actor=participant, event=event, answers={str(question.pk): "vegan"})
    other = make_event(title="Maker Fair")
    Registration.objects.create(event=other, name="Paula", email=participant.email.upper(), walk_in=True)
    services.registration_create(actor=make_user(), event=event)
    client.force_login(participant)
    data = json.loads(client.get(reverse("accounts:export")).content)
    assert sorted(row["event"] for row in data["events"]) == ["Maker Fair", "Stammtisch Mobilität"]
    mine = next(row for row in data["events"] if row["event"] == "Stammtisch Mobilität")
    assert mine["answers"] == {"Essenswünsche": "vegan"} and mine["status"] == "confirmed"


def test_erasure_keeps_anonymous_rows_for_the_counts(participant, make_event):
    event = make_event()
    registration = services.registration_create(actor=participant, event=event)
    email = participant.email
    account_services.user_erase(user=participant)
    registration.refresh_from_db()
    assert registration.user_id is None and registration.name == "(gelöscht)"
    assert email not in registration.email and registration.answers == {}
    assert registration.status == RegistrationStatus.CONFIRMED
    assert selectors.checkin_counts(event=event)["registered"] == 1
