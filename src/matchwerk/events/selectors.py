"""Reads of the events app."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Avg, Count, ExpressionWrapper, F, IntegerField, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchwerk.events.enums import EventStatus, RegistrationStatus
from matchwerk.events.models import Event, Feedback, Registration
from matchwerk.profiles.models import Topic

_NO_ORGANISATION = _("ohne Organisation")
_CONFIRMED = Q(registrations__status=RegistrationStatus.CONFIRMED)


def _with_counts(queryset: QuerySet[Event]) -> QuerySet[Event]:
    return queryset.annotate(
        confirmed=Count("registrations", filter=_CONFIRMED),
        waiting=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)),
    ).annotate(seats_left=ExpressionWrapper(F("capacity") - F("confirmed"), output_field=IntegerField()))


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def public_events(*, region=None, format: str = "", topic=None, date_from: date | None = None,
                  date_to: date | None = None) -> QuerySet[Event]:
    """Published events for ``/veranstaltungen/``: upcoming ones (or those that meet the
    date filter), soonest first, with region, topics and the number of confirmed seats."""
    events = Event.objects.filter(status=EventStatus.PUBLISHED)
    if date_from is None and date_to is None:
        events = events.filter(ends_at__gte=timezone.now())
    if date_from is not None:
        events = events.filter(ends_at__gte=_day_start(date_from))
    if date_to is not None:
        events = events.filter(starts_at__lt=_day_start(date_to) + timedelta(days=1))
    if region is not None:
        events = events.filter(region=region)
    if format:
        events = events.filter(format=format)
    if topic is not None:
        events = events.filter(topics=topic)
    return _with_counts(events.select_related("region").prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("name_de")))).order_by("starts_at", "pk")


def event_for_page(*, pk: int) -> Event | None:
    return _with_counts(Event.objects.select_related("region").prefetch_related("topics", "questions")).filter(
        pk=pk).first()


def events_for_staff(*, user, status: str = "", query: str = "") -> QuerySet[Event]:
    """The events this member of staff acts on (``rules.staff_events_filter``)."""
    from matchwerk.events.rules import staff_events_filter

    events = Event.objects.all()
    scope = staff_events_filter(user)
    if scope is not None:
        events = events.filter(pk__in=Event.objects.filter(scope).values("pk"))
    if status:
        events = events.filter(status=status)
    if query:
        events = events.filter(Q(title__icontains=query) | Q(venue_name__icontains=query))
    return _with_counts(events.select_related("region")).order_by("-starts_at", "-pk")


def series_for_staff(*, user) -> QuerySet:
    """The event series this member of staff may use: those she created and those with an
    event she acts on (administrators: all). Others' series stay hidden, titles included."""
    from matchwerk.events.composition_models import EventSeries
    from matchwerk.events.rules import staff_events_filter

    series = EventSeries.objects.all()
    scope = staff_events_filter(user)
    if scope is not None:
        in_scope = Event.objects.filter(scope, series__isnull=False).values("series_id")
        series = series.filter(Q(created_by=user) | Q(pk__in=in_scope))
    return series.order_by("title")


def registrations_of_event(*, event: Event) -> QuerySet[Registration]:
    return (event.registrations.select_related("organisation", "user")
            .order_by("status", "status_changed_at", "pk"))


