import pytest
from django.urls import reverse
from factories import make_user

from matchwerk.accounts.enums import Role
from matchwerk.matching import services
from matchwerk.matching.models import Suggestion


@pytest.fixture
def computed(network):
    services.suggestions_recompute(programme=services.programme_default())
    return network


def test_member_sees_suggestions_with_reasons(client, computed):
    client.force_login(computed["owner_sme"])
    response = client.get(reverse("matching:organisation_suggestions", args=[computed["sme"].pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Buchbar Digital" in body and "Verschlossen GmbH" not in body


@pytest.mark.parametrize("who, status", [("outsider", 403), ("team", 200)])
def test_suggestions_of_other_organisation(client, computed, who, status):
    client.force_login(computed[who])
    assert client.get(reverse("matching:organisation_suggestions", args=[computed["sme"].pk])).status_code == status


def test_suggestions_of_hidden_organisation_are_404_for_outsiders(client, computed):
    computed["sme"].listed_in_directory = False
    computed["sme"].save()
    client.force_login(computed["outsider"])
    assert client.get(reverse("matching:organisation_suggestions", args=[computed["sme"].pk])).status_code == 404


@pytest.mark.parametrize("name, args, method", [
    ("matching:organisation_suggestions", True, "get"), ("matching:my_matches", False, "get"),
    ("matching:queue", False, "get"), ("matching:recompute", False, "post"),
])
def test_anonymous_is_sent_to_login(client, computed, name, args, method):
    url = reverse(name, args=[computed["sme"].pk] if args else [])
    response = getattr(client, method)(url)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_participant_cannot_use_the_review_queue(client, computed):
    client.force_login(computed["owner_sme"])
    assert client.get(reverse("matching:queue")).status_code == 403
    suggestion = Suggestion.objects.first()
    response = client.post(reverse("matching:decide", args=[suggestion.pk]), {"action": "accept"})
    assert response.status_code == 403
    assert client.post(reverse("matching:recompute")).status_code == 403


def test_team_accepts_from_queue_and_both_sides_answer(client, computed):
    team = computed["team"]
    client.force_login(team)
    response = client.get(reverse("matching:queue"))
    assert response.status_code == 200 and "Buchbar Digital" in response.content.decode()
    suggestion = Suggestion.objects.get(organisation=computed["sme"], partner=computed["startup"])
    client.post(reverse("matching:decide", args=[suggestion.pk]), {"action": "accept"})
    for owner, organisation in [("owner_sme", "sme"), ("owner_startup", "startup")]:
        client.force_login(computed[owner])
        page = client.get(reverse("matching:my_matches")).content.decode()
        assert "Zustimmen" in page
        side = computed[organisation].match_sides.get()
        client.post(reverse("matching:match_respond", args=[side.pk]), {"answer": "accept"})
    side.match.refresh_from_db()
    assert side.match.status == "active"


def test_outsider_cannot_answer_someone_elses_invitation(client, computed):
    suggestion = Suggestion.objects.get(organisation=computed["sme"], partner=computed["startup"])
    match = services.suggestion_accept(user=computed["team"], suggestion=suggestion)
    client.force_login(make_user(role=Role.PARTICIPANT))
    side = match.sides.first()
    assert client.post(reverse("matching:match_respond", args=[side.pk]), {"answer": "accept"}).status_code == 403
    side.refresh_from_db()
    assert side.answer == "pending"


def test_review_queue_query_count_does_not_grow_with_suggestions(client, computed, django_assert_max_num_queries):
    client.force_login(computed["team"])
    with django_assert_max_num_queries(15):
        client.get(reverse("matching:queue"))
