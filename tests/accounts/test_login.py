"""Login with e-mail and password; throttling by e-mail and by client address; logout."""

import pytest
from django.urls import reverse

from factories import PASSWORD, make_user
from matchwerk.accounts.models import LoginFailure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_limit(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_WINDOW = 900


def _login(client, email, password, ip="10.0.0.1"):
    return client.post(reverse("accounts:login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_login_with_email_and_password(client):
    user = make_user(email="ana@example.org")
    response = _login(client, "Ana@Example.org", PASSWORD)
    assert response.status_code == 302 and response.url == reverse("core:dashboard")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_wrong_password_german_message(client):
    make_user(email="ana@example.org")
    response = _login(client, "ana@example.org", "falsch")
    assert response.status_code == 200
    assert "E-Mail-Adresse oder Passwort sind nicht korrekt" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_throttled_by_email_after_limit(client):
    make_user(email="ana@example.org")
    for n in range(3):
        assert _login(client, "ana@example.org", "falsch", ip=f"10.0.0.{n}").status_code == 200
    response = _login(client, "ana@example.org", PASSWORD, ip="10.9.9.9")
    assert response.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_throttled_by_ip_across_addresses(client):
    make_user(email="ana@example.org")
    for n in range(3):
        _login(client, f"raten{n}@example.org", "falsch", ip="192.0.2.7")
    assert _login(client, "ana@example.org", PASSWORD, ip="192.0.2.7").status_code == 429
    # Another client may still log in to that account.
    assert _login(client, "ana@example.org", PASSWORD, ip="192.0.2.8").status_code == 302


def test_login_throttle_lifts_after_window(client, settings):
    make_user(email="ana@example.org")
    for _ in range(3):
        _login(client, "ana@example.org", "falsch")
    assert _login(client, "ana@example.org", PASSWORD).status_code == 429
    settings.LOGIN_FAILURE_WINDOW = 0
    assert _login(client, "ana@example.org", PASSWORD).status_code == 302


def test_login_success_resets_email_counter(client):
    make_user(email="ana@example.org")
    for _ in range(2):
        _login(client, "ana@example.org", "falsch", ip="10.0.0.1")
    assert _login(client, "ana@example.org", PASSWORD, ip="10.0.0.2").status_code == 302
    assert not LoginFailure.objects.filter(email="ana@example.org").exists()
    client.logout()
    for _ in range(2):
        _login(client, "ana@example.org", "falsch", ip="10.0.0.3")
    assert _login(client, "ana@example.org", PASSWORD, ip="10.0.0.4").status_code == 302


def test_login_failures_older_than_window_are_pruned(client, settings):
    make_user(email="ana@example.org")
    _login(client, "ana@example.org", "falsch")
    settings.LOGIN_FAILURE_WINDOW = 0
    _login(client, "ana@example.org", "falsch")
    assert LoginFailure.objects.count() == 1


def test_admin_login_obeys_throttle(client):
    make_user(email="chef@example.org", is_staff=True, is_superuser=True)
    for _ in range(3):
        client.post(reverse("admin:login"), {"username": "chef@example.org", "password": "falsch"}, REMOTE_ADDR="10.1.1.1")
    response = client.post(reverse("admin:login"), {"username": "chef@example.org", "password": PASSWORD},
                           REMOTE_ADDR="10.1.1.2")
    assert "_auth_user_id" not in client.session
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in response.content.decode()


def test_inactive_user_cannot_log_in(client):
    make_user(email="weg@example.org", is_active=False)
    response = _login(client, "weg@example.org", PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_logout_requires_post(client):
    client.force_login(make_user())
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and "_auth_user_id" not in client.session


def test_login_page_redirects_logged_in_user(client):
    client.force_login(make_user())
    assert client.get(reverse("accounts:login")).status_code == 302
