"""Reason codes: why the engine suggests a partner, as plain data (see docs/matching.md).

The engine explains a suggestion with a tuple of codes, each a JSON-ready dict with a
``code`` and its parameters; the text a reader sees is rendered from them in the
reader's language (the platform renders with gettext, :func:`render_de` gives the German
sentences of ``matchwerk rank``'s ``reasons``). Codes:

``need_offer``
    A need meets an offer. ``direction``: ``"need"`` when the query's need meets the
    partner's offer, ``"offer"`` when the query's offer meets the partner's need;
    ``need``/``offer``: the positions of the texts in their owners' ``needs``/``offers``
    (``offer`` -1: the owner's ``about`` text, named "Profil");
    ``need_text``/``offer_text``: short excerpts; ``words``: shared words (empty when only
    the meaning carried the match); ``strength``: the fused evidence (z-units).
``shared_topics``
    ``topics``: the topics both organisations name.
``same_region``
    Both are in the same place (less than 5 km apart).
``distance``
    ``km``: the distance, rounded to 5 km.
"""

from __future__ import annotations

NEED_OFFER, SHARED_TOPICS, SAME_REGION, DISTANCE = "need_offer", "shared_topics", "same_region", "distance"
CODES = (NEED_OFFER, SHARED_TOPICS, SAME_REGION, DISTANCE)
EXCERPT = 60  # characters of a need or offer quoted in a reason


def shorten(text: str, limit: int = EXCERPT) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;:-") + " …"


def need_offer(*, direction: str, need: int, offer: int, need_text: str, offer_text: str,
               words: tuple[str, ...] | list[str], strength: float) -> dict:
    return {"code": NEED_OFFER, "direction": direction, "need": int(need), "offer": int(offer),
            "need_text": shorten(need_text), "offer_text": shorten(offer_text), "words": list(words),
            "strength": round(float(strength), 3)}


def shared_topics(topics: tuple[str, ...] | list[str]) -> dict:
    return {"code": SHARED_TOPICS, "topics": list(topics)}


def place(distance_km: float) -> dict:
    """``same_region`` under 5 km, else ``distance`` rounded to 5 km (at least 5)."""
    if distance_km < 5:
        return {"code": SAME_REGION}
    return {"code": DISTANCE, "km": max(5, int(round(distance_km / 5.0)) * 5)}


def render_de(code: dict) -> str:
    """The German sentence of one reason code (the UI's source language)."""
    kind = code.get("code")
    if kind == NEED_OFFER:
        label = "Angebot" if code["offer"] >= 0 else "Profil"
        need, offer = f"Bedarf „{code['need_text']}“", f"{label} „{code['offer_text']}“"
        pair = f"{need} ↔ {offer}" if code["direction"] == "need" else f"{offer} ↔ {need}"
        carried = f"gemeinsame Begriffe: {', '.join(code['words'])}" if code["words"] else "ähnliche Bedeutung"
        return f"{pair} ({carried})"
    if kind == SHARED_TOPICS:
        return "gemeinsame Themen: " + ", ".join(code["topics"])
    if kind == SAME_REGION:
        return "gleiche Region"
    if kind == DISTANCE:
        return f"Entfernung ca. {code['km']} km"
    raise ValueError(f"unknown reason code {kind!r}")
