"""Access-control matrix for every profile view: anonymous, another participant, a member,
and the network's staff, on a listed and on a hidden organisation."""

import pytest
from django.urls import reverse
from factories import make_organisation, make_user

from matchwerk.profiles.models import Organisation, Person

STAFF = ["coordinator", "team", "admin"]
ACTORS = ["anonymous", "outsider", "member", "other_coordinator", *STAFF]


def _url(name: str, cast: dict, which: str) -> str:
    organisation = cast[which]
    args = [organisation.pk]
    if name.startswith("person_") and name != "person_add":
        args.append(organisation.people.get().pk)
    elif name in ("need_edit", "need_delete"):
        args.append(cast["need" if which == "listed" else "hidden_need"].pk)
    elif name in ("offer_edit", "offer_delete"):
        args.append(cast["offer" if which == "listed" else "hidden_offer"].pk)
    return reverse(f"profiles:{name}", args=args)


# Views that change an organisation or show its people (personal data).
PROTECTED_VIEWS = ["organisation_edit", "organisation_delete", "people", "person_add", "person_edit",
                   "person_remove", "need_create", "need_edit", "need_delete", "offer_create", "offer_edit",
                   "offer_delete"]


def _login(client, cast, actor):
    if actor != "anonymous":
        client.force_login(cast[actor])


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("name", PROTECTED_VIEWS)
def test_protected_profile_view_get_access(client, cast, name, actor):
    _login(client, cast, actor)
    for which in ("listed", "hidden"):
        response = client.get(_url(name, cast, which))
        if actor == "anonymous":
            assert response.status_code == 302 and response.url.startswith(reverse("accounts:login")), which
        elif actor in ("outsider", "other_coordinator"):
            assert response.status_code == (403 if which == "listed" else 404), which
        elif actor == "team":  # the matching team reads the people of its programmes' regions, changes nothing
            assert response.status_code == (200 if name == "people" else 403), which
        else:
            assert response.status_code == 200, which


@pytest.mark.parametrize("actor", ["anonymous", "outsider", "other_coordinator"])
@pytest.mark.parametrize("name", PROTECTED_VIEWS)
def test_protected_profile_view_post_denied_changes_nothing(client, cast, name, actor):
    _login(client, cast, actor)
    data = {"name": "Übernommen", "title": "Übernommen", "kind": "sme", "region": cast["listed"].region_id,
            "email": "x@example.org"}
    for which in ("listed", "hidden"):
        response = client.post(_url(name, cast, which), data)
        expected = 302 if actor == "anonymous" else (403 if which == "listed" else 404)
        assert response.status_code == expected, which
    assert Organisation.objects.filter(pk__in=[cast["listed"].pk, cast["hidden"].pk]).count() == 2
    assert not Organisation.objects.filter(name="Übernommen").exists()
    assert Person.objects.filter(organisation=cast["listed"]).count() == 1
    assert cast["listed"].needs.count() == 1 and cast["listed"].offers.count() == 1
    assert cast["hidden"].needs.count() == 1 and cast["hidden"].offers.count() == 1


@pytest.mark.parametrize("actor, listed_status, hidden_status", [
    ("anonymous", 200, 404), ("outsider", 200, 404), ("other_coordinator", 200, 404), ("member", 200, 200),
    ("coordinator", 200, 200), ("team", 200, 200), ("admin", 200, 200),
])
def test_organisation_detail_access(client, cast, actor, listed_status, hidden_status):
    _login(client, cast, actor)
    assert client.get(_url("organisation_detail", cast, "listed")).status_code == listed_status
    response = client.get(_url("organisation_detail", cast, "hidden"))
    assert response.status_code == hidden_status
    if hidden_status == 404:
        assert "Geheimer Bedarf" not in response.content.decode()


def test_organisation_detail_unknown_pk_is_404(client, db):
    assert client.get(reverse("profiles:organisation_detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("actor, sees_people", [
    ("anonymous", False), ("outsider", False), ("other_coordinator", False), ("member", True),
    ("coordinator", True), ("team", True), ("admin", True),
])
def test_organisation_detail_shows_people_only_to_members_and_staff(client, cast, actor, sees_people):
    _login(client, cast, actor)
    body = client.get(_url("organisation_detail", cast, "listed")).content.decode()
    assert ("Mia Mitglied" in body) is sees_people
    assert (cast["member"].email in body) is sees_people


def test_organisation_create_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("profiles:organisation_create"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_organisation_create_unconfirmed_email_is_forbidden(client, db):
    client.force_login(make_user(confirmed=False))
    response = client.get(reverse("profiles:organisation_create"))
    assert response.status_code == 403 and "E-Mail-Adresse" in response.content.decode()
    response = client.post(reverse("profiles:organisation_create"), {"name": "X", "kind": "sme"})
    assert response.status_code == 403 and not Organisation.objects.exists()


def test_person_of_another_organisation_is_404_under_own_organisation(client, cast):
    other = make_organisation(owner=make_user(), name="Fremd AG")
    client.force_login(cast["member"])
    url = reverse("profiles:person_edit", args=[cast["listed"].pk, other.people.get().pk])
    assert client.get(url).status_code == 404
    url = reverse("profiles:need_delete", args=[cast["listed"].pk, cast["hidden_need"].pk])
    assert client.post(url).status_code == 404
    assert cast["hidden"].needs.count() == 1


def test_person_without_edit_right_cannot_edit(client, cast):
    colleague = make_user()
    Person.objects.create(organisation=cast["listed"], user=colleague, name="Kollegin", can_edit=False)
    client.force_login(colleague)
    assert client.get(_url("organisation_edit", cast, "listed")).status_code == 403
    assert client.get(_url("people", cast, "listed")).status_code == 403
    assert client.get(_url("organisation_edit", cast, "hidden")).status_code == 404


def test_member_without_edit_right_sees_own_hidden_organisation(client, db):
    from factories import make_organisation, make_user

    from matchwerk.profiles.models import Person

    member = make_user()
    organisation = make_organisation(listed=False)
    Person.objects.create(organisation=organisation, user=member, name="Mitglied", can_edit=False)
    client.force_login(member)
    assert client.get(f"/organisationen/{organisation.pk}/").status_code == 200
    assert client.get(f"/organisationen/{organisation.pk}/bearbeiten/").status_code in (403, 404)
