"""Staff pages for events: list, create, edit, copy, status, registrations (invite,
walk-ins, cancel) and extra questions. Every view asks ``rules`` again (services too)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matchwerk.core.audit import log_event
from matchwerk.core.staff import paginate
from matchwerk.core.staff import staff_view as core_staff_view
from matchwerk.events import rules, selectors, services
from matchwerk.events.enums import EventStatus
from matchwerk.events.forms import CopyForm, EventForm, InviteForm, MoveForm, QuestionForm, WalkInForm
from matchwerk.events.models import Event, Question, Registration


# The back office's one guard: anonymous → login page, whoever may not manage events → 403.
staff_view = core_staff_view(rules.can_manage_events)


def _editable(request, pk: int) -> Event:
    event = get_object_or_404(Event.objects.select_related("region"), pk=pk)
    if not rules.can_edit_event(request.user, event):
        raise PermissionDenied
    return event


def _errors(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@staff_view
def event_list(request):
    status = request.GET.get("status", "")
    if status not in EventStatus.values:
        status = ""
    events = selectors.events_for_staff(user=request.user, status=status, query=request.GET.get("q", "").strip())
    page, query = paginate(request, events)
    return render(request, "events/staff/list.html", {"page": page, "status": status, "query": query,
                                                      "statuses": EventStatus.choices})


@staff_view
def event_create(request):
    form = EventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(actor=request.user, topics=form.cleaned_data["topics"],
                                          organisers=form.cleaned_data["organisers"], **form.service_fields())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Entwurf angelegt. Prüfen Sie ihn und veröffentlichen Sie ihn dann."))
            return redirect("events:staff_detail", pk=event.pk)
    return render(request, "events/staff/form.html", {"form": form, "event": None})


@staff_view
def event_edit(request, pk: int):
    event = _editable(request, pk)
    form = EventForm(request.POST or None, instance=Event.objects.get(pk=pk), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(actor=request.user, event=event, topics=form.cleaned_data["topics"],
                                  organisers=form.cleaned_data["organisers"], **form.service_fields())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Gespeichert."))
            return redirect("events:staff_detail", pk=event.pk)
    return render(request, "events/staff/form.html", {"form": form, "event": event})


@staff_view
def event_detail(request, pk: int):
    event = _editable(request, pk)
    registrations = selectors.registrations_of_event(event=event)
    log_event("matchwerk.events.registrations.viewed", event, actor=request.user)
    return render(request, "events/staff/detail.html", {
        "event": selectors.event_for_page(pk=pk), "registrations": registrations,
        "problems": services.publication_problems(event) if event.status == EventStatus.DRAFT else [],
        "copy_form": CopyForm(prefix="copy"), "question_form": QuestionForm(prefix="question"),
        "walk_in_form": WalkInForm(prefix="walkin"), "invite_form": InviteForm(prefix="invite"),
        "questions": event.questions.all(), "numbers": selectors.event_numbers(event=event),
        "move_form": MoveForm(prefix="move", event=event, user=request.user),
    })


@staff_view
@require_POST
def event_copy(request, pk: int):
    event = _editable(request, pk)
    form = CopyForm(request.POST, prefix="copy")
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie, um wie viel die Kopie verschoben wird."))
        return redirect("events:staff_detail", pk=pk)
    months, days = form.months_days()
    try:
        copy = services.event_copy(actor=request.user, event=event, months=months, days=days)
    except ValidationError as error:
        _errors(request, error)
        return redirect("events:staff_detail", pk=pk)
    messages.success(request, _("Kopie als Entwurf angelegt."))
    return redirect("events:staff_detail", pk=copy.pk)


@staff_view
@require_POST
def event_status(request, pk: int):
    event = _editable(request, pk)
    action = request.POST.get("action")
    try:
        if action == "publish":
            services.event_publish(actor=request.user, event=event)
            messages.success(request, _("Veröffentlicht: Die Veranstaltung steht jetzt unter /veranstaltungen/."))
        elif action == "close":
            services.event_close(actor=request.user, event=event)
            messages.success(request, _("Abgeschlossen."))
        elif action == "cancel":
            services.event_cancel(actor=request.user, event=event, reason=request.POST.get("reason", ""))
            messages.success(request, _("Abgesagt. Alle Angemeldeten werden per Mail informiert."))
        else:
            messages.error(request, _("Unbekannte Aktion."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("events:staff_detail", pk=pk)


@staff_view
@require_POST
def question_add(request, pk: int):
    event = _editable(request, pk)
    form = QuestionForm(request.POST, prefix="question")
    if form.is_valid():
        try:
            services.question_add(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Frage hinzugefügt."))
    else:
        messages.error(request, " ".join(" ".join(errors) for errors in form.errors.values()))
    return redirect("events:staff_detail", pk=pk)


@staff_view
@require_POST
def question_delete(request, pk: int):
    question = get_object_or_404(Question.objects.select_related("event"), pk=pk)
    if not rules.can_edit_event(request.user, question.event):
        raise PermissionDenied
    services.question_delete(actor=request.user, question=question)
    messages.success(request, _("Frage entfernt."))
    return redirect("events:staff_detail", pk=question.event_id)


@staff_view
@require_POST
def invite(request, pk: int):
    event = _editable(request, pk)
    form = InviteForm(request.POST, prefix="invite")
    if not form.is_valid():
        messages.error(request, " ".join(" ".join(errors) for errors in form.errors.values()))
        return redirect("events:staff_detail", pk=pk)
    try:
        services.registration_invite(actor=request.user, event=event, user=form.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Eingeladen."))
    return redirect("events:staff_detail", pk=pk)


@staff_view
@require_POST
def walk_in(request, pk: int):
    event = _editable(request, pk)
    form = WalkInForm(request.POST, prefix="walkin")
    if not form.is_valid():
        messages.error(request, " ".join(" ".join(errors) for errors in form.errors.values()))
        return redirect("events:staff_detail", pk=pk)
    try:
        services.registration_walk_in(actor=request.user, event=event, **form.cleaned_data)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Vor Ort angemeldet."))
    return redirect("events:staff_detail", pk=pk)


@staff_view
@require_POST
def registration_cancel(request, pk: int):
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=pk)
    if not rules.can_edit_event(request.user, registration.event):
        raise PermissionDenied
    try:
        services.registration_cancel(actor=request.user, registration=registration)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Anmeldung storniert."))
    return redirect("events:staff_detail", pk=registration.event_id)


@staff_view
@require_POST
def registration_move(request, pk: int):
    event = _editable(request, pk)
    form = MoveForm(request.POST, prefix="move", event=event, user=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(" ".join(errors) for errors in form.errors.values()))
        return redirect("events:staff_detail", pk=pk)
    from matchwerk.events.services.checkin import normal_code

    registration = Registration.objects.filter(event=event, code=normal_code(form.cleaned_data["code"])).first()
    if registration is None:
        messages.error(request, _("Zu dieser Veranstaltung gibt es keine Anmeldung mit diesem Code."))
        return redirect("events:staff_detail", pk=pk)
    try:
        moved = services.registration_move(actor=request.user, registration=registration,
                                           to_event=form.cleaned_data["to_event"],
                                           allow_overbooking=form.cleaned_data["allow_overbooking"])
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("%(name)s ist verschoben nach „%(event)s“ (%(status)s).") % {
            "name": moved.name, "event": moved.event.title, "status": moved.get_status_display()})
    return redirect("events:staff_detail", pk=pk)
