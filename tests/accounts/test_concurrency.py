"""Check-then-act under load: the login throttle and the sign-up under parallel requests."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from factories import PASSWORD, make_user
from matchwerk.accounts.models import LoginFailure, User

from .conftest import ARGON2_FIRST


def _parallel(count, request):
    """Send ``count`` requests at the same moment, each from its own client and thread."""
    barrier = threading.Barrier(count)
    responses: list = [None] * count

    def run(i):
        try:
            client = Client()
            barrier.wait()
            responses[i] = request(client, i)
        except Exception as error:  # asserted on below
            responses[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return responses


def _server_database():
    if connection.vendor == "sqlite":
        pytest.skip("threads share SQLite's in-memory test database with table locks; the file database "
                    "under parallel writes is tested in tests/core/test_sqlite_concurrency.py")


@pytest.mark.django_db(transaction=True)
def test_forty_parallel_wrong_passwords_evaluate_at_most_five(settings):
    _server_database()
    settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_FAILURE_WINDOW = 5, 900
    settings.PASSWORD_HASHERS = ARGON2_FIRST  # a real hash takes long enough for requests to overlap
    make_user(email="ana@example.org")
    responses = _parallel(40, lambda client, i: client.post(
        reverse("accounts:login"), {"username": "ana@example.org", "password": f"falsch-{i}"},
        REMOTE_ADDR=f"10.1.0.{i}"))
    codes = [getattr(r, "status_code", r) for r in responses]
    evaluated = codes.count(200)
    assert evaluated <= 5 and codes.count(429) == 40 - evaluated, codes
    assert LoginFailure.objects.filter(email="ana@example.org").count() == evaluated
    # Refused attempts take their rows back, so a burst may leave fewer than five failures
    # (when all 40 saw each other, none was evaluated). Fill the window up to the limit one by
    # one: then the address is locked and the right password is refused too.
    for i in range(5 - evaluated):
        response = Client().post(reverse("accounts:login"), {"username": "ana@example.org",
                                                             "password": f"nochmal-falsch-{i}"})
        assert response.status_code == 200
    response = Client().post(reverse("accounts:login"), {"username": "ana@example.org", "password": PASSWORD})
    assert response.status_code == 429


@pytest.mark.django_db(transaction=True)
def test_signup_double_submit_gives_the_normal_answer_twice(settings):
    _server_database()
    settings.PASSWORD_HASHERS = ARGON2_FIRST  # the real hash: the window between check and write
    data = {"full_name": "Ana Beispiel", "email": "ana@example.org", "password1": "ein-langes-passwort-7",
            "password2": "ein-langes-passwort-7", "accept_privacy": "on"}
    for attempt in range(2):
        User.objects.all().delete()
        data["email"] = f"ana{attempt}@example.org"
        responses = _parallel(4, lambda client, i: client.post(reverse("accounts:signup"), data))
        codes = [getattr(r, "status_code", r) for r in responses]
        assert codes == [302] * 4, codes
        assert all(r.url == reverse("accounts:signup_done") for r in responses)
        assert User.objects.filter(email=data["email"]).count() == 1
