"""Issue #9 (agenda): the personal agenda stays readable when the connection drops after
it was loaded (service worker), on a phone-sized screen."""

from __future__ import annotations

from factories import PASSWORD, make_user
from playwright.sync_api import expect

from matchwerk.accounts.enums import Role
from matchwerk.events import services
from matchwerk.events.enums import EventFormat


def test_agenda_readable_offline_after_loading(browser, live_server, live_settings, seeded, log_in, check_a11y):
    from datetime import timedelta

    from django.utils import timezone

    staff, person = make_user(role=Role.ADMIN), make_user(full_name="Paula Pfeiffer")
    start = timezone.now() + timedelta(days=3)
    event = services.event_create(actor=staff, title="Kick-off Elbland", format=EventFormat.SPEED_DATING,
                                  venue_name="TGZ Meißen", venue_address="Fabrikstraße 12, Meißen",
                                  starts_at=start, ends_at=start + timedelta(hours=3), capacity=11)
    services.event_publish(actor=staff, event=event)
    registration = services.registration_create(actor=person, event=event)

    context = browser.new_context(base_url=live_server.url, locale="de-DE", viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in(page, person.email, PASSWORD)
    page.goto("/mein-bereich/veranstaltungen/")
    check_a11y(page)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now controlled by the worker, which keeps a copy
    expect(page.get_by_role("main")).to_contain_text("Kick-off Elbland")
    page.wait_for_function("navigator.serviceWorker.controller !== null")

    context.set_offline(True)
    page.reload()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Kick-off Elbland")
    expect(main).to_contain_text("Fabrikstraße 12, Meißen")
    expect(main).to_contain_text(registration.code)
    context.close()
