"""Reasons for a suggestion: which need meets which offer (and through which words or
meaning), shared topics, distance. Reasons are German (the UI's source language).

Which evidence is named: the first reason is the need↔offer pair (either direction) with
the most *semantic* weight — the encoders' normalised evidence — so the strongest fit in
meaning leads even when the two texts share no word; a second pair is named when the
other direction is strong too. Shared words are only those specific in the network
(:meth:`LexicalModel.specific`: no stop words, filler or gender endings, no word of more
than 5 % of the texts); without such words the reason says "ähnliche Bedeutung"."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from matchwerk.engine.matching.profiles import Evidence

if TYPE_CHECKING:  # pragma: no cover
    from matchwerk.engine.matching.index import MatchIndex

SECOND_DIRECTION = 1.0  # fused evidence (z-units) from which the weaker direction is named too


def shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;:-") + " …"


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


def choose_pairs(index: MatchIndex, pairs: list[tuple[str, int, int, float]]) -> list[tuple[str, int, int, float]]:
    """From the best (direction, need row, offer row, fused strength) of each direction to
    the pairs to name, over every need × offer of both directions (the about text, scored
    as an offer, is never named): the pair of most semantic weight first (the strongest
    fused pair without an encoder), then the strongest fused pair of the other direction."""
    if not pairs:
        return []
    direction, need_row, offer_row, _ = pairs[0]
    query = int(index.row_owner[need_row if direction == "need" else offer_row])
    other = int(index.row_owner[offer_row if direction == "need" else need_row])
    candidates = []  # (semantic, fused, direction, need row, offer row) of each direction's best
    best_fused: dict[str, tuple[float, int, int]] = {}
    for name, needer, offerer in (("need", query, other), ("offer", other, query)):
        needs = index.slot_rows[needer][0]
        offers = index.slot_rows[offerer][1][:len(index.profiles[offerer].offers)]
        if not len(needs) or not len(offers):
            continue
        fused = index.evidence(needs, offers)
        a, b = np.unravel_index(int(np.argmax(fused)), fused.shape)
        best_fused[name] = (float(fused[a, b]), int(needs[a]), int(offers[b]))
        semantic = semantic_evidence(index, needs, offers)
        if semantic is not None:
            a, b = np.unravel_index(int(np.argmax(semantic)), semantic.shape)
            candidates.append((float(semantic[a, b]), float(fused[a, b]), name, int(needs[a]), int(offers[b])))
    if candidates:
        _, strength, name, need_row, offer_row = max(candidates, key=lambda c: (c[0], c[1]))
    elif best_fused:
        name = max(best_fused, key=lambda n: best_fused[n][0])
        strength, need_row, offer_row = best_fused[name]
    else:  # only an about text met a need: name it (offer index -1)
        return sorted(pairs, key=lambda p: -p[3])[:1]
    out = [(name, need_row, offer_row, strength)]
    for other_name, (value, n_row, o_row) in best_fused.items():
        if other_name != name:
            out.append((other_name, n_row, o_row, value))
    return out


def explain(index: MatchIndex, pairs: list[tuple[str, int, int, float]], topics: tuple[str, ...],
            distance: float | None) -> tuple[tuple[Evidence, ...], tuple[str, ...]]:
    """``pairs``: the best (direction, need row, offer row, strength) of each direction."""
    pairs = choose_pairs(index, pairs)
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
    reasons = []
    for e in details:
        offer = f"{'Angebot' if e.offer_index >= 0 else 'Profil'} „{shorten(e.offer)}“"
        if e.direction == "need":
            pair = f"Bedarf „{shorten(e.need)}“ ↔ {offer}"
        else:
            pair = f"{offer} ↔ Bedarf „{shorten(e.need)}“"
        carried = f"gemeinsame Begriffe: {', '.join(e.words)}" if e.words else "ähnliche Bedeutung"
        reasons.append(f"{pair} ({carried})")
    if topics:
        reasons.append("gemeinsame Themen: " + ", ".join(topics))
    if distance is not None:
        if distance < 5:
            reasons.append("gleiche Region")
        else:
            reasons.append(f"Entfernung ca. {max(5, int(round(distance / 5.0)) * 5)} km")
    return details, tuple(reasons)
