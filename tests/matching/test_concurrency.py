"""Two team members accepting the same suggestion at the same moment make one match."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from factories import make_organisation, make_team_member

from matchwerk.matching import services
from matchwerk.matching.models import Decision, Match, Suggestion


def _run_in_threads(functions):
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def run(i, function):
        try:
            barrier.wait()
            results[i] = function()
        except Exception as error:  # collected and asserted on below
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


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
        results = _run_in_threads([
            lambda: services.suggestion_accept(user=team[0], suggestion=Suggestion.objects.get(pk=one.pk)),
            lambda: services.suggestion_accept(user=team[1], suggestion=Suggestion.objects.get(pk=other.pk)),
        ])
        matches = [r for r in results if isinstance(r, Match)]
        refused = [r for r in results if isinstance(r, ValidationError)]
        assert len(matches) == 1 and len(refused) == 1, results
        assert Match.objects.filter(programme=programme).count() == 1
        assert Decision.objects.filter(kind=Decision.Kind.ACCEPTED).count() == 1
