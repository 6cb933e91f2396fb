"""Issue #9 journey: staff create and publish an event in the back office → a participant
finds it at /veranstaltungen/, registers (mail with the .ics) → the agenda shows it → the
.ics downloads → staff move the event → the new .ics has the same UID and a higher
SEQUENCE. Then an idea becomes an event: the participant submits an idea → staff accept
it → the draft event is prefilled from the idea → staff publish it → it is listed at
/veranstaltungen/. Every page is checked with axe-core."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import icalendar
from django.utils import timezone
from factories import PASSWORD, make_coordinator, make_organisation, make_region, make_user
from playwright.sync_api import expect

from matchwerk.events.enums import RegistrationStatus
from matchwerk.events.models import Event, EventIdea, Registration


def _vevent(content: bytes) -> icalendar.Event:
    entries = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert len(entries) == 1
    return entries[0]


def _download_ics(page, link_name: str) -> icalendar.Event:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).first.click()
    return _vevent(Path(info.value.path()).read_bytes())


def test_participant_registers_sees_agenda_and_gets_a_stable_calendar_entry(live_server, context, page, check_a11y,
                                                                            log_in):
    from django.core import mail

    staff = make_coordinator(make_region(name="Dresden"), full_name="Konrad Koordination")
    participant = make_user(full_name="Paula Pfeiffer")
    make_organisation(owner=participant, name="Radreisen Elbland")
    start = (timezone.localtime() + timedelta(days=10)).replace(hour=18, minute=0, second=0, microsecond=0)

    # Staff create and publish the event in the back office.
    staff_page = context.browser.new_context(base_url=live_server.url, locale="de-DE").new_page()
    log_in(staff_page, staff.email, PASSWORD)
    staff_page.goto("/backoffice/veranstaltungen/neu/")
    check_a11y(staff_page)
    staff_page.get_by_label(re.compile(r"^Titel")).fill("Innovationsstammtisch Smart City")
    staff_page.get_by_label(re.compile(r"^Format")).select_option(label="Innovationsstammtisch / Roundtable")
    staff_page.get_by_label(re.compile(r"^Beginn")).fill(start.strftime("%Y-%m-%dT%H:%M"))
    staff_page.get_by_label(re.compile(r"^Ende")).fill((start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    staff_page.get_by_label(re.compile(r"^Ort")).fill("Kulturpalast Dresden")
    staff_page.get_by_label(re.compile(r"^Plätze")).fill("25")
    staff_page.get_by_label(re.compile(r"^Region")).select_option(label="Dresden")
    staff_page.get_by_role("button", name="Speichern").click()
    expect(staff_page.get_by_role("status")).to_contain_text("Entwurf angelegt")
    check_a11y(staff_page)
    staff_page.get_by_role("button", name="Veröffentlichen").click()
    expect(staff_page.get_by_role("status")).to_contain_text("Veröffentlicht")
    event = Event.objects.get()

    # The participant finds it, registers for her organisation.
    log_in(page, participant.email, PASSWORD)
    page.goto("/veranstaltungen/")
    check_a11y(page)
    page.get_by_role("link", name="Innovationsstammtisch Smart City").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Innovationsstammtisch Smart City")
    check_a11y(page)
    page.get_by_label("Ich melde mich an für").select_option(label="Radreisen Elbland")
    page.get_by_role("button", name="Verbindlich anmelden").click()
    expect(page.get_by_role("status")).to_contain_text("Sie sind angemeldet")
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.CONFIRMED and registration.organisation.name == "Radreisen Elbland"
    confirmation = [m for m in mail.outbox if m.to == [participant.email]][-1]
    mailed = _vevent(next(a[1] for a in confirmation.attachments if a[0].endswith(".ics")))

    # The agenda shows it; its calendar entry downloads and matches the mailed one.
    page.goto("/mein-bereich/veranstaltungen/")
    check_a11y(page)
    expect(page.get_by_role("main")).to_contain_text("Innovationsstammtisch Smart City")
    expect(page.get_by_role("main")).to_contain_text(registration.code)
    before = _download_ics(page, "Kalendereintrag (.ics)")
    assert str(before["UID"]) == str(mailed["UID"]) == f"{event.uid}@matchwerk"

    # Staff move the event by an hour: same UID, higher SEQUENCE, change mail.
    staff_page.goto(f"/backoffice/veranstaltungen/{event.pk}/bearbeiten/")
    moved = start + timedelta(hours=1)
    staff_page.get_by_label(re.compile(r"^Beginn")).fill(moved.strftime("%Y-%m-%dT%H:%M"))
    staff_page.get_by_label(re.compile(r"^Ende")).fill((moved + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    staff_page.get_by_role("button", name="Speichern").click()
    expect(staff_page.get_by_role("status")).to_contain_text("Gespeichert")

    page.reload()
    after = _download_ics(page, "Kalendereintrag (.ics)")
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("DTSTART") == moved
    change = [m for m in mail.outbox if m.to == [participant.email]][-1]
    assert "Geänderte Veranstaltung" in change.subject

    # An idea becomes a published event.
    page.goto("/veranstaltungen/ideen/neu/")
    check_a11y(page)
    page.get_by_label(re.compile(r"^Titel")).fill("Repair-Café trifft Handwerk")
    page.get_by_label(re.compile(r"^Worum geht es")).fill("Reparieren mit Handwerksbetrieben und Startups.")
    page.get_by_label(re.compile(r"^Format")).select_option(label="Workshop")
    page.get_by_label(re.compile(r"^Region")).select_option(label="Dresden")
    page.get_by_role("button", name="Idee einreichen").click()
    expect(page.get_by_role("status")).to_contain_text("Ihre Idee ist eingereicht")
    idea = EventIdea.objects.get()
    staff_page.goto(f"/backoffice/ideen/{idea.pk}/")
    check_a11y(staff_page)
    staff_page.get_by_label("annehmen: Entwurf einer Veranstaltung anlegen").check()
    day = start + timedelta(days=7)
    staff_page.get_by_label(re.compile(r"^Beginn")).fill(day.strftime("%Y-%m-%dT%H:%M"))
    staff_page.get_by_label(re.compile(r"^Ende")).fill((day + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    staff_page.get_by_label(re.compile(r"^Ort")).fill("Werkstatt im Kraftwerk Mitte")
    staff_page.get_by_label(re.compile(r"^Plätze")).fill("20")
    staff_page.get_by_role("button", name="Entscheidung speichern").click()
    expect(staff_page.get_by_role("status")).to_contain_text("Der Entwurf der Veranstaltung ist angelegt")
    draft = Event.objects.get(ideas=idea)  # prefilled from the idea
    assert (draft.title, draft.format, draft.region.name, draft.status) == (
        "Repair-Café trifft Handwerk", "workshop", "Dresden", "draft")
    staff_page.get_by_role("button", name="Veröffentlichen").click()
    expect(staff_page.get_by_role("status")).to_contain_text("Veröffentlicht")
    page.goto("/veranstaltungen/")
    page.get_by_role("link", name="Repair-Café trifft Handwerk").click()
    expect(page.get_by_role("main")).to_contain_text("Reparieren mit Handwerksbetrieben und Startups.")
    expect(page.get_by_role("main")).to_contain_text("Werkstatt im Kraftwerk Mitte")
    staff_page.context.close()
