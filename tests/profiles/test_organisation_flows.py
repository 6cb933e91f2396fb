"""Organisation create / edit / delete, consents, people, needs and offers through the UI."""

import pytest
from django.urls import reverse
from factories import make_organisation, make_region, make_topic, make_user

from matchwerk.core.models import AccessLog
from matchwerk.profiles import services
from matchwerk.privacy.models import Consent
from matchwerk.profiles.models import Need, Offer, Organisation, Person


def _create_data(region, **extra):
    return {"name": "Buchbar Digital", "kind": "startup", "region": region.pk, "town": "Dresden",
            "website": "https://buchbar.example", "size": "2-9", "founded": "2021",
            "about": "Wir bauen Buchungssysteme.", **extra}


def test_organisation_create_makes_creator_an_editor_and_records_both_consents(client, db):
    user = make_user(full_name="Greta Gründerin")
    region, topic = make_region(), make_topic()
    client.force_login(user)
    response = client.post(reverse("profiles:organisation_create"),
                           _create_data(region, topics=[topic.pk], consent_directory="on"))
    organisation = Organisation.objects.get(name="Buchbar Digital")
    assert response.status_code == 302
    assert response.url == reverse("profiles:organisation_detail", args=[organisation.pk])
    assert organisation.key == "buchbar-digital"
    assert list(organisation.topics.all()) == [topic]
    person = organisation.people.get()
    assert person.user == user and person.can_edit and person.is_contact and person.name == "Greta Gründerin"
    assert organisation.listed_in_directory is True and organisation.open_for_matching is False
    consents = {c.purpose: c for c in Consent.objects.filter(organisation=organisation)}
    assert consents["directory"].granted is True and consents["directory"].user == user
    assert consents["matching"].granted is False and consents["matching"].text_version


def test_organisation_create_form_explains_consents(client, db):
    client.force_login(make_user())
    body = client.get(reverse("profiles:organisation_create")).content.decode()
    assert 'name="consent_directory"' in body and 'name="consent_matching"' in body
    assert "öffentlichen Verzeichnis" in body and "passende Partner vorschlagen" in body


def test_organisation_create_invalid_input_shows_errors_and_saves_nothing(client, db):
    client.force_login(make_user())
    response = client.post(reverse("profiles:organisation_create"),
                           _create_data(make_region(), name="", founded="99", website="kein url"))
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"name", "founded", "website"}
    assert not Organisation.objects.exists()


def test_organisation_key_gets_suffix_when_taken(db):
    make_organisation(key="radreisen-elbland")
    user = make_user()
    organisation = services.organisation_create(actor=user, name="Radreisen Elbland", kind="sme",
                                                region=make_region(), consent_directory=False,
                                                consent_matching=False)
    assert organisation.key == "radreisen-elbland-2"


def test_organisation_edit_changes_profile_and_records_only_changed_consent(client, db):
    owner = make_user()
    organisation = make_organisation(owner=owner, listed=True, matching=True, name="Alt")
    client.force_login(owner)
    data = _create_data(organisation.region, name="Neu", kind="sme", consent_directory="on")  # matching off
    response = client.post(reverse("profiles:organisation_edit", args=[organisation.pk]), data)
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Neu" and organisation.town == "Dresden"
    assert organisation.open_for_matching is False and organisation.listed_in_directory is True
    assert list(Consent.objects.filter(organisation=organisation).values_list("purpose", "granted")) == [
        ("matching", False)]


def test_organisation_edit_by_staff_does_not_touch_consents(client, cast):
    client.force_login(cast["coordinator"])
    form = client.get(reverse("profiles:organisation_edit", args=[cast["listed"].pk])).context["form"]
    assert "consent_directory" not in form.fields
    response = client.post(reverse("profiles:organisation_edit", args=[cast["listed"].pk]),
                           _create_data(cast["listed"].region, name="Vom Team korrigiert"))
    assert response.status_code == 302
    cast["listed"].refresh_from_db()
    assert cast["listed"].name == "Vom Team korrigiert" and cast["listed"].listed_in_directory is True
    assert not Consent.objects.filter(organisation=cast["listed"]).exists()


