"""The live wall of an event: short posts by participants under the event's hashtag,
moderated by the event's staff before or after they appear (``Event.wall_moderation``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchwerk.core.limits import TextLimitValidator
from matchwerk.events.enums import WallPostStatus

WALL_POST_MAX_CHARS = 280


class WallPost(models.Model):
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="wall_posts",
                              verbose_name=_("Veranstaltung"))
    # SET_NULL: an erased account's posts are deleted by the erasure (events/signals.py);
    # the author's name is copied so that the wall shows it without a join.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="wall_posts", verbose_name=_("verfasst von"))
    author_name = models.CharField(_("Name"), max_length=150)
    text = models.TextField(_("Beitrag"), max_length=WALL_POST_MAX_CHARS,
                            validators=[TextLimitValidator(WALL_POST_MAX_CHARS)])
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
