"""The staff check-in page: phone and laptop, search by name or organisation, a code field
that handheld scanners type into, camera scanning (jsQR from our static files), live counts.

The page's script (``static/matchwerk/events/checkin.js``) keeps the event's valid tickets
(``checkin_tickets``) in the browser and sends every scan through ``checkin_sync``; while
the network is gone it checks the codes against its list, queues the check-ins in
``localStorage`` and sends them when the network returns (docs/events.md, "Check-in")."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from matchwerk.core.audit import log_event
from matchwerk.core.middleware import permissions_policy
from matchwerk.events import selectors, services
from matchwerk.events.staff_views import _editable, staff_view


@staff_view
@permissions_policy(camera=["self"])
def checkin(request, pk: int):
    event = _editable(request, pk)
    query = request.GET.get("q", "").strip()[:100]
    results = selectors.checkin_search(event=event, query=query) if query else []
    if query:
        log_event("matchwerk.events.checkin.searched", event, actor=request.user)
    return render(request, "events/staff/checkin.html", {
        "event": event, "query": query, "results": results, "counts": selectors.checkin_counts(event=event),
        "jsqr_script": settings.JSQR_SCRIPT,
    })


@staff_view
@require_GET
@never_cache
def checkin_tickets(request, pk: int):
    """The event's valid tickets for the door device's offline list (personal data: logged)."""
    event = _editable(request, pk)
    tickets = selectors.checkin_tickets(event=event)
    log_event("matchwerk.events.checkin.tickets_loaded", event, {"count": len(tickets)}, actor=request.user)
    return JsonResponse({"event": event.pk, "loaded_at": timezone.now().isoformat(), "tickets": tickets,
                         "counts": selectors.checkin_counts(event=event)})


@staff_view
@require_POST
def checkin_sync(request, pk: int):
    """Apply the check-ins a door device sends (``{"checkins": [{"code", "at"}, ...]}``)."""
    event = _editable(request, pk)
    try:
        items = json.loads(request.body or b"{}").get("checkins", [])
        results = services.checkins_sync(actor=request.user, event=event, items=items)
    except (ValueError, AttributeError):
        return JsonResponse({"error": _("Die Check-ins konnten nicht gelesen werden.")}, status=400)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse({"results": results, "counts": selectors.checkin_counts(event=event)})


@staff_view
@require_POST
def checkin_do(request, pk: int):
    event = _editable(request, pk)
    registration_id = request.POST.get("registration")
    try:
        result = services.registration_check_in(
            actor=request.user, event=event, code=request.POST.get("code", ""),
            registration_id=int(registration_id) if registration_id and registration_id.isdigit() else None)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        registration = result.registration
        if result.already:
            messages.warning(request, _("%(name)s ist bereits eingecheckt (um %(time)s). Nichts geändert.") % {
                "name": registration.name, "time": timezone.localtime(registration.checked_in_at).strftime("%H:%M")})
        else:
            messages.success(request, _("%(name)s ist eingecheckt.") % {"name": registration.name})
    url = reverse("events:staff_checkin", args=[event.pk])
    query = request.POST.get("q", "").strip()
    return redirect(f"{url}?q={query}" if query else url)