def test_organisation_delete_needs_confirmation_then_deletes(client, cast):
    client.force_login(cast["member"])
    url = reverse("profiles:organisation_delete", args=[cast["listed"].pk])
    response = client.get(url)
    assert response.status_code == 200 and "Radreisen Elbland" in response.content.decode()
    assert Organisation.objects.filter(pk=cast["listed"].pk).exists()
    response = client.post(url)
    assert response.status_code == 302 and response.url == reverse("core:dashboard")
    assert not Organisation.objects.filter(pk=cast["listed"].pk).exists()
    assert not Need.objects.filter(pk=cast["need"].pk).exists()


def test_dashboard_lists_my_organisations_with_edit_links(client, cast):
    client.force_login(cast["member"])
    body = client.get(reverse("core:dashboard")).content.decode()
    assert "Radreisen Elbland" in body and "Stille GmbH" in body
    assert reverse("profiles:organisation_edit", args=[cast["listed"].pk]) in body
    assert reverse("profiles:organisation_edit", args=[cast["hidden"].pk]) in body


def test_staff_viewing_people_is_logged_but_members_are_not(client, cast):
    client.force_login(cast["member"])
    client.get(reverse("profiles:people", args=[cast["listed"].pk]))
    client.get(reverse("profiles:organisation_detail", args=[cast["listed"].pk]))
    assert not AccessLog.objects.exists()
    client.force_login(cast["coordinator"])
    client.get(reverse("profiles:people", args=[cast["listed"].pk]))
    client.get(reverse("profiles:organisation_detail", args=[cast["hidden"].pk]))
    entries = AccessLog.objects.filter(actor=cast["coordinator"]).order_by("id")
    assert [(e.action, e.object_id) for e in entries] == [
        ("matchwerk.profiles.people.viewed", str(cast["listed"].pk)), ("matchwerk.profiles.people.viewed", str(cast["hidden"].pk))]


# --- people -----------------------------------------------------------------------------

