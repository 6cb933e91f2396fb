"""The privacy page: consents per purpose, account settings, data export."""

import json

import pytest
from django.urls import reverse

from factories import make_coordinator, make_organisation, make_user
from matchwerk.core.audit import log_event
from matchwerk.privacy.enums import CONSENT_TEXT_VERSIONS
from matchwerk.core.models import AccessLog
from matchwerk.privacy.models import Consent
from matchwerk.profiles.models import Person

pytestmark = pytest.mark.django_db


def _consent(client, purpose, granted, organisation=None):
    data = {"purpose": purpose, "granted": "1" if granted else "0"}
    if organisation is not None:
        data["organisation"] = organisation.pk
    return client.post(reverse("accounts:consent_update"), data)


def test_privacy_page_shows_personal_and_organisation_consents(client):
    user = make_user()
    mine = make_organisation(owner=user, name="Holzwerk Meißen")
    make_organisation(name="Fremde GmbH")
    client.force_login(user)
    response = client.get(reverse("accounts:privacy"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Holzwerk Meißen" in page and "Fremde GmbH" not in page
    assert "Fotos bei Veranstaltungen" in page and "Im Verzeichnis sichtbar" in page
    assert [e["organisation"] for e in response.context["overview"]["organisations"]] == [mine]


def test_privacy_page_denied_for_anonymous(client):
    for name in ("privacy", "export", "erase"):
        response = client.get(reverse(f"accounts:{name}"))
        assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_personal_consent_change_recorded_with_version_and_time(client):
    user = make_user()
    client.force_login(user)
    assert _consent(client, "newsletter", True).status_code == 302
    assert _consent(client, "newsletter", False).status_code == 302
    records = list(Consent.objects.filter(user=user, purpose="newsletter").order_by("recorded_at", "id"))
    assert [r.granted for r in records] == [True, False]
    assert all(r.text_version == CONSENT_TEXT_VERSIONS["newsletter"] and r.recorded_at for r in records)
    page = client.get(reverse("accounts:privacy")).content.decode()
    assert f"Textfassung {CONSENT_TEXT_VERSIONS['newsletter']}" in page


def test_organisation_consent_change_updates_flags(client):
    user = make_user()
    organisation = make_organisation(owner=user, listed=False, matching=True)
    client.force_login(user)
    assert _consent(client, "directory", True, organisation).status_code == 302
    assert _consent(client, "matching", False, organisation).status_code == 302
    organisation.refresh_from_db()
    assert organisation.listed_in_directory is True and organisation.open_for_matching is False
    record = Consent.objects.get(organisation=organisation, purpose="directory")
    assert record.user == user and record.granted and record.text_version == CONSENT_TEXT_VERSIONS["directory"]
    assert AccessLog.objects.filter(action="matchwerk.accounts.consent.changed", object_id=str(organisation.pk)).count() == 2


def test_organisation_consent_denied_for_non_editor(client):
    intruder = make_user()
    listed = make_organisation(owner=make_user(), listed=True, matching=False)
    hidden = make_organisation(owner=make_user(), listed=False, matching=False)
    Person.objects.create(organisation=listed, user=intruder, name="Leser", can_edit=False)
    client.force_login(intruder)
    assert _consent(client, "matching", True, listed).status_code == 403
    assert _consent(client, "directory", True, hidden).status_code == 404
    listed.refresh_from_db(), hidden.refresh_from_db()
    assert not listed.open_for_matching and not hidden.listed_in_directory
    assert not Consent.objects.exists()


def test_organisation_consent_denied_for_staff_who_do_not_act_for_it(client):
    organisation = make_organisation(owner=make_user(), listed=False)
    staff = make_coordinator(organisation.region)  # may edit the profile, but consent is the organisation's
    client.force_login(staff)
    assert _consent(client, "directory", True, organisation).status_code == 403
    organisation.refresh_from_db()
    assert not organisation.listed_in_directory


def test_consent_bad_input_refused(client):
    user = make_user()
    organisation = make_organisation(owner=user)
    client.force_login(user)
    assert _consent(client, "unsinn", True).status_code == 400
    assert _consent(client, "directory", True).status_code == 400  # organisation purpose without organisation
    assert _consent(client, "photos", True, organisation).status_code == 400
    assert client.get(reverse("accounts:consent_update")).status_code == 405
    assert not Consent.objects.exists()


def test_consent_change_denied_for_anonymous(client):
    response = _consent(client, "newsletter", True)
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    assert not Consent.objects.exists()


def test_account_settings_update(client):
    user = make_user()
    client.force_login(user)
    response = client.post(reverse("accounts:settings_update"), {"full_name": "Neuer Name", "language": "en"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.full_name == "Neuer Name" and user.language == "en"
    assert client.post(reverse("accounts:settings_update"), {"full_name": "", "language": "xx"}).status_code == 400


def test_export_contains_own_data_and_nothing_of_others(client):
    user = make_user(email="ana@example.org", full_name="Ana Beispiel")
    organisation = make_organisation(owner=user, name="Holzwerk Meißen")
    colleague = make_user(email="kollege@example.org", full_name="Karl Kollege")
    Person.objects.create(organisation=organisation, user=colleague, name="Karl Kollege",
                          email="kollege@example.org", phone="0351 999")
    staff = make_user(role="coordinator")
    log_event("matchwerk.profiles.person.viewed", user.persons.get(), actor=staff)
    log_event("matchwerk.profiles.person.viewed", colleague.persons.get(), actor=staff)
    client.force_login(user)
    _consent(client, "photos", True)
    _consent(client, "directory", False, organisation)
    _consent(client, "directory", True, organisation)
    response = client.get(reverse("accounts:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "ana@example.org" and data["account"]["full_name"] == "Ana Beispiel"
    assert [p["organisation"]["name"] for p in data["persons"]] == ["Holzwerk Meißen"]
    assert [(c["purpose"], c["granted"]) for c in data["consents"]] == [
        ("photos", True), ("directory", False), ("directory", True)]
    assert all(c["text_version"] for c in data["consents"])
    assert any(e["action"] == "matchwerk.profiles.person.viewed" for e in data["access_log_about_you"])
    assert len([e for e in data["access_log_about_you"] if e["action"] == "matchwerk.profiles.person.viewed"]) == 1
    text = response.content.decode()
    assert "kollege@example.org" not in text and "Karl Kollege" not in text and "0351 999" not in text
    assert AccessLog.objects.filter(action="matchwerk.accounts.personal_data.exported", object_id=str(user.pk)).exists()


def test_export_includes_registered_sections(client):
    from matchwerk.accounts import selectors
    user = make_user()
    selectors.register_export_section("test_section", lambda u: {"email": u.email})
    try:
        client.force_login(user)
        data = json.loads(client.get(reverse("accounts:export")).content)
    finally:
        selectors.EXPORT_SECTIONS.pop("test_section")
    assert data["test_section"] == {"email": user.email}


def test_privacy_page_flags_organisation_consent_without_record(client):
    user = make_user()
    organisation = make_organisation(owner=user, listed=True, matching=False)
    client.force_login(user)
    response = client.get(reverse("accounts:privacy"))
    rows = {r["purpose"]: r for r in response.context["overview"]["organisations"][0]["consents"]}
    assert rows["directory"]["unrecorded_flag"] and rows["directory"]["granted"]
    assert not rows["matching"]["unrecorded_flag"] and not rows["matching"]["granted"]
    assert "ohne erfasste Einwilligung" in response.content.decode()
    _consent(client, "directory", True, organisation)
    rows = {r["purpose"]: r for r in client.get(reverse("accounts:privacy")).context["overview"]["organisations"][0]["consents"]}
    assert not rows["directory"]["unrecorded_flag"] and rows["directory"]["record"].granted
