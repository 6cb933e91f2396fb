"""The URL × role matrix: every named URL of the project, seven roles, GET and POST.

The URL patterns are read from the resolver, so a new URL that is not in ``MATRIX``
fails ``test_every_named_url_is_in_the_matrix`` until someone decides who may use it.
A denied request answers 403, 404 or a redirect to the login page; an allowed one 200 or
302 (a redirect that is not to a login page), or a declared answer to the probe's input
(e.g. 400 for a form the probe fills with nothing) — never a 5xx, never a login redirect.
Every request runs in a savepoint that is rolled back, so a POST that deletes or changes
something leaves the world as it was for the next role.

The world: organisations A (hidden from the directory) and B (listed) in region R, with
participant A and participant B acting for them; a coordinator of R and one of another
region S; a matching-team member on the team of programme P (region R); an administrator
(role, without Django-admin access); a suggestion A → B in P and a proposed match A × B.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from factories import (
    make_coordinator, make_need, make_offer, make_organisation, make_programme, make_region, make_team_member,
    make_topic, make_user,
)

from matchwerk.accounts.confirmation import confirmation_token_make
from matchwerk.accounts.enums import Role
from matchwerk.matching.models import Match, MatchSide, Suggestion

pytestmark = pytest.mark.django_db

ANON, PA, PB, COORD_OTHER, COORD, TEAM, ADMIN = (
    "anonymous", "participant_a", "participant_b", "coordinator_other_region", "coordinator_of_region",
    "matching_team", "administrator")
ROLES = [ANON, PA, PB, COORD_OTHER, COORD, TEAM, ADMIN]
EVERYONE = frozenset(ROLES)
USERS = EVERYONE - {ANON}
STAFF = frozenset({COORD_OTHER, COORD, TEAM, ADMIN})
NOBODY = frozenset()
POST_ONLY = "post only"  # GET answers 405 (or is denied before)
GET_ONLY = "get only"    # POST answers 405 (or is denied before)


@dataclass(frozen=True)
class Rule:
    get: frozenset | str
    post: frozenset | str
    kwargs: tuple = ()              # names of world objects for the URL's keyword arguments
    data: dict = field(default_factory=dict)
    also_ok: frozenset = frozenset()  # declared answers to the probe's input, e.g. 400
    login_after: bool = False       # success sends to the login page (e.g. after confirming an address)


def r(get, post=None, kwargs=(), data=None, also_ok=(), login_after=False):
    return Rule(get=get, post=get if post is None else post, kwargs=tuple(kwargs), data=data or {},
                also_ok=frozenset(also_ok), login_after=login_after)


A = ("pk:org_a",)
A_PERSON = ("pk:org_a", "person_pk:person_a")
A_NEED = ("pk:org_a", "item_pk:need_a")
A_OFFER = ("pk:org_a", "item_pk:offer_a")
EDITS_A = frozenset({PA, COORD, ADMIN})          # acts for A, or staff who edit region R
SEES_A_PEOPLE = EDITS_A | {TEAM}                   # the matching team of P reads (logged)
REVIEWS_P = frozenset({COORD, TEAM, ADMIN})        # P's team, coordinator of R, administrators

MATRIX: dict[str, Rule] = {
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
    # events (E is published; participant A is registered; events are not yet scoped by region)
    "events:list": r(EVERYONE),
    "events:detail": r(EVERYONE, kwargs=("pk:event",)),
    "events:ics": r(EVERYONE, kwargs=("pk:event",)),
    "events:feedback": r(USERS, kwargs=("pk:event",)),  # the page says who may give feedback and when
    "events:register": r(POST_ONLY, USERS, kwargs=("pk:event",)),
    "events:cancel": r(POST_ONLY, frozenset({PA}) | STAFF, kwargs=("pk:registration_a",)),
    "events:agenda": r(USERS),
    "events:agenda_worker": r(EVERYONE),  # the agenda's offline script (the same static answer to everyone)
    "events:feed_create": r(POST_ONLY, USERS),
    "events:feed_revoke": r(POST_ONLY, USERS),
    "events:feed": r(EVERYONE, kwargs=("token:feed_token",)),  # the secret token is the key
    "events:staff_list": r(STAFF),
    "events:staff_create": r(STAFF),
    "events:staff_detail": r(STAFF, kwargs=("pk:event",)),
    "events:staff_edit": r(STAFF, kwargs=("pk:event",)),
    "events:staff_copy": r(POST_ONLY, STAFF, kwargs=("pk:event",)),
    "events:staff_status": r(POST_ONLY, STAFF, kwargs=("pk:event",)),
    "events:staff_question_add": r(POST_ONLY, STAFF, kwargs=("pk:event",)),
    "events:staff_question_delete": r(POST_ONLY, STAFF, kwargs=("pk:question",)),
    "events:staff_invite": r(POST_ONLY, STAFF, kwargs=("pk:event",)),
    "events:staff_walk_in": r(POST_ONLY, STAFF, kwargs=("pk:event",)),
    "events:staff_move": r(POST_ONLY, STAFF, kwargs=("pk:event",)),
    "events:staff_checkin": r(STAFF, kwargs=("pk:event",)),
    "events:staff_checkin_do": r(POST_ONLY, STAFF, kwargs=("pk:event",)),
    "events:staff_registration_cancel": r(POST_ONLY, STAFF, kwargs=("pk:registration_a",)),
}
# The Django admin site is for technical accounts with ``is_staff`` only: none of the
# seven roles enters it (the network's administrators work in the back office).
# Its login page is open to everyone; logging out of it sends everyone to its start page.
ADMIN_SITE = r(NOBODY)
ADMIN_SITE_OPEN = {"admin:login": r(EVERYONE), "admin:logout": r(EVERYONE)}


def _named_urls():
    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern
    return dict(walk(get_resolver().url_patterns))


NAMED_URLS = _named_urls()
PROJECT_URLS = sorted(name for name in NAMED_URLS if not name.startswith("admin:"))
ADMIN_URLS = sorted(name for name in NAMED_URLS if name.startswith("admin:"))


def test_every_named_url_is_in_the_matrix():
    missing = sorted(set(PROJECT_URLS) - set(MATRIX))
    assert not missing, f"URLs without a row in the URL × role matrix: {missing}"
    stale = sorted(set(MATRIX) - set(PROJECT_URLS))
    assert not stale, f"rows for URLs that no longer exist: {stale}"


@pytest.fixture
def world(db):
    region, other_region = make_region(name="Region R"), make_region(name="Region S")
    participant_a, participant_b = make_user(full_name="Anna A"), make_user(full_name="Bert B")
    org_a = make_organisation(owner=participant_a, name="Organisation A", region=region, listed=False, kind="sme")
    org_b = make_organisation(owner=participant_b, name="Organisation B", region=region, listed=True,
                              kind="startup")
    programme = make_programme(regions=[region], slug="p", name="Programm P")
    suggestion = Suggestion.objects.create(programme=programme, organisation=org_a, partner=org_b, score=0.8,
                                           rank=1, reasons=["passt"])
    match = Match.objects.create(programme=programme)
    side_a = MatchSide.objects.create(match=match, organisation=org_a)
    MatchSide.objects.create(match=match, organisation=org_b)
    users = {
        PA: participant_a, PB: participant_b,
        COORD_OTHER: make_coordinator(other_region), COORD: make_coordinator(region),
        TEAM: make_team_member(programme=programme), ADMIN: make_user(role=Role.ADMIN),
    }
    objects = {
        "org_a": org_a.pk, "person_a": org_a.people.get().pk, "need_a": make_need(org_a).pk,
        "offer_a": make_offer(org_a).pk, "user_pa": participant_a.pk, "topic": make_topic().pk,
        "region_s": make_region(name="Region ohne Organisationen").pk, "suggestion": suggestion.pk,
        "side_a": side_a.pk, "confirmation_token": confirmation_token_make(user=participant_a),
        "bad_uid": "MQ", "bad_token": "abc-123", "csv": "csv",
    }
    objects.update(_events(users, region))
    from matchwerk.profiles.models import ImportJob

    objects["import_job"] = ImportJob.objects.create(
        owner=users[COORD], filename="liste.csv", status="ready",
        outcome={"preview": [], "rows": 0, "created": 0, "updated": 0, "more": 0, "warnings": []}).pk
    return users, objects


def _events(users: dict, region) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    from matchwerk.events import services as event_services

    start = timezone.now().replace(microsecond=0) + timedelta(days=14)
    event = event_services.event_create(
        actor=users[ADMIN], topics=(), title="Veranstaltung E", format="workshop", description="", venue_name="Ort",
        venue_address="Straße 1, Dresden", venue_host="", starts_at=start, ends_at=start + timedelta(hours=2),
        capacity=20, region=region)
    event = event_services.event_publish(actor=users[ADMIN], event=event)
    question = event_services.question_add(actor=users[ADMIN], event=event, label="Ernährung?", kind="text")
    registration = event_services.registration_create(actor=users[PA], event=event)
    feed = event_services.calendar_feed_create(actor=users[PA])
    return {"event": event.pk, "question": question.pk, "registration_a": registration.pk, "feed_token": feed.token}


def _url(name: str, rule: Rule, objects: dict) -> str:
    pattern = NAMED_URLS[name]
    if name.startswith("admin:"):
        kwargs = {key: "1" for key in pattern.pattern.converters}
        kwargs.update({key: "x" for key in pattern.pattern.regex.groupindex if key not in kwargs})
        if "app_label" in kwargs:
            kwargs["app_label"] = "profiles"
        return reverse(name, kwargs=kwargs)
    kwargs = {}
    for item in rule.kwargs:
        key, source = item.split(":")
        kwargs[key] = objects.get(source, source)
    return reverse(name, kwargs=kwargs)


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and (
        response.url.startswith(reverse("accounts:login")) or response.url.startswith(reverse("admin:login")))


def _check(client, users, role, method, url, rule: Rule, allowed: bool, denied_get_ok=frozenset()):
    client.logout()
    if role != ANON:
        client.force_login(users[role])
    with transaction.atomic():
        response = client.get(url) if method == "get" else client.post(url, rule.data)
        transaction.set_rollback(True)
    status = response.status_code
    where = f"{method.upper()} {url} as {role}: {status}"
    if allowed:
        assert status in {200, 302} | rule.also_ok, where
        assert rule.login_after or not _is_login_redirect(response), where
    else:
        assert status in {403, 404} | denied_get_ok or _is_login_redirect(response), where
        if status == 302:
            assert _is_login_redirect(response), where


@pytest.mark.parametrize("name", PROJECT_URLS)
def test_url_role_matrix(client, world, name):
    users, objects = world
    rule = MATRIX[name]
    url = _url(name, rule, objects)
    for role in ROLES:
        for method in ("get", "post"):
            allowed = getattr(rule, method)
            if allowed in (POST_ONLY, GET_ONLY):
                # The method is not offered: it never succeeds (405 once past the door).
                _check(client, users, role, method, url, rule, allowed=False, denied_get_ok=frozenset({405}))
            else:
                _check(client, users, role, method, url, rule, allowed=role in allowed)


@pytest.mark.parametrize("name", ADMIN_URLS)
def test_url_role_matrix_admin_site(client, world, name):
    users, objects = world
    rule = ADMIN_SITE_OPEN.get(name, ADMIN_SITE)
    url = _url(name, rule, objects)
    for role in ROLES:
        for method in ("get", "post"):
            _check(client, users, role, method, url, rule, allowed=role in getattr(rule, method))
