"""The live wall: the participants' page (read and post), the staff's moderation page and
the projector page, which polls a fragment with htmx (our static htmx) every few seconds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from matchwerk.events import rules, selectors, services
from matchwerk.events.enums import WallModeration, WallPostStatus
from matchwerk.events.models import Event
from matchwerk.events.staff_views import _editable, staff_view
from matchwerk.events.wall_models import WALL_POST_MAX_CHARS, WallPost

# The projector asks for new posts this often.
POLL_SECONDS = 5


@login_required
def wall(request, pk: int):
    event = get_object_or_404(Event, pk=pk)
    if not rules.can_view_wall(request.user, event):
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        try:
            post = services.wall_post_create(actor=request.user, event=event, text=request.POST.get("text", ""))
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(request, _("Ihr Beitrag ist an der Wand.") if post.status == WallPostStatus.APPROVED
                             else _("Danke! Ihr Beitrag erscheint, sobald das Team ihn freigegeben hat."))
            return redirect("events:wall", pk=pk)
    mine = event.wall_posts.filter(author=request.user, status=WallPostStatus.PENDING)
    return render(request, "events/wall/wall.html", {
        "event": event, "posts": selectors.wall_posts(event=event), "pending_mine": mine, "error": error,
        "max_chars": WALL_POST_MAX_CHARS, "text": request.POST.get("text", "") if error else "",
        "can_post": rules.can_post_on_wall(request.user, event),
        "moderated_before": event.wall_moderation == WallModeration.BEFORE,
    })


@staff_view
def moderation(request, pk: int):
    event = _editable(request, pk)
    return render(request, "events/wall/moderation.html", {
        "event": event, "posts": selectors.wall_posts_for_staff(event=event),
    })


@staff_view
@require_POST
def moderate(request, pk: int):
    post = get_object_or_404(WallPost.objects.select_related("event"), pk=pk)
    if not rules.can_moderate_wall(request.user, post.event):
        raise PermissionDenied
    try:
        services.wall_post_moderate(actor=request.user, post=post, status=request.POST.get("status", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Beitrag freigegeben.") if post.status == WallPostStatus.APPROVED
                         else _("Beitrag ausgeblendet: Er ist überall sofort verschwunden."))
    return redirect("events:staff_wall", pk=post.event_id)


def _projector_context(event: Event) -> dict:
    return {"event": event, "posts": selectors.wall_posts(event=event, limit=12),
            "sessions": selectors.next_sessions(event=event), "poll_seconds": POLL_SECONDS}


@staff_view
@require_GET
def projector(request, pk: int):
    event = _editable(request, pk)
    return render(request, "events/wall/projector.html", _projector_context(event))


@staff_view
@require_GET
@never_cache
def projector_posts(request, pk: int):
    event = _editable(request, pk)
    return render(request, "events/wall/_projector_posts.html", _projector_context(event))
