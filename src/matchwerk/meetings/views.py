"""Participants' pages: the meetings overview of an event (my meetings, my requests,
availability), the people of the event with "you should meet", requests, feedback, and
the personal meetings as .ics and PDF. Every view asks ``rules`` (services ask again)."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matchwerk.core.pdf import pdf_response, render_pdf
from matchwerk.events.ical import ICS_CONTENT_TYPE
from matchwerk.events.models import Event, Registration
from matchwerk.meetings import rules, selectors, services
from matchwerk.meetings.forms import FeedbackForm, RequestForm
from matchwerk.meetings.ical import meetings_calendar_bytes
from matchwerk.meetings.models import MeetingRequest, Slot
from matchwerk.meetings.services.plan import free_slots_of
from matchwerk.meetings.services.requests import own_registration

logger = logging.getLogger("matchwerk.meetings")


def _participant(request, pk: int) -> tuple[Event, Registration]:
    """The event and the signed-in person's confirmed registration (403 for others)."""
    event = get_object_or_404(Event, pk=pk)
    registration = own_registration(user=request.user, event=event)
    if registration is None or not rules.can_take_part(request.user, registration):
        raise PermissionDenied
    return event, registration


def _errors(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@login_required
def home(request, pk: int):
    event, me = _participant(request, pk)
    brokerage = selectors.brokerage_of(event=event)
    released = selectors.released_version(event_id=event.pk)
    meetings = selectors.meetings_of(registration=me, version=released) if released else []
    now = timezone.now()
    given = selectors.feedback_of(registration=me)
    for meeting in meetings:
        meeting.feedback_open = meeting.slot.starts_at <= now
        meeting.feedback = given.get(meeting.request_id)
    slots = list(Slot.objects.filter(brokerage=brokerage).order_by("starts_at")) if brokerage else []
    requests = selectors.requests_of(registration=me)
    if brokerage is not None and brokerage.self_booking and released is not None:
        placed = {meeting.request_id for meeting in meetings}
        open_requests = [item for item in requests["agreed"] if item.pk not in placed]
        bookable = free_slots_of(event=event, requests=open_requests)
        for item in requests["agreed"]:
            item.bookable = bookable.get(item.pk, [])
    absent = set(me.meeting_absences.values_list("slot_id", flat=True))
    return render(request, "meetings/home.html", {
        "event": event, "me": me, "brokerage": brokerage, "meetings": meetings,
        "requests": requests, "slots": slots, "absent": absent, "released": released,
    })


@login_required
def people(request, pk: int):
    event, me = _participant(request, pk)
    query = request.GET.get("q", "")[:100]
    page = Paginator(selectors.participants(event=event, viewer=me, query=query), 30).get_page(request.GET.get("seite"))
    recommendations = []
    if not query and page.number == 1:
        try:
            from matchwerk.meetings.suggestions import you_should_meet

            recommendations = you_should_meet(registration=me)
        except Exception:  # the page works without suggestions (e.g. the index cannot be built)
            logger.exception("you-should-meet list failed for registration %s", me.pk)
    return render(request, "meetings/people.html", {
        "event": event, "me": me, "page": page, "q": query, "query": urlencode({"q": query}) if query else "",
        "recommendations": recommendations,
    })


@login_required
def request_create(request, pk: int, registration_pk: int):
    event, me = _participant(request, pk)
    receiver = get_object_or_404(Registration.objects.select_related("organisation"), pk=registration_pk)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_create(actor=request.user, event=event, receiver=receiver, **form.cleaned_data)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Ihre Anfrage an %(name)s ist verschickt.") % {"name": receiver.name})
            return redirect("meetings:home", pk=event.pk)
    return render(request, "meetings/request_form.html", {"event": event, "form": form, "receiver": receiver})


def _own_request(request, pk: int, rule) -> MeetingRequest:
    found = MeetingRequest.objects.select_related("requester", "receiver", "event").filter(pk=pk).first()
    if found is None or not rule(request.user, found):
        raise Http404
    return found


@login_required
def request_edit(request, pk: int):
    meeting_request = _own_request(request, pk, rules.can_change_request)
    form = RequestForm(request.POST or None, initial={"message": meeting_request.message,
                                                      "priority": meeting_request.priority})
    if request.method == "POST" and form.is_valid():
        try:
            services.request_update(actor=request.user, request=meeting_request, **form.cleaned_data)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Gespeichert."))
            return redirect("meetings:home", pk=meeting_request.event_id)
    return render(request, "meetings/request_form.html", {"event": meeting_request.event, "form": form,
                                                          "receiver": meeting_request.receiver,
                                                          "editing": meeting_request})


@login_required
@require_POST
def request_withdraw(request, pk: int):
    meeting_request = _own_request(request, pk, rules.can_change_request)
    try:
        services.request_withdraw(actor=request.user, request=meeting_request)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Die Anfrage ist zurückgezogen."))
    return redirect("meetings:home", pk=meeting_request.event_id)


@login_required
@require_POST
def request_answer(request, pk: int):
    meeting_request = _own_request(request, pk, rules.can_answer_request)
    accept = request.POST.get("answer") == "accept"
    try:
        services.request_answer(actor=request.user, request=meeting_request, accept=accept)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Angenommen: das Gespräch kommt in den Plan.") if accept
                         else _("Abgelehnt."))
    return redirect("meetings:home", pk=meeting_request.event_id)


