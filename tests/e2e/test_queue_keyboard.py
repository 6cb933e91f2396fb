"""The review queue by keyboard: one tab stop per card (its <details> summary), the
actions open with Enter; an htmx decision fills the page's gap with the next card."""

from __future__ import annotations

import pytest
from factories import PASSWORD, make_organisation, make_region, make_team_member
from playwright.sync_api import expect

from matchwerk.matching import services
from matchwerk.matching.models import Suggestion
from matchwerk.matching.staff.views import QUEUE_PAGE

pytestmark = pytest.mark.e2e


def test_queue_cards_cost_one_tab_stop_and_a_decision_fills_the_gap(page, check_a11y, log_in):
    programme = services.programme_default()
    team = make_team_member(programme=programme, full_name="Tina Tastatur")
    region = make_region()
    organisations = [make_organisation(kind="sme" if i % 2 else "startup", region=region, name=f"Firma {i:03d}")
                     for i in range(QUEUE_PAGE + 3)]
    Suggestion.objects.bulk_create([
        Suggestion(programme=programme, organisation=organisations[i], partner=organisations[i + 1],
                   score=round(0.95 - i * 0.01, 3), rank=1, reasons=[{"code": "same_region"}])
        for i in range(QUEUE_PAGE + 2)])
    log_in(page, team.email, PASSWORD)
    page.goto("/matching/")
    check_a11y(page)
    cards = page.locator("#queue > li.card")
    expect(cards).to_have_count(QUEUE_PAGE)
    summaries = page.locator("#queue > li.card summary")
    summaries.nth(0).focus()
    page.keyboard.press("Tab")  # straight to the next card: nothing else of card 1 is a tab stop
    expect(summaries.nth(1)).to_be_focused()
    page.keyboard.press("Tab")
    expect(summaries.nth(2)).to_be_focused()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    expect(summaries.nth(0)).to_be_focused()
    page.keyboard.press("Enter")  # opens the action group
    first = cards.nth(0)
    expect(first.get_by_role("button", name="Zurückstellen")).to_be_visible()
    check_a11y(page)
    first.get_by_label("Zurückstellen für (Tage)").fill("3")
    first.get_by_role("button", name="Zurückstellen").click()
    expect(page.get_by_text("Vorschlag zurückgestellt.")).to_be_visible()
    # htmx: the decided card says so, and the card from page 2 moved up into this page
    expect(page.locator("#queue > li.card:not(.decided)")).to_have_count(QUEUE_PAGE)
    expect(page.locator("#queue").get_by_role("heading", name=f"Firma {QUEUE_PAGE:03d} × Firma {QUEUE_PAGE + 1:03d}")
           ).to_be_visible()
    assert page.url.endswith("/matching/")
    check_a11y(page)
