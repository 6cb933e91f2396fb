"""Small factories for model instances in tests (no extra library)."""

from __future__ import annotations

import itertools

from django.utils import timezone

from matchwerk.accounts.enums import Role
from matchwerk.accounts.models import User
from matchwerk.profiles.models import Need, Offer, Organisation, Person, Region, Topic

_seq = itertools.count(1)
PASSWORD = "Sicheres-Passwort-2026"


def make_user(*, email: str | None = None, role: str = Role.PARTICIPANT, confirmed: bool = True,
              password: str = PASSWORD, **extra) -> User:
    n = next(_seq)
    return User.objects.create_user(
        email=email or f"person{n}@example.org", password=password, role=role,
        full_name=extra.pop("full_name", f"Person {n}"),
        email_confirmed_at=timezone.now() if confirmed else None, **extra)


def make_region(*, name: str | None = None) -> Region:
    n = next(_seq)
    name = name or f"Testkreis {n}"
    region, _ = Region.objects.get_or_create(
        name=name, defaults={"slug": f"testkreis-{n}", "latitude": 51.0, "longitude": 13.7})
    return region


def make_topic(*, name: str | None = None) -> Topic:
    n = next(_seq)
    name = name or f"Testthema {n}"
    topic, _ = Topic.objects.get_or_create(name_de=name, defaults={"slug": f"testthema-{n}", "name_en": f"Test topic {n}"})
    return topic


def make_organisation(*, owner: User | None = None, listed: bool = True, matching: bool = True,
                      kind: str = "sme", region: Region | None = None, **extra) -> Organisation:
    n = next(_seq)
    organisation = Organisation.objects.create(
        key=extra.pop("key", f"org-{n}"), kind=kind, name=extra.pop("name", f"Organisation {n}"),
        region=region or make_region(), listed_in_directory=listed, open_for_matching=matching, **extra)
    if owner is not None:
        Person.objects.create(organisation=organisation, user=owner, name=owner.get_full_name(),
                              email=owner.email, can_edit=True)
    return organisation


def make_need(organisation: Organisation, *, title: str = "Online-Buchung einführen",
              description: str = "Wir nehmen Buchungen bisher nur per Telefon an.") -> Need:
    return Need.objects.create(organisation=organisation, title=title, description=description)


def make_offer(organisation: Organisation, *, title: str = "Webentwicklung",
               description: str = "Wir bauen Buchungssysteme und Webshops.") -> Offer:
    return Offer.objects.create(organisation=organisation, title=title, description=description)


def make_programme(*, regions=(), team=(), name: str | None = None, **extra):
    from matchwerk.programmes.models import Programme

    n = next(_seq)
    programme = Programme.objects.create(name=name or f"Programm {n}", slug=extra.pop("slug", f"programm-{n}"),
                                         **extra)
    programme.regions.set(regions)
    programme.team.set(team)
    return programme


def make_coordinator(*regions: Region, **extra) -> User:
    """A coordinator of ``regions`` (Region.coordinators)."""
    user = make_user(role=Role.COORDINATOR, **extra)
    user.coordinated_regions.set(regions)
    return user


def make_team_member(*regions: Region, programme=None, **extra) -> User:
    """A matching-team member on the team of ``programme`` (or of a new programme covering
    ``regions``)."""
    user = make_user(role=Role.MATCHING_TEAM, **extra)
    if programme is None:
        programme = make_programme(regions=regions)
    programme.team.add(user)
    programme._team_ids = None  # forget a team read before (programmes.rules caches it per instance)
    return user


def make_match(*organisations: Organisation, programme=None, stage: str | None = None, actor=None, **extra):
    """A match of ``organisations`` (two new ones when none are given) in ``programme``,
    created by the manual-match service and moved along the stage flow to ``stage``
    through ``match_stage_change`` (so the stage changes are recorded as in real life)."""
    from matchwerk.matching import services
    from matchwerk.matching.enums import MatchStage, stage_flow

    if programme is None:
        programme = make_programme()
    if not organisations:
        organisations = (make_organisation(kind="creative"), make_organisation(kind="sme"))
    match = services.match_create(actor=None, programme=programme, organisations=list(organisations), **extra)
    if stage and stage != MatchStage.PROPOSED:
        if stage == MatchStage.ENDED:
            services.match_stage_change(actor=actor, match=match, stage=stage, reason="Test", system=True)
            return match
        for step in stage_flow(funded=programme.funds_matches)[1:]:
            services.match_stage_change(actor=actor, match=match, stage=step, system=True)
            if step == stage:
                break
    return match
