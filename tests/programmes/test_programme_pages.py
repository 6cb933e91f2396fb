"""Programme staff pages (list, create, edit, a programme's page) and peer learning."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from factories import make_coordinator, make_match, make_organisation, make_programme, make_region, make_user

from matchwerk.matching.enums import MatchStage
from matchwerk.programmes.models import PeerSession, PeerSessionMatch, Programme, ProgrammeCoordinator

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return make_user(role="admin")


def _form(region, coordinator, **extra):
    data = {"name": "Kreativ trifft Handwerk", "slug": "kreativ-handwerk", "description": "Drei Regionen.",
            "funder": "Sächsisches Staatsministerium", "funding_reference": "SMWA-2026-17",
            "starts_on": "2026-03-01", "ends_on": "2027-02-28", "budget": "82500.00", "grant_per_match": "2500.00",
            "retention_months": "36", "regions": [region.pk], "pairs": ["creative+sme", "sme+startup"],
            "is_active": "on", f"coordinators_{region.pk}": [coordinator.pk]}
    data.update(extra)
    return data


def test_admin_creates_and_edits_a_programme_with_coordinators_per_region(client, admin):
    region, coordinator = make_region(name="Landkreis Zwickau"), make_coordinator()
    client.force_login(admin)
    assert client.get(reverse("programmes:create")).status_code == 200
    response = client.post(reverse("programmes:create"), _form(region, coordinator))
    assert response.status_code == 302, response.content.decode()[:2000]
    programme = Programme.objects.get(slug="kreativ-handwerk")
    assert programme.budget == Decimal("82500.00") and programme.grant_per_match == Decimal("2500.00")
    assert programme.funder.startswith("Sächsisches") and programme.retention_months == 36
    assert sorted(map(sorted, programme.kind_pairs)) == [["creative", "sme"], ["sme", "startup"]]
    assert list(programme.coordinators.values_list("region_id", "user_id")) == [(region.pk, coordinator.pk)]
    page = client.get(reverse("programmes:detail", args=[programme.slug])).content.decode()
    assert "SMWA-2026-17" in page and "Landkreis Zwickau" in page
    # edit: period wrong way round is refused, then a valid change drops the coordinator
    bad = client.post(reverse("programmes:edit", args=[programme.slug]),
                      _form(region, coordinator, ends_on="2026-01-01"))
    assert bad.status_code == 400
    data = _form(region, coordinator, budget="90000.00")
    data.pop(f"coordinators_{region.pk}")
    assert client.post(reverse("programmes:edit", args=[programme.slug]), data).status_code == 302
    programme.refresh_from_db()
    assert programme.budget == Decimal("90000.00") and not ProgrammeCoordinator.objects.exists()


def test_non_admins_cannot_create_or_edit(client):
    region = make_region()
    programme = make_programme(regions=[region])
    coordinator = make_coordinator(region)
    client.force_login(coordinator)
    assert client.get(reverse("programmes:create")).status_code == 403
    assert client.post(reverse("programmes:edit", args=[programme.slug]), _form(region, coordinator)).status_code == 403
    assert client.get(reverse("programmes:detail", args=[programme.slug])).status_code == 200
    client.force_login(make_coordinator(make_region()))
    assert client.get(reverse("programmes:detail", args=[programme.slug])).status_code == 403
    client.force_login(make_user())
    assert client.get(reverse("programmes:list")).status_code == 403


def test_list_is_scoped(client):
    r, s = make_region(), make_region()
    mine, other = make_programme(regions=[r], name="Meins"), make_programme(regions=[s], name="Fremd")
    client.force_login(make_coordinator(r))
    page = client.get(reverse("programmes:list")).content.decode()
    assert "Meins" in page and "Fremd" not in page
    assert mine and other


def test_peer_session_invites_active_matches_once_and_shares_notes(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    region = make_region()
    programme = make_programme(regions=[region])
    owner, late_owner = make_user(email="aktiv@example.org"), make_user(email="neu@example.org")
    active = make_match(make_organisation(owner=owner, region=region, kind="creative"),
                        make_organisation(region=region), programme=programme, stage=MatchStage.KICKOFF)
    proposed = make_match(make_organisation(owner=late_owner, region=region, kind="creative"),
                          make_organisation(region=region), programme=programme)
    ended = make_match(programme=programme, stage=MatchStage.ENDED)
    coordinator = make_coordinator(region)
    client.force_login(coordinator)
    start = (timezone.now() + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("programmes:peer_session_create", args=[programme.slug]),
                           {"title": "Was haben wir gelernt?", "starts_at": start,
                            "online_url": "https://meet.example.org/peer", "notes": ""})
    assert response.status_code == 302
    session = PeerSession.objects.get()
    mail.outbox.clear()
    client.post(reverse("programmes:peer_session_invite", args=[session.pk]))
    client.post(reverse("programmes:peer_session_invite", args=[session.pk]))  # nobody twice
    assert list(session.invitations.values_list("match_id", flat=True)) == [active.pk]
    assert [m.to for m in mail.outbox] == [["aktiv@example.org"]]
    assert "meet.example.org/peer" in mail.outbox[0].body
    client.post(reverse("programmes:peer_attendance", args=[session.pk]), {"attended": [str(active.pk)]})
    assert PeerSessionMatch.objects.get(match=active).attended is True
    client.post(reverse("programmes:peer_material_add", args=[session.pk]),
                {"title": "Folien", "url": "", "file": SimpleUploadedFile("folien.txt", b"Lernen")})
    client.post(reverse("programmes:peer_session_manage", args=[session.pk]),
                {"title": session.title, "starts_at": start, "online_url": session.online_url,
                 "notes": "Tipp: früh Angebote einholen"})
    # the invited match's member reads notes and material; others get 404
    client.force_login(owner)
    page = client.get(reverse("programmes:peer_session", args=[session.pk])).content.decode()
    assert "früh Angebote einholen" in page and "Folien" in page
    client.force_login(late_owner)
    assert client.get(reverse("programmes:peer_session", args=[session.pk])).status_code == 404
    client.force_login(make_coordinator(make_region()))
    assert client.post(reverse("programmes:peer_session_invite", args=[session.pk])).status_code == 403
    assert proposed and ended


def test_peer_session_needs_a_link_or_a_place(client):
    region = make_region()
    programme = make_programme(regions=[region])
    client.force_login(make_coordinator(region))
    response = client.post(reverse("programmes:peer_session_create", args=[programme.slug]),
                           {"title": "Ohne Ort", "starts_at": "2027-01-10T10:00"})
    assert response.status_code == 400 and not PeerSession.objects.exists()
