"""Public event pages, registration, the personal agenda and calendar files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from matchwerk.core.staff import paginate
from matchwerk.events import rules, selectors, services
from matchwerk.events.enums import EventStatus, RegistrationStatus
from matchwerk.events.forms import EventFilterForm, FeedbackForm, RegistrationForm
from matchwerk.events.ical import ICS_CONTENT_TYPE, calendar_bytes, ics_filename
from matchwerk.events.models import CalendarFeed, Event, Registration
from matchwerk.profiles.models import Organisation

PAGE_SIZE = 20


def event_list(request):
    form = EventFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.public_events(region=filters.get("region"), format=filters.get("format", ""),
                                     topic=filters.get("thema"), date_from=filters.get("von"),
                                     date_to=filters.get("bis"))
    page, query = paginate(request, events, per_page=PAGE_SIZE)
    return render(request, "events/list.html", {"form": form, "page": page, "query": query})


def _visible_event(request, pk: int) -> Event:
    event = selectors.event_for_page(pk=pk)
    if event is None or not rules.can_view_event(request.user, event):
        raise Http404
    return event


def _organisations_of(user):
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(people__user=user).distinct().order_by("name")


def event_detail(request, pk: int):
    event = _visible_event(request, pk)
    registration = selectors.registration_of_user(event=event, user=request.user)
    form = None
    if request.user.is_authenticated and event.status == EventStatus.PUBLISHED:
        form = RegistrationForm(event=event, organisations=_organisations_of(request.user))
    return render(request, "events/detail.html", {
        "event": event, "registration": registration, "form": form,
        "waiting_position": selectors.waiting_position(registration=registration) if registration else None,
        "can_edit": rules.can_edit_event(request.user, event),
        "feedback_open": registration is not None and not services.feedback_problem(registration),
        "RegistrationStatus": RegistrationStatus,
        "sessions": selectors.sessions_of_event(event=event),
        "my_groups": set(registration.groups.values_list("session_id", flat=True)) if registration else set(),
        "ticket_qr": _ticket_qr(registration),
    })


def _ticket_qr(registration) -> str:
    """The check-in code as a QR code (inline SVG) for a confirmed registration."""
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        return ""
    from matchwerk.events.printouts import qr_svg

    return qr_svg(registration.code, title=_("Check-in-Code %(code)s") % {"code": registration.code})


def event_ics(request, pk: int):
    event = _visible_event(request, pk)
    response = HttpResponse(calendar_bytes([event]), content_type=ICS_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{ics_filename(event)}"'
    return response


def _error_message(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@login_required
@require_POST
def event_register(request, pk: int):
    """Register, or answer an invitation (``answer=accept|decline``)."""
    event = _visible_event(request, pk)
    if not rules.can_register_for_event(request.user, event):
        raise PermissionDenied
    form = RegistrationForm(request.POST, event=event, organisations=_organisations_of(request.user))
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("events:detail", pk=event.pk)
    invitation = selectors.registration_of_user(event=event, user=request.user)
    try:
        if invitation is not None and invitation.status == RegistrationStatus.INVITED:
            accept = request.POST.get("answer") != "decline"
            registration = services.registration_respond(
                actor=request.user, registration=invitation, accept=accept,
                organisation=form.cleaned_data["organisation"], answers=form.answers())
        else:
            registration = services.registration_create(
                actor=request.user, event=event, organisation=form.cleaned_data["organisation"],
                answers=form.answers())
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, {
            RegistrationStatus.CONFIRMED: _("Sie sind angemeldet. Die Bestätigung mit Kalendereintrag kommt per Mail."),
            RegistrationStatus.WAITLISTED: _("Die Veranstaltung ist ausgebucht – Sie stehen auf der Warteliste und "
                                             "rücken automatisch nach."),
            RegistrationStatus.DECLINED: _("Sie haben die Einladung abgelehnt."),
        }[registration.status])
    return redirect("events:detail", pk=event.pk)


@login_required
@require_POST
def registration_cancel(request, pk: int):
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=pk)
    if not rules.can_change_registration(request.user, registration):
        raise Http404
    try:
        services.registration_cancel(actor=request.user, registration=registration)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("Sie sind abgemeldet."))
    return redirect(request.POST.get("next") if request.POST.get("next") == reverse("events:agenda")
                    else reverse("events:detail", args=[registration.event_id]))


@login_required
def agenda(request):
    feed = CalendarFeed.objects.filter(user=request.user).first()
    upcoming = list(selectors.agenda_of_user(user=request.user).prefetch_related("event__sessions"))
    titles = selectors.group_titles_of_registrations([registration.pk for registration in upcoming])
    for registration in upcoming:
        registration.group_titles = titles.get(registration.pk, [])
    return render(request, "events/agenda.html", {
        "upcoming": upcoming,
        "past": selectors.agenda_of_user(user=request.user, past=True)[:20],
        "feed_url": request.build_absolute_uri(reverse("events:feed", args=[feed.token])) if feed else "",
        "RegistrationStatus": RegistrationStatus,
    })


@login_required
@require_GET
def agenda_pdf(request):
    from matchwerk.core.pdf import pdf_response
    from matchwerk.events.printouts import agenda_pdf as render_agenda

    return pdf_response(render_agenda(user=request.user), "meine-veranstaltungen.pdf")


def calendar_feed(request, token: str):
    """The personal calendar subscription (no login: the secret token is the key)."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token, user__is_active=True).first()
    if feed is None:
        raise Http404
    events = selectors.calendar_events_of_user(user=feed.user)
    response = HttpResponse(calendar_bytes(events, name="Matchwerk"), content_type=ICS_CONTENT_TYPE)
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_POST
def calendar_feed_create(request):
    services.calendar_feed_create(actor=request.user)
    messages.success(request, _("Ihre persönliche Kalender-Adresse ist bereit. Eine frühere Adresse gilt nicht mehr."))
    return redirect("events:agenda")


@login_required
@require_POST
def calendar_feed_revoke(request):
    services.calendar_feed_revoke(actor=request.user)
    messages.success(request, _("Die Kalender-Adresse ist widerrufen und funktioniert nicht mehr."))
    return redirect("events:agenda")


@login_required
def feedback(request, pk: int):
    """The participant's short feedback after (or during) the event."""
    event = _visible_event(request, pk)
    registration = selectors.registration_of_user(event=event, user=request.user)
    problem = services.feedback_problem(registration)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and not problem and form.is_valid():
        try:
            services.feedback_create(actor=request.user, registration=registration, **form.cleaned_data)
        except ValidationError as error:
            _error_message(request, error)
        else:
            messages.success(request, _("Danke für Ihre Rückmeldung!"))
        return redirect("events:detail", pk=event.pk)
    return render(request, "events/feedback.html", {"event": event, "form": form, "problem": problem})
