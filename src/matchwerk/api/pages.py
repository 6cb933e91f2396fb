"""Pages of the API app: the user's personal API tokens, the staff's webhooks with their
delivery log, and the public event calendar (iCalendar)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from matchwerk.api import rules, services
from matchwerk.api.forms import ApiTokenForm, CalendarFilterForm, WebhookForm
from matchwerk.api.models import ApiToken, Webhook, WebhookDelivery
from matchwerk.core.staff import paginate, staff_view
from matchwerk.events.enums import EventStatus
from matchwerk.events.ical import ICS_CONTENT_TYPE, calendar_bytes
from matchwerk.events.models import Event
from matchwerk.profiles.models import Region


def _errors_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def tokens(request):
    """List, create (the token is shown once, on this answer) and revoke API tokens."""
    form = ApiTokenForm(request.POST or None)
    new_token = ""
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_token = services.api_token_create(user=request.user, actor=request.user,
                                                          **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            form = ApiTokenForm()
    return render(request, "api/tokens.html", {
        "form": form, "new_token": new_token, "tokens": ApiToken.objects.filter(user=request.user),
    }, status=400 if request.method == "POST" and form.errors else 200)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Der Schlüssel „%(name)s“ ist widerrufen.") % {"name": token.name})
    return redirect("api:tokens")


def _hooks_of(user):
    hooks = Webhook.objects.all()
    return hooks if rules.is_admin.test(user) else hooks.filter(owner=user)


@staff_view(rules.can_manage_webhooks)
def webhook_list(request):
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            hook = services.webhook_create(actor=request.user, url=form.cleaned_data["url"],
                                           events=form.cleaned_data["events"])
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Der Webhook ist angelegt. Das Geheimnis zum Prüfen der Signatur steht "
                                        "auf seiner Seite."))
            return redirect("api:webhook_detail", pk=hook.pk)
    return render(request, "api/webhook_list.html", {
        "form": form, "hooks": _hooks_of(request.user).select_related("owner")},
        status=400 if request.method == "POST" else 200)


@staff_view(rules.can_manage_webhooks)
def webhook_detail(request, pk: int):
    hook = get_object_or_404(_hooks_of(request.user), pk=pk)
    form = WebhookForm(request.POST or None, initial={"url": hook.url, "events": hook.events,
                                                      "is_active": hook.is_active})
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action == "delete":
            services.webhook_delete(actor=request.user, webhook=hook)
            messages.success(request, _("Der Webhook ist gelöscht."))
            return redirect("api:webhook_list")
        if action == "rotate":
            services.webhook_secret_rotate(actor=request.user, webhook=hook)
            messages.success(request, _("Das Geheimnis ist neu. Tragen Sie es in Ihrem System ein."))
            return redirect("api:webhook_detail", pk=hook.pk)
        if form.is_valid():
            try:
                services.webhook_update(actor=request.user, webhook=hook, **form.cleaned_data)
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Der Webhook ist gespeichert."))
                return redirect("api:webhook_detail", pk=hook.pk)
    page, query = paginate(request, hook.deliveries.order_by("-created_at"))
    return render(request, "api/webhook_detail.html", {"hook": hook, "form": form, "page": page, "query": query},
                  status=400 if request.method == "POST" else 200)


@staff_view(rules.can_manage_webhooks)
@require_POST
def delivery_resend(request, pk):
    delivery = get_object_or_404(WebhookDelivery.objects.select_related("webhook"), pk=pk,
                                 webhook__in=_hooks_of(request.user))
    services.webhook_delivery_resend(actor=request.user, delivery=delivery)
    messages.success(request, _("Die Zustellung wird erneut gesendet."))
    return redirect("api:webhook_detail", pk=delivery.webhook_id)


# How far back the public calendar reaches (a subscriber sees recent events and cancellations).
CALENDAR_PAST = timedelta(days=90)


@require_safe
def public_calendar(request):
    """All published events (also closed and cancelled ones, marked CANCELLED) as an
    iCalendar subscription; ``?region=<slug>`` for one region. No login."""
    form = CalendarFilterForm(request.GET)
    if not form.is_valid():
        return HttpResponse(_("Unbekannter Filter."), status=400, content_type="text/plain; charset=utf-8")
    events = Event.objects.filter(status__in=[EventStatus.PUBLISHED, EventStatus.CLOSED, EventStatus.CANCELLED],
                                  published_at__isnull=False, ends_at__gte=timezone.now() - CALENDAR_PAST)
    name = "Matchwerk"
    slug = form.cleaned_data.get("region")
    if slug:
        region = Region.objects.filter(slug=slug).first()
        if region is None:
            raise Http404
        events, name = events.filter(region=region), f"Matchwerk · {region.name}"
    response = HttpResponse(calendar_bytes(events.order_by("starts_at", "pk")[:2000], name=name),
                            content_type=ICS_CONTENT_TYPE)
    response["Cache-Control"] = "public, max-age=900"
    return response
