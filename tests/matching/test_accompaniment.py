"""A match's page, journal and milestones; who sees which match (permissions, denied
paths); the caseload board and moving a card without JavaScript."""

from datetime import date, datetime, timedelta, timezone as tz

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from factories import (
    make_coordinator, make_match, make_organisation, make_programme, make_region, make_team_member, make_user,
)

from matchwerk.matching import selectors, services
from matchwerk.matching.enums import MatchStage
from matchwerk.matching.models import JournalEntry, Match, Milestone

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_regions():
    """Programme P over regions R and S; match M_R (organisations in R) and M_S (in S)."""
    r, s = make_region(name="Erzgebirgskreis"), make_region(name="Landkreis Bautzen")
    owner_r, owner_s = make_user(full_name="Rita R"), make_user(full_name="Sven S")
    programme = make_programme(regions=[r, s])
    m_r = make_match(make_organisation(owner=owner_r, kind="creative", region=r, name="Atelier Rot"),
                     make_organisation(kind="sme", region=r, name="Bäckerei Rot"), programme=programme,
                     stage=MatchStage.AGREED)
    m_s = make_match(make_organisation(owner=owner_s, kind="creative", region=s, name="Studio Süd"),
                     make_organisation(kind="sme", region=s, name="Schlosserei Süd"), programme=programme,
                     stage=MatchStage.AGREED)
    return {"programme": programme, "r": r, "s": s, "m_r": m_r, "m_s": m_s, "owner_r": owner_r, "owner_s": owner_s,
            "coord_r": make_coordinator(r), "coord_s": make_coordinator(s),
            "team": make_team_member(programme=programme), "outsider": make_user()}


def _board(client, user, programme, **params):
    client.force_login(user)
    query = "&".join(f"{k}={v}" for k, v in {"programm": programme.slug, **params}.items())
    return client.get(reverse("matching:caseload") + "?" + query)


def test_coordinator_board_shows_only_her_regions_matches(client, two_regions):
    page = _board(client, two_regions["coord_r"], two_regions["programme"]).content.decode()
    assert "Atelier Rot" in page and "Studio Süd" not in page


def test_coordinator_on_the_programme_team_sees_all_matches(client, two_regions):
    two_regions["programme"].team.add(two_regions["coord_r"])
    page = _board(client, two_regions["coord_r"], two_regions["programme"]).content.decode()
    assert "Atelier Rot" in page and "Studio Süd" in page


def test_team_board_shows_all_and_filters_by_region(client, two_regions):
    page = _board(client, two_regions["team"], two_regions["programme"]).content.decode()
    assert "Atelier Rot" in page and "Studio Süd" in page
    page = _board(client, two_regions["team"], two_regions["programme"], region=two_regions["s"].slug).content.decode()
    assert "Atelier Rot" not in page and "Studio Süd" in page


def test_board_is_staff_only(client, two_regions):
    client.force_login(two_regions["owner_r"])
    assert client.get(reverse("matching:caseload")).status_code == 403
    client.logout()
    assert client.get(reverse("matching:caseload")).status_code == 302


def test_moving_a_card_by_form_post_validates_and_returns_to_the_board(client, two_regions):
    client.force_login(two_regions["coord_r"])
    board = reverse("matching:caseload") + f"?programm={two_regions['programme'].slug}"
    url = reverse("matching:stage_change", args=[two_regions["m_r"].pk])
    response = client.post(url, {"stage": MatchStage.KICKOFF, "next": board})
    assert response.status_code == 302 and response.url == board
    assert Match.objects.get(pk=two_regions["m_r"].pk).stage == MatchStage.KICKOFF
    # the same validation: no "completed" before "grant approved"
    client.post(url, {"stage": MatchStage.COMPLETED, "next": board})
    assert Match.objects.get(pk=two_regions["m_r"].pk).stage == MatchStage.KICKOFF
    # an outside "next" is not followed
    response = client.post(url, {"stage": MatchStage.GRANT_APPROVED, "next": "https://evil.example/"})
    assert response.url == reverse("matching:match_detail", args=[two_regions["m_r"].pk])


def test_coordinator_cannot_move_or_open_another_regions_match(client, two_regions):
    client.force_login(two_regions["coord_r"])
    m_s = two_regions["m_s"]
    assert client.post(reverse("matching:stage_change", args=[m_s.pk]), {"stage": "kickoff"}).status_code == 403
    assert client.get(reverse("matching:match_detail", args=[m_s.pk])).status_code == 404
    assert Match.objects.get(pk=m_s.pk).stage == MatchStage.AGREED


def test_participants_see_only_their_own_matches(client, two_regions):
    client.force_login(two_regions["owner_r"])
    assert client.get(reverse("matching:match_detail", args=[two_regions["m_r"].pk])).status_code == 200
    assert client.get(reverse("matching:match_detail", args=[two_regions["m_s"].pk])).status_code == 404
    assert client.post(reverse("matching:journal_add", args=[two_regions["m_s"].pk]),
                       {"text": "fremd"}).status_code == 404
    assert [m.pk for m in selectors.matches_for_member(user=two_regions["owner_r"])] == [two_regions["m_r"].pk]
    mine = client.get(reverse("matching:my_matches")).content.decode()
    assert "Bäckerei Rot" in mine and "Schlosserei Süd" not in mine
    client.force_login(two_regions["outsider"])
    assert client.get(reverse("matching:match_detail", args=[two_regions["m_r"].pk])).status_code == 404


