"""Issue #9 journey (check-in at the door): staff check a person in by the typed code, a
second scan says "already", another person is found by organisation and checked in; the
counts follow. Then the door device loses the network: scans (fed to the same function the
camera calls, as headless chromium has no camera) and the offline name search are kept in
the browser and sent when the network returns, each exactly once. Phone-sized viewport,
checked with axe-core. Last, the wall's projector page shows a newly approved post without a
reload and drops it again when staff hide it."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from factories import PASSWORD, make_organisation, make_user
from playwright.sync_api import expect

from matchwerk.accounts.enums import Role
from matchwerk.events import services
from matchwerk.events.enums import EventFormat
from matchwerk.events.models import Registration


def test_staff_check_in_by_code_and_by_search(browser, live_server, live_settings, seeded, check_a11y, log_in):
    staff = make_user(role=Role.ADMIN)
    start = timezone.now() + timedelta(hours=1)
    event = services.event_create(actor=staff, title="Kick-off Görlitz", format=EventFormat.SPEED_DATING,
                                  venue_name="Kühlhaus Görlitz", starts_at=start, ends_at=start + timedelta(hours=3),
                                  capacity=20)
    services.event_publish(actor=staff, event=event)
    anna, bernd = make_user(full_name="Anna Apfel"), make_user(full_name="Bernd Birne")
    first = services.registration_create(actor=anna, event=event)
    clara = services.registration_create(actor=make_user(full_name="Clara Kirsche"), event=event)
    dora = services.registration_create(actor=make_user(full_name="Dora Dattel"), event=event)
    other_event = services.event_create(actor=staff, title="Stammtisch", format=EventFormat.ROUNDTABLE,
                                        venue_name="Café", starts_at=start, ends_at=start + timedelta(hours=2),
                                        capacity=5)
    foreign = services.registration_create(actor=make_user(), event=services.event_publish(actor=staff,
                                                                                           event=other_event))
    services.registration_create(actor=bernd, event=event,
                                 organisation=make_organisation(owner=bernd, name="Lausitzer Glaswerk"))

    context = browser.new_context(base_url=live_server.url, locale="de-DE", viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in(page, staff.email, PASSWORD)
    page.goto(f"/backoffice/veranstaltungen/{event.pk}/check-in/")
    check_a11y(page)
    expect(page.get_by_role("main")).to_contain_text("0 von 4 anwesend")
    expect(page.locator("#checkin-network")).to_contain_text("Online. 4 gültige Tickets auf diesem Gerät")

    # A handheld scanner types into the code field (the page's script sends it).
    page.get_by_label("Check-in-Code").fill(first.code.lower())
    page.get_by_role("button", name="Einchecken", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("Anna Apfel ist eingecheckt.")
    expect(page.get_by_role("main")).to_contain_text("1 von 4 anwesend")

    page.get_by_label("Check-in-Code").fill(first.code)
    page.get_by_role("button", name="Einchecken", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Anna Apfel ist bereits eingecheckt (um ")
    page.evaluate("text => window.MatchwerkCheckin.scan(text)", foreign.code)
    expect(page.get_by_role("alert")).to_contain_text("gehört zu einer anderen Veranstaltung")
    expect(page.get_by_role("main")).to_contain_text("1 von 4 anwesend")

    page.get_by_label("Name, E-Mail oder Organisation").fill("Glaswerk")
    page.get_by_role("button", name="Suchen").click()
    check_a11y(page)
    page.get_by_role("button", name="Bernd Birne einchecken").click()
    expect(page.get_by_role("status")).to_contain_text("Bernd Birne ist eingecheckt.")
    expect(page.get_by_role("main")).to_contain_text("2 von 4 anwesend")
    assert Registration.objects.filter(checked_in_at__isnull=False).count() == 2

    # The Wi-Fi drops: the page checks codes against its ticket list and keeps the check-ins.
    expect(page.locator("#checkin-network")).to_contain_text("4 gültige Tickets")
    context.set_offline(True)
    scan = "text => window.MatchwerkCheckin.scan(text)"
    page.evaluate(scan, f"{clara.code}")
    expect(page.get_by_role("alert")).to_contain_text("Clara Kirsche ist eingecheckt. Offline gespeichert")
    page.evaluate(scan, clara.code)
    expect(page.get_by_role("alert")).to_contain_text("Clara Kirsche ist bereits eingecheckt (um ")
    page.evaluate(scan, "NICHTDA9")
    expect(page.get_by_role("alert")).to_contain_text("Unbekannter Code „NICHTDA9“")
    page.get_by_label("Name, E-Mail oder Organisation").fill("dattel")
    page.get_by_role("button", name="Suchen").click()
    page.get_by_role("button", name="Dora Dattel einchecken").click()
    expect(page.get_by_role("alert")).to_contain_text("Dora Dattel ist eingecheckt. Offline gespeichert")
    expect(page.locator("#checkin-network")).to_contain_text("Offline: Check-ins werden auf diesem Gerät gespeichert.")
    expect(page.locator("#checkin-network")).to_contain_text("2 Check-ins noch nicht übertragen")
    assert Registration.objects.filter(checked_in_at__isnull=False).count() == 2

    # The network returns: the queue is sent once; a reload keeps nothing queued.
    context.set_offline(False)
    expect(page.locator("#checkin-network")).to_contain_text("Online. 4 gültige Tickets auf diesem Gerät, 0 Check-ins")
    expect(page.get_by_role("main")).to_contain_text("4 von 4 anwesend")
    assert set(Registration.objects.filter(checked_in_at__isnull=False).values_list("name", flat=True)) == {
        "Anna Apfel", "Bernd Birne", "Clara Kirsche", "Dora Dattel"}
    page.evaluate("() => window.MatchwerkCheckin.flush()")
    check_a11y(page)

    # The wall on the projector: a post approved by staff appears without a reload.
    page.goto(f"/backoffice/veranstaltungen/{event.pk}/wand/leinwand/")
    expect(page.locator("#wall-live")).to_contain_text("Noch keine Beiträge")
    page.evaluate("() => { window.notReloaded = true; }")
    post = services.wall_post_create(actor=anna, event=event, text="Grüße aus der ersten Reihe!")
    services.wall_post_moderate(actor=staff, post=post, status="approved")
    expect(page.locator("#wall-live")).to_contain_text("Grüße aus der ersten Reihe!", timeout=12_000)
    assert page.evaluate("() => window.notReloaded === true")
    services.wall_post_moderate(actor=staff, post=post, status="hidden")
    expect(page.locator("#wall-live")).not_to_contain_text("Grüße aus der ersten Reihe!", timeout=12_000)
    context.close()
