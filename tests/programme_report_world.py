"""A programme with known counts for the report tests (every number a report shows is
asserted against these)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from factories import make_match, make_organisation, make_programme, make_user
from programme_world import grant_world

from matchwerk.events.enums import EventStatus, RegistrationStatus
from matchwerk.events.models import Event, Feedback, Registration
from matchwerk.matching.enums import MatchOrigin, MatchStage
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


def _meetings(event):
    """Three accepted requests among the event's guests: the older released plan has all
    three as meetings, the latest released plan two (r1, r2), the preliminary working copy
    the third again — so 2 meetings held. Feedback: both sides of r1 want to continue and
    rate it 5 and 4, one side of r2 reports a no-show (no rating), one side of r3 wants to
    continue and rates it 1 (not counted: r3 is not in the latest plan)."""
    from matchwerk.meetings.enums import RequestStatus, VersionStatus
    from matchwerk.meetings.models import Brokerage, Meeting, MeetingFeedback, MeetingRequest, PlanVersion, Slot

    brokerage = Brokerage.objects.create(event=event, tables=5)
    slot = Slot.objects.create(brokerage=brokerage, starts_at=event.starts_at,
                               ends_at=event.starts_at + timedelta(minutes=20))
    g0, g1, g2 = event.registrations.order_by("pk")
    requests = [MeetingRequest.objects.create(event=event, requester=a, receiver=b, status=RequestStatus.ACCEPTED)
                for a, b in ((g0, g1), (g1, g2), (g0, g2))]
    old = PlanVersion.objects.create(event=event, number=1, status=VersionStatus.RELEASED)
    latest = PlanVersion.objects.create(event=event, number=2, status=VersionStatus.RELEASED)
    draft = PlanVersion.objects.create(event=event, number=3, status=VersionStatus.PRELIMINARY)
    for version, chosen in ((old, requests), (latest, requests[:2]), (draft, requests[2:])):
        for table, request in enumerate(chosen, start=1):
            Meeting.objects.create(version=version, request=request, slot=slot, table=table)
    MeetingFeedback.objects.create(request=requests[0], author=g0, rating=5, wants_to_continue=True)
    MeetingFeedback.objects.create(request=requests[0], author=g1, rating=4, wants_to_continue=True)
    MeetingFeedback.objects.create(request=requests[1], author=g2, no_show=True)
    MeetingFeedback.objects.create(request=requests[2], author=g0, rating=1, wants_to_continue=True)


def _followups(completed, cooperating):
    """Check-ins: ``cooperating`` was asked at 3 months (one answer: yes) and at 6 months
    (answers: yes and no; a reminder went out too, not counted); ``completed`` at 6 months
    (no answer) — its 3-month round was skipped (not counted)."""
    from matchwerk.matching.models import FollowUp, FollowUpAnswer

    now = timezone.now()

    def round_(match, month, *, kind=FollowUp.Kind.CHECKIN, skipped=False):
        return FollowUp.objects.create(match=match, month=month, kind=kind, due_at=now, skipped=skipped,
                                       sent_at=None if skipped else now, recipients=0 if skipped else 2)

    FollowUpAnswer.objects.create(followup=round_(cooperating, 3), still_cooperating=True, outcome="Ein Shop.")
    six = round_(cooperating, 6)
    FollowUpAnswer.objects.create(followup=six, still_cooperating=True)
    FollowUpAnswer.objects.create(followup=six, still_cooperating=False, outcome="Keine Zeit mehr.")
    round_(cooperating, 6, kind=FollowUp.Kind.REMINDER)
    round_(completed, 3, skipped=True)
    round_(completed, 6)


def report_world():
    """Six matches (four in Region Nord, two in Süd), one approved grant of 2,000.00 with
    1,500.00 paid, one open application of 2,500.00, two suggested pairs, two events held
    (3 present; ratings 5, 4, 5) and three events that do not count; 2 meetings held at
    "Kick-off Nord" (one no-show, one pair continuing), one match from an event meeting;
    follow-up check-ins (see ``_followups``)."""
    world = grant_world()
    programme, nord, sued = world.programme, world.region, world.other_region
    completed = make_match(make_organisation(kind="creative", region=nord),
                           make_organisation(kind="sme", region=nord), programme=programme, stage=MatchStage.COMPLETED)
    cooperating = make_match(make_organisation(kind="startup", region=sued), make_organisation(kind="sme", region=sued),
                             programme=programme, stage=MatchStage.COOPERATING_6)
    make_match(make_organisation(kind="creative", region=nord), make_organisation(kind="sme", region=nord),
               programme=programme, stage=MatchStage.ENDED)
    make_match(make_organisation(kind="creative", region=nord), make_organisation(kind="research", region=nord),
               programme=programme, origin=MatchOrigin.EVENT_MEETING)
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

    _meetings(_event(programme, "Kick-off Nord", days_ago=20, present=2, absent=1, ratings=(5, 4)))
    _followups(completed, cooperating)
    _event(programme, "Peer-Learning online", days_ago=10, present=1, ratings=(5,))
    _event(programme, "Abgesagt", days_ago=5, status=EventStatus.CANCELLED, present=4, ratings=(1, 1))
    _event(programme, "Noch nicht", days_ago=-5, present=0)
    _event(make_programme(), "Fremdes Programm", days_ago=3, present=6, ratings=(2,))
    world.report_member = make_user()
    return world
