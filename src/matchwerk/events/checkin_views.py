"""The staff check-in page: phone and laptop, search by name or organisation, a code field
that handheld scanners type into, live counts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matchwerk.core.audit import log_event
from matchwerk.events import selectors, services
from matchwerk.events.staff_views import _editable, staff_view


@staff_view
def checkin(request, pk: int):
    event = _editable(request, pk)
    query = request.GET.get("q", "").strip()[:100]
    results = selectors.checkin_search(event=event, query=query) if query else []
    if query:
        log_event("matchwerk.events.checkin.searched", event, actor=request.user)
    return render(request, "events/staff/checkin.html", {
        "event": event, "query": query, "results": results, "counts": selectors.checkin_counts(event=event),
    })


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
