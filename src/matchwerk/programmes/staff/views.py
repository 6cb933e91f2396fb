"""Staff pages of programmes: list, create, edit, a programme's page (funding, rules, team,
coordinators per region, its matches by stage, peer-learning sessions)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from matchwerk.accounts.rules import is_admin, is_network_staff
from matchwerk.core.staff import staff_view
from matchwerk.matching.enums import MatchStage, stage_flow
from matchwerk.matching.models import Match
from matchwerk.matching.rules import match_scope
from matchwerk.programmes import services
from matchwerk.programmes.forms import ProgrammeForm
from matchwerk.programmes.models import Programme
from matchwerk.programmes.rules import can_manage_peer_sessions, can_manage_programme, can_open_programme


def programmes_listed(user):
    """The programmes a member of staff sees in the list: all for administrators (also
    inactive ones), else the ones she may open."""
    programmes = Programme.objects.all()
    if is_admin.test(user):
        return programmes
    return programmes.filter(pk__in=[p.pk for p in programmes if can_open_programme.test(user, p)])


def programme_for(user, slug: str) -> Programme:
    programme = get_object_or_404(Programme, slug=slug)
    if not can_open_programme.test(user, programme):
        raise PermissionDenied  # programmes are no secret among staff; their pages are scoped
    return programme


@staff_view()
def programme_list(request):
    programmes = programmes_listed(request.user).annotate(match_count=Count("matches")).order_by("-is_active", "name")
    return render(request, "programmes/staff/list.html", {
        "programmes": programmes, "can_create": can_manage_programme.test(request.user)})


def _save(request, programme: Programme | None):
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in form.Meta.fields if field in form.cleaned_data}
        data["kind_pairs"] = form.cleaned_data["pairs"]
        try:
            saved = services.programme_save(
                actor=request.user, programme=programme, data=data, regions=form.cleaned_data["regions"],
                required_topics=form.cleaned_data["required_topics"], team=form.cleaned_data["team"],
                coordinators=form.coordinators_by_region())
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Programm gespeichert."))
            return redirect("programmes:detail", slug=saved.slug)
    return render(request, "programmes/staff/form.html", {"form": form, "programme": programme},
                  status=400 if request.method == "POST" else 200)


@staff_view(can_manage_programme)
def programme_create(request):
    return _save(request, None)


@staff_view(can_manage_programme)
def programme_edit(request, slug: str):
    return _save(request, get_object_or_404(Programme, slug=slug))


@staff_view()
def programme_detail(request, slug: str):
    programme = programme_for(request.user, slug)
    matches = Match.objects.filter(programme=programme)
    if (scope := match_scope(request.user, programme)) is not None:
        matches = matches.filter(pk__in=Match.objects.filter(scope).values("pk"))
    counts = dict(matches.values("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    stages = [(MatchStage(stage).label, counts.get(stage, 0))
              for stage in stage_flow(funded=programme.funds_matches) + [MatchStage.ENDED]]
    return render(request, "programmes/staff/detail.html", {
        "programme": programme, "stages": stages, "total": sum(counts.values()),
        "coordinators": programme.coordinators.select_related("region", "user"),
        "team": programme.team.order_by("full_name"), "regions": programme.regions.all(),
        "topics": programme.required_topics.all(),
        "sessions": programme.peer_sessions.annotate(invited=Count("invitations")),
        "can_edit": can_manage_programme.test(request.user),
        "can_sessions": can_manage_peer_sessions.test(request.user, programme),
        "can_create_match": is_network_staff.test(request.user),
    })
