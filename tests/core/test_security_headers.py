"""Content-Security-Policy and Permissions-Policy on every response; templates without
inline scripts, inline event handlers or style attributes (the policy would block them)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from matchwerk.core.middleware import PermissionsPolicyMiddleware, permissions_policy

pytestmark = pytest.mark.django_db

TEMPLATE_DIRS = [Path(settings.TEMPLATES[0]["DIRS"][0])]


def _directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("url", ["/", "/konto/anmelden/", "/verzeichnis/", "/gibt-es-nicht/"])
def test_every_page_has_a_strict_csp_and_no_camera(client, url):
    response = client.get(url)
    csp = _directives(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    policy = response["Permissions-Policy"]
    assert "camera=()" in policy and "microphone=()" in policy and "geolocation=()" in policy


def test_logged_in_pages_carry_the_headers_too(client):
    from factories import make_user

    client.force_login(make_user())
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]


def test_a_view_can_allow_the_camera_for_itself():
    @permissions_policy(camera=["self"])
    def check_in(request):
        return HttpResponse("scan")

    middleware = PermissionsPolicyMiddleware(check_in)
    policy = middleware(RequestFactory().get("/"))["Permissions-Policy"]
    assert "camera=(self)" in policy and "microphone=()" in policy
    plain = PermissionsPolicyMiddleware(lambda request: HttpResponse("x"))(RequestFactory().get("/"))
    assert "camera=()" in plain["Permissions-Policy"]


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "inline event handler"),
    (re.compile(r"\sstyle\s*=", re.IGNORECASE), "style attribute"),
    (re.compile(r"<style[\s>]", re.IGNORECASE), "<style> element"),
    (re.compile(r"javascript:", re.IGNORECASE), "javascript: URL"),
]


def test_templates_have_nothing_inline_that_the_policy_blocks():
    """Templates a browser shows obey the policy. PDF templates (in a ``pdf/`` folder, e.g.
    ``pdf/base.html`` or ``events/pdf/badges.html``) are read by WeasyPrint only, which runs
    no script and fetches no URL (core/pdf.py), so their own ``<style>`` is fine."""
    found = []
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*.html"):
            if "pdf" in path.relative_to(directory).parts[:-1]:
                continue
            text = path.read_text(encoding="utf-8")
            for pattern, what in INLINE:
                for match in pattern.finditer(text):
                    found.append(f"{path.relative_to(directory)}: {what}: {match.group(0)!r}")
    assert found == []
