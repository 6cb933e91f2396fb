"""The match's side of a grant: apply (purpose and cost plan), see the decision and the
payments, submit the proof of use with receipts, download a receipt."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from matchwerk.core.audit import log_event
from matchwerk.core.private_files import private_file_response
from matchwerk.matching.models import Match
from matchwerk.programmes.grants import selectors, services
from matchwerk.programmes.grants.enums import GrantStatus
from matchwerk.programmes.grants.forms import CostLineFormSet, GrantApplicationForm, ProofForm
from matchwerk.programmes.grants.models import Grant, Receipt
from matchwerk.programmes.grants.rules import can_apply_for_grant, can_submit_proof, can_view_grant


def _match_for_member(user, pk: int) -> Match:
    match = get_object_or_404(Match.objects.select_related("programme").prefetch_related("sides__organisation"),
                              pk=pk)
    if not can_apply_for_grant.test(user, match):
        raise Http404  # someone else's match: no existence leak
    return match


@login_required
def grant_apply(request, match_pk: int):
    match = _match_for_member(request.user, match_pk)
    grant = selectors.grant_of_match(match=match)
    if grant is not None and grant.status == GrantStatus.APPROVED:
        return redirect("grants:grant", pk=grant.pk)
    if request.method == "POST":
        form, lines = GrantApplicationForm(request.POST), CostLineFormSet(request.POST, prefix="posten")
        if form.is_valid() and lines.is_valid():
            cost_lines = [(line["description"], line["amount"]) for line in lines.cleaned_data
                          if line.get("description") or line.get("amount") is not None]
            try:
                grant = services.grant_apply(actor=request.user, match=match, purpose=form.cleaned_data["purpose"],
                                             cost_lines=cost_lines)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Ihr Antrag ist eingereicht; die Koordination meldet sich."))
                return redirect("grants:grant", pk=grant.pk)
    else:
        initial_lines = [{"description": line.description, "amount": line.amount}
                         for line in grant.cost_lines.all()] if grant else []
        form = GrantApplicationForm(initial={"purpose": grant.purpose} if grant else None)
        lines = CostLineFormSet(prefix="posten", initial=initial_lines)
    return render(request, "programmes/grants/apply.html", {
        "match": match, "grant": grant, "form": form, "lines": lines,
        "ceiling": selectors.grant_ceiling(match.programme),
    }, status=400 if request.method == "POST" else 200)


def _grant_for(user, pk: int) -> Grant:
    grant = get_object_or_404(Grant.objects.select_related("match", "programme"), pk=pk)
    if not can_view_grant.test(user, grant):
        raise Http404
    return grant


@login_required
@require_GET
def grant_detail(request, pk: int):
    grant = _grant_for(request.user, pk)
    proof = getattr(grant, "proof", None)
    return render(request, "programmes/grants/detail.html", {
        "grant": grant, "proof": proof, "lines": grant.cost_lines.all(), "payments": grant.payments.all(),
        "paid": grant.paid_total(), "may_submit": can_submit_proof.test(request.user, grant),
        "proof_form": ProofForm(initial={"report": proof.report} if proof else None),
    })


@login_required
@require_POST
def proof_submit(request, pk: int):
    grant = _grant_for(request.user, pk)
    if not can_submit_proof.test(request.user, grant):
        raise PermissionDenied
    form = ProofForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.proof_submit(actor=request.user, grant=grant, report=form.cleaned_data["report"],
                                  files=form.cleaned_data["receipts"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Ihr Verwendungsnachweis ist eingereicht."))
            return redirect("grants:grant", pk=grant.pk)
    proof = getattr(grant, "proof", None)
    return render(request, "programmes/grants/detail.html", {
        "grant": grant, "proof": proof, "lines": grant.cost_lines.all(), "payments": grant.payments.all(),
        "paid": grant.paid_total(), "may_submit": True, "proof_form": form,
    }, status=400)


@login_required
@require_GET
def receipt_download(request, pk: int):
    """A receipt, to the match's members and the staff who see the grant; always as an
    attachment with its detected content type. Staff downloads are logged."""
    receipt = get_object_or_404(Receipt.objects.select_related("proof__grant__match"), pk=pk)
    grant = receipt.proof.grant
    if not can_view_grant.test(request.user, grant):
        raise Http404
    if not can_submit_proof.test(request.user, grant):
        log_event("matchwerk.programmes.receipt.viewed", receipt, {"grant": grant.pk}, actor=request.user)
    return private_file_response(receipt.file, filename=receipt.original_name, content_type=receipt.content_type)
