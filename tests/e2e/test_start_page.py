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
        page.get_by_text("Menü", exact=True).click()
        expect(page.get_by_role("link", name="Verzeichnis", exact=True)).to_be_visible()
        check_a11y(page)


def test_header_collapses_into_a_menu_on_a_phone(page, check_a11y):
    """On a phone the header is one line (brand and a "Menü" button, a <details> that
    works without JavaScript); opened by keyboard it shows the navigation."""
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/")
    header = page.locator("header.site-header")
    height = header.bounding_box()["height"]
    assert height <= 740 * 0.1, f"the collapsed header takes {height:.0f}px of 740"
    link = page.get_by_role("link", name="Verzeichnis", exact=True)
    expect(link).to_be_hidden()
    menu = page.get_by_text("Menü", exact=True)
    menu.focus()
    page.keyboard.press("Enter")
    expect(link).to_be_visible()
    expect(page.get_by_role("button", name="Wechseln")).to_be_visible()
    check_a11y(page)
    page.keyboard.press("Enter")
    expect(link).to_be_hidden()


def test_header_menu_is_open_on_a_wide_screen(page):
    page.goto("/")
    expect(page.get_by_role("link", name="Verzeichnis", exact=True)).to_be_visible()
    expect(page.get_by_text("Menü", exact=True)).to_be_hidden()
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # brand
    page.keyboard.press("Tab")  # first menu entry, no hidden button in between
    expect(page.locator(":focus")).to_have_text("Verzeichnis")


def test_focus_ring_is_visible_with_enough_contrast(page):
    page.goto("/")
    link = page.get_by_role("link", name="Verzeichnis", exact=True)
    link.focus()
    style = link.evaluate("e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }")
    assert style[0] == "solid" and float(style[1].rstrip("px")) >= 2
    assert _contrast(_rgb(style[2]), (255, 255, 255)) >= 3 and _contrast(_rgb(style[2]), (242, 245, 248)) >= 3


def _rgb(css: str) -> tuple[int, int, int]:
    return tuple(int(part) for part in re.findall(r"\d+", css)[:3])


def _contrast(a, b) -> float:
    def luminance(rgb):
        channels = [c / 255 for c in rgb]
        channels = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
