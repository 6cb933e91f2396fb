"""The grant pages: a member applies with a cost plan, the coordinator approves and
records a payment, the member submits receipts; denied paths answer 404/403."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.utils import translation
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from factories import make_coordinator, make_region
from programme_world import grant_world

from matchwerk.core.models import AccessLog
from matchwerk.matching.enums import MatchStage
from matchwerk.programmes.grants.enums import GrantStatus
from matchwerk.programmes.grants.models import Grant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def german():
    """Messages and labels are asserted in German, whatever language an earlier test left active."""
    with translation.override("de"):
        yield


def _lines(*lines):
    data = {"posten-TOTAL_FORMS": str(len(lines)), "posten-INITIAL_FORMS": "0", "posten-MIN_NUM_FORMS": "0",
            "posten-MAX_NUM_FORMS": "20"}
    for i, (description, amount) in enumerate(lines):
        data[f"posten-{i}-description"], data[f"posten-{i}-amount"] = description, amount
    return data


def test_member_applies_coordinator_approves_and_pays(client, settings, tmp_path):
    settings.RECEIPTS_ROOT = tmp_path
    world = grant_world()
    client.force_login(world.member)
    url = reverse("grants:apply", args=[world.match.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"purpose": "Ein Regal aus Verschnitt", **_lines(("Holz", "1200,50"), ("", ""))})
    grant = Grant.objects.get(match=world.match)
    assert response.status_code == 302 and grant.amount_requested == Decimal("1200.50")

    client.force_login(world.coordinator)
    page = client.get(reverse("grants:staff_detail", args=[grant.pk]))
    assert page.status_code == 200 and "10.000,00" in page.content.decode()  # the budget is shown
    response = client.post(reverse("grants:staff_approve", args=[grant.pk]), {"amount": "1200,50", "note": ""})
    assert response.status_code == 302
    grant.refresh_from_db()
    world.match.refresh_from_db()
    assert grant.status == GrantStatus.APPROVED and world.match.stage == MatchStage.GRANT_APPROVED
    response = client.post(reverse("grants:staff_payment", args=[grant.pk]),
                           {"paid_on": timezone.localdate().isoformat(), "amount": "2000,00", "reference": "ZA-1"})
    assert response.status_code == 400 and "höchstens 1200.50 EUR" in response.content.decode()
    client.post(reverse("grants:staff_payment", args=[grant.pk]),
                {"paid_on": timezone.localdate().isoformat(), "amount": "1200,50", "reference": "ZA-1"})
    assert grant.paid_total() == Decimal("1200.50")

    client.force_login(world.member)
    receipt = SimpleUploadedFile("rechnung.pdf", b"%PDF-1.4\n", content_type="application/pdf")
    response = client.post(reverse("grants:proof_submit", args=[grant.pk]),
                           {"report": "Das Regal steht im Laden.", "receipts": [receipt]})
    assert response.status_code == 302
    stored = grant.proof.receipts.get()
    download = client.get(reverse("grants:receipt", args=[stored.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"] and b"".join(download.streaming_content) == b"%PDF-1.4\n"
    assert "no-store" in download["Cache-Control"] and download["X-Content-Type-Options"] == "nosniff"

    client.force_login(world.coordinator)
    assert client.get(reverse("grants:receipt", args=[stored.pk])).status_code == 200
    assert AccessLog.objects.filter(action="matchwerk.programmes.receipt.viewed", actor=world.coordinator).exists()


def test_an_application_over_the_ceiling_shows_the_error(client):
    world = grant_world()
    client.force_login(world.member)
    response = client.post(reverse("grants:apply", args=[world.match.pk]),
                           {"purpose": "Viel", **_lines(("Alles", "3000"))})
    assert response.status_code == 400 and "höchstens 2500.00 EUR" in response.content.decode()
    assert not Grant.objects.exists()


def test_denied_paths(client):
    world = grant_world()
    client.force_login(world.member)
    client.post(reverse("grants:apply", args=[world.match.pk]), {"purpose": "Idee", **_lines(("Holz", "100"))})
    grant = Grant.objects.get()
    far = make_coordinator(make_region(name="Region Fern"))
    # a participant of another match: no page of this match's grant
    client.force_login(world.outsider)
    assert client.get(reverse("grants:apply", args=[world.match.pk])).status_code == 404
    assert client.get(reverse("grants:grant", args=[grant.pk])).status_code == 404
    assert client.get(reverse("grants:staff_detail", args=[grant.pk])).status_code == 403
    # a coordinator of another region (inside or outside the programme): neither sees nor decides
    for coordinator in (world.other_coordinator, far):
        client.force_login(coordinator)
        assert client.get(reverse("grants:staff_detail", args=[grant.pk])).status_code == 404
        assert client.post(reverse("grants:staff_approve", args=[grant.pk]), {"amount": "100"}).status_code == 404
    client.force_login(far)
    assert client.get(reverse("grants:staff_list", args=[world.programme.slug])).status_code == 404
    grant.refresh_from_db()
    assert grant.status == GrantStatus.APPLIED


def test_staff_list_is_scoped_to_the_coordinators_region(client):
    world = grant_world()
    from matchwerk.programmes.grants import services

    services.grant_apply(actor=world.member, match=world.match, purpose="Nord", cost_lines=[("A", "10")])
    services.grant_apply(actor=world.outsider, match=world.other_match, purpose="Süd", cost_lines=[("B", "20")])
    client.force_login(world.coordinator)
    response = client.get(reverse("grants:staff_list", args=[world.programme.slug]))
    assert [g.purpose for g in response.context["page"]] == ["Nord"]
    client.force_login(world.other_coordinator)
    response = client.get(reverse("grants:staff_list", args=[world.programme.slug]))
    assert [g.purpose for g in response.context["page"]] == ["Süd"]


@pytest.mark.parametrize(("language", "typed", "expected"), [
    ("de", "1.250,00", "1250.00"), ("de", "1250,5", "1250.50"), ("de", "12.345.678,9", "12345678.90"),
    ("en", "1,250.00", "1250.00"), ("en", "1.25", "1.25"),
])
def test_amounts_are_accepted_as_the_pages_show_them(language, typed, expected):
    """The pages show "1.500,00 EUR"; a coordinator who types an amount that way is not refused."""
    from matchwerk.programmes.grants.forms import PaymentForm

    with translation.override(language):
        form = PaymentForm({"paid_on": "2026-01-02", "amount": typed, "reference": "ZA-1"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal(expected)


def test_a_payment_typed_with_thousands_separators_is_recorded(client):
    world = grant_world()
    from matchwerk.programmes.grants import services

    grant = services.grant_apply(actor=world.member, match=world.match, purpose="Regal", cost_lines=[("Holz", "1500")])
    client.force_login(world.coordinator)
    assert client.post(reverse("grants:staff_approve", args=[grant.pk]), {"amount": "1.500,00"}).status_code == 302
    response = client.post(reverse("grants:staff_payment", args=[grant.pk]),
                           {"paid_on": timezone.localdate().isoformat(), "amount": "1.250,00", "reference": "ZA-7"})
    assert response.status_code == 302 and grant.paid_total() == Decimal("1250.00")
    assert "1.250,00 EUR" in client.get(reverse("grants:staff_detail", args=[grant.pk])).content.decode()
