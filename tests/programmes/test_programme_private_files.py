"""Private files of programmes: peer-learning material and grant receipts are kept outside
MEDIA_ROOT, have no URL, and go out only through views that check the object-level rule
(participants of the invited matches / the grant's match and their staff), as attachments
that are never cached."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from factories import make_coordinator, make_match, make_organisation, make_programme, make_region, make_user

from matchwerk.matching.enums import MatchStage
from matchwerk.programmes import services
from matchwerk.programmes.models import PeerMaterial, PeerSession, PeerSessionMatch

pytestmark = pytest.mark.django_db


@pytest.fixture
def peer_world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PEER_MATERIAL_ROOT = tmp_path / "private"
    region = make_region()
    programme = make_programme(regions=[region])
    member = make_user()
    match = make_match(make_organisation(owner=member, kind="creative", region=region),
                       make_organisation(region=region), programme=programme, stage=MatchStage.KICKOFF)
    coordinator = make_coordinator(region)
    session = PeerSession.objects.create(programme=programme, title="Lernen", starts_at=timezone.now(),
                                         place="Zwickau")
    PeerSessionMatch.objects.create(session=session, match=match)
    material = services.peer_material_add(actor=coordinator, session=session, title="Folien",
                                          file=SimpleUploadedFile("../Folien Q1.pdf", b"%PDF-1.4 geheim"))
    # a participant of another programme's match, and a coordinator of another region
    other_region = make_region()
    outsider = make_user()
    make_match(make_organisation(owner=outsider, kind="creative", region=other_region),
               make_organisation(region=other_region), programme=make_programme(regions=[other_region]),
               stage=MatchStage.KICKOFF)
    return {"material": material, "session": session, "member": member, "coordinator": coordinator,
            "outsider": outsider, "other_coordinator": make_coordinator(other_region), "tmp": tmp_path}


def test_material_is_stored_privately_and_has_no_media_url(peer_world):
    material = peer_world["material"]
    path = Path(material.file.path)
    assert path.is_relative_to(peer_world["tmp"] / "private") and path.read_bytes() == b"%PDF-1.4 geheim"
    assert not (peer_world["tmp"] / "media").exists()
    assert material.filename == "Folien_Q1.pdf"  # no path parts from the browser
    with pytest.raises(ValueError):
        material.file.url  # noqa: B018 - a private file has no URL


def test_participants_and_staff_download_material_as_uncached_attachment(client, peer_world):
    url = reverse("programmes:peer_material", args=[peer_world["material"].pk])
    for user in (peer_world["member"], peer_world["coordinator"]):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 geheim"
        assert response["Content-Disposition"].startswith("attachment") and "Folien_Q1.pdf" in \
            response["Content-Disposition"]
        assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
    # the session's pages link the checked view, never a MEDIA URL
    for name in ("programmes:peer_session", "programmes:peer_session_manage"):
        page = client.get(reverse(name, args=[peer_world["session"].pk])).content.decode()
        assert url in page and "/media/" not in page


def test_material_is_denied_to_everyone_else(client, peer_world):
    url = reverse("programmes:peer_material", args=[peer_world["material"].pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    for user in (peer_world["outsider"], peer_world["other_coordinator"], make_user()):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.get(reverse("programmes:peer_session", args=[peer_world["session"].pk])).status_code == 404
    # a link without a file is no download; POST is refused
    link = services.peer_material_add(actor=peer_world["coordinator"], session=peer_world["session"],
                                      title="Link", url="https://example.org/folien")
    client.force_login(peer_world["coordinator"])
    assert client.get(reverse("programmes:peer_material", args=[link.pk])).status_code == 404
    assert client.post(url).status_code == 405


def test_material_too_large_is_refused_and_nothing_is_kept(peer_world, settings):
    settings.PEER_MATERIAL_MAX_BYTES = 10
    with pytest.raises(ValidationError):
        services.peer_material_add(actor=peer_world["coordinator"], session=peer_world["session"], title="Groß",
                                   file=SimpleUploadedFile("gross.pdf", b"x" * 11))
    assert PeerMaterial.objects.count() == 1


def test_html_material_is_sent_as_plain_download(client, peer_world):
    material = services.peer_material_add(actor=peer_world["coordinator"], session=peer_world["session"],
                                          title="Seite", file=SimpleUploadedFile("seite.html", b"<script>x</script>"))
    client.force_login(peer_world["member"])
    response = client.get(reverse("programmes:peer_material", args=[material.pk]))
    assert response["Content-Type"] == "application/octet-stream"


def test_receipts_are_denied_to_others(client, settings, tmp_path):
    from decimal import Decimal

    from django.core.files.base import ContentFile
    from programme_world import grant_world

    from matchwerk.programmes.grants.enums import GrantStatus
    from matchwerk.programmes.grants.models import Grant, ProofOfUse, Receipt

    settings.RECEIPTS_ROOT = tmp_path
    world = grant_world()
    grant = Grant.objects.create(programme=world.programme, match=world.match, purpose="Regal",
                                 amount_requested=Decimal("1000.00"), amount_approved=Decimal("1000.00"),
                                 status=GrantStatus.APPROVED)
    receipt = Receipt(proof=ProofOfUse.objects.create(grant=grant, report="Bericht"), original_name="beleg.pdf",
                      content_type="application/pdf", size=9)
    receipt.file.save("beleg.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    receipt.save()
    url = reverse("grants:receipt", args=[receipt.pk])
    assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    far = make_coordinator(make_region())
    for user in (world.outsider, world.other_coordinator, far):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(world.member)
    response = client.get(url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    with pytest.raises(ValueError):
        receipt.file.url  # noqa: B018
