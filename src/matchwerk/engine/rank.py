"""``matchwerk rank FILE`` — partner suggestions (FORMATS.md).

Besides the documented fields the input may carry optional extensions: ``programme``
(one of :data:`matchwerk.engine.matching.PROGRAMMES`, default ``cross-innovation``),
``pairs`` (a list of ``[kind, kind]`` that may meet, overriding the programme),
``exclude`` (a list of ``[id, id]`` pairs never to suggest, in either direction) and
``candidates`` (ids that may be suggested at all, e.g. those who consented).
"""

from __future__ import annotations

from matchwerk.engine.inputs import (InputError, Progress, capped_text, capped_texts, check_type, field, integer,
                                    items, known_id, unique_ids)
from matchwerk.engine.matching import KINDS, PROGRAMMES, MatchIndex, OrganisationProfile, pairs_from_list


def _texts(org: dict, key: str, where: str) -> list[str]:
    values = items(org, key, where, default=[])
    for i, value in enumerate(values):
        check_type(value, str, f"{where}.{key}[{i}]")
    return values


def parse(data: dict) -> tuple[list[OrganisationProfile], list[str], int, dict]:
    organisations = items(data, "organisations", "")
    profiles = []
    for i, org in enumerate(organisations):
        where = f"organisations[{i}]"
        check_type(org, dict, where)
        field(org, "id", str, where)
        kind = field(org, "kind", str, where)
        if kind not in KINDS:
            raise InputError(f"{where}.kind: expected one of {', '.join(KINDS)}, got {kind!r}")
        field(org, "name", str, where)
        field(org, "region", str, where, default=None)
        field(org, "about", str, where, default="")
        for key in ("needs", "offers", "topics"):
            _texts(org, key, where)
        # Hard cap before encoding: overlong texts are cut, never encoded whole.
        org = {**org, "name": capped_text(org["name"]), "about": capped_text(org.get("about") or ""),
               **{key: capped_texts(org.get(key) or []) for key in ("needs", "offers", "topics")}}
        profiles.append(OrganisationProfile.from_dict(org))
    ids: dict[str, int] = {}
    for i, profile in enumerate(profiles):
        if profile.id in ids:
            raise InputError(f"organisations[{i}].id: duplicate id {profile.id!r}")
        ids[profile.id] = i
    if "queries" in data and data["queries"] is not None:
        queries = items(data, "queries", "")
        unique_ids(queries, "queries")
        for i, query in enumerate(queries):
            known_id(query, ids, f"queries[{i}]", "organisation")
    else:
        queries = [p.id for p in profiles if p.needs]
    top = integer(data, "top", "", default=10, minimum=1)
    options: dict = {}
    programme = field(data, "programme", str, "", default=None)
    if programme is not None:
        if programme not in PROGRAMMES:
            raise InputError(f"programme: expected one of {', '.join(PROGRAMMES)}, got {programme!r}")
        options["programme"] = programme
    if data.get("pairs") is not None:
        pairs = items(data, "pairs", "")
        for i, pair in enumerate(pairs):
            check_type(pair, list, f"pairs[{i}]")
            if len(pair) != 2 or any(not isinstance(k, str) or k not in KINDS for k in pair):
                raise InputError(f"pairs[{i}]: expected two kinds out of {', '.join(KINDS)}")
        options["pairs"] = pairs_from_list(pairs)
    exclude: dict[str, set[str]] = {}
    for i, pair in enumerate(items(data, "exclude", "", default=[])):
        check_type(pair, list, f"exclude[{i}]")
        if len(pair) != 2:
            raise InputError(f"exclude[{i}]: expected a pair of organisation ids")
        a, b = pair
        known_id(a, ids, f"exclude[{i}][0]", "organisation")
        known_id(b, ids, f"exclude[{i}][1]", "organisation")
        exclude.setdefault(a, set()).add(b)
        exclude.setdefault(b, set()).add(a)
    options["exclude"] = exclude
    if data.get("candidates") is not None:
        candidates = items(data, "candidates", "")
        for i, candidate in enumerate(candidates):
            known_id(candidate, ids, f"candidates[{i}]", "organisation")
        options["candidates"] = set(candidates)
    return profiles, queries, top, options


def run(data: dict, progress: Progress | None = None) -> dict:
    profiles, queries, top, options = parse(data)
    if not queries:
        return {"rankings": {}}
    index = MatchIndex.build(profiles, progress=progress)
    suggestions = index.suggest_many(queries, top, progress=progress, **options)
    return {"rankings": {query: [{"id": s.id, "score": s.score, "reasons": list(s.reasons)}
                                 for s in suggestions[query]] for query in queries}}
