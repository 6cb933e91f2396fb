"""MatchIndex: ranking invariants, explanations, incremental updates, decision priors,
and quality on the labelled profiles."""

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchwerk.engine.matching import DecisionPriors, FusionConfig, MatchIndex, OrganisationProfile
from matchwerk.engine.matching.index import NEED, OFFER

DATA = json.loads((Path(__file__).parent / "data" / "profiles_labelled.json").read_text(encoding="utf-8"))
PROFILES = [OrganisationProfile.from_dict(o) for o in DATA["organisations"]]
LEXICAL = FusionConfig(encoders=())  # no encoder: fast, for the invariants


@pytest.fixture(scope="module")
def index():
    """The labelled profiles with the default encoder (USE), built once."""
    return MatchIndex.build(PROFILES, FusionConfig(encoders=("use",)))


@pytest.fixture(scope="module")
def lexical_index():
    return MatchIndex.build(PROFILES, LEXICAL)


def test_suggest_never_self_sorted_and_bounded(index):
    for query in ("s01", "st01", "p02", "c05"):
        found = index.suggest(query, 10)
        assert 0 < len(found) <= 10
        assert query not in [s.id for s in found]
        scores = [s.score for s in found]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 <= s <= 1.0 for s in scores)


def test_suggest_is_deterministic(lexical_index):
    again = MatchIndex.build(PROFILES, LEXICAL)
    for query in ("s01", "s14", "p04"):
        assert lexical_index.suggest(query, 10) == again.suggest(query, 10)


def test_suggest_respects_kind_compatibility(index):
    kinds = {p.id: p.kind for p in PROFILES}
    assert all(kinds[s.id] == "startup" for s in index.suggest("s01", 10, programme="digital-smart-events"))
    assert all(kinds[s.id] != "sme" for s in index.suggest("s01", 30))  # no sme × sme by default
    assert "i01" not in [s.id for q in ("s01", "st01") for s in index.suggest(q, 60)]


def test_suggest_respects_exclusions_and_candidates(index):
    first = index.suggest("s01", 5)[0].id
    assert first not in [s.id for s in index.suggest("s01", 10, exclude={first})]
    consenting = {"c01", "c02", "st03"}
    assert {s.id for s in index.suggest("s01", 10, candidates=consenting)} <= consenting


def test_booking_request_meets_online_booking(index):
    found = index.suggest("s01", 3)
    assert "st01" in [s.id for s in found]
    booking = next(s for s in found if s.id == "st01")
    need = next(e for e in booking.details if e.direction == "need")
    assert need.need.startswith("Wir beantworten jede Buchungsanfrage")
    assert need.offer.startswith("Online-Buchungssysteme")
    assert any("Buchung" in word for word in need.words)


def test_explanations_are_truthful(index):
    by_id = {p.id: p for p in PROFILES}
    for query in ("s01", "s03", "st01", "p01", "c10"):
        for suggestion in index.suggest(query, 10):
            assert suggestion.reasons and suggestion.details
            other = by_id[suggestion.id]
            for e in suggestion.details:
                needer, offerer = (by_id[query], other) if e.direction == "need" else (other, by_id[query])
                assert needer.needs[e.need_index] == e.need
                assert offerer.offers[e.offer_index] == e.offer
                assert all(w.casefold() in (e.need + " " + e.offer).casefold() for w in e.words)
            shared = set(by_id[query].topics) & set(other.topics)
            assert set(suggestion.shared_topics) == shared


def test_good_match_helps_both_sides(index):
    # The town needs online appointments (st01's offer); st01 needs a public pilot customer
    # (the town offers pilot sites): both directions are named.
    found = {s.id: s for s in index.suggest("st01", 10)}
    assert {e.direction for e in found["p01"].details} == {"need", "offer"}
    assert found["p01"].score > found["s12"].score  # helped by the second direction


def test_update_and_remove_are_incremental(lexical_index):
    index = MatchIndex.build(PROFILES, LEXICAL)
    newcomer = OrganisationProfile(id="st99", kind="startup", name="Mauerwerk KI", region="Bautzen",
                                   offers=("Software zur Tourenplanung und Disposition für Speditionen mit LKW",))
    index.update(newcomer)
    assert "st99" in [s.id for s in index.suggest("s05", 3)]
    index.update(OrganisationProfile(id="st99", kind="startup", name="Mauerwerk KI",
                                     offers=("Kinderschminken auf Stadtfesten",)))
    assert "st99" not in [s.id for s in index.suggest("s05", 3)]
    index.remove("st08")
    assert "st08" not in [s.id for s in index.suggest("s05", 60)]
    assert "st08" not in index and len(index) == len(PROFILES)


def test_decision_priors_reweight_kind_pairs(lexical_index):
    plain = {s.id: s.score for s in lexical_index.suggest("s01", 10)}
    priors = DecisionPriors(kind_pairs={frozenset(("creative", "sme")): (0, 20)})
    weighted = {s.id: s.score for s in lexical_index.suggest("s01", 10, priors=priors)}
    kinds = {p.id: p.kind for p in PROFILES}
    for other, score in weighted.items():
        if other in plain and kinds[other] == "creative":
            assert score < plain[other]
    assert DecisionPriors.weight(0, 0) == 1.0
    assert DecisionPriors.weight(10, 0) > 1.0 > DecisionPriors.weight(0, 10)


