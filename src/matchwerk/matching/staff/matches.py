"""Staff pages of matches: the coordinators' caseload board (stages as columns, a form
per card to move it — no JavaScript needed), moving a stage, creating a match by hand,
editing a match's coordinator."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from matchwerk.accounts.enums import Role
from matchwerk.accounts.models import User
from matchwerk.core.staff import staff_view
from matchwerk.matching import selectors, services
from matchwerk.matching.enums import MatchOrigin, MatchStage, stage_flow, stage_targets
from matchwerk.matching.models import Match
from matchwerk.matching.rules import can_change_match, match_scope
from matchwerk.profiles.models import Organisation, Region
from matchwerk.profiles.staff.selectors import regions_for_filter
from matchwerk.programmes.models import Programme
from matchwerk.programmes.rules import can_open_programme, programmes_for_staff


def board_programmes(user):
    """Programmes whose board the user opens: those of the review queue and those that
    name her as a coordinator of a region."""
    ids = set(programmes_for_staff(user).values_list("pk", flat=True))
    ids |= set(Programme.objects.filter(coordinators__user=user, is_active=True).values_list("pk", flat=True))
    return Programme.objects.filter(pk__in=ids).order_by("name")


def _back(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


@staff_view()
def caseload(request):
    programmes = board_programmes(request.user)
    slug = request.GET.get("programm")
    programme = get_object_or_404(programmes, slug=slug) if slug else programmes.first()
    region = get_object_or_404(Region, slug=request.GET["region"]) if request.GET.get("region") else None
    who = request.GET.get("koordination", "")
    coordinator = request.user if who == "ich" else (
        get_object_or_404(User, pk=int(who)) if who.isdigit() else None)
    search = request.GET.get("suche", "").strip()[:100]
    overdue_only = request.GET.get("dringend") == "1"
    columns, total = [], 0
    if programme is not None:
        matches = selectors.caseload(programme=programme, scope=match_scope(request.user, programme), region=region,
                                     coordinator=coordinator, search=search, overdue_only=overdue_only)
        total = len(matches)
        funded = programme.funds_matches
        for stage in stage_flow(funded=funded):
            cards = [m for m in matches if m.stage == stage]
            for card in cards:
                card.targets = [(t, MatchStage(t).label) for t in stage_targets(stage, funded=funded)]
            columns.append({"stage": stage, "label": MatchStage(stage).label, "cards": cards})
    coordinators = User.objects.filter(is_active=True, role=Role.COORDINATOR).order_by("full_name")
    return render(request, "matching/staff/caseload.html", {
        "programme": programme, "programmes": programmes, "columns": columns, "total": total,
        "regions": regions_for_filter(user=request.user), "region": region, "who": who,
        "coordinators": coordinators, "search": search, "overdue_only": overdue_only,
        "here": request.get_full_path(),
    })


@staff_view()
@require_POST
def stage_change(request, pk: int):
    match = get_object_or_404(Match.objects.select_related("programme"), pk=pk)
    if not can_change_match.test(request.user, match):
        raise PermissionDenied
    stage = request.POST.get("stage", "")
    try:
        services.match_stage_change(actor=request.user, match=match, stage=stage,
                                    note=request.POST.get("note", ""), reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(match)s ist jetzt: %(stage)s.") % {"match": match,
                                                                           "stage": MatchStage(stage).label})
    return redirect(_back(request, reverse("matching:match_detail", args=[match.pk])))


class MatchCreateForm(forms.Form):
    organisations = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Organisationen"), queryset=Organisation.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=gettext_lazy("Zwei oder mehr Organisationen (Strg/⌘ für mehrere)."))
    origin = forms.ChoiceField(label=gettext_lazy("Herkunft"), choices=[
        (MatchOrigin.MANUAL, MatchOrigin.MANUAL.label), (MatchOrigin.EVENT_MEETING, MatchOrigin.EVENT_MEETING.label)])
    idea = forms.CharField(label=gettext_lazy("Idee und Ziel"), required=False, max_length=3000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.select_related("region").order_by("name")
        region_ids = list(programme.regions.values_list("pk", flat=True))
        if region_ids:
            organisations = organisations.filter(region_id__in=region_ids)
        self.fields["organisations"].queryset = organisations
        self.fields["organisations"].label_from_instance = lambda o: f"{o.name} ({o.get_kind_display()}, {o.region})"


@staff_view()
def match_create(request, slug: str):
    programme = get_object_or_404(Programme, slug=slug)
    if not can_open_programme.test(request.user, programme):
        raise PermissionDenied
    form = MatchCreateForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            match = services.match_create(actor=request.user, programme=programme,
                                          organisations=list(form.cleaned_data["organisations"]),
                                          origin=form.cleaned_data["origin"], idea=form.cleaned_data["idea"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Match angelegt."))
            return redirect("matching:match_detail", pk=match.pk)
    return render(request, "matching/staff/match_form.html", {"form": form, "programme": programme},
                  status=400 if request.method == "POST" else 200)


@staff_view()
@require_POST
def match_coordinator(request, pk: int):
    match = get_object_or_404(Match.objects.select_related("programme"), pk=pk)
    if not can_change_match.test(request.user, match):
        raise PermissionDenied
    value = request.POST.get("coordinator", "")
    coordinator = get_object_or_404(User, pk=int(value)) if value.isdigit() else None
    try:
        services.match_update(actor=request.user, match=match, coordinator=coordinator)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Koordination gespeichert."))
    return redirect("matching:match_detail", pk=match.pk)
