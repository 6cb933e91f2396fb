"""Writes of the programmes app: programmes with their team and coordinators per region,
peer-learning sessions (invitations, attendance, notes and material)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from matchwerk.core.audit import log_event
from matchwerk.core.mail import mail_send
from matchwerk.programmes.models import PeerMaterial, PeerSession, PeerSessionMatch, Programme, ProgrammeCoordinator
from matchwerk.programmes.rules import can_manage_peer_sessions, can_manage_programme

PROGRAMME_FIELDS = ("name", "slug", "description", "funder", "funding_reference", "starts_on", "ends_on", "budget",
                    "grant_per_match", "retention_months", "kind_pairs", "is_active")


def programme_save(*, actor, programme: Programme | None = None, data: dict, regions=(), required_topics=(),
                   team=(), coordinators: dict[int, list] | None = None) -> Programme:
    """Create or change a programme: its fields, rules, team and coordinators per region
    (``{region id: [users]}``; a region left out keeps nobody)."""
    if not can_manage_programme.test(actor):
        raise PermissionDenied
    creating = programme is None
    programme = programme or Programme()
    for field in PROGRAMME_FIELDS:
        if field in data:
            setattr(programme, field, data[field])
    programme.full_clean()
    with transaction.atomic():
        programme.save()
        programme.regions.set(regions)
        programme.required_topics.set(required_topics)
        programme.team.set(team)
        if coordinators is not None:
            wanted = {(region_id, user.pk) for region_id, users in coordinators.items() for user in users}
            existing = {(c.region_id, c.user_id): c for c in programme.coordinators.all()}
            for key, row in existing.items():
                if key not in wanted:
                    row.delete()
            ProgrammeCoordinator.objects.bulk_create([
                ProgrammeCoordinator(programme=programme, region_id=region_id, user_id=user_id)
                for region_id, user_id in sorted(wanted - set(existing))])
        log_event(f"matchwerk.programmes.programme.{'created' if creating else 'changed'}", programme, actor=actor)
    programme._team_ids = None
    return programme


def peer_session_save(*, actor, programme: Programme, session: PeerSession | None = None, data: dict) -> PeerSession:
    if not can_manage_peer_sessions.test(actor, programme):
        raise PermissionDenied
    session = session or PeerSession(programme=programme, created_by=actor)
    for field in ("title", "starts_at", "ends_at", "online_url", "place", "notes"):
        if field in data:
            setattr(session, field, data[field])
    session.full_clean()
    session.save()
    log_event("matchwerk.programmes.peer_session.saved", session, actor=actor)
    return session


def peer_session_invite(*, actor, session: PeerSession, now=None) -> int:
    """Invite every active match of the programme (agreed and later, not ended) that is not
    invited yet: one mail per member. Returns the number of matches newly invited."""
    from matchwerk.matching.enums import ACTIVE_STAGES
    from matchwerk.matching.models import Match
    from matchwerk.matching.services import match_members

    if not can_manage_peer_sessions.test(actor, session.programme):
        raise PermissionDenied
    now = now or timezone.now()
    invited = 0
    url = settings.SITE_URL + reverse("programmes:peer_session", args=[session.pk])
    with transaction.atomic():
        already = set(session.invitations.values_list("match_id", flat=True))
        for match in Match.objects.filter(programme=session.programme, stage__in=ACTIVE_STAGES).exclude(
                pk__in=already).prefetch_related("sides__organisation"):
            PeerSessionMatch.objects.create(session=session, match=match, invited_at=now)
            for member in match_members(match):
                with translation.override(member["language"] or None):
                    when = formats.date_format(timezone.localtime(session.starts_at), "DATETIME_FORMAT")
                mail_send(to=member["email"], template="programmes/mail/peer_session_invitation",
                          language=member["language"],
                          context={"name": member["name"], "programme": session.programme.name,
                                   "title": session.title, "when": when, "online_url": session.online_url,
                                   "place": session.place, "url": url})
            invited += 1
        session.invited_at = now
        session.save(update_fields=["invited_at"])
        log_event("matchwerk.programmes.peer_session.invited", session, actor=actor, data={"matches": invited})
    return invited


def peer_attendance_set(*, actor, session: PeerSession, attended_match_ids: set[int]) -> None:
    if not can_manage_peer_sessions.test(actor, session.programme):
        raise PermissionDenied
    with transaction.atomic():
        for invitation in session.invitations.all():
            attended = invitation.match_id in attended_match_ids
            if invitation.attended != attended:
                invitation.attended = attended
                invitation.save(update_fields=["attended"])


def peer_material_add(*, actor, session: PeerSession, title: str, url: str = "", file=None) -> PeerMaterial:
    if not can_manage_peer_sessions.test(actor, session.programme):
        raise PermissionDenied
    if not url and not file:
        raise ValidationError(_("Bitte einen Link oder eine Datei angeben."))
    if file and file.size > settings.PEER_MATERIAL_MAX_BYTES:
        raise ValidationError(_("„%(name)s“ ist zu groß (höchstens %(mb)d MB).")
                              % {"name": file.name, "mb": settings.PEER_MATERIAL_MAX_BYTES // (1024 * 1024)})
    material = PeerMaterial(session=session, title=title.strip(), url=url, added_by=actor)
    if file:
        file.name = get_valid_filename(file.name.rsplit("/", 1)[-1])[-100:] or "material"
        material.file = file
    material.full_clean()
    material.save()
    log_event("matchwerk.programmes.peer_material.added", material, actor=actor,
              data={"session": session.pk, "file": bool(file)})
    return material