def test_participant_writes_to_the_journal_and_never_sees_staff_notes(client, two_regions):
    m_r = two_regions["m_r"]
    services.journal_entry_add(actor=two_regions["coord_r"], match=m_r, text="Vertraulich: Budget knapp",
                               visibility=JournalEntry.Visibility.STAFF)
    client.force_login(two_regions["owner_r"])
    response = client.post(reverse("matching:journal_add", args=[m_r.pk]),
                           {"text": "Erster Workshop gehalten", "visibility": "staff"})
    assert response.status_code == 302
    entry = JournalEntry.objects.get(author=two_regions["owner_r"])
    assert entry.visibility == JournalEntry.Visibility.MATCH  # a member cannot write staff-only notes
    page = client.get(reverse("matching:match_detail", args=[m_r.pk])).content.decode()
    assert "Erster Workshop gehalten" in page and "Vertraulich" not in page
    client.force_login(two_regions["coord_r"])
    page = client.get(reverse("matching:match_detail", args=[m_r.pk])).content.decode()
    assert "Erster Workshop gehalten" in page and "Vertraulich" in page
    with pytest.raises(PermissionDenied):
        services.journal_entry_add(actor=two_regions["owner_r"], match=m_r, text="x",
                                   visibility=JournalEntry.Visibility.STAFF)


def test_milestones_next_one_and_overdue_first_on_the_board(client, two_regions):
    m_r, team = two_regions["m_r"], two_regions["team"]
    second = make_match(make_organisation(kind="creative", region=two_regions["r"], name="Zuletzt Atelier"),
                        make_organisation(kind="sme", region=two_regions["r"]), programme=two_regions["programme"],
                        stage=MatchStage.AGREED)
    services.milestone_add(actor=team, match=second, title="Prototyp", due_on=date.today() - timedelta(days=2))
    services.milestone_add(actor=team, match=m_r, title="Kick-off planen", due_on=date.today() + timedelta(days=9))
    matches = selectors.caseload(programme=two_regions["programme"])
    assert matches[0].pk == second.pk and matches[0].overdue
    assert next(m for m in matches if m.pk == m_r.pk).next_milestone.title == "Kick-off planen"
    page = _board(client, team, two_regions["programme"], dringend="1").content.decode()
    assert "Zuletzt Atelier" in page and "Atelier Rot" not in page and "Meilenstein überfällig" in page


def test_milestone_reminder_goes_out_once(two_regions):
    m_r = two_regions["m_r"]
    m_r.coordinator = two_regions["coord_r"]
    m_r.save(update_fields=["coordinator"])
    milestone = services.milestone_add(actor=two_regions["owner_r"], match=m_r, title="Angebot schreiben",
                                       due_on=date(2026, 6, 1))
    before = datetime(2026, 5, 31, 12, tzinfo=tz.utc)
    assert services.milestone_reminders_send(now=before) == 0
    due = datetime(2026, 6, 1, 12, tzinfo=tz.utc)
    assert services.milestone_reminders_send(now=due) == 1
    assert services.milestone_reminders_send(now=due + timedelta(days=1)) == 0
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([two_regions["owner_r"].email, two_regions["coord_r"].email])
    services.milestone_done(actor=two_regions["owner_r"], milestone=milestone)
    assert Milestone.objects.get(pk=milestone.pk).done_at is not None


def test_staff_create_a_match_by_hand_through_the_page(client, two_regions):
    a = make_organisation(kind="startup", region=two_regions["r"], name="Neu Start")
    b = make_organisation(kind="sme", region=two_regions["r"], name="Neu Firma")
    client.force_login(two_regions["coord_r"])
    url = reverse("matching:match_create", args=[two_regions["programme"].slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"organisations": [a.pk, b.pk], "origin": "event_meeting", "idea": "Gemeinsam"})
    assert response.status_code == 302
    match = Match.objects.get(sides__organisation=a)
    assert match.origin == "event_meeting" and match.created_by == two_regions["coord_r"]
    assert client.post(url, {"organisations": [a.pk], "origin": "manual"}).status_code == 400


def test_board_queries_do_not_grow_with_the_matches(client, two_regions, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    team, programme = two_regions["team"], two_regions["programme"]
    client.force_login(team)
    with CaptureQueriesContext(connection) as few:
        assert _board(client, team, programme).status_code == 200
    for n in range(6):
        match = make_match(make_organisation(kind="creative", region=two_regions["r"]),
                           make_organisation(kind="sme", region=two_regions["r"]), programme=programme,
                           stage=MatchStage.KICKOFF)
        services.milestone_add(actor=team, match=match, title=f"Schritt {n}", due_on=date.today())
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert _board(client, team, programme).status_code == 200
