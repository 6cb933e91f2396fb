"""Programme journeys in a real browser: a coordinator moves a match on her caseload
board (a form per card, also on a tablet-sized screen) and is refused a move the
programme's rules forbid; a participant opens her match and writes to its journal."""

from __future__ import annotations

from datetime import date, timedelta

from factories import PASSWORD, make_coordinator, make_match, make_organisation, make_programme, make_region, make_user
from playwright.sync_api import expect

from matchwerk.matching.enums import MatchStage
from matchwerk.matching.models import JournalEntry, Match, StageChange


def _programme_with_match():
    region = make_region(name="Landkreis Meißen")
    owner = make_user(full_name="Clara Kreativ")
    coordinator = make_coordinator(region, full_name="Kora Koordination")
    programme = make_programme(regions=[region], name="Kreativ trifft Handwerk", slug="kth")
    creative = make_organisation(owner=owner, kind="creative", region=region, name="Atelier Elbklang")
    firm = make_organisation(kind="sme", region=region, name="Tischlerei Holzwerk")
    match = make_match(creative, firm, programme=programme, stage=MatchStage.KICKOFF)
    return programme, match, coordinator, owner


def test_coordinator_moves_a_match_on_the_board_on_a_tablet(browser, live_server, page, check_a11y, log_in):
    programme, match, coordinator, _owner = _programme_with_match()
    tablet = browser.new_context(base_url=live_server.url, locale="de-DE", viewport={"width": 820, "height": 1180},
                                 has_touch=True).new_page()
    log_in(tablet, coordinator.email, PASSWORD)
    tablet.goto(f"/backoffice/betreuung/?programm={programme.slug}")
    check_a11y(tablet)
    column = tablet.get_by_role("region", name="Kick-off gehalten")
    card = column.get_by_role("listitem").filter(has_text="Atelier Elbklang")
    expect(card).to_be_visible()
    # "in progress" is not offered before "grant approved" in a funded programme
    options = card.get_by_label("Verschieben nach").locator("option").all_inner_texts()
    assert "in Umsetzung" not in options and "Förderung bewilligt" in options
    card.get_by_label("Verschieben nach").select_option(label="Förderung bewilligt")
    card.get_by_role("button", name="Verschieben").tap()
    expect(tablet.get_by_text("ist jetzt: Förderung bewilligt")).to_be_visible()
    assert "/backoffice/betreuung/" in tablet.url and "programm=kth" in tablet.url  # back on the board, filters kept
    moved = tablet.get_by_role("region", name="Förderung bewilligt").get_by_role("listitem").filter(
        has_text="Atelier Elbklang")
    expect(moved).to_be_visible()
    check_a11y(tablet)
    assert Match.objects.get(pk=match.pk).stage == MatchStage.GRANT_APPROVED
    assert StageChange.objects.filter(match=match, to_stage=MatchStage.GRANT_APPROVED,
                                      changed_by=coordinator).exists()
    # ending without a reason is refused with a message; nothing moves
    card = tablet.get_by_role("listitem").filter(has_text="Atelier Elbklang")
    card.get_by_label("Verschieben nach").select_option(label="beendet")
    card.get_by_role("button", name="Verschieben").tap()
    expect(tablet.get_by_text("Bitte geben Sie einen Grund für das Ende an.")).to_be_visible()
    assert Match.objects.get(pk=match.pk).stage == MatchStage.GRANT_APPROVED
    tablet.context.close()


def test_participant_sees_her_match_and_writes_to_the_journal(page, check_a11y, log_in):
    _programme, match, coordinator, owner = _programme_with_match()
    from matchwerk.matching import services

    services.milestone_add(actor=coordinator, match=match, title="Prototyp zeigen",
                           due_on=date.today() + timedelta(days=10))
    services.journal_entry_add(actor=coordinator, match=match, text="Intern: Budget prüfen", visibility="staff")
    log_in(page, owner.email, PASSWORD)
    page.goto("/mein-bereich/matches/")
    check_a11y(page)
    expect(page.get_by_text("Kick-off gehalten")).to_be_visible()
    expect(page.get_by_text("Prototyp zeigen")).to_be_visible()
    page.get_by_role("link", name="Zum Match: Idee, Meilensteine, Journal").click()
    expect(page.get_by_role("heading", name="Atelier Elbklang × Tischlerei Holzwerk")).to_be_visible()
    check_a11y(page)
    assert "Intern: Budget prüfen" not in page.content()
    page.get_by_label("Neuer Eintrag").fill("Erster Entwurf der Möbelserie steht.")
    page.get_by_role("button", name="Eintragen").click()
    expect(page.get_by_text("Eintrag gespeichert.")).to_be_visible()
    expect(page.locator("#journal").get_by_text("Erster Entwurf der Möbelserie steht.")).to_be_visible()
    entry = JournalEntry.objects.get(author=owner)
    assert entry.visibility == JournalEntry.Visibility.MATCH and entry.match_id == match.pk
    check_a11y(page)
