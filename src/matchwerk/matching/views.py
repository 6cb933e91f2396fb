"""Participant screens of matching: an organisation's suggestions, my matches, answering an
invitation. The review queue is in ``matching.staff.views``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matchwerk.matching import selectors, services
from matchwerk.matching.models import MatchSide
from matchwerk.matching.reasons import attach_reason_lines
from matchwerk.matching.rules import can_respond_to_match, can_view_suggestions
from matchwerk.profiles.models import Organisation
from matchwerk.profiles.rules import can_view_organisation


@login_required
def organisation_suggestions(request, pk: int):
    organisation = get_object_or_404(Organisation.objects.select_related("region"), pk=pk)
    if not can_view_suggestions.test(request.user, organisation):
        if can_view_organisation.test(request.user, organisation):
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
    next_milestones = {match.pk: match.next_milestone for match in selectors.matches_for_member(user=request.user)}
    for side in sides:
        side.others = [other for other in side.match.sides.all() if other.pk != side.pk]
        side.next_milestone = next_milestones.get(side.match_id)
    return render(request, "matching/my_matches.html", {"sides": sides})


@login_required
@require_POST
def match_respond(request, pk: int):
    side = get_object_or_404(MatchSide.objects.select_related("organisation", "match"), pk=pk)
    if not can_respond_to_match.test(request.user, side):
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