def waiting_position(*, registration: Registration) -> int | None:
    """1 for the first person on the waiting list, …; None when not waiting."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    return Registration.objects.filter(event_id=registration.event_id, status=RegistrationStatus.WAITLISTED).filter(
        Q(status_changed_at__lt=registration.status_changed_at)
        | Q(status_changed_at=registration.status_changed_at, pk__lt=registration.pk)).count() + 1


def registration_of_user(*, event: Event, user) -> Registration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Registration.objects.filter(event=event, user=user).select_related("organisation").first()


def agenda_of_user(*, user, past: bool = False) -> QuerySet[Registration]:
    """The person's events (confirmed, waiting, invited): upcoming soonest first, or past
    ones newest first."""
    now = timezone.now()
    registrations = (Registration.objects.filter(user=user, status__in=[
        RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED, RegistrationStatus.INVITED])
        .exclude(event__status=EventStatus.DRAFT)
        .select_related("event", "event__region", "organisation"))
    if past:
        return registrations.filter(event__ends_at__lt=now).order_by("-event__starts_at")
    return registrations.filter(event__ends_at__gte=now).order_by("event__starts_at", "event__pk")


def calendar_events_of_user(*, user) -> QuerySet[Event]:
    """What the personal calendar feed holds: events the person is confirmed for, and
    cancelled events they were confirmed or waiting for (sent as CANCELLED)."""
    return Event.objects.filter(
        Q(registrations__user=user, registrations__status=RegistrationStatus.CONFIRMED,
          status__in=[EventStatus.PUBLISHED, EventStatus.CLOSED])
        | Q(registrations__user=user, status=EventStatus.CANCELLED,
            registrations__status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED])
    ).distinct().order_by("starts_at")


def checkin_search(*, event: Event, query: str, limit: int = 30) -> QuerySet[Registration]:
    """Confirmed registrations whose name, e-mail or organisation contains ``query``."""
    query = query.strip()
    registrations = event.registrations.filter(status=RegistrationStatus.CONFIRMED).select_related("organisation")
    if not query:
        return registrations.none()
    return registrations.filter(
        Q(name__icontains=query) | Q(email__icontains=query) | Q(organisation__name__icontains=query)
        | Q(organisation_name__icontains=query)).order_by("name", "pk")[:limit]


def checkin_tickets(*, event: Event) -> list[dict]:
    """The valid tickets of the event for a door device's offline list: confirmed
    registrations with code, name, organisation and check-in time (one query)."""
    rows = event.registrations.filter(status=RegistrationStatus.CONFIRMED).select_related(
        "organisation").order_by("name", "pk")
    return [{"code": r.code, "name": r.name, "organisation": r.organisation_label,
             "checked_in_at": timezone.localtime(r.checked_in_at).isoformat() if r.checked_in_at else None}
            for r in rows]


def checkin_counts(*, event: Event) -> dict[str, int]:
    """Registered (confirmed), present, walk-ins: one query."""
    return event.registrations.filter(status=RegistrationStatus.CONFIRMED).aggregate(
        registered=Count("pk"), present=Count("pk", filter=Q(checked_in_at__isnull=False)),
        walk_ins=Count("pk", filter=Q(walk_in=True)))


def registrations_export(user) -> list[dict]:
    """The person's registrations for the GDPR data export (JSON-serialisable): those of
    the account and those staff entered with the account's confirmed address."""
    registrations = Registration.objects.filter(user=user)
    if user.email_confirmed_at is not None:
        registrations = registrations | Registration.objects.filter(email__iexact=user.email)
    questions = {}
    rows = []
    for registration in registrations.select_related("event", "organisation").prefetch_related(
            "event__questions").order_by("created_at", "pk"):
        for question in registration.event.questions.all():
            questions[str(question.pk)] = question.label
        rows.append({
            "event": registration.event.title, "starts_at": registration.event.starts_at.isoformat(),
            "status": registration.status, "name": registration.name, "email": registration.email,
            "organisation": registration.organisation_label, "walk_in": registration.walk_in,
            "answers": {questions.get(key, key): value for key, value in registration.answers.items()},
            "check_in_code": registration.code,
            "checked_in_at": registration.checked_in_at.isoformat() if registration.checked_in_at else None,
            "created_at": registration.created_at.isoformat(),
        })
    return rows


def wall_posts_export(user) -> list[dict]:
    """The person's wall posts for the GDPR data export (the photo is named; the person
    sees it on the wall or asks the network for the file)."""
    return [{"event": post.event.title, "text": post.text, "photo": bool(post.photo), "status": post.status,
             "created_at": post.created_at.isoformat()}
            for post in user.wall_posts.select_related("event").order_by("created_at", "pk")]


