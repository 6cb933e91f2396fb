"""Password reset by mail (German, via task) and password change."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.conftest import link_in
from factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db
SITE = "https://matchwerk.example.org"
NEW = "Ganz-Neues-Passwort-77"


def test_password_reset_flow_sets_new_password_and_confirms_address(client):
    user = make_user(email="ana@example.org", confirmed=False)
    response = client.post(reverse("accounts:password_reset"), {"email": "ana@example.org"})
    assert response.status_code == 302 and response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana@example.org"] and message.subject == "Neues Passwort für Matchwerk"
    assert "Sie (oder jemand anderes) haben ein neues Passwort" in message.body
    link = link_in(message.body, SITE + "/konto/passwort/neu/").removeprefix(SITE)
    response = client.get(link)
    assert response.status_code == 302  # to the URL without the token
    form_url = response.url
    response = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302 and response.url == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW) and user.email_confirmed_at is not None
    # The link works only once.
    assert client.get(link, follow=True).context["validlink"] is False


def test_password_reset_unknown_address_same_answer_no_mail(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "niemand@example.org"})
    assert response.status_code == 302 and response.url == reverse("accounts:password_reset_done")
    assert not mail.outbox


def test_password_reset_bad_token_refused(client):
    user = make_user()
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    response = client.get(reverse("accounts:password_reset_confirm", args=[uid, "abc-def"]))
    assert response.status_code == 200 and response.context["validlink"] is False
    assert "ungültig" in response.content.decode()


def test_password_change_requires_old_password(client):
    user = make_user()
    client.force_login(user)
    url = reverse("accounts:password_change")
    response = client.post(url, {"old_password": "falsch", "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 200 and "old_password" in response.context["form"].errors
    response = client.post(url, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302 and response.url == reverse("accounts:privacy")
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert client.session["_auth_user_id"] == str(user.pk)  # still logged in


def test_password_change_denied_for_anonymous(client):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url
