"""Rows of the URL × role matrix: events."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from .base import ADMIN, COORD, EVERYONE, GET_ONLY, PA, POST_ONLY, STAFF, TEAM, USERS, r

# E lies in region R without a programme: its coordinator and administrators act on it; the
# coordinator of S and the matching team (of programme P, not E's) are outside its scope.
E_STAFF = frozenset({COORD, ADMIN})

ROWS = {
    # events (E is published; participant A is registered)
    "events:list": r(EVERYONE),
    "events:detail": r(EVERYONE, kwargs=("pk:event",)),
    "events:ics": r(EVERYONE, kwargs=("pk:event",)),
    "events:feedback": r(USERS, kwargs=("pk:event",)),  # the page says who may give feedback and when
    "events:register": r(POST_ONLY, USERS, kwargs=("pk:event",)),
    "events:cancel": r(POST_ONLY, frozenset({PA}) | E_STAFF, kwargs=("pk:registration_a",)),
    "events:agenda": r(USERS),
    "events:agenda_worker": r(EVERYONE),  # the agenda's offline script (the same static answer to everyone)
    "events:feed_create": r(POST_ONLY, USERS),
    "events:feed_revoke": r(POST_ONLY, USERS),
    "events:feed": r(EVERYONE, kwargs=("token:feed_token",)),  # the secret token is the key
    "events:staff_list": r(STAFF),  # each sees the events of her scope
    "events:staff_create": r(STAFF),
    "events:staff_detail": r(E_STAFF, kwargs=("pk:event",)),
    "events:staff_edit": r(E_STAFF, kwargs=("pk:event",)),
    "events:staff_copy": r(POST_ONLY, E_STAFF, kwargs=("pk:event",)),
    "events:staff_status": r(POST_ONLY, E_STAFF, kwargs=("pk:event",)),
    "events:staff_question_add": r(POST_ONLY, E_STAFF, kwargs=("pk:event",)),
    "events:staff_question_delete": r(POST_ONLY, E_STAFF, kwargs=("pk:question",)),
    "events:staff_invite": r(POST_ONLY, E_STAFF, kwargs=("pk:event",)),
    "events:staff_walk_in": r(POST_ONLY, E_STAFF, kwargs=("pk:event",)),
    "events:staff_move": r(POST_ONLY, E_STAFF, kwargs=("pk:event",)),
    "events:staff_checkin": r(E_STAFF, kwargs=("pk:event",)),
    "events:staff_checkin_do": r(POST_ONLY, E_STAFF, kwargs=("pk:event",)),
    "events:staff_checkin_tickets": r(E_STAFF, GET_ONLY, kwargs=("pk:event",)),  # personal data of the door list: logged
    # a form POST is not the JSON the door device sends: 400 with a message
    "events:staff_checkin_sync": r(POST_ONLY, E_STAFF, kwargs=("pk:event",), also_ok={400}),
    "events:staff_registration_cancel": r(POST_ONLY, E_STAFF, kwargs=("pk:registration_a",)),
    # the programme: sessions and working groups (G is a working group of E, participant A in it)
    "events:staff_sessions": r(E_STAFF, kwargs=("pk:event",)),
    "events:staff_session_delete": r(POST_ONLY, E_STAFF, kwargs=("pk:session",)),
    "events:staff_groups_propose": r(POST_ONLY, E_STAFF, kwargs=("pk:event",)),
    "events:staff_member_add": r(POST_ONLY, E_STAFF, kwargs=("pk:session",)),
    "events:staff_member_remove": r(POST_ONLY, E_STAFF, kwargs=("pk:member",)),
    # composition: rule K and candidate C (organisation A proposed) of E
    "events:staff_composition": r(E_STAFF, kwargs=("pk:event",)),
    "events:staff_rule_delete": r(POST_ONLY, E_STAFF, kwargs=("pk:kind_rule",)),
    "events:staff_compose": r(POST_ONLY, E_STAFF, kwargs=("pk:event",)),
    "events:staff_candidate_add": r(POST_ONLY, E_STAFF, kwargs=("pk:event",)),
    "events:staff_candidate_remove": r(POST_ONLY, E_STAFF, kwargs=("pk:candidate",)),
    "events:staff_candidates_invite": r(POST_ONLY, E_STAFF, kwargs=("pk:event",)),
    "events:staff_series": r(POST_ONLY, E_STAFF, kwargs=("pk:event",)),
    # printouts (PDF)
    "events:staff_badges": r(E_STAFF, GET_ONLY, kwargs=("pk:event",)),
    "events:staff_participants_pdf": r(E_STAFF, GET_ONLY, kwargs=("pk:event",)),
    "events:staff_participants_xlsx": r(E_STAFF, GET_ONLY, kwargs=("pk:event",)),
    "events:staff_participants_csv": r(E_STAFF, GET_ONLY, kwargs=("pk:event",)),
    "events:staff_numbers_xlsx": r(E_STAFF, GET_ONLY, kwargs=("pk:event",)),
    "events:staff_numbers_csv": r(E_STAFF, GET_ONLY, kwargs=("pk:event",)),
    "events:agenda_pdf": r(USERS, GET_ONLY),
    # event ideas: I is participant A's idea for region R (submitted); the empty POST of a
    # form answers 200 with its errors
    "events:ideas": r(EVERYONE),
    "events:idea_create": r(USERS),
    "events:idea_edit": r(frozenset({PA}), kwargs=("pk:idea",)),
    "events:ideas_mine": r(USERS),
    "events:staff_ideas": r(STAFF),
    # coordinators review their regions' ideas; the matching team and administrators all
    "events:staff_idea": r(frozenset({COORD, TEAM, ADMIN}), kwargs=("pk:idea",)),
    # live wall: E's confirmed participant A and E's staff read and post (an empty post
    # answers 200 with its error); moderation and the projector are E's staff's
    "events:wall": r(frozenset({PA}) | E_STAFF, kwargs=("pk:event",)),
    "events:staff_wall": r(E_STAFF, kwargs=("pk:event",)),
    "events:staff_wall_moderate": r(POST_ONLY, E_STAFF, kwargs=("pk:wall_post",)),
    "events:staff_wall_projector": r(E_STAFF, GET_ONLY, kwargs=("pk:event",)),
    "events:staff_wall_projector_posts": r(E_STAFF, GET_ONLY, kwargs=("pk:event",)),
    # photos: F waits for approval (its author A and E's staff see it); the projector link
    # (token T of E) shows approved posts and photos (F2) to whoever has the link
    "events:wall_photo": r(frozenset({PA}) | E_STAFF, GET_ONLY, kwargs=("pk:photo_post",)),
    "events:staff_projector_link": r(POST_ONLY, E_STAFF, kwargs=("pk:event",)),
    "events:projector": r(EVERYONE, GET_ONLY, kwargs=("token:projector_token",)),
    "events:projector_posts": r(EVERYONE, GET_ONLY, kwargs=("token:projector_token",)),
    "events:projector_photo": r(EVERYONE, GET_ONLY, kwargs=("token:projector_token", "pk:approved_photo_post")),
}


def world(ctx) -> dict:
    from matchwerk.events import services as event_services

    users = ctx.users
    start = timezone.now().replace(microsecond=0) + timedelta(days=14)
    event = event_services.event_create(
        actor=users[ADMIN], topics=(), title="Veranstaltung E", format="workshop", description="", venue_name="Ort",
        venue_address="Straße 1, Dresden", venue_host="", starts_at=start, ends_at=start + timedelta(hours=2),
        capacity=20, region=ctx.region)
    event = event_services.event_publish(actor=users[ADMIN], event=event)
    question = event_services.question_add(actor=users[ADMIN], event=event, label="Ernährung?", kind="text")
    registration = event_services.registration_create(actor=users[PA], event=event)
    feed = event_services.calendar_feed_create(actor=users[PA])
    group = event_services.session_add(actor=users[ADMIN], event=event, kind="working_group", title="Gruppe G",
                                       starts_at=start, ends_at=start + timedelta(hours=1))
    member = event_services.group_member_add(actor=users[ADMIN], session=group, registration=registration)
    idea = event_services.idea_submit(actor=users[PA], title="Idee I", description="Ein Stammtisch",
                                      format="roundtable", region=ctx.region)
    post = event_services.wall_post_create(actor=users[PA], event=event, text="Beitrag W")
    from matchwerk.events.models import Candidate
    from matchwerk.events.services import composition

    from django.core.files.uploadedfile import SimpleUploadedFile

    from matchwerk.privacy.services import consent_record

    consent_record(user=users[PA], purpose="photos", granted=True)

    def png():
        return SimpleUploadedFile("f.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01"
                                  b"\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00"
                                  b"\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")

    photo_post = event_services.wall_post_create(actor=users[PA], event=event, text="", photo=png(),
                                                 people_agree=True)
    approved = event_services.wall_post_create(actor=users[PA], event=event, text="", photo=png(), people_agree=True)
    event_services.wall_post_moderate(actor=users[ADMIN], post=approved, status="approved")
    event = event_services.projector_link_set(actor=users[ADMIN], event=event, active=True)
    rule = composition.kind_rule_set(actor=users[ADMIN], event=event, kind="sme", minimum=1, maximum=3)
    candidate = Candidate.objects.create(event=event, organisation=ctx.org_a, user=users[PA])
    return {"wall_post": post.pk, "idea": idea.pk, "event": event.pk, "question": question.pk, "registration_a": registration.pk, "feed_token": feed.token,
            "session": group.pk, "member": member.pk,
            "kind_rule": rule.pk, "candidate": candidate.pk, "photo_post": photo_post.pk,
            "approved_photo_post": approved.pk, "projector_token": event.projector_token}
