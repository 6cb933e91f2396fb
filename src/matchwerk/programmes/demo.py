"""The demo programme for ``matchwerk demo_load``: a cross-innovation programme in three
rural regions like the seeds' (creatives × small firms, EUR 2,500 per match), with its
coordinators per region, 36 matches of fictional creatives and small firms — four in every stage from "proposed" to "still
cooperating after 12 months" and "ended" — dated over the last ten months, grants applied
for, approved and paid, and one proof of use checked.

Matches move through ``matching.services.match_stage_change`` (``system=True``: the demo
is the operator's data) so the stage log is real; grants are written directly (no mails
for demo data) within the budget. Loading twice adds nothing: the programme is recognised
by its slug and left as it is once it has matches.
"""

from __future__ import annotations

import itertools
import zlib
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from matchwerk.accounts.models import User
from matchwerk.matching.enums import MatchStage, stage_flow
from matchwerk.matching.services import match_create, match_stage_change
from matchwerk.profiles.models import Organisation, Person, Region
from matchwerk.programmes.grants.enums import GrantStatus, ProofStatus
from matchwerk.programmes.grants.models import CostLine, Grant, Payment, ProofOfUse
from matchwerk.programmes.models import Programme, ProgrammeCoordinator

SLUG = "cross-innovation-laendlicher-raum"
REGIONS = ("Görlitz", "Bautzen", "Sächsische Schweiz-Osterzgebirge")
COORDINATOR_EMAIL = "koordination@matchwerk.example"
TEAM_EMAILS = ("koordination@matchwerk.example", "matching@matchwerk.example")
PER_STAGE = 4
GRANT = Decimal("2500.00")
IDEAS = (
    "Ein Online-Shop mit Produktfotos aus dem eigenen Fotostudio",
    "Eine Ausstellung in der Werkhalle mit Stücken aus Reststoffen",
    "Ein Kurzfilm über das Handwerk des Betriebs für die Nachwuchssuche",
    "Ein neues Verpackungsdesign aus regionalem Holz",
    "Eine Augmented-Reality-Führung durch die Produktion",
    "Ein Sound-Logo und Podcast für den Familienbetrieb",
)
COSTS = (("Honorar Gestaltung", Decimal("1400.00")), ("Material und Druck", Decimal("650.00")),
         ("Technik und Lizenzen", Decimal("450.00")))


def _stage_path(target: str) -> list[str]:
    if target == MatchStage.ENDED:
        return [MatchStage.AGREED, MatchStage.ENDED]
    flow = stage_flow(funded=True)
    return flow[1:flow.index(target) + 1]


TOWNS = {
    "Görlitz": ("Görlitz", "Zittau", "Weißwasser", "Niesky", "Löbau", "Herrnhut"),
    "Bautzen": ("Bautzen", "Kamenz", "Hoyerswerda", "Bischofswerda", "Radeberg", "Wilthen"),
    "Sächsische Schweiz-Osterzgebirge": ("Pirna", "Freital", "Dippoldiswalde", "Altenberg", "Sebnitz", "Glashütte"),
}
CREATIVES = ("Grafikbüro", "Fotostudio", "Keramikwerkstatt", "Designstudio", "Tonstudio", "Filmwerkstatt")
FIRMS = ("Tischlerei", "Bäckerei", "Metallbau", "Gasthof", "Druckerei", "Gärtnerei")


FIRST_NAMES = ("Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hannes", "Ida", "Jonas", "Klara", "Lukas",
               "Marie", "Noah", "Paula", "Theo", "Frieda", "Oskar")
LAST_NAMES = ("Richter", "Hoffmann", "Krause", "Lehmann", "Schulze", "Neumann", "Vogel", "Wolf", "Förster", "Kühn",
              "Seidel", "Pohl")