def test_helpful_priors_never_saturate_a_score(lexical_index):
    # Many accepted matches of a kind pair and a topic: the factor is near 1.2 × 1.2; strong
    # pairs move up but keep their order and stay below 1 (they used to be capped at 1.00).
    priors = DecisionPriors(kind_pairs={frozenset(("creative", "sme")): (50, 0)})
    for score in (0.3, 0.8, 0.9, 0.99):
        lifted = priors.adjust(score, "creative", "sme", ())
        assert score < lifted < 1.0
    assert priors.adjust(0.8, "creative", "sme", ()) < priors.adjust(0.9, "creative", "sme", ())
    assert DecisionPriors().adjust(0.7, "creative", "sme", ()) == pytest.approx(0.7)
    plain = {s.id: s.score for s in lexical_index.suggest("s01", 10)}
    lifted = {s.id: s.score for s in lexical_index.suggest("s01", 10, priors=priors)}
    kinds = {p.id: p.kind for p in PROFILES}
    for other, score in lifted.items():
        assert score < 1.0
        if other in plain and kinds[other] == "creative" and plain[other] < 0.999:
            assert score > plain[other]


def test_labelled_profiles_ranked_well(index):
    """Regression guard on the hand-labelled set (bench/matching_quality.py reports more)."""
    reciprocal = []
    for query, relevant in DATA["judgments"].items():
        best = max(relevant.values())
        ids = [s.id for s in index.suggest(query, 10)]
        rank = next((i + 1 for i, c in enumerate(ids) if relevant.get(c) == best), None)
        reciprocal.append(1 / rank if rank else 0)
    assert sum(reciprocal) / len(reciprocal) >= 0.75


texts = st.sampled_from([
    "Tourenplanung für Lastwagen", "Online-Buchung von Terminen", "Buchungsanfragen per Telefon",
    "Fotos für den Onlineshop", "Wärmepumpen planen", "Heizlastberechnung", "Erklärvideos für Schulungen",
    "Sensoren an alten Maschinen", "Predictive Maintenance", "Verpackungsdesign und Etiketten",
])
kinds = st.sampled_from(["startup", "creative", "sme", "public", "research", "intermediary"])
profiles = st.lists(st.tuples(kinds, st.lists(texts, max_size=2), st.lists(texts, max_size=2),
                              st.lists(st.sampled_from(["Tourismus", "Energie", "Handwerk"]), max_size=2),
                              st.sampled_from([None, "Dresden", "Leipzig", "Görlitz", "Atlantis"])),
                    min_size=2, max_size=12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles, st.data())
def test_invariants_on_random_instances(raw, data):
    orgs = [OrganisationProfile(id=f"o{i}", kind=k, name=f"O{i}", region=r, needs=tuple(n), offers=tuple(o),
                                topics=tuple(t)) for i, (k, n, o, t, r) in enumerate(raw)]
    index = MatchIndex.build(orgs, LEXICAL)
    ids = [o.id for o in orgs]
    excluded = set(data.draw(st.lists(st.sampled_from(ids), max_size=3)))
    allowed = set(data.draw(st.lists(st.sampled_from(ids), min_size=1)))
    for query in ids:
        found = index.suggest(query, 5, programme="open", exclude=excluded, candidates=allowed)
        got = [s.id for s in found]
        assert query not in got and not (set(got) & excluded) and set(got) <= allowed
        assert len(got) == len(set(got)) <= 5
        assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
        assert found == index.suggest(query, 5, programme="open", exclude=excluded, candidates=allowed)
        for s in found:
            assert s.details and s.reasons


def test_rows_follow_the_profile(lexical_index):
    slot = lexical_index.slot["s01"]
    assert [lexical_index.texts[r] for r in lexical_index.rows_of(slot, NEED)] == list(PROFILES[0].needs)
    # the about text is scored as one more offer row, after the offers
    assert [lexical_index.texts[r] for r in lexical_index.rows_of(slot, OFFER)] == list(PROFILES[0].offers) + [
        PROFILES[0].about]


def _scan(index, query, top, **options):
    """Suggestions without the pair matrix (every query scored against all rows)."""
    pairs, index._pairs = index._pairs, None
    try:
        return index.suggest(query, top, **options)
    finally:
        index._pairs = pairs


def _same(a, b):
    assert [s.id for s in a] == [s.id for s in b]
    for x, y in zip(a, b):
        assert x.score == pytest.approx(y.score, abs=1e-4) and x.shared_topics == y.shared_topics
        assert [(e.direction, e.need_index, e.offer_index) for e in x.details] == \
            [(e.direction, e.need_index, e.offer_index) for e in y.details]
        assert [e.strength for e in x.details] == pytest.approx([e.strength for e in y.details], abs=2e-3)


def test_pair_matrix_equals_the_scan_after_updates():
    index = MatchIndex.build(PROFILES, LEXICAL)
    assert index._pairs is not None
    for query in ("s01", "st01", "p02", "c05", "r01"):
        _same(index.suggest(query, 15, programme="open"), _scan(index, query, 15, programme="open"))
    index.update(OrganisationProfile(id="st99", kind="startup", region="Bautzen",
                                     needs=("Fotos für den Onlineshop",),
                                     offers=("Software zur Tourenplanung und Disposition für Speditionen mit LKW",)))
    index.update(OrganisationProfile(id="s05", kind="sme", needs=PROFILES[4].needs, offers=("Kinderschminken",)))
    index.remove("st08")
    for query in ("s01", "st99", "s05", "p02"):
        _same(index.suggest(query, 15), _scan(index, query, 15))
    many = index.suggest_many(["s01", "st99"], 5)
    assert many["st99"] == index.suggest("st99", 5)
