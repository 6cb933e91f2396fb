"""Evaluation discipline for the matching engine: a deterministic split of every labelled
set into a *tune* part (where parameters may be chosen) and a *held-out* part (which only
reports), and the ranking metrics of ``bench/matching_quality.py``.

The split depends on the query id alone (a salted SHA-256), not on the order of the file
or on the other queries: adding queries to a set never moves an existing query from one
part to the other, and the same id falls into the same part on every machine.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable

TUNE, HELD_OUT = "tune", "held_out"
SALT = "matchwerk-split-v1"  # changing it reshuffles every set: never after tuning
HELD_OUT_SHARE = 0.5


def part_of(item_id: str, held_out_share: float = HELD_OUT_SHARE) -> str:
    """``"tune"`` or ``"held_out"`` for one query id."""
    digest = hashlib.sha256(f"{SALT}\x1f{item_id}".encode()).digest()
    position = int.from_bytes(digest[:8], "big") / 2.0**64
    return HELD_OUT if position < held_out_share else TUNE


def split(ids: Iterable[str], held_out_share: float = HELD_OUT_SHARE) -> tuple[list[str], list[str]]:
    """(tune ids, held-out ids), each in the given order."""
    tune: list[str] = []
    held: list[str] = []
    for item_id in ids:
        (held if part_of(item_id, held_out_share) == HELD_OUT else tune).append(item_id)
    return tune, held


def metrics(rankings: dict[str, list[str]], qrels: dict[str, dict[str, int]], queries: list[str]) -> dict:
    """MRR@10 and Recall@10 of the best grade (2, or 1 where a query has no grade 2), and
    nDCG@10 with gains 2^grade − 1."""
    mrr = recall = ndcg = 0.0
    for query in queries:
        rel = qrels[query]
        target = max(rel.values())
        ranked = rankings.get(query, [])[:10]
        for pos, cand in enumerate(ranked):
            if rel.get(cand) == target:
                mrr += 1 / (pos + 1)
                break
        answers = [c for c, g in rel.items() if g == target]
        recall += sum(1 for c in ranked if rel.get(c) == target) / len(answers)
        dcg = sum((2 ** rel.get(c, 0) - 1) / math.log2(pos + 2) for pos, c in enumerate(ranked))
        ideal = sorted(rel.values(), reverse=True)[:10]
        ndcg += dcg / sum((2 ** g - 1) / math.log2(pos + 2) for pos, g in enumerate(ideal))
    n = max(1, len(queries))
    return {"mrr@10": round(mrr / n, 4), "recall@10": round(recall / n, 4), "ndcg@10": round(ndcg / n, 4),
            "queries": len(queries)}


def report(rankings: dict[str, list[str]], qrels: dict[str, dict[str, int]], queries: list[str]) -> dict:
    """Metrics on the tune part and on the held-out part of ``queries``."""
    tune, held = split(queries)
    return {TUNE: metrics(rankings, qrels, tune), HELD_OUT: metrics(rankings, qrels, held)}
