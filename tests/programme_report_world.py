"""A programme with known counts for the report tests (every number a report shows is
asserted against these)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from factories import make_match, make_organisation, make_programme, make_user
from programme_world import grant_world

from matchwerk.events.enums import EventStatus, RegistrationStatus
from matchwerk.events.models import Event, Feedback, Registration
from matchwerk.matching.enums import MatchStage
from matchwerk.matching.models import Suggestion
from matchwerk.programmes.grants import services as grant_services


def _event(programme, title: str, *, days_ago: int, status=EventStatus.PUBLISHED, present=0, absent=0,
           ratings=()):
    start = timezone.now() - timedelta(days=days_ago)
    event = Event.objects.create(title=title, format="workshop", starts_at=start, ends_at=start + timedelta(hours=2),
                                 capacity=30, programme=programme, status=status)
    registrations = []
    for i in range(present + absent):
        registrations.append(Registration.objects.create(
            event=event, name=f"Gast {i}", email=f"gast{i}@example.org", status=RegistrationStatus.CONFIRMED,
            checked_in_at=start if i < present else None))
    for registration, rating in zip(registrations, ratings, strict=False):
        Feedback.objects.create(registration=registration, rating=rating)
    return event


def report_world():
    """Six matches (four in Region Nord, two in Süd), one approved grant of 2,000.00 with
    1,500.00 paid, one open application of 2,500.00, two suggested pairs, two events held
    (3 present; ratings 5, 4, 5) and three events that do not count."""
    world = grant_world()
    programme, nord, sued = world.programme, world.region, world.other_region
    make_match(make_organisation(kind="creative", region=nord), make_organisation(kind="sme", region=nord),
               programme=programme, stage=MatchStage.COMPLETED)
    make_match(make_organisation(kind="startup", region=sued), make_organisation(kind="sme", region=sued),
               programme=programme, stage=MatchStage.COOPERATING_6)
    make_match(make_organisation(kind="creative", region=nord), make_organisation(kind="sme", region=nord),
               programme=programme, stage=MatchStage.ENDED)
    make_match(make_organisation(kind="creative", region=nord), make_organisation(kind="research", region=nord),
               programme=programme)
    a, b = world.match.sides.all()[0].organisation, world.match.sides.all()[1].organisation
    c, d = (side.organisation for side in world.other_match.sides.all())
    for organisation, partner in ((a, b), (b, a), (c, d)):
        Suggestion.objects.create(programme=programme, organisation=organisation, partner=partner, score=0.7, rank=1)

    grant = grant_services.grant_apply(actor=world.member, match=world.match, purpose="Prototyp",
                                       cost_lines=[("Material", "1200.00"), ("Miete", "800.00")])
    grant = grant_services.grant_approve(actor=world.coordinator, grant=grant)
    grant_services.payment_record(actor=world.coordinator, grant=grant, paid_on=timezone.localdate(),
                                  amount="1500.00", reference="ZA-2026-1")
    grant_services.grant_apply(actor=world.outsider, match=world.other_match, purpose="Idee",
                               cost_lines=[("Honorar", "2500.00")])

    _event(programme, "Kick-off Nord", days_ago=20, present=2, absent=1, ratings=(5, 4))
    _event(programme, "Peer-Learning online", days_ago=10, present=1, ratings=(5,))
    _event(programme, "Abgesagt", days_ago=5, status=EventStatus.CANCELLED, present=4, ratings=(1, 1))
    _event(programme, "Noch nicht", days_ago=-5, present=0)
    _event(make_programme(), "Fremdes Programm", days_ago=3, present=6, ratings=(2,))
    world.report_member = make_user()
    return world
