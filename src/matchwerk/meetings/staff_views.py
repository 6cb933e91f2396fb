"""Staff pages: brokerage settings and booths, the plan (runs with a progress page, hand
moves, locks, release), printouts per table and per person, feedback figures. All behind
the back office guard; services check the rules again."""

from __future__ import annotations

from collections import namedtuple

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _, ngettext
from django.views.decorators.http import require_POST

from matchwerk.core.audit import log_event
from matchwerk.core.pdf import pdf_response, render_pdf
from matchwerk.core.staff import paginate, staff_view as core_staff_view
from matchwerk.events.models import Event, Registration
from matchwerk.meetings import rules, selectors, services
from matchwerk.meetings.enums import ACTIVE_RUN_STATUSES, RequestStatus
from matchwerk.meetings.forms import BoothForm, BrokerageForm, MoveForm, sessions_text
from matchwerk.meetings.models import Booth, Meeting, MeetingFeedback, MeetingRequest, PlanRun, PlanVersion, Slot
from matchwerk.meetings.planning import ALL_TAKEN, CAP_REACHED, CROWDED, FEW_REQUESTS, FEW_SLOTS, NO_COMMON_TIME
from matchwerk.meetings.services.plan import latest_released, working_version

staff_view = core_staff_view(rules.can_open_meeting_pages)
# Unplaced requests shown with a form to place them by hand (the rest are counted; at 12,000
# requests thousands stay out, and 200 forms of 12 options each made the page take seconds).
UNPLACED_SHOWN = 50
SlotChoice = namedtuple("SlotChoice", "pk label")


def _allowed(request, event: Event) -> Event:
    if not rules.can_manage_meetings(request.user, event):
        raise PermissionDenied
    return event


def _event(request, pk: int) -> Event:
    return _allowed(request, get_object_or_404(Event, pk=pk))


