"""Issue #9 journey (check-in without camera): staff check a person in by the typed code,
a second scan says "already", another person is found by organisation and checked in;
the counts follow. Phone-sized viewport, checked with axe-core."""

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
    services.registration_create(actor=bernd, event=event,
                                 organisation=make_organisation(owner=bernd, name="Lausitzer Glaswerk"))

    context = browser.new_context(base_url=live_server.url, locale="de-DE", viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in(page, staff.email, PASSWORD)
    page.goto(f"/backoffice/veranstaltungen/{event.pk}/check-in/")
    check_a11y(page)
    expect(page.get_by_role("main")).to_contain_text("0 von 2 anwesend")

    page.get_by_label("Check-in-Code").fill(first.code.lower())
    page.get_by_role("button", name="Einchecken", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Anna Apfel ist eingecheckt.")
    expect(page.get_by_role("main")).to_contain_text("1 von 2 anwesend")

    page.get_by_label("Check-in-Code").fill(first.code)
    page.get_by_role("button", name="Einchecken", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Anna Apfel ist bereits eingecheckt (um ")
    expect(page.get_by_role("main")).to_contain_text("1 von 2 anwesend")

    page.get_by_label("Name, E-Mail oder Organisation").fill("Glaswerk")
    page.get_by_role("button", name="Suchen").click()
    check_a11y(page)
    page.get_by_role("button", name="Bernd Birne einchecken").click()
    expect(page.get_by_role("status")).to_contain_text("Bernd Birne ist eingecheckt.")
    expect(page.get_by_role("main")).to_contain_text("2 von 2 anwesend")
    assert Registration.objects.filter(checked_in_at__isnull=False).count() == 2
    context.close()
