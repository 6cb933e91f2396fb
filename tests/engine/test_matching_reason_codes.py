"""Reason codes (the structured explanation) and the symmetric scores of the update path."""

import json

import pytest

from matchwerk.engine.matching import DecisionPriors, FusionConfig, MatchIndex, OrganisationProfile
from matchwerk.engine.matching.reasons import CODES, need_offer, place, render_de
from matchwerk.engine.matching.reasons import shared_topics as topics_code

from test_matching_index import PROFILES

LEXICAL = FusionConfig(encoders=())


@pytest.fixture(scope="module")
def index():
    return MatchIndex.build(PROFILES, LEXICAL)


def test_reasons_are_rendered_from_the_codes(index):
    for query in ("s01", "st01", "p02"):
        for suggestion in index.suggest(query, 10):
            assert suggestion.codes and all(code["code"] in CODES for code in suggestion.codes)
            assert suggestion.reasons == tuple(render_de(code) for code in suggestion.codes)
            json.dumps(suggestion.codes)  # plain data, storable as JSON
            first = suggestion.codes[0]
            assert first["code"] == "need_offer"
            owner = PROFILES[[p.id for p in PROFILES].index(query if first["direction"] == "need" else suggestion.id)]
            assert owner.needs[first["need"]].startswith(first["need_text"].rstrip(" …")[:20])


def test_german_sentences_of_the_codes():
    assert render_de(topics_code(["Tourismus", "Digitalisierung"])) == "gemeinsame Themen: Tourismus, Digitalisierung"
    assert render_de(place(3.2)) == "gleiche Region"
    assert render_de(place(47.0)) == "Entfernung ca. 45 km"
    about = need_offer(direction="need", need=0, offer=-1, need_text="Fotos", offer_text="Wir sind ein Studio",
                       words=(), strength=1.2)
    assert render_de(about) == "Bedarf „Fotos“ ↔ Profil „Wir sind ein Studio“ (ähnliche Bedeutung)"
    with pytest.raises(ValueError):
        render_de({"code": "nonsense"})


@pytest.mark.parametrize("priors", [None, DecisionPriors(kind_pairs={frozenset(("sme", "startup")): (0, 4)})])
def test_scores_are_the_scores_in_the_other_lists(index, priors):
    """``scores(x)[y]`` is the score x has in y's list: the update path relies on it."""
    query = "st01"
    scores = index.scores(query, priors=priors)
    assert query not in scores and scores
    for other in list(scores)[:15]:
        found = {s.id: s.score for s in index.suggest(other, len(PROFILES), priors=priors)}
        assert found[query] == pytest.approx(scores[other], abs=1e-4)
    excluded = index.scores(query, exclude={next(iter(scores))})
    assert next(iter(scores)) not in excluded


def test_scores_follow_an_update(index):
    fresh = MatchIndex.build(PROFILES, LEXICAL)
    changed = OrganisationProfile(id="st01", kind="startup", name="x", needs=("Wir suchen Radtouren im Elbtal",),
                                  offers=("Online-Buchungssysteme für Touristik",))
    fresh.update(changed)
    for other, score in list(fresh.scores("st01").items())[:10]:
        found = {s.id: s.score for s in fresh.suggest(other, len(PROFILES))}
        assert found["st01"] == pytest.approx(score, abs=1e-4)
