"""Composition of events (issue #9, item 4): rules per organisation kind, ``compose`` over
one event or a series, the proposal's reasons and rule check, adjusting, inviting."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from factories import make_coordinator, make_organisation, make_programme, make_region, make_user

from matchwerk.events import services
from matchwerk.events.enums import CandidateStatus, RegistrationStatus
from matchwerk.events.models import Candidate, KindRule, Registration
from matchwerk.events.services import composition
from matchwerk.matching.models import Suggestion

from .conftest import HOME_REGION


def _orgs(kind: str, n: int, region=None, prefix: str = "") -> list:
    region = region or make_region(name=HOME_REGION)
    return [make_organisation(owner=make_user(full_name=f"{prefix}{kind} {i} Kontakt"), kind=kind, region=region,
                              name=f"{prefix}{kind.upper()} {i}") for i in range(n)]


def _rules(staff, event, **bounds):
    for kind, (lo, hi) in bounds.items():
        composition.kind_rule_set(actor=staff, event=event, kind=kind, minimum=lo, maximum=hi)


def _proposed(event) -> Counter:
    return Counter(event.candidates.values_list("organisation__kind", flat=True))


def test_the_proposal_keeps_the_kind_rules_and_prefers_recommended_partners(client, staff, make_event):
    event = make_event(publish=False, title="Digital Smart Event")
    startups, smes = _orgs("startup", 4), _orgs("sme", 12)
    _orgs("research", 2)  # a kind without a rule: never proposed
    make_organisation(kind="startup", name="Startup ohne Konto")  # nobody to invite
    programme = make_programme(name="Digitalisierung")
    Suggestion.objects.create(programme=programme, organisation=startups[3], partner=smes[11], score=0.9, rank=1)
    _rules(staff, event, startup=(2, 3), sme=(7, 10))
    outcome = composition.participants_propose(actor=staff, event=event, time_limit=0.5)
    counts = _proposed(event)
    assert 2 <= counts["startup"] <= 3 and 7 <= counts["sme"] <= 10 and set(counts) == {"startup", "sme"}
    assert outcome.proposed == counts.total()
    chosen = set(event.candidates.values_list("organisation__name", flat=True))
    assert {"STARTUP 3", "SME 11"} <= chosen and "Startup ohne Konto" not in chosen
    assert Candidate.objects.get(event=event, organisation=startups[3]).partners == ["SME 11"]
    client.force_login(staff)
    page = client.get(reverse("events:staff_composition", args=[event.pk])).content.decode()
    assert "passt laut Matching zu SME 11" in page and page.count("erfüllt") == 2


def test_those_already_there_count_and_are_not_proposed_again(staff, make_event):
    event = make_event(title="Kick-off")
    startups, _smes = _orgs("startup", 4), _orgs("sme", 3)
    services.registration_create(actor=startups[0].people.first().user, event=event, organisation=startups[0])
    _rules(staff, event, startup=(2, 2), sme=(1, 3))
    composition.participants_propose(actor=staff, event=event, time_limit=0.3)
    assert _proposed(event)["startup"] == 1
    assert not event.candidates.filter(organisation=startups[0]).exists()


def test_a_series_proposes_nobody_twice_unless_repeats_are_allowed(client, staff, make_event):
    first = make_event(publish=False, title="Kick-off Bautzen")
    composition.event_series_set(actor=staff, event=first, title="Kick-offs 2027")
    second = services.event_copy(actor=staff, event=first, months=1)  # the copy stays in the series
    assert second.series_id == first.series_id
    _orgs("startup", 5), _orgs("sme", 7)
    for event in (first, second):
        _rules(staff, event, startup=(2, 2), sme=(3, 3))
    composition.participants_propose(actor=staff, event=first, whole_series=True, time_limit=0.3)
    a = set(first.candidates.values_list("organisation_id", flat=True))
    b = set(second.candidates.values_list("organisation_id", flat=True))
    assert len(a) == len(b) == 5 and not a & b
    client.force_login(staff)
    assert "In mehreren Veranstaltungen" not in client.get(reverse("events:staff_composition", args=[first.pk])).content.decode()
    composition.participants_propose(actor=staff, event=first, whole_series=True, allow_repeats=True, time_limit=0.3)
    a = set(first.candidates.values_list("organisation_id", flat=True))
    b = set(second.candidates.values_list("organisation_id", flat=True))
    assert len(a) == len(b) == 5 and a & b  # the same pool: some are proposed for both
    assert "In mehreren Veranstaltungen" in client.get(reverse("events:staff_composition", args=[first.pk])).content.decode()


def test_staff_adjust_the_proposal_and_invite(client, staff, make_event, committed):
    event = make_event(publish=False, title="Digital Smart Event")
    startups, _smes = _orgs("startup", 3), _orgs("sme", 2)
    _rules(staff, event, startup=(1, 1), sme=(2, 2))
    composition.participants_propose(actor=staff, event=event, time_limit=0.3)
    startup = event.candidates.get(organisation__kind="startup")
    client.force_login(staff)
    client.post(reverse("events:staff_candidate_remove", args=[startup.pk]))
    other = next(o for o in startups if o != startup.organisation)
    client.post(reverse("events:staff_candidate_add", args=[event.pk]), {"candidate-organisation": other.pk})
    assert event.candidates.filter(organisation=other, by_hand=True).exists()
    composition.participants_propose(actor=staff, event=event, time_limit=0.3)  # the hand-picked one stays
    assert event.candidates.filter(organisation=other, by_hand=True).exists() and _proposed(event)["startup"] == 1
    response = client.post(reverse("events:staff_candidates_invite", args=[event.pk]), follow=True)
    assert "Veröffentlichen Sie die Veranstaltung zuerst" in response.content.decode()
    assert not Registration.objects.filter(event=event).exists()
    services.event_publish(actor=staff, event=event)
    with committed():
        response = client.post(reverse("events:staff_candidates_invite", args=[event.pk]), follow=True)
    assert "3 Einladungen verschickt." in response.content.decode()
    assert set(event.candidates.values_list("status", flat=True)) == {CandidateStatus.INVITED}
    invited = Registration.objects.get(event=event, organisation=other)
    assert invited.status == RegistrationStatus.INVITED and invited.user == other.people.first().user
    assert len(mail.outbox) == 3
    client.force_login(invited.user)  # the invited person sees the invitation and can answer it
    assert "Digital Smart Event" in client.get(reverse("events:agenda")).content.decode()


def test_bad_input_gives_a_clear_message_and_saves_nothing(client, staff, make_event):
    event = make_event(publish=False)
    client.force_login(staff)
    response = client.post(reverse("events:staff_composition", args=[event.pk]),
                           {"rule-kind": "startup", "rule-minimum": 3, "rule-maximum": 2})
    assert "nicht kleiner als „mindestens“" in response.content.decode()
    assert not KindRule.objects.exists()
    response = client.post(reverse("events:staff_compose", args=[event.pk]), follow=True)
    assert "Legen Sie zuerst Regeln je Art" in response.content.decode()
    with pytest.raises(ValidationError, match="zu keiner Reihe"):
        composition.participants_propose(actor=staff, event=event, whole_series=True)
    lonely = make_organisation(kind="startup", name="Ohne Konto")
    with pytest.raises(ValidationError, match="niemanden mit einem Konto"):
        composition.candidate_add(actor=staff, event=event, organisation=lonely)
    assert not Candidate.objects.exists()


def test_composition_is_denied_outside_the_scope(client, staff, participant, make_event):
    event = make_event(publish=False)
    _rules(staff, event, startup=(1, 1))
    outsider = make_coordinator(make_region(name="Vogtland"))
    for call in (lambda: composition.kind_rule_set(actor=outsider, event=event, kind="sme", minimum=1, maximum=2),
                 lambda: composition.participants_propose(actor=outsider, event=event),
                 lambda: composition.candidates_invite(actor=participant, event=event),
                 lambda: composition.event_series_set(actor=outsider, event=event, title="Fremd")):
        with pytest.raises(PermissionDenied):
            call()
    client.force_login(outsider)
    assert client.get(reverse("events:staff_composition", args=[event.pk])).status_code == 403
    assert client.post(reverse("events:staff_rule_delete", args=[event.kind_rules.get().pk])).status_code == 403
    client.force_login(participant)
    assert client.post(reverse("events:staff_compose", args=[event.pk])).status_code == 403
    assert KindRule.objects.count() == 1 and event.series_id is None


def test_with_repeats_allowed_pairs_that_met_in_the_series_are_avoided(staff, make_event):
    first = make_event(publish=False, title="Stammtisch Januar")
    composition.event_series_set(actor=staff, event=first, title="Stammtische")
    second = services.event_copy(actor=staff, event=first, months=1)
    _orgs("startup", 2), _orgs("sme", 4)
    for event in (first, second):
        _rules(staff, event, startup=(1, 1), sme=(2, 2))
    composition.participants_propose(actor=staff, event=first, whole_series=True, allow_repeats=True, time_limit=0.3)
    groups = [set(e.candidates.values_list("organisation_id", flat=True)) for e in (first, second)]
    assert all(len(group) == 3 for group in groups)
    pairs = [{frozenset((a, b)) for a in group for b in group if a != b} for group in groups]
    assert not pairs[0] & pairs[1]  # nobody meets the same organisation twice in the series


def test_another_regions_series_is_neither_listed_nor_joinable(client, staff, make_event):
    event = make_event(publish=False, title="Kick-off Oberlausitz")
    series = composition.event_series_set(actor=staff, event=event, title="Geheime Reihe Oberlausitz")
    vogtland = make_region(name="Vogtland")
    outsider = make_coordinator(vogtland)
    own = make_event(publish=False, actor=outsider, title="Kick-off Vogtland", region=vogtland)
    client.force_login(outsider)
    page = client.get(reverse("events:staff_composition", args=[own.pk])).content.decode()
    assert "Geheime Reihe Oberlausitz" not in page
    response = client.post(reverse("events:staff_series", args=[own.pk]), {"series-series": series.pk},
                           follow=True)
    assert "Bitte wählen Sie eine Reihe" in response.content.decode()  # not among her choices
    with pytest.raises(PermissionDenied):
        composition.event_series_set(actor=outsider, event=own, series=series)
    own.refresh_from_db()
    assert own.series_id is None
    # her own new series is hers to choose; the series' creator still sees his
    mine = composition.event_series_set(actor=outsider, event=own, title="Vogtland-Reihe")
    page = client.get(reverse("events:staff_composition", args=[own.pk])).content.decode()
    assert "Vogtland-Reihe" in page
    client.force_login(staff)
    page = client.get(reverse("events:staff_composition", args=[event.pk])).content.decode()
    assert "Geheime Reihe Oberlausitz" in page and "Vogtland-Reihe" not in page and mine.pk != series.pk
