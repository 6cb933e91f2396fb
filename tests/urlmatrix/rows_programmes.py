"""Rows of the URL × role matrix: programmes, a match's page, journal and milestones, the
caseload board, follow-up links, peer learning.

The match is P's proposed match A × B (participants A and B act for its sides); P covers
region R, so its coordinator, P's team and administrators accompany it, the coordinator
of S does not. The peer-learning session of P has invited that match."""

from __future__ import annotations

from datetime import date

from .base import ADMIN, COORD, EVERYONE, GET_ONLY, PA, PB, POST_ONLY, STAFF, TEAM, r

P_STAFF = frozenset({COORD, TEAM, ADMIN})        # accompany P's matches, manage P's sessions
MEMBERS_AND_STAFF = P_STAFF | {PA, PB}           # the match's own page, journal, milestones
ONLY_ADMIN = frozenset({ADMIN})
MATCH = ("pk:prog_match",)
SLUG = ("slug:p",)

ROWS = {
    # programmes (staff pages)
    "programmes:list": r(STAFF),  # each sees the programmes she may open
    "programmes:create": r(ONLY_ADMIN, also_ok={400}),
    "programmes:edit": r(ONLY_ADMIN, kwargs=SLUG, also_ok={400}),
    "programmes:detail": r(P_STAFF, kwargs=SLUG),
    # peer learning
    "programmes:peer_session_create": r(P_STAFF, kwargs=SLUG, also_ok={400}),
    "programmes:peer_session_manage": r(P_STAFF, kwargs=("pk:peer_session",), also_ok={400}),
    "programmes:peer_session_invite": r(POST_ONLY, P_STAFF, kwargs=("pk:peer_session",)),
    "programmes:peer_attendance": r(POST_ONLY, P_STAFF, kwargs=("pk:peer_session",)),
    "programmes:peer_material_add": r(POST_ONLY, P_STAFF, kwargs=("pk:peer_session",)),
    "programmes:peer_session": r(MEMBERS_AND_STAFF, kwargs=("pk:peer_session",)),
    # a material file: the invited match's members and P's staff; anyone else 404 (private storage)
    "programmes:peer_material": r(MEMBERS_AND_STAFF, GET_ONLY, kwargs=("pk:peer_material",)),
    # a match's page (members and staff; others 404)
    "matching:match_detail": r(MEMBERS_AND_STAFF, GET_ONLY, kwargs=MATCH),
    "matching:journal_add": r(POST_ONLY, MEMBERS_AND_STAFF, kwargs=MATCH, data={"text": "Erstes Treffen war gut."}),
    "matching:idea_write": r(POST_ONLY, MEMBERS_AND_STAFF, kwargs=MATCH, data={"idea": "Ein Online-Shop."}),
    "matching:milestone_add": r(POST_ONLY, MEMBERS_AND_STAFF, kwargs=MATCH,
                                data={"title": "Prototyp", "due_on": date(2027, 1, 15).isoformat()}),
    "matching:milestone_done": r(POST_ONLY, MEMBERS_AND_STAFF, kwargs=("pk:prog_milestone",)),
    # the signed link of a follow-up mail is the key: no login
    "matching:followup_answer": r(EVERYONE, kwargs=("token:followup_token",), data={"still_cooperating": "yes"}),
    # coordinators' caseload board and moving a match
    "matching:caseload": r(STAFF),  # the coordinator of S sees an empty board of her own scope
    "matching:stage_change": r(POST_ONLY, P_STAFF, kwargs=MATCH, data={"stage": "ended", "reason": "Test"}),
    "matching:match_coordinator": r(POST_ONLY, P_STAFF, kwargs=MATCH),
    "matching:match_create": r(P_STAFF, kwargs=SLUG, also_ok={400}),
}


def world(ctx) -> dict:
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from matchwerk.matching.models import FollowUp, Milestone
    from matchwerk.matching.services.followups import followup_token
    from matchwerk.programmes.models import PeerMaterial, PeerSession, PeerSessionMatch

    now = timezone.now()
    milestone = Milestone.objects.create(match=ctx.match, title="Kick-off", due_on=date(2027, 1, 1))
    followup = FollowUp.objects.create(match=ctx.match, month=3, due_at=now, sent_at=now)
    session = PeerSession.objects.create(programme=ctx.programme, title="Peer-Learning P", starts_at=now,
                                         online_url="https://meet.example.org/p")
    PeerSessionMatch.objects.create(session=session, match=ctx.match)
    material = PeerMaterial(session=session, title="Folien")
    material.file.save("folien.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    material.save()
    person_a = ctx.org_a.people.get()
    return {"prog_match": ctx.match.pk, "prog_milestone": milestone.pk, "peer_session": session.pk,
            "peer_material": material.pk,
            "followup_token": followup_token(followup=followup, person_id=person_a.pk)}