def _organisation(region: Region, kind: str, name: str, town: str) -> Organisation:
    key = "demo-cilr-" + slugify(name)
    organisation, created = Organisation.objects.get_or_create(key=key, defaults={
        "kind": kind, "name": name, "region": region, "town": town,
        "about": "Fiktive Demo-Organisation des Programms „Cross-Innovation im ländlichen Raum“."})
    if created or not organisation.people.exists():
        # a fictional contact person (no account), so the match pages, the board and the
        # follow-ups show whom the coordinator talks to
        n = zlib.crc32(key.encode())
        first, last = FIRST_NAMES[n % len(FIRST_NAMES)], LAST_NAMES[(n // 7) % len(LAST_NAMES)]
        Person.objects.create(organisation=organisation, name=f"{first} {last}", position=(
            "Inhaber·in" if kind == "sme" else "Gestalter·in"), email=f"{slugify(first)}.{slugify(last)}@{key}.example",
            is_contact=True, can_edit=False)
    return organisation


def _pairs(regions: list[Region]):
    """Six creatives and six small firms per region (fictional, not in the directory):
    each creative with the firm of its town, then with the firm of the next town — 36
    pairs, taken round the three regions."""
    per_region = []
    for region in regions:
        towns = TOWNS[region.name]
        creatives = [_organisation(region, "creative", f"{CREATIVES[i]} {town}", town) for i, town in enumerate(towns)]
        firms = [_organisation(region, "sme", f"{FIRMS[i]} {town}", town) for i, town in enumerate(towns)]
        per_region.append([(creatives[i], firms[i]) for i in range(len(towns))]
                          + [(creatives[i], firms[(i + 1) % len(towns)]) for i in range(len(towns))])
    for pairs in itertools.zip_longest(*per_region):
        yield from (pair for pair in pairs if pair is not None)


def load_demo_programme() -> int:
    """Create the demo programme and its matches; returns the number of new matches."""
    regions = list(Region.objects.filter(name__in=REGIONS))
    if len(regions) != len(REGIONS):
        return 0
    today = timezone.localdate()
    programme, _ = Programme.objects.get_or_create(slug=SLUG, defaults={
        "name": "Cross-Innovation im ländlichen Raum",
        "description": "Kreativschaffende und kleine Unternehmen in drei ländlichen Regionen probieren gemeinsam "
                       "eine Idee aus: 2.500 EUR je Match, Begleitung durch die Koordination der Region, "
                       "Peer-Learning online.",
        "funder": "Freistaat Sachsen (auf Grundlage des Staatshaushalts)", "funding_reference": "CI-LR-2026-01",
        "starts_on": today - timedelta(days=300), "ends_on": today + timedelta(days=240),
        "budget": Decimal("100000.00"), "grant_per_match": GRANT, "retention_months": 24,
        "kind_pairs": [["creative", "sme"], ["sme", "startup"]],
    })
    if programme.matches.exists():
        return 0
    programme.regions.set(regions)
    staff = {user.email: user for user in User.objects.filter(email__in=TEAM_EMAILS)}
    programme.team.add(*staff.values())
    coordinator = staff.get(COORDINATOR_EMAIL)
    if coordinator is not None:
        for region in regions:
            ProgrammeCoordinator.objects.get_or_create(programme=programme, region=region, user=coordinator)
    targets = [stage for stage in MatchStage if stage != MatchStage.PROPOSED] + [MatchStage.PROPOSED]
    plan = [target for target in targets for _ in range(PER_STAGE)]
    start = timezone.now() - timedelta(days=300)
    made = 0
    for n, ((creative, firm), target) in enumerate(zip(_pairs(regions), plan)):
        when = start + timedelta(days=n * 3)
        match = match_create(actor=None, programme=programme, organisations=[creative, firm],
                             idea=IDEAS[n % len(IDEAS)], now=when)
        for step in _stage_path(target):
            when += timedelta(days=12)
            if step == MatchStage.GRANT_APPROVED:
                _grant(match, coordinator, when, paid=target != MatchStage.GRANT_APPROVED, proof=n % 3 == 0)
            match_stage_change(actor=None, match=match, stage=step, now=min(when, timezone.now()), system=True,
                               reason="Idee wird nicht weiterverfolgt" if step == MatchStage.ENDED else "")
        if target == MatchStage.KICKOFF and n % 2 == 0:
            _grant(match, None, when, approve=False)
        made += 1
    return made


def _grant(match, coordinator, when, *, approve: bool = True, paid: bool = False, proof: bool = False) -> Grant:
    grant = Grant.objects.create(
        programme=match.programme, match=match, purpose=match.idea, amount_requested=GRANT,
        status=GrantStatus.APPROVED if approve else GrantStatus.APPLIED,
        amount_approved=GRANT if approve else None, applied_at=when - timedelta(days=5),
        decided_by=coordinator if approve else None, decided_at=when if approve else None)
    CostLine.objects.bulk_create([CostLine(grant=grant, position=i, description=d, amount=a)
                                  for i, (d, a) in enumerate(COSTS)])
    if paid:
        paid_on = min((when + timedelta(days=10)).date(), timezone.localdate())
        Payment.objects.create(grant=grant, paid_on=paid_on, amount=Decimal("1500.00"),
                               reference=f"CI-LR-{match.pk:04d}-1", recorded_by=coordinator)
        Payment.objects.create(grant=grant, paid_on=paid_on, amount=Decimal("1000.00"),
                               reference=f"CI-LR-{match.pk:04d}-2", recorded_by=coordinator)
    if proof:
        ProofOfUse.objects.create(grant=grant, report="Die Idee ist umgesetzt; Belege liegen der Koordination vor.",
                                  status=ProofStatus.ACCEPTED, checked_by=coordinator, checked_at=when)
    return grant
