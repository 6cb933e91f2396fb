"""Peer-learning sessions: staff create them, invite all active matches, record attendance,
share notes and material; the members of invited matches open the session's page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from matchwerk.core.private_files import private_file_response
from matchwerk.core.staff import staff_view
from matchwerk.programmes import services
from matchwerk.programmes.forms import PeerMaterialForm, PeerSessionForm
from matchwerk.programmes.models import PeerMaterial, PeerSession, Programme
from matchwerk.programmes.rules import can_manage_peer_sessions, can_view_peer_session


def _session(user, pk: int) -> PeerSession:
    session = get_object_or_404(PeerSession.objects.select_related("programme"), pk=pk)
    if not can_manage_peer_sessions.test(user, session.programme):
        raise PermissionDenied
    return session


@staff_view()
def session_create(request, slug: str):
    programme = get_object_or_404(Programme, slug=slug)
    if not can_manage_peer_sessions.test(request.user, programme):
        raise PermissionDenied
    form = PeerSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.peer_session_save(actor=request.user, programme=programme, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Sitzung angelegt. Laden Sie jetzt die aktiven Matches ein."))
            return redirect("programmes:peer_session_manage", pk=session.pk)
    return render(request, "programmes/staff/peer_session_form.html", {"form": form, "programme": programme},
                  status=400 if request.method == "POST" else 200)


@staff_view()
def session_manage(request, pk: int):
    session = _session(request.user, pk)
    form = PeerSessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.peer_session_save(actor=request.user, programme=session.programme, session=session,
                                       data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Sitzung gespeichert."))
            return redirect("programmes:peer_session_manage", pk=session.pk)
    invitations = session.invitations.select_related("match").prefetch_related("match__sides__organisation")
    return render(request, "programmes/staff/peer_session.html", {
        "session": session, "form": form, "invitations": invitations, "material_form": PeerMaterialForm(),
        "materials": session.materials.all()}, status=400 if request.method == "POST" else 200)


@staff_view()
@require_POST
def session_invite(request, pk: int):
    session = _session(request.user, pk)
    count = services.peer_session_invite(actor=request.user, session=session)
    messages.success(request, _("%(count)d Matches eingeladen.") % {"count": count})
    return redirect("programmes:peer_session_manage", pk=session.pk)


@staff_view()
@require_POST
def session_attendance(request, pk: int):
    session = _session(request.user, pk)
    attended = {int(value) for value in request.POST.getlist("attended") if value.isdigit()}
    services.peer_attendance_set(actor=request.user, session=session, attended_match_ids=attended)
    messages.success(request, _("Teilnahme gespeichert."))
    return redirect("programmes:peer_session_manage", pk=session.pk)


@staff_view()
@require_POST
def material_add(request, pk: int):
    session = _session(request.user, pk)
    form = PeerMaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.peer_material_add(actor=request.user, session=session, title=form.cleaned_data["title"],
                                       url=form.cleaned_data["url"], file=form.cleaned_data["file"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Material hinzugefügt."))
    else:
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
    return redirect("programmes:peer_session_manage", pk=session.pk)


@login_required
def session_page(request, pk: int):
    """The session for its participants: when, where, shared notes and material."""
    session = get_object_or_404(PeerSession.objects.select_related("programme"), pk=pk)
    if not can_view_peer_session.test(request.user, session):
        raise Http404
    return render(request, "programmes/peer_session.html", {"session": session, "materials": session.materials.all()})


@login_required
@require_GET
def material_download(request, pk: int):
    """A material file of a session, to its participants and the staff who manage it only
    (others: 404, no existence leak); as an attachment, never cached."""
    material = get_object_or_404(PeerMaterial.objects.select_related("session__programme").exclude(file=""), pk=pk)
    if not can_view_peer_session.test(request.user, material.session):
        raise Http404
    return private_file_response(material.file, filename=material.filename)
