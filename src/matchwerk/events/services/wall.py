"""The live wall: participants post, staff moderate (before or after the post appears,
per event); hiding a post takes it off every view at once (the projector's next poll)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from matchwerk.core.audit import log_event
from matchwerk.events import rules
from matchwerk.events.enums import WallModeration, WallPostStatus
from matchwerk.events.models import Event
from matchwerk.events.wall_models import WALL_POST_MAX_CHARS, WallPost


def wall_post_create(*, actor, event: Event, text: str) -> WallPost:
    if not rules.can_post_on_wall(actor, event):
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Bitte schreiben Sie einen Beitrag.")})
    if len(text) > WALL_POST_MAX_CHARS:
        raise ValidationError({"text": _("Ein Beitrag hat höchstens %(n)s Zeichen.") % {"n": WALL_POST_MAX_CHARS}})
    at_once = event.wall_moderation == WallModeration.AFTER
    return WallPost.objects.create(
        event=event, author=actor, author_name=actor.get_full_name() or actor.email.split("@")[0], text=text,
        status=WallPostStatus.APPROVED if at_once else WallPostStatus.PENDING)


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
