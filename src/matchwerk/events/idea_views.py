"""Event ideas: the public count and accepted ideas, submitting and revising (signed in),
the staff's review (accept → draft event, ask for changes, decline)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from matchwerk.core.staff import paginate
from matchwerk.core.staff import staff_view as core_staff_view
from matchwerk.events import rules, selectors, services
from matchwerk.events.enums import IdeaStatus
from matchwerk.events.forms import IdeaDecisionForm, IdeaForm
from matchwerk.events.models import EventIdea
from matchwerk.events.staff_views import _apply_errors

review_view = core_staff_view(rules.can_review_ideas)


def ideas_public(request):
    return render(request, "events/ideas.html", {"numbers": selectors.idea_numbers(),
                                                 "ideas": selectors.accepted_ideas()})


@login_required
def idea_create(request):
    form = IdeaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.idea_submit(actor=request.user, topics=form.cleaned_data["topics"], **form.service_fields())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Danke! Ihre Idee ist eingereicht. Sie bekommen eine Mail, sobald das Team "
                                        "entschieden hat."))
            return redirect("events:ideas_mine")
    return render(request, "events/idea_form.html", {"form": form, "idea": None})


@login_required
def idea_edit(request, pk: int):
    idea = get_object_or_404(EventIdea, pk=pk)
    if not rules.can_edit_idea(request.user, idea):
        raise Http404
    form = IdeaForm(request.POST or None, instance=EventIdea.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.idea_update(actor=request.user, idea=idea, topics=form.cleaned_data["topics"],
                                 **form.service_fields())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Ihre Idee ist erneut eingereicht."))
            return redirect("events:ideas_mine")
    return render(request, "events/idea_form.html", {"form": form, "idea": idea})


@login_required
def ideas_mine(request):
    ideas = EventIdea.objects.filter(submitter=request.user).select_related("event").order_by("-created_at")
    return render(request, "events/ideas_mine.html", {"ideas": ideas, "IdeaStatus": IdeaStatus})


@review_view
def staff_ideas(request):
    status = request.GET.get("status", "")
    if status not in IdeaStatus.values:
        status = ""
    page, query = paginate(request, selectors.ideas_for_staff(user=request.user, status=status))
    return render(request, "events/staff/ideas.html", {"page": page, "query": query, "status": status,
                                                       "statuses": IdeaStatus.choices})


@review_view
def staff_idea(request, pk: int):
    idea = get_object_or_404(EventIdea.objects.select_related("region", "submitter", "event"), pk=pk)
    if not rules.can_review_idea(request.user, idea):
        raise PermissionDenied
    form = IdeaDecisionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        action, message = form.cleaned_data["action"], form.cleaned_data["message"]
        try:
            if action == "accept":
                event = services.idea_accept(actor=request.user, idea=idea, message=message, **form.event_fields())
                messages.success(request, _("Angenommen: Der Entwurf der Veranstaltung ist angelegt."))
                return redirect("events:staff_detail", pk=event.pk)
            if action == "changes":
                services.idea_request_changes(actor=request.user, idea=idea, message=message)
                messages.success(request, _("Rückfrage gesendet."))
            else:
                services.idea_decline(actor=request.user, idea=idea, message=message)
                messages.success(request, _("Abgelehnt; die Einreichenden bekommen Ihre Nachricht."))
            return redirect("events:staff_idea", pk=idea.pk)
        except ValidationError as error:
            _apply_errors(form, error)
    return render(request, "events/staff/idea.html", {"idea": idea, "form": form,
                                                      "open": idea.status in (IdeaStatus.SUBMITTED,
                                                                              IdeaStatus.CHANGES_REQUESTED)})
