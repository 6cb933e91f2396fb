"""Speed of the matching engine on synthetic organisations (5 texts each: 2 needs, 3 offers).

    .venv/bin/python bench/matching_speed.py [--sizes 1000,10000,50000] [--encoder use|random|none]

Measures index build (text analysis + encoding + statistics), one organisation's top-10
(p50/p95 over 200 random queries, after the build), all organisations' top-10 (with
reasons), an incremental update of one organisation (p50/p95 over 20 updates, encoding
included) and the process's peak memory. Prints one JSON document.

``--encoder random`` replaces the sentence encoder by random unit vectors of the same
dimension (512): the index work is identical, only the encoder's own cost is left out;
the encoder's throughput is then reported separately (texts per second).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("MATCHWERK_CACHE_DIR", "off")  # measure the real encoding cost

from matchwerk.engine.matching import FusionConfig, MatchIndex, OrganisationProfile, semantic  # noqa: E402
from matchwerk.engine.regions import REGIONS  # noqa: E402

NOUNS = """Auftrag Anfrage Buchung Termin Rechnung Lager Maschine Werkzeug Fräse Sensor Daten Kunde Kasse Shop
Fahrzeug Tour Route Fahrer Dach Heizung Wärme Pumpe Solar Strom Energie Pflege Dienst Plan Schicht Patient Praxis
Bäckerei Brot Torte Bier Wein Holz Glas Stoff Textil Faser Beschichtung Verpackung Etikett Marke Logo Film Foto Video
Podcast Text Übersetzung Spiel Schule Ausbildung Lehrling Wissen Handbuch Anleitung Service Wartung Störung Ersatzteil
Fertigung Montage Prüfung Qualität Prozess Kette Lieferung Transport Spedition Müll Abfall Recycling Wasser Boden
Feld Ernte Dünger Drohne Karte Vermessung Verkehr Bus Bahn Rad Parkplatz Gebäude Raum Küche Möbel Hotel Zimmer Gast
Veranstaltung Messe Webseite Kampagne Bewerbung Personal Sicherheit Verwaltung Bürger Amt Formular Antrag""".split()
SECTORS = """Tourismus Gastronomie Handwerk Industrie Maschinenbau Logistik Landwirtschaft Pflege Gesundheit Handel
Kultur Verwaltung Energie Textilindustrie Bauwesen Medien Bildung""".split()
VERBS = """planen verwalten digitalisieren automatisieren prüfen vermarkten gestalten überwachen optimieren
dokumentieren erfassen vorhersagen verkaufen vermitteln""".split()
KINDS = ["sme"] * 5 + ["startup"] * 2 + ["creative"] * 2 + ["public", "research"]


def compound(rng: random.Random) -> str:
    return rng.choice(NOUNS) + rng.choice(NOUNS).lower()


def need(rng: random.Random) -> str:
    return (f"Wir wollen {rng.choice(NOUNS)} und {compound(rng)} {rng.choice(VERBS)}, "
            f"bisher kostet die {compound(rng)} im Bereich {rng.choice(SECTORS)} viel Zeit.")


def offer(rng: random.Random) -> str:
    return (f"{compound(rng)} und {rng.choice(NOUNS)}-{rng.choice(NOUNS)} für {rng.choice(SECTORS)}: "
            f"wir {rng.choice(VERBS)} {rng.choice(NOUNS)} und {compound(rng)}")


def profile(i: int, rng: random.Random) -> OrganisationProfile:
    return OrganisationProfile(
        id=f"o{i}", kind=rng.choice(KINDS), name=f"Organisation {i}", region=rng.choice(REGIONS[:13]).name,
        needs=(need(rng), need(rng)), offers=(offer(rng), offer(rng), offer(rng)),
        topics=tuple(rng.sample(SECTORS, 2)))


class RandomEncoder(semantic.Encoder):
    """Random unit vectors (deterministic per text): the index work without the encoder."""

    name = "random"
    dim = 512

    def encode(self, texts, role):
        out = np.empty((len(texts), self.dim), np.float32)
        for i, text in enumerate(texts):
            vector = np.random.default_rng(abs(hash((text, role))) % 2**32).standard_normal(self.dim)
            out[i] = vector / np.linalg.norm(vector)
        return out


def percentile(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)) * 1000, 1)


def measure(size: int, encoder: str, all_limit: int) -> dict:
    rng = random.Random(size)
    profiles = [profile(i, rng) for i in range(size)]
    if encoder == "random":
        semantic._ENCODERS["random"] = RandomEncoder()
        config = FusionConfig(encoders=("random",), weights={"bm25": 0.667, "chars": 0.25, "sem:random": 1.0})
    elif encoder == "none":
        config = FusionConfig(encoders=())
    else:
        config = FusionConfig(encoders=(encoder,))
    started = time.perf_counter()
    index = MatchIndex.build(profiles, config)
    build = time.perf_counter() - started
    one = []
    for query in rng.sample(profiles, min(200, size)):
        started = time.perf_counter()
        index.suggest(query.id, 10)
        one.append(time.perf_counter() - started)
    all_top = None
    if size <= all_limit:
        started = time.perf_counter()
        index.suggest_many([p.id for p in profiles], 10)
        all_top = round(time.perf_counter() - started, 1)
    updates = []
    for n in range(20):
        changed = profile(size + n, rng)
        changed = OrganisationProfile(**{**changed.__dict__, "id": profiles[n].id})
        started = time.perf_counter()
        index.update(changed)
        updates.append(time.perf_counter() - started)
    return {"organisations": size, "texts": 5 * size, "encoder": encoder,
            "build_seconds": round(build, 1),
            "one_top10_ms": {"p50": percentile(one, 50), "p95": percentile(one, 95)},
            "all_top10_seconds": all_top,
            "update_ms": {"p50": percentile(updates, 50), "p95": percentile(updates, 95)},
            "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def encoder_throughput(name: str, n: int = 2000) -> dict:
    rng = random.Random(1)
    texts = [need(rng) if i % 2 else offer(rng) for i in range(n)]
    encoder = semantic.get_encoder(name)
    encoder.encode(texts[:10], semantic.QUERY)
    started = time.perf_counter()
    encoder.encode(texts, semantic.QUERY)
    seconds = time.perf_counter() - started
    return {"encoder": name, "texts": n, "texts_per_second": round(n / seconds)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--encoder", default="use", help="use (default), e5, random or none")
    parser.add_argument("--all-limit", type=int, default=10000,
                        help="compute all organisations' top-10 only up to this size (default 10000)")
    parser.add_argument("--throughput", default="", help="also measure these encoders' throughput, e.g. use,e5")
    args = parser.parse_args(argv)
    out: dict = {"cpus": os.cpu_count(), "runs": []}
    for name in filter(None, args.throughput.split(",")):
        out.setdefault("encoders", []).append(encoder_throughput(name))
    for size in map(int, args.sizes.split(",")):
        out["runs"].append(measure(size, args.encoder, args.all_limit))
        print(json.dumps(out["runs"][-1]), file=sys.stderr, flush=True)
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