def event_has_ended(*, event: Event) -> bool:
    """Over (or closed by the staff): from now on a confirmed person not checked in is a no-show."""
    return event.ends_at <= timezone.now() or event.status == EventStatus.CLOSED


def event_numbers(*, event: Event) -> dict:
    """Numbers for the programmes' reports: registered, present, no-shows (only once the
    event has ended), walk-ins, waiting, by organisation kind, and the feedback."""
    from matchwerk.profiles.enums import OrganisationKind

    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED)
    counts = checkin_counts(event=event)
    ended = event_has_ended(event=event)
    by_kind = dict(confirmed.values_list("organisation__kind").annotate(n=Count("pk")).order_by())
    feedback = Feedback.objects.filter(registration__event=event).aggregate(count=Count("pk"), average=Avg("rating"))
    return {
        **counts, "ended": ended, "no_shows": counts["registered"] - counts["present"] if ended else None,
        "waiting": event.registrations.filter(status=RegistrationStatus.WAITLISTED).count(),
        "by_kind": [(OrganisationKind(kind).label if kind else _NO_ORGANISATION, n)
                    for kind, n in sorted(by_kind.items(), key=lambda item: (item[0] is None, item[0] or ""))],
        "feedback_count": feedback["count"], "feedback_average": feedback["average"],
        "feedback": Feedback.objects.filter(registration__event=event).exclude(improve="").order_by("-created_at")[:50],
    }


def sessions_of_event(*, event: Event, with_members: bool = False) -> list:
    """The event's programme in time order; working groups with their members if asked."""
    from matchwerk.events.models import GroupMember, Session

    sessions = Session.objects.filter(event=event).order_by("starts_at", "room", "pk")
    if with_members:
        sessions = sessions.prefetch_related(Prefetch(
            "members", queryset=GroupMember.objects.select_related("registration", "registration__organisation")
            .order_by("registration__name")))
    return list(sessions)


def group_titles_of_registrations(registrations) -> dict[int, list[str]]:
    """Registration id → titles of its working groups (one query, for the agenda)."""
    from matchwerk.events.models import GroupMember

    titles: dict[int, list[str]] = {}
    for registration_id, title in GroupMember.objects.filter(registration__in=registrations).order_by(
            "session__starts_at").values_list("registration_id", "session__title"):
        titles.setdefault(registration_id, []).append(title)
    return titles


def ideas_for_staff(*, user, status: str = ""):
    """Ideas in the reviewer's scope (``rules.can_review_idea`` as a filter), newest first."""
    from matchwerk.accounts.rules import is_coordinator
    from matchwerk.events.models import EventIdea
    from matchwerk.events.rules import event_scope

    ideas = EventIdea.objects.select_related("region", "submitter", "event")
    if is_coordinator.test(user):
        ideas = ideas.filter(Q(region__isnull=True) | Q(region__in=event_scope(user).region_ids))
    if status:
        ideas = ideas.filter(status=status)
    return ideas.order_by("-created_at", "-pk")


def idea_numbers() -> dict:
    """For the public page: ideas received, accepted, and events held from them."""
    from matchwerk.events.enums import IdeaStatus
    from matchwerk.events.models import EventIdea

    numbers = EventIdea.objects.aggregate(received=Count("pk"),
                                          accepted=Count("pk", filter=Q(status=IdeaStatus.ACCEPTED)))
    numbers["held"] = Event.objects.filter(ideas__isnull=False, ends_at__lt=timezone.now(), status__in=[
        EventStatus.PUBLISHED, EventStatus.CLOSED]).distinct().count()
    return numbers


def accepted_ideas():
    from matchwerk.events.enums import IdeaStatus
    from matchwerk.events.models import EventIdea

    return (EventIdea.objects.filter(status=IdeaStatus.ACCEPTED).select_related("region", "event")
            .prefetch_related("topics").order_by("-decided_at", "-pk")[:50])


