"""The evaluation split: tune and held-out parts never overlap, cover every query, and do
not depend on the order or the company of the ids."""

import json
import os
from pathlib import Path

import pytest

from matchwerk.engine.matching.evaluation import HELD_OUT, TUNE, metrics, part_of, report, split

DATA = Path(__file__).parent / "data"
DATASETS = Path(os.environ.get("MATCHWERK_DATASETS") or next(
    (p / "shared" / "datasets" for p in Path(__file__).resolve().parents if (p / "shared" / "datasets").is_dir()),
    Path("shared/datasets")))


def _query_sets() -> dict[str, list[str]]:
    sets = {name: list(json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))["judgments"])
            for name in ("profiles_labelled", "profiles_labelled_b")}
    for name in ("esco", "sts"):
        path = DATASETS / f"match-{name}.json"
        if path.exists():  # the shared data sets live beside the repository, not in it
            sets[name] = json.loads(path.read_text(encoding="utf-8"))["queries"]
    return sets


@pytest.mark.parametrize("name", sorted(_query_sets()))
def test_parts_never_overlap_and_cover_every_query(name):
    queries = _query_sets()[name]
    tune, held = split(queries)
    assert not set(tune) & set(held)
    assert sorted(tune + held) == sorted(queries)
    assert tune and held
    assert 0.3 < len(held) / len(queries) < 0.7


def test_split_depends_on_the_id_only():
    ids = [f"q{i:04d}" for i in range(200)]
    tune, held = split(ids)
    again_tune, again_held = split(list(reversed(ids)) + ["extra-1", "extra-2"])
    assert set(tune) <= set(again_tune) and set(held) <= set(again_held)
    assert all(part_of(i) == (HELD_OUT if i in held else TUNE) for i in ids)


def test_report_measures_each_part_on_its_own_queries():
    qrels = {"a": {"x": 2}, "b": {"y": 2}, "c": {"z": 2}, "d": {"w": 2}}
    rankings = {"a": ["x"], "b": ["n", "y"], "c": [], "d": ["w"]}
    result = report(rankings, qrels, list(qrels))
    tune, held = split(list(qrels))
    assert result[TUNE] == metrics(rankings, qrels, tune)
    assert result[HELD_OUT] == metrics(rankings, qrels, held)
    assert metrics(rankings, qrels, ["a", "b", "c", "d"])["mrr@10"] == pytest.approx((1 + 0.5 + 0 + 1) / 4)
