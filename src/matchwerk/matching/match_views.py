"""A match's own page, for its members and its staff: stage and its dates, idea, next
milestone, milestones, the journal (staff-only notes only for staff), follow-up answers;
writing to the journal, adding and ticking off milestones. And the follow-up form behind
the signed link of the check-in mail (no login)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from matchwerk.accounts.enums import Role
from matchwerk.accounts.models import User
from matchwerk.matching import services
from matchwerk.matching.enums import MatchStage, stage_targets
from matchwerk.matching.models import FollowUp, JournalEntry, Match, Milestone
from matchwerk.matching.rules import can_change_match, can_open_match, can_write_journal
from matchwerk.matching.services.followups import followup_from_token


def _match(user, pk: int) -> Match:
    match = get_object_or_404(Match.objects.select_related("programme", "coordinator"), pk=pk)
    if not can_open_match.test(user, match):
        raise Http404  # no existence leak
    return match


@login_required
@require_GET
def match_detail(request, pk: int):
    match = _match(request.user, pk)
    staff = can_change_match.test(request.user, match)
    journal = match.journal.select_related("author")
    if not staff:
        journal = journal.filter(visibility=JournalEntry.Visibility.MATCH)
    milestones = list(match.milestones.all())
    followups = []
    if staff:
        followups = list(FollowUp.objects.filter(match=match).prefetch_related("answers__person",
                                                                                "answers__organisation"))
        members = services.match_members(match) if followups else []
        for followup in followups:  # who was asked and has not answered (the coordinator follows up)
            answered = {answer.person_id for answer in followup.answers.all()}
            followup.missing = [m["name"] for m in members if m["person"].pk not in answered] \
                if followup.kind == FollowUp.Kind.CHECKIN and not followup.skipped else []
    context = {
        "match": match, "staff": staff, "sides": match.sides.select_related("organisation", "organisation__region"),
        "changes": match.stage_changes.select_related("changed_by"), "journal": journal[:200],
        "milestones": milestones, "next_milestone": next((m for m in milestones if m.done_at is None), None),
        "followups": followups, "today": date.today(), "visibilities": JournalEntry.Visibility.choices,
        "targets": [(t, MatchStage(t).label) for t in stage_targets(match.stage, funded=match.programme.funds_matches)]
        if staff else [],
        "coordinators": User.objects.filter(is_active=True, role=Role.COORDINATOR).order_by("full_name")
        if staff else [],
    }
    return render(request, "matching/match_detail.html", context)


@login_required
@require_POST
def journal_add(request, pk: int):
    match = _match(request.user, pk)
    if not can_write_journal.test(request.user, match):
        raise PermissionDenied
    visibility = request.POST.get("visibility", JournalEntry.Visibility.MATCH)
    if visibility not in JournalEntry.Visibility.values or not can_change_match.test(request.user, match):
        visibility = JournalEntry.Visibility.MATCH  # members write what the match sees
    try:
        services.journal_entry_add(actor=request.user, match=match, text=request.POST.get("text", ""),
                                   visibility=visibility)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Eintrag gespeichert."))
    return redirect("matching:match_detail", pk=match.pk)


@login_required
@require_POST
def idea_write(request, pk: int):
    match = _match(request.user, pk)
    if not can_write_journal.test(request.user, match):
        raise PermissionDenied
    try:
        services.match_idea_write(actor=request.user, match=match, idea=request.POST.get("idea", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Idee und Ziel gespeichert."))
    return redirect("matching:match_detail", pk=match.pk)


@login_required
@require_POST
def milestone_add(request, pk: int):
    match = _match(request.user, pk)
    if not can_write_journal.test(request.user, match):
        raise PermissionDenied
    try:
        due_on = date.fromisoformat(request.POST.get("due_on", ""))
        services.milestone_add(actor=request.user, match=match, title=request.POST.get("title", ""), due_on=due_on)
    except ValueError:
        messages.error(request, _("Bitte ein gültiges Datum angeben."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Meilenstein angelegt."))
    return redirect("matching:match_detail", pk=match.pk)


@login_required
@require_POST
def milestone_done(request, pk: int):
    milestone = get_object_or_404(Milestone.objects.select_related("match"), pk=pk)
    match = _match(request.user, milestone.match_id)
    if not can_write_journal.test(request.user, match):
        raise PermissionDenied
    services.milestone_done(actor=request.user, milestone=milestone, done=request.POST.get("done") != "0")
    return redirect("matching:match_detail", pk=match.pk)


def followup_answer(request, token: str):
    """The short form of a check-in mail: no login, the signed link is the key."""
    try:
        followup, person_id = followup_from_token(token)
    except ValidationError:
        return render(request, "matching/followup_invalid.html", status=400)
    answered, error = False, ""
    if request.method == "POST":
        choice = request.POST.get("still_cooperating")
        if choice not in ("yes", "no"):
            error = _("Bitte wählen Sie „Ja“ oder „Nein“.")
        else:
            try:
                services.followup_answer(token=token, still_cooperating=choice == "yes",
                                         outcome=request.POST.get("outcome", "")[:5000])
            except ValidationError:
                return render(request, "matching/followup_invalid.html", status=400)
            answered = True
    return render(request, "matching/followup_form.html", {
        "followup": followup, "match": followup.match, "answered": answered, "error": error,
    }, status=400 if error else 200)
