"""The live wall: the participants' page (read and post), the staff's moderation page and
the projector page, which polls a fragment with htmx (our static htmx) every few seconds."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from matchwerk.events import rules, selectors, services
from matchwerk.events.enums import EventStatus, WallModeration, WallPostStatus
from matchwerk.events.models import Event
from matchwerk.events.services.wall import has_photo_consent
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
            post = services.wall_post_create(actor=request.user, event=event, text=request.POST.get("text", ""),
                                             photo=request.FILES.get("photo"),
                                             people_agree=request.POST.get("people_agree") == "1")
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
        "photo_consent": has_photo_consent(request.user), "photo_max_mb": settings.WALL_PHOTO_MAX_BYTES // 2**20,
        "moderated_before": event.wall_moderation == WallModeration.BEFORE,
    })


@staff_view
def moderation(request, pk: int):
    event = _editable(request, pk)
    return render(request, "events/wall/moderation.html", {
        "event": event, "posts": selectors.wall_posts_for_staff(event=event),
        "projector_url": request.build_absolute_uri(reverse("events:projector", args=[event.projector_token]))
        if event.projector_token else "",
    })


@staff_view
@require_POST
def projector_link(request, pk: int):
    """Create or renew (``active=1``) or revoke the event's projector link."""
    event = _editable(request, pk)
    if not rules.can_moderate_wall(request.user, event):
        raise PermissionDenied
    active = request.POST.get("active") == "1"
    services.projector_link_set(actor=request.user, event=event, active=active)
    messages.success(request, _("Neuer Leinwand-Link angelegt; ein früherer Link gilt nicht mehr.") if active
                     else _("Leinwand-Link widerrufen: Er zeigt nichts mehr."))
    return redirect("events:staff_wall", pk=pk)


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


def _projector_context(event: Event, token: str = "") -> dict:
    return {"event": event, "posts": selectors.wall_posts(event=event, limit=12),
            "sessions": selectors.next_sessions(event=event), "poll_seconds": POLL_SECONDS, "token": token}


def _photo_response(post: WallPost) -> FileResponse:
    """A wall photo inline (an ``<img>``), never sniffed, kept in no shared cache."""
    if not post.photo:
        raise Http404
    response = FileResponse(post.photo.open("rb"), content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_GET
def wall_photo(request, pk: int):
    """A post's photo: approved ones to whoever may read the wall; waiting or hidden ones to
    the author and the event's staff only."""
    post = get_object_or_404(WallPost.objects.select_related("event"), pk=pk)
    visible = rules.can_moderate_wall(request.user, post.event) or post.author_id == request.user.pk or (
        post.status == WallPostStatus.APPROVED and rules.can_view_wall(request.user, post.event))
    if not visible:
        raise PermissionDenied
    return _photo_response(post)


def _event_by_token(token: str) -> Event:
    """The published event whose projector link this is (404 for a wrong or revoked one)."""
    if not token or len(token) > 64:
        raise Http404
    return get_object_or_404(Event, projector_token=token, status=EventStatus.PUBLISHED)


@require_GET
def projector_public(request, token: str):
    event = _event_by_token(token)
    return render(request, "events/wall/projector.html", _projector_context(event, token))


@require_GET
@never_cache
def projector_public_posts(request, token: str):
    event = _event_by_token(token)
    return render(request, "events/wall/_projector_posts.html", _projector_context(event, token))


@require_GET
def projector_public_photo(request, token: str, pk: int):
    event = _event_by_token(token)
    post = get_object_or_404(WallPost, pk=pk, event=event, status=WallPostStatus.APPROVED)
    return _photo_response(post)


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