@login_required
@require_POST
def hide(request, pk: int, registration_pk: int):
    event, me = _participant(request, pk)
    other = get_object_or_404(Registration, pk=registration_pk)
    try:
        services.person_hide(actor=request.user, registration=me, hidden=other)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("%(name)s wird Ihnen nicht mehr vorgeschlagen.") % {"name": other.name})
    return redirect("meetings:people", pk=event.pk)


@login_required
@require_POST
def availability(request, pk: int):
    event, me = _participant(request, pk)
    try:
        chosen = [int(value) for value in request.POST.getlist("slot")]
        count = services.availability_set(actor=request.user, registration=me, available=chosen)
    except (ValueError, ValidationError) as error:
        _errors(request, error if isinstance(error, ValidationError) else ValidationError(_("Ungültige Auswahl.")))
    else:
        messages.success(request, _("Gespeichert: Sie sind zu %(count)s Zeiten verfügbar.") % {"count": count})
    return redirect("meetings:home", pk=event.pk)


@login_required
def ics(request, pk: int):
    _event, me = _participant(request, pk)
    response = HttpResponse(meetings_calendar_bytes(registration=me), content_type=ICS_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="gespraeche-{pk}.ics"'
    return response


@login_required
def pdf(request, pk: int):
    event, me = _participant(request, pk)
    content = render_pdf("meetings/pdf/person.html", {
        "event": event, "people": [{"registration": me, "meetings": selectors.meetings_of(registration=me)}]})
    return pdf_response(content, f"gespraeche-{pk}.pdf")


@login_required
def feedback(request, pk: int):
    meeting_request = _own_request(request, pk, rules.can_give_feedback)
    mine = meeting_request.requester if meeting_request.requester.user_id == request.user.pk \
        else meeting_request.receiver
    current = meeting_request.feedback.filter(author=mine).first()
    initial = ({"rating": current.rating, "wants_to_continue": current.wants_to_continue,
                "no_show": current.no_show, "note": current.note} if current else {})
    form = FeedbackForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_submit(actor=request.user, request=meeting_request, **form.cleaned_data)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Danke für Ihre Rückmeldung."))
            return redirect("meetings:home", pk=meeting_request.event_id)
    return render(request, "meetings/feedback.html", {"event": meeting_request.event, "form": form,
                                                      "partner": meeting_request.other(mine)})


@login_required
@require_POST
def book(request, pk: int):
    """Self-booking of a free common slot for an accepted request (when the event allows it)."""
    meeting_request = _own_request(request, pk, rules.can_give_feedback)
    slot = Slot.objects.filter(pk=request.POST.get("slot") or 0, brokerage__event=meeting_request.event).first()
    try:
        if slot is None:
            raise ValidationError(_("Diese Zeit gehört nicht zu dieser Veranstaltung."))
        services.meeting_book(actor=request.user, request=meeting_request, slot=slot)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Gebucht: das Gespräch steht in Ihrem Plan."))
    return redirect("meetings:home", pk=meeting_request.event_id)
