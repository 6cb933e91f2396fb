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


# The columns a list of meetings shows of each person (not the registration's answers, a
# JSON document decoded per row, nor the organisation's long texts).
PERSON_COLUMNS = ("id", "name", "user_id", "organisation_id", "organisation_name", "organisation__name")


def released_version(*, event_id: int) -> PlanVersion | None:
    """The latest released version without its figures (a JSON document with every
    unplaced request: hundreds of kilobytes at a large event)."""
    return (PlanVersion.objects.filter(event_id=event_id, status=VersionStatus.RELEASED).defer("figures")
            .order_by("-number").first())


def _person_columns(*paths: str) -> list[str]:
    return [f"{path}__{column}" for path in paths for column in PERSON_COLUMNS]


def meetings_of(*, registration: Registration, version: PlanVersion | None = None) -> list[Meeting]:
    """The person's meetings in the latest released version (or ``version``), by time,
    each with ``partner`` (the other person's registration)."""
    version = version or released_version(event_id=registration.event_id)
    if version is None:
        return []
    return meetings_of_seats(Seat.objects.filter(version=version, registration=registration)).get(registration.pk, [])


def meetings_of_seats(seats: QuerySet[Seat]) -> dict[int, list[Meeting]]:
    """Per registration of ``seats``: its meetings by time, each with ``partner``; one
    query, only the columns the agenda, the meetings page, the PDF and the .ics show."""
    rows = (seats.select_related("meeting__slot", "meeting__request__requester__organisation",
                                 "meeting__request__receiver__organisation")
            .only("registration_id", "meeting__table", "meeting__locked", "meeting__version_id",
                  "meeting__slot__starts_at", "meeting__slot__ends_at", "meeting__request__event_id",
                  "meeting__request__requester_id", "meeting__request__receiver_id",
                  "meeting__request__uid", "meeting__request__sequence", "meeting__request__priority",
                  "meeting__request__status", "meeting__request__calendar_cancelled",
                  *_person_columns("meeting__request__requester", "meeting__request__receiver"))
            .order_by())
    out: dict[int, list[Meeting]] = {}
    for seat in rows:
        meeting = seat.meeting
        meeting.partner = meeting.request.other(seat.registration_id)
        out.setdefault(seat.registration_id, []).append(meeting)
    for meetings in out.values():
        meetings.sort(key=lambda meeting: (meeting.slot.starts_at, meeting.table))
    return out


def agenda_meetings_of_user(*, user_id: int | None = None,
                            registrations: list[Registration] | None = None) -> dict[int, list[Meeting]]:
    """For each confirmed registration of the user (or of ``registrations``) at an event
    with 1:1 meetings: its meetings in the event's latest released version (an empty list
    when there is none yet). Three queries, however many events."""
    rows = Registration.objects.filter(status=RegistrationStatus.CONFIRMED, event__brokerage__isnull=False)
    rows = rows.filter(user_id=user_id) if registrations is None else rows.filter(pk__in=[r.pk for r in registrations])
    event_of = dict(rows.values_list("pk", "event_id"))
    if not event_of:
        return {}
    latest: dict[int, int] = {}
    for event_id, version_id in (PlanVersion.objects.filter(event_id__in=set(event_of.values()),
                                                            status=VersionStatus.RELEASED)
                                 .order_by("event_id", "-number").values_list("event_id", "pk")):
        latest.setdefault(event_id, version_id)
    found = meetings_of_seats(Seat.objects.filter(registration_id__in=list(event_of),
                                                  version_id__in=list(latest.values()))) if latest else {}
    # A registration has seats only in versions of its own event: those found are in its latest released one.
    return {pk: found.get(pk, []) for pk in event_of}


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
            .select_related("requester__organisation", "receiver__organisation")
            .only("event_id", "requester_id", "receiver_id", "message", "priority", "status", "created_at",
                  *_person_columns("requester", "receiver"))
            .order_by("-created_at", "-pk"))
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
