"""Photos on the live wall (only with the photo consent, checked like logos, re-encoded
without metadata, moderated like posts, gone on erasure or withdrawal) and the projector
link that works without a staff login."""

from __future__ import annotations

import io
import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from factories import make_coordinator, make_region, make_user
from PIL import Image

from matchwerk.events import services
from matchwerk.events.enums import WallPostStatus
from matchwerk.events.models import WallPost
from matchwerk.privacy.services import consent_record


def _jpeg(name="foto.jpg", size=(2400, 1200)) -> SimpleUploadedFile:
    """A real JPEG with EXIF (a GPS position would be in there on a phone)."""
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def wall_event(make_event, participant):
    event = make_event(title="Digitalkonferenz Chemnitz", hashtag="#DigiChemnitz")
    services.registration_create(actor=participant, event=event)
    consent_record(user=participant, purpose="photos", granted=True)
    return event


def test_a_photo_is_moderated_like_a_post_and_stored_without_metadata(client, staff, participant, wall_event):
    client.force_login(participant)
    response = client.post(reverse("events:wall", args=[wall_event.pk]),
                           {"text": "", "photo": _jpeg(), "people_agree": "1"}, follow=True)
    assert "sobald das Team ihn freigegeben hat" in response.content.decode()
    post = WallPost.objects.get()
    assert post.status == WallPostStatus.PENDING and post.photo.name.endswith(".jpg")
    with post.photo.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG" and max(image.size) == 1600 and not image.getexif()
    photo = reverse("events:wall_photo", args=[post.pk])
    assert client.get(photo)["Content-Type"] == "image/jpeg"  # the author sees her waiting photo
    other = make_user()
    services.registration_create(actor=other, event=wall_event)
    client.force_login(other)
    assert client.get(photo).status_code == 403  # not approved yet
    services.wall_post_moderate(actor=staff, post=post, status="approved")
    assert client.get(photo).status_code == 200
    assert photo in client.get(reverse("events:wall", args=[wall_event.pk])).content.decode()
    client.force_login(make_user())  # not a participant
    assert client.get(photo).status_code == 403


def test_no_photo_without_consent_or_the_word_of_those_shown(participant, wall_event):
    with pytest.raises(ValidationError, match="erkennbar abgebildeten Personen"):
        services.wall_post_create(actor=participant, event=wall_event, text="", photo=_jpeg())
    consent_record(user=participant, purpose="photos", granted=False)
    with pytest.raises(ValidationError, match="zugestimmt haben"):
        services.wall_post_create(actor=participant, event=wall_event, text="Hallo", photo=_jpeg(), people_agree=True)
    assert not WallPost.objects.exists()


def _stored(settings) -> set:
    root = settings.WALL_PHOTOS_ROOT
    return set(root.rglob("*")) if root.exists() else set()


def test_a_file_that_is_no_image_or_is_50_mb_is_refused_and_nothing_saved(client, participant, wall_event, settings):
    before = _stored(settings)
    client.force_login(participant)
    fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = client.post(reverse("events:wall", args=[wall_event.pk]),
                           {"text": "Mein Foto", "photo": fake, "people_agree": "1"})
    assert "Bitte laden Sie ein Foto im Format JPEG, PNG, WebP oder GIF hoch." in response.content.decode()
    huge = SimpleUploadedFile("gross.jpg", b"\xff\xd8\xff" + bytes(50 * 1024 * 1024), content_type="image/jpeg")
    with pytest.raises(ValidationError, match="Das Foto ist zu groß"):
        services.wall_post_create(actor=participant, event=wall_event, text="", photo=huge, people_agree=True)
    assert not WallPost.objects.exists()
    assert _stored(settings) == before


def test_erasure_and_withdrawn_consent_remove_the_photos(participant, wall_event, settings):
    from matchwerk.accounts import services as account_services

    with_text = services.wall_post_create(actor=participant, event=wall_event, text="Bild und Text",
                                          photo=_jpeg(), people_agree=True)
    only_photo = services.wall_post_create(actor=participant, event=wall_event, text="", photo=_jpeg(),
                                           people_agree=True)
    paths = [with_text.photo.path, only_photo.photo.path]
    consent_record(user=participant, purpose="photos", granted=False)
    with_text.refresh_from_db()
    assert not with_text.photo and with_text.text == "Bild und Text"
    assert not WallPost.objects.filter(pk=only_photo.pk).exists()
    assert not any(os.path.exists(p) for p in paths)
    consent_record(user=participant, purpose="photos", granted=True)
    post = services.wall_post_create(actor=participant, event=wall_event, text="", photo=_jpeg(), people_agree=True)
    path = post.photo.path
    from matchwerk.events.selectors import wall_posts_export

    assert wall_posts_export(participant)[-1]["photo"] is True  # part of the data export
    account_services.user_erase(user=participant)
    assert not WallPost.objects.exists() and not os.path.exists(path)


def test_the_projector_link_works_without_login_until_revoked(client, staff, participant, wall_event):
    post = services.wall_post_create(actor=participant, event=wall_event, text="Grüße vom Stand 4",
                                     photo=_jpeg(), people_agree=True)
    waiting = services.wall_post_create(actor=participant, event=wall_event, text="Noch nicht frei")
    services.wall_post_moderate(actor=staff, post=post, status="approved")
    assert client.get(reverse("events:projector", args=["erraten"])).status_code == 404
    client.force_login(staff)
    client.post(reverse("events:staff_projector_link", args=[wall_event.pk]), {"active": "1"})
    wall_event.refresh_from_db()
    token = wall_event.projector_token
    assert len(token) >= 40
    assert reverse("events:projector", args=[token]) in client.get(
        reverse("events:staff_wall", args=[wall_event.pk])).content.decode()
    client.logout()
    page = client.get(reverse("events:projector", args=[token])).content.decode()
    assert "Grüße vom Stand 4" in page and "Noch nicht frei" not in page and "#DigiChemnitz" in page
    assert reverse("events:projector_posts", args=[token]) in page  # htmx polls the token's fragment
    assert client.get(reverse("events:projector_photo", args=[token, post.pk])).status_code == 200
    assert client.get(reverse("events:projector_photo", args=[token, waiting.pk])).status_code == 404
    services.wall_post_moderate(actor=staff, post=post, status="hidden")
    assert "Grüße vom Stand 4" not in client.get(reverse("events:projector_posts", args=[token])).content.decode()
    services.projector_link_set(actor=staff, event=wall_event, active=True)  # renewed: the old link is dead
    assert client.get(reverse("events:projector", args=[token])).status_code == 404
    wall_event.refresh_from_db()
    services.projector_link_set(actor=staff, event=wall_event, active=False)
    assert client.get(reverse("events:projector_posts", args=[token])).status_code == 404
    wall_event.refresh_from_db()
    assert wall_event.projector_token is None


def test_only_the_events_staff_manage_the_projector_link(client, participant, wall_event):
    outsider = make_coordinator(make_region(name="Vogtland"))
    for actor in (participant, outsider):
        with pytest.raises(PermissionDenied):
            services.projector_link_set(actor=actor, event=wall_event, active=True)
    client.force_login(participant)
    assert client.post(reverse("events:staff_projector_link", args=[wall_event.pk]), {"active": "1"}).status_code == 403
    wall_event.refresh_from_db()
    assert wall_event.projector_token is None
