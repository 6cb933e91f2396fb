"""Demo data for ``matchwerk demo_load``: two brokerage days (Kooperationsbörse).

* "Kooperationsbörse Innovation Sachsen" in Dresden, in five days: 20 participants (among
  them the demo logins ``radreisen@``, ``buchbar@``, ``glasstudio@``, ``kulturzentrum@``)
  with requests in every state, a plan computed by the real scheduler and released, so
  the agenda shows meetings and the back office shows a released version.
* "Kooperationsbörse Kreativwirtschaft Leipzig", ten days ago: a released plan and
  feedback after the meetings (ratings, one no-show, two pairs who both want to continue,
  which became matches with origin "event meeting").

Loading twice adds nothing: events are recognised by title. Times are relative to the day
of loading.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from matchwerk.accounts.models import User
from matchwerk.engine.schedule import run as schedule_run
from matchwerk.events.enums import EventFormat, EventStatus, RegistrationStatus
from matchwerk.events.models import Event, Registration
from matchwerk.meetings.enums import Priority, RequestStatus, VersionStatus
from matchwerk.meetings.models import Brokerage, MeetingFeedback, MeetingRequest, PlanRun, PlanVersion, Session, Slot
from matchwerk.meetings.proposals import propose_match
from matchwerk.meetings.services.plan import plan_execute
from matchwerk.meetings.services.settings import slot_times
from matchwerk.profiles.models import Organisation, Region

ORGANISER_EMAIL = "koordination@matchwerk.example"
DEMO_LOGINS = ("radreisen@matchwerk.example", "buchbar@matchwerk.example", "glasstudio@matchwerk.example",
               "kulturzentrum@matchwerk.example")
UPCOMING = "Kooperationsbörse Innovation Sachsen"
PAST = "Kooperationsbörse Kreativwirtschaft Leipzig"
PLAN_SECONDS = 3


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=days), time(hour, minute)))


def _people(count: int, logins: tuple[str, ...]) -> list[tuple[User, Organisation | None]]:
    people, taken = [], set()
    for email in logins:
        user = User.objects.filter(email=email).first()
        if user is not None:
            organisation = Organisation.objects.filter(people__user=user).order_by("pk").first()
            people.append((user, organisation))
            taken.add(user.pk)
    kinds = ["sme", "startup", "creative", "research", "sme", "public"]
    for organisation in Organisation.objects.filter(people__user__isnull=False).order_by("kind", "key").distinct():
        if len(people) >= count:
            break
        person = organisation.people.filter(user__isnull=False).exclude(user_id__in=taken).order_by("pk").first()
        if person is None or organisation.kind not in kinds:
            continue
        people.append((person.user, organisation))
        taken.add(person.user_id)
    return people


def _event(title: str, days: int, region: str, description: str) -> Event:
    organiser = User.objects.filter(email=ORGANISER_EMAIL).first()
    event = Event(title=title, format=EventFormat.BROKERAGE, description=description,
                  venue_name="Internationales Congress Center" if region == "Dresden" else "Kunstkraftwerk Leipzig",
                  venue_address="Ostra-Ufer 2, 01067 Dresden" if region == "Dresden"
                  else "Saalfelder Straße 8b, 04179 Leipzig",
                  starts_at=_at(days, 9), ends_at=_at(days, 17), capacity=60,
                  region=Region.objects.filter(name=region).first(), status=EventStatus.PUBLISHED,
                  created_by=organiser, published_at=timezone.now(), cancellation_deadline=_at(days - 1, 9))
    event.full_clean()
    event.save()
    if organiser is not None:
        event.organisers.set([organiser])
    return event


def _brokerage(event: Event, days: int) -> Brokerage:
    brokerage = Brokerage.objects.create(event=event, meeting_minutes=20, tables=8, max_meetings=6,
                                         requests_close_at=_at(days - 1, 18))
    sessions = [(_at(days, 9, 30), _at(days, 12, 10)), (_at(days, 13, 30), _at(days, 16, 10))]
    Session.objects.bulk_create([Session(brokerage=brokerage, starts_at=s, ends_at=e) for s, e in sessions])
    Slot.objects.bulk_create([Slot(brokerage=brokerage, starts_at=s, ends_at=e) for s, e in slot_times(sessions, 20)])
    return brokerage


def _registrations(event: Event, people) -> list[Registration]:
    now = timezone.now()
    return [Registration.objects.create(event=event, user=user, name=user.get_full_name(), email=user.email.lower(),
                                        organisation=organisation, status=RegistrationStatus.CONFIRMED,
                                        registered_by=user, status_changed_at=now + timedelta(seconds=n))
            for n, (user, organisation) in enumerate(people)]


_MESSAGES = ("Wir suchen Partner für ein gemeinsames Pilotprojekt.", "Ihr Angebot passt zu unserem Bedarf – "
             "kurz kennenlernen?", "Können wir über eine Kooperation im Tourismus sprechen?", "")


def _requests(event: Event, registrations: list[Registration]) -> list[MeetingRequest]:
    """Each person asks the next three (different organisation kinds first); most accepted,
    some pending, a few declined or withdrawn."""
    made, seen = [], set()
    n = len(registrations)
    for i, requester in enumerate(registrations):
        for step in (1, 3, 7):
            receiver = registrations[(i + step) % n]
            pair = frozenset((requester.pk, receiver.pk))
            if pair in seen:
                continue
            seen.add(pair)
            k = len(made)
            status = (RequestStatus.PENDING if k % 9 == 4 else RequestStatus.DECLINED if k % 17 == 8
                      else RequestStatus.WITHDRAWN if k % 23 == 11 else RequestStatus.ACCEPTED)
            made.append(MeetingRequest(event=event, requester=requester, receiver=receiver,
                                       message=_MESSAGES[k % len(_MESSAGES)],
                                       priority=Priority.MUST if k % 4 == 0 else Priority.WOULD_LIKE, status=status,
                                       answered_at=None if status == RequestStatus.PENDING else timezone.now()))
    return MeetingRequest.objects.bulk_create(made)


def _released_plan(event: Event) -> PlanVersion | None:
    organiser = User.objects.filter(email=ORGANISER_EMAIL).first()
    run = PlanRun.objects.create(event=event, created_by=organiser)
    plan_execute(run_id=run.pk, solve=lambda data, progress: schedule_run({**data, "time_limit": PLAN_SECONDS},
                                                                           progress))
    run.refresh_from_db()
    if run.version is None:
        return None
    version = run.version
    version.status, version.released_at, version.released_by = VersionStatus.RELEASED, timezone.now(), organiser
    version.save(update_fields=["status", "released_at", "released_by"])
    return version


def _feedback(version: PlanVersion) -> int:
    meetings = list(version.meetings.select_related("request__requester", "request__receiver").order_by("pk"))
    rows = []
    for k, meeting in enumerate(meetings):
        request = meeting.request
        if k % 5 == 4:
            continue  # nobody answered
        continuing = k in (0, 2)
        rows.append(MeetingFeedback(request=request, author=request.requester, rating=5 - k % 3,
                                    wants_to_continue=continuing, no_show=k == 3,
                                    note="Gleich im Januar einen Workshop planen." if continuing else ""))
        if k != 3:
            rows.append(MeetingFeedback(request=request, author=request.receiver, rating=4 - k % 2,
                                        wants_to_continue=continuing))
    MeetingFeedback.objects.bulk_create(rows)
    for k in (0, 2):
        if k < len(meetings):
            propose_match(request=meetings[k].request)
    return len(rows)


def load_demo_meetings() -> int:
    """Create the demo brokerage days that do not exist yet; returns how many were created."""
    created = 0
    if not Event.objects.filter(title=UPCOMING).exists():
        event = _event(UPCOMING, 5, "Dresden", "Vorab vereinbarte 20-Minuten-Gespräche zwischen Startups, "
                                               "Kreativen, Mittelstand und Forschung – am Vormittag und am Nachmittag.")
        _brokerage(event, 5)
        _requests(event, _registrations(event, _people(20, DEMO_LOGINS)))
        _released_plan(event)
        created += 1
    if not Event.objects.filter(title=PAST).exists():
        event = _event(PAST, -10, "Leipzig", "Kreativwirtschaft trifft Industrie: Gespräche nach Plan, danach "
                                             "Rückmeldungen und Matches.")
        _brokerage(event, -10)
        _requests(event, _registrations(event, _people(14, ())))
        version = _released_plan(event)
        if version is not None:
            _feedback(version)
        created += 1
    return created
