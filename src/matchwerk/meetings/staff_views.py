"""Staff pages: brokerage settings and booths, the plan (runs with a progress page, hand
moves, locks, release), printouts per table and per person, feedback figures. All behind
the back office guard; services check the rules again."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext
from django.views.decorators.http import require_POST

from matchwerk.core.audit import log_event
from matchwerk.core.pdf import pdf_response, render_pdf
from matchwerk.core.staff import paginate, staff_view as core_staff_view
from matchwerk.events.models import Event, Registration
from matchwerk.meetings import plan_page, rules, selectors, services
from matchwerk.meetings.enums import ACTIVE_RUN_STATUSES, VersionStatus
from matchwerk.meetings.forms import BoothForm, BrokerageForm, MoveForm, sessions_text
from matchwerk.meetings.models import Booth, Meeting, MeetingFeedback, MeetingRequest, PlanRun, PlanVersion, Seat, Slot
from matchwerk.meetings.planning import ALL_TAKEN, CAP_REACHED, CROWDED, FEW_REQUESTS, FEW_SLOTS, NO_COMMON_TIME
from matchwerk.meetings.services.plan import latest_released, working_version

staff_view = core_staff_view(rules.can_open_meeting_pages)


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


@staff_view
def plan(request, pk: int):
    event = _event(request, pk)
    brokerage = selectors.brokerage_of(event=event)
    versions = list(PlanVersion.objects.filter(event=event).defer("figures").order_by("-number")[:20])
    # The preliminary version, when there is one, has the highest number.
    draft = versions[0] if versions and versions[0].status == VersionStatus.PRELIMINARY else None
    released = next((v for v in versions if v.status == VersionStatus.RELEASED), None) or \
        selectors.released_version(event_id=event.pk)
    number = request.GET.get("version", "")
    wanted = (int(number) if number.isdigit() else None) or (draft or released or PlanVersion(number=0)).number
    shown = PlanVersion.objects.filter(event=event, number=wanted).first()  # with its figures
    slots = plan_page.slot_choices(brokerage)
    figures = shown.figures if shown is not None else {}
    shown_list = request.GET.get("liste", "")
    shown_list = shown_list if shown_list in plan_page.LISTS else plan_page.LISTS[0]
    person = request.GET.get("person", "").strip()[:100]
    slot = request.GET.get("zeit", "")
    slot = int(slot) if slot.isdigit() and int(slot) in {choice.pk for choice in slots} else None
    unplaced, below_minimum = [], []
    if shown is None:
        page, query = paginate(request, [])
    elif shown_list == "offen":
        page, query = paginate(request, figures.get("unplaced", []))
        unplaced = plan_page.unplaced_rows(shown, list(page.object_list), reason_text)
    elif shown_list == "mindestzahl":
        page, query = paginate(request, figures.get("below_minimum", []))
        below_minimum = plan_page.below_minimum_rows(list(page.object_list), minimum_reason_text)
    else:
        page, query = paginate(request, plan_page.meeting_ids(event=event, version=shown, slots=slots, slot=slot,
                                                               person=person))
        page.object_list = plan_page.meeting_rows(list(page.object_list), slots)
    editable = shown is not None and (shown.pk == getattr(draft, "pk", None)
                                      or (draft is None and shown.pk == getattr(released, "pk", None)))
    log_event("matchwerk.meetings.plan.viewed", event, actor=request.user)
    return render(request, "meetings/staff/plan.html", {
        "event": event, "brokerage": brokerage, "draft": draft, "released": released, "shown": shown,
        "page": page, "query": query, "person": person, "slot": slot, "slots": slots, "list": shown_list,
        "unplaced": unplaced, "below_minimum": below_minimum,
        "unplaced_count": len(figures.get("unplaced", [])), "below_minimum_count": len(figures.get("below_minimum", [])),
        "editable": editable,
        "rows": plan_page.rows_html(page.object_list, editable=editable, csrf_token=get_token(request))
        if shown_list == "gespraeche" and shown is not None else "",
        "run": PlanRun.objects.filter(event=event).only("pk", "status", "message").first(),
        "versions": versions,
        "slot_options": plan_page.slot_options(slots)[0] if unplaced else "",
        "counts": plan_page.request_counts(event),
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
        meetings = selectors.meetings_of_seats(Seat.objects.filter(version=version))
        people = [{"registration": registration, "meetings": meetings.get(registration.pk, [])}
                  for registration in persons.select_related("organisation")]
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
