"""The User model in the Django administration, with e-mail based forms."""

import pytest
from django.urls import reverse

from factories import make_user
from matchwerk.accounts.models import User

pytestmark = pytest.mark.django_db


def test_admin_user_pages_render(client):
    superuser = User.objects.create_superuser(email="root@example.org", password="Sicheres-Passwort-2026")
    target = make_user()
    client.force_login(superuser)
    assert client.get(reverse("admin:accounts_user_changelist"), {"q": target.email}).status_code == 200
    assert client.get(reverse("admin:accounts_user_change", args=[target.pk])).status_code == 200
    assert client.get(reverse("admin:accounts_user_add")).status_code == 200
    assert client.get(reverse("admin:accounts_loginfailure_changelist")).status_code == 200


def test_admin_creates_user_by_email(client):
    client.force_login(User.objects.create_superuser(email="root@example.org", password="Sicheres-Passwort-2026"))
    response = client.post(reverse("admin:accounts_user_add"), {
        "email": "neu@example.org", "full_name": "Neu", "role": "matching_team", "usable_password": "true",
        "password1": "Sicheres-Passwort-2026", "password2": "Sicheres-Passwort-2026",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(email="neu@example.org")
    assert user.role == "matching_team" and user.check_password("Sicheres-Passwort-2026")


def test_admin_denied_for_participant(client):
    client.force_login(make_user())
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302 and reverse("admin:login") in response.url
