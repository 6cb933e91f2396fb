"""The token page, the operator's command, the staff's webhook pages and the public
event calendar."""

from __future__ import annotations

import io

import icalendar
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from matchwerk.api.models import ApiToken, Webhook, WebhookDelivery
from matchwerk.api.services import token_digest
from matchwerk.events import services as event_services

pytestmark = pytest.mark.django_db


def test_token_page_shows_a_new_token_once_and_revokes(client, world):
    client.force_login(world.users["pa"])
    response = client.post("/mein-bereich/api-schluessel/", {"name": "CRM", "read_only": "on"})
    assert response.status_code == 200
    raw = response.context["new_token"]
    assert raw.startswith("mw_") and raw in response.content.decode()
    token = ApiToken.objects.get(user=world.users["pa"])
    assert token.digest == token_digest(raw) and raw not in (token.digest, token.prefix) and token.read_only
    again = client.get("/mein-bereich/api-schluessel/")
    assert raw not in again.content.decode() and token.prefix in again.content.decode()
    assert client.get("/api/v1/regions/", HTTP_AUTHORIZATION=f"Token {raw}").status_code == 200
    assert client.post("/mein-bereich/api-schluessel/", {"name": ""}).status_code == 400
    # another person cannot revoke it; she can
    client.force_login(world.users["pb"])
    assert client.post(f"/mein-bereich/api-schluessel/{token.pk}/widerrufen/").status_code == 404
    client.force_login(world.users["pa"])
    assert client.post(f"/mein-bereich/api-schluessel/{token.pk}/widerrufen/").status_code == 302
    client.logout()
    assert client.get("/api/v1/regions/", HTTP_AUTHORIZATION=f"Token {raw}").status_code == 401


def test_command_prints_a_working_token(client, world):
    out = io.StringIO()
    call_command("api_token", "create", world.users["coord"].email.upper(), "--read-only", "--name", "Skript",
                 stdout=out)
    raw = out.getvalue().strip()
    token = ApiToken.objects.get(digest=token_digest(raw))
    assert token.name == "Skript" and token.read_only and token.user == world.users["coord"]
    headers = {"HTTP_AUTHORIZATION": f"Token {raw}"}
    assert client.get("/api/v1/organisations/", **headers).status_code == 200
    assert client.post("/api/v1/events/", {}, content_type="application/json", **headers).status_code == 403
    with pytest.raises(CommandError):
        call_command("api_token", "create", "niemand@example.org", stdout=io.StringIO())


def test_webhook_pages_for_staff_only(client, world):
    client.force_login(world.users["pa"])
    assert client.get("/backoffice/webhooks/").status_code == 403
    client.force_login(world.users["coord"])
    response = client.post("/backoffice/webhooks/", {"url": "http://127.0.0.1:9/crm", "events": ["checkin.created"],
                                                     "is_active": "on"})
    assert response.status_code == 302
    hook = Webhook.objects.get()
    assert hook.owner == world.users["coord"] and hook.events == ["checkin.created"]
    page = client.get(f"/backoffice/webhooks/{hook.pk}/")
    assert page.status_code == 200 and hook.secret in page.content.decode()
    bad = client.post("/backoffice/webhooks/", {"url": "ftp://example.org/", "events": ["checkin.created"]})
    assert bad.status_code == 400 and Webhook.objects.count() == 1
    delivery = WebhookDelivery.objects.create(webhook=hook, event="checkin.created", body='{"data": {"x": 1}}',
                                              timestamp=0, status="failed")
    client.force_login(world.users["coord_other"])  # another member of staff: not her hook
    assert client.get(f"/backoffice/webhooks/{hook.pk}/").status_code == 404
    assert client.post(f"/backoffice/webhooks/zustellung/{delivery.pk}/erneut/").status_code == 404
    client.force_login(world.users["coord"])
    assert client.post(f"/backoffice/webhooks/zustellung/{delivery.pk}/erneut/").status_code == 302
    assert WebhookDelivery.objects.filter(resent_from=delivery).count() == 1


def test_public_calendar_has_published_events_filterable_by_region(client, world):
    event = world.objects["event"]
    draft = event_services.event_create(
        actor=world.users["admin"], topics=(), title="Entwurf D", format="workshop", description="",
        venue_name="Ort", venue_address="", venue_host="", starts_at=event.starts_at, ends_at=event.ends_at,
        capacity=5, region=world.objects["other_region"])
    response = client.get("/veranstaltungen/kalender.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    titles = [str(entry["summary"]) for entry in calendar.walk("VEVENT")]
    assert "Veranstaltung E" in titles and draft.title not in titles
    other = client.get("/veranstaltungen/kalender.ics", {"region": world.objects["other_region"].slug})
    assert [str(e["summary"]) for e in icalendar.Calendar.from_ical(other.content).walk("VEVENT")] == []
    assert client.get("/veranstaltungen/kalender.ics", {"region": "gibt-es-nicht"}).status_code == 404
    assert client.post("/veranstaltungen/kalender.ics").status_code == 405


def test_docs_page_loads_swagger_from_our_static_files(client):
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "<style" not in html
    assert "script-src 'self'" in page["Content-Security-Policy"]
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200 and "/api/v1/organisations/" in schema.json()["paths"]
