"""Reasons people can trust: never stop words, filler or gender endings as "shared
words", the first reason is the pair of most semantic weight and names a need and an
offer that exist, and every suggestion says in words how strong it is."""

import json
from pathlib import Path

import numpy as np
import pytest

from matchwerk.engine.matching import FusionConfig, MatchIndex, OrganisationProfile
from matchwerk.engine.matching.explain import semantic_evidence
from matchwerk.engine.matching.fusion import STRENGTHS
from matchwerk.engine.matching.text import STOPWORDS, analyse, degender

DATA = json.loads((Path(__file__).parent / "data" / "profiles_labelled_b.json").read_text(encoding="utf-8"))
PROFILES = [OrganisationProfile.from_dict(o) for o in DATA["organisations"]]

# (the word that must never carry a suggestion, the query's need, the partner's offer)
TRAPS = [
    ("Online", "Wir wollen Radtouren online buchbar machen.", "Online-Schulungen gegen Phishing für Ämter"),
    ("innen", "Wir suchen Designer*innen für unsere Verpackungen.",
     "Wir vermitteln Pflegekräfte und Ärzt*innen an Kliniken"),
    ("inklusive", "Catering inklusive Geschirr für unser Sommerfest",
     "Steuerberatung inklusive Lohnbuchhaltung"),
    ("laufen", "Unsere Maschinen laufen im Dreischichtbetrieb und fallen oft aus.",
     "Lauftreffs für Firmen, die gemeinsam laufen wollen"),
]


def _pair_index(need: str, offer: str, encoders=()) -> MatchIndex:
    """The trap pair among neutral organisations (so that the words are not rare by accident)."""
    profiles = [OrganisationProfile(id="q", kind="sme", needs=(need,)),
                OrganisationProfile(id="p", kind="startup", offers=(offer,))]
    return MatchIndex.build(profiles + PROFILES, FusionConfig(encoders=encoders))


@pytest.mark.parametrize("word, need, offer", TRAPS, ids=[t[0] for t in TRAPS])
def test_reasons_never_consist_of_stop_words_filler_or_gender_endings(word, need, offer):
    index = _pair_index(need, offer)
    found = {s.id: s for s in index.suggest("q", 60)}
    assert all(word.casefold() not in {w.casefold() for w in e.words} for e in found["p"].details)
    assert word.casefold() not in found["p"].reasons[0].casefold().partition("(")[2]
    for suggestion in found.values():
        for evidence in suggestion.details:
            assert not {w.casefold() for w in evidence.words} & STOPWORDS


@pytest.mark.parametrize("text, expected", [
    ("Designer*innen", "Designer"), ("Kund:innen", "Kund"), ("Bürger/innen", "Bürger"),
    ("Mitarbeiter_innen", "Mitarbeiter"), ("DesignerInnen", "Designer"), ("Innenstadt", "Innenstadt"),
])
def test_gender_endings_are_dropped_not_turned_into_terms(text, expected):
    assert degender(text) == expected
    assert "innen" not in analyse(text).terms and "in" not in analyse(text).terms


def test_shared_words_are_specific_in_the_network():
    index = MatchIndex.build(PROFILES, FusionConfig(encoders=()))
    for query in ("m01", "m04", "m12", "v01"):
        for suggestion in index.suggest(query, 10):
            for evidence in suggestion.details:
                for word in evidence.words:
                    terms = analyse(word).terms or {word.casefold(): 1.0}
                    assert any(index.lexical.specific(t) for t in terms), (query, word)


@pytest.fixture(scope="module")
def use_index():
    return MatchIndex.build(PROFILES, FusionConfig(encoders=("use",)))


def test_semantic_reason_names_an_existing_need_and_offer(use_index):
    by_id = {p.id: p for p in PROFILES}
    for query in ("m02", "m05", "m09", "v02", "n06"):
        for suggestion in use_index.suggest(query, 10):
            first = suggestion.details[0]
            needer, offerer = ((query, suggestion.id) if first.direction == "need" else (suggestion.id, query))
            assert by_id[needer].needs[first.need_index] == first.need
            assert by_id[offerer].offers[first.offer_index] == first.offer
            assert suggestion.reasons[0].startswith(("Bedarf „", "Angebot „"))


def test_first_reason_is_the_pair_of_most_semantic_weight(use_index):
    slot = use_index.slot
    for query in ("m02", "m07", "v03"):
        for suggestion in use_index.suggest(query, 5):
            best = -np.inf
            for needer, offerer in ((query, suggestion.id), (suggestion.id, query)):
                needs = use_index.slot_rows[slot[needer]][0]
                offers = use_index.slot_rows[slot[offerer]][1][:len(use_index.profiles[slot[offerer]].offers)]
                semantic = semantic_evidence(use_index, needs, offers)
                if semantic is not None and semantic.size:
                    best = max(best, float(semantic.max()))
            first = suggestion.details[0]
            needer, offerer = ((query, suggestion.id) if first.direction == "need" else (suggestion.id, query))
            row_need = use_index.slot_rows[slot[needer]][0][first.need_index]
            row_offer = use_index.slot_rows[slot[offerer]][1][first.offer_index]
            chosen = semantic_evidence(use_index, np.array([row_need]), np.array([row_offer]))[0, 0]
            assert chosen == pytest.approx(best, abs=1e-5)


def test_meaning_without_shared_words_leads_with_similar_meaning():
    profiles = [OrganisationProfile(id="tour", kind="sme", needs=(
                    "Jede Reservierung beantworten wir per Telefon, das kostet in der Saison viele Stunden.",)),
                OrganisationProfile(id="soft", kind="startup", offers=(
                    "Buchungssoftware für Fahrradverleih und Bootsverleih mit Kalender und Bezahlung",))]
    index = MatchIndex.build(profiles + PROFILES, FusionConfig(encoders=("use",)))
    found = {s.id: s for s in index.suggest("tour", 60)}
    assert found["soft"].details[0].words == ()
    assert found["soft"].reasons[0].endswith("(ähnliche Bedeutung)")


def test_about_text_is_scored_but_never_named():
    base = [OrganisationProfile(id="need", kind="sme", needs=("Wir brauchen Klangaufnahmen unserer Orgeln",)),
            OrganisationProfile(id="studio", kind="creative", about="Tonstudio für Klangaufnahmen von Orgeln",
                                offers=("Grafikdesign für Plakate",))]
    with_about = MatchIndex.build(base + PROFILES, FusionConfig(encoders=()))
    without = MatchIndex.build(base + PROFILES, FusionConfig(encoders=(), about_shift=None))
    scored = {s.id: s for s in with_about.suggest("need", 60)}
    assert scored["studio"].score > {s.id: s for s in without.suggest("need", 60)}["studio"].score
    assert scored["studio"].details[0].offer == "Grafikdesign für Plakate"  # only real offers are named


def test_every_suggestion_says_how_strong_it_is(use_index):
    config = use_index.config
    for suggestion in use_index.suggest("m12", 20):
        assert suggestion.strength in STRENGTHS
        assert suggestion.strength == config.strength(suggestion.score)
    assert [config.strength(s) for s in (0.95, 0.8, 0.6, 0.5, 0.2)] == [
        "strong", "strong", "good", "good", "possible"]
