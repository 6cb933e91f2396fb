"""The live wall of an event: short posts by participants under the event's hashtag,
moderated by the event's staff before or after they appear (``Event.wall_moderation``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchwerk.core.limits import TextLimitValidator
from matchwerk.core.private_files import PrivateStorage
from matchwerk.events.enums import WallPostStatus

WALL_POST_MAX_CHARS = 280


def wall_photo_storage():
    """Wall photos live in ``settings.WALL_PHOTOS_ROOT``, outside MEDIA_ROOT: they have no
    URL and leave the server only through the wall's permission-checked views."""
    return PrivateStorage("WALL_PHOTOS_ROOT")


class WallPost(models.Model):
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="wall_posts",
                              verbose_name=_("Veranstaltung"))
    # SET_NULL: an erased account's posts are deleted by the erasure (events/signals.py);
    # the author's name is copied so that the wall shows it without a join.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="wall_posts", verbose_name=_("verfasst von"))
    author_name = models.CharField(_("Name"), max_length=150)
    text = models.TextField(_("Beitrag"), max_length=WALL_POST_MAX_CHARS, blank=True,
                            validators=[TextLimitValidator(WALL_POST_MAX_CHARS)])
    # A JPEG re-encoded from the upload (no metadata such as the place it was taken).
    photo = models.FileField(_("Foto"), upload_to="%Y/%m/", storage=wall_photo_storage, blank=True)
    status = models.CharField(_("Status"), max_length=10, choices=WallPostStatus.choices,
                              default=WallPostStatus.PENDING)
    created_at = models.DateTimeField(_("verfasst am"), default=timezone.now)
    moderated_at = models.DateTimeField(_("moderiert am"), null=True, blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("moderiert von"))

    class Meta:
        verbose_name = _("Beitrag an der Wand")
        verbose_name_plural = _("Beiträge an der Wand")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.text[:40]}"
