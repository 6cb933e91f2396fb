"""The API acts with the token's user's rights: the same rules as the pages."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings

from matchwerk.api.models import ApiToken
from matchwerk.profiles.models import Need

pytestmark = pytest.mark.django_db

API = "/api/v1"


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_participant_sees_her_hidden_organisation_others_do_not(client, world):
    a, b = world.objects["org_a"].pk, world.objects["org_b"].pk
    assert ids(client.get(f"{API}/organisations/", **world.headers("pa"))) >= {a, b}
    as_b = client.get(f"{API}/organisations/", **world.headers("pb"))
    assert a not in ids(as_b) and b in ids(as_b)
    assert "Geheimes Vorhaben" not in as_b.content.decode()
    assert client.get(f"{API}/organisations/{a}/", **world.headers("pb")).status_code == 404
    needs = client.get(f"{API}/needs/", **world.headers("pb"))
    assert world.objects["need_a"].pk not in ids(needs) and "Geheimer Bedarf" not in needs.content.decode()
    assert client.get(f"{API}/needs/{world.objects['need_a'].pk}/", **world.headers("pb")).status_code == 404


def test_coordinator_of_another_region_sees_nothing_of_region_r(client, world):
    headers = world.headers("coord_other")
    assert world.objects["org_a"].pk not in ids(client.get(f"{API}/organisations/", **headers))
    assert ids(client.get(f"{API}/suggestions/", **headers)) == set()
    assert ids(client.get(f"{API}/matches/", **headers)) == set()
    assert ids(client.get(f"{API}/programmes/", **headers)) == set()
    suggestion = world.objects["suggestion"].pk
    assert client.get(f"{API}/suggestions/{suggestion}/", **headers).status_code == 404
    assert client.post(f"{API}/suggestions/{suggestion}/decide/", {"action": "snooze"}, content_type="application/json",
                       **headers).status_code == 404
    # the coordinator of R sees and decides
    coord = world.headers("coord")
    assert suggestion in ids(client.get(f"{API}/suggestions/", **coord))
    response = client.post(f"{API}/suggestions/{suggestion}/decide/", {"action": "snooze", "days": 7},
                           content_type="application/json", **coord)
    assert response.status_code == 200, response.content


def test_read_only_token_cannot_write(client, world):
    headers = world.headers("pa", read_only=True)
    before = Need.objects.count()
    response = client.post(f"{API}/needs/", {"organisation": world.objects["org_a"].pk, "title": "Neu"},
                           content_type="application/json", **headers)
    assert response.status_code == 403
    assert Need.objects.count() == before
    assert client.get(f"{API}/needs/", **headers).status_code == 200


def test_revoked_unknown_and_deactivated_tokens_answer_401(client, world):
    raw = world.token("pa")
    ok = client.get(f"{API}/organisations/", HTTP_AUTHORIZATION=f"Token {raw}")
    assert ok.status_code == 200
    assert ApiToken.objects.get(user=world.users["pa"]).last_used_at is not None
    ApiToken.objects.filter(user=world.users["pa"]).update(revoked_at="2026-01-01T00:00:00Z")
    revoked = client.get(f"{API}/organisations/", HTTP_AUTHORIZATION=f"Token {raw}")
    assert revoked.status_code == 401 and revoked["WWW-Authenticate"] == "Token"
    assert client.get(f"{API}/organisations/", HTTP_AUTHORIZATION="Token mw_nonsense").status_code == 401
    raw_b = world.token("pb")
    world.users["pb"].is_active = False
    world.users["pb"].save()
    assert client.get(f"{API}/organisations/", HTTP_AUTHORIZATION=f"Token {raw_b}").status_code == 401
    assert client.get(f"{API}/organisations/").status_code == 401


@override_settings(API_TOKEN_RATE="3/min")
def test_rate_limit_per_token(client, world):
    headers, other = world.headers("pa"), world.headers("pa")
    codes = [client.get(f"{API}/regions/", **headers).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get(f"{API}/regions/", **other).status_code == 200  # another token has its own budget


def test_writes_validate_like_the_forms_and_nothing_is_saved(client, world):
    headers = world.headers("pa")
    org_a = world.objects["org_a"].pk
    before = Need.objects.count()
    cases = [
        {"organisation": org_a, "title": ""},                                 # the form: required
        {"organisation": org_a, "title": "x" * 201},                          # max length
        {"organisation": org_a, "title": "ok", "colour": "blau"},             # unknown field
        {"organisation": "eins", "title": "ok"},                              # wrong type
        {"organisation": world.objects["org_b"].pk, "title": "fremd"},        # not hers: refused
        {"organisation": org_a, "title": "ok", "topics": [999999]},           # unknown id
    ]
    for body in cases:
        response = client.post(f"{API}/needs/", body, content_type="application/json", **headers)
        assert response.status_code in (400, 403), (body, response.status_code)
        assert isinstance(response.json(), dict)
    assert Need.objects.count() == before
    response = client.post(f"{API}/needs/", {"organisation": org_a, "title": ""}, content_type="application/json",
                           **headers)
    assert "title" in response.json()
    big = json.dumps({"organisation": org_a, "title": "ok", "description": "x" * (10 * 1024 * 1024)})
    response = client.post(f"{API}/needs/", big, content_type="application/json", **headers)
    assert 400 <= response.status_code < 500
    assert Need.objects.count() == before
    assert client.get(f"{API}/needs/987654/", **headers).status_code == 404
    created = client.post(f"{API}/needs/", {"organisation": org_a, "title": "Förderantrag schreiben",
                                            "topics": [world.objects["topic"].pk]},
                          content_type="application/json", **headers)
    assert created.status_code == 201, created.content
    assert created.json()["topics"] == [world.objects["topic"].pk]
    assert Need.objects.count() == before + 1


def test_event_form_rules_apply_to_api_writes(client, world):
    headers = world.headers("coord")
    event = {"title": "Stammtisch", "format": "roundtable", "venue_name": "Café", "capacity": 10,
             "region": world.objects["region"].pk,
             "starts_at": "2027-03-01T18:00:00+01:00", "ends_at": "2027-03-01T17:00:00+01:00"}
    response = client.post(f"{API}/events/", event, content_type="application/json", **headers)
    assert response.status_code == 400 and "ends_at" in response.json(), response.content
    event["ends_at"] = "2027-03-01T21:00:00+01:00"
    response = client.post(f"{API}/events/", event, content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "draft"
    other = dict(event, region=world.objects["other_region"].pk)  # outside her regions: the form refuses
    assert client.post(f"{API}/events/", other, content_type="application/json", **headers).status_code == 400
    draft = response.json()["id"]
    assert client.get(f"{API}/events/{draft}/", **world.headers("coord_other")).status_code == 404
    assert client.post(f"{API}/events/", event, content_type="application/json",
                       **world.headers("pa")).status_code == 403


def test_register_and_check_in(client, world):
    event = world.objects["event"].pk
    response = client.post(f"{API}/registrations/", {"event": event}, content_type="application/json",
                           **world.headers("pb"))
    assert response.status_code == 201, response.content
    code = response.json()["code"]
    mine = ids(client.get(f"{API}/registrations/", **world.headers("pb")))
    assert mine == {response.json()["id"]}  # not A's registration
    assert client.post(f"{API}/check-ins/", {"event": event, "code": code}, content_type="application/json",
                       **world.headers("pb")).status_code == 403
    first = client.post(f"{API}/check-ins/", {"event": event, "code": code.lower()}, content_type="application/json",
                        **world.headers("coord"))
    assert first.status_code == 201 and first.json()["already"] is False
    again = client.post(f"{API}/check-ins/", {"event": event, "code": code}, content_type="application/json",
                        **world.headers("coord"))
    assert again.status_code == 200 and again.json()["already"] is True
    wrong = client.post(f"{API}/check-ins/", {"event": event, "code": "NOPE"}, content_type="application/json",
                        **world.headers("coord"))
    assert wrong.status_code == 400


def test_filters_and_pagination(client, world):
    headers = world.headers("admin")
    region = world.objects["region"].pk
    response = client.get(f"{API}/organisations/", {"region": region, "kind": "startup", "page_size": 1}, **headers)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and [row["name"] for row in body["results"]] == ["Organisation B"]
    assert client.get(f"{API}/organisations/", {"changed_since": "gestern"}, **headers).status_code == 400
    future = client.get(f"{API}/organisations/", {"changed_since": "2100-01-01T00:00:00Z"}, **headers)
    assert future.json()["count"] == 0
