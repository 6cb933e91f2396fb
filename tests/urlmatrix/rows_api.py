"""Rows of the URL × role matrix: the REST API under /api/v1/ (signed in by session here).

Anonymous requests answer 401 (``WWW-Authenticate: Token``), declared per row with
``denied_also``. The probe POSTs a form body: a request that may write gets past the
rights and is then refused with 415 (the API takes JSON only), declared with ``also_ok``;
one that may not gets 403 (or 404 for what it may not see) before the body is read.
"""

from __future__ import annotations

from .base import ADMIN, COORD, COORD_OTHER, EVERYONE, GET_ONLY, PA, PB, POST_ONLY, STAFF, TEAM, USERS, r

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
    "api:journal-entry-list": api(USERS, also_ok=JSON_ONLY),
    "api:journal-entry-detail": api(P_STAFF | {PA, PB}, GET_ONLY, kwargs=("pk:api_journal_entry",)),
    "api:grant-list": api(USERS, GET_ONLY),
    "api:grant-detail": api(P_STAFF | {PA, PB}, GET_ONLY, kwargs=("pk:grant",)),  # staff of the match, members
    "api:grant-approve": api(POST_ONLY, E_STAFF, kwargs=("pk:grant",), also_ok=JSON_ONLY),  # coordinators decide
    "api:grant-request-changes": api(POST_ONLY, E_STAFF, kwargs=("pk:grant",), also_ok=JSON_ONLY),
    "api:payment-list": api(USERS, frozenset({COORD_OTHER, COORD, ADMIN}), also_ok=JSON_ONLY),
    "api:payment-detail": api(P_STAFF | {PA, PB}, GET_ONLY, kwargs=("pk:api_payment",)),
    "api:session-list": api(USERS, STAFF, also_ok=JSON_ONLY),
    "api:session-detail": api(USERS, GET_ONLY, kwargs=("pk:session",)),
    "api:event-idea-list": api(USERS, also_ok=JSON_ONLY),
    "api:event-idea-detail": api(frozenset({PA, COORD, TEAM, ADMIN}), GET_ONLY, kwargs=("pk:idea",)),
    "api:event-idea-decide": api(POST_ONLY, P_STAFF, kwargs=("pk:idea",), also_ok=JSON_ONLY),
    # the live wall: A's post on E waits for E's staff (moderation before)
    "api:wall-post-list": api(USERS, also_ok=JSON_ONLY),
    "api:wall-post-detail": api(E_STAFF | {PA}, GET_ONLY, kwargs=("pk:wall_post",)),
    "api:wall-post-moderate": api(POST_ONLY, E_STAFF, kwargs=("pk:wall_post",), also_ok=JSON_ONLY),
    "api:meeting-request-list": api(USERS, also_ok=JSON_ONLY),
    "api:meeting-request-detail": api(E_STAFF | {PA, PB}, GET_ONLY, kwargs=("pk:meeting_request_ab",)),
    "api:meeting-request-answer": api(POST_ONLY, frozenset({PB}), kwargs=("pk:meeting_request_ab",),
                                      also_ok=JSON_ONLY),
    "api:meeting-request-withdraw": api(POST_ONLY, frozenset({PA}), kwargs=("pk:meeting_request_ab",)),
    "api:meeting-plan-version-list": api(USERS, GET_ONLY),
    "api:meeting-plan-version-detail": api(E_STAFF, GET_ONLY, kwargs=("pk:api_plan_version",)),
    "api:meeting-list": api(USERS, GET_ONLY),
    "api:meeting-detail": api(E_STAFF, GET_ONLY, kwargs=("pk:meeting",)),  # a draft: not yet the participants'
    "api:round-plan-list": api(USERS, GET_ONLY),
    "api:round-plan-detail": api(E_STAFF | {PA}, GET_ONLY, kwargs=("pk:api_round_plan",)),
    # pages: one's own tokens; the staff's webhooks (each her own, administrators all)
    "api:tokens": r(USERS, also_ok={400}),
    "api:token_revoke": r(POST_ONLY, frozenset({PA}), kwargs=("pk:api_token_pa",)),
    "api:webhook_list": r(STAFF, also_ok={400}),
    "api:webhook_detail": r(frozenset({COORD, ADMIN}), kwargs=("pk:webhook_coord",), also_ok={400}),
    "api:delivery_resend": r(POST_ONLY, frozenset({COORD, ADMIN}), kwargs=("pk:delivery_coord",)),
    "api:public_calendar": r(EVERYONE, GET_ONLY),
}


def world(ctx) -> dict:
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone
    from factories import make_need, make_offer, make_topic

    from matchwerk.api.models import WebhookDelivery
    from matchwerk.api.services import api_token_create, webhook_create
    from matchwerk.events import services as event_services
    from matchwerk.matching.models import JournalEntry, Match, MatchSide
    from matchwerk.meetings.models import PlanVersion
    from matchwerk.programmes.grants.models import Grant, Payment
    from matchwerk.rounds.models import Plan, Seat

    admin = ctx.users[ADMIN]
    entry = JournalEntry.objects.create(match=ctx.match, author=admin, text="Für das Match")
    match = Match.objects.create(programme=ctx.programme, status="active")
    for organisation in (ctx.org_a, ctx.org_b):
        MatchSide.objects.create(match=match, organisation=organisation)
    grant = Grant.objects.create(programme=ctx.programme, match=match, purpose="API", status="approved",
                                 amount_requested=Decimal("900.00"), amount_approved=Decimal("900.00"))
    payment = Payment.objects.create(grant=grant, paid_on=timezone.localdate(), amount=Decimal("100.00"),
                                     reference="A-1")
    start = timezone.now().replace(microsecond=0) + timedelta(days=12)
    event = event_services.event_publish(actor=admin, event=event_services.event_create(
        actor=admin, topics=(), title="API-Runde", format="speed_dating", description="", venue_name="Ort",
        venue_address="Straße 3, Dresden", venue_host="", starts_at=start, ends_at=start + timedelta(hours=2),
        capacity=20, region=ctx.region))
    registration = event_services.registration_create(actor=ctx.users[PA], event=event)
    version = PlanVersion.objects.create(event=event, number=1, status="released", released_at=timezone.now())
    plan = Plan.objects.create(event=event, kind="speed", rounds=1)
    Seat.objects.create(plan=plan, round=1, table=1, registration=registration, side="a")

    hook = webhook_create(actor=ctx.users[COORD], url="http://127.0.0.1:9/hook", events=["checkin.created"])
    delivery = WebhookDelivery.objects.create(webhook=hook, event="checkin.created", body='{"data": {}}',
                                              timestamp=0, status="failed")
    return {"api_token_pa": api_token_create(user=ctx.users[PA], name="Matrix")[0].pk, "webhook_coord": hook.pk,
            "delivery_coord": delivery.pk, "org_a_pk": ctx.org_a.pk, "api_need_a": make_need(ctx.org_a).pk, "api_offer_a": make_offer(ctx.org_a).pk,
            "api_topic": make_topic().pk, "region_r": ctx.region.pk, "programme_p": ctx.programme.pk,
            "suggestion_ab": ctx.suggestion.pk, "match_ab": ctx.match.pk, "api_journal_entry": entry.pk,
            "api_payment": payment.pk, "api_plan_version": version.pk, "api_round_plan": plan.pk}
