""""You should meet": the engine's suggestions among the event's participants only, with
reasons in the reader's language, without the people one said "no thanks" to."""

import pytest
from django.urls import reverse
from factories import make_need, make_offer, make_organisation, make_user

from matchwerk.events import services as event_services
from matchwerk.meetings import services
from matchwerk.meetings.suggestions import you_should_meet

pytestmark = pytest.mark.django_db


@pytest.fixture
def tourism(event, brokerage):
    def person(name, organisation_name, kind, need, offer, register=True):
        user = make_user(full_name=name)
        organisation = make_organisation(owner=user, kind=kind, name=organisation_name)
        make_need(organisation, title=need[0], description=need[1])
        make_offer(organisation, title=offer[0], description=offer[1])
        return event_services.registration_create(actor=user, event=event, organisation=organisation) \
            if register else organisation

    sme = person("Rita Rad", "Radreisen Elbland", "sme",
                 ("Online-Buchung für Radtouren", "Wir suchen ein Buchungssystem für unsere Radtouren."),
                 ("Geführte Radtouren im Elbtal", "Touren für Gruppen."))
    startup = person("Bodo Buch", "Buchbar Digital", "startup",
                     ("Pilotkunden im Tourismus", "Anbieter von Touren für einen Piloten."),
                     ("Online-Buchungssysteme für Touristik", "Online-Buchung, Kalender und Bezahlung für Touren."))
    away = person("Otto Ort", "Buchungsprofis GmbH", "startup", ("Pilotkunden", "Touranbieter gesucht."),
                  ("Online-Buchung für Radtouren", "Buchungssystem für Radtouren und Touristik."), register=False)
    return sme, startup, away


def test_only_participants_are_suggested_with_reasons(tourism):
    sme, startup, away = tourism
    found = you_should_meet(registration=sme)
    assert [item.registration for item in found] == [startup]  # the non-participant never appears
    assert any("Buchung" in line for line in found[0].reason_lines)
    services.person_hide(actor=sme.user, registration=sme, hidden=startup)
    assert you_should_meet(registration=sme) == []


def test_the_people_page_shows_the_list(client, tourism):
    sme, startup, _away = tourism
    client.force_login(sme.user)
    page = client.get(reverse("meetings:people", args=[sme.event_id])).content.decode()
    assert "Sie sollten sich treffen" in page and "Bodo Buch" in page
