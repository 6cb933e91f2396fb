"""Issue #4 journey: the matching team accepts a suggestion → both organisations are
asked (by e-mail) → both accept in the browser → the match exists."""

from __future__ import annotations

import re

from factories import PASSWORD, make_need, make_offer, make_organisation, make_user
from playwright.sync_api import expect

from matchwerk.accounts.enums import Role
from matchwerk.matching import services
from matchwerk.matching.enums import MatchStatus
from matchwerk.matching.models import Match


def test_team_accepts_suggestion_and_both_sides_agree(browser, live_server, context, page, check_a11y, log_in):
    from django.core import mail

    owner_sme, owner_startup = make_user(full_name="Uwe Radler"), make_user(full_name="Bea Buchbar")
    team = make_user(role=Role.MATCHING_TEAM, full_name="Mara Matching")
    sme = make_organisation(owner=owner_sme, kind="sme", name="Radreisen Elbland")
    make_need(sme, title="Online-Buchung für Radtouren",
              description="Buchungsanfragen kommen per Telefon und E-Mail; wir suchen ein Online-Buchungssystem.")
    startup = make_organisation(owner=owner_startup, kind="startup", name="Buchbar Digital")
    make_offer(startup, title="Online-Buchungssysteme für Touristik",
               description="Wir richten Online-Buchung, Kalender und Bezahlung für kleine Anbieter ein.")
    programme = services.programme_default()
    programme.team.add(team)  # the programme's team reviews its queue
    services.suggestions_recompute(programme=programme)

    # The participant sees the suggestion with its reasons.
    log_in(page, owner_sme.email, PASSWORD)
    page.goto(f"/organisationen/{sme.pk}/vorschlaege/")
    check_a11y(page)
    card = page.get_by_role("listitem").filter(has_text="Buchbar Digital")
    assert "Online-Buchung" in card.inner_text()

    # The matching team accepts it from the review queue.
    team_page = context.browser.new_context(base_url=live_server.url, locale="de-DE").new_page()
    log_in(team_page, team.email, PASSWORD)
    team_page.goto("/matching/")
    check_a11y(team_page)
    entry = team_page.get_by_role("listitem").filter(has_text="Buchbar Digital").filter(has_text="Radreisen Elbland")
    entry.locator("summary").click()  # the card's one tab stop opens its actions
    entry.get_by_role("button", name="Annehmen und beide anfragen").click()
    # htmx swaps the card in place (page and filters stay); without JavaScript the page reloads
    expect(team_page.get_by_text("beide Organisationen werden um Zustimmung gebeten")).to_be_visible()
    assert team_page.url.endswith("/matching/")
    check_a11y(team_page)
    recipients = {address for message in mail.outbox for address in message.to}
    assert {owner_sme.email, owner_startup.email} <= recipients

    # Both sides agree in their "Meine Matches".
    page.goto("/mein-bereich/matches/")
    check_a11y(page)
    page.get_by_role("button", name="Zustimmen").click()
    page.wait_for_load_state("load")
    assert "warten noch auf die Zustimmung der anderen Seite" in page.content()
    assert Match.objects.get().status == MatchStatus.PROPOSED

    other = context.browser.new_context(base_url=live_server.url, locale="de-DE").new_page()
    log_in(other, owner_startup.email, PASSWORD)
    other.goto("/mein-bereich/matches/")
    assert re.search("Radreisen Elbland", other.content())
    other.get_by_role("button", name="Zustimmen").click()
    other.wait_for_load_state("load")
    assert "das Match steht" in other.content()
    check_a11y(other)
    match = Match.objects.get()
    assert match.status == MatchStatus.ACTIVE
    assert {side.organisation_id for side in match.sides.all()} == {sme.pk, startup.pk}
    team_page.context.close()
    other.context.close()
