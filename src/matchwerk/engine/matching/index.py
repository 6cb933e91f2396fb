"""The match index: every need and offer of every organisation, ready to be scored.

Texts live in append-only rows (lexical, character n-gram and embedding rows share the
row number); updating an organisation masks its old rows and appends new ones, so an
incremental update costs the encoding of that organisation's texts only. Scores are
computed exactly for every candidate (dense matrix products for the encoders, sparse
ones for the lexical models), query organisations in batches.

Up to ``PAIR_LIMIT`` organisations the index also keeps the *pair matrix*: the best
need→offer evidence of every ordered pair of organisations (float32, slots × slots;
400 MB at 10,000 organisations). It is filled once by the build (each need × offer
product is computed once, blocks of organisations, matrix products) and kept exact by
``update``/``remove`` (one row and one column per changed organisation), so a query is a
row and a column read plus the explanations of its top list. Larger indexes score every
query against all rows (the scan).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from matchwerk.engine.inputs import Progress
from matchwerk.engine.matching.explain import explain, pick_pairs
from matchwerk.engine.matching.fusion import FusionConfig
from matchwerk.engine.matching.lexical import CharGramModel, LexicalModel
from matchwerk.engine.matching.profiles import (
    DEFAULT_PROGRAMME, KINDS, PROGRAMMES, DecisionPriors, OrganisationProfile, Suggestion,
)
from matchwerk.engine.matching.reasons import render_de
from matchwerk.engine.matching.regions import RegionTable
from matchwerk.engine.matching.semantic import embed, get_encoder

NEED, OFFER = 0, 1
_NEG = -1e9
PAIR_LIMIT = 15_000  # organisations up to which the pair matrix is kept (n² × 4 bytes)
PAIR_BLOCK = 64  # need organisations per block when the pair matrix is filled
PAIR_THREADS = max(1, min(2, os.cpu_count() or 1))  # threads filling the pair matrix


@dataclass
class _Layout:
    """Alive need/offer rows sorted by owner, with the start of each owner's run."""

    rows: np.ndarray
    owners: np.ndarray  # owner slot per run
    starts: np.ndarray
    column: np.ndarray  # text row → position in ``rows`` (-1: not in this layout)


@dataclass
class _Block:
    """Evidence of a batch of query organisations' rows against all rows of the other side."""

    ev: np.ndarray  # query rows × layout rows
    query_rows: list[np.ndarray]
    offsets: list[int]
    layout: _Layout | None

    def best(self, i: int, other_rows: np.ndarray) -> tuple[int, int, float] | None:
        rows = self.query_rows[i] if self.layout is not None else ()
        if not len(rows) or not len(other_rows):
            return None
        cols = self.layout.column[other_rows]
        sub = self.ev[self.offsets[i]:self.offsets[i] + len(rows)][:, cols]
        a, b = np.unravel_index(int(np.argmax(sub)), sub.shape)
        return int(rows[a]), int(other_rows[b]), float(sub[a, b])


