"""A funded programme with matches for the grants and reports tests: region R with its
coordinator, a second region S with another coordinator, organisations, matches at chosen
stages (through ``factories.make_match``, i.e. the real stage service)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from factories import make_coordinator, make_match, make_organisation, make_region, make_user

from matchwerk.matching.enums import MatchStage


@dataclass
class GrantWorld:
    programme: object
    region: object
    other_region: object
    coordinator: object
    other_coordinator: object
    member: object          # acts for the creative of ``match``
    outsider: object        # a participant of another match
    match: object           # at "kick-off held", ready for a grant
    other_match: object


def grant_world(*, budget: str = "10000.00", grant_per_match: str = "2500.00") -> GrantWorld:
    from factories import make_programme

    region, other_region = make_region(name="Region Nord"), make_region(name="Region Süd")
    programme = make_programme(regions=[region, other_region], budget=Decimal(budget),
                               grant_per_match=Decimal(grant_per_match), funder="Freistaat Sachsen",
                               funding_reference="SAB-100-2026", starts_on=date(2026, 1, 1),
                               ends_on=date(2026, 12, 31))
    member, outsider = make_user(full_name="Mia Mitglied"), make_user(full_name="Otto Außen")
    creative = make_organisation(owner=member, kind="creative", region=region, name="Atelier Nord")
    firm = make_organisation(kind="sme", region=region, name="Tischlerei Nord")
    match = make_match(creative, firm, programme=programme, stage=MatchStage.KICKOFF)
    other = make_match(make_organisation(owner=outsider, kind="creative", region=other_region),
                       make_organisation(kind="sme", region=other_region), programme=programme,
                       stage=MatchStage.KICKOFF)
    return GrantWorld(programme=programme, region=region, other_region=other_region,
                      coordinator=make_coordinator(region), other_coordinator=make_coordinator(other_region),
                      member=member, outsider=outsider, match=match, other_match=other)


def ready_match(world: GrantWorld, *, region=None, kinds=("creative", "sme")):
    """Another match at "kick-off held" with a member account; returns (match, member)."""
    member = make_user()
    region = region or world.region
    match = make_match(make_organisation(owner=member, kind=kinds[0], region=region),
                       make_organisation(kind=kinds[1], region=region), programme=world.programme,
                       stage=MatchStage.KICKOFF)
    return match, member
