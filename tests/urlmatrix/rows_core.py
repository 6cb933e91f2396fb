"""Rows of the URL × role matrix: core, accounts, profiles, matching and the back office."""

from __future__ import annotations

from factories import make_need, make_offer, make_region, make_topic

from matchwerk.accounts.confirmation import confirmation_token_make

from .base import ADMIN, COORD, COORD_OTHER, EVERYONE, GET_ONLY, PA, POST_ONLY, STAFF, TEAM, USERS, r

A = ("pk:org_a",)
A_PERSON = ("pk:org_a", "person_pk:person_a")
A_NEED = ("pk:org_a", "item_pk:need_a")
A_OFFER = ("pk:org_a", "item_pk:offer_a")
EDITS_A = frozenset({PA, COORD, ADMIN})          # acts for A, or staff who edit region R
SEES_A_PEOPLE = EDITS_A | {TEAM}                   # the matching team of P reads (logged)
REVIEWS_P = frozenset({COORD, TEAM, ADMIN})        # P's team, coordinator of R, administrators

ROWS = {
    "core:home": r(EVERYONE),
    "core:dashboard": r(USERS),
    "set_language": r(EVERYONE, data={"language": "en"}),
    # accounts: public pages; forms the probe fills with nothing answer 200/400 with errors
    "accounts:login": r(EVERYONE, also_ok={400}),
    "accounts:logout": r(POST_ONLY, EVERYONE),
    "accounts:signup": r(EVERYONE),
    "accounts:signup_done": r(EVERYONE),
    "accounts:confirm_email": r(EVERYONE, kwargs=("token:confirmation_token",), login_after=True),
    "accounts:confirmation_resend": r(POST_ONLY, USERS),
    "accounts:password_change": r(USERS),
    "accounts:password_reset": r(EVERYONE),
    "accounts:password_reset_done": r(EVERYONE, GET_ONLY),
    "accounts:password_reset_confirm": r(EVERYONE, kwargs=("uidb64:bad_uid", "token:bad_token")),
    "accounts:password_reset_complete": r(EVERYONE, GET_ONLY),
    "accounts:privacy_notice": r(EVERYONE),
    "accounts:privacy": r(USERS),
    "accounts:consent_update": r(POST_ONLY, USERS, data={"purpose": "newsletter", "granted": "1"}),
    "accounts:settings_update": r(POST_ONLY, USERS, also_ok={400}),
    "accounts:export": r(USERS),
    "accounts:erase": r(USERS, also_ok={400}),
    "accounts:user_list": r(frozenset({ADMIN})),
    "accounts:user_edit": r(frozenset({ADMIN}), kwargs=("pk:user_pa",), also_ok={400}),
    # profiles: A is hidden from the directory; B is listed
    "profiles:directory": r(EVERYONE),
    "profiles:organisation_create": r(USERS),
    "profiles:organisation_detail": r(frozenset({PA, COORD, TEAM, ADMIN}), kwargs=A),
    "profiles:organisation_edit": r(EDITS_A, kwargs=A),
    "profiles:organisation_delete": r(EDITS_A, kwargs=A),
    "profiles:people": r(SEES_A_PEOPLE, kwargs=A),
    "profiles:person_add": r(EDITS_A, kwargs=A),
    "profiles:person_edit": r(EDITS_A, kwargs=A_PERSON),
    "profiles:person_remove": r(EDITS_A, kwargs=A_PERSON),
    "profiles:need_create": r(EDITS_A, kwargs=A),
    "profiles:need_edit": r(EDITS_A, kwargs=A_NEED),
    "profiles:need_delete": r(EDITS_A, kwargs=A_NEED),
    "profiles:offer_create": r(EDITS_A, kwargs=A),
    "profiles:offer_edit": r(EDITS_A, kwargs=A_OFFER),
    "profiles:offer_delete": r(EDITS_A, kwargs=A_OFFER),
    # matching
    "matching:organisation_suggestions": r(SEES_A_PEOPLE, kwargs=A),
    "matching:my_matches": r(USERS),
    "matching:match_respond": r(POST_ONLY, frozenset({PA}), kwargs=("pk:side_a",), data={"answer": "accept"}),
    "matching:queue": r(STAFF),  # the coordinator of S sees an empty queue of her own scope
    "matching:decide": r(POST_ONLY, REVIEWS_P, kwargs=("pk:suggestion",), data={"action": "snooze", "days": "7"}),
    "matching:recompute": r(POST_ONLY, frozenset({TEAM, ADMIN}), data={"programm": "p"}),
    # back office
    "backoffice:index": r(STAFF),
    "backoffice:organisation_list": r(STAFF),
    "backoffice:person_list": r(STAFF),
    "backoffice:topic_list": r(STAFF),
    "backoffice:topic_create": r(STAFF, also_ok={400}),
    "backoffice:topic_edit": r(STAFF, kwargs=("pk:topic",), also_ok={400}),
    "backoffice:topic_delete": r(STAFF, kwargs=("pk:topic",)),
    "backoffice:region_list": r(STAFF),
    "backoffice:region_create": r(frozenset({ADMIN}), also_ok={400}),
    "backoffice:region_edit": r(frozenset({ADMIN}), kwargs=("pk:region_s",), also_ok={400}),
    "backoffice:region_delete": r(frozenset({ADMIN}), kwargs=("pk:region_s",)),
    "backoffice:import": r(frozenset({COORD, COORD_OTHER, ADMIN}), also_ok={400}),
    # an import job is its uploader's (the coordinator of R) alone: others get 404
    "backoffice:import_job": r(frozenset({COORD}), kwargs=("pk:import_job",)),
    "backoffice:import_job_decide": r(frozenset({COORD}), kwargs=("pk:import_job",)),
    "backoffice:import_template": r(frozenset({COORD, COORD_OTHER, ADMIN}), kwargs=("file_format:csv",)),
    "backoffice:export": r(STAFF),
    "backoffice:contacts_invite": r(frozenset({COORD, COORD_OTHER, ADMIN})),
    "profiles:invitation": r(EVERYONE, kwargs=("token:bad_token",), also_ok={400}),  # an invalid link: 400
}


def world(ctx) -> dict:
    from matchwerk.profiles.models import ImportJob

    org_a = ctx.org_a
    return {
        "org_a": org_a.pk, "person_a": org_a.people.get().pk, "need_a": make_need(org_a).pk,
        "offer_a": make_offer(org_a).pk, "user_pa": ctx.users[PA].pk, "topic": make_topic().pk,
        "region_s": make_region(name="Region ohne Organisationen").pk, "suggestion": ctx.suggestion.pk,
        "side_a": ctx.side_a.pk, "confirmation_token": confirmation_token_make(user=ctx.users[PA]),
        "bad_uid": "MQ", "bad_token": "abc-123", "csv": "csv",
        # an import job is its uploader's (the coordinator of R) alone
        "import_job": ImportJob.objects.create(
            owner=ctx.users[COORD], filename="liste.csv", status="ready",
            outcome={"preview": [], "rows": 0, "created": 0, "updated": 0, "more": 0, "warnings": []}).pk,
    }
