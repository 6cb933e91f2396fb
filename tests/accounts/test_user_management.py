"""Administrators manage roles and coordinators' regions; everyone else is refused."""

import pytest
from django.urls import reverse

from factories import make_region, make_user
from matchwerk.core.models import AccessLog

pytestmark = pytest.mark.django_db


def test_user_list_shows_users_roles_and_regions(client):
    admin = make_user(role="admin")
    coordinator = make_user(role="coordinator", full_name="Cora Koordinatorin")
    region = make_region(name="Landkreis Görlitz")
    region.coordinators.add(coordinator)
    client.force_login(admin)
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Cora Koordinatorin" in page and "Landkreis Görlitz" in page and "Netzwerkkoordination" in page
    assert AccessLog.objects.filter(action="matchwerk.accounts.users.listed", actor=admin).exists()


def test_user_list_filters(client):
    client.force_login(make_user(role="admin"))
    make_user(email="finde-mich@example.org", role="matching_team")
    response = client.get(reverse("accounts:user_list"), {"q": "finde", "rolle": "matching_team"})
    assert [u.email for u in response.context["page"]] == ["finde-mich@example.org"]


def test_user_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    client.force_login(make_user(role="admin"))
    for _ in range(15):
        make_region().coordinators.add(make_user(role="coordinator"))
    with django_assert_max_num_queries(8):
        assert client.get(reverse("accounts:user_list")).status_code == 200


def test_user_edit_sets_role_and_regions(client):
    admin = make_user(role="admin")
    target = make_user()
    zwickau, bautzen = make_region(name="Landkreis Zwickau"), make_region(name="Landkreis Bautzen")
    client.force_login(admin)
    url = reverse("accounts:user_edit", args=[target.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"role": "coordinator", "regions": [zwickau.pk, bautzen.pk]})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.role == "coordinator"
    assert set(target.coordinated_regions.all()) == {zwickau, bautzen}
    assert AccessLog.objects.filter(action="matchwerk.accounts.user.role_changed", object_id=str(target.pk)).exists()
    page = client.get(url).content.decode()
    assert f'value="{zwickau.pk}" id="id_regions_' in page and page.count("checked") == 2
    # Leaving the coordinator role clears the regions.
    client.post(url, {"role": "matching_team", "regions": [zwickau.pk]})
    target.refresh_from_db()
    assert target.role == "matching_team" and not target.coordinated_regions.exists()


def test_user_edit_last_admin_keeps_role(client):
    admin = make_user(role="admin")
    client.force_login(admin)
    response = client.post(reverse("accounts:user_edit", args=[admin.pk]), {"role": "participant"})
    assert response.status_code == 400
    admin.refresh_from_db()
    assert admin.role == "admin"


@pytest.mark.parametrize("role", ["participant", "coordinator", "matching_team"])
def test_user_management_denied_for_non_admins(client, role):
    target = make_user()
    client.force_login(make_user(role=role))
    assert client.get(reverse("accounts:user_list")).status_code == 403
    assert client.get(reverse("accounts:user_edit", args=[target.pk])).status_code == 403
    assert client.post(reverse("accounts:user_edit", args=[target.pk]), {"role": "admin"}).status_code == 403
    target.refresh_from_db()
    assert target.role == "participant"


def test_user_management_redirects_anonymous_to_login(client):
    target = make_user()
    for url in (reverse("accounts:user_list"), reverse("accounts:user_edit", args=[target.pk])):
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_user_edit_unknown_user_404(client):
    client.force_login(make_user(role="admin"))
    assert client.get(reverse("accounts:user_edit", args=[999999])).status_code == 404
