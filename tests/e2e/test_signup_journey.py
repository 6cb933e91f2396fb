"""Journey: sign up → confirm the e-mail address → create an organisation with a need →
it appears in the directory. Every page on the way is checked with axe-core."""

import re

from playwright.sync_api import expect

from matchwerk.accounts.models import User
from matchwerk.profiles.models import Organisation

EMAIL = "lena.koehler@porzellan-atelier.example"
PASSWORD = "Blauschwerter-2026!"
ORGANISATION = "Atelier Blauschwerter Testhaus"
NEED = "Fotos und Onlineshop für Porzellanmalerei"


def field(label: str) -> re.Pattern:
    """A form label as Django renders it (with or without the trailing colon)."""
    return re.compile(rf"^\s*{re.escape(label)}:?\s*$")


def test_signup_confirm_create_organisation_with_need_appears_in_directory(page, check_a11y, mail_link, log_in):
    page.goto("/")
    check_a11y(page)
    page.get_by_role("banner").get_by_role("link", name="Registrieren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Konto anlegen")
    check_a11y(page)

    page.get_by_label(field("Name")).fill("Lena Köhler")
    page.get_by_label(field("E-Mail-Adresse")).fill(EMAIL)
    page.get_by_label(field("Passwort")).fill(PASSWORD)
    page.get_by_label(field("Passwort wiederholen")).fill(PASSWORD)
    page.get_by_label(field("Ich habe die Datenschutzhinweise gelesen.")).check()
    page.get_by_role("button", name="Konto anlegen").click()
    page.wait_for_load_state("load")
    assert "/konto/anmelden/" not in page.url
    check_a11y(page)
    user = User.objects.get(email=EMAIL)
    assert user.email_confirmed_at is None

    # Confirm through the link in the mail.
    page.goto(mail_link(r"/konto/bestaetigen/"))
    page.wait_for_load_state("load")
    user.refresh_from_db()
    assert user.email_confirmed_at is not None
    check_a11y(page)

    # Log in if the confirmation did not already do so.
    if page.get_by_role("button", name="Abmelden").count() == 0:
        log_in(page, EMAIL, PASSWORD)
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()

    # Create the organisation.
    page.goto("/mein-bereich/")
    check_a11y(page)
    page.get_by_role("main").get_by_role("link", name="Organisation anlegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisation anlegen")
    check_a11y(page)
    page.get_by_label(field("Name")).fill(ORGANISATION)
    page.get_by_label(field("Art")).select_option(label="Kreativschaffende")
    page.get_by_label(field("Region")).select_option(label="Meißen")
    page.get_by_label(field("Ort")).fill("Meißen")
    page.get_by_label(field("Über uns")).fill("Porzellanmalerei mit alten Techniken und neuen Motiven.")
    page.get_by_role("checkbox", name="Design", exact=True).check()
    page.get_by_label(field("Ja, unsere Organisation darf im Verzeichnis erscheinen.")).check()
    page.get_by_label(field("Ja, unser Profil darf für Matching-Vorschläge verwendet werden.")).check()
    page.get_by_role("main").get_by_role("button", name="Organisation anlegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ORGANISATION)
    check_a11y(page)
    organisation = Organisation.objects.get(name=ORGANISATION)
    assert organisation.listed_in_directory and organisation.open_for_matching

    # Add a need.
    page.get_by_role("link", name="Bedarf hinzufügen").click()
    check_a11y(page)
    page.get_by_label(field("Titel")).fill(NEED)
    page.get_by_label(field("Beschreibung")).fill("Meine Stücke verkaufen sich auf Märkten gut, online bin ich unsichtbar.")
    page.get_by_role("main").get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ORGANISATION)
    expect(page.get_by_role("heading", name=NEED)).to_be_visible()
    assert organisation.needs.filter(title=NEED).exists()

    # It appears in the directory: search for it.
    page.get_by_role("banner").get_by_role("link", name="Verzeichnis").click()
    check_a11y(page)
    page.get_by_label(field("Suche")).fill("Blauschwerter")
    page.get_by_role("button", name="Filtern").click()
    results = page.get_by_role("list", name="Ergebnisse")
    expect(results.get_by_role("link", name=ORGANISATION)).to_be_visible()
    expect(results).to_contain_text(NEED)
    expect(page.get_by_role("status")).to_contain_text("1 Organisation gefunden")
    check_a11y(page)
