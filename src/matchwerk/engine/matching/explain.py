"""Reasons for a suggestion: which need meets which offer (and through which words or
meaning), shared topics, distance — as reason codes (:mod:`.reasons`); the German
sentences of ``matchwerk rank`` are rendered from the same codes.

Which evidence is named: the first reason is the need↔offer pair (either direction) with
the most *semantic* weight — the encoders' normalised evidence — so the strongest fit in
meaning leads even when the two texts share no word; a second pair is named when the
other direction is strong too. Shared words are only those specific in the network
(:meth:`LexicalModel.specific`: no stop words, filler or gender endings, no word of more
than 5 % of the texts); without such words the reason says "ähnliche Bedeutung"."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from matchwerk.engine.matching import reasons as codes_
from matchwerk.engine.matching.profiles import Evidence

if TYPE_CHECKING:  # pragma: no cover
    from matchwerk.engine.matching.index import MatchIndex

SECOND_DIRECTION = 1.0  # fused evidence (z-units) from which the weaker direction is named too


def _words(index: MatchIndex, need_row: int, offer_row: int) -> tuple[str, ...]:
    words = index.lexical.shared_terms(need_row, offer_row) + index.lexical.shared_terms(offer_row, need_row)
    unique: list[str] = []
    for word in words:
        if word.casefold() not in {w.casefold() for w in unique}:
            unique.append(word)
    return tuple(unique[:4])


def semantic_evidence(index: MatchIndex, need_rows: np.ndarray, offer_rows: np.ndarray) -> np.ndarray | None:
    """The encoders' share of the fused evidence (z-units, weighted mean over the semantic
    signals), or None for an index without an encoder."""
    signals = {s: w for s, w in index.weights.items() if s.startswith("sem:") and w > 0}
    if not signals or not len(need_rows) or not len(offer_rows):
        return None
    total = np.zeros((len(need_rows), len(offer_rows)), np.float32)
    for signal, weight in signals.items():
        raw = index._raw(signal, need_rows, offer_rows) - index.hub[signal][offer_rows][None, :]
        total += weight * (raw - index.mean[signal][need_rows][:, None]) / index.sd[signal][need_rows][:, None]
    return total / sum(signals.values())


def _real_offers(index: MatchIndex, slot: int) -> np.ndarray:
    """Offer rows of an organisation without its about text (the last offer row)."""
    return index.slot_rows[slot][1][:len(index.profiles[slot].offers)]


def pick_pairs(index: MatchIndex, slot: int, others: list[int]) -> list[list[tuple[str, int, int, float]]]:
    """The pairs to name between organisation ``slot`` and each of ``others``, as
    (direction, need row, offer row, fused strength): over every need × offer of both
    directions, the pair of most semantic weight first (the strongest fused pair without
    an encoder), then the strongest fused pair of the other direction. About texts are
    scored as offers but only named when nothing else met (offer index -1 then). One
    evidence product per direction for all ``others`` together."""
    semantic_of: list[dict[str, tuple[float, float, int, int]]] = [{} for _ in others]
    fused_of: list[dict[str, tuple[float, int, int]]] = [{} for _ in others]
    for real in (True, False):
        todo = [k for k in range(len(others)) if not fused_of[k]] if not real else list(range(len(others)))
        if not todo:
            break
        for name in ("need", "offer"):
            offers_of = _real_offers if real else (lambda idx, s: idx.slot_rows[s][1])
            if name == "need":
                query_rows = index.slot_rows[slot][0]
                other_rows = [offers_of(index, others[k]) for k in todo]
            else:
                query_rows = offers_of(index, slot)
                other_rows = [index.slot_rows[others[k]][0] for k in todo]
            if not len(query_rows) or not sum(len(r) for r in other_rows):
                continue
            joined = np.concatenate(other_rows)
            if name == "need":
                fused, semantic = index.evidence(query_rows, joined), semantic_evidence(index, query_rows, joined)
            else:
                fused, semantic = index.evidence(joined, query_rows).T, semantic_evidence(index, joined, query_rows)
                semantic = None if semantic is None else semantic.T
            start = 0
            for k, rows in zip(todo, other_rows):
                if len(rows):
                    sub = fused[:, start:start + len(rows)]
                    a, b = np.unravel_index(int(np.argmax(sub)), sub.shape)
                    pair = (int(query_rows[a]), int(rows[b])) if name == "need" else (int(rows[b]), int(query_rows[a]))
                    fused_of[k][name] = (float(sub[a, b]), *pair)
                    if semantic is not None and real:
                        sem = semantic[:, start:start + len(rows)]
                        a, b = np.unravel_index(int(np.argmax(sem)), sem.shape)
                        pair = (int(query_rows[a]), int(rows[b])) if name == "need" else (
                            int(rows[b]), int(query_rows[a]))
                        semantic_of[k][name] = (float(sem[a, b]), float(sub[a, b]), *pair)
                start += len(rows)
    out: list[list[tuple[str, int, int, float]]] = []
    for k in range(len(others)):
        if semantic_of[k]:
            name = max(semantic_of[k], key=lambda n: semantic_of[k][n][:2])
            _, strength, need_row, offer_row = semantic_of[k][name]
        elif fused_of[k]:
            name = max(fused_of[k], key=lambda n: fused_of[k][n][0])
            strength, need_row, offer_row = fused_of[k][name]
        else:
            out.append([])
            continue
        pairs = [(name, need_row, offer_row, strength)]
        pairs += [(n, f[1], f[2], f[0]) for n, f in fused_of[k].items() if n != name]
        out.append(pairs)
    return out


def explain(index: MatchIndex, pairs: list[tuple[str, int, int, float]], topics: tuple[str, ...],
            distance: float | None) -> tuple[tuple[Evidence, ...], tuple[dict, ...]]:
    """``pairs``: the (direction, need row, offer row, strength) to name, first the
    leading one (:func:`pick_pairs`). Returns the evidence and the reason codes."""
    found: list[Evidence] = []
    for direction, need_row, offer_row, strength in pairs:
        owner = index.profiles[int(index.row_owner[offer_row])]
        offer_index = int(index.row_pos[offer_row])
        offer_index = offer_index if offer_index < len(owner.offers) else -1  # -1: the about text
        found.append(Evidence(direction=direction, need_index=int(index.row_pos[need_row]),
                              offer_index=offer_index, need=index.texts[need_row],
                              offer=index.texts[offer_row], words=_words(index, need_row, offer_row),
                              similarity=round(index.similarity(need_row, offer_row), 4),
                              strength=round(strength, 3)))
    details = tuple(e for n, e in enumerate(found) if n == 0 or e.strength >= SECOND_DIRECTION)
    codes = [codes_.need_offer(direction=e.direction, need=e.need_index, offer=e.offer_index, need_text=e.need,
                               offer_text=e.offer, words=e.words, strength=e.strength) for e in details]
    if topics:
        codes.append(codes_.shared_topics(topics))
    if distance is not None:
        codes.append(codes_.place(distance))
    return details, tuple(codes)
