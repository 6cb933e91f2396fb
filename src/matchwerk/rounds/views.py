"""The participant's pages: my table per round (phone-sized) and my personal card (PDF).

Only a person with a confirmed registration sees them, and only their own seats and the
people at their own tables; everyone else gets 404 (the page does not say whether the
event has a plan).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from matchwerk.core.pdf import pdf_response, render_pdf
from matchwerk.events.models import Event
from matchwerk.rounds import selectors, services
from matchwerk.rounds.enums import PlanKind
from matchwerk.rounds.rules import can_view_own_seats


def _mine(request, pk: int):
    event = get_object_or_404(Event, pk=pk)
    if not can_view_own_seats(request.user, event):
        raise Http404
    registration = selectors.my_registration(request.user, event)
    parts = []
    for kind, label in PlanKind.choices:
        setup = services.round_setup_get(event=event, kind=kind)
        seats = selectors.my_seats(registration, kind, setup)
        if seats is not None:
            parts.append({"kind": kind, "label": label, "setup": setup, "seats": seats,
                          "clock": selectors.clock(setup)})
    return event, registration, parts


@login_required
@require_safe
def my_table(request, pk: int):
    event, registration, parts = _mine(request, pk)
    return render(request, "rounds/my_table.html", {"event": event, "registration": registration, "parts": parts,
                                                    "now": timezone.now()})


@login_required
@require_safe
def my_card(request, pk: int):
    event, registration, parts = _mine(request, pk)
    if not parts:
        raise Http404
    cards = [{"registration": registration, "seats": part["seats"], "kind": part["kind"], "setup": part["setup"]}
             for part in parts]
    content = render_pdf("rounds/pdf/cards.html", {"event": event, "cards": cards}, request)
    return pdf_response(content, f"meine-tische-{event.pk}.pdf", inline=True)
