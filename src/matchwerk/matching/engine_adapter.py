"""Plain data in and out of the engine: profiles as `rank` documents, rankings back."""

from __future__ import annotations

from collections.abc import Iterable

from matchwerk.profiles.models import Organisation


def organisation_document(organisation: Organisation) -> dict:
    """One organisation in the ``matchwerk rank`` input format (FORMATS.md)."""
    return {
        "id": str(organisation.pk),
        "kind": organisation.kind,
        "name": organisation.name,
        "region": organisation.region.name if organisation.region_id else None,
        "about": organisation.about,
        "needs": [need.text for need in organisation.needs.all()],
        "offers": [offer.text for offer in organisation.offers.all()],
        "topics": sorted({topic.name_de for topic in organisation.topics.all()}
                         | {topic.name_de for need in organisation.needs.all() for topic in need.topics.all()}
                         | {topic.name_de for offer in organisation.offers.all() for topic in offer.topics.all()}),
    }


def rank_organisations(organisations: Iterable[Organisation], *, top: int) -> dict[int, list[dict]]:
    """Rank every organisation against the others; {organisation id: [{id, score, reasons}]}."""
    from matchwerk.engine import rank as rank_engine  # loads the text models on first use

    documents = [organisation_document(o) for o in organisations]
    if len(documents) < 2:
        return {}
    result = rank_engine.run({"organisations": documents, "queries": [d["id"] for d in documents], "top": top})
    return {int(query): [{**entry, "id": int(entry["id"])} for entry in ranking]
            for query, ranking in result["rankings"].items()}
