"""Property-based fuzzing of the whole API with Schemathesis against its live OpenAPI
schema (``/api/v1/schema/``), through the real WSGI application.

Every operation is called with generated input twice: with participant B's token and
with an administrator's token. Checked: no 5xx, every status code and body as the
schema declares, and the participant never sees organisation A's hidden data (A is not
listed in the directory; its texts are markers that must never appear in B's answers; nor
must the staff-only note in the journal of the match A x B, nor A's event idea).
Bounded (a few examples per operation, derandomised) to keep ``make test`` fast.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_schema_conformance, status_code_conformance,
)

HIDDEN_MARKERS = ("Geheimes Vorhaben", "Geheimer Bedarf", "Geheime Notiz", "Geheime Idee")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


# Random fuzzing only (the "coverage" and "examples" phases would add thousands of
# deterministic boundary cases: minutes, not seconds), valid and invalid input alike.
CONFIG = SchemathesisConfig.from_dict({
    "phases": {"coverage": {"enabled": False}, "examples": {"enabled": False}, "stateful": {"enabled": False}},
    "generation": {"mode": "all", "max-examples": 3, "deterministic": True, "database": "none"},
})


@pytest.fixture
def api_schema(world):
    # As Django's test client does: the WSGI handler must not close the test's database
    # connection at the end of each request (PostgreSQL: the test's transaction lives on it).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application(), config=CONFIG)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(world):
    from matchwerk.events.models import EventIdea
    from matchwerk.matching.models import JournalEntry

    # B is a member of the match A × B: she reads its shared journal, never the staff's notes;
    # A's event idea is A's and her reviewers' only
    JournalEntry.objects.create(match=world.objects["match"], author=world.users["coord"], visibility="staff",
                                text="Geheime Notiz der Koordination")
    JournalEntry.objects.create(match=world.objects["match"], author=world.users["pa"], text="Gemeinsame Notiz")
    EventIdea.objects.create(submitter=world.users["pa"], title="Geheime Idee von A", description="…",
                             format="roundtable", region=world.objects["region"])
    return {"participant": world.token("pb"), "staff": world.token("admin")}


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.postgres_part
@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, tokens):
    participant = case.call_and_validate(headers={"Authorization": f"Token {tokens['participant']}"},
                                         checks=CHECKS)
    for marker in HIDDEN_MARKERS:
        assert marker not in participant.text, f"{case.method} {case.formatted_path} showed A's hidden data"
    case.call_and_validate(headers={"Authorization": f"Token {tokens['staff']}"}, checks=CHECKS)
