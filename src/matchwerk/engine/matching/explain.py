"""Reasons for a suggestion: which need meets which offer (and through which words or
meaning), shared topics, distance. Reasons are German (the UI's source language)."""

from __future__ import annotations

from typing import TYPE_CHECKING

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


def explain(index: MatchIndex, pairs: list[tuple[str, int, int, float]], topics: tuple[str, ...],
            distance: float | None) -> tuple[tuple[Evidence, ...], tuple[str, ...]]:
    """``pairs``: the best (direction, need row, offer row, strength) of each direction."""
    found: list[Evidence] = []
    for direction, need_row, offer_row, strength in pairs:
        found.append(Evidence(direction=direction, need_index=int(index.row_pos[need_row]),
                              offer_index=int(index.row_pos[offer_row]), need=index.texts[need_row],
                              offer=index.texts[offer_row], words=_words(index, need_row, offer_row),
                              similarity=round(index.similarity(need_row, offer_row), 4),
                              strength=round(strength, 3)))
    found.sort(key=lambda e: -e.strength)
    details = tuple(e for n, e in enumerate(found) if n == 0 or e.strength >= SECOND_DIRECTION)
    reasons = []
    for e in details:
        if e.direction == "need":
            pair = f"Bedarf „{shorten(e.need)}“ ↔ Angebot „{shorten(e.offer)}“"
        else:
            pair = f"Angebot „{shorten(e.offer)}“ ↔ Bedarf „{shorten(e.need)}“"
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
