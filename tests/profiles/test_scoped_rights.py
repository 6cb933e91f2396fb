"""Staff act within their scope: coordinators their regions, the matching team its
programmes, administrators everything; only administrators assign coordinators."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from factories import (
    make_coordinator, make_organisation, make_programme, make_region, make_team_member, make_user,
)
from test_import_helpers import csv_bytes, org_row

from matchwerk.accounts.enums import Role
from matchwerk.matching.models import Suggestion
from matchwerk.matching import services as matching_services
from matchwerk.profiles.importing import organisations_import, plan_import
from matchwerk.profiles.enums import ImportStatus
from matchwerk.profiles.models import ImportJob, Organisation, Person, Region
from matchwerk.profiles.staff import services as staff_services
from matchwerk.programmes.models import Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_regions():
    east, west = make_region(name="Ostkreis"), make_region(name="Westkreis")
    ost = make_organisation(name="Ost GmbH", region=east, listed=False, kind="sme")
    ost2 = make_organisation(name="Ost Startup", region=east, listed=False, kind="startup")
    west_org = make_organisation(name="West AG", region=west, listed=False, kind="startup")
    Person.objects.create(organisation=ost, name="Olga Ost", email="olga@example.org")
    Person.objects.create(organisation=west_org, name="Willi West", email="willi@example.org")
    return {"east": east, "west": west, "ost": ost, "ost2": ost2, "west_org": west_org,
            "coordinator": make_coordinator(east)}


# --- #8: only administrators assign coordinators to regions ---------------------------------

def test_coordinator_cannot_reassign_another_regions_coordinator_to_herself(client, two_regions):
    west = two_regions["west"]
    west_coordinator = make_coordinator(west)
    coordinator = two_regions["coordinator"]
    client.force_login(coordinator)
    data = {"name": west.name, "slug": west.slug, "kind": west.kind, "state": west.state,
            "latitude": west.latitude, "longitude": west.longitude, "coordinators": [coordinator.pk]}
    assert client.get(reverse("backoffice:region_edit", args=[west.pk])).status_code == 403
    assert client.post(reverse("backoffice:region_edit", args=[west.pk]), data).status_code == 403
    assert client.post(reverse("backoffice:region_create"), {**data, "name": "Neu", "slug": "neu"}).status_code == 403
    assert list(west.coordinators.all()) == [west_coordinator]
    assert not Region.objects.filter(slug="neu").exists()
    with pytest.raises(PermissionDenied):
        staff_services.region_save(actor=coordinator, region=west, coordinators=[coordinator])
    assert list(west.coordinators.all()) == [west_coordinator]
    # nor through the account pages
    response = client.post(reverse("accounts:user_edit", args=[coordinator.pk]),
                           {"role": Role.COORDINATOR, "regions": [west.pk]})
    assert response.status_code == 403 and list(coordinator.coordinated_regions.all()) == [two_regions["east"]]


def test_administrator_assigns_coordinators(client, two_regions):
    west, coordinator = two_regions["west"], two_regions["coordinator"]
    client.force_login(make_user(role=Role.ADMIN))
    data = {"name": west.name, "slug": west.slug, "kind": west.kind, "state": west.state,
            "latitude": west.latitude, "longitude": west.longitude, "coordinators": [coordinator.pk]}
    assert client.post(reverse("backoffice:region_edit", args=[west.pk]), data).status_code == 302
    assert list(west.coordinators.all()) == [coordinator]


# --- coordinators: their regions -------------------------------------------------------------

def test_coordinator_lists_only_her_regions(client, two_regions):
    client.force_login(two_regions["coordinator"])
    organisations = client.get(reverse("backoffice:organisation_list")).context["page"]
    assert {o.name for o in organisations} == {"Ost GmbH", "Ost Startup"}
    body = client.get(reverse("backoffice:person_list")).content.decode()
    assert "Olga Ost" in body and "Willi West" not in body
    counts = client.get(reverse("backoffice:index")).context["counts"]
    assert counts["total"] == 2 and counts["people"] == 1
    # the region filter offers only her regions; another region's id is not a valid choice
    form = client.get(reverse("backoffice:organisation_list"), {"region": two_regions["west"].pk}).context["form"]
    assert list(form.fields["region"].queryset) == [two_regions["east"]] and "region" in form.errors


def test_coordinator_edits_her_regions_only(client, two_regions):
    client.force_login(two_regions["coordinator"])
    assert client.get(reverse("profiles:organisation_edit", args=[two_regions["ost"].pk])).status_code == 200
    assert client.get(reverse("profiles:people", args=[two_regions["ost"].pk])).status_code == 200
    # another region's hidden organisation does not exist for her; a listed one is read-only
    assert client.get(reverse("profiles:organisation_edit", args=[two_regions["west_org"].pk])).status_code == 404
    two_regions["west_org"].listed_in_directory = True
    two_regions["west_org"].save()
    assert client.get(reverse("profiles:organisation_edit", args=[two_regions["west_org"].pk])).status_code == 403
    assert client.post(reverse("profiles:organisation_delete", args=[two_regions["west_org"].pk])).status_code == 403
    assert Organisation.objects.filter(pk=two_regions["west_org"].pk).exists()


def test_coordinator_export_of_all_organisations_has_her_regions_only(client, two_regions):
    client.force_login(two_regions["coordinator"])
    response = client.get(reverse("backoffice:export"), {"format": "csv", "umfang": "alle"})
    text = response.content.decode("utf-8-sig")
    assert "Ost GmbH" in text and "West AG" not in text


def test_coordinator_import_outside_her_regions_imports_nothing(client, two_regions):
    coordinator = two_regions["coordinator"]
    client.force_login(coordinator)
    content = csv_bytes([org_row(1, Schlüssel="neu-ost", Region="Ostkreis"),
                         org_row(2, Schlüssel="neu-west", Region="Westkreis")])
    response = client.post(reverse("backoffice:import"), {"file": _upload(content)})
    job = ImportJob.objects.get(pk=response.url.rstrip("/").split("/")[-1])  # checked by the task already
    assert job.status == ImportStatus.INVALID
    assert [(p["row"], p["column"]) for p in job.outcome["problems"]] == [(3, "Region")]
    assert "außerhalb Ihrer Regionen" in client.get(response.url).content.decode()
    with pytest.raises(PermissionDenied):
        organisations_import(actor=coordinator, plan=plan_import(content, "liste.csv"))
    assert Organisation.objects.count() == 3
    ok = csv_bytes([org_row(1, Schlüssel="neu-ost", Region="Ostkreis")])
    response = client.post(reverse("backoffice:import"), {"file": _upload(ok)})
    job = ImportJob.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert job.status == ImportStatus.READY
    client.post(reverse("backoffice:import_job_decide", args=[job.pk]), {"confirm": "1"})
    assert Organisation.objects.count() == 4 and Organisation.objects.filter(key="neu-ost").exists()


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("liste.csv", content)


# --- the review queue: teams and regions -------------------------------------------------

@pytest.fixture
def queue(two_regions):
    programme = make_programme(name="Ost-West", slug="ost-west")
    east_pair = Suggestion.objects.create(programme=programme, organisation=two_regions["ost"],
                                          partner=two_regions["ost2"], score=0.9, rank=1)
    west_pair = Suggestion.objects.create(programme=programme, organisation=two_regions["west_org"],
                                          partner=make_organisation(region=two_regions["west"], kind="sme"),
                                          score=0.8, rank=1)
    return {**two_regions, "programme": programme, "east_pair": east_pair, "west_pair": west_pair}


def test_queue_shows_a_coordinator_the_pairs_of_her_regions(client, queue):
    client.force_login(queue["coordinator"])
    response = client.get(reverse("matching:queue"), {"programm": "ost-west"})
    assert [s.pk for s in response.context["queue"]] == [queue["east_pair"].pk]
    assert client.post(reverse("matching:decide", args=[queue["west_pair"].pk]),
                       {"action": "snooze", "days": "7"}).status_code == 403
    with pytest.raises(PermissionDenied):
        matching_services.suggestion_accept(user=queue["coordinator"], suggestion=queue["west_pair"])
    queue["west_pair"].refresh_from_db()
    assert queue["west_pair"].status == "open"


def test_queue_of_the_team_shows_its_programme_only(client, queue):
    member = make_team_member(programme=queue["programme"])
    other_programme = make_programme(name="Anderes", slug="anderes")
    client.force_login(member)
    response = client.get(reverse("matching:queue"))
    assert response.context["programme"] == queue["programme"]
    assert {s.pk for s in response.context["queue"]} == {queue["east_pair"].pk, queue["west_pair"].pk}
    assert client.get(reverse("matching:queue"), {"programm": other_programme.slug}).status_code == 404
    outsider = make_user(role=Role.MATCHING_TEAM)  # on no programme's team
    client.force_login(outsider)
    response = client.get(reverse("matching:queue"))
    assert response.context["programme"] is None
    assert client.post(reverse("matching:decide", args=[queue["east_pair"].pk]),
                       {"action": "snooze", "days": "7"}).status_code == 403


def test_reading_the_queue_never_creates_a_programme(client, db):
    client.force_login(make_user(role=Role.ADMIN))
    response = client.get(reverse("matching:queue"))
    assert response.status_code == 200 and response.context["programme"] is None
    assert not Programme.objects.exists()


# --- services check as the views do ------------------------------------------------------------

def test_profile_services_refuse_staff_outside_their_regions(two_regions):
    from matchwerk.profiles import services

    west_org, outsider = two_regions["west_org"], make_coordinator(make_region())
    team = make_team_member(two_regions["west"])  # reads the region, changes nothing
    for actor in (outsider, team, make_user()):
        with pytest.raises(PermissionDenied):
            services.organisation_update(actor=actor, organisation=west_org, name="Übernommen")
        with pytest.raises(PermissionDenied):
            services.need_create(actor=actor, organisation=west_org, title="Eingeschmuggelt")
        with pytest.raises(PermissionDenied):
            services.person_add(actor=actor, organisation=west_org, name="Eingeschmuggelt")
        with pytest.raises(PermissionDenied):
            services.organisation_delete(actor=actor, organisation=west_org)
    west_org.refresh_from_db()
    assert west_org.name == "West AG" and not west_org.needs.exists() and west_org.people.count() == 1
    coordinator = make_coordinator(two_regions["west"])
    services.need_create(actor=coordinator, organisation=west_org, title="Von der Koordination")
    assert west_org.needs.count() == 1
