"""Issue #10 journey (speed-dating): staff set up 2 short rounds (6 seconds each) for 2
startups × 2 SMEs in the back office, compute the plan in the background, start the clock;
the projector page's round clock advances from round 1 to round 2 by itself (JavaScript,
from the server's start time) and shows who sits where; a participant opens her table per
round on the phone from the agenda. Checked with axe-core."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from factories import PASSWORD, make_organisation, make_user
from playwright.sync_api import expect

from matchwerk.accounts.enums import Role
from matchwerk.events import services
from matchwerk.events.enums import EventFormat
from matchwerk.rounds.models import Plan


def test_round_clock_advances_and_a_participant_sees_her_table(browser, live_server, live_settings, seeded,
                                                                check_a11y, log_in):
    staff = make_user(role=Role.ADMIN)
    start = timezone.now() + timedelta(hours=1)
    event = services.event_create(actor=staff, title="Kick-off Meißen", format=EventFormat.SPEED_DATING,
                                  venue_name="TGZ Meißen", starts_at=start, ends_at=start + timedelta(hours=2),
                                  capacity=20)
    services.event_publish(actor=staff, event=event)
    people = {}
    for name, kind in (("Anna Apfel", "startup"), ("Bruno Birne", "startup"), ("Clara Kirsche", "sme"),
                       ("Dieter Dattel", "sme")):
        user = make_user(full_name=name)
        services.registration_create(actor=user, event=event,
                                     organisation=make_organisation(owner=user, kind=kind, name=f"Firma {name}"))
        people[name] = user

    context = browser.new_context(base_url=live_server.url, locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, staff.email, PASSWORD)
    page.goto(f"/backoffice/veranstaltungen/{event.pk}/")
    page.get_by_role("link", name="Speed-Dating-Runden").click()
    check_a11y(page)
    page.locator("#id_rounds").fill("2")
    page.get_by_label("Minuten pro Runde").fill("0.1")
    page.get_by_label("Minuten Pause zwischen den Runden").fill("0")
    page.get_by_label("Tische (je zwei Personen)").fill("2")
    page.get_by_role("button", name="Einstellungen speichern").click()
    expect(page.get_by_role("main")).to_contain_text("Einstellungen gespeichert.")
    page.get_by_role("button", name="Plan berechnen").click()
    expect(page.get_by_role("status")).to_contain_text("Fertig: Der neue Plan gilt.")
    page.get_by_role("link", name="Zum Plan").click()
    expect(page.get_by_role("main")).to_contain_text("4 von 4 möglichen Paaren")

    page.get_by_role("button", name="Uhr jetzt starten").click()
    clock = page.locator("#round-clock")
    expect(clock).to_contain_text("Runde 1 von 2")
    check_a11y(page)
    first_round = page.locator("[data-plan-round='1']")
    expect(first_round).to_be_visible()
    expect(first_round).to_contain_text("Tisch 1")
    expect(page.locator("[data-plan-round='2']")).to_be_hidden()
    # No reload: the clock moves on by itself after 6 seconds and shows the second round's tables.
    expect(clock).to_contain_text("Runde 2 von 2", timeout=12_000)
    expect(clock).to_have_attribute("data-round", "2")
    expect(page.locator("[data-plan-round='2']")).to_be_visible()
    expect(first_round).to_be_hidden()
    # A reload keeps the clock (it is computed from the server's start time).
    page.reload()
    expect(clock).not_to_contain_text("Runde 1 von 2")
    context.close()

    plan = Plan.objects.get(event=event)
    anna_seats = {seat.round: seat.table for seat in plan.seats.filter(registration__user=people["Anna Apfel"])}
    phone = browser.new_context(base_url=live_server.url, locale="de-DE", viewport={"width": 390, "height": 844})
    page = phone.new_page()
    log_in(page, people["Anna Apfel"].email, PASSWORD)
    page.goto("/mein-bereich/veranstaltungen/")
    page.get_by_role("link", name="Mein Tisch in jeder Runde").click()
    check_a11y(page)
    main = page.get_by_role("main")
    for number, table in sorted(anna_seats.items()):
        expect(page.locator(f"[data-round='{number}']")).to_contain_text(f"Tisch {table}")
    expect(main).to_contain_text("Clara Kirsche")
    expect(main).to_contain_text("Dieter Dattel")
    expect(main).not_to_contain_text("Bruno Birne")  # the other startup never sits at her table
    phone.close()
