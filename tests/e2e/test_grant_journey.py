"""The grant journey of a funded programme in a real browser: the coordinator approves a
match's grant application (the match moves to "grant approved"), records a payment, opens
the programme's report dashboard (charts as data: images, no CSP message) and downloads the
funder report PDF, whose text names the programme and the paid sum."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from factories import PASSWORD
from playwright.sync_api import expect
from programme_world import grant_world
from pypdf import PdfReader

from matchwerk.matching.enums import MatchStage
from matchwerk.matching.models import Match
from matchwerk.programmes.grants import services
from matchwerk.programmes.grants.enums import GrantStatus
from matchwerk.programmes.grants.models import Grant, Payment

pytestmark = pytest.mark.e2e


def test_coordinator_approves_pays_and_downloads_the_funder_report(page, check_a11y, log_in):
    world = grant_world(budget="10000.00", grant_per_match="2500.00")
    programme = world.programme
    programme.name = "Kreativ trifft Handwerk Nord"
    programme.save(update_fields=["name"])
    grant = services.grant_apply(actor=world.member, match=world.match, purpose="Ein Regal aus Verschnitt",
                                 cost_lines=[("Holz", "1000"), ("Werkstattmiete", "500")])
    assert grant.status == GrantStatus.APPLIED and grant.amount_requested == Decimal("1500.00")

    log_in(page, world.coordinator.email, PASSWORD)
    # the programme's grants, then the open application
    page.goto(f"/backoffice/foerderungen/programm/{programme.slug}/")
    check_a11y(page)
    page.get_by_role("link", name=re.compile("Atelier Nord")).first.click()
    expect(page.get_by_role("heading", name=re.compile(r"^Förderung: "))).to_be_visible()
    check_a11y(page)
    expect(page.get_by_label("Bewilligter Betrag (EUR)")).to_have_value("1500,00")  # the requested sum, German
    page.get_by_role("button", name="Förderung bewilligen").click()
    expect(page.get_by_text("das Match steht jetzt auf „Förderung bewilligt“")).to_be_visible()
    assert Grant.objects.get(pk=grant.pk).status == GrantStatus.APPROVED
    assert Match.objects.get(pk=world.match.pk).stage == MatchStage.GRANT_APPROVED

    # the match appears in the "grant approved" column of the coordinator's caseload board
    detail_url = page.url
    page.goto(f"/backoffice/betreuung/?programm={programme.slug}")
    card = page.get_by_role("region", name="Förderung bewilligt").get_by_role("listitem").filter(
        has_text="Atelier Nord")
    expect(card).to_be_visible()

    # a payment: date, amount (typed as a German user writes it), reference
    page.goto(detail_url)
    today = timezone.localdate()
    page.get_by_label("Zahlungsdatum").fill(today.isoformat())
    page.get_by_label("Betrag (EUR)").fill("1.250,00")
    page.get_by_label("Buchungszeichen / Verwendungszweck").fill("ZA-2026-17")
    page.get_by_role("button", name="Zahlung speichern").click()
    expect(page.get_by_text("Die Zahlung ist erfasst.")).to_be_visible()
    payments = page.get_by_role("table").filter(has_text="Buchungszeichen")
    expect(payments.get_by_role("row").filter(has_text="ZA-2026-17")).to_contain_text("1.250,00 EUR")
    check_a11y(page)
    payment = Payment.objects.get(grant=grant)
    assert (payment.amount, payment.reference, payment.paid_on) == (Decimal("1250.00"), "ZA-2026-17", today)

    # the report dashboard: charts are data: images (the page fixture fails on a CSP message)
    page.goto(f"/backoffice/berichte/{programme.slug}/")
    expect(page.get_by_role("heading", name=f"Berichte: {programme.name}")).to_be_visible()
    charts = page.locator("figure.report-chart img")
    expect(charts.first).to_be_visible()
    assert all(src.startswith("data:image/svg+xml") for src in
               charts.evaluate_all("images => images.map(image => image.getAttribute('src'))"))
    assert charts.evaluate_all("images => images.every(image => image.complete && image.naturalWidth > 0)")
    check_a11y(page)

    with page.expect_download() as info:
        page.get_by_role("link", name="PDF herunterladen").click()
    download = info.value
    assert download.suggested_filename == f"foerderbericht-{programme.slug}-gesamt.pdf"
    body = open(download.path(), "rb").read()
    assert body.startswith(b"%PDF-")
    text = "\n".join(page_.extract_text() for page_ in PdfReader(io.BytesIO(body)).pages)
    assert programme.name in text
    assert re.search(r"ausgezahlt\s+1\.250,00", text), text  # the paid sum (less than approved), German format
