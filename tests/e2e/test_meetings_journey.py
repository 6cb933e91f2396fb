"""Issue #10 journey: a participant requests a meeting → the other accepts → staff create
the plan (a real run of the scheduler) and release it → the agenda and the .ics show the
meeting → staff move it by hand, which makes a new version → after its release the .ics
has the same UID and a higher SEQUENCE → after the meeting both say they want to continue
→ the match appears on the matching team's board (stage "proposed"). Every page is checked
with axe-core."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from pathlib import Path

import icalendar
from django.utils import timezone
from django.db.models import F
from factories import PASSWORD, make_coordinator, make_organisation, make_region, make_team_member, make_user
from playwright.sync_api import expect

from matchwerk.events import services as event_services
from matchwerk.meetings import services
from matchwerk.matching.services import programme_default
from matchwerk.meetings.models import MeetingRequest, PlanVersion, Slot


def _meeting_entry(page) -> icalendar.Event:
    with page.expect_download() as info:
        page.get_by_role("link", name="Gespräche (.ics)").first.click()
    entries = icalendar.Calendar.from_ical(Path(info.value.path()).read_bytes()).walk("VEVENT")
    assert len(entries) == 1
    return entries[0]


def test_request_accept_plan_release_move(live_server, live_settings, context, page, check_a11y, log_in):
    live_settings.MEETINGS_PLAN_SECONDS = 2
    staff = make_coordinator(make_region(name="Dresden"), full_name="Konrad Koordination")
    anna, bert = make_user(full_name="Anna Adler"), make_user(full_name="Bert Berger")
    org_a = make_organisation(owner=anna, name="Radreisen Elbland", kind="sme")
    org_b = make_organisation(owner=bert, name="Buchbar Digital", kind="startup")
    day = (timezone.localtime() + timedelta(days=7)).date()
    at = lambda h, m=0: timezone.make_aware(datetime.combine(day, time(h, m)))  # noqa: E731
    event = event_services.event_publish(actor=staff, event=event_services.event_create(
        actor=staff, topics=(), title="Kooperationsbörse Elbland", format="brokerage", description="",
        venue_name="Messe Dresden", venue_address="Messering 6, 01067 Dresden", venue_host="",
        starts_at=at(9), ends_at=at(17), capacity=40, region=staff.coordinated_regions.get()))
    services.brokerage_configure(actor=staff, event=event, meeting_minutes=20, tables=2,
                                 sessions=[(at(9), at(10))])
    event_services.registration_create(actor=anna, event=event, organisation=org_a)
    event_services.registration_create(actor=bert, event=event, organisation=org_b)

    # Anna finds Bert among the participants and asks for a meeting.
    log_in(page, anna.email, PASSWORD)
    page.goto(f"/veranstaltungen/{event.pk}/gespraeche/personen/")
    check_a11y(page)
    card = page.get_by_role("listitem").filter(has_text="Bert Berger").last
    card.get_by_role("link", name="Gespräch anfragen").click()
    check_a11y(page)
    page.get_by_label(re.compile(r"^Nachricht")).fill("Wir suchen eine Buchungsplattform für Radtouren.")
    page.get_by_label("unbedingt treffen").check()
    page.get_by_role("button", name="Anfrage senden").click()
    expect(page.get_by_role("status")).to_contain_text("Ihre Anfrage an Bert Berger ist verschickt")

    # Bert accepts.
    bert_page = context.browser.new_context(base_url=live_server.url, locale="de-DE").new_page()
    log_in(bert_page, bert.email, PASSWORD)
    bert_page.goto(f"/veranstaltungen/{event.pk}/gespraeche/")
    check_a11y(bert_page)
    expect(bert_page.get_by_role("main")).to_contain_text("Wir suchen eine Buchungsplattform")
    bert_page.get_by_role("button", name="Annehmen").click()
    expect(bert_page.get_by_role("status")).to_contain_text("Angenommen")
    assert MeetingRequest.objects.get().status == "accepted"

    # Staff create the plan (progress page), look at it and release it.
    staff_page = context.browser.new_context(base_url=live_server.url, locale="de-DE").new_page()
    log_in(staff_page, staff.email, PASSWORD)
    staff_page.goto(f"/backoffice/veranstaltungen/{event.pk}/gespraeche/plan/")
    check_a11y(staff_page)
    staff_page.get_by_role("button", name="Plan erstellen").click()
    expect(staff_page.get_by_role("main")).to_contain_text("fertig", timeout=30_000)
    check_a11y(staff_page)
    staff_page.get_by_role("link", name="Zum vorläufigen Plan").click()
    expect(staff_page.get_by_role("main")).to_contain_text("Anna Adler × Bert Berger")
    staff_page.get_by_role("button", name="Version 1 veröffentlichen").click()
    expect(staff_page.get_by_role("status")).to_contain_text("Version 1 ist veröffentlicht")

    # Anna's agenda shows the meeting; the .ics carries it.
    page.goto("/mein-bereich/veranstaltungen/")
    check_a11y(page)
    expect(page.get_by_role("main")).to_contain_text("Bert Berger")
    first = _meeting_entry(page)
    assert int(first["SEQUENCE"]) == 0 and "Bert Berger" in str(first["SUMMARY"])

    # Staff move the meeting by hand: a new version; after its release the entry updates.
    meeting = PlanVersion.objects.get(number=1).meetings.get()
    staff_page.goto(f"/backoffice/veranstaltungen/{event.pk}/gespraeche/plan/")
    other = [s for s in event.brokerage.slots.order_by("starts_at") if s.pk != meeting.slot_id][-1]
    staff_page.locator(f"#move-slot-{meeting.pk}").select_option(str(other.pk))
    staff_page.get_by_role("button", name="Verschieben").click()
    expect(staff_page.get_by_role("status")).to_contain_text("Verschoben")
    staff_page.get_by_role("button", name="Version 2 veröffentlichen").click()
    expect(staff_page.get_by_role("status")).to_contain_text("Version 2 ist veröffentlicht")
    assert PlanVersion.objects.get(number=1).meetings.get().slot_id == meeting.slot_id  # frozen

    page.goto("/mein-bereich/veranstaltungen/")
    second = _meeting_entry(page)
    assert str(second["UID"]) == str(first["UID"])
    assert int(second["SEQUENCE"]) == 1
    assert second.decoded("DTSTART") != first.decoded("DTSTART")

    # The meeting day has passed (its slots move a week back); both want to continue.
    Slot.objects.filter(brokerage__event=event).update(starts_at=F("starts_at") - timedelta(days=8),
                                                      ends_at=F("ends_at") - timedelta(days=8))
    for who, note in ((page, "Buchungsstrecke im Frühjahr testen."), (bert_page, "Pilot mit zwei Touren.")):
        who.goto(f"/veranstaltungen/{event.pk}/gespraeche/")
        who.get_by_role("link", name="Wie war das Gespräch?").click()
        check_a11y(who)
        who.get_by_label("5", exact=True).check()
        who.get_by_label("Ich möchte mit dieser Organisation weiterarbeiten").check()
        who.get_by_label("Notiz für das Matching-Team").fill(note)
        who.get_by_role("button", name="Rückmeldung senden").click()
        expect(who.get_by_role("status")).to_contain_text("Danke für Ihre Rückmeldung")

    # The matching team finds the proposed match on its board, with both notes.
    team = make_team_member(programme=programme_default(), full_name="Tina Team")
    team_page = context.browser.new_context(base_url=live_server.url, locale="de-DE").new_page()
    log_in(team_page, team.email, PASSWORD)
    team_page.goto("/backoffice/betreuung/")
    check_a11y(team_page)
    proposed = team_page.locator("section[aria-labelledby='col-proposed']")
    expect(proposed).to_contain_text("Radreisen Elbland")
    expect(proposed).to_contain_text("Buchbar Digital")
    proposed.get_by_role("link", name=re.compile("Radreisen Elbland")).click()
    expect(team_page.get_by_role("main")).to_contain_text("Treffen auf einer Veranstaltung")
    expect(team_page.locator("#idea-text")).to_contain_text("Pilot mit zwei Touren.")
