"""The coordinator's side of grants on the back office layout: programmes with their
budget, a programme's grants, one grant with its decision, payments and proof of use."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from matchwerk.core.staff import paginate, staff_view
from matchwerk.matching.rules import match_scope
from matchwerk.programmes.grants import selectors, services
from matchwerk.programmes.grants.enums import GrantStatus
from matchwerk.programmes.grants.forms import ApproveForm, PaymentForm, ProofCheckForm, RequestChangesForm
from matchwerk.programmes.grants.models import Grant
from matchwerk.programmes.grants.rules import can_decide_grant, can_view_grant, can_view_programme_grants
from matchwerk.programmes.rules import programmes_for_staff


@staff_view()
@require_GET
def programme_index(request):
    """The programmes the user sees, each with its budget (total, approved, paid, remaining)."""
    programmes = list(programmes_for_staff(request.user))
    rows = [(programme, selectors.budget_summary(programme=programme)) for programme in programmes]
    return render(request, "programmes/grants/staff_index.html", {"rows": rows})


def _programme(user, slug: str):
    programme = get_object_or_404(programmes_for_staff(user), slug=slug)
    if not can_view_programme_grants.test(user, programme):
        raise Http404
    return programme


@staff_view()
@require_GET
def grant_list(request, slug: str):
    programme = _programme(request.user, slug)
    status = request.GET.get("status", "")
    grants = selectors.grants_of_programme(programme=programme, scope=match_scope(request.user, programme),
                                           status=status)
    page, query = paginate(request, grants)
    return render(request, "programmes/grants/staff_list.html", {
        "programme": programme, "budget": selectors.budget_summary(programme=programme), "page": page,
        "query": query, "status": status, "statuses": GrantStatus.choices,
    })


def _grant(user, pk: int) -> Grant:
    grant = get_object_or_404(Grant.objects.select_related("match", "programme"), pk=pk)
    if not can_view_grant.test(user, grant):
        raise Http404
    return grant


def _detail(request, grant: Grant, *, forms: dict | None = None, status: int = 200):
    forms = forms or {}
    proof = getattr(grant, "proof", None)
    paid = grant.paid_total()
    context = {
        "grant": grant, "programme": grant.programme, "proof": proof, "lines": grant.cost_lines.all(),
        "payments": grant.payments.all(), "paid": paid, "budget": selectors.budget_summary(programme=grant.programme),
        "may_decide": can_decide_grant.test(request.user, grant),
        "approve_form": forms.get("approve") or ApproveForm(initial={"amount": grant.amount_requested}),
        "changes_form": forms.get("changes") or RequestChangesForm(),
        "payment_form": forms.get("payment") or PaymentForm(
            initial={"amount": (grant.amount_approved - paid) if grant.amount_approved else None}),
        "proof_form": forms.get("proof") or ProofCheckForm(),
        "breadcrumbs": [(_("Förderungen"), reverse("grants:staff_index")),
                        (grant.programme.name, reverse("grants:staff_list", args=[grant.programme.slug]))],
    }
    return render(request, "programmes/grants/staff_detail.html", context, status=status)


@staff_view()
@require_GET
def grant_detail(request, pk: int):
    return _detail(request, _grant(request.user, pk))


def _decide(request, pk: int, form_class, key: str, act, success: str):
    grant = _grant(request.user, pk)
    if not can_decide_grant.test(request.user, grant):
        raise PermissionDenied
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(grant, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, success)
            return redirect("grants:staff_detail", pk=grant.pk)
    grant.refresh_from_db()
    return _detail(request, grant, forms={key: form}, status=400)


@staff_view()
@require_POST
def grant_approve(request, pk: int):
    return _decide(request, pk, ApproveForm, "approve",
                   lambda grant, data: services.grant_approve(actor=request.user, grant=grant, amount=data["amount"],
                                                              note=data["note"]),
                   _("Die Förderung ist bewilligt; das Match steht jetzt auf „Förderung bewilligt“."))


@staff_view()
@require_POST
def grant_request_changes(request, pk: int):
    return _decide(request, pk, RequestChangesForm, "changes",
                   lambda grant, data: services.grant_request_changes(actor=request.user, grant=grant,
                                                                      note=data["note"]),
                   _("Der Antrag ist mit Ihrem Hinweis an das Match zurückgegeben."))


@staff_view()
@require_POST
def payment_record(request, pk: int):
    return _decide(request, pk, PaymentForm, "payment",
                   lambda grant, data: services.payment_record(actor=request.user, grant=grant,
                                                               paid_on=data["paid_on"], amount=data["amount"],
                                                               reference=data["reference"]),
                   _("Die Zahlung ist erfasst."))


@staff_view()
@require_POST
def proof_check(request, pk: int):
    def act(grant, data):
        proof = getattr(grant, "proof", None)
        if proof is None:
            raise ValidationError(_("Es liegt noch kein Verwendungsnachweis vor."))
        services.proof_check(actor=request.user, proof=proof, accept=data["decision"] == "accept", note=data["note"])

    return _decide(request, pk, ProofCheckForm, "proof", act, _("Die Prüfung des Nachweises ist gespeichert."))
