#!/usr/bin/env python
"""Batch size of the e5 engines (``e5fast.BATCH_TOKENS``) on the *tune* texts.

    python bench/e5_batch.py onnx,onnx-sq8 512,768,1024,2048 5

The texts are ESCO offers 300-428 cut to 30 words (the tune set of the int8 study in
docs/matching.md, disjoint from the 128 needs that ``matching_quality.py --encoder-speed``
reports on), passage role. Engines and batch sizes take turns in one process for the given
number of rounds; the best CPU seconds (and the wall rate of that round) per set-up are
printed as JSON.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from matching_quality import load_set  # noqa: E402

from matchwerk.engine.matching import e5fast  # noqa: E402
from matchwerk.engine.matching.semantic import PASSAGE, E5Encoder  # noqa: E402


def main() -> None:
    engines = sys.argv[1].split(",") if len(sys.argv) > 1 else ["onnx", "onnx-sq8"]
    sizes = [int(x) for x in sys.argv[2].split(",")] if len(sys.argv) > 2 else [512, 768, 1024, 2048]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    orgs, _, _ = load_set("esco")
    texts = [" ".join(t.split()[:30]) for o in orgs for t in o.get("offers") or []][300:428]
    encoders = {engine: E5Encoder(engine=engine) for engine in engines}
    for encoder in encoders.values():
        encoder.encode(texts[:2], PASSAGE)  # warm up
    best: dict[str, tuple[float, float]] = {}
    load_before = os.getloadavg()[0]
    for _ in range(rounds):
        for engine, encoder in encoders.items():
            for size in sizes:
                e5fast.BATCH_TOKENS = size
                started, cpu_started = time.perf_counter(), time.process_time()
                encoder.encode(texts, PASSAGE)
                cpu, wall = time.process_time() - cpu_started, time.perf_counter() - started
                key = f"{engine}@{size}"
                best[key] = min(best.get(key, (float("inf"), 0.0)), (cpu, wall))
    print(json.dumps({
        "bench": "e5_batch", "texts": len(texts), "rounds": rounds,
        "load average before": round(load_before, 2), "load average after": round(os.getloadavg()[0], 2),
        "cpu s (best)": {key: round(cpu, 2) for key, (cpu, _) in best.items()},
        "texts/s (that round)": {key: round(len(texts) / wall, 1) for key, (_, wall) in best.items()},
    }, indent=1))


if __name__ == "__main__":
    main()
