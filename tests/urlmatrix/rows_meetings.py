"""Rows of the URL × role matrix: 1:1 meetings at events (issue #10).

The world: a published brokerage day M with participants A and B (for their
organisations) and a third participant C; A asked B (pending); C asked A (accepted, placed
by hand in the working version); a finished plan run. Participants' pages are for the
event's confirmed participants only (others 403); a request is the requester's to edit
and the receiver's to answer (others 404); feedback belongs to the meeting's two people.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from .base import ADMIN, COORD, PA, PB, POST_ONLY, r

M = ("pk:brokerage_event",)
BOTH = frozenset({PA, PB})
ONLY_A = frozenset({PA})
ONLY_B = frozenset({PB})
M_STAFF = frozenset({COORD, ADMIN})  # the event is in region R; the other region's coordinator and P's team are refused

ROWS = {
    "meetings:home": r(BOTH, kwargs=M),
    "meetings:people": r(BOTH, kwargs=M),
    "meetings:request_create": r(BOTH, kwargs=M + ("registration_pk:meeting_registration_b",)),
    "meetings:hide": r(POST_ONLY, BOTH, kwargs=M + ("registration_pk:meeting_registration_b",)),
    "meetings:availability": r(POST_ONLY, BOTH, kwargs=M),
    "meetings:ics": r(BOTH, kwargs=M),
    "meetings:pdf": r(BOTH, kwargs=M),
    "meetings:request_edit": r(ONLY_A, kwargs=("pk:meeting_request_ab",)),
    "meetings:request_withdraw": r(POST_ONLY, ONLY_A, kwargs=("pk:meeting_request_ab",)),
    "meetings:request_answer": r(POST_ONLY, ONLY_B, kwargs=("pk:meeting_request_ab",)),
    "meetings:feedback": r(ONLY_A, kwargs=("pk:meeting_request_ca",)),
    "meetings:book": r(POST_ONLY, ONLY_A, kwargs=("pk:meeting_request_ca",)),  # B is not one of the two: 404
    "meetings:staff_settings": r(M_STAFF, kwargs=M),
    "meetings:staff_booth": r(POST_ONLY, M_STAFF, kwargs=M),
    "meetings:staff_plan": r(M_STAFF, kwargs=M),
    "meetings:staff_plan_start": r(POST_ONLY, M_STAFF, kwargs=M),
    "meetings:staff_meeting_add": r(POST_ONLY, M_STAFF, kwargs=M),
    "meetings:staff_release": r(POST_ONLY, M_STAFF, kwargs=M),
    "meetings:staff_print_tables": r(M_STAFF, kwargs=M),
    "meetings:staff_print_people": r(M_STAFF, kwargs=M),
    "meetings:staff_feedback": r(M_STAFF, kwargs=M),
    "meetings:staff_run": r(M_STAFF, kwargs=("pk:plan_run",)),
    "meetings:staff_run_cancel": r(POST_ONLY, M_STAFF, kwargs=("pk:plan_run",)),
    "meetings:staff_meeting_move": r(POST_ONLY, M_STAFF, kwargs=("pk:meeting",)),
    "meetings:staff_meeting_lock": r(POST_ONLY, M_STAFF, kwargs=("pk:meeting",)),
}


def world(ctx) -> dict:
    from factories import make_user

    from matchwerk.events import services as event_services
    from matchwerk.meetings import services
    from matchwerk.meetings.enums import RunStatus
    from matchwerk.meetings.models import PlanRun

    admin = ctx.users[ADMIN]
    day = (timezone.localtime() + timedelta(days=20)).date()

    def at(hour):
        return timezone.make_aware(datetime.combine(day, time(hour)))

    event = event_services.event_publish(actor=admin, event=event_services.event_create(
        actor=admin, topics=(), title="Kooperationsbörse M", format="brokerage", description="", venue_name="Messe",
        venue_address="", venue_host="", starts_at=at(9), ends_at=at(17), capacity=20, region=ctx.region))
    services.brokerage_configure(actor=admin, event=event, meeting_minutes=20, tables=4,
                                 sessions=[(at(9), at(10))])
    reg_a = event_services.registration_create(actor=ctx.users[PA], event=event, organisation=ctx.org_a)
    reg_b = event_services.registration_create(actor=ctx.users[PB], event=event, organisation=ctx.org_b)
    carla = make_user(full_name="Carla C")
    reg_c = event_services.registration_create(actor=carla, event=event)
    request_ab = services.request_create(actor=ctx.users[PA], event=event, receiver=reg_b, message="Hallo")
    request_ca = services.request_create(actor=carla, event=event, receiver=reg_a)
    services.request_answer(actor=ctx.users[PA], request=request_ca, accept=True)
    slot = event.brokerage.slots.first()
    meeting = services.meeting_add(actor=admin, event=event, request=request_ca, slot=slot)
    run = PlanRun.objects.create(event=event, status=RunStatus.DONE, progress=1.0, created_by=admin)
    return {"brokerage_event": event.pk, "meeting_registration_b": reg_b.pk, "meeting_registration_c": reg_c.pk,
            "meeting_request_ab": request_ab.pk, "meeting_request_ca": request_ca.pk, "meeting": meeting.pk,
            "plan_run": run.pk}
