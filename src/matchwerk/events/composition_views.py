"""Staff pages for the composition of an event (or its series): rules per organisation
kind, the engine's proposal with its reasons and rule check, adjusting it, inviting."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matchwerk.events import rules, selectors
from matchwerk.events.forms import CandidateForm, KindRuleForm, ProposeForm, SeriesForm
from matchwerk.events.models import Candidate, KindRule
from matchwerk.events.services import composition
from matchwerk.events.staff_views import _apply_errors, _editable, _errors, staff_view


@staff_view
def composition_page(request, pk: int):
    event = _editable(request, pk)
    form = KindRuleForm(request.POST or None, prefix="rule")
    if request.method == "POST" and form.is_valid():
        try:
            composition.kind_rule_set(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Regel gespeichert."))
            return redirect("events:staff_composition", pk=pk)
    return render(request, "events/staff/composition.html", {
        "event": event, "rule_form": form, "propose_form": ProposeForm(prefix="propose"),
        "candidate_form": CandidateForm(prefix="candidate", event=event),
        "series_form": SeriesForm(prefix="series", user=request.user, initial={"series": event.series_id}),
        **selectors.composition_of_event(event=event),
    })


@staff_view
@require_POST
def rule_delete(request, pk: int):
    rule = get_object_or_404(KindRule.objects.select_related("event"), pk=pk)
    if not rules.can_edit_event(request.user, rule.event):
        raise PermissionDenied
    composition.kind_rule_delete(actor=request.user, rule=rule)
    messages.success(request, _("Regel entfernt."))
    return redirect("events:staff_composition", pk=rule.event_id)


@staff_view
@require_POST
def propose(request, pk: int):
    event = _editable(request, pk)
    form = ProposeForm(request.POST, prefix="propose")
    form.is_valid()  # two check boxes: always valid
    try:
        outcome = composition.participants_propose(actor=request.user, event=event,
                                                   whole_series=form.cleaned_data.get("whole_series", False),
                                                   allow_repeats=form.cleaned_data.get("allow_repeats", False))
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("%(n)s Organisationen für %(events)s Veranstaltung(en) vorgeschlagen. Prüfen "
                                    "Sie die Regeln unten und passen Sie den Vorschlag an.") % {
            "n": outcome.proposed, "events": outcome.events})
    return redirect("events:staff_composition", pk=pk)


@staff_view
@require_POST
def candidate_add(request, pk: int):
    event = _editable(request, pk)
    form = CandidateForm(request.POST, prefix="candidate", event=event)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie eine Organisation."))
        return redirect("events:staff_composition", pk=pk)
    try:
        composition.candidate_add(actor=request.user, event=event, organisation=form.cleaned_data["organisation"])
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("„%(name)s“ ist im Vorschlag.") % {"name": form.cleaned_data["organisation"]})
    return redirect("events:staff_composition", pk=pk)


@staff_view
@require_POST
def candidate_remove(request, pk: int):
    candidate = get_object_or_404(Candidate.objects.select_related("event", "organisation"), pk=pk)
    if not rules.can_edit_event(request.user, candidate.event):
        raise PermissionDenied
    try:
        composition.candidate_remove(actor=request.user, candidate=candidate)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("„%(name)s“ ist aus dem Vorschlag entfernt.") % {"name": candidate.organisation})
    return redirect("events:staff_composition", pk=candidate.event_id)


@staff_view
@require_POST
def invite(request, pk: int):
    event = _editable(request, pk)
    try:
        count = composition.candidates_invite(actor=request.user, event=event)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("%(n)s Einladungen verschickt.") % {"n": count})
    return redirect("events:staff_composition", pk=pk)


@staff_view
@require_POST
def series_set(request, pk: int):
    event = _editable(request, pk)
    form = SeriesForm(request.POST, prefix="series", user=request.user)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie eine Reihe oder geben Sie einen Titel an."))
        return redirect("events:staff_composition", pk=pk)
    series = composition.event_series_set(actor=request.user, event=event, series=form.cleaned_data["series"],
                                          title=form.cleaned_data["title"])
    messages.success(request, _("Die Veranstaltung gehört jetzt zur Reihe „%(series)s“.") % {"series": series}
                     if series else _("Die Veranstaltung gehört zu keiner Reihe mehr."))
    return redirect("events:staff_composition", pk=pk)
