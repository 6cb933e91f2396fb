from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matchwerk import permissions
from matchwerk.matching import selectors, services
from matchwerk.matching.enums import Strength
from matchwerk.matching.models import MatchSide, Programme, Suggestion
from matchwerk.matching.reasons import attach_reason_lines
from matchwerk.matching.tasks import recompute_suggestions
from matchwerk.profiles.enums import OrganisationKind
from matchwerk.profiles.models import Organisation, Region


@login_required
def organisation_suggestions(request, pk: int):
    organisation = get_object_or_404(Organisation.objects.select_related("region"), pk=pk)
    if not permissions.can_view_suggestions(request.user, organisation):
        if permissions.can_view_organisation(request.user, organisation):
            raise PermissionDenied
        raise Http404
    return render(request, "matching/suggestions.html", {
        "organisation": organisation,
        "suggestions": attach_reason_lines(selectors.suggestions_for_organisation(organisation=organisation)),
    })


@login_required
def my_matches(request):
    sides = list(selectors.matches_of_user(user=request.user))
    attach_reason_lines([side.match for side in sides])
    for side in sides:
        side.others = [other for other in side.match.sides.all() if other.pk != side.pk]
    return render(request, "matching/my_matches.html", {"sides": sides})


@login_required
@require_POST
def match_respond(request, pk: int):
    side = get_object_or_404(MatchSide.objects.select_related("organisation", "match"), pk=pk)
    if not permissions.can_respond_to_match(request.user, side):
        raise PermissionDenied
    accept = request.POST.get("answer") == "accept"
    try:
        match = services.match_respond(user=request.user, side=side, accept=accept)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if match.status == "active":
            messages.success(request, _("Beide Seiten haben zugestimmt – das Match steht."))
        elif accept:
            messages.success(request, _("Danke! Wir warten noch auf die Zustimmung der anderen Seite."))
        else:
            messages.success(request, _("Sie haben das Match abgelehnt."))
    return redirect("matching:my_matches")


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


@login_required
def review_queue(request):
    if not permissions.can_review_suggestions(request.user):
        raise PermissionDenied
    slug = request.GET.get("programm")
    programme = selectors.programme_for_reading(slug)
    if slug and programme is None:
        raise Http404
    region = get_object_or_404(Region, slug=request.GET["region"]) if request.GET.get("region") else None
    kind = request.GET.get("art", "") if request.GET.get("art") in OrganisationKind.values else ""
    strength = request.GET.get("staerke", "") if request.GET.get("staerke") in Strength.values else ""
    search = request.GET.get("suche", "").strip()[:100]
    organisation = None
    if request.GET.get("organisation", "").isdigit():
        organisation = get_object_or_404(Organisation, pk=int(request.GET["organisation"]))
    page = int(request.GET["seite"]) if request.GET.get("seite", "").isdigit() and int(request.GET["seite"]) > 0 \
        else 1
    rows: list = []
    if programme is not None:
        queue = selectors.review_queue(programme=programme, region=region, kind=kind, strength=strength,
                                       search=search, organisation_id=organisation.pk if organisation else None)
        rows = list(queue[(page - 1) * QUEUE_PAGE:page * QUEUE_PAGE + 1])
    has_next, rows = len(rows) > QUEUE_PAGE, attach_reason_lines(rows[:QUEUE_PAGE])
    filters = _queue_query(request.GET, page=False)
    return render(request, "matching/queue.html", {
        "programme": programme, "programmes": Programme.objects.filter(is_active=True),
        "regions": Region.objects.all(), "region": region, "kinds": OrganisationKind.choices, "kind": kind,
        "strengths": Strength.choices, "strength": strength, "search": search, "organisation": organisation,
        "queue": rows, "page": page, "has_next": has_next, "filters": filters,
        "here": _queue_query(request.GET),
        "matches": selectors.matches_overview(programme=programme)[:50] if programme else [],
    })


@login_required
@require_POST
def review_decide(request, pk: int):
    suggestion = get_object_or_404(Suggestion.objects.select_related("programme", "organisation", "partner"), pk=pk)
    if not permissions.can_review_suggestions(request.user, suggestion.programme):
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
        if not ok:
            attach_reason_lines([suggestion])
        return render(request, "matching/_queue_card.html", {
            "suggestion": suggestion, "programme": suggestion.programme, "decided": ok, "text": text,
            "here": _queue_query(QueryDict(request.POST.get("zurueck", ""))),
        })
    (messages.success if ok else messages.error)(request, text)
    query = QueryDict(request.POST.get("zurueck", ""))
    if "programm" not in query:
        query = query.copy()
        query["programm"] = suggestion.programme.slug
    return redirect(_queue_url(_queue_query(query)))


@login_required
@require_POST
def review_recompute(request):
    if not permissions.can_review_suggestions(request.user):
        raise PermissionDenied
    slug = request.POST.get("programm")
    programme = get_object_or_404(Programme, slug=slug) if slug else services.programme_default()
    recompute_suggestions.enqueue(programme_id=programme.pk)
    messages.success(request, _("Die Vorschläge werden im Hintergrund neu berechnet."))
    return redirect(_queue_url(_queue_query({"programm": programme.slug})))
