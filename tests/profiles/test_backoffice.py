"""Back office pages: who may enter, lists (with query counts), people access log, topics, regions."""

import pytest
from django.urls import reverse
from factories import make_need, make_offer, make_organisation, make_region, make_topic, make_user

from matchwerk.accounts.enums import Role
from matchwerk.core.models import AccessLog
from matchwerk.profiles.models import Person, Region, Topic

pytestmark = pytest.mark.django_db

PAGES = [("backoffice:index", []), ("backoffice:organisation_list", []), ("backoffice:person_list", []),
         ("backoffice:topic_list", []), ("backoffice:topic_create", []), ("backoffice:region_list", []),
         ("backoffice:region_create", []), ("backoffice:import", []), ("backoffice:export", [])]


@pytest.fixture
def staff(client):
    """An administrator: sees every region (scoping is tested in test_scoped_rights.py)."""
    user = make_user(role=Role.ADMIN)
    client.force_login(user)
    return user


# Regions and their coordinators are the administrators'; the import is for coordinators
# and administrators; the rest is open to all network staff.
ONLY = {"backoffice:region_create": {Role.ADMIN}, "backoffice:import": {Role.ADMIN, Role.COORDINATOR}}


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.MATCHING_TEAM, Role.ADMIN])
@pytest.mark.parametrize("name, args", PAGES)
def test_backoffice_pages_open_for_network_staff(client, role, name, args):
    client.force_login(make_user(role=role))
    allowed = role in ONLY.get(name, {role})
    assert client.get(reverse(name, args=args)).status_code == (200 if allowed else 403)


@pytest.mark.parametrize("name, args", PAGES)
def test_backoffice_pages_forbidden_for_participants(client, name, args):
    client.force_login(make_user())
    assert client.get(reverse(name, args=args)).status_code == 403