def ideas_export(user) -> list[dict]:
    """The person's event ideas for the GDPR data export."""
    from matchwerk.events.models import EventIdea

    return [{"title": idea.title, "description": idea.description, "format": idea.format, "status": idea.status,
             "target_groups": idea.target_groups, "partners": idea.partners, "place_and_time": idea.place_and_time,
             "gain": idea.gain, "message": idea.message, "created_at": idea.created_at.isoformat()}
            for idea in EventIdea.objects.filter(submitter=user).order_by("created_at", "pk")]


def wall_posts(*, event: Event, limit: int = 30):
    """The approved posts of the wall, newest first."""
    from matchwerk.events.enums import WallPostStatus

    return list(event.wall_posts.filter(status=WallPostStatus.APPROVED).order_by("-created_at", "-pk")[:limit])


def wall_posts_for_staff(*, event: Event, limit: int = 100):
    return list(event.wall_posts.select_related("moderated_by").order_by("-created_at", "-pk")[:limit])


def next_sessions(*, event: Event, limit: int = 3):
    """The sessions not yet over, soonest first (the wall shows them between posts)."""
    return list(event.sessions.filter(ends_at__gt=timezone.now()).order_by("starts_at", "pk")[:limit])


def composition_of_event(*, event: Event) -> dict:
    """The composition page's reading: the kind rules with their check (registered,
    invited, proposed against minimum and maximum), the candidates, and over the series
    the organisations that appear in more than one event."""
    from collections import Counter

    from matchwerk.events.enums import ACTIVE_REGISTRATION_STATUSES, CandidateStatus
    from matchwerk.events.models import Candidate, Registration

    candidates = list(event.candidates.select_related("organisation", "user").order_by(
        "organisation__kind", "-score", "organisation__name"))
    registered = Counter(Registration.objects.filter(
        event=event, status__in=ACTIVE_REGISTRATION_STATUSES, organisation__isnull=False,
    ).values_list("organisation__kind", flat=True))
    registered_orgs = set(Registration.objects.filter(
        event=event, status__in=ACTIVE_REGISTRATION_STATUSES).values_list("organisation_id", flat=True))
    proposed = Counter(c.organisation.kind for c in candidates
                       if c.status == CandidateStatus.PROPOSED and c.organisation_id not in registered_orgs)
    checks = []
    for rule in event.kind_rules.all():
        total = registered[rule.kind] + proposed[rule.kind]
        state = "ok" if rule.minimum <= total <= rule.maximum else ("few" if total < rule.minimum else "many")
        checks.append({"rule": rule, "registered": registered[rule.kind], "proposed": proposed[rule.kind],
                       "total": total, "state": state})
    repeats = []
    if event.series_id:
        seen: dict[int, set] = {}
        names: dict[int, str] = {}
        rows = list(Registration.objects.filter(event__series_id=event.series_id,
                                                status__in=ACTIVE_REGISTRATION_STATUSES,
                                                organisation__isnull=False)
                    .values_list("organisation_id", "organisation__name", "event_id"))
        rows += list(Candidate.objects.filter(event__series_id=event.series_id)
                     .values_list("organisation_id", "organisation__name", "event_id"))
        for org, name, event_id in rows:
            seen.setdefault(org, set()).add(event_id)
            names[org] = name
        labels = {e.pk: f"{e.title} ({timezone.localtime(e.starts_at):%d.%m.%Y})"
                  for e in Event.objects.filter(series_id=event.series_id)}
        repeats = sorted((names[org], sorted(labels[e] for e in ids)) for org, ids in seen.items() if len(ids) > 1)
    series_events = list(Event.objects.filter(series_id=event.series_id).order_by("starts_at", "pk")) \
        if event.series_id else []
    return {"checks": checks, "candidates": candidates, "repeats": repeats, "series_events": series_events}
