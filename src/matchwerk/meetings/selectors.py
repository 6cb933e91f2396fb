"""Reads of the meetings app."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from matchwerk.events.enums import RegistrationStatus
from matchwerk.events.models import Event, Registration
from matchwerk.meetings.enums import RequestStatus, VersionStatus
from matchwerk.meetings.models import Brokerage, Hidden, Meeting, MeetingFeedback, MeetingRequest, PlanVersion, Seat
from matchwerk.profiles.models import Need, Offer


def brokerage_of(*, event: Event) -> Brokerage | None:
    return Brokerage.objects.filter(event=event).first()


def released_version(*, event_id: int) -> PlanVersion | None:
    return PlanVersion.objects.filter(event_id=event_id, status=VersionStatus.RELEASED).order_by("-number").first()


def meetings_of(*, registration: Registration, version: PlanVersion | None = None) -> list[Meeting]:
    """The person's meetings in the latest released version (or ``version``), by time,
    each with ``partner`` (the other person's registration)."""
    version = version or released_version(event_id=registration.event_id)
    if version is None:
        return []
    seats = (Seat.objects.filter(version=version, registration=registration)
             .select_related("meeting__slot", "meeting__request__requester__organisation",
                             "meeting__request__receiver__organisation")
             .order_by("slot__starts_at"))
    meetings = []
    for seat in seats:
        meeting = seat.meeting
        meeting.partner = meeting.request.other(registration)
        meetings.append(meeting)
    return meetings


def participants(*, event: Event, viewer: Registration | None = None, query: str = "") -> QuerySet[Registration]:
    """Confirmed participants with an account, with their organisation's needs and offers;
    without the viewer and the people the viewer said "no thanks" to."""
    people = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED, user__isnull=False)
    if viewer is not None:
        people = people.exclude(pk=viewer.pk).exclude(
            pk__in=Hidden.objects.filter(registration=viewer).values("hidden_id"))
    query = query.strip()
    if query:
        people = people.filter(Q(name__icontains=query) | Q(organisation__name__icontains=query)
                               | Q(organisation__needs__title__icontains=query)
                               | Q(organisation__offers__title__icontains=query)).distinct()
    return people.select_related("organisation").prefetch_related(
        Prefetch("organisation__needs", queryset=Need.objects.order_by("pk")),
        Prefetch("organisation__offers", queryset=Offer.objects.order_by("pk"))).order_by("name", "pk")


def requests_of(*, registration: Registration) -> dict[str, list[MeetingRequest]]:
    rows = (MeetingRequest.objects.filter(Q(requester=registration) | Q(receiver=registration))
            .select_related("requester__organisation", "receiver__organisation").order_by("-created_at", "-pk"))
    out = {"received": [], "sent": [], "agreed": []}
    for request in rows:
        request.partner = request.other(registration)
        if request.status == RequestStatus.ACCEPTED:
            out["agreed"].append(request)
        elif request.receiver_id == registration.pk and request.status == RequestStatus.PENDING:
            out["received"].append(request)
        elif request.requester_id == registration.pk:
            out["sent"].append(request)
    return out


def feedback_of(*, registration: Registration) -> dict[int, MeetingFeedback]:
    return {f.request_id: f for f in MeetingFeedback.objects.filter(author=registration)}


def no_shows(*, event: Event) -> list[dict]:
    """Per person: how often partners reported them absent (for the organisers)."""
    counts: dict[int, int] = {}
    for feedback in MeetingFeedback.objects.filter(request__event=event, no_show=True).select_related("request"):
        request = feedback.request
        absent = request.receiver_id if feedback.author_id == request.requester_id else request.requester_id
        counts[absent] = counts.get(absent, 0) + 1
    names = dict(Registration.objects.filter(pk__in=counts).values_list("pk", "name"))
    return sorted(({"name": names.get(pk, "?"), "count": n} for pk, n in counts.items()),
                  key=lambda row: (-row["count"], row["name"]))
