"""Staff act on the events of their scope: coordinators their regions and programmes,
the matching team its programmes, administrators all, organisers their own events."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from factories import make_coordinator, make_programme, make_region, make_team_member, make_user

from matchwerk.accounts.enums import Role
from matchwerk.events import rules, selectors, services
from matchwerk.events.models import Event

from .conftest import event_fields


@pytest.fixture
def world(db):
    east, west = make_region(name="Ostsachsen"), make_region(name="Westsachsen")
    programme = make_programme(name="Digitale Orte", regions=[west])
    admin = make_user(role=Role.ADMIN)
    people = {
        "admin": admin, "east": make_coordinator(east), "west": make_coordinator(west),
        "team": make_team_member(programme=programme), "participant": make_user(),
    }
    events = {
        "east": services.event_create(actor=admin, **event_fields(title="Ost-Stammtisch", region=east)),
        "west": services.event_create(actor=admin, **event_fields(title="West-Workshop", region=west)),
        "programme": services.event_create(actor=admin, programme=programme,
                                           **event_fields(title="Programm-Kick-off", region=east)),
        "nowhere": services.event_create(actor=admin, **event_fields(title="Netzwerktag", region=None)),
    }
    return {"east": east, "west": west, "programme": programme, "people": people, "events": events}


EXPECTED = {  # who acts on which event
    "admin": {"east", "west", "programme", "nowhere"},
    "east": {"east", "programme"},   # her region; the programme event lies in her region too
    "west": {"west"},                # the programme covers her region, but she is not on its team
    "team": {"programme"},           # the matching team: its programmes' events only
    "participant": set(),
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_rules_and_staff_list_agree_on_the_scope(world, who):
    user = world["people"][who]
    allowed = {name for name, event in world["events"].items() if rules.can_edit_event(user, event)}
    assert allowed == EXPECTED[who]
    if who != "participant":
        listed = set(selectors.events_for_staff(user=user).values_list("title", flat=True))
        assert listed == {world["events"][name].title for name in EXPECTED[who]}


def test_a_coordinator_on_the_programme_team_acts_on_its_events_in_other_regions(world):
    west = world["people"]["west"]
    world["programme"].team.add(west)
    west = type(west).objects.get(pk=west.pk)  # a fresh object: the scope is read once per user object
    assert rules.can_edit_event(west, world["events"]["programme"])


def test_an_organiser_keeps_her_event_outside_her_scope(world):
    east, west_event = world["people"]["east"], world["events"]["west"]
    assert not rules.can_edit_event(east, west_event)
    west_event.organisers.add(east)
    assert rules.can_edit_event(east, Event.objects.get(pk=west_event.pk))


def test_other_regions_events_are_denied_in_the_back_office(client, world):
    client.force_login(world["people"]["east"])
    west = world["events"]["west"]
    for name in ("events:staff_detail", "events:staff_edit", "events:staff_checkin"):
        assert client.get(reverse(name, args=[west.pk])).status_code == 403, name
    response = client.post(reverse("events:staff_status", args=[west.pk]), {"action": "publish"})
    assert response.status_code == 403
    assert Event.objects.get(pk=west.pk).status == "draft"
    # a draft of another region is not even visible on the public page
    assert client.get(reverse("events:detail", args=[west.pk])).status_code == 404
    page = client.get(reverse("events:staff_list")).content.decode()
    assert "Ost-Stammtisch" in page and "West-Workshop" not in page


def test_services_refuse_out_of_scope_writes(world):
    east, west_event = world["people"]["east"], world["events"]["west"]
    with pytest.raises(PermissionDenied):
        services.event_update(actor=east, event=west_event, title="Übernommen")
    with pytest.raises(PermissionDenied):
        services.event_publish(actor=east, event=west_event)
    with pytest.raises(PermissionDenied):
        services.registration_check_in(actor=east, event=west_event, code="ABCDEFGH")
    assert Event.objects.get(pk=west_event.pk).title == "West-Workshop"


def test_creating_or_moving_an_event_out_of_scope_is_refused_with_a_message(world):
    east = world["people"]["east"]
    before = Event.objects.count()
    with pytest.raises(ValidationError) as error:
        services.event_create(actor=east, **event_fields(title="Fremd", region=world["west"]))
    assert "nur in Ihren Regionen" in str(error.value.message_dict["region"])
    with pytest.raises(ValidationError):
        services.event_create(actor=east, **event_fields(title="Ohne Region", region=None))
    assert Event.objects.count() == before
    own = services.event_create(actor=east, **event_fields(title="Eigen", region=world["east"]))
    with pytest.raises(ValidationError):
        services.event_update(actor=east, event=own, region=world["west"])
    assert Event.objects.get(pk=own.pk).region == world["east"]
    # the matching team places events in its programme
    team = world["people"]["team"]
    services.event_create(actor=team, programme=world["programme"], **event_fields(title="Team", region=None))


def test_the_form_offers_only_regions_and_programmes_in_scope(client, world):
    client.force_login(world["people"]["east"])
    page = client.get(reverse("events:staff_create")).content.decode()
    assert "Ostsachsen" in page and "Westsachsen" not in page and "Digitale Orte" not in page
