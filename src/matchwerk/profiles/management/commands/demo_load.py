"""``matchwerk demo_load [--if-empty] [--force]``: load the fictional demo data.

Creates the demo accounts (one per role, all with the documented demo password), the
demo programmes with their regions and teams, and the demo organisations from ``profiles/data/demo_organisations.json`` with their people,
needs, offers and consents. Everything runs in one transaction and is idempotent by key:
running it again updates the demo organisations instead of duplicating them.

The demo password is public, so the command refuses to run in production mode unless
``--force`` is given.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from matchwerk.accounts.enums import Role
from matchwerk.accounts.models import User
from matchwerk.engine import regions as region_data
from matchwerk.events.demo import load_demo_composition, load_demo_events
from matchwerk.matching.demo import load_demo_matches
from matchwerk.meetings.demo import load_demo_meetings
from matchwerk.privacy.enums import ConsentPurpose
from matchwerk.privacy.services import consent_record
from matchwerk.profiles.models import Need, Offer, Organisation, Person, Region, Topic
from matchwerk.programmes.demo import load_demo_programme
from matchwerk.programmes.models import Programme
from matchwerk.rounds.demo import load_demo_rounds

DATA_FILE = Path(__file__).resolve().parents[2] / "data" / "demo_organisations.json"
DEMO_PASSWORD = "matchwerk-demo"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str
    description: str  # German, shown by demo_logins
    organisation: str = ""  # key of the demo organisation the person acts for
    regions: tuple[str, ...] = ()  # regions a coordinator looks after
    programmes: tuple[str, ...] = ()  # slugs of the demo programmes whose team the person is on


@dataclass(frozen=True)
class DemoProgramme:
    slug: str
    name: str
    description: str
    regions: tuple[str, ...] = ()  # empty: all regions


DEMO_PROGRAMMES: tuple[DemoProgramme, ...] = (
    DemoProgramme("cross-innovation", "Cross-Innovation",
                  "Kreative, Startups, KMU, Verwaltung und Forschung in ganz Sachsen zusammenbringen."),
    DemoProgramme("kreative-lausitz", "Kreative Lausitz",
                  "Kreativschaffende und Mittelstand in der Oberlausitz.", regions=("Görlitz", "Bautzen")),
)


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin@matchwerk.example", "Ada Admin", Role.ADMIN,
                "Administration: alles, weist Regionen und Rollen zu, Django-Administration"),
    DemoAccount("koordination@matchwerk.example", "Konrad Koordination", Role.COORDINATOR,
                "Koordination Ost: Dresden, Meißen, Sächsische Schweiz-Osterzgebirge, Bautzen, Görlitz; "
                "im Team von „Kreative Lausitz“",
                regions=("Dresden", "Meißen", "Sächsische Schweiz-Osterzgebirge", "Bautzen", "Görlitz"),
                programmes=("kreative-lausitz",)),
    DemoAccount("koordination-west@matchwerk.example", "Karla Westphal", Role.COORDINATOR,
                "Koordination West: Leipzig, Chemnitz und Westsachsen (sieht nur ihre Regionen)",
                regions=("Leipzig", "Landkreis Leipzig", "Nordsachsen", "Chemnitz", "Zwickau",
                         "Vogtlandkreis", "Erzgebirgskreis", "Mittelsachsen")),
    DemoAccount("matching@matchwerk.example", "Mia Matching", Role.MATCHING_TEAM,
                "Matching-Team der Programme „Cross-Innovation“ (ganz Sachsen) und „Kreative Lausitz“",
                programmes=("cross-innovation", "kreative-lausitz")),
    DemoAccount("matching-lausitz@matchwerk.example", "Lars Lausitz", Role.MATCHING_TEAM,
                "Matching-Team nur von „Kreative Lausitz“ (Görlitz, Bautzen)", programmes=("kreative-lausitz",)),
    DemoAccount("radreisen@matchwerk.example", "Uwe Pfeiffer", Role.PARTICIPANT,
                "Teilnehmer für Radreisen Elbland (Tourismus, Meißen)", organisation="radreisen-elbland"),
    DemoAccount("buchbar@matchwerk.example", "Jana Wolff", Role.PARTICIPANT,
                "Teilnehmerin für buchbar GmbH (digitales Startup, Dresden)", organisation="buchbar-dresden"),
    DemoAccount("kulturzentrum@matchwerk.example", "Thomas Richter", Role.PARTICIPANT,
                "Teilnehmer für Kulturzentrum Elbhang e. V. (Netzwerk, Dresden)", organisation="kulturzentrum-elbhang"),
    DemoAccount("glasstudio@matchwerk.example", "Johanna Busch", Role.PARTICIPANT,
                "Teilnehmerin für Glasstudio Weißwasser (Kreativschaffende, Görlitz)",
                organisation="weisswasser-glasdesign"),
)


def load_demo_file(path: Path = DATA_FILE) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


class Command(BaseCommand):
    help = "Lädt die fiktiven Demo-Organisationen und Demo-Zugänge (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="Nichts tun, wenn schon eine Organisation existiert.")
        parser.add_argument("--force", action="store_true",
                            help="Auch im Produktionsmodus laden (das Demo-Passwort ist öffentlich!).")

    def handle(self, *args, if_empty: bool = False, force: bool = False, **options):
        if getattr(settings, "PRODUCTION", False) and not force:
            raise CommandError("Produktionsmodus: Demo-Daten mit öffentlichem Passwort werden nicht geladen "
                               "(mit --force trotzdem laden).")
        if if_empty and Organisation.objects.exists():
            if options.get("verbosity", 1) >= 1:
                self.stdout.write("Es gibt bereits Organisationen – Demo-Daten werden nicht geladen.")
            return
        data = load_demo_file()
        with transaction.atomic():
            loader = _DemoLoader(data)
            loader.run()
            events = load_demo_events()
            events += load_demo_meetings()
            load_demo_rounds()
            load_demo_matches()
            programme_matches = load_demo_programme()
            load_demo_composition()  # after the suggestions: they are the proposal's affinities
        if options.get("verbosity", 1) >= 1:
            self.stdout.write(self.style.SUCCESS(
                f"Demo-Daten geladen: {loader.organisations} Organisationen, {len(DEMO_ACCOUNTS)} Demo-Zugänge, "
                f"{events} neue Veranstaltungen, {programme_matches} neue Programm-Matches."))


class _DemoLoader:
    def __init__(self, data: dict):
        self.data = data
        self.topics: dict[str, Topic] = {}
        self.regions: dict[str, Region] = {}
        self.organisations = 0

    def run(self) -> None:
        self._prepare_topics()
        accounts = {account.email: self._account(account) for account in DEMO_ACCOUNTS}
        acting = {account.organisation: accounts[account.email] for account in DEMO_ACCOUNTS if account.organisation}
        for entry in self.data["organisations"]:
            self._organisation(entry, acting.get(entry["key"]))
            self.organisations += 1
        for account in DEMO_ACCOUNTS:
            if account.regions:
                accounts[account.email].coordinated_regions.add(*(self._region(name) for name in account.regions))
        for programme in DEMO_PROGRAMMES:
            self._programme(programme, [accounts[a.email] for a in DEMO_ACCOUNTS if programme.slug in a.programmes])

    def _programme(self, demo: DemoProgramme, team: list[User]) -> Programme:
        """A demo programme with its regions and team (kept as it is if it exists)."""
        programme = Programme.objects.filter(slug=demo.slug).first()
        if programme is None:
            programme = Programme(slug=demo.slug, name=demo.name, description=demo.description)
            programme.full_clean()
            programme.save()
            programme.regions.set([self._region(name) for name in demo.regions])
        programme.team.add(*team)
        return programme

    # --- reference data --------------------------------------------------------------
    def _prepare_topics(self) -> None:
        for item in self.data.get("topics", []):
            self._topic(item["name_de"], item.get("name_en", ""))

    def _topic(self, name_de: str, name_en: str = "") -> Topic:
        if name_de not in self.topics:
            topic = Topic.objects.filter(name_de=name_de).first()
            if topic is None:
                slug, n = slugify(name_de.replace("/", " ")) or "thema", 1
                while Topic.objects.filter(slug=slug).exists():
                    n += 1
                    slug = f"{slugify(name_de)}-{n}"
                topic = Topic(slug=slug, name_de=name_de, name_en=name_en)
                topic.full_clean()
                topic.save()
            self.topics[name_de] = topic
        return self.topics[name_de]

    def _region(self, name: str) -> Region:
        if name not in self.regions:
            region = Region.objects.filter(name=name).first()
            if region is None:  # the seed migration normally created it
                info = region_data.find(name)
                if info is None:
                    raise CommandError(f"Unbekannte Region in den Demo-Daten: {name}")
                region = Region(name=info.name, slug=info.slug, kind=info.kind, state=info.state,
                                latitude=info.latitude, longitude=info.longitude)
                region.full_clean()
                region.save()
            self.regions[name] = region
        return self.regions[name]

    # --- people ----------------------------------------------------------------------
    def _account(self, account: DemoAccount) -> User:
        user = User.objects.filter(email__iexact=account.email).first()
        if user is None:
            user = User(email=account.email, full_name=account.full_name, role=account.role,
                        email_confirmed_at=timezone.now())
            user.set_password(DEMO_PASSWORD)
        user.full_name, user.role, user.is_active = account.full_name, account.role, True
        if account.role == Role.ADMIN:
            user.is_staff = user.is_superuser = True
        if user.email_confirmed_at is None:
            user.email_confirmed_at = timezone.now()
        user.full_clean()
        user.save()
        return user

    def _contact_account(self, contact: dict) -> User:
        """Contact people of the other organisations have an account without a usable
        password: consents need a person who gave them."""
        user = User.objects.filter(email__iexact=contact["email"]).first()
        if user is None:
            user = User(email=contact["email"].lower(), full_name=contact["name"], role=Role.PARTICIPANT)
            user.set_unusable_password()
            user.full_clean()
            user.save()
        return user

    # --- organisations ---------------------------------------------------------------
    def _organisation(self, entry: dict, acting_user: User | None) -> Organisation:
        organisation = Organisation.objects.filter(key=entry["key"]).first() or Organisation(key=entry["key"])
        for field in ("kind", "name", "town", "website", "size", "founded", "about"):
            setattr(organisation, field, entry.get(field) or ("" if field != "founded" else None))
        organisation.region = self._region(entry["region"])
        organisation.full_clean()
        organisation.save()
        organisation.topics.set([self._topic(name) for name in entry.get("topics", [])])

        contact = entry["contact"]
        user = acting_user or self._contact_account(contact)
        person = Person.objects.filter(organisation=organisation, user=user).first() \
            or Person(organisation=organisation, user=user)
        person.name, person.email = contact["name"], contact["email"]
        person.phone, person.position = contact.get("phone", ""), contact.get("position", "")
        person.is_contact = person.can_edit = True
        person.full_clean()
        person.save()

        self._statements(Need, organisation, entry.get("needs", []))
        self._statements(Offer, organisation, entry.get("offers", []))

        consents = entry.get("consents", {})
        for purpose, flag in ((ConsentPurpose.DIRECTORY, "listed_in_directory"),
                              (ConsentPurpose.MATCHING, "open_for_matching")):
            granted = bool(consents.get(purpose.value, False))
            recorded = organisation.consents.filter(purpose=purpose).exists()
            if not recorded or getattr(organisation, flag) != granted:
                consent_record(user=user, purpose=purpose, granted=granted, organisation=organisation)
        return organisation

    def _statements(self, model, organisation: Organisation, items: list[dict]) -> None:
        """Needs or offers, matched by title so that a re-run updates instead of duplicating."""
        existing = {statement.title: statement for statement in model.objects.filter(organisation=organisation)}
        for item in items:
            statement = existing.get(item["title"]) or model(organisation=organisation, title=item["title"])
            statement.description = item.get("description", "")
            statement.full_clean()
            statement.save()
            statement.topics.set([self._topic(name) for name in item.get("topics", [])])
