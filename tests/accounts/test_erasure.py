"""Self-service erasure: password confirmation, unlinking, consequences, logging."""

import json

import pytest
from django.urls import reverse

from factories import PASSWORD, make_organisation, make_user
from matchwerk.privacy.services import consent_record
from matchwerk.accounts.models import User
from matchwerk.core.models import AccessLog
from matchwerk.privacy.models import Consent
from matchwerk.profiles.models import Organisation, Person

pytestmark = pytest.mark.django_db


def _erase(client, password=PASSWORD, confirm=True):
    data = {"password": password}
    if confirm:
        data["confirm"] = "on"
    return client.post(reverse("accounts:erase"), data)


def test_erase_deletes_account_and_blanks_person(client):
    user = make_user(email="ana@example.org", full_name="Ana Beispiel")
    organisation = make_organisation(owner=user, name="Holzwerk Meißen")
    Person.objects.filter(user=user).update(phone="0351 123", position="Chefin")
    consent_record(user=user, purpose="newsletter", granted=True)
    client.force_login(user)
    assert client.get(reverse("accounts:erase")).status_code == 200
    response = _erase(client)
    assert response.status_code == 302 and response.url == reverse("core:home")
    assert not User.objects.filter(pk=user.pk).exists()
    assert "_auth_user_id" not in client.session
    person = Person.objects.get(organisation=organisation)
    assert person.user is None and person.email == "" and person.phone == "" and person.position == ""
    assert "Ana" not in person.name and not person.can_edit
    assert Organisation.objects.filter(pk=organisation.pk).exists()
    assert not Consent.objects.filter(purpose="newsletter").exists()
    entry = AccessLog.objects.get(action="matchwerk.accounts.account.erased")
    assert entry.object_id == str(user.pk) and entry.actor is None
    assert "ana@example.org" not in json.dumps(entry.data)


def test_erase_withdraws_organisation_consents_given_by_the_person(client):
    user = make_user()
    other_editor = make_user()
    organisation = make_organisation(owner=user, listed=False, matching=False)
    Person.objects.create(organisation=organisation, user=other_editor, name="Zweite", can_edit=True)
    consent_record(user=other_editor, purpose="matching", granted=True, organisation=organisation)
    consent_record(user=user, purpose="directory", granted=True, organisation=organisation)
    client.force_login(user)
    _erase(client)
    organisation.refresh_from_db()
    # The directory consent had no other record: off. Matching was granted by someone else: stays.
    assert organisation.listed_in_directory is False and organisation.open_for_matching is True


def test_erase_wrong_password_refused(client):
    user = make_user()
    client.force_login(user)
    response = _erase(client, password="falsch")
    assert response.status_code == 400 and "password" in response.context["form"].errors
    response = _erase(client, confirm=False)
    assert response.status_code == 400 and "confirm" in response.context["form"].errors
    assert User.objects.filter(pk=user.pk).exists()


def test_erase_last_admin_refused(client):
    admin = make_user(role="admin")
    client.force_login(admin)
    response = _erase(client)
    assert response.status_code == 400
    assert User.objects.filter(pk=admin.pk).exists()
    make_user(role="admin")
    assert _erase(client).status_code == 302
    assert not User.objects.filter(pk=admin.pk).exists()


def test_erase_denied_for_anonymous(client):
    response = _erase(client)
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def _entered_by_someone_else(email="ana@example.org"):
    """A colleague entered Ana (name, address, phone) on another organisation, without a link."""
    colleague = make_user(email="chef@example.org", full_name="Chef Kollege")
    other = make_organisation(owner=colleague, name="Fremdfirma Riesa")
    return Person.objects.create(organisation=other, name="Ana Beispiel", email=email.upper(),
                                 phone="0351 999", position="Beraterin", can_edit=False), colleague


def test_export_and_erasure_cover_person_entries_with_her_confirmed_address(client):
    from matchwerk.core.audit import log_event

    user = make_user(email="ana@example.org", full_name="Ana Beispiel")
    entry, colleague = _entered_by_someone_else()
    staff = make_user(role="coordinator")
    log_event("matchwerk.profiles.people.listed", None, {"q": "ana beispiel", "region": None, "page": 1},
              actor=staff)
    log_event("matchwerk.profiles.person.viewed", entry, actor=staff)
    log_event("matchwerk.profiles.people.listed", None, {"q": "Müller", "region": None, "page": 1}, actor=staff)
    client.force_login(user)
    export = client.get(reverse("accounts:export")).json()
    exported = [p for p in export["persons"] if p["organisation"]["name"] == "Fremdfirma Riesa"]
    assert exported and exported[0]["phone"] == "0351 999" and exported[0]["linked_to_account"] is False
    searches = [e["data"].get("q") for e in export["access_log_about_you"]]
    assert "ana beispiel" in searches and "Müller" not in searches
    assert any(e["action"] == "matchwerk.profiles.person.viewed" for e in export["access_log_about_you"])

    _erase(client)
    entry.refresh_from_db()
    assert (entry.name, entry.email, entry.phone, entry.position, entry.user) == ("(gelöscht)", "", "", "", None)
    assert not AccessLog.objects.filter(data__icontains="ana beispiel").exists()
    assert not AccessLog.objects.filter(object_type="profiles.person", object_id=str(entry.pk)).exists()
    assert AccessLog.objects.filter(action="matchwerk.profiles.people.listed", data__q="(gelöscht)").exists()
    assert AccessLog.objects.filter(data__q="Müller").exists()   # others untouched
    assert Person.objects.filter(user=colleague, name="Chef Kollege").exists()


def test_unconfirmed_address_does_not_claim_entries_of_others(client):
    user = make_user(email="ana@example.org", full_name="Ana Beispiel", confirmed=False)
    entry, _ = _entered_by_someone_else()
    client.force_login(user)
    export = client.get(reverse("accounts:export")).json()
    assert all(p["organisation"]["name"] != "Fremdfirma Riesa" for p in export["persons"])
    _erase(client)
    entry.refresh_from_db()
    assert entry.phone == "0351 999"
