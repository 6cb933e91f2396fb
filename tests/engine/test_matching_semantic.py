"""Sentence encoders and the embedding cache."""

import numpy as np
import pytest

from matchwerk.engine.matching import FusionConfig
from matchwerk.engine.matching.fusion import encoders_from_env
from matchwerk.engine.matching.semantic import PASSAGE, QUERY, EmbeddingCache, cache_dir, embed, get_encoder


def test_use_encoder_meets_meaning_across_wording_and_language():
    encoder = get_encoder("use")
    assert get_encoder("use") is encoder  # loaded once per process
    need, near, far = embed(encoder, ["Kunden buchen ihre Termine online",
                                      "online appointment booking for customers",
                                      "Mundgeblasenes Glas in Kleinserien"], QUERY)
    assert need.shape == (512,) and abs(float(np.linalg.norm(need)) - 1) < 1e-4
    assert float(need @ near) > float(need @ far)


def test_unknown_or_missing_encoder_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown encoder"):
        get_encoder("word2vec")
    with pytest.raises(RuntimeError, match="not found"):
        get_encoder(f"st:{tmp_path / 'no-such-model'}")


def test_embedding_cache_round_trip(tmp_path):
    cache = EmbeddingCache(tmp_path)
    key = EmbeddingCache.key("use", PASSAGE, "Radtouren")
    assert key != EmbeddingCache.key("use", QUERY, "Radtouren")
    vector = np.arange(4, dtype=np.float32)
    cache.put_many([(key, vector.tobytes())])
    assert np.frombuffer(EmbeddingCache(tmp_path).get_many([key])[key], np.float32).tolist() == vector.tolist()


def test_cache_dir_and_encoder_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("MATCHWERK_CACHE_DIR", "off")
    assert cache_dir() is None and EmbeddingCache(cache_dir()).get_many(["x"]) == {}
    monkeypatch.setenv("MATCHWERK_CACHE_DIR", str(tmp_path))
    assert cache_dir() == tmp_path
    monkeypatch.delenv("MATCHWERK_ENCODER", raising=False)
    assert encoders_from_env() == ("e5",)  # the default
    monkeypatch.setenv("MATCHWERK_ENCODER", "")
    assert encoders_from_env() == ("e5",)
    monkeypatch.setenv("MATCHWERK_ENCODER", "use+e5")
    assert encoders_from_env() == ("use", "e5")
    monkeypatch.setenv("MATCHWERK_ENCODER", "none")
    assert FusionConfig().encoders == () and set(FusionConfig().signal_weights()) == {"bm25", "chars"}
    assert set(FusionConfig(encoders=("st:/m",)).signal_weights()) == {"bm25", "chars", "sem:st:/m"}


NEED, OFFER = "Die Frau schlägt Eier in eine Schüssel.", "Die Dame schlug rohe Eier in eine Schüssel."


class _Store:
    """An embedding store in memory (the interface of ``EmbeddingCache``)."""

    def __init__(self) -> None:
        self.rows: dict[str, bytes] = {}

    def get_many(self, keys):
        return {key: self.rows[key] for key in keys if key in self.rows}

    def put_many(self, rows):
        self.rows.update(rows)


def _two_profiles():
    from matchwerk.engine.matching import OrganisationProfile

    return [OrganisationProfile(id="a", kind="sme", name="A", needs=(NEED,)),
            OrganisationProfile(id="b", kind="creative", name="B", offers=(OFFER,))]


def test_offers_are_encoded_as_passages_unless_the_roles_say_otherwise():
    """e5's "query: " / "passage: " prefixes (``fusion.ROLES``): by default the index's
    offer vector is the passage embedding of the offer text; ``roles=(QUERY, QUERY)``
    encodes offers as queries (the measured alternative) and stores them under that role."""
    from matchwerk.engine.matching import MatchIndex

    assert FusionConfig().roles == (QUERY, PASSAGE)
    encoder = get_encoder("e5")
    as_query, as_passage = (embed(encoder, [OFFER], role, store=_Store()) for role in (QUERY, PASSAGE))
    assert float(as_query[0] @ as_passage[0]) < 0.999  # the prefix matters

    for roles, expected in (((QUERY, PASSAGE), as_passage), ((QUERY, QUERY), as_query)):
        store = _Store()
        index = MatchIndex.build(_two_profiles(), FusionConfig(encoders=("e5",), roles=roles), store=store)
        offer_row = int(index.slot_rows[index.slot["b"]][1][0])
        assert np.allclose(index.embeddings["e5"][offer_row], expected[0], atol=1e-5)
        assert set(store.rows) == {EmbeddingCache.key(encoder.cache_name, role, text) for role, text in zip(roles, (NEED, OFFER))}


def test_roles_other_than_query_or_passage_are_refused():
    with pytest.raises(ValueError, match="roles"):
        FusionConfig(encoders=(), roles=("query", "document"))
    with pytest.raises(ValueError, match="roles"):
        FusionConfig(encoders=(), roles=("query",))
