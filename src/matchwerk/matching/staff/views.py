"""The review queue on the back office layout: one programme's open suggestions, scoped to
what the reviewer acts for (``matching.rules``); search, filters, a per-organisation view;
accept, reject, snooze (with htmx the card is swapped in place, page and filters stay),
recompute."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matchwerk.core.staff import SlicePage, staff_view
from matchwerk.matching import selectors, services
from matchwerk.matching.enums import Strength
from matchwerk.matching.models import Match, Suggestion
from matchwerk.matching.reasons import attach_reason_lines
from matchwerk.matching.rules import (
    can_recompute_suggestions, can_review_queue, can_review_suggestion, match_scope, suggestion_scope,
)
from matchwerk.matching.tasks import recompute_suggestions
from matchwerk.profiles.enums import OrganisationKind
from matchwerk.profiles.models import Organisation, Region
from matchwerk.profiles.staff.selectors import regions_for_filter
from matchwerk.programmes.rules import programmes_for_staff


def _programme(user, slug: str | None):
    """The programme asked for (404 if unknown or not the user's), else the default one
    or the first one the user reviews, else None. Reading never creates a programme."""
    programmes = programmes_for_staff(user)
    if slug:
        return get_object_or_404(programmes, slug=slug), programmes
    wanted = selectors.programme_for_reading(None)
    if wanted is not None and programmes.filter(pk=wanted.pk).exists():
        return wanted, programmes
    return programmes.first(), programmes


QUEUE_PAGE = 30
QUEUE_PARAMS = ("programm", "region", "art", "staerke", "suche", "organisation", "seite")


def _queue_query(params, *, page: bool = True) -> str:
    """The queue's filters (and page) as a query string, only the known parameters."""
    keep = QueryDict(mutable=True)
    for name in QUEUE_PARAMS:
        value = (params.get(name) or "").strip()[:100]
        if value and (page or name != "seite"):
            keep[name] = value
    return keep.urlencode()


def _queue_url(query: str) -> str:
    return reverse("matching:queue") + (f"?{query}" if query else "")


def _queue_filters(user, params, programme=None) -> dict:
    """The queue's programme and filters from ``params`` (a page's GET, or the query a
    decision posts back); 404 for an unknown region or organisation."""
    programmes = None
    if programme is None:
        programme, programmes = _programme(user, params.get("programm"))
        if programme is not None and not can_review_queue.test(user, programme):
            raise PermissionDenied
    organisation = None
    if (params.get("organisation") or "").isdigit():
        organisation = get_object_or_404(Organisation, pk=int(params["organisation"]))
    page = params.get("seite") or ""
    return {
        "programme": programme, "programmes": programmes,
        "region": get_object_or_404(Region, slug=params["region"]) if params.get("region") else None,
        "kind": params.get("art", "") if params.get("art") in OrganisationKind.values else "",
        "strength": params.get("staerke", "") if params.get("staerke") in Strength.values else "",
        "search": (params.get("suche") or "").strip()[:100], "organisation": organisation,
        "page": int(page) if page.isdigit() and 0 < int(page) < 1_000_000 else 1,
    }


def _queue_rows(user, state: dict):
    """The filtered queue of the state's programme, as the reviewer may see it."""
    return selectors.review_queue(
        programme=state["programme"], region=state["region"], kind=state["kind"], strength=state["strength"],
        search=state["search"], organisation_id=state["organisation"].pk if state["organisation"] else None,
        scope=suggestion_scope(user, state["programme"]))


@staff_view()
def review_queue(request):
    state = _queue_filters(request.user, request.GET)
    programme, number = state["programme"], state["page"]
    rows: list = []
    if programme is not None:
        rows = list(_queue_rows(request.user, state)[(number - 1) * QUEUE_PAGE:number * QUEUE_PAGE + 1])
    has_next, rows = len(rows) > QUEUE_PAGE, attach_reason_lines(rows[:QUEUE_PAGE])
    filters = _queue_query(request.GET, page=False)
    matches = []
    if programme is not None:
        matches = selectors.matches_overview(programme=programme)
        if (scope := match_scope(request.user, programme)) is not None:
            matches = matches.filter(pk__in=Match.objects.filter(scope).values("pk"))
        matches = matches[:50]
    return render(request, "matching/queue.html", {
        **state, "regions": regions_for_filter(user=request.user), "kinds": OrganisationKind.choices,
        "strengths": Strength.choices,
        "queue": rows, "page": SlicePage(number=number, has_next=has_next), "has_next": has_next,
        "filters": filters, "here": _queue_query(request.GET),
        "matches": matches,
        "can_recompute": programme is not None and can_recompute_suggestions.test(request.user, programme),
    })


def _next_card(user, suggestion: Suggestion, query: QueryDict):
    """After a decision the page is one card short: the card that moved up from the next
    page into this one's last place (same filters), or None."""
    state = _queue_filters(user, query, programme=suggestion.programme)
    last = state["page"] * QUEUE_PAGE - 1
    following = list(_queue_rows(user, state)[last:last + 1])
    return attach_reason_lines(following)[0] if following else None


@staff_view()
@require_POST
def review_decide(request, pk: int):
    suggestion = get_object_or_404(Suggestion.objects.select_related("programme", "organisation", "partner"), pk=pk)
    if not can_review_suggestion.test(request.user, suggestion):
        raise PermissionDenied
    action = request.POST.get("action")
    ok, text = False, ""
    try:
        if action == "accept":
            services.suggestion_accept(user=request.user, suggestion=suggestion)
            ok, text = True, _("Vorschlag angenommen: beide Organisationen werden um Zustimmung gebeten.")
        elif action == "reject":
            services.suggestion_reject(user=request.user, suggestion=suggestion,
                                       reason=request.POST.get("reason", ""))
            ok, text = True, _("Vorschlag abgelehnt; dieses Paar wird nicht mehr vorgeschlagen.")
        elif action == "snooze":
            services.suggestion_snooze(user=request.user, suggestion=suggestion,
                                       days=int(request.POST.get("days") or 14))
            ok, text = True, _("Vorschlag zurückgestellt.")
        else:
            text = _("Unbekannte Aktion.")
    except (ValidationError, ValueError) as error:
        text = " ".join(getattr(error, "messages", [str(error)]))
    if request.headers.get("HX-Request"):  # htmx swaps the card: page and filters stay
        query = QueryDict(request.POST.get("zurueck", ""))
        if not ok:
            attach_reason_lines([suggestion])
        return render(request, "matching/_queue_card.html", {
            "suggestion": suggestion, "programme": suggestion.programme, "decided": ok, "text": text,
            "here": _queue_query(query),
            "next_suggestion": _next_card(request.user, suggestion, query) if ok else None,  # fills the gap
        })
    (messages.success if ok else messages.error)(request, text)
    query = QueryDict(request.POST.get("zurueck", ""))
    if "programm" not in query:
        query = query.copy()
        query["programm"] = suggestion.programme.slug
    return redirect(_queue_url(_queue_query(query)))


@staff_view()
@require_POST
def review_recompute(request):
    programme, _programmes = _programme(request.user, request.POST.get("programm"))
    if programme is None or not can_recompute_suggestions.test(request.user, programme):
        raise PermissionDenied
    recompute_suggestions.enqueue(programme_id=programme.pk)
    messages.success(request, _("Die Vorschläge werden im Hintergrund neu berechnet."))
    return redirect(_queue_url(_queue_query({"programm": programme.slug})))
