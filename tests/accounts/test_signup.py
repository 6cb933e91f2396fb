"""Sign-up, e-mail confirmation, re-sending the link, no leak of existing addresses."""

import pytest
from django.core import mail, signing
from django.urls import reverse

from accounts.conftest import ARGON2_FIRST, link_in
from factories import PASSWORD, make_user
from matchwerk.profiles.rules import can_create_organisation
from matchwerk.privacy.selectors import consents_in_force
from matchwerk.accounts.models import User

pytestmark = pytest.mark.django_db
SITE = "https://matchwerk.example.org"


def _signup(client, email="neu@example.org", **extra):
    data = {"full_name": "Nora Neu", "email": email, "password1": PASSWORD, "password2": PASSWORD,
            "accept_privacy": "on", **extra}
    return client.post(reverse("accounts:signup"), data)


def test_signup_creates_unconfirmed_user_and_sends_link(client, settings):
    settings.PASSWORD_HASHERS = ARGON2_FIRST
    response = _signup(client, newsletter="on")
    assert response.status_code == 302 and response.url == reverse("accounts:signup_done")
    user = User.objects.get(email="neu@example.org")
    assert user.email_confirmed_at is None and user.full_name == "Nora Neu"
    assert user.password.startswith("argon2")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["neu@example.org"]
    assert "bestätigen" in mail.outbox[0].subject
    consents = consents_in_force(user=user)
    assert consents["newsletter"].granted is True and consents["photos"].granted is False
    assert not can_create_organisation.test(user)
    page = client.get(response.url)
    assert "neu@example.org" in page.content.decode()


def test_signup_confirmation_link_confirms(client):
    _signup(client)
    link = link_in(mail.outbox[0].body, SITE + "/konto/bestaetigen/")
    response = client.get(link.removeprefix(SITE))
    assert response.status_code == 302
    user = User.objects.get(email="neu@example.org")
    assert user.email_confirmed_at is not None
    assert can_create_organisation.test(user)


def test_signup_user_can_log_in_before_confirming_and_is_told(client):
    _signup(client)
    response = client.post(reverse("accounts:login"), {"username": "neu@example.org", "password": PASSWORD},
                           follow=True)
    assert response.context["user"].is_authenticated
    assert "noch nicht bestätigt" in response.content.decode()


def test_signup_confirmation_expired_link_refused(client, settings):
    _signup(client)
    link = link_in(mail.outbox[0].body, SITE + "/konto/bestaetigen/")
    settings.EMAIL_CONFIRMATION_MAX_AGE = -1
    response = client.get(link.removeprefix(SITE))
    assert response.status_code == 400
    assert "abgelaufen" in response.content.decode()
    assert User.objects.get(email="neu@example.org").email_confirmed_at is None


def test_signup_confirmation_tampered_link_refused(client):
    _signup(client)
    other = make_user(confirmed=False)
    link = link_in(mail.outbox[0].body, SITE + "/konto/bestaetigen/")
    token = link.rstrip("/").rsplit("/", 1)[1]
    value, _, signature = token.rpartition(":")
    forged = signing.b64_encode(f'{{"u":{other.pk},"e":"{other.email}"}}'.encode()).decode()
    for bad in (token[:-3] + "abc", forged + ":" + value.rsplit(":", 1)[-1] + ":" + signature, "kaputt"):
        response = client.get(reverse("accounts:confirm_email", args=[bad]))
        assert response.status_code == 400
    assert User.objects.get(email="neu@example.org").email_confirmed_at is None
    other.refresh_from_db()
    assert other.email_confirmed_at is None


def test_signup_confirmation_link_dies_when_address_changes(client):
    _signup(client)
    link = link_in(mail.outbox[0].body, SITE + "/konto/bestaetigen/")
    User.objects.filter(email="neu@example.org").update(email="anders@example.org")
    assert client.get(link.removeprefix(SITE)).status_code == 400


def test_signup_existing_address_same_screen_and_mail_to_owner(client):
    owner = make_user(email="da@example.org", full_name="Dora Da")
    response = _signup(client, email="DA@example.org")
    assert response.status_code == 302 and response.url == reverse("accounts:signup_done")
    assert User.objects.filter(email__iexact="da@example.org").count() == 1
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD) and owner.full_name == "Dora Da"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["da@example.org"]
    assert "Registrierungsversuch" in mail.outbox[0].subject
    assert "/konto/bestaetigen/" not in mail.outbox[0].body


def test_signup_mail_in_recipients_language(client):
    client.cookies["django_language"] = "en"
    _signup(client)
    assert User.objects.get(email="neu@example.org").language == "en"
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("change, field", [
    ({"password2": "Anderes-Passwort-2026"}, "password2"),
    ({"password1": "kurz", "password2": "kurz"}, "password1"),
    ({"accept_privacy": ""}, "accept_privacy"),
    ({"email": "keine-adresse"}, "email"),
])
def test_signup_invalid_input_shows_error(client, change, field):
    response = _signup(client, **change)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not User.objects.exists() and not mail.outbox


def test_signup_redirects_logged_in_user(client):
    client.force_login(make_user())
    assert client.get(reverse("accounts:signup")).status_code == 302


def test_confirmation_resend_sends_new_link(client):
    user = make_user(confirmed=False)
    client.force_login(user)
    response = client.post(reverse("accounts:confirmation_resend"))
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]


def test_confirmation_resend_confirmed_user_gets_nothing(client):
    client.force_login(make_user(confirmed=True))
    client.post(reverse("accounts:confirmation_resend"))
    assert not mail.outbox


def test_confirmation_resend_denied_for_anonymous_and_get(client):
    response = client.post(reverse("accounts:confirmation_resend"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    client.force_login(make_user(confirmed=False))
    assert client.get(reverse("accounts:confirmation_resend")).status_code == 405
    assert not mail.outbox


def test_signup_pages_render(client):
    for name in ("signup", "privacy_notice", "login", "password_reset"):
        assert client.get(reverse(f"accounts:{name}")).status_code == 200