def test_person_add_with_invitation_links_only_after_the_person_confirms(client, cast, mailoutbox,
                                                                         django_capture_on_commit_callbacks):
    colleague = make_user(email="kollege@example.org")
    client.force_login(cast["member"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("profiles:person_add", args=[cast["listed"].pk]), {
            "name": "Karl Kollege", "email": "Kollege@Example.org", "position": "Vertrieb",
            "can_edit": "on", "invite": "on"})
    assert response.status_code == 302
    person = cast["listed"].people.get(name="Karl Kollege")
    assert person.user is None and person.invited_at is not None     # nothing linked yet
    link = next(line for line in mailoutbox[-1].body.splitlines() if "/einladung/" in line).strip()
    assert mailoutbox[-1].to == ["Kollege@Example.org"]
    client.force_login(colleague)
    assert client.get(reverse("profiles:organisation_edit", args=[cast["listed"].pk])).status_code == 403
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.post("/" + path).status_code == 302
    person.refresh_from_db()
    assert person.user == colleague
    # the colleague can now act for the organisation
    assert client.get(reverse("profiles:organisation_edit", args=[cast["listed"].pk])).status_code == 200


def test_person_add_without_account_and_edit(client, cast):
    client.force_login(cast["member"])
    client.post(reverse("profiles:person_add", args=[cast["listed"].pk]),
                {"name": "Pia Presse", "email": "pia@example.org", "is_contact": "on"})
    person = Person.objects.get(name="Pia Presse")
    assert person.user is None
    response = client.post(reverse("profiles:person_edit", args=[cast["listed"].pk, person.pk]),
                           {"name": "Pia Presse", "email": "pia@example.org", "phone": "0351 123"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "0351 123" and person.is_contact is False


def test_last_editor_cannot_remove_themselves(client, cast):
    client.force_login(cast["member"])
    person = cast["listed"].people.get()
    response = client.post(reverse("profiles:person_remove", args=[cast["listed"].pk, person.pk]), follow=True)
    assert Person.objects.filter(pk=person.pk).exists()
    assert "letzte Person" in response.content.decode()


def test_person_remove_when_another_editor_remains(client, cast):
    other = Person.objects.create(organisation=cast["listed"], user=make_user(), name="Zweite", can_edit=True)
    client.force_login(cast["member"])
    response = client.post(reverse("profiles:person_remove", args=[cast["listed"].pk, other.pk]))
    assert response.status_code == 302 and not Person.objects.filter(pk=other.pk).exists()


def test_people_list_has_no_n_plus_one(client, cast, django_assert_max_num_queries):
    for n in range(10):
        Person.objects.create(organisation=cast["listed"], user=make_user(), name=f"P{n}", can_edit=False)
    client.force_login(cast["member"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("profiles:people", args=[cast["listed"].pk])).status_code == 200


# --- needs and offers ---------------------------------------------------------------------

@pytest.mark.parametrize("kind, model", [("need", Need), ("offer", Offer)])
def test_statement_create_edit_delete(client, cast, kind, model):
    topic_a, topic_b = make_topic(name="Tourismus-Test"), make_topic(name="Design-Test")
    organisation = cast["listed"]
    client.force_login(cast["member"])
    response = client.post(reverse(f"profiles:{kind}_create", args=[organisation.pk]),
                           {"title": "Neuer Eintrag", "description": "Beschreibung", "topics": [topic_a.pk]})
    assert response.status_code == 302
    item = model.objects.get(title="Neuer Eintrag")
    assert item.organisation == organisation and list(item.topics.all()) == [topic_a]
    body = client.get(reverse("profiles:organisation_detail", args=[organisation.pk])).content.decode()
    assert "Neuer Eintrag" in body and "Tourismus-Test" in body
    client.post(reverse(f"profiles:{kind}_edit", args=[organisation.pk, item.pk]),
                {"title": "Geändert", "description": "", "topics": [topic_b.pk]})
    item.refresh_from_db()
    assert item.title == "Geändert" and list(item.topics.all()) == [topic_b]
    assert client.get(reverse(f"profiles:{kind}_delete", args=[organisation.pk, item.pk])).status_code == 200
    client.post(reverse(f"profiles:{kind}_delete", args=[organisation.pk, item.pk]))
    assert not model.objects.filter(pk=item.pk).exists()


def test_statement_without_title_is_rejected(client, cast):
    client.force_login(cast["member"])
    response = client.post(reverse("profiles:need_create", args=[cast["listed"].pk]), {"title": ""})
    assert response.status_code == 200 and "title" in response.context["form"].errors
    assert cast["listed"].needs.count() == 1


def test_topic_checkboxes_are_labelled_fieldset(client, cast):
    make_topic(name="Smart-City-Test")
    client.force_login(cast["member"])
    body = client.get(reverse("profiles:need_create", args=[cast["listed"].pk])).content.decode()
    assert "<fieldset" in body and "<legend>Themen" in body and 'type="checkbox"' in body


def test_dashboard_has_no_edit_link_without_edit_right(client, cast):
    colleague = make_user()
    Person.objects.create(organisation=cast["listed"], user=colleague, name="Leserin", can_edit=False)
    client.force_login(colleague)
    body = client.get(reverse("core:dashboard")).content.decode()
    assert "Radreisen Elbland" in body
    assert reverse("profiles:organisation_edit", args=[cast["listed"].pk]) not in body


def test_organisation_detail_query_count_does_not_grow(client, cast, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from factories import make_need, make_offer
    url = reverse("profiles:organisation_detail", args=[cast["listed"].pk])
    client.force_login(cast["member"])
    client.get(url)  # warm the session
    topic = make_topic()
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    assert len(small.captured_queries) <= 15
    for n in range(8):
        make_need(cast["listed"], title=f"Bedarf {n}").topics.add(topic)
        make_offer(cast["listed"], title=f"Angebot {n}").topics.add(topic)
    with django_assert_num_queries(len(small.captured_queries)):
        assert "Bedarf 7" in client.get(url).content.decode()