class MatchIndex:
    def __init__(self, config: FusionConfig | None = None, store=None) -> None:
        self.config = config or FusionConfig()
        self.store = store  # embedding store (see semantic.embed); None: the on-disk cache
        self.weights = self.config.signal_weights()
        self.encoders = {name: get_encoder(name) for name in self.config.encoders}
        self.lexical = LexicalModel()
        self.chars = CharGramModel()
        self.embeddings = {name: np.zeros((0, enc.dim), np.float32) for name, enc in self.encoders.items()}
        self.regions = RegionTable()
        # organisations (slots are never reused)
        self.profiles: list[OrganisationProfile | None] = []
        self.slot: dict[str, int] = {}
        self.kind = np.zeros(0, np.int8)
        self.region = np.zeros(0, np.int32)
        self.topic_ids: list[frozenset[int]] = []
        self.topic_names: dict[str, int] = {}
        self._topic_matrix: sparse.csr_matrix | None = None
        self.slot_rows: list[tuple[np.ndarray, np.ndarray]] = []  # (need rows, offer rows)
        # text rows
        self.row_owner = np.zeros(0, np.int64)
        self.row_side = np.zeros(0, np.int8)
        self.row_pos = np.zeros(0, np.int32)
        self.row_shift = np.zeros(0, np.float32)  # added to a row's evidence as an offer (the about text's discount)
        self.row_alive = np.zeros(0, bool)
        self.texts: list[str] = []
        # normalisation statistics per signal: hub (offer rows), mean/sd (need rows)
        self.hub = {s: np.zeros(0, np.float32) for s in self.weights}
        self.mean = {s: np.zeros(0, np.float32) for s in self.weights}
        self.sd = {s: np.ones(0, np.float32) for s in self.weights}
        self._sample_needs = np.zeros(0, np.int64)
        self._sample_offers = np.zeros(0, np.int64)
        self._layouts: dict[int, _Layout] | None = None
        self._dense: dict = {}
        self._alive: np.ndarray | None = None
        self._pairs: np.ndarray | None = None  # best need→offer evidence, slots × slots (capacity)

    # -- building and updating ----------------------------------------------------------------
    @classmethod
    def build(cls, profiles: Iterable[OrganisationProfile], config: FusionConfig | None = None,
              progress: Progress | None = None, store=None) -> MatchIndex:
        index = cls(config, store=store)
        index._add(list(profiles), progress=progress)
        index._draw_samples()
        index._compute_stats(np.flatnonzero(index.row_alive))
        if len(index.profiles) <= PAIR_LIMIT:
            index._fill_pairs(progress)
        return index

    def update(self, profile: OrganisationProfile) -> None:
        """Add or replace one organisation (its old texts are masked, new ones appended)."""
        self.remove(profile.id)
        first = len(self.texts)
        self._add([profile])
        self._compute_stats(np.arange(first, len(self.texts)))
        if self._pairs is not None:
            if len(self.profiles) > PAIR_LIMIT:
                self._pairs = None
            else:
                self._pair_slot(len(self.profiles) - 1)

    def remove(self, organisation_id: str) -> None:
        slot = self.slot.pop(organisation_id, None)
        if slot is not None:
            self.profiles[slot] = None
            self._alive = None
            for rows in self.slot_rows[slot]:
                self.row_alive[rows] = False
            self.slot_rows[slot] = (np.zeros(0, np.int64), np.zeros(0, np.int64))
            self._layouts = None
            if self._pairs is not None:
                self._pairs[slot, :] = _NEG
                self._pairs[:, slot] = _NEG

    def __contains__(self, organisation_id: str) -> bool:
        return organisation_id in self.slot

    def __len__(self) -> int:
        return len(self.slot)

    def _add(self, profiles: Sequence[OrganisationProfile], progress: Progress | None = None) -> None:
        texts, owners, sides, positions, shifts = [], [], [], [], []
        base = len(self.profiles)
        for i, profile in enumerate(profiles):
            if profile.id in self.slot:
                raise ValueError(f"duplicate organisation {profile.id!r}")
            slot = base + i
            self.slot[profile.id] = slot
            self.profiles.append(profile)
            self.topic_ids.append(frozenset(self.topic_names.setdefault(t.strip().casefold(), len(self.topic_names))
                                            for t in profile.topics if t.strip()))
            first = len(self.texts) + len(texts)
            about = (profile.about,) if self.config.about_shift is not None and profile.about.strip() else ()
            self.slot_rows.append((np.arange(first, first + len(profile.needs)),
                                   np.arange(first + len(profile.needs),
                                             first + len(profile.needs) + len(profile.offers) + len(about))))
            for side, items in ((NEED, profile.needs), (OFFER, profile.offers + about)):
                for pos, text in enumerate(items):  # the about text: an offer row after the offers
                    texts.append(text)
                    owners.append(slot)
                    sides.append(side)
                    positions.append(pos)
                    shifts.append(self.config.about_shift if side == OFFER and pos >= len(profile.offers) else 0.0)
        self.kind = np.concatenate([self.kind, np.array([KINDS.index(p.kind) for p in profiles], np.int8)])
        self.region = np.concatenate([self.region, np.array([self.regions.index(p.region) for p in profiles],
                                                            np.int32)])
        sides_arr = np.array(sides, np.int8)
        self.row_owner = np.concatenate([self.row_owner, np.array(owners, np.int64)])
        self.row_side = np.concatenate([self.row_side, sides_arr])
        self.row_pos = np.concatenate([self.row_pos, np.array(positions, np.int32)])
        self.row_shift = np.concatenate([self.row_shift, np.array(shifts, np.float32)])
        self.row_alive = np.concatenate([self.row_alive, np.ones(len(texts), bool)])
        self.texts.extend(texts)
        if progress:
            progress(0.1, "Texte analysieren")
        self.lexical.add(texts)
        self.chars.add(texts)
        for n, (name, encoder) in enumerate(self.encoders.items()):
            if progress:
                progress(0.3 + 0.5 * n / len(self.encoders), f"Texte einbetten ({name})")
            vectors = np.zeros((len(texts), encoder.dim), np.float32)
            for side, role in zip((NEED, OFFER), self.config.roles):
                chosen = np.flatnonzero(sides_arr == side)
                if len(chosen):
                    vectors[chosen] = embed(encoder, [texts[i] for i in chosen], role, store=self.store)
            self.embeddings[name] = _append(self, ("emb", name), self.embeddings[name], vectors)
        for signal in self.weights:
            for name, table, fill in (("hub", self.hub, 0), ("mean", self.mean, 0), ("sd", self.sd, 1)):
                table[signal] = _append(self, (name, signal), table[signal], np.full(len(texts), fill, np.float32))
        self._layouts = None
        self._topic_matrix = None

    def _draw_samples(self) -> None:
        rng = np.random.default_rng(self.config.seed)
        for side in (NEED, OFFER):
            rows = np.flatnonzero(self.row_alive & (self.row_side == side) & (self.row_shift == 0))  # no about texts
            if len(rows) > self.config.sample:
                rows = np.sort(rng.choice(rows, self.config.sample, replace=False))
            if side == NEED:
                self._sample_needs = rows
            else:
                self._sample_offers = rows

    def _compute_stats(self, rows: np.ndarray) -> None:
        """Hubness of new offer rows, then mean/sd of new need rows, per signal."""
        offers = rows[self.row_side[rows] == OFFER]
        needs = rows[self.row_side[rows] == NEED]
        sample_needs, sample_offers = self._sample_needs, self._sample_offers
        alpha = self.config.csls_alpha * min(1.0, len(sample_needs) / 50)
        k = max(1, min(self.config.csls_k, len(sample_needs)))
        for signal in self.weights:
            for block in _blocks(offers, 2000):
                if len(sample_needs) and alpha > 0:
                    raw = self._raw(signal, sample_needs, block)
                    top = -np.partition(-raw, k - 1, axis=0)[:k] if k < raw.shape[0] else raw
                    self.hub[signal][block] = alpha * top.mean(axis=0)
            for block in _blocks(needs, 2000):
                if len(sample_offers):
                    raw = self._raw(signal, block, sample_offers) - self.hub[signal][sample_offers][None, :]
                    self.mean[signal][block] = raw.mean(axis=1)
                    self.sd[signal][block] = np.maximum(raw.std(axis=1), self.config.sd_floor)

    # -- scoring --------------------------------------------------------------------------------
    def _raw(self, signal: str, need_rows: np.ndarray, offer_rows: np.ndarray) -> np.ndarray:
        if signal == "bm25":
            return self.lexical.scores(need_rows, offer_rows)
        if signal == "chars":  # symmetric: the small side as queries is much cheaper
            if len(need_rows) > len(offer_rows):
                return self.chars.scores(offer_rows, need_rows).T
            return self.chars.scores(need_rows, offer_rows)
        name = signal[4:]
        return self._vectors(name, need_rows) @ self._vectors(name, offer_rows).T

    def _vectors(self, name: str, rows: np.ndarray) -> np.ndarray:
        """Embeddings of ``rows``; large row sets (the layouts) are kept contiguous."""
        if len(rows) < 256:
            return self.embeddings[name][rows]
        key = (name, id(rows))
        hit = self._dense.get(key)
        if hit is None or hit[0] is not rows:  # rows are append-only: a subset never changes
            if len(self._dense) > 8:
                self._dense.clear()
            hit = self._dense[key] = (rows, len(self.texts), np.ascontiguousarray(self.embeddings[name][rows]))
        return hit[2]

    def evidence(self, need_rows: np.ndarray, offer_rows: np.ndarray) -> np.ndarray:
        """Fused, normalised evidence (need rows × offer rows): the weighted mean of the
        signals' z-scores."""
        total = np.zeros((len(need_rows), len(offer_rows)), np.float32)
        for signal, weight in self.weights.items():
            if weight == 0:
                continue
            raw = self._raw(signal, need_rows, offer_rows) - self.hub[signal][offer_rows][None, :]
            total += weight * (raw - self.mean[signal][need_rows][:, None]) / self.sd[signal][need_rows][:, None]
        return total / max(1e-9, sum(self.weights.values())) + self.row_shift[offer_rows][None, :]

    def similarity(self, need_row: int, offer_row: int) -> float:
        """Semantic cosine of one need and one offer (the first encoder; 0 without one)."""
        for name in self.encoders:
            vectors = self.embeddings[name]
            return float(vectors[need_row] @ vectors[offer_row])
        return 0.0

    def _layout(self, side: int) -> _Layout:
        if self._layouts is None:
            self._layouts = {}
            for s in (NEED, OFFER):
                rows = np.flatnonzero(self.row_alive & (self.row_side == s))
                rows = rows[np.argsort(self.row_owner[rows], kind="stable")]
                owners = self.row_owner[rows]
                starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]]) if len(rows) else np.zeros(0, int)
                column = np.full(len(self.row_alive), -1, np.int64)
                column[rows] = np.arange(len(rows))
                self._layouts[s] = _Layout(rows, owners[starts], starts, column)
        return self._layouts[side]

    def _direction(self, query_slots: list[int], side: int) -> tuple[np.ndarray, _Block]:
        """Best evidence per (query organisation, other organisation): side NEED means the
        query's needs against everyone's offers, OFFER the query's offers against needs."""
        n_slots = len(self.profiles)
        out = np.full((len(query_slots), n_slots), _NEG, np.float32)
        other = self._layout(OFFER if side == NEED else NEED)
        query_rows = [self.slot_rows[slot][side] for slot in query_slots]
        offsets = np.cumsum([0] + [len(rows) for rows in query_rows])[:-1].tolist()
        all_rows = np.concatenate(query_rows) if query_rows else np.zeros(0, np.int64)
        if not len(other.rows) or not len(all_rows):
            return out, _Block(np.zeros((0, 0), np.float32), query_rows, offsets, None)
        if side == NEED:
            ev = self.evidence(all_rows, other.rows)
        else:
            ev = self.evidence(other.rows, all_rows).T
        start = 0
        for i, rows in enumerate(query_rows):
            if len(rows):
                best = ev[start:start + len(rows)].max(axis=0)
                out[i, other.owners] = np.maximum.reduceat(best, other.starts)
            start += len(rows)
        return out, _Block(ev, query_rows, offsets, other)

    # -- the pair matrix -------------------------------------------------------------------------
    def _fill_pairs(self, progress: Progress | None = None) -> None:
        """Best need→offer evidence of every ordered pair of organisations (see module doc)."""
        n = len(self.profiles)
        capacity = n + max(16, n // 16)
        self._pairs = np.full((capacity, capacity), _NEG, np.float32)
        offers = self._layout(OFFER)
        if not len(offers.rows):
            return
        with_needs = [slot for slot in range(n) if len(self.slot_rows[slot][NEED])]
        blocks = list(_blocks(np.asarray(with_needs, np.int64), PAIR_BLOCK))

        def fill(block: np.ndarray) -> None:
            rows = [self.slot_rows[slot][NEED] for slot in block]
            starts = np.cumsum([0] + [len(r) for r in rows])[:-1]
            ev = self.evidence(np.concatenate(rows), offers.rows)
            per_owner = np.maximum.reduceat(ev, offers.starts, axis=1)
            self._pairs[np.ix_(block, offers.owners)] = np.maximum.reduceat(per_owner, starts, axis=0)

        if blocks:
            fill(blocks[0])  # fills the caches of the row subsets before threads share them
        workers = max(1, min(PAIR_THREADS, len(blocks) - 1))
        with ThreadPoolExecutor(workers) as pool:  # numpy/scipy release the GIL in the products
            for b, _ in enumerate(pool.map(fill, blocks[1:])):
                if progress and b % 8 == 0:
                    progress(0.85 + 0.15 * (b + 1) / len(blocks), "Paare bewerten")

    def _pair_slot(self, slot: int) -> None:
        """Row (its needs against all offers) and column (all needs against its offers) of
        a new slot, computed against all text rows at once (no row subsets to rebuild)."""
        n = len(self.profiles)
        if n > self._pairs.shape[0]:
            grown = np.full((n + max(16, n // 16),) * 2, _NEG, np.float32)
            old = self._pairs.shape[0]
            grown[:old, :old] = self._pairs
            self._pairs = grown
        self._pairs[slot, :] = _NEG
        self._pairs[:, slot] = _NEG
        owner = self.row_owner
        starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]]) if len(owner) else np.zeros(0, np.int64)
        owners = owner[starts]
        needs, offers = self.slot_rows[slot]
        if not len(needs) and not len(offers):
            return
        forward, reverse = self._evidence_all(needs, offers)
        for side, ev in ((NEED, forward), (OFFER, reverse)):
            if ev is None:
                continue
            best = ev.max(axis=0)
            best[~(self.row_alive & (self.row_side != side))] = _NEG
            per_owner = np.maximum.reduceat(best, starts)
            if side == NEED:
                self._pairs[slot, owners] = per_owner
            else:
                self._pairs[owners, slot] = per_owner
        self._pairs[slot, slot] = _NEG

    def _evidence_all(self, needs: np.ndarray, offers: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        """Fused evidence of ``needs`` against every text row as an offer and of ``offers``
        against every text row as a need, each (len(rows) × all rows); one pass over each
        signal's rows. Columns of the same side are meaningless (the caller masks them)."""
        both = np.concatenate([needs, offers])
        k = len(needs)
        forward = np.zeros((len(needs), len(self.texts)), np.float32) if len(needs) else None
        reverse = np.zeros((len(offers), len(self.texts)), np.float32) if len(offers) else None
        total_weight = max(1e-9, sum(self.weights.values()))
        for signal, weight in self.weights.items():
            if weight == 0:
                continue
            if signal == "bm25":
                raw_n = self.lexical.scores_all(needs, as_queries=True) if len(needs) else None
                raw_o = self.lexical.scores_all(offers, as_queries=False) if len(offers) else None
            else:
                if signal == "chars":
                    raw = self.chars.scores_all(both)
                else:
                    vectors = self.embeddings[signal[4:]]
                    raw = vectors[both] @ vectors.T
                raw_n, raw_o = raw[:k], raw[k:]
            w = weight / total_weight
            hub, mean, sd = self.hub[signal], self.mean[signal], self.sd[signal]
            if forward is not None:
                forward += w * ((raw_n - hub[None, :] - mean[needs][:, None]) / sd[needs][:, None])
            if reverse is not None:
                reverse += w * ((raw_o - hub[offers][:, None] - mean[None, :]) / sd[None, :])
        if forward is not None:
            forward += self.row_shift[None, :]
        if reverse is not None:
            reverse += self.row_shift[offers][:, None]
        return forward, reverse

    def _pair_context(self, query_slots: list[int]):
        """Like :meth:`_context`, read from the pair matrix (explanations are computed for
        the top list only)."""
        n = len(self.profiles)
        forward = self._pairs[query_slots, :n]
        reverse = self._pairs[:n, query_slots].T
        high, low = np.maximum(forward, reverse), np.minimum(forward, reverse)
        text = np.where(low > _NEG / 2, high + self.config.both_sides * np.maximum(low, 0), high)
        topics = self._topics()
        shared = np.asarray((topics[query_slots] @ topics.T).todense(), dtype=np.float32)
        distance = self.regions.distances(self.region[query_slots], self.region)
        return text, shared, distance, None

    def _explain_pairs(self, slot: int, others: list[int]) -> list[list[tuple[str, int, int, float]]]:
        """The (direction, need row, offer row, strength) pairs to name between the query
        organisation and each of ``others`` (:func:`explain.pick_pairs`, batched)."""
        return pick_pairs(self, slot, others)

    def _context(self, query_slots: list[int]):
        """Text evidence, shared-topic counts, distances (query organisations × all) and the
        evidence blocks of both directions (for the explanations)."""
        forward, forward_block = self._direction(query_slots, NEED)
        reverse, reverse_block = self._direction(query_slots, OFFER)
        high, low = np.maximum(forward, reverse), np.minimum(forward, reverse)
        text = np.where(low > _NEG / 2, high + self.config.both_sides * np.maximum(low, 0), high)
        topics = self._topics()
        shared = np.asarray((topics[query_slots] @ topics.T).todense(), dtype=np.float32)
        distance = self.regions.distances(self.region[query_slots], self.region)
        return text, shared, distance, (forward_block, reverse_block)

    # -- suggestions -----------------------------------------------------------------------------
    def suggest(self, query_id: str, top: int = 10, *, programme: str | None = None,
                pairs: frozenset[frozenset[str]] | None = None, exclude: Iterable[str] = (),
                candidates: Iterable[str] | None = None, priors: DecisionPriors | None = None) -> list[Suggestion]:
        """The best ``top`` partners for one organisation, best first (see :meth:`suggest_many`)."""
        return self.suggest_many([query_id], top, programme=programme, pairs=pairs,
                                 exclude={query_id: set(exclude)}, candidates=candidates, priors=priors)[query_id]

    def suggest_many(self, query_ids: Sequence[str], top: int = 10, *, programme: str | None = None,
                     pairs: frozenset[frozenset[str]] | None = None,
                     exclude: dict[str, set[str]] | None = None, candidates: Iterable[str] | None = None,
                     priors: DecisionPriors | None = None, batch: int = 64,
                     progress: Progress | None = None) -> dict[str, list[Suggestion]]:
        """Suggestions for many organisations.

        Never the organisation itself; only kinds the programme pairs (``pairs`` overrides
        ``programme``; default: cross-innovation); never an id in ``exclude[query]`` (already
        matched, rejected by the team, …); only ids in ``candidates`` when given (e.g. those
        who consented). Sorted by score, ties by id, so the result is deterministic.
        """
        allowed_pairs = pairs if pairs is not None else PROGRAMMES[programme or DEFAULT_PROGRAMME]
        compat = np.array([[frozenset((a, b)) in allowed_pairs for b in KINDS] for a in KINDS])
        base_mask = self.alive.copy()
        if candidates is not None:
            allowed = np.zeros(len(self.profiles), bool)
            allowed[[self.slot[c] for c in candidates if c in self.slot]] = True
            base_mask &= allowed
        exclude = exclude or {}
        cfg = self.config
        results: dict[str, list[Suggestion]] = {}
        for b, chunk in enumerate(_blocks(np.asarray(list(query_ids), dtype=object), batch)):
            if progress:
                progress(b * batch / max(1, len(query_ids)), "Vorschläge berechnen")
            slots = [self.slot[q] for q in chunk]
            context = self._pair_context if self._pairs is not None else self._context
            text, shared, distance, blocks = context(slots)
            total = (text + cfg.topic_weight * np.minimum(shared, 3) / 3
                     + cfg.region_weight * np.exp(-np.nan_to_num(distance, nan=1e6) / cfg.region_scale_km))
            for i, (query_id, slot) in enumerate(zip(chunk, slots)):
                mask = base_mask & compat[self.kind[slot]][self.kind] & (text[i] > _NEG / 2)
                mask[slot] = False
                for other in exclude.get(query_id, ()):
                    if other in self.slot:
                        mask[self.slot[other]] = False
                results[query_id] = self._top(slot, total[i], mask, distance[i], top, priors, blocks, i)
        return results

    def scores(self, query_id: str, *, programme: str | None = None, pairs: frozenset[frozenset[str]] | None = None,
               exclude: Iterable[str] = (), candidates: Iterable[str] | None = None,
               priors: DecisionPriors | None = None) -> dict[str, float]:
        """The score of every organisation ``query_id`` may be suggested with (same rules
        as :meth:`suggest_many`, no explanations). The score is symmetric: it is also the
        score ``query_id`` has in each of those organisations' lists (kind rules, topics,
        distance, exclusions and priors are symmetric), so it tells which lists a changed
        organisation can enter."""
        allowed_pairs = pairs if pairs is not None else PROGRAMMES[programme or DEFAULT_PROGRAMME]
        compat = np.array([[frozenset((a, b)) in allowed_pairs for b in KINDS] for a in KINDS])
        slot = self.slot[query_id]
        mask = self.alive.copy()
        if candidates is not None:
            allowed = np.zeros(len(self.profiles), bool)
            allowed[[self.slot[c] for c in candidates if c in self.slot]] = True
            mask &= allowed
        context = self._pair_context if self._pairs is not None else self._context
        text, shared, distance, _ = context([slot])
        cfg = self.config
        total = (text[0] + cfg.topic_weight * np.minimum(shared[0], 3) / 3
                 + cfg.region_weight * np.exp(-np.nan_to_num(distance[0], nan=1e6) / cfg.region_scale_km))
        mask &= compat[self.kind[slot]][self.kind] & (text[0] > _NEG / 2)
        mask[slot] = False
        for other in exclude:
            if other in self.slot:
                mask[self.slot[other]] = False
        chosen = np.flatnonzero(mask)
        values = 1.0 / (1.0 + np.exp(-(total[chosen].astype(np.float64) - cfg.score_centre) / cfg.score_scale))
        query = self.profiles[slot]
        out = {}
        for other, score in zip(chosen, values):
            profile = self.profiles[other]
            if priors is not None:
                topics = tuple(sorted({t for t in profile.topics if t.strip().casefold()
                                       in {x.strip().casefold() for x in query.topics}})) if priors.topics else ()
                score = priors.adjust(score, query.kind, profile.kind, topics)
            out[profile.id] = round(float(score), 4)
        return out

    def _top(self, slot, total, mask, distance, top, priors, blocks, i) -> list[Suggestion]:
        cfg = self.config
        chosen = np.flatnonzero(mask)
        if not len(chosen) or top <= 0:
            return []
        keep = min(len(chosen), top * 3 if priors else top + 5)  # margin: ties are broken by id below
        order = chosen[np.argpartition(-total[chosen], keep - 1)[:keep]] if keep < len(chosen) else chosen
        query = self.profiles[slot]
        scored = []
        for other in order:
            profile = self.profiles[other]
            topics = tuple(sorted({t for t in profile.topics if t.strip().casefold()
                                   in {x.strip().casefold() for x in query.topics}}))
            score = cfg.score(float(total[other]))
            if priors is not None:
                score = priors.adjust(score, query.kind, profile.kind, topics)
            dist = None if np.isnan(distance[other]) else float(distance[other])
            scored.append((score, profile.id, other, topics, dist))
        scored.sort(key=lambda item: (-round(item[0], 6), item[1]))
        out = []
        chosen_pairs = self._explain_pairs(slot, [item[2] for item in scored[:top]])
        for n, (score, other_id, other, topics, dist) in enumerate(scored[:top]):
            if chosen_pairs is not None:
                pairs = chosen_pairs[n]
            else:
                pairs = []
                for direction, block in zip(("need", "offer"), blocks):
                    found = block.best(i, self.slot_rows[other][OFFER if direction == "need" else NEED])
                    if found is not None:
                        query_row, other_row, strength = found
                        pairs.append((direction, *((query_row, other_row) if direction == "need"
                                                   else (other_row, query_row)), strength))
            details, codes = explain(self, pairs, topics, dist)
            out.append(Suggestion(id=other_id, score=round(score, 4), reasons=tuple(map(render_de, codes)),
                                  details=details, shared_topics=topics, distance_km=dist, codes=codes,
                                  strength=cfg.strength(score)))
        return out

    @property
    def alive(self) -> np.ndarray:
        """Slots of organisations in the index (removed ones are False)."""
        if self._alive is None or len(self._alive) != len(self.profiles):
            self._alive = np.array([p is not None for p in self.profiles], bool)
        return self._alive

    def rows_of(self, slot: int, side: int) -> np.ndarray:
        return self.slot_rows[slot][side]

    def _topics(self) -> sparse.csr_matrix:
        if self._topic_matrix is None:
            rows = [r for r, ids in enumerate(self.topic_ids) for _ in ids]
            cols = [c for ids in self.topic_ids for c in ids]
            self._topic_matrix = sparse.csr_matrix(
                (np.ones(len(rows), np.float32), (rows, cols)),
                shape=(len(self.topic_ids), max(1, len(self.topic_names))))
        return self._topic_matrix


def _append(index: MatchIndex, key, current: np.ndarray, new: np.ndarray) -> np.ndarray:
    """``current`` followed by ``new`` as a view of a buffer with spare rows, so that
    appending a few rows does not copy the whole array (append-only: earlier views stay
    valid for their rows)."""
    buffers = index.__dict__.setdefault("_buffers", {})
    buffer = buffers.get(key)
    n, m = len(current), len(new)
    if buffer is None or buffer.shape[0] < n + m or (n and not np.shares_memory(buffer, current)):
        buffer = np.empty((n + m + max(64, (n + m) // 8),) + current.shape[1:], current.dtype)
        buffer[:n] = current
        buffers[key] = buffer
    buffer[n:n + m] = new
    return buffer[:n + m]


def _blocks(values: np.ndarray, size: int):
    for start in range(0, len(values), size):
        yield values[start:start + size]
