"""The events' numbers export counts the 1:1 meetings of the released plan: planned, held
(a side's feedback says so and nobody was reported absent), reported absent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from matchwerk.events.numbers_export import numbers_table
from matchwerk.meetings import services
from matchwerk.meetings.models import Meeting, Slot

pytestmark = pytest.mark.django_db


def test_meetings_planned_and_held_are_in_the_event_numbers(staff, brokerage, accepted, people,
                                                            django_capture_on_commit_callbacks):
    assert not [row for row in numbers_table(event=brokerage.event)[1] if row[0] == "Einzelgespräche"]  # no plan yet
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_start(actor=staff, event=brokerage.event)
    with django_capture_on_commit_callbacks(execute=True):
        services.version_release(actor=staff, event=brokerage.event)
    shift = brokerage.slots.order_by("-starts_at").first().ends_at - timezone.now() + timedelta(minutes=1)
    Slot.objects.filter(brokerage=brokerage).update(starts_at=F("starts_at") - shift, ends_at=F("ends_at") - shift)
    planned = Meeting.objects.filter(version__event=brokerage.event, version__status="released").count()
    services.feedback_submit(actor=people[0].user, request=accepted[0], rating=5, wants_to_continue=True,
                             no_show=False)
    services.feedback_submit(actor=people[4].user, request=accepted[3], rating=None, wants_to_continue=False,
                             no_show=True)
    figures = {(group, figure): value for area, group, figure, value in numbers_table(event=brokerage.event)[1]
               if area == "Einzelgespräche"}
    assert figures[("Plan, Version 1", "geplant")] == planned == 4
    assert figures[("Rückmeldungen", "stattgefunden (laut Rückmeldung)")] == 1
    assert figures[("Rückmeldungen", "Gegenüber als nicht erschienen gemeldet")] == 1
    assert figures[("Rückmeldungen", "ohne Rückmeldung")] == 2
