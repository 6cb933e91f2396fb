"""The platform's side of the matching engine: organisations as engine profiles, the
match index kept in the worker's memory and brought up to date from the announced
profile changes, text embeddings stored in the database.

The index holds every organisation that consented to matching (the programmes' rules —
kind pairs, regions, exclusions, priors — are passed per query, see ``recompute``). It is
a cache: the database is the truth. A process builds it on first use (or when asked to
rebuild) and afterwards applies the :class:`ProfileChange` rows it has not seen yet.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from matchwerk.engine.matching import MatchIndex, OrganisationProfile
from matchwerk.matching.models import ProfileChange, RecomputeState, TextEmbedding
from matchwerk.profiles.models import Need, Offer, Organisation

CHANGE_WINDOW = timedelta(minutes=5)  # re-read window for changes committed out of id order
KEEP_CHANGES = timedelta(days=2)


class DatabaseEmbeddingStore:
    """Embeddings in :class:`TextEmbedding` (the engine's cache interface): a text is
    encoded once per encoder and role, whichever process needs it. ``used`` collects every
    key asked for: after a full build, the keys of every current text."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def get_many(self, keys: list[str]) -> dict[str, bytes]:
        self.used.update(keys)
        found: dict[str, bytes] = {}
        for start in range(0, len(keys), 500):
            found.update((key, bytes(vector)) for key, vector in
                         TextEmbedding.objects.filter(key__in=keys[start:start + 500]).values_list("key", "vector"))
        return found

    def put_many(self, rows: list[tuple[str, bytes]]) -> None:
        TextEmbedding.objects.bulk_create([TextEmbedding(key=key, vector=vector) for key, vector in rows],
                                          batch_size=500, ignore_conflicts=True)


@dataclass
class Statements:
    """Database ids of an organisation's needs and offers, in the profile's order."""

    needs: list[int] = field(default_factory=list)
    offers: list[int] = field(default_factory=list)


def load_profiles(organisation_ids: list[int] | None = None) -> tuple[list[OrganisationProfile],
                                                                         dict[int, Statements]]:
    """Engine profiles of the consenting organisations (all, or those of ``organisation_ids``),
    in five flat queries."""
    organisations = Organisation.objects.filter(open_for_matching=True)
    if organisation_ids is not None:
        organisations = organisations.filter(pk__in=organisation_ids)
    rows = list(organisations.order_by("pk").values_list("pk", "kind", "name", "region__name", "about"))
    ids = [row[0] for row in rows]
    scope = {"organisation__open_for_matching": True}
    if organisation_ids is not None:
        scope["organisation_id__in"] = ids
    statements = {pk: Statements() for pk in ids}
    texts: dict[int, tuple[list[str], list[str]]] = {pk: ([], []) for pk in ids}
    topics: dict[int, set[str]] = {pk: set() for pk in ids}
    for side, model in ((0, Need), (1, Offer)):
        for owner, pk, title, description in model.objects.filter(**scope).order_by(
                "organisation_id", "pk").values_list("organisation_id", "pk", "title", "description"):
            text = f"{title}. {description}".strip()
            if text.strip():
                texts[owner][side].append(text)
                (statements[owner].needs if side == 0 else statements[owner].offers).append(pk)
        through = model.topics.through
        for owner, name in through.objects.filter(**{f"{model.__name__.lower()}__{k}": v for k, v in scope.items()}
                                                  ).values_list(f"{model.__name__.lower()}__organisation_id",
                                                                "topic__name_de"):
            topics[owner].add(name)
    through = Organisation.topics.through
    for owner, name in through.objects.filter(organisation_id__in=ids).values_list(
            "organisation_id", "topic__name_de") if organisation_ids is not None else \
            through.objects.filter(organisation__open_for_matching=True).values_list("organisation_id",
                                                                                    "topic__name_de"):
        topics[owner].add(name)
    profiles = [OrganisationProfile(id=str(pk), kind=kind, name=name, region=region or None, about=about or "",
                                    needs=tuple(texts[pk][0]), offers=tuple(texts[pk][1]),
                                    topics=tuple(sorted(topics[pk])))
                for pk, kind, name, region, about in rows]
    return profiles, statements


@dataclass
class LoadedIndex:
    index: MatchIndex
    epoch: str
    statements: dict[int, Statements]
    last_change: int = 0
    seen: set[int] = field(default_factory=set)  # change ids applied within the window
    read_at: object = None


_LOADED: LoadedIndex | None = None
_LOCK = threading.RLock()


def recompute_state() -> RecomputeState:
    """The one state row; created with a fresh epoch when missing (a new or emptied
    database: cached indexes of other databases are then not reused)."""
    state = RecomputeState.objects.filter(pk=1).first()
    if state is None:
        state, _ = RecomputeState.objects.get_or_create(pk=1, defaults={"epoch": uuid.uuid4().hex})
    return state


def current_index(*, rebuild: bool = False) -> tuple[LoadedIndex, set[int]]:
    """The match index, up to date with every announced change, and the organisations
    changed since the last call (all of them after a build)."""
    global _LOADED
    with _LOCK:
        state = recompute_state()
        now = timezone.now()
        loaded = _LOADED
        if (rebuild or loaded is None or loaded.epoch != state.epoch
                or loaded.last_change < state.pruned_below):
            last = ProfileChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            profiles, statements = load_profiles()
            index = MatchIndex.build(profiles, store=DatabaseEmbeddingStore())
            _LOADED = LoadedIndex(index=index, epoch=state.epoch, statements=statements, last_change=last,
                                  read_at=now)
            return _LOADED, {int(p.id) for p in profiles}
        changes = list(ProfileChange.objects.filter(pk__gt=loaded.last_change).values_list("pk", "organisation_id")
                       ) + list(ProfileChange.objects.filter(pk__lte=loaded.last_change,
                                                             changed_at__gte=loaded.read_at - CHANGE_WINDOW)
                                .exclude(pk__in=loaded.seen).values_list("pk", "organisation_id"))
        changed = {organisation_id for _, organisation_id in changes}
        if changed:
            profiles, statements = load_profiles(sorted(changed))
            present = {int(p.id) for p in profiles}
            for organisation_id in changed - present:  # deleted or withdrew consent
                loaded.index.remove(str(organisation_id))
                loaded.statements.pop(organisation_id, None)
            for profile in profiles:
                loaded.index.update(profile)
            loaded.statements.update(statements)
        ids = [pk for pk, _ in changes]
        loaded.last_change = max([loaded.last_change, *ids])
        loaded.seen = {pk for pk in loaded.seen | set(ids)
                       if pk > loaded.last_change - 10_000}
        loaded.read_at = now
        return loaded, changed


def embeddings_prune(loaded: LoadedIndex) -> int:
    """Delete the stored embeddings that a freshly built index did not ask for: texts
    changed or deleted since they were encoded (a deleted organisation's texts among
    them) and vectors of another encoder or e5 engine (after a switch, e.g. to the
    ``onnx-sq8`` default). Call it only right after a full build, whose store has seen every
    current text; a row deleted too eagerly costs one encoding, never a wrong result.
    Returns how many rows were deleted."""
    store = loaded.index.store
    if not isinstance(store, DatabaseEmbeddingStore):
        return 0
    stale = [key for key in TextEmbedding.objects.values_list("key", flat=True).iterator(chunk_size=5000)
             if key not in store.used]
    for start in range(0, len(stale), 500):
        TextEmbedding.objects.filter(key__in=stale[start:start + 500]).delete()
    return len(stale)


def forget_index() -> None:
    """Drop this process's index (the next use builds it again)."""
    global _LOADED
    with _LOCK:
        _LOADED = None


def prune_changes() -> None:
    """Delete change records older than :data:`KEEP_CHANGES`; a process whose index is
    older than that rebuilds it."""
    old = ProfileChange.objects.filter(changed_at__lt=timezone.now() - KEEP_CHANGES)
    newest = old.order_by("-pk").values_list("pk", flat=True).first()
    if newest is not None:
        with transaction.atomic():
            old.delete()
            RecomputeState.objects.filter(pk=1).update(pruned_below=newest + 1)