@pytest.mark.parametrize("name, args", PAGES)
def test_backoffice_pages_send_anonymous_users_to_login(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_backoffice_forbidden_for_inactive_staff(client):
    user = make_user(role=Role.ADMIN)
    client.force_login(user)
    user.is_active = False
    user.save()
    assert client.get(reverse("backoffice:index")).status_code in (302, 403)


def test_backoffice_index_shows_counts(client, staff):
    make_organisation(listed=True)
    make_organisation(listed=False, matching=False)
    response = client.get(reverse("backoffice:index"))
    assert response.context["counts"]["total"] == 2 and response.context["counts"]["listed"] == 1
    assert "2 insgesamt, davon 1 im Verzeichnis" in response.content.decode()


def test_backoffice_organisation_list_includes_unlisted_and_filters(client, staff):
    region = make_region(name="Filterkreis")
    listed = make_organisation(name="Sichtbar AG", listed=True, region=region, kind="startup")
    hidden = make_organisation(name="Versteckt GmbH", listed=False, matching=False)
    url = reverse("backoffice:organisation_list")
    names = lambda response: [o.name for o in response.context["page"]]  # noqa: E731
    assert names(client.get(url)) == ["Sichtbar AG", "Versteckt GmbH"]
    assert names(client.get(url, {"verzeichnis": "nein"})) == [hidden.name]
    assert names(client.get(url, {"matching": "ja"})) == [listed.name]
    assert names(client.get(url, {"art": "startup"})) == [listed.name]
    assert names(client.get(url, {"region": region.pk})) == [listed.name]
    assert names(client.get(url, {"q": "verst"})) == [hidden.name]
    assert names(client.get(url, {"q": hidden.key})) == [hidden.name]
    page = client.get(url).content.decode()
    assert reverse("profiles:organisation_edit", args=[hidden.pk]) in page
    assert reverse("profiles:organisation_detail", args=[listed.pk]) in page


def test_backoffice_organisation_list_paginates(client, staff):
    region = make_region()
    for n in range(55):
        make_organisation(name=f"Org {n:02d}", region=region)
    response = client.get(reverse("backoffice:organisation_list"), {"seite": 2})
    assert len(response.context["page"]) == 5 and "Seite 2 von 2" in response.content.decode()


def _fill(count: int) -> None:
    topic = make_topic()
    for _ in range(count):
        organisation = make_organisation()
        organisation.topics.add(topic)
        make_need(organisation)
        make_offer(organisation)
        Person.objects.create(organisation=organisation, name="Kontakt", email="k@example.org")


@pytest.mark.parametrize("name", ["backoffice:organisation_list", "backoffice:person_list",
                                  "backoffice:topic_list", "backoffice:region_list", "backoffice:index"])
def test_backoffice_list_query_count_does_not_grow(client, staff, django_assert_num_queries, name):
    _fill(3)
    client.get(reverse(name))  # warm caches (content types, sessions)
    with django_assert_num_queries(QUERIES[name]):
        client.get(reverse(name))
    _fill(20)
    with django_assert_num_queries(QUERIES[name]):
        client.get(reverse(name))


QUERIES = {
    "backoffice:organisation_list": 5,   # session, user, count, page, regions for the filter
    "backoffice:person_list": 6,         # session, user, count, page, regions, access log insert
    "backoffice:topic_list": 3,          # session, user, topics with usage counts
    "backoffice:region_list": 4,         # session, user, regions with counts, coordinators
    "backoffice:index": 8,               # session, user, one aggregate and five counts
}


def test_backoffice_person_list_shows_contact_data_and_logs_access(client, staff):
    organisation = make_organisation(listed=False)
    Person.objects.create(organisation=organisation, name="Erika Muster", email="erika@example.org", phone="0351 1")
    response = client.get(reverse("backoffice:person_list"), {"q": "erika"})
    page = response.content.decode()
    assert "erika@example.org" in page and "0351 1" in page
    entry = AccessLog.objects.get(action="matchwerk.profiles.people.listed")
    assert entry.actor == staff and entry.data["q"] == "erika"


def test_backoffice_person_list_denied_read_is_not_logged(client):
    client.force_login(make_user())
    client.get(reverse("backoffice:person_list"))
    assert not AccessLog.objects.filter(action="matchwerk.profiles.people.listed").exists()


def test_backoffice_topic_create_edit_and_validation(client, staff):
    url = reverse("backoffice:topic_create")
    response = client.post(url, {"name_de": "Raumfahrt", "name_en": "Space", "slug": "raumfahrt"})
    assert response.status_code == 302
    topic = Topic.objects.get(slug="raumfahrt")
    response = client.post(reverse("backoffice:topic_edit", args=[topic.pk]),
                           {"name_de": "Raumfahrt & Satelliten", "name_en": "Space", "slug": "raumfahrt"})
    topic.refresh_from_db()
    assert topic.name_de == "Raumfahrt & Satelliten"
    response = client.post(url, {"name_de": "Digitalisierung", "name_en": "", "slug": "kein slug"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name_de", "slug"}
    assert AccessLog.objects.filter(action="matchwerk.profiles.topic.changed", actor=staff).exists()


def test_backoffice_topic_delete_in_use_asks_for_confirmation(client, staff):
    topic = make_topic(name="Genutzt")
    organisation = make_organisation()
    organisation.topics.add(topic)
    url = reverse("backoffice:topic_delete", args=[topic.pk])
    response = client.get(url)
    assert response.context["alert"] and "von 1 Organisation(en)" in response.content.decode()
    assert Topic.objects.filter(pk=topic.pk).exists()
    assert client.post(url).status_code == 302
    assert not Topic.objects.filter(pk=topic.pk).exists()
    assert organisation.__class__.objects.filter(pk=organisation.pk).exists()


def test_backoffice_region_create_with_coordinators_and_bad_coordinates(client, staff):
    coordinator = make_user(role=Role.COORDINATOR)
    data = {"name": "Neuland", "slug": "neuland", "kind": "district", "state": "Sachsen", "latitude": "51.1",
            "longitude": "13.2", "coordinators": [coordinator.pk]}
    assert client.post(reverse("backoffice:region_create"), data).status_code == 302
    region = Region.objects.get(slug="neuland")
    assert list(region.coordinators.all()) == [coordinator]
    response = client.post(reverse("backoffice:region_edit", args=[region.pk]), {**data, "latitude": "951"})
    assert response.status_code == 400 and "latitude" in response.context["form"].errors
    participant = make_user()
    response = client.post(reverse("backoffice:region_edit", args=[region.pk]), {**data, "coordinators": [participant.pk]})
    assert response.status_code == 400 and "coordinators" in response.context["form"].errors


def test_backoffice_region_in_use_cannot_be_deleted(client, staff):
    region = make_region(name="Belegt")
    make_organisation(region=region)
    client.post(reverse("backoffice:region_delete", args=[region.pk]))
    assert Region.objects.filter(pk=region.pk).exists()
    empty = make_region(name="Leer")
    assert client.post(reverse("backoffice:region_delete", args=[empty.pk])).status_code == 302
    assert not Region.objects.filter(pk=empty.pk).exists()


@pytest.mark.parametrize("name", ["backoffice:topic_edit", "backoffice:topic_delete"])
def test_backoffice_topic_writes_forbidden_for_participants(client, name):
    topic = make_topic(name="Fest")
    client.force_login(make_user())
    assert client.post(reverse(name, args=[topic.pk]), {"name_de": "X", "slug": "x"}).status_code == 403
    topic.refresh_from_db()
    assert topic.name_de == "Fest"


@pytest.mark.parametrize("name", ["backoffice:region_edit", "backoffice:region_delete"])
def test_backoffice_region_writes_forbidden_for_participants(client, name):
    region = make_region(name="Fester Kreis")
    client.force_login(make_user())
    assert client.post(reverse(name, args=[region.pk]), {"name": "X"}).status_code == 403
    assert Region.objects.filter(pk=region.pk, name="Fester Kreis").exists()


def test_backoffice_unknown_topic_is_404(client, staff):
    assert client.get(reverse("backoffice:topic_edit", args=[999999])).status_code == 404