def _errors(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@staff_view
def settings_page(request, pk: int):
    event = _event(request, pk)
    brokerage = selectors.brokerage_of(event=event)
    day = timezone.localtime(event.starts_at).date()
    initial = {}
    if brokerage is not None:
        initial = {name: getattr(brokerage, name) for name in (
            "meeting_minutes", "tables", "min_meetings", "max_meetings", "requests_open_at", "requests_close_at",
            "self_booking")}
        initial["sessions"] = sessions_text(brokerage.sessions.all(), day)
    form = BrokerageForm(request.POST or None, initial=initial, day=day)
    if request.method == "POST" and form.is_valid():
        try:
            services.brokerage_configure(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("Gespeichert."))
            return redirect("meetings:staff_settings", pk=event.pk)
    booths = Booth.objects.filter(brokerage=brokerage).select_related("registration") if brokerage else []
    return render(request, "meetings/staff/settings.html", {
        "event": event, "brokerage": brokerage, "form": form, "booth_form": BoothForm(prefix="booth"),
        "booths": booths, "slots": brokerage.slots.all() if brokerage else [],
    })


@staff_view
@require_POST
def booth(request, pk: int):
    event = _event(request, pk)
    form = BoothForm(request.POST, prefix="booth")
    if form.is_valid():
        code = form.cleaned_data["code"].strip().upper().replace("-", "").replace(" ", "")
        registration = Registration.objects.filter(event=event, code=code).first()
        if registration is None:
            messages.error(request, _("Keine Anmeldung dieser Veranstaltung hat den Code %(code)s.") % {"code": code})
        else:
            try:
                services.booth_set(actor=request.user, event=event, registration=registration,
                                   table=form.cleaned_data["table"])
            except ValidationError as error:
                _errors(request, error)
            else:
                messages.success(request, _("Gespeichert."))
    else:
        messages.error(request, _("Bitte Code und Tisch angeben."))
    return redirect("meetings:staff_settings", pk=event.pk)


def reason_text(row: dict, names: dict[int, str]) -> str:
    if row["reason"] == NO_COMMON_TIME:
        return _("keine gemeinsame freie Zeit")
    if row["reason"] == CAP_REACHED:
        return _("%(name)s hat schon die Höchstzahl an Gesprächen") % {"name": names.get(row["person"], "?")}
    if row["reason"] == ALL_TAKEN:
        return _("alle gemeinsamen freien Zeiten sind belegt (andere Gespräche der beiden oder volle Tische)")
    return ""


def minimum_reason_text(row: dict) -> str:
    if row["reason"] == FEW_REQUESTS:
        return ngettext("nur %(count)s angenommene Anfrage", "nur %(count)s angenommene Anfragen",
                        row["count"]) % {"count": row["count"]}
    if row["reason"] == FEW_SLOTS:
        return ngettext("nur in %(count)s Zeitabschnitt verfügbar", "nur in %(count)s Zeitabschnitten verfügbar",
                        row["count"]) % {"count": row["count"]}
    if row["reason"] == CROWDED:
        return _("die gemeinsamen freien Zeiten mit den Gesprächspartnern oder alle Tische waren belegt")
    return ""


def _below_minimum(figures: dict) -> list[dict]:
    rows = figures.get("below_minimum", [])[:200]
    names = Registration.objects.select_related("organisation").in_bulk([r["person"] for r in rows])
    return [{"registration": names[r["person"]], "placed": r["placed"], "reason": minimum_reason_text(r)}
            for r in rows if r["person"] in names]


@staff_view
def plan(request, pk: int):
    event = _event(request, pk)
    brokerage = selectors.brokerage_of(event=event)
    draft, released = working_version(event), latest_released(event)
    number = request.GET.get("version")
    shown = (PlanVersion.objects.filter(event=event, number=number).first() if number and number.isdigit()
             else None) or draft or released
    meetings = Meeting.objects.none()
    person = request.GET.get("person", "").strip()[:100]
    if shown is not None:
        meetings = (shown.meetings.select_related("slot", "request__requester", "request__receiver")
                    .order_by("slot__starts_at", "table"))
        if person:
            meetings = meetings.filter(Q(request__requester__name__icontains=person)
                                       | Q(request__receiver__name__icontains=person))
    page, query = paginate(request, meetings)
    unplaced = []
    if shown is not None and shown.figures.get("unplaced"):
        rows = shown.figures["unplaced"][:UNPLACED_SHOWN]
        requests = MeetingRequest.objects.select_related("requester", "receiver").in_bulk([r["request"] for r in rows])
        names = dict(Registration.objects.filter(pk__in=[r["person"] for r in rows if r["person"]])
                     .values_list("pk", "name"))
        placed = set(shown.meetings.filter(request_id__in=list(requests)).order_by().values_list("request_id",
                                                                                               flat=True))
        unplaced = [{"request": requests[r["request"]], "reason": reason_text(r, names)}
                    for r in rows if r["request"] in requests and r["request"] not in placed]
    slots = [SlotChoice(pk, timezone.localtime(at).strftime("%H:%M")) for pk, at in Slot.objects.filter(
        brokerage=brokerage).order_by("starts_at").values_list("pk", "starts_at")] if brokerage else []
    # The <option>s of the move and add forms built once (rendering 12 options in each of
    # 100 forms through the template language took most of the page's time).
    plain = format_html_join("", '<option value="{}">{}</option>', slots)
    options = {chosen.pk: format_html_join("", '<option value="{}"{}>{}</option>', (
        (slot.pk, mark_safe(" selected") if slot.pk == chosen.pk else "", slot.label) for slot in slots))
        for chosen in slots}
    for meeting in page:
        meeting.slot_options = options.get(meeting.slot_id, plain)
    log_event("matchwerk.meetings.plan.viewed", event, actor=request.user)
    return render(request, "meetings/staff/plan.html", {
        "event": event, "brokerage": brokerage, "draft": draft, "released": released, "shown": shown,
        "page": page, "query": query, "person": person, "unplaced": unplaced,
        "below_minimum": _below_minimum(shown.figures) if shown is not None else [],
        "editable": shown is not None and (shown == draft or (draft is None and shown == released)),
        "run": PlanRun.objects.filter(event=event).first(),
        "versions": PlanVersion.objects.filter(event=event).order_by("-number")[:20],
        "slot_options": plain,
        "unplaced_more": max(0, len(shown.figures.get("unplaced", [])) - UNPLACED_SHOWN) if shown else 0,
        "accepted": MeetingRequest.objects.filter(event=event, status=RequestStatus.ACCEPTED).count(),
        "requests_total": MeetingRequest.objects.filter(event=event).count(),
    })


@staff_view
@require_POST
def plan_start(request, pk: int):
    event = _event(request, pk)
    try:
        run = services.plan_start(actor=request.user, event=event)
    except ValidationError as error:
        _errors(request, error)
        return redirect("meetings:staff_plan", pk=event.pk)
    return redirect("meetings:staff_run", pk=run.pk)


@staff_view
def run_page(request, pk: int):
    run = get_object_or_404(PlanRun.objects.select_related("event", "version"), pk=pk)
    _allowed(request, run.event)
    return render(request, "meetings/staff/run.html", {
        "run": run, "event": run.event, "active": run.status in ACTIVE_RUN_STATUSES,
        "percent": int(round(100 * run.progress)),
    })


@staff_view
@require_POST
def run_cancel(request, pk: int):
    run = get_object_or_404(PlanRun.objects.select_related("event"), pk=pk)
    _allowed(request, run.event)
    services.plan_cancel(actor=request.user, run=run)
    messages.success(request, _("Die Berechnung wird abgebrochen; der bisherige Plan bleibt."))
    return redirect("meetings:staff_run", pk=run.pk)


def _meeting(request, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("version__event", "request", "slot"), pk=pk)
    _allowed(request, meeting.version.event)
    return meeting


@staff_view
@require_POST
def meeting_move(request, pk: int):
    meeting = _meeting(request, pk)
    event = meeting.version.event
    form = MoveForm(request.POST)
    if form.is_valid():
        slot = Slot.objects.filter(pk=form.cleaned_data["slot"], brokerage__event=event).first()
        try:
            if slot is None:
                raise ValidationError(_("Diese Zeit gehört nicht zu dieser Veranstaltung."))
            services.meeting_move(actor=request.user, meeting=meeting, slot=slot, table=form.cleaned_data["table"])
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Verschoben (im Entwurf; erst „Veröffentlichen“ benachrichtigt die "
                                        "Betroffenen)."))
    else:
        messages.error(request, _("Bitte Zeit und Tisch angeben."))
    return redirect("meetings:staff_plan", pk=event.pk)


