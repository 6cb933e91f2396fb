"""The live wall: participants post text and photos, staff moderate (before or after the
post appears, per event); hiding a post takes it off every view at once (the projector's
next poll). Photos need the person's photo consent (privacy purpose ``photos``), are
checked by their content like logos (``core.uploads.image_format``) and stored re-encoded
as JPEG without metadata; the projector link lets a projector PC show the wall without a
staff login."""

from __future__ import annotations

import io
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from matchwerk.core.audit import log_event
from matchwerk.events import rules
from matchwerk.events.enums import WallModeration, WallPostStatus
from matchwerk.events.models import Event
from matchwerk.events.wall_models import WALL_POST_MAX_CHARS, WallPost


# Photo formats accepted (as Pillow detects them from the content; no SVG: scripts inside).
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
# Larger pictures are scaled down to this edge (a projector shows ~1920 px); more pixels
# than PHOTO_MAX_PIXELS are refused before decoding (decompression bombs).
PHOTO_EDGE = 1600
PHOTO_MAX_PIXELS = 40_000_000


def has_photo_consent(user) -> bool:
    """The person's decision in force for the privacy purpose ``photos`` is a yes."""
    from matchwerk.privacy.enums import ConsentPurpose
    from matchwerk.privacy.selectors import consents_in_force

    consent = consents_in_force(user=user).get(ConsentPurpose.PHOTOS)
    return bool(consent and consent.granted)


def wall_photo_clean(upload) -> ContentFile:
    """The uploaded photo checked (size, real image of a known format, pixel count) and
    re-encoded as a JPEG of at most PHOTO_EDGE pixels without metadata."""
    from PIL import Image, ImageOps

    from matchwerk.core.uploads import image_format

    limit = settings.WALL_PHOTO_MAX_BYTES
    if upload.size > limit:
        raise ValidationError({"photo": _("Das Foto ist zu groß (%(size)s MB); erlaubt sind höchstens %(max)s MB.")
                               % {"size": round(upload.size / 1024 / 1024, 1), "max": limit // (1024 * 1024)}})
    if image_format(upload) not in PHOTO_FORMATS:
        raise ValidationError({"photo": _("Bitte laden Sie ein Foto im Format JPEG, PNG, WebP oder GIF hoch.")})
    try:
        with Image.open(upload) as image:
            if image.width * image.height > PHOTO_MAX_PIXELS:
                raise ValidationError({"photo": _("Das Foto hat zu viele Bildpunkte.")})
            picture = ImageOps.exif_transpose(image).convert("RGB")
            picture.thumbnail((PHOTO_EDGE, PHOTO_EDGE))
            buffer = io.BytesIO()
            picture.save(buffer, "JPEG", quality=85, optimize=True)  # no EXIF: place and camera stay out
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError({"photo": _("Das Foto lässt sich nicht lesen.")}) from error
    finally:
        upload.seek(0)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def wall_post_create(*, actor, event: Event, text: str, photo=None, people_agree: bool = False) -> WallPost:
    """A post of text, a photo or both. A photo needs the author's photo consent and the
    author's word that the people recognisable on it agree."""
    if not rules.can_post_on_wall(actor, event):
        raise PermissionDenied
    text = (text or "").strip()
    if not text and not photo:
        raise ValidationError({"text": _("Bitte schreiben Sie einen Beitrag.")})
    if len(text) > WALL_POST_MAX_CHARS:
        raise ValidationError({"text": _("Ein Beitrag hat höchstens %(n)s Zeichen.") % {"n": WALL_POST_MAX_CHARS}})
    picture = None
    if photo:
        if not has_photo_consent(actor):
            raise ValidationError({"photo": _("Fotos können Sie posten, wenn Sie der Verwendung von Fotos bei "
                                              "Veranstaltungen zugestimmt haben (Meine Daten und Einwilligungen).")})
        if not people_agree:
            raise ValidationError({"photo": _("Bitte bestätigen Sie, dass die erkennbar abgebildeten Personen "
                                              "mit der Veröffentlichung einverstanden sind.")})
        picture = wall_photo_clean(photo)
    at_once = event.wall_moderation == WallModeration.AFTER
    post = WallPost(event=event, author=actor, author_name=actor.get_full_name() or actor.email.split("@")[0],
                    text=text, status=WallPostStatus.APPROVED if at_once else WallPostStatus.PENDING)
    if picture is not None:
        post.photo.save(picture.name, picture, save=False)
    post.save()
    return post


def wall_photos_remove(*, user) -> int:
    """Remove the person's photos from every wall (the photo consent was withdrawn): the
    files are deleted, a post without text goes with its photo."""
    removed = 0
    for post in WallPost.objects.filter(author=user).exclude(photo=""):
        removed += 1
        if post.text:
            post.photo.delete(save=True)
        else:
            post.delete()  # the file goes with it (signals)
    return removed


def projector_link_set(*, actor, event: Event, active: bool) -> Event:
    """Create (or renew: the old link stops working) or revoke the event's projector link."""
    if not rules.can_moderate_wall(actor, event):
        raise PermissionDenied
    event.projector_token = secrets.token_urlsafe(32) if active else None
    event.save(update_fields=["projector_token", "updated_at"])
    log_event(f"matchwerk.events.projector_link.{'created' if active else 'revoked'}", event, actor=actor)
    return event


def wall_post_moderate(*, actor, post: WallPost, status: str) -> WallPost:
    """Approve (``approved``) or hide (``hidden``) a post."""
    if not rules.can_moderate_wall(actor, post.event):
        raise PermissionDenied
    if status not in (WallPostStatus.APPROVED, WallPostStatus.HIDDEN):
        raise ValidationError(_("Unbekannte Moderationsentscheidung."))
    post.status, post.moderated_at, post.moderated_by = status, timezone.now(), actor
    post.save(update_fields=["status", "moderated_at", "moderated_by"])
    log_event(f"matchwerk.events.wall_post.{'approved' if status == WallPostStatus.APPROVED else 'hidden'}", post,
              actor=actor)
    return post
