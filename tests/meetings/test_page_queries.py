"""The pages that must answer fast at 2,500 people and 10,000 meetings
(``bench/web_meetings.py``) read a fixed number of queries, whatever the size: the personal
agenda over several brokerage events, the meetings page with self-booking, the staff
plan page. Small fixtures; the sizes that matter are measured in the benchmark."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from factories import make_user

from matchwerk.events import services as event_services
from matchwerk.events.enums import EventFormat
from matchwerk.meetings import services
from matchwerk.meetings.models import Brokerage, Slot

from .conftest import day_at


def queries(client, url: str) -> tuple[int, str, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode(), [q["sql"] for q in captured.captured_queries]


def brokerage_day(staff, person, *, days: int, tables: int = 3):
    """A published brokerage event ``days`` ahead where ``person`` meets a partner in a
    released plan (placed by hand: no scheduler run)."""
    day = (timezone.localtime() + timedelta(days=days)).date()
    event = event_services.event_publish(actor=staff, event=event_services.event_create(
        actor=staff, topics=(), title=f"Börse {days}", format=EventFormat.BROKERAGE, description="",
        venue_name="Messe", venue_address="", venue_host="", starts_at=day_at(day, 9), ends_at=day_at(day, 17),
        capacity=100, region=staff.coordinated_regions.get()))
    services.brokerage_configure(actor=staff, event=event, meeting_minutes=20, tables=tables, max_meetings=None,
                                 sessions=[(day_at(day, 9), day_at(day, 10))])
    partner = make_user(full_name=f"Partnerin {days}")
    mine = event_services.registration_create(actor=person, event=event)
    theirs = event_services.registration_create(actor=partner, event=event)
    request = services.request_create(actor=person, event=event, receiver=theirs, message="", priority=1)
    services.request_answer(actor=partner, request=request, accept=True)
    services.meeting_add(actor=staff, event=event, request=request,
                         slot=Slot.objects.filter(brokerage__event=event).order_by("starts_at").first())
    services.version_release(actor=staff, event=event)
    return event, mine, theirs


def test_the_agenda_reads_the_meetings_of_all_events_at_once(client, staff):
    person = make_user(full_name="Vielbesucherin")
    brokerage_day(staff, person, days=5)
    client.force_login(person)
    one, page, _sql = queries(client, reverse("events:agenda"))
    assert "Partnerin 5" in page
    brokerage_day(staff, person, days=6)
    brokerage_day(staff, person, days=7)
    three, page, _sql = queries(client, reverse("events:agenda"))
    assert "Partnerin 5" in page and "Partnerin 6" in page and "Partnerin 7" in page
    assert three == one  # was three more per event (brokerage, version, seats)


def test_the_meetings_page_offers_free_slots_in_a_fixed_number_of_queries(client, staff):
    person = make_user(full_name="Selbstbucherin")
    event, mine, _theirs = brokerage_day(staff, person, days=5)
    Brokerage.objects.filter(event=event).update(self_booking=True)

    def agreed_unplaced(n: int) -> None:
        for k in range(n):
            other = event_services.registration_create(actor=make_user(full_name=f"Gast {k}"), event=event)
            request = services.request_create(actor=person, event=event, receiver=other, message="", priority=1)
            services.request_answer(actor=other.user, request=request, accept=True)

    client.force_login(person)
    url = reverse("meetings:home", args=[event.pk])
    agreed_unplaced(1)
    one, page, _sql = queries(client, url)
    assert page.count("Selbst buchen") == 1
    agreed_unplaced(3)
    four, page, _sql = queries(client, url)
    assert page.count("Selbst buchen") == 4
    assert four == one  # was five more per agreed request


def test_the_staff_plan_page_reads_one_page_and_only_the_shown_columns(client, staff):
    person = make_user(full_name="Erste Person")
    event, mine, theirs = brokerage_day(staff, person, days=5, tables=5)
    for k in range(4):  # more accepted requests: one placed by hand, the others unplaced
        other = event_services.registration_create(actor=make_user(full_name=f"Gast {k}"), event=event)
        request = services.request_create(actor=person, event=event, receiver=other, message="", priority=1)
        services.request_answer(actor=other.user, request=request, accept=True)
    client.force_login(staff)
    url = reverse("meetings:staff_plan", args=[event.pk])
    count, page, sql = queries(client, url)
    assert "Erste Person × Partnerin 5" in page
    # the page's rows are chosen on the meeting table alone, then read with their names
    ordering = [q for q in sql if "ORDER BY CASE" in q]
    assert len(ordering) == 1 and "JOIN" not in ordering[0]
    # no registration's answers (JSON per row) and the big figures document read once
    assert not any('"answers"' in q for q in sql if "events_registration" in q)
    assert sum('"figures"' in q for q in sql) == 1
    # 10 more meetings in the plan: the same queries
    for k in range(10):
        guest = event_services.registration_create(actor=make_user(full_name=f"Weitere {k}"), event=event)
        other = event_services.registration_create(actor=make_user(full_name=f"Gegenüber {k}"), event=event)
        request = services.request_create(actor=guest.user, event=event, receiver=other, message="", priority=1)
        services.request_answer(actor=other.user, request=request, accept=True)
        slot = Slot.objects.filter(brokerage__event=event).order_by("starts_at")[k % 3]
        services.meeting_add(actor=staff, event=event, request=request, slot=slot)
    more, page, _sql = queries(client, url)
    assert more == count and "Weitere 9 × Gegenüber 9" in page
    # filtered by a person, by a time
    _n, page, _sql = queries(client, url + "?person=weitere+7")
    assert "Weitere 7 × Gegenüber 7" in page and "Weitere 8 ×" not in page
    second = Slot.objects.filter(brokerage__event=event).order_by("starts_at")[1]
    _n, page, _sql = queries(client, url + f"?zeit={second.pk}")
    assert "Weitere 1 × Gegenüber 1" in page and "Weitere 0 ×" not in page and "Weitere 4 ×" in page


@pytest.mark.parametrize("bad", ["?zeit=999999", "?liste=alles", "?seite=abc", "?version=77"])
def test_the_staff_plan_page_ignores_bad_parameters(client, staff, bad):
    person = make_user(full_name="Erste Person")
    event, _mine, _theirs = brokerage_day(staff, person, days=5)
    client.force_login(staff)
    response = client.get(reverse("meetings:staff_plan", args=[event.pk]) + bad)
    assert response.status_code == 200


def test_the_unplaced_list_of_a_plan_run(client, staff, brokerage, accepted, people,
                                         django_capture_on_commit_callbacks):
    Brokerage.objects.filter(pk=brokerage.pk).update(tables=1)
    Slot.objects.filter(brokerage=brokerage).exclude(
        pk=Slot.objects.filter(brokerage=brokerage).order_by("starts_at").first().pk).delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_start(actor=staff, event=brokerage.event)
    client.force_login(staff)
    url = reverse("meetings:staff_plan", args=[brokerage.event.pk])
    page = client.get(url).content.decode()
    assert "Nicht eingeplant (3)" in page and "liste=offen" in page
    page = client.get(url + "?liste=offen").content.decode()
    assert page.count('name="request"') == 3 and "belegt" in page
