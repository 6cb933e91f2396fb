"""Demo plans for ``matchwerk demo_load``: the speed-dating kick-off (startups and creatives ×
SMEs, 7-minute rounds at three tables) and the roundtable evening „Innovationsstammtisch
Smart City“ (nine guests at three tables of three — Smart City, urban mobility, climate
protection, each with a host — for three rounds, in which nobody meets anybody twice). The
evening's six demo registrations are topped up to nine with contacts of further demo
organisations from the Elbland. Both plans are computed through the same services and engine
runs as in the back office. Loading twice adds nothing.
"""

from __future__ import annotations

from datetime import timedelta

from matchwerk.accounts.models import User
from django.utils import timezone

from matchwerk.events.demo import ELBLAND, ORGANISER_EMAIL, _contacts
from matchwerk.events.enums import RegistrationStatus
from matchwerk.events.models import Event, Registration
from matchwerk.rounds import services
from matchwerk.rounds.enums import PairMode, PlanKind
from matchwerk.rounds.models import Plan, PlanRun

KICKOFF = "Kick-off Cross-Innovation Elbland"
STAMMTISCH = "Innovationsstammtisch Smart City"
TOPICS = ("Smart City | Dr. Anna Weber (Stadtverwaltung Dresden)\n"
          "Urbane Mobilität | Jonas Ritter (Verkehrsverbund Oberelbe)\n"
          "Klimaschutz | Eva Stein (Klimaschutzbüro)")


STAMMTISCH_GUESTS = 9


def _top_up(event: Event, guests: int) -> None:
    """Confirmed registrations of further demo contacts until ``guests`` are confirmed."""
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED)
    missing = min(guests, event.capacity) - confirmed.count()
    taken = set(event.registrations.exclude(organisation=None).values_list("organisation_id", flat=True))
    users = set(event.registrations.exclude(user=None).values_list("user_id", flat=True))
    for kind in ("sme", "creative", "research", "public", "startup"):
        if missing <= 0:
            return
        for user, organisation in _contacts(kind, missing, ELBLAND, taken):
            if user.pk in users:
                continue
            Registration.objects.create(event=event, user=user, name=user.get_full_name(), email=user.email.lower(),
                                        organisation=organisation, status=RegistrationStatus.CONFIRMED,
                                        registered_by=user, status_changed_at=timezone.now())
            taken.add(organisation.pk)
            users.add(user.pk)
            missing -= 1


def _plan(organiser, event: Event, kind: str, **settings) -> bool:
    if Plan.objects.filter(event=event, kind=kind).exists():
        return False
    services.round_setup_save(actor=organiser, event=event, kind=kind,
                              clock_starts_at=event.starts_at + timedelta(minutes=15), **settings)
    run = PlanRun.objects.create(event=event, kind=kind, created_by=organiser)
    return services.plan_run_execute(run_id=run.pk) == "done"


def load_demo_rounds() -> int:
    """Plans for the demo kick-off and roundtable evening; returns how many were made."""
    organiser = User.objects.filter(email=ORGANISER_EMAIL).first()
    if organiser is None:
        return 0
    made = 0
    kickoff = Event.objects.filter(title=KICKOFF).first()
    if kickoff is not None:
        made += _plan(organiser, kickoff, PlanKind.SPEED, rounds=8, tables=3, round_seconds=7 * 60,
                      break_seconds=60, side_a_label="Startups und Kreative", side_b_label="KMU",
                      side_a_kinds=["startup", "creative"], side_b_kinds=["sme"], pair_mode=PairMode.ALL)
    stammtisch = Event.objects.filter(title=STAMMTISCH).first()
    if stammtisch is not None and not Plan.objects.filter(event=stammtisch).exists():
        _top_up(stammtisch, STAMMTISCH_GUESTS)
        made += _plan(organiser, stammtisch, PlanKind.ROUNDTABLE, rounds=3, table_size=3, round_seconds=25 * 60,
                      break_seconds=5 * 60, table_topics=TOPICS, separate_colleagues=True, separate_partners=True)
    return made
