"""Configuration of the evidence fusion, and the calibration of the final score.

Every signal s (BM25 over German terms, character n-grams, each sentence encoder) gives
a raw similarity between a need and an offer. Before they are combined, each is

1. corrected for *hubness* (CSLS, Conneau et al. 2018): an offer that is similar to every
   need (a generic text) loses ``alpha`` × its mean similarity to its ``k`` nearest
   needs (measured on a sample of the needs in the index);
2. standardised per need: minus the need's mean and divided by its standard deviation
   over a sample of the offers (a z-score), so that long and short needs, BM25 and cosine
   all speak the same unit.

The fused evidence is the weighted sum of these z-scores. The weights were chosen on the
tune parts of the ESCO and STS sets (a hash of the query id, ``evaluation.split``) and are
reported on the held-out parts (docs/matching.md); they are configuration, not code.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

# Weights per semantic set-up (signal name → weight); "bm25" and "chars" are the lexical
# signals, "sem:<encoder>" the semantic ones. Chosen by ``bench/matching_quality.py --tune``
# on the *tune* parts of ESCO and STS only (evaluation.split; hubness α = 1.0, k = 10 won
# there against α 0.5 / 1.5; the summed tune MRR@10 of all four labelled sets keeps the
# same weights for ``e5``); the lexical-only set-up keeps its earlier hand-set weights.
WEIGHTS: dict[tuple[str, ...], dict[str, float]] = {
    (): {"bm25": 1.0, "chars": 0.625},
    ("use",): {"bm25": 0.25, "chars": 0.167, "sem:use": 1.0},
    ("e5",): {"bm25": 0.0, "chars": 0.25, "sem:e5": 1.0},
    ("use", "e5"): {"bm25": 0.033, "chars": 0.25, "sem:use": 0.333, "sem:e5": 1.0},
}

# The encoder roles of needs and of offers (``semantic.QUERY`` / ``semantic.PASSAGE``; only
# e5 tells them apart, by its "query: " / "passage: " prefixes): needs as queries, offers as
# passages, as e5's authors advise for retrieval. Both sides as queries (their advice for
# symmetric tasks; ``FusionConfig(roles=("query", "query"))``) won on the tune parts of the
# four sets but lost on three of the four held-out parts (docs/matching.md), so it is not
# the default.
ROLES = ("query", "passage")


STRONG, GOOD, POSSIBLE = "strong", "good", "possible"
STRENGTHS = {STRONG: "sehr passend", GOOD: "passend", POSSIBLE: "möglich"}  # code → German label


DEFAULT_ENCODER = "e5"


def encoders_from_env() -> tuple[str, ...]:
    """``MATCHWERK_ENCODER``: ``e5`` (default, chosen by held-out measurement), ``use``,
    ``use+e5``, ``st:/path`` or ``none``."""
    value = os.environ.get("MATCHWERK_ENCODER", DEFAULT_ENCODER).strip() or DEFAULT_ENCODER
    if value.lower() in {"", "none", "off", "lexical"}:
        return ()
    return tuple(part.strip() for part in value.split("+") if part.strip())


@dataclass
class FusionConfig:
    encoders: tuple[str, ...] = field(default_factory=encoders_from_env)
    weights: dict[str, float] | None = None  # None: the tuned weights for ``encoders``
    roles: tuple[str, str] = ROLES  # encoder roles of (needs, offers)
    csls_alpha: float = 1.0
    csls_k: int = 10
    sample: int = 4000  # needs/offers sampled for the normalisation statistics
    sd_floor: float = 0.02
    both_sides: float = 0.3  # share of the weaker direction added to the stronger one
    # The ``about`` text of a profile counts as one more offer, its evidence shifted by this
    # many z-units (None: the about text is not scored); chosen on the tune parts.
    about_shift: float | None = -1.0
    topic_weight: float = 0.8  # z-units for three or more shared topics
    region_weight: float = 0.5  # z-units for the same place, fading with distance
    region_scale_km: float = 60.0
    # Fused evidence that maps to a score of 0.5, and the slope: Platt scaling of "a good
    # fit" (grade 2) on the tune parts of both labelled profile sets
    # (bench/matching_calibration.py; held-out Brier 0.039 → 0.016 against 2.0 / 0.8).
    score_centre: float = 2.81
    score_scale: float = 0.42
    seed: int = 7

    def __post_init__(self) -> None:
        if len(self.roles) != 2 or not set(self.roles) <= {"query", "passage"}:
            raise ValueError(f"roles must be two of 'query', 'passage', not {self.roles!r}")
        self.roles = tuple(self.roles)

    def signal_weights(self) -> dict[str, float]:
        if self.weights is not None:
            return dict(self.weights)
        tuned = WEIGHTS.get(self.encoders)
        if tuned is not None:
            return dict(tuned)
        # An untuned combination (e.g. a local sentence-transformers model): lexical
        # evidence plus the encoders with equal weight.
        return {"bm25": 1.0, "chars": 0.5, **{f"sem:{name}": 1.0 for name in self.encoders}}

    strong_score: float = 0.8  # from here a suggestion is "sehr passend"
    good_score: float = 0.5  # from here "passend", below "möglich"

    def strength(self, score: float) -> str:
        """The strength of a suggestion in words: a code of :data:`STRENGTHS`."""
        return STRONG if score >= self.strong_score else GOOD if score >= self.good_score else POSSIBLE

    def score(self, evidence: float) -> float:
        """Map fused evidence (z-units) to a score in [0, 1] (logistic)."""
        return 1.0 / (1.0 + math.exp(-(evidence - self.score_centre) / self.score_scale))
