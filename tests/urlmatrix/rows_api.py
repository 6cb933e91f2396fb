"""Rows of the URL × role matrix: the REST API under /api/v1/ (signed in by session here).

Anonymous requests answer 401 (``WWW-Authenticate: Token``), declared per row with
``denied_also``. The probe POSTs a form body: a request that may write gets past the
rights and is then refused with 415 (the API takes JSON only), declared with ``also_ok``;
one that may not gets 403 (or 404 for what it may not see) before the body is read.
"""

from __future__ import annotations

from .base import ADMIN, COORD, EVERYONE, GET_ONLY, PA, PB, POST_ONLY, STAFF, TEAM, USERS, r

NO_CREDENTIALS = {401}
JSON_ONLY = {415}
SEES_A = frozenset({PA, COORD, TEAM, ADMIN})          # A is hidden: its own people and R's staff
P_STAFF = frozenset({COORD, TEAM, ADMIN})             # programme P's reviewers
E_STAFF = frozenset({COORD, ADMIN})                   # event E (region R, no programme)


def api(get, post=None, **kwargs):
    return r(get, post, denied_also=NO_CREDENTIALS, **kwargs)


ROWS = {
    "api:schema": r(EVERYONE, GET_ONLY),
    "api:docs": r(EVERYONE, GET_ONLY),
    "api:organisation-list": api(USERS, also_ok=JSON_ONLY),
    "api:organisation-detail": api(SEES_A, GET_ONLY, kwargs=("pk:org_a_pk",)),
    "api:need-list": api(USERS, also_ok=JSON_ONLY),
    "api:need-detail": api(SEES_A, GET_ONLY, kwargs=("pk:api_need_a",)),
    "api:offer-list": api(USERS, also_ok=JSON_ONLY),
    "api:offer-detail": api(SEES_A, GET_ONLY, kwargs=("pk:api_offer_a",)),
    "api:region-list": api(USERS, GET_ONLY),
    "api:region-detail": api(USERS, GET_ONLY, kwargs=("pk:region_r",)),
    "api:topic-list": api(USERS, GET_ONLY),
    "api:topic-detail": api(USERS, GET_ONLY, kwargs=("pk:api_topic",)),
    "api:programme-list": api(USERS, GET_ONLY),  # each sees her programmes (none for participants)
    "api:programme-detail": api(P_STAFF, GET_ONLY, kwargs=("pk:programme_p",)),
    "api:suggestion-list": api(USERS, GET_ONLY),
    "api:suggestion-detail": api(P_STAFF | {PA}, GET_ONLY, kwargs=("pk:suggestion_ab",)),
    "api:suggestion-decide": api(POST_ONLY, P_STAFF, kwargs=("pk:suggestion_ab",), also_ok=JSON_ONLY),
    "api:match-list": api(USERS, GET_ONLY),
    "api:match-detail": api(P_STAFF | {PA, PB}, GET_ONLY, kwargs=("pk:match_ab",)),
    "api:match-stage": api(POST_ONLY, P_STAFF, kwargs=("pk:match_ab",), also_ok=JSON_ONLY),
    "api:match-respond": api(POST_ONLY, frozenset({PA, PB}), kwargs=("pk:match_ab",), also_ok=JSON_ONLY),
    "api:event-list": api(USERS, STAFF, also_ok=JSON_ONLY),
    "api:event-detail": api(USERS, GET_ONLY, kwargs=("pk:event",)),
    # publishing a published event: 400 with the service's message; closing it works
    "api:event-publish": api(POST_ONLY, E_STAFF, kwargs=("pk:event",), also_ok={400}),
    "api:event-close": api(POST_ONLY, E_STAFF, kwargs=("pk:event",)),
    "api:event-cancel": api(POST_ONLY, E_STAFF, kwargs=("pk:event",), also_ok=JSON_ONLY),
    "api:registration-list": api(USERS, also_ok=JSON_ONLY),
    "api:registration-detail": api(E_STAFF | {PA}, GET_ONLY, kwargs=("pk:registration_a",)),
    "api:registration-cancel": api(POST_ONLY, E_STAFF | {PA}, kwargs=("pk:registration_a",)),
    "api:checkin-list": api(USERS, E_STAFF, also_ok=JSON_ONLY),
    # pages: one's own tokens; the staff's webhooks (each her own, administrators all)
    "api:tokens": r(USERS, also_ok={400}),
    "api:token_revoke": r(POST_ONLY, frozenset({PA}), kwargs=("pk:api_token_pa",)),
    "api:webhook_list": r(STAFF, also_ok={400}),
    "api:webhook_detail": r(frozenset({COORD, ADMIN}), kwargs=("pk:webhook_coord",), also_ok={400}),
    "api:delivery_resend": r(POST_ONLY, frozenset({COORD, ADMIN}), kwargs=("pk:delivery_coord",)),
    "api:public_calendar": r(EVERYONE, GET_ONLY),
}


def world(ctx) -> dict:
    from factories import make_need, make_offer, make_topic

    from matchwerk.api.models import WebhookDelivery
    from matchwerk.api.services import api_token_create, webhook_create

    hook = webhook_create(actor=ctx.users[COORD], url="http://127.0.0.1:9/hook", events=["checkin.created"])
    delivery = WebhookDelivery.objects.create(webhook=hook, event="checkin.created", body='{"data": {}}',
                                              timestamp=0, status="failed")
    return {"api_token_pa": api_token_create(user=ctx.users[PA], name="Matrix")[0].pk, "webhook_coord": hook.pk,
            "delivery_coord": delivery.pk,"org_a_pk": ctx.org_a.pk, "api_need_a": make_need(ctx.org_a).pk, "api_offer_a": make_offer(ctx.org_a).pk,
            "api_topic": make_topic().pk, "region_r": ctx.region.pk, "programme_p": ctx.programme.pk,
            "suggestion_ab": ctx.suggestion.pk, "match_ab": ctx.match.pk}
