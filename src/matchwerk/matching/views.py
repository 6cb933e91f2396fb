from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matchwerk import permissions
from matchwerk.matching import selectors, services
from matchwerk.matching.models import MatchSide, Programme, Suggestion
from matchwerk.matching.tasks import recompute_suggestions
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
        "suggestions": selectors.suggestions_for_organisation(organisation=organisation),
    })


@login_required
def my_matches(request):
    return render(request, "matching/my_matches.html", {"sides": selectors.matches_of_user(user=request.user)})


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


def _programme(request) -> Programme:
    slug = request.GET.get("programm") or request.POST.get("programm")
    if slug:
        return get_object_or_404(Programme, slug=slug)
    return services.programme_default()


@login_required
def review_queue(request):
    if not permissions.can_review_suggestions(request.user):
        raise PermissionDenied
    programme = _programme(request)
    region = None
    if request.GET.get("region"):
        region = get_object_or_404(Region, slug=request.GET["region"])
    return render(request, "matching/queue.html", {
        "programme": programme, "programmes": Programme.objects.filter(is_active=True),
        "regions": Region.objects.all(), "region": region,
        "queue": Paginator(selectors.review_queue(programme=programme, region=region), 30).get_page(
            request.GET.get("seite")),
        "matches": selectors.matches_overview(programme=programme)[:50],
    })


@login_required
@require_POST
def review_decide(request, pk: int):
    suggestion = get_object_or_404(Suggestion.objects.select_related("programme"), pk=pk)
    if not permissions.can_review_suggestions(request.user, suggestion.programme):
        raise PermissionDenied
    action = request.POST.get("action")
    try:
        if action == "accept":
            services.suggestion_accept(user=request.user, suggestion=suggestion)
            messages.success(request, _("Vorschlag angenommen: beide Organisationen werden um Zustimmung gebeten."))
        elif action == "reject":
            services.suggestion_reject(user=request.user, suggestion=suggestion,
                                       reason=request.POST.get("reason", ""))
            messages.success(request, _("Vorschlag abgelehnt; dieses Paar wird nicht mehr vorgeschlagen."))
        elif action == "snooze":
            services.suggestion_snooze(user=request.user, suggestion=suggestion,
                                       days=int(request.POST.get("days") or 14))
            messages.success(request, _("Vorschlag zurückgestellt."))
        else:
            messages.error(request, _("Unbekannte Aktion."))
    except (ValidationError, ValueError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect(_queue_url(suggestion.programme))


def _queue_url(programme: Programme) -> str:
    return f"{reverse('matching:queue')}?programm={programme.slug}"


@login_required
@require_POST
def review_recompute(request):
    if not permissions.can_review_suggestions(request.user):
        raise PermissionDenied
    programme = _programme(request)
    recompute_suggestions.enqueue(programme_id=programme.pk)
    messages.success(request, _("Die Vorschläge werden im Hintergrund neu berechnet."))
    return redirect(_queue_url(programme))
