"""Self-service erasure: password confirmation, unlinking, consequences, logging."""

import pytest
from django.urls import reverse

from factories import PASSWORD, make_organisation, make_user
from matchwerk.accounts.consent import consent_record
from matchwerk.accounts.models import User
from matchwerk.core.models import AccessLog
from matchwerk.profiles.models import Consent, Organisation, Person

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
    entry = AccessLog.objects.get(action="account_erased")
    assert entry.object_id == str(user.pk) and entry.actor is None
    assert "ana@example.org" not in entry.detail


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
