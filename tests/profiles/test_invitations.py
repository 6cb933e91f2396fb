"""Account linking only through an invitation the invited person confirms; the same answer
whether or not the address has an account; imported contacts invited by a staff decision."""

import pytest
from django.core import signing
from django.urls import reverse
from factories import make_organisation, make_user

from matchwerk.accounts.enums import Role
from matchwerk.core.models import AccessLog
from matchwerk.profiles import services
from matchwerk.profiles.invitations import invitation_token_make
from matchwerk.profiles.models import Person

pytestmark = pytest.mark.django_db


def _add(client, organisation, email, capture, **extra):
    with capture(execute=True):
        return client.post(reverse("profiles:person_add", args=[organisation.pk]), {
            "name": "Neue Person", "email": email, "can_edit": "on", "invite": "on", **extra}, follow=True)


def _answer(response, email):
    """What the adder sees, with the typed address taken out."""
    messages = [str(m).replace(email, "ADDRESS") for m in response.context["messages"]]
    return response.status_code, response.redirect_chain, messages


def test_link_answer_is_identical_for_known_and_unknown_addresses(client, cast, mailoutbox,
                                                                   django_capture_on_commit_callbacks):
    make_user(email="bekannt@example.org")
    client.force_login(cast["member"])
    known = _add(client, cast["listed"], "bekannt@example.org", django_capture_on_commit_callbacks)
    unknown = _add(client, cast["listed"], "unbekannt@example.org", django_capture_on_commit_callbacks)
    assert _answer(known, "bekannt@example.org") == _answer(unknown, "unbekannt@example.org")
    assert known.redirect_chain[-1][0] == reverse("profiles:people", args=[cast["listed"].pk])
    # Both got the same invitation mail; nobody is linked.
    assert sorted(m.to[0] for m in mailoutbox) == ["bekannt@example.org", "unbekannt@example.org"]
    assert not Person.objects.filter(email__in=["bekannt@example.org", "unbekannt@example.org"],
                                     user__isnull=False).exists()


def test_an_administrators_account_is_never_linked_silently(client, cast, mailoutbox,
                                                            django_capture_on_commit_callbacks):
    admin = make_user(email="admin@example.org", role=Role.ADMIN)
    client.force_login(cast["member"])
    _add(client, cast["listed"], "admin@example.org", django_capture_on_commit_callbacks)
    assert not admin.persons.exists()
    # Editing the entry cannot link either: the form has no such field any more.
    person = Person.objects.get(email="admin@example.org")
    client.post(reverse("profiles:person_edit", args=[cast["listed"].pk, person.pk]),
                {"name": "Neue Person", "email": "admin@example.org", "can_edit": "on", "link_account": "on"})
    assert not admin.persons.exists()


def test_invitation_needs_login_and_the_invited_address(client, cast):
    person = Person.objects.create(organisation=cast["listed"], name="Ina", email="ina@example.org")
    url = reverse("profiles:invitation", args=[invitation_token_make(person=person)])
    page = client.get(url)
    assert page.status_code == 200 and "Anmelden" in page.content.decode()
    assert client.post(url).status_code == 200 and Person.objects.get(pk=person.pk).user is None
    # Somebody else (the link was forwarded) cannot take it.
    client.force_login(make_user(email="andere@example.org"))
    assert "gilt für eine andere E-Mail-Adresse" in client.get(url).content.decode()
    client.post(url)
    assert Person.objects.get(pk=person.pk).user is None
    # The invited person confirms; following the link also confirms her address.
    ina = make_user(email="INA@example.org", confirmed=False)
    client.force_login(ina)
    assert client.post(url).status_code == 302
    person.refresh_from_db()
    ina.refresh_from_db()
    assert person.user == ina and ina.email_confirmed_at is not None
    assert AccessLog.objects.filter(action="matchwerk.profiles.person.invitation_accepted", object_id=str(person.pk)).exists()


def test_tampered_expired_or_readdressed_links_are_refused(client, cast, settings):
    person = Person.objects.create(organisation=cast["listed"], name="Ina", email="ina@example.org")
    token = invitation_token_make(person=person)
    assert client.get(reverse("profiles:invitation", args=[token + "x"])).status_code == 400
    person.email = "neu@example.org"
    person.save()
    assert client.get(reverse("profiles:invitation", args=[token])).status_code == 400
    old = signing.TimestampSigner(salt="matchwerk.profiles.person-invitation")
    stale = old.sign_object({"p": person.pk, "e": "neu@example.org"})
    from matchwerk.profiles import invitations
    settings_age = invitations.INVITATION_MAX_AGE
    invitations.INVITATION_MAX_AGE = -1
    try:
        response = client.get(reverse("profiles:invitation", args=[stale]))
    finally:
        invitations.INVITATION_MAX_AGE = settings_age
    assert response.status_code == 400 and "abgelaufen" in response.content.decode()


def test_changing_the_address_removes_the_link(cast):
    person = cast["listed"].people.get()
    helper = Person.objects.create(organisation=cast["listed"], name="Zweite", user=make_user(), can_edit=True)
    services.person_update(actor=cast["member"], person=helper, email="woanders@example.org")
    helper.refresh_from_db()
    assert helper.user is None and person.user is not None


def test_staff_invite_imported_contacts_by_choice(client, cast, mailoutbox, django_capture_on_commit_callbacks):
    organisation = make_organisation(name="Importiert GmbH", region=cast["listed"].region)  # the coordinator's
    first = Person.objects.create(organisation=organisation, name="Erste", email="erste@example.org")
    second = Person.objects.create(organisation=organisation, name="Zweite", email="zweite@example.org")
    Person.objects.create(organisation=organisation, name="Ohne Adresse")
    url = reverse("backoffice:contacts_invite")
    client.force_login(cast["member"])
    assert client.get(url).status_code == 403
    client.force_login(cast["coordinator"])
    page = client.get(url).content.decode()
    assert "erste@example.org" in page and "zweite@example.org" in page and "Ohne Adresse" not in page
    assert mailoutbox == []  # nothing is sent without the coordinator's decision
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"person": [first.pk]})
    assert [m.to for m in mailoutbox] == [["erste@example.org"]]
    assert "Übernehmen Sie das Profil von Importiert GmbH" in mailoutbox[0].subject
    assert "/einladung/" in mailoutbox[0].body
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.invited_at is not None and second.invited_at is None and first.user is None
    assert "erste@example.org" not in client.get(url).content.decode()