@staff_view
@require_POST
def meeting_lock(request, pk: int):
    meeting = _meeting(request, pk)
    services.meeting_lock(actor=request.user, meeting=meeting, locked=request.POST.get("locked") != "0")
    return redirect("meetings:staff_plan", pk=meeting.version.event_id)


@staff_view
@require_POST
def meeting_add(request, pk: int):
    event = _event(request, pk)
    meeting_request = MeetingRequest.objects.filter(pk=request.POST.get("request") or 0, event=event).first()
    form = MoveForm(request.POST)
    if meeting_request is None or not form.is_valid():
        messages.error(request, _("Bitte Anfrage, Zeit und Tisch angeben."))
        return redirect("meetings:staff_plan", pk=event.pk)
    slot = Slot.objects.filter(pk=form.cleaned_data["slot"], brokerage__event=event).first()
    try:
        if slot is None:
            raise ValidationError(_("Diese Zeit gehört nicht zu dieser Veranstaltung."))
        services.meeting_add(actor=request.user, event=event, request=meeting_request, slot=slot,
                             table=form.cleaned_data["table"])
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Eingeplant und festgesetzt."))
    return redirect("meetings:staff_plan", pk=event.pk)


@staff_view
@require_POST
def release(request, pk: int):
    event = _event(request, pk)
    try:
        version = services.version_release(actor=request.user, event=event)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Version %(number)s ist veröffentlicht; %(count)s Gespräche haben sich "
                                    "geändert.") % {"number": version.number,
                                                    "count": version.figures.get("changed_meetings", 0)
                                                    + version.figures.get("dropped_meetings", 0)})
    return redirect("meetings:staff_plan", pk=event.pk)


def _printed_version(event: Event) -> PlanVersion | None:
    return latest_released(event) or working_version(event)


@staff_view
def print_tables(request, pk: int):
    event = _event(request, pk)
    version = _printed_version(event)
    tables: dict[int, list] = {}
    if version is not None:
        for meeting in version.meetings.select_related("slot", "request__requester__organisation",
                                                       "request__receiver__organisation").order_by(
                "table", "slot__starts_at"):
            tables.setdefault(meeting.table, []).append(meeting)
    content = render_pdf("meetings/pdf/tables.html", {"event": event, "version": version,
                                                      "tables": sorted(tables.items())})
    return pdf_response(content, f"tischplan-{event.pk}.pdf")


@staff_view
def print_people(request, pk: int):
    event = _event(request, pk)
    version = _printed_version(event)
    people = []
    if version is not None:
        persons = Registration.objects.filter(meeting_seats__version=version).distinct().order_by("name", "pk")
        for registration in persons.select_related("organisation"):
            people.append({"registration": registration,
                           "meetings": selectors.meetings_of(registration=registration, version=version)})
    log_event("matchwerk.meetings.plan.printed", event, {"people": len(people)}, actor=request.user)
    content = render_pdf("meetings/pdf/person.html", {"event": event, "version": version, "people": people})
    return pdf_response(content, f"gespraeche-personen-{event.pk}.pdf")


@staff_view
def feedback_page(request, pk: int):
    event = _event(request, pk)
    rows = MeetingFeedback.objects.filter(request__event=event)
    figures = rows.aggregate(count=Count("pk"), rated=Count("rating"),
                             continuing=Count("pk", filter=Q(wants_to_continue=True)),
                             no_shows=Count("pk", filter=Q(no_show=True)))
    ratings = [r for r in rows.values_list("rating", flat=True) if r]
    mutual = (MeetingRequest.objects.filter(event=event).annotate(
        yes=Count("feedback", filter=Q(feedback__wants_to_continue=True))).filter(yes=2)
        .select_related("requester", "receiver"))
    return render(request, "meetings/staff/feedback.html", {
        "event": event, "figures": figures, "average": round(sum(ratings) / len(ratings), 2) if ratings else None,
        "no_shows": selectors.no_shows(event=event), "mutual": mutual,
    })
