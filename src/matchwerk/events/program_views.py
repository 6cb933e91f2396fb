"""Staff pages for an event's programme: sessions with times and rooms, working groups
filled by the engine's ``compose`` or by hand."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from matchwerk.events import rules, selectors, services
from matchwerk.events.forms import MemberForm, SessionForm
from matchwerk.events.models import GroupMember, Session
from matchwerk.events.services.checkin import normal_code
from matchwerk.events.staff_views import _apply_errors, _editable, _errors, staff_view


@staff_view
def sessions(request, pk: int):
    event = _editable(request, pk)
    form = SessionForm(request.POST or None, prefix="session")
    if request.method == "POST" and form.is_valid():
        try:
            services.session_add(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Programmpunkt hinzugefügt."))
            return redirect("events:staff_sessions", pk=pk)
    return render(request, "events/staff/sessions.html", {
        "event": event, "form": form, "sessions": selectors.sessions_of_event(event=event, with_members=True),
        "member_form": MemberForm(prefix="member"),
    })


def _session(request, pk: int) -> Session:
    session = get_object_or_404(Session.objects.select_related("event"), pk=pk)
    if not rules.can_edit_event(request.user, session.event):
        raise PermissionDenied
    return session


@staff_view
@require_POST
def session_delete(request, pk: int):
    session = _session(request, pk)
    services.session_delete(actor=request.user, session=session)
    messages.success(request, _("Programmpunkt entfernt."))
    return redirect("events:staff_sessions", pk=session.event_id)


@staff_view
@require_POST
def groups_propose(request, pk: int):
    event = _editable(request, pk)
    try:
        proposal = services.groups_propose(actor=request.user, event=event)
    except ValidationError as error:
        _errors(request, error)
    else:
        text = _("%(assigned)s Personen auf %(groups)s Arbeitsgruppen verteilt.") % {
            "assigned": proposal.assigned, "groups": proposal.groups}
        if proposal.unassigned:
            text += " " + _("%(n)s Personen fanden keinen Platz (Arbeitsgruppen voll).") % {"n": proposal.unassigned}
        messages.success(request, text)
    return redirect("events:staff_sessions", pk=pk)


@staff_view
@require_POST
def member_add(request, pk: int):
    session = _session(request, pk)
    form = MemberForm(request.POST, prefix="member")
    registration = None
    if form.is_valid():
        registration = session.event.registrations.filter(code=normal_code(form.cleaned_data["code"])).first()
    if registration is None:
        messages.error(request, _("Zu dieser Veranstaltung gibt es keine Anmeldung mit diesem Code."))
        return redirect("events:staff_sessions", pk=session.event_id)
    try:
        services.group_member_add(actor=request.user, session=session, registration=registration)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("%(name)s ist in der Arbeitsgruppe „%(group)s“.") % {
            "name": registration.name, "group": session.title})
    return redirect("events:staff_sessions", pk=session.event_id)


@staff_view
@require_POST
def member_remove(request, pk: int):
    member = get_object_or_404(GroupMember.objects.select_related("session__event", "registration"), pk=pk)
    if not rules.can_edit_event(request.user, member.session.event):
        raise PermissionDenied
    services.group_member_remove(actor=request.user, member=member)
    messages.success(request, _("%(name)s ist aus der Arbeitsgruppe entfernt.") % {"name": member.registration.name})
    return redirect("events:staff_sessions", pk=member.session.event_id)


@staff_view
@require_GET
def badges_pdf(request, pk: int):
    from matchwerk.core.audit import log_event
    from matchwerk.core.pdf import pdf_response
    from matchwerk.events import printouts

    event = _editable(request, pk)
    log_event("matchwerk.events.registrations.printed", event, {"what": "badges"}, actor=request.user)
    single = request.GET.get("einzeln") == "1"
    return pdf_response(printouts.badges_pdf(event=event, single=single), f"namensschilder-{event.pk}.pdf")


@staff_view
@require_GET
def participants_pdf(request, pk: int):
    from matchwerk.core.audit import log_event
    from matchwerk.core.pdf import pdf_response
    from matchwerk.events import printouts

    event = _editable(request, pk)
    log_event("matchwerk.events.registrations.printed", event, {"what": "participants"}, actor=request.user)
    return pdf_response(printouts.participants_pdf(event=event), f"teilnahmeliste-{event.pk}.pdf")


CONTENT_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "csv": "text/csv; charset=utf-8"}


@staff_view
@require_GET
def participants_export(request, pk: int, file_format: str):
    """The participant list as XLSX or CSV (personal data: logged)."""
    from django.http import HttpResponse

    from matchwerk.core.audit import log_event
    from matchwerk.events import printouts

    event = _editable(request, pk)
    log_event("matchwerk.events.registrations.exported", event, {"what": "participants", "format": file_format},
              actor=request.user)
    response = HttpResponse(printouts.participants_file(event=event, file_format=file_format),
                            content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="teilnahmeliste-{event.pk}.{file_format}"'
    response["Cache-Control"] = "no-store"
    return response


@staff_view
@require_GET
def numbers_export(request, pk: int, file_format: str):
    """The event's numbers as XLSX or CSV for the programmes' reports (logged like the
    participant list)."""
    from django.http import HttpResponse

    from matchwerk.core.audit import log_event
    from matchwerk.events.numbers_export import numbers_file

    event = _editable(request, pk)
    log_event("matchwerk.events.registrations.exported", event, {"what": "numbers", "format": file_format},
              actor=request.user)
    response = HttpResponse(numbers_file(event=event, file_format=file_format), content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="zahlen-{event.pk}.{file_format}"'
    response["Cache-Control"] = "no-store"
    return response
