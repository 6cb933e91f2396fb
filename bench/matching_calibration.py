"""Calibration of the matching score (issue #13): how the fused evidence becomes the score
in [0, 1] that the queue shows ("sehr passend / passend / möglich" with the number second).

The score is ``1 / (1 + exp(−(evidence − centre) / scale))`` (``FusionConfig.score``). This
script fits ``centre`` and ``scale`` by logistic regression (Platt scaling) of "a good fit"
(grade 2 of the hand-labelled judgments) on the evidence of every allowed pair of the
*tune* queries of both labelled profile sets, and reports on the *held-out* queries: Brier
score and log loss, how many scores reach 0.995 (shown as "1,00"), and in each strength
band how many pairs are good fits — beside the engine's current configuration, in the
same run. Unjudged pairs count as not a good fit.

    .venv/bin/python bench/matching_calibration.py        # prints JSON

The evidence is read back from ``MatchIndex.scores`` with a configuration whose score is
``σ(evidence / 20)`` (scores carry four decimals, so the evidence is exact to about 0.01).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from matchwerk.engine.matching import FusionConfig, MatchIndex, OrganisationProfile  # noqa: E402
from matchwerk.engine.matching.evaluation import HELD_OUT, TUNE, split  # noqa: E402

SETS = {"profiles": ROOT / "tests" / "engine" / "data" / "profiles_labelled.json",
        "profiles_b": ROOT / "tests" / "engine" / "data" / "profiles_labelled_b.json"}
READ_SCALE = 20.0
GOOD_FIT = 2


def evidence_rows() -> dict[str, list[tuple[float, int]]]:
    """(evidence, grade) of every allowed pair, per part."""
    rows: dict[str, list[tuple[float, int]]] = {TUNE: [], HELD_OUT: []}
    for path in SETS.values():
        data = json.loads(path.read_text(encoding="utf-8"))
        config = FusionConfig(score_centre=0.0, score_scale=READ_SCALE)
        index = MatchIndex.build([OrganisationProfile.from_dict(o) for o in data["organisations"]], config)
        tune, held = split(list(data["judgments"]))
        for part, queries in ((TUNE, tune), (HELD_OUT, held)):
            for query in queries:
                grades = data["judgments"][query]
                for other, score in index.scores(query).items():
                    score = min(max(score, 1e-6), 1 - 1e-6)
                    rows[part].append((READ_SCALE * math.log(score / (1 - score)), grades.get(other, 0)))
    return rows


def _probabilities(evidence: np.ndarray, centre: float, scale: float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(evidence - centre) / scale))


def fit(evidence: np.ndarray, good: np.ndarray) -> tuple[float, float]:
    def loss(theta: np.ndarray) -> float:
        p = np.clip(_probabilities(evidence, theta[0], abs(theta[1]) + 1e-6), 1e-12, 1 - 1e-12)
        return float(-np.mean(good * np.log(p) + (1 - good) * np.log(1 - p)))

    result = minimize(loss, np.array([2.0, 0.8]), method="Nelder-Mead", options={"xatol": 1e-4, "fatol": 1e-7})
    return float(result.x[0]), float(abs(result.x[1]))


def describe(evidence: np.ndarray, good: np.ndarray, centre: float, scale: float) -> dict:
    p = _probabilities(evidence, centre, scale)
    config = FusionConfig()
    bands = {}
    for name, low, high in (("sehr passend", config.strong_score, 1.01), ("passend", config.good_score, config.strong_score),
                            ("möglich", -0.01, config.good_score)):
        inside = (p >= low) & (p < high)
        bands[name] = {"pairs": int(inside.sum()),
                       "good fits": round(float(good[inside].mean()), 3) if inside.any() else None}
    clipped = np.clip(p, 1e-12, 1 - 1e-12)
    return {"brier": round(float(np.mean((p - good) ** 2)), 4),
            "log loss": round(float(-np.mean(good * np.log(clipped) + (1 - good) * np.log(1 - clipped))), 4),
            "shown as 1,00 (≥ 0.995)": int((p >= 0.995).sum()),
            "highest": round(float(p.max()), 4), "bands": bands}


def main() -> int:
    rows = evidence_rows()
    tune_e = np.array([e for e, _ in rows[TUNE]])
    tune_good = np.array([1.0 if g >= GOOD_FIT else 0.0 for _, g in rows[TUNE]])
    held_e = np.array([e for e, _ in rows[HELD_OUT]])
    held_good = np.array([1.0 if g >= GOOD_FIT else 0.0 for _, g in rows[HELD_OUT]])
    centre, scale = fit(tune_e, tune_good)
    current = FusionConfig()
    out = {
        "pairs": {TUNE: len(tune_e), HELD_OUT: len(held_e)},
        "good fits": {TUNE: int(tune_good.sum()), HELD_OUT: int(held_good.sum())},
        "fitted on tune": {"score_centre": round(centre, 3), "score_scale": round(scale, 3)},
        "configured": {"score_centre": current.score_centre, "score_scale": current.score_scale},
    }
    for label, (c, s) in (("configured", (current.score_centre, current.score_scale)), ("fitted", (centre, scale))):
        out[f"{label}: tune"] = describe(tune_e, tune_good, c, s)
        out[f"{label}: held-out"] = describe(held_e, held_good, c, s)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
