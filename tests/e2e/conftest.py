"""Real-browser journeys: Playwright drives Debian's chromium against a live server.

* ``browser`` is one headless chromium for the whole session (``/usr/bin/chromium``;
  ``make test`` installs it; Playwright's own browser download is never used).
* ``page`` is a fresh browser context per test (own cookies, German UI, phone-sized
  viewport optional via ``phone_page``); a Content-Security-Policy or Permissions-Policy
  message in its console fails the test.
* ``check_a11y(page)`` runs axe-core on the current page and fails on serious or
  critical violations, listing rule id, impact and the offending elements.
* ``seeded`` re-creates the seeded regions and topics: the live server needs a
  transactional database, whose tables are flushed after every test.
"""

from __future__ import annotations

import importlib
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from
# a thread with a running loop unless told that this is intended.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("MATCHWERK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic", "--no-first-run"]
A11Y_BLOCKING = {"serious", "critical"}
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (Debian: apt-get install chromium; `make test` does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def live_settings(settings):
    """Settings the live server shares with the test (matchwerk.settings_test: tasks, mails
    included, run immediately into the locmem outbox; a fast password hasher)."""
    return settings


@pytest.fixture
def seeded(transactional_db):
    """Regions and topics as the seed migration creates them (flushed between tests)."""
    from django.apps import apps

    migration = importlib.import_module("matchwerk.profiles.migrations.0002_seed_regions_topics")
    migration.seed(apps, None)


@pytest.fixture
def context(browser, live_server, live_settings, seeded):
    context = browser.new_context(base_url=live_server.url, locale="de-DE",
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context):
    """A page whose console is watched: a Content-Security-Policy violation (the browser
    blocked an inline script or style, or a resource from elsewhere) fails the test."""
    page = context.new_page()
    violations: list[str] = []

    def watch(message) -> None:
        if "Content Security Policy" in message.text or "Permissions-Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", watch)
    yield page
    assert not violations, "Content-Security-Policy violations in the browser console:\n" + "\n".join(violations)


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def a11y_problems(results: dict) -> list[str]:
    """Serious and critical axe violations as readable lines."""
    lines = []
    for violation in results.get("violations", []):
        if violation.get("impact") not in A11Y_BLOCKING:
            continue
        targets = [" ".join(map(str, node.get("target", []))) for node in violation.get("nodes", [])]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation.get('help', '')} "
                     f"→ {', '.join(targets[:5])}{' …' if len(targets) > 5 else ''}")
    return lines


@pytest.fixture
def check_a11y(axe):
    """``check_a11y(page)``: axe-core on the current page; serious/critical violations fail."""

    def check(page) -> None:
        page.wait_for_load_state("load")
        results = axe.run(page).response
        problems = a11y_problems(results)
        assert not problems, f"Accessibility violations on {page.url}:\n" + "\n".join(problems)

    return check


@pytest.fixture
def mail_link():
    """``mail_link(pattern)``: the path of the newest link in the test mail outbox whose URL matches ``pattern``
    (mails carry the configured SITE_URL; the browser needs the live server's)."""
    from django.core import mail

    def find(pattern: str) -> str:
        for message in reversed(mail.outbox):
            bodies = [message.body] + [alternative[0] for alternative in getattr(message, "alternatives", [])]
            for body in bodies:
                for url in re.findall(r"https?://[^\s\"'<>]+", body):
                    if re.search(pattern, url):
                        parts = urlsplit(url)
                        return parts.path + (f"?{parts.query}" if parts.query else "")
        raise AssertionError(f"no mail with a link matching {pattern!r} in {len(mail.outbox)} mail(s)")

    return find


@pytest.fixture
def log_in(check_a11y):
    """``log_in(page, email, password)`` through the login form (checked with axe)."""

    def log_in(page, email: str, password: str) -> None:
        page.goto("/konto/anmelden/")
        check_a11y(page)
        page.get_by_label(re.compile(r"^E-Mail-Adresse:?$")).fill(email)
        page.get_by_label(re.compile(r"^Passwort:?$")).fill(password)
        page.get_by_role("main").get_by_role("button", name="Anmelden").click()
        page.wait_for_load_state("load")

    return log_in
