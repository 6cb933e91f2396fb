"""Rows of the URL × role matrix: speed-dating and roundtable plans (rounds app).

World: a published speed-dating event in region R with a computed plan; participant A is
registered (side A, by hand) with two more people on side B; participant B is not
registered. Staff rights follow the events app (``can_edit_event``): the event lies in region R
without a programme, so its coordinator and administrators act on it, the coordinator of S
and the matching team (of P) do not; a participant sees only her own table and card.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from .base import ADMIN, COORD, GET_ONLY, PA, POST_ONLY, r

SPEED = ("pk:rounds_event", "kind:speed-dating")
TABLES = ("pk:rounds_event", "kind:tischrunden")
E_STAFF = frozenset({COORD, ADMIN})

ROWS = {
    "rounds:my_table": r(frozenset({PA}), GET_ONLY, kwargs=("pk:rounds_event",)),
    "rounds:my_card": r(frozenset({PA}), GET_ONLY, kwargs=("pk:rounds_event",)),
    "rounds:setup": r(E_STAFF, kwargs=SPEED, also_ok={400}),  # the probe posts an empty form: 400 with errors
    "rounds:pairs": r(E_STAFF, kwargs=("pk:rounds_event",)),
    "rounds:run_start": r(POST_ONLY, E_STAFF, kwargs=SPEED),
    "rounds:run": r(E_STAFF, GET_ONLY, kwargs=("pk:rounds_run",)),
    "rounds:projector": r(E_STAFF, GET_ONLY, kwargs=SPEED),
    "rounds:clock_start": r(POST_ONLY, E_STAFF, kwargs=TABLES),
    "rounds:seat_move": r(POST_ONLY, E_STAFF, kwargs=SPEED),  # the probe's empty form: a message, nothing moved
    "rounds:release": r(POST_ONLY, E_STAFF, kwargs=TABLES),  # no roundtable plan there: a message, nothing released
    "rounds:plan_pdf": r(E_STAFF, GET_ONLY, kwargs=SPEED),
    "rounds:cards_pdf": r(E_STAFF, GET_ONLY, kwargs=SPEED),
}


def world(ctx) -> dict:
    from matchwerk.events import services as event_services
    from matchwerk.events.models import Registration
    from matchwerk.rounds import services
    from matchwerk.rounds.enums import PlanKind, Side

    users = ctx.users
    start = timezone.now().replace(microsecond=0) + timedelta(days=10)
    event = event_services.event_create(
        actor=users[ADMIN], topics=(), title="Kick-off K", format="speed_dating", description="", venue_name="Ort",
        venue_address="Straße 2, Dresden", venue_host="", starts_at=start, ends_at=start + timedelta(hours=2),
        capacity=20, region=ctx.region)
    event = event_services.event_publish(actor=users[ADMIN], event=event)
    mine = event_services.registration_create(actor=users[PA], event=event)
    others = [Registration.objects.create(event=event, name=f"Gast {n}", email=f"gast{n}@example.org")
              for n in (1, 2)]
    setup = services.round_setup_save(actor=users[ADMIN], event=event, kind=PlanKind.SPEED, rounds=2, tables=1,
                                      side_a_kinds=[], side_b_kinds=[])
    services.speed_sides_set(actor=users[ADMIN], setup=setup, choices={
        mine.pk: Side.A, others[0].pk: Side.B, others[1].pk: Side.B})
    run = services.plan_run_start(actor=users[ADMIN], event=event, kind=PlanKind.SPEED)
    services.round_setup_save(actor=users[ADMIN], event=event, kind=PlanKind.ROUNDTABLE, rounds=2, table_size=2)
    return {"rounds_event": event.pk, "rounds_run": run.pk}
