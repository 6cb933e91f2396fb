"""Demo events for ``matchwerk demo_load``: events of seven formats in different regions,
dated relative to today so that they stay upcoming, with registrations of demo
organisations (a speed-dating kick-off with 3 startups and 8 SMEs, a roundtable evening,
a two-day conference, a fully booked workshop with a waiting list, an excursion by
invitation, an online session and a maker fair still in draft).

Registrations are written directly (no mails are sent for demo data) but follow the same
rules as the services: never more confirmed than seats, the rest on the waiting list.
Loading twice adds nothing: events are recognised by title.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.utils import timezone

from matchwerk.accounts.models import User
from matchwerk.events.enums import EventAccess, EventFormat, EventStatus, QuestionKind, RegistrationStatus
from matchwerk.events.models import Event, Question, Registration
from matchwerk.profiles.models import Organisation, Region, Topic

ORGANISER_EMAIL = "koordination@matchwerk.example"


@dataclass(frozen=True)
class DemoEvent:
    title: str
    format: str
    region: str
    days_ahead: int
    start: time
    hours: float
    capacity: int
    venue_name: str = ""
    venue_address: str = ""
    venue_host: str = ""
    online_url: str = ""
    topics: tuple[str, ...] = ()
    description: str = ""
    hashtag: str = ""
    access: str = EventAccess.OPEN
    status: str = EventStatus.PUBLISHED
    # (organisation kind, how many, regions to take them from; empty: any region)
    participants: tuple[tuple[str, int, tuple[str, ...]], ...] = ()
    demo_accounts: tuple[str, ...] = ()  # demo logins registered (in this order)
    questions: tuple[tuple[str, str, str, bool], ...] = field(default=())  # label, kind, choices, required
    series: str = ""  # events of one series are composed together (load_demo_composition)


SMART_SERIES = "Digital Smart Events 2027"
# Per event of the series: startups 2–3, SMEs 7–10 (the technology centre's rule).
SMART_RULES = (("startup", 2, 3), ("sme", 7, 10))

ELBLAND = ("Meißen", "Dresden", "Sächsische Schweiz-Osterzgebirge", "Bautzen", "Görlitz")

DEMO_EVENTS: tuple[DemoEvent, ...] = (
    DemoEvent(
        "Kick-off Cross-Innovation Elbland", EventFormat.SPEED_DATING, "Meißen", 12, time(16, 0), 3, 11,
        venue_name="Technologie- und Gründerzentrum Meißen", venue_address="Fabrikstraße 12, 01662 Meißen",
        venue_host="TGZ Meißen", topics=("Digitalisierung", "Tourismus"), hashtag="#KickoffElbland",
        description="Drei digitale Startups treffen acht kleine und mittlere Unternehmen aus dem Elbland: "
                    "je sieben Minuten Speed-Dating, danach offener Austausch.",
        participants=(("startup", 3, ELBLAND), ("sme", 8, ELBLAND)),
        demo_accounts=("buchbar@matchwerk.example", "radreisen@matchwerk.example"),
    ),
    DemoEvent(
        "Innovationsstammtisch Smart City", EventFormat.ROUNDTABLE, "Dresden", 20, time(18, 30), 2.5, 30,
        venue_name="Kulturzentrum Elbhang", venue_address="Elbhangstraße 3, 01326 Dresden",
        venue_host="Kulturzentrum Elbhang e. V.", topics=("Smart City", "Mobilität", "Digitalisierung"),
        description="Ein Abend zu Sensorik, offenen Daten und Mobilität in der Stadt – mit Verwaltung, "
                    "Startups und Forschung.",
        participants=(("public", 2, ("Dresden", "Sächsische Schweiz-Osterzgebirge")), ("research", 1, ("Dresden",)),
                      ("startup", 2, ("Dresden",))),
        demo_accounts=("kulturzentrum@matchwerk.example",),
    ),
    DemoEvent(
        "Digitalkonferenz Mittelstand Sachsen", EventFormat.CONFERENCE, "Leipzig", 45, time(9, 0), 32, 300,
        venue_name="Kongresshalle am Zoo", venue_address="Pfaffendorfer Straße 31, 04105 Leipzig",
        venue_host="Metropolregion Mitteldeutschland", topics=("Digitalisierung", "Künstliche Intelligenz",
                                                                "Produktion/Industrie 4.0"),
        hashtag="#DigiMittelstand",
        description="Zwei Tage mit Vorträgen, Workshops und 1:1-Gesprächen für kleine und mittlere Unternehmen.",
        participants=(("sme", 6, ()), ("startup", 3, ()), ("research", 2, ())),
        demo_accounts=("radreisen@matchwerk.example", "glasstudio@matchwerk.example"),
        questions=(("Welchen Workshop am zweiten Tag?", QuestionKind.CHOICE,
                    "KI im Vertrieb\nDatensicherheit\nOnline-Shop in 30 Tagen", True),
                   ("Essenswünsche", QuestionKind.TEXT, "", False)),
    ),
    DemoEvent(
        "Workshop: KI im Handwerk", EventFormat.WORKSHOP, "Chemnitz", 9, time(13, 0), 4, 6,
        venue_name="Smart Systems Hub Chemnitz", venue_address="Reichenhainer Straße 88, 09126 Chemnitz",
        venue_host="Technologiezentrum Chemnitz", topics=("Künstliche Intelligenz", "Handwerk & Tradition"),
        description="Praxisnah: Angebote schreiben, Fotos auswerten, Termine planen – mit KI-Werkzeugen.",
        participants=(("sme", 8, ("Chemnitz", "Erzgebirgskreis", "Mittelsachsen", "Zwickau", "Vogtlandkreis")),),
    ),
    DemoEvent(
        "Busfahrt zur Hannover Messe", EventFormat.EXCURSION, "Dresden", 60, time(6, 30), 15, 40,
        venue_name="Abfahrt: Dresden Hauptbahnhof, Busbahnhof", venue_address="Wiener Platz, 01069 Dresden",
        topics=("Produktion/Industrie 4.0",), access=EventAccess.INVITATION,
        description="Im Bus sitzen Startups und Mittelständler gemischt; auf der Messe ein gemeinsamer Rundgang.",
        participants=(("startup", 2, ()), ("sme", 4, ())),
    ),
    DemoEvent(
        "Online: Fördermittel für Digitalisierung kompakt", EventFormat.ONLINE, "", 6, time(10, 0), 1.5, 100,
        online_url="https://meet.example.org/foerdermittel", topics=("Digitalisierung",),
        description="Welche Programme fördern Digitalisierung in Sachsen? Eine Stunde Überblick, eine halbe Fragen.",
        participants=(("creative", 3, ()), ("sme", 2, ())),
        demo_accounts=("glasstudio@matchwerk.example",),
    ),
    DemoEvent(
        "Maker Faire Lausitz", EventFormat.EXHIBITION, "Görlitz", 90, time(10, 0), 32, 500,
        venue_name="Kühlhaus Görlitz", venue_address="Am Flugplatz 16, 02828 Görlitz",
        topics=("Design", "Bildung"), status=EventStatus.DRAFT,
        description="Zwei Tage Basteln, Löten, Drucken: Maker, Schulen und Unternehmen zeigen, was sie bauen.",
    ),
    # A technology centre's "Digital Smart Events": 2–3 digital startups meet 7–10 SMEs each
    # time; drafts whose participants the engine proposes over the whole series.
    DemoEvent(
        "Digital Smart Event: Kletterpark", EventFormat.OUTDOOR, "", 35, time(14, 0), 4, 15,
        venue_name="Kletterwald Dresdner Heide", venue_address="Hellerhofstraße 1, 01109 Dresden",
        venue_host="Technologiezentrum Dresden", topics=("Digitalisierung",), access=EventAccess.INVITATION,
        status=EventStatus.DRAFT, series=SMART_SERIES,
        description="Startups und Mittelständler klettern in gemischten Seilschaften – und reden danach über "
                    "gemeinsame Digitalprojekte.",
    ),
    DemoEvent(
        "Digital Smart Event: Busfahrt zur embedded world", EventFormat.EXCURSION, "", 70, time(5, 30), 16, 15,
        venue_name="Abfahrt: Technologiezentrum Dresden", venue_address="Gostritzer Straße 61, 01217 Dresden",
        venue_host="Technologiezentrum Dresden", topics=("Digitalisierung",), access=EventAccess.INVITATION,
        status=EventStatus.DRAFT, series=SMART_SERIES,
        description="Im Bus sitzen die Startups auf der einen, die KMU auf der anderen Seite – auf der Rückfahrt "
                    "gemischt.",
    ),
)


def _moment(days_ahead: int, at: time) -> datetime:
    day = timezone.localdate() + timedelta(days=days_ahead)
    return timezone.make_aware(datetime.combine(day, at))


def _contacts(kind: str, count: int, regions: tuple[str, ...], taken: set[int]) -> list[tuple[User, Organisation]]:
    organisations = Organisation.objects.filter(kind=kind).exclude(pk__in=taken).order_by("key")
    if regions:
        organisations = organisations.filter(region__name__in=regions)
    found: list[tuple[User, Organisation]] = []
    if count <= 0:
        return found
    for organisation in organisations:
        person = organisation.people.filter(user__isnull=False).select_related("user").order_by("pk").first()
        if person is not None:
            found.append((person.user, organisation))
        if len(found) == count:
            break
    return found


def load_demo_events() -> int:
    """Create the demo events that do not exist yet; returns how many were created."""
    organiser = User.objects.filter(email=ORGANISER_EMAIL).first()
    created = 0
    for spec in DEMO_EVENTS:
        if Event.objects.filter(title=spec.title).exists():
            continue
        starts_at = _moment(spec.days_ahead, spec.start)
        event = Event(
            title=spec.title, format=spec.format, description=spec.description, venue_name=spec.venue_name,
            venue_address=spec.venue_address, venue_host=spec.venue_host, online_url=spec.online_url,
            starts_at=starts_at, ends_at=starts_at + timedelta(hours=spec.hours), capacity=spec.capacity,
            region=Region.objects.filter(name=spec.region).first() if spec.region else None,
            hashtag=spec.hashtag, access=spec.access, status=spec.status, created_by=organiser,
            cancellation_deadline=starts_at - timedelta(days=1),
            published_at=timezone.now() if spec.status == EventStatus.PUBLISHED else None,
        )
        event.full_clean()
        event.save()
        event.topics.set(Topic.objects.filter(name_de__in=spec.topics))
        if organiser is not None:
            event.organisers.set([organiser])
        for position, (label, kind, choices, required) in enumerate(spec.questions, start=1):
            Question.objects.create(event=event, label=label, kind=kind, choices=choices, required=required,
                                    position=position)
        _register(event, spec)
        if spec.hashtag:
            _wall(event)
        created += 1
    load_demo_ideas()
    return created


# Event ideas in every state (submitted, changes requested, accepted → the maker fair draft,
# declined), from demo participants.
DEMO_IDEAS = (
    ("Repair-Café trifft Handwerk", "workshop", "submitted", "radreisen@matchwerk.example", "", ""),
    ("Smart-City-Spaziergang Görlitz", "excursion", "changes", "buchbar@matchwerk.example",
     "Bitte schlagen Sie einen Termin und einen Treffpunkt vor.", ""),
    ("Maker Faire Lausitz", "exhibition", "accepted", "kulturzentrum@matchwerk.example",
     "Gern – wir planen sie für den Herbst.", "Maker Faire Lausitz"),
    ("Krypto-Stammtisch", "roundtable", "declined", "glasstudio@matchwerk.example",
     "Das Thema passt nicht zu den geförderten Programmen (Digitalisierung im Mittelstand).", ""),
)


def load_demo_ideas() -> int:
    from matchwerk.events.models import EventIdea

    created = 0
    for title, format, status, email, message, event_title in DEMO_IDEAS:
        if EventIdea.objects.filter(title=title).exists():
            continue
        EventIdea.objects.create(
            title=title, format=format, status=status, submitter=User.objects.filter(email=email).first(),
            description="Eine Idee aus dem Netzwerk.", gain="Neue Kontakte und konkrete Vorhaben.", message=message,
            event=Event.objects.filter(title__icontains=event_title).first() if event_title else None,
            decided_at=timezone.now() if status in ("accepted", "declined", "changes") else None)
        created += 1
    return created


def _register(event: Event, spec: DemoEvent) -> None:
    people: list[tuple[User, Organisation | None]] = []
    for email in spec.demo_accounts:
        user = User.objects.filter(email=email).first()
        if user is not None:
            organisation = Organisation.objects.filter(people__user=user).order_by("pk").first()
            people.append((user, organisation))
    taken = {organisation.pk for _, organisation in people if organisation is not None}
    already = [organisation.kind for _, organisation in people if organisation is not None]
    for kind, count, regions in spec.participants:
        found = _contacts(kind, count - already.count(kind), regions, taken)
        taken.update(organisation.pk for _, organisation in found)
        people.extend(found)
    questions = list(event.questions.all())
    confirmed = 0
    now = timezone.now()
    for n, (user, organisation) in enumerate(people):
        if spec.access == EventAccess.INVITATION:
            status = RegistrationStatus.INVITED if n % 2 else RegistrationStatus.CONFIRMED
        else:
            status = RegistrationStatus.CONFIRMED if confirmed < event.capacity else RegistrationStatus.WAITLISTED
        if status == RegistrationStatus.CONFIRMED and confirmed >= event.capacity:
            status = RegistrationStatus.WAITLISTED
        confirmed += status == RegistrationStatus.CONFIRMED
        answers = {str(q.pk): q.choice_list[n % len(q.choice_list)] for q in questions if q.kind == QuestionKind.CHOICE}
        Registration.objects.create(event=event, user=user, name=user.get_full_name(), email=user.email.lower(),
                                    organisation=organisation, status=status, answers=answers,
                                    registered_by=user, status_changed_at=now + timedelta(seconds=n))


# Wall posts of the demo: approved, waiting and hidden ones on every event with a hashtag.
DEMO_WALL_POSTS = (
    ("Schön, dass so viele Handwerksbetriebe da sind!", "approved"),
    ("Wer hat Lust, nach dem Vortrag über Datenräume zu sprechen? Ich stehe am Kaffee.", "approved"),
    ("Gibt es die Folien zur Keynote irgendwo?", "pending"),
    ("Jetzt kaufen: billige Uhren!", "hidden"),
)


def _wall(event: Event) -> None:
    from matchwerk.events.models import WallPost

    authors = [r.user for r in event.registrations.filter(status=RegistrationStatus.CONFIRMED,
                                                           user__isnull=False).select_related("user")[:4]]
    now = timezone.now()
    for n, (author, (text, status)) in enumerate(zip(authors, DEMO_WALL_POSTS)):
        WallPost.objects.create(event=event, author=author, author_name=author.get_full_name(), text=text,
                                status=status, created_at=now - timedelta(minutes=10 * (4 - n)))
    if authors:
        _wall_photo(event, authors[0], now)


def _wall_photo(event: Event, author: User, now) -> None:
    """An approved photo post (a drawn picture: the demo ships no photographs of people),
    by an author who gave the photo consent; and a projector link for the staff to try."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image, ImageDraw

    from matchwerk.events.models import WallPost
    from matchwerk.privacy.enums import ConsentPurpose
    from matchwerk.privacy.services import consent_record

    consent_record(user=author, purpose=ConsentPurpose.PHOTOS, granted=True)
    picture = Image.new("RGB", (1200, 800), (31, 42, 54))
    draw = ImageDraw.Draw(picture)
    for i in range(8):  # a few "booths" seen from above
        draw.rectangle((80 + i * 130, 300, 180 + i * 130, 500), fill=(140 - i * 10, 196, 255 - i * 15))
    draw.text((80, 120), event.hashtag or event.title, fill=(255, 255, 255))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    post = WallPost(event=event, author=author, author_name=author.get_full_name(), text="Blick in den Saal",
                    status="approved", created_at=now - timedelta(minutes=5))
    post.photo.save(f"demo-{event.pk}.jpg", ContentFile(buffer.getvalue()), save=False)
    post.save()
    event.projector_token = event.projector_token or secrets.token_urlsafe(32)
    event.save(update_fields=["projector_token"])


def load_demo_composition() -> int:
    """Put the demo's series together, set its kind rules and let ``compose`` propose whom
    to invite over the whole series (after the matching suggestions exist, so the proposal
    has affinities); returns how many organisations were proposed. Runs once."""
    from matchwerk.events.models import EventSeries, KindRule
    from matchwerk.events.services.composition import participants_propose

    organiser = User.objects.filter(email=ORGANISER_EMAIL).first()
    events = list(Event.objects.filter(title__in=[spec.title for spec in DEMO_EVENTS if spec.series == SMART_SERIES])
                  .order_by("starts_at"))
    if organiser is None or not events or EventSeries.objects.filter(title=SMART_SERIES).exists():
        return 0
    series = EventSeries.objects.create(title=SMART_SERIES, created_by=organiser)
    for event in events:
        event.series = series
        event.save(update_fields=["series"])
        for kind, minimum, maximum in SMART_RULES:
            KindRule.objects.create(event=event, kind=kind, minimum=minimum, maximum=maximum)
    return participants_propose(actor=organiser, event=events[0], whole_series=True, time_limit=1.0).proposed
