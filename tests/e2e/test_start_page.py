"""Start page: German first, the language switch, and the skip link for keyboard users."""

import re

from playwright.sync_api import expect


def test_start_page_is_german_and_names_matchwerk(page, check_a11y):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Matchwerk")
    expect(page).to_have_title(re.compile("Matchwerk"))
    expect(page.get_by_role("link", name="Verzeichnis durchsuchen")).to_be_visible()
    # The stylesheet is served (otherwise the colour-contrast checks would test browser defaults).
    stylesheet = page.locator("link[rel=stylesheet]").first.get_attribute("href")
    response = page.request.get(stylesheet)
    assert response.status == 200, (
        f"{stylesheet} answers {response.status}: the stylesheet in src/matchwerk/static/ is not found by the "
        "static files finders (settings need STATICFILES_DIRS = [PACKAGE_DIR / 'static'])")
    rules = page.evaluate("Array.from(document.styleSheets).reduce((n, sheet) => n + sheet.cssRules.length, 0)")
    assert rules > 20
    check_a11y(page)


def test_start_page_language_switch_to_english(page, check_a11y):
    page.goto("/")
    page.get_by_label("Sprache").select_option("en")
    page.get_by_role("button", name="Wechseln").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    check_a11y(page)
    # The choice sticks for the next page.
    page.goto("/verzeichnis/")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_start_page_tab_reaches_skip_link_first(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text("Zum Inhalt springen")
    expect(focused).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_start_page_and_directory_fit_a_phone_screen(page, check_a11y):
    page.set_viewport_size({"width": 360, "height": 740})
    for url in ("/", "/verzeichnis/", "/konto/registrieren/"):
        page.goto(url)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{url} scrolls sideways by {overflow}px on a phone"
        expect(page.get_by_role("link", name="Verzeichnis", exact=True)).to_be_visible()
        check_a11y(page)
