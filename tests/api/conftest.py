"""A small network for the API tests: organisations A (hidden) and B (listed) in region R
with their participants, a coordinator of R and one of region S, programme P's matching
team, an administrator, a suggestion A → B, a proposed match A × B and a published event
E for which participant A is registered. ``world.token(role)`` makes a personal token."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.utils import timezone
from factories import (
    make_coordinator, make_need, make_offer, make_organisation, make_programme, make_region, make_team_member,
    make_topic, make_user,
)

from matchwerk.accounts.enums import Role
from matchwerk.api.services import api_token_create
from matchwerk.matching.models import Match, MatchSide, Suggestion


@dataclass
class World:
    users: dict
    objects: dict = field(default_factory=dict)

    def token(self, role: str, *, read_only: bool = False) -> str:
        return api_token_create(user=self.users[role], name=f"test {role}", read_only=read_only)[1]

    def headers(self, role: str, **kwargs) -> dict:
        return {"HTTP_AUTHORIZATION": f"Token {self.token(role, **kwargs)}"}


@pytest.fixture
def world(db):
    from matchwerk.events import services as event_services

    region, other = make_region(name="Region R"), make_region(name="Region S")
    pa, pb = make_user(full_name="Anna A"), make_user(full_name="Bert B")
    topic = make_topic(name="Digitalisierung")
    org_a = make_organisation(owner=pa, name="Organisation A", region=region, listed=False, kind="sme",
                              about="Geheimes Vorhaben von A")
    org_b = make_organisation(owner=pb, name="Organisation B", region=region, listed=True, kind="startup")
    need_a, offer_b = make_need(org_a, title="Geheimer Bedarf A"), make_offer(org_b)
    programme = make_programme(regions=[region], slug="p", name="Programm P")
    suggestion = Suggestion.objects.create(programme=programme, organisation=org_a, partner=org_b, score=0.8,
                                           rank=1, reasons=[])
    match = Match.objects.create(programme=programme)
    MatchSide.objects.create(match=match, organisation=org_a)
    MatchSide.objects.create(match=match, organisation=org_b)
    users = {"pa": pa, "pb": pb, "coord_other": make_coordinator(other), "coord": make_coordinator(region),
             "team": make_team_member(programme=programme), "admin": make_user(role=Role.ADMIN)}
    start = timezone.now().replace(microsecond=0) + timedelta(days=14)
    event = event_services.event_create(
        actor=users["admin"], topics=(), title="Veranstaltung E", format="workshop", description="",
        venue_name="Ort", venue_address="Straße 1, Dresden", venue_host="", starts_at=start,
        ends_at=start + timedelta(hours=2), capacity=20, region=region)
    event = event_services.event_publish(actor=users["admin"], event=event)
    registration = event_services.registration_create(actor=pa, event=event)
    return World(users=users, objects={
        "region": region, "other_region": other, "topic": topic, "org_a": org_a, "org_b": org_b, "need_a": need_a,
        "offer_b": offer_b, "programme": programme, "suggestion": suggestion, "match": match, "event": event,
        "registration_a": registration})
