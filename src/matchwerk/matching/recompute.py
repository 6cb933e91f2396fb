"""Computing and storing suggestions: all lists of a programme, or only the lists a
profile change touches. The engine applies every rule (kind pairs, exclusions, candidates,
outcome priors) and returns exactly the lists that are stored."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone

from matchwerk.engine.matching import DecisionPriors, pairs_from_list
from matchwerk.engine.matching import Suggestion as EngineSuggestion
from matchwerk.matching import engine_adapter, selectors
from matchwerk.matching.enums import SuggestionStatus
from matchwerk.matching.models import Suggestion
from matchwerk.programmes.models import Programme

SUGGESTIONS_PER_ORGANISATION = 10


def programme_default() -> Programme:
    """The default programme, created if missing: only for an explicit set-up (the demo
    loader, benchmarks, tests); neither a page nor a task calls it."""
    programme, _ = Programme.objects.get_or_create(slug="cross-innovation", defaults={"name": "Cross-Innovation"})
    return programme


def active_programmes() -> list[Programme]:
    """The active programmes; none when no programme exists (nothing is created here:
    programmes are made by the administration)."""
    return list(Programme.objects.filter(is_active=True).order_by("pk"))


def programme_rules(programme: Programme, loaded: engine_adapter.LoadedIndex) -> tuple[list[str], dict]:
    """The programme's queries (its pool in the index) and the engine options: allowed
    kind pairs, candidates, exclusions (rejected pairs, matches) and outcome priors."""
    pool = [str(pk) for pk in selectors.matching_pool_ids(programme=programme) if str(pk) in loaded.index]
    exclude: dict[str, set[str]] = {}
    for low, high in selectors.excluded_pairs(programme=programme):
        exclude.setdefault(str(low), set()).add(str(high))
        exclude.setdefault(str(high), set()).add(str(low))
    priors = DecisionPriors(kind_pairs=selectors.kind_pair_outcomes(programme=programme))
    return pool, {"pairs": pairs_from_list(programme.kind_pairs), "candidates": set(pool), "exclude": exclude,
                  "priors": priors}


def _stored_codes(organisation_id: int, partner_id: int, found: EngineSuggestion,
                  statements: dict[int, engine_adapter.Statements]) -> list[dict]:
    """The engine's reason codes with the database ids of the need and the offer."""
    out = []
    for code in found.codes:
        code = dict(code)
        if code["code"] == "need_offer":
            needer, offerer = ((organisation_id, partner_id) if code["direction"] == "need"
                               else (partner_id, organisation_id))
            needs, offers = statements[needer].needs, statements[offerer].offers
            code["need_id"] = needs[code["need"]] if 0 <= code["need"] < len(needs) else None
            code["offer_id"] = offers[code["offer"]] if 0 <= code["offer"] < len(offers) else None  # -1: about
        out.append(code)
    return out


def _store(programme: Programme, lists: dict[int, list[EngineSuggestion]],
           statements: dict[int, engine_adapter.Statements], *, everyone: bool) -> int:
    """Store the lists of the organisations in ``lists`` (of every organisation when
    ``everyone``): rows that did not change are not written; decided suggestions keep
    their status; open ones that dropped out are removed."""
    now = timezone.now()
    fresh: dict[tuple[int, int], tuple[float, int, list]] = {}
    for organisation_id, found in lists.items():
        for rank, suggestion in enumerate(found, start=1):
            partner_id = int(suggestion.id)
            fresh[(organisation_id, partner_id)] = (
                suggestion.score, rank, _stored_codes(organisation_id, partner_id, suggestion, statements))
    with transaction.atomic():
        rows = Suggestion.objects.select_for_update().filter(programme=programme)
        if not everyone:
            rows = rows.filter(organisation_id__in=list(lists))
        existing = {(s.organisation_id, s.partner_id): s for s in rows}
        to_create, to_update, to_delete = [], [], []
        for key, (score, rank, reasons) in fresh.items():
            current = existing.pop(key, None)
            if current is None:
                to_create.append(Suggestion(programme=programme, organisation_id=key[0], partner_id=key[1],
                                            score=score, rank=rank, reasons=reasons, computed_at=now))
            elif (current.score, current.rank, current.reasons, current.is_stale) != (score, rank, reasons, False):
                current.score, current.rank, current.reasons = score, rank, reasons
                current.computed_at, current.is_stale = now, False
                to_update.append(current)
        for suggestion in existing.values():
            if suggestion.status == SuggestionStatus.OPEN:
                to_delete.append(suggestion.pk)
            elif suggestion.is_stale:
                suggestion.is_stale = False
                to_update.append(suggestion)
        Suggestion.objects.filter(pk__in=to_delete).delete()
        Suggestion.objects.bulk_update(to_update, ["score", "rank", "reasons", "computed_at", "is_stale"],
                                       batch_size=500)
        Suggestion.objects.bulk_create(to_create, batch_size=500)
    return len(fresh)


