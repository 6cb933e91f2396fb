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

import importlib
import pkgutil

import pytest
import urlmatrix
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from factories import make_coordinator, make_organisation, make_programme, make_region, make_team_member, make_user
from urlmatrix.base import (
    ADMIN, ANON, COORD, COORD_OTHER, EVERYONE, GET_ONLY, NOBODY, PA, PB, POST_ONLY, ROLES, TEAM, Rule, World, r,
)

from matchwerk.accounts.enums import Role
from matchwerk.matching.models import Match, MatchSide, Suggestion

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_part]

# Every area's rows module, core first (its world makes the objects others may use).
AREAS = sorted((importlib.import_module(f"urlmatrix.{info.name}")
                for info in pkgutil.iter_modules(urlmatrix.__path__) if info.name.startswith("rows_")),
               key=lambda module: (module.__name__ != "urlmatrix.rows_core", module.__name__))


def _merged_rows() -> dict[str, Rule]:
    merged: dict[str, Rule] = {}
    for module in AREAS:
        twice = set(merged) & set(module.ROWS)
        assert not twice, f"{module.__name__} repeats rows of another area: {sorted(twice)}"
        merged.update(module.ROWS)
    return merged


MATRIX: dict[str, Rule] = _merged_rows()
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


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world is built once for the module inside a transaction that is rolled back at
    its end; each test runs in a savepoint within it (``pytestmark``), and each request of a
    test in one more, so no test sees another's changes."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _build_world():
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
    ctx = World(users=users, objects={}, region=region, other_region=other_region, programme=programme,
                org_a=org_a, org_b=org_b, suggestion=suggestion, match=match, side_a=side_a)
    for module in AREAS:
        made = module.world(ctx) if hasattr(module, "world") else {}
        twice = set(made) & set(ctx.objects)
        assert not twice, f"{module.__name__} reuses object names: {sorted(twice)}"
        ctx.objects.update(made)
    return users, ctx.objects


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
        assert status in {403, 404} | denied_get_ok | rule.denied_also or _is_login_redirect(response), where
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
