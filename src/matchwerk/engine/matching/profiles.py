"""Plain data of the matching engine: profiles in, suggestions out, programme rules."""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("startup", "creative", "sme", "public", "research", "intermediary")


@dataclass(frozen=True)
class OrganisationProfile:
    id: str
    kind: str
    name: str = ""
    region: str | None = None
    about: str = ""
    needs: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: dict) -> OrganisationProfile:
        """From the ``matchwerk rank`` input format (already validated)."""
        return cls(id=data["id"], kind=data["kind"], name=data.get("name") or "",
                   region=data.get("region") or None, about=data.get("about") or "",
                   needs=tuple(t for t in data.get("needs") or () if t.strip()),
                   offers=tuple(t for t in data.get("offers") or () if t.strip()),
                   topics=tuple(data.get("topics") or ()))


@dataclass(frozen=True)
class Evidence:
    """One need of one side met by one offer of the other side.

    ``direction`` is ``"need"`` when the query organisation's need (``need_index`` into its
    ``needs``) meets the suggested organisation's offer, ``"offer"`` when the query's offer
    meets the suggestion's need. ``words`` are the shared words (may be empty when only
    the meaning carried the match); ``similarity`` is the semantic cosine. ``offer_index``
    is -1 when the organisation's ``about`` text met the need (it has no matching offer).
    """

    direction: str
    need_index: int
    offer_index: int
    need: str
    offer: str
    words: tuple[str, ...]
    similarity: float
    strength: float  # fused, normalised evidence (higher is better)


@dataclass(frozen=True)
class Suggestion:
    id: str
    score: float  # in [0, 1]
    reasons: tuple[str, ...]  # German sentences rendered from ``codes``
    details: tuple[Evidence, ...] = ()
    shared_topics: tuple[str, ...] = ()
    distance_km: float | None = None
    strength: str = ""  # "strong" / "good" / "possible" (fusion.STRENGTHS: the words for the score)
    codes: tuple[dict, ...] = ()  # reason codes with parameters (see reasons.py)


# Kind compatibility per programme: unordered pairs of kinds that a programme brings
# together. An organisation is never matched with itself; kinds not listed never meet.
PROGRAMMES: dict[str, frozenset[frozenset[str]]] = {
    # The default: cross-innovation between the worlds (DESIGN.md).
    "cross-innovation": frozenset(map(frozenset, [
        ("creative", "sme"), ("startup", "sme"), ("startup", "public"), ("creative", "public"),
        ("research", "sme"), ("research", "startup"), ("creative", "startup"), ("research", "public"),
    ])),
    # Digital Smart Events: digital startups meet SMEs.
    "digital-smart-events": frozenset(map(frozenset, [("startup", "sme")])),
    # Startups × public administration (metropolitan conference).
    "startups-public": frozenset(map(frozenset, [("startup", "public")])),
    # Cross-innovation in rural regions: creatives × small firms.
    "creatives-sme": frozenset(map(frozenset, [("creative", "sme")])),
    # Everybody with everybody of another organisation (no kind rule).
    "open": frozenset(frozenset((a, b)) for a in KINDS for b in KINDS),
}
DEFAULT_PROGRAMME = "cross-innovation"


def compatible(pairs: frozenset[frozenset[str]], kind_a: str, kind_b: str) -> bool:
    return frozenset((kind_a, kind_b)) in pairs


def pairs_from_list(pairs: list[list[str]] | list[tuple[str, str]]) -> frozenset[frozenset[str]]:
    return frozenset(frozenset(pair) for pair in pairs)


@dataclass
class DecisionPriors:
    """Re-weighting learnt from team decisions (see docs/matching.md).

    For a pair of kinds (and for each topic) the platform counts accepted/confirmed
    matches ``a`` and declined or rejected ones ``d``; the weight is
    ``0.8 + 0.4 · (a + 1) / (a + d + 2)`` (Laplace prior, 1.0 without evidence). The
    kind-pair weight and the mean weight of the shared topics multiply the score's odds.
    """

    kind_pairs: dict[frozenset[str], tuple[int, int]] = field(default_factory=dict)
    topics: dict[str, tuple[int, int]] = field(default_factory=dict)

    @staticmethod
    def weight(accepted: int, declined: int) -> float:
        return 0.8 + 0.4 * (accepted + 1) / (accepted + declined + 2)

    def adjust(self, score: float, kind_a: str, kind_b: str, shared_topics: tuple[str, ...]) -> float:
        """``score`` re-weighted: its odds ``score / (1 − score)`` times :meth:`factor`, so
        a helpful prior moves a score towards 1 without ever reaching it (multiplying the
        score itself and capping at 1 made every strong pair of a well-received kind pair a
        bare 1.00)."""
        factor = self.factor(kind_a, kind_b, shared_topics)
        return score * factor / (score * factor + (1.0 - score))

    def factor(self, kind_a: str, kind_b: str, shared_topics: tuple[str, ...]) -> float:
        factor = self.weight(*self.kind_pairs.get(frozenset((kind_a, kind_b)), (0, 0)))
        known = [self.weight(*self.topics[t]) for t in shared_topics if t in self.topics]
        if known:
            factor *= sum(known) / len(known)
        return factor
