"""Self-service for personal data: consents, account settings, export and erasure."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from matchwerk.accounts.rules import can_manage_users
from matchwerk.profiles.rules import can_record_organisation_consent, can_view_organisation
from matchwerk.accounts import selectors, services
from matchwerk.accounts.forms import AccountSettingsForm, ConsentForm, EraseAccountForm
from matchwerk.core.audit import log_event


@login_required
def privacy(request):
    user = request.user
    settings_form = AccountSettingsForm(initial={"full_name": user.full_name, "language": user.language})
    return render(request, "accounts/privacy.html", {
        "overview": selectors.privacy_overview(user=user), "settings_form": settings_form,
        "can_manage_users": can_manage_users.test(user),
    })


@login_required
@require_POST
def consent_update(request):
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Ungültige Angaben."))
    organisation = form.cleaned_data["organisation"]
    if organisation is not None:
        if not can_view_organisation.test(request.user, organisation):
            raise Http404
        if not can_record_organisation_consent.test(request.user, organisation):
            return HttpResponseForbidden(_("Sie handeln nicht für diese Organisation."))
    try:
        consent = services.consent_change(user=request.user, purpose=form.cleaned_data["purpose"],
                                          granted=form.cleaned_data["granted"], organisation=organisation)
    except ValidationError:
        return HttpResponseBadRequest(_("Diese Einwilligung gehört zu einer Organisation."))
    if consent.granted:
        messages.success(request, _("Einwilligung „%(purpose)s“ erteilt.") % {"purpose": consent.get_purpose_display()})
    else:
        messages.success(request, _("Einwilligung „%(purpose)s“ widerrufen.") % {"purpose": consent.get_purpose_display()})
    return redirect("accounts:privacy")


@login_required
@require_POST
def settings_update(request):
    form = AccountSettingsForm(request.POST)
    if not form.is_valid():
        return render(request, "accounts/privacy.html", {
            "overview": selectors.privacy_overview(user=request.user), "settings_form": form,
        }, status=400)
    services.user_update_settings(user=request.user, **form.cleaned_data)
    messages.success(request, _("Ihre Kontoangaben wurden gespeichert."))
    return redirect("accounts:privacy")


@login_required
def export(request):
    data = selectors.user_export_data(user=request.user)
    log_event("matchwerk.accounts.personal_data.exported", request.user, actor=request.user)
    response = HttpResponse(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
                            content_type="application/json; charset=utf-8")
    filename = f"matchwerk-meine-daten-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def erase(request):
    form = EraseAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        try:
            services.user_erase(user=user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            messages.success(request, _("Ihr Konto und Ihre persönlichen Daten wurden gelöscht."))
            return redirect("core:home")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/erase.html", {
        "form": form, "organisations": selectors.organisations_acted_for(user=request.user),
    }, status=status)
