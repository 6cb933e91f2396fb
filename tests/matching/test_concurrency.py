"""Two team members accepting the same suggestion at the same moment make one match."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from factories import make_organisation, make_team_member
from threads import run_at_once

from matchwerk.matching import services
from matchwerk.matching.models import Decision, Match, Suggestion


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_accepts_make_one_match():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need a server database; SQLite serialises writers anyway (IMMEDIATE)")
    programme = services.programme_default()
    sme, startup = make_organisation(kind="sme"), make_organisation(kind="startup")
    one = Suggestion.objects.create(programme=programme, organisation=sme, partner=startup, score=0.8, rank=1)
    other = Suggestion.objects.create(programme=programme, organisation=startup, partner=sme, score=0.8, rank=1)
    team = [make_team_member(programme=programme) for _ in range(2)]  # on the programme's team
    for _ in range(3):  # a few rounds: without the lock nearly every round made two matches
        Match.objects.all().delete()
        Decision.objects.all().delete()
        results = run_at_once([
            lambda: services.suggestion_accept(user=team[0], suggestion=Suggestion.objects.get(pk=one.pk)),
            lambda: services.suggestion_accept(user=team[1], suggestion=Suggestion.objects.get(pk=other.pk)),
        ])
        matches = [r for r in results if isinstance(r, Match)]
        refused = [r for r in results if isinstance(r, ValidationError)]
        assert len(matches) == 1 and len(refused) == 1, results
        assert Match.objects.filter(programme=programme).count() == 1
        assert Decision.objects.filter(kind=Decision.Kind.ACCEPTED).count() == 1