def _lists(loaded: engine_adapter.LoadedIndex, queries: Iterable[str], options: dict) -> dict[int, list]:
    found = loaded.index.suggest_many(list(queries), SUGGESTIONS_PER_ORGANISATION, **options)
    return {int(query): suggestions for query, suggestions in found.items()}


def suggestions_recompute(*, programme: Programme, rebuild: bool = True) -> int:
    """Every list of the programme; returns how many suggestions are stored.

    ``rebuild`` builds the match index from the database first (texts already embedded
    are not encoded again) and deletes the stored embeddings it no longer uses; without it
    the index in memory is brought up to date, and other programmes' lists touched by
    changes the index applied meanwhile are refreshed too.
    """
    loaded, changed = engine_adapter.current_index(rebuild=rebuild)
    if rebuild:  # the index has just asked for every current text's embedding
        engine_adapter.embeddings_prune(loaded)
    else:
        for other in active_programmes():
            if other.pk != programme.pk:
                _refresh_programme(other, loaded, changed)
    pool, options = programme_rules(programme, loaded)
    return _store(programme, _lists(loaded, pool, options), loaded.statements, everyone=True)


def affected_lists(programme: Programme, loaded: engine_adapter.LoadedIndex, changed: set[int],
                   pool: list[str], options: dict) -> set[int]:
    """The lists a change of ``changed`` can alter: their own, the lists they are in, and
    the lists they can enter now (their score against that list's last entry, read from
    the index's symmetric scores)."""
    if not changed:
        return set()
    in_pool = {int(q) for q in pool}
    affected = {pk for pk in changed if pk in in_pool}
    affected |= set(Suggestion.objects.filter(programme=programme, partner_id__in=changed)
                    .values_list("organisation_id", flat=True).distinct())
    lists = (Suggestion.objects.filter(programme=programme, status__in=[SuggestionStatus.OPEN, SuggestionStatus.SNOOZED])
             .values("organisation_id").annotate(n=Count("pk"), last=Min("score")))
    counts = {row["organisation_id"]: row["n"] for row in lists}
    thresholds = {row["organisation_id"]: row["last"] for row in lists}
    for pk in changed:
        if str(pk) not in loaded.index or pk not in in_pool:
            continue
        scores = loaded.index.scores(str(pk), pairs=options["pairs"], candidates=options["candidates"],
                                     exclude=options["exclude"].get(str(pk), ()), priors=options["priors"])
        for other, score in scores.items():
            other = int(other)
            if counts.get(other, 0) < SUGGESTIONS_PER_ORGANISATION or score >= thresholds[other] - 1e-4:
                affected.add(other)
    return affected & in_pool | {pk for pk in changed if pk not in in_pool}


def _refresh_programme(programme: Programme, loaded: engine_adapter.LoadedIndex, changed: set[int]) -> int:
    pool, options = programme_rules(programme, loaded)
    affected = affected_lists(programme, loaded, changed, pool, options)
    if not affected:
        return 0
    in_pool = {int(q) for q in pool}
    lists = _lists(loaded, [str(pk) for pk in sorted(affected & in_pool)], options)
    for pk in affected - in_pool:  # left the programme's pool: its list is emptied
        lists[pk] = []
    _store(programme, lists, loaded.statements, everyone=False)
    return len(affected)


def suggestions_refresh() -> int:
    """Bring the index up to date with the announced changes and recompute the lists they
    touch in every active programme; returns how many lists were recomputed."""
    loaded, changed = engine_adapter.current_index()
    if not changed:
        return 0
    return sum(_refresh_programme(programme, loaded, changed) for programme in active_programmes())
