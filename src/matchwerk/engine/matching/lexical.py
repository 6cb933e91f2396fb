"""Lexical model: BM25 over German terms (stems, compound parts, folded umlauts).

Texts live in rows that are only ever appended; a removed or replaced text is masked
out by its owner (see :mod:`index`). Document frequencies grow with every added text,
so the weights of late additions use the statistics at the time they were added —
a full rebuild (``MatchIndex.build``) refreshes them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

from matchwerk.engine.matching.text import STOPWORDS, Analysis, Vocabulary, analyse, words

K1 = 1.2
B = 0.75
SPECIFIC_SHARE = 0.05  # a term in more than 5 % of the texts (and more than 3) is not named in reasons
SPECIFIC_MIN_DF = 3


class LexicalModel:
    """BM25 document weights for every row and binary query vectors on demand."""

    def __init__(self) -> None:
        self.vocabulary = Vocabulary()
        self.columns: dict[str, int] = {}
        self.df: list[int] = []
        self.n_docs = 0
        self.total_length = 0.0
        self.analyses: list[Analysis] = []
        self._chunks: list[sparse.csr_matrix] = []
        self._matrix: sparse.csr_matrix | None = None
        self._queries: sparse.csr_matrix | None = None
        self._idf_cache: np.ndarray | None = None

    # -- building ---------------------------------------------------------------------------
    def add(self, texts: Sequence[str], *, extend_vocabulary: bool = True) -> None:
        """Append rows for ``texts`` (in order)."""
        if extend_vocabulary:
            self.vocabulary.add_texts(texts)
        analyses = [analyse(text, self.vocabulary) for text in texts]
        for analysis in analyses:
            for term in analysis.terms:
                col = self.columns.get(term)
                if col is None:
                    col = self.columns[term] = len(self.df)
                    self.df.append(0)
                self.df[col] += 1
            self.total_length += sum(analysis.terms.values())
        self.n_docs += len(analyses)
        self.analyses.extend(analyses)
        self._idf_cache = None
        self._chunks.append(self._weights(analyses))
        self._matrix = None

    def _idf(self, cols: np.ndarray) -> np.ndarray:
        if self._idf_cache is None:
            df = np.asarray(self.df, dtype=np.float64)
            self._idf_cache = np.log1p((self.n_docs - df + 0.5) / (df + 0.5))
        return self._idf_cache[cols]

    def _weights(self, analyses: list[Analysis]) -> sparse.csr_matrix:
        avgdl = self.total_length / max(1, self.n_docs)
        indptr, indices, values = [0], [], []
        for analysis in analyses:
            length = sum(analysis.terms.values())
            cols = np.fromiter((self.columns[t] for t in analysis.terms), dtype=np.int64, count=len(analysis.terms))
            tf = np.fromiter(analysis.terms.values(), dtype=np.float64, count=len(analysis.terms))
            norm = K1 * (1 - B + B * length / max(avgdl, 1e-9))
            indices.extend(cols.tolist())
            values.extend((self._idf(cols) * tf * (K1 + 1) / (tf + norm)).tolist())
            indptr.append(len(indices))
        return sparse.csr_matrix((np.asarray(values, dtype=np.float32), np.asarray(indices, dtype=np.int64),
                                  np.asarray(indptr, dtype=np.int64)), shape=(len(analyses), 1))

    @property
    def matrix(self) -> sparse.csr_matrix:
        """All rows as one CSR matrix (rows × terms)."""
        if self._matrix is None:
            self._matrix = _stack_chunks(self._chunks, len(self.df))
            self._chunks = [self._matrix]
        return self._matrix

    # -- querying ---------------------------------------------------------------------------
    def query_vectors(self, rows: Sequence[int] | np.ndarray) -> sparse.csr_matrix:
        """Query vectors of stored rows: term presence (capped at 1), weighted by idf share
        so that every query sums to 1 — scores are then comparable across queries."""
        if self._queries is None:
            self._queries = self._query_vectors(range(self.n_docs))
        elif self._queries.shape[0] != self.n_docs:  # incremental: only the new rows
            old = self._queries
            new = self._query_vectors(range(old.shape[0], self.n_docs))
            old = sparse.csr_matrix((old.data, old.indices, old.indptr), shape=(old.shape[0], new.shape[1]))
            self._queries = sparse.vstack([old, new], format="csr")
        return self._queries[np.asarray(rows, dtype=np.int64)]

    def _query_vectors(self, rows) -> sparse.csr_matrix:
        width = len(self.df)
        indptr, indices, values = [0], [], []
        for row in rows:
            terms = self.analyses[row].terms
            cols = np.fromiter((self.columns[t] for t in terms), dtype=np.int64, count=len(terms))
            weight = np.minimum(np.fromiter(terms.values(), dtype=np.float64, count=len(terms)), 1.0)
            total = float((weight * self._idf(cols)).sum()) * (K1 + 1)
            indices.extend(cols.tolist())
            values.extend((weight / total if total > 0 else weight * 0).tolist())
            indptr.append(len(indices))
        return sparse.csr_matrix((np.asarray(values, dtype=np.float32), np.asarray(indices, dtype=np.int64),
                                  np.asarray(indptr, dtype=np.int64)), shape=(len(rows), width))

    def scores(self, query_rows: Sequence[int], doc_rows: np.ndarray | None = None) -> np.ndarray:
        """Dense (queries × docs) BM25 scores normalised by each query's best possible score."""
        queries = _slice(self, "q", query_rows, lambda rows: self.query_vectors(rows))
        docs_t = _slice(self, "dT", doc_rows, lambda rows: (self.matrix if rows is None else
                                                            _take(self, rows)).T.tocsr())
        return _product(queries, docs_t)

    def scores_all(self, rows: np.ndarray, as_queries: bool) -> np.ndarray:
        """Scores of ``rows`` against every stored row: (len(rows) × all rows). As queries
        (``rows`` are needs, every row a document) or as documents (every row a query)."""
        width = len(self.df)
        if len(self._chunks) > 32:
            self.matrix  # noqa: B018 - consolidates the chunks
        if as_queries:
            dense = self.query_vectors(rows).toarray().T
            return _chunks_product(self._chunks, width, dense)
        self.query_vectors(np.zeros(0, np.int64))  # extends the stored query vectors
        dense = _take(self, rows).toarray().T
        return np.ascontiguousarray((self._queries @ dense[:self._queries.shape[1]]).T, dtype=np.float32)

    def specific(self, term: str) -> bool:
        """A term specific enough in this network to name as a reason: a word of at most
        ``max(3, 5 %)`` of all texts (IDF over every need and offer of every profile)."""
        col = self.columns.get(term)
        return col is not None and self.df[col] <= max(SPECIFIC_MIN_DF, SPECIFIC_SHARE * self.n_docs)

    def shared_terms(self, a: int, b: int, limit: int = 4) -> list[str]:
        """Surface words of row ``a`` whose terms also occur in row ``b`` and are specific
        in the network (:meth:`specific`), rarest first."""
        terms_a, terms_b = self.analyses[a], self.analyses[b]
        shared = [t for t in terms_a.terms if t in terms_b.terms and self.specific(t)]
        shared.sort(key=lambda t: (self.df[self.columns[t]], t))
        out: list[str] = []
        for term in shared:
            word = terms_a.surfaces[term]
            if word not in out:
                out.append(word)
            if len(out) == limit:
                break
        return out


def _slice(model, kind: str, rows, make):
    """Row subsets of a model's matrices, remembered for large, long-lived row arrays
    (the index's layouts) so that a query does not copy the whole matrix each time."""
    if rows is None or not isinstance(rows, np.ndarray) or len(rows) < 256:
        return make(rows)
    cache = model.__dict__.setdefault("_slices", {})
    key = (kind, id(rows))
    hit = cache.get(key)
    if hit is not None and hit[0] is rows:  # rows are append-only: a subset never changes
        return hit[2]
    if len(cache) > 8:
        cache.clear()
    value = make(rows)
    cache[key] = (rows, model.n_docs, value)
    return value


def _product(queries: sparse.csr_matrix, docs_t: sparse.csr_matrix) -> np.ndarray:
    """Dense ``queries @ docs_t``; either side may have been sliced before the vocabulary
    grew (terms are only appended, so the missing terms are empty)."""
    width = max(queries.shape[1], docs_t.shape[0])
    if queries.shape[1] < width:
        queries = sparse.csr_matrix((queries.data, queries.indices, queries.indptr), shape=(queries.shape[0], width))
    if docs_t.shape[0] < width:
        indptr = np.concatenate([docs_t.indptr, np.full(width - docs_t.shape[0], docs_t.indptr[-1], docs_t.indptr.dtype)])
        docs_t = sparse.csr_matrix((docs_t.data, docs_t.indices, indptr), shape=(width, docs_t.shape[1]))
    return (queries @ docs_t).toarray().astype(np.float32, copy=False)


def _widened(chunk: sparse.csr_matrix, width: int) -> sparse.csr_matrix:
    return sparse.csr_matrix((chunk.data, chunk.indices, chunk.indptr), shape=(chunk.shape[0], width))


def _chunks_product(chunks: list[sparse.csr_matrix], width: int, dense: np.ndarray) -> np.ndarray:
    """(all rows @ dense).T without stacking the row chunks (an update appends one)."""
    parts = [_widened(c, width) @ dense for c in chunks]
    out = np.concatenate(parts) if parts else np.zeros((0, dense.shape[1]))
    return np.ascontiguousarray(out.T, dtype=np.float32)


def _take(model, rows: np.ndarray) -> sparse.csr_matrix:
    """Rows of a model's matrix; rows of the last appended chunk (a new organisation's)
    without stacking the chunks, others from the stacked matrix (stacked once)."""
    rows = np.asarray(rows, dtype=np.int64)
    chunks, width = model._chunks, len(model.df)
    if len(chunks) > 1:
        start = model.n_docs - chunks[-1].shape[0]
        if len(rows) and rows.min() >= start:
            return _widened(chunks[-1], width)[rows - start]
    return model.matrix[rows]


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


class CharGramModel:
    """TF-IDF over character 4- and 5-grams of words (cosine): catches compounds and
    derivations that stems miss (``Überwachung`` ~ ``Überwacher``, ``Finanzmakler`` ~
    ``Makler``). Rows are appended like in :class:`LexicalModel`."""

    SIZES = (4, 5)

    def __init__(self) -> None:
        self.columns: dict[str, int] = {}
        self.df: list[int] = []
        self.n_docs = 0
        self._chunks: list[sparse.csr_matrix] = []
        self._matrix: sparse.csr_matrix | None = None

    @classmethod
    def grams(cls, text: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for word in words(text):
            if word in STOPWORDS:
                continue
            padded = f" {word.translate(_UMLAUTS)} "
            for size in cls.SIZES:
                for i in range(len(padded) - size + 1):
                    gram = padded[i:i + size]
                    counts[gram] = counts.get(gram, 0) + 1
        return counts

    def add(self, texts: Sequence[str]) -> None:
        rows = [self.grams(text) for text in texts]
        for row in rows:
            for gram in row:
                col = self.columns.get(gram)
                if col is None:
                    col = self.columns[gram] = len(self.df)
                    self.df.append(0)
                self.df[col] += 1
        self.n_docs += len(rows)
        df = np.asarray(self.df, dtype=np.float64)
        indptr, indices, values = [0], [], []
        for row in rows:
            cols = np.fromiter((self.columns[g] for g in row), dtype=np.int64, count=len(row))
            tf = 1.0 + np.log(np.fromiter(row.values(), dtype=np.float64, count=len(row)))
            weight = tf * (np.log((self.n_docs + 1) / (df[cols] + 1)) + 1.0)
            norm = float(np.sqrt((weight * weight).sum()))
            indices.extend(cols.tolist())
            values.extend((weight / norm if norm > 0 else weight).tolist())
            indptr.append(len(indices))
        self._chunks.append(sparse.csr_matrix(
            (np.asarray(values, dtype=np.float32), np.asarray(indices, dtype=np.int64),
             np.asarray(indptr, dtype=np.int64)), shape=(len(rows), 1)))
        self._matrix = None

    @property
    def matrix(self) -> sparse.csr_matrix:
        """All rows as one CSR matrix (rows × terms)."""
        if self._matrix is None:
            self._matrix = _stack_chunks(self._chunks, len(self.df))
            self._chunks = [self._matrix]
        return self._matrix

    def scores_all(self, rows: np.ndarray) -> np.ndarray:
        """Cosines of ``rows`` against every stored row: (len(rows) × all rows)."""
        width = len(self.df)
        if len(self._chunks) > 32:
            self.matrix  # noqa: B018 - consolidates the chunks
        dense = _take(self, rows).toarray().T
        return _chunks_product(self._chunks, width, dense)

    def scores(self, query_rows: Sequence[int] | np.ndarray, doc_rows: np.ndarray | None = None) -> np.ndarray:
        queries = _slice(self, "q", query_rows, lambda rows: _take(self, rows))
        docs_t = _slice(self, "dT", doc_rows, lambda rows: (self.matrix if rows is None else
                                                            _take(self, rows)).T.tocsr())
        return _product(queries, docs_t)


def _stack_chunks(chunks: list[sparse.csr_matrix], width: int) -> sparse.csr_matrix:
    """Rows appended in chunks (each as wide as the vocabulary was then) as one CSR matrix
    of the current vocabulary width."""
    if not chunks:
        return sparse.csr_matrix((0, width))
    return sparse.vstack([sparse.csr_matrix((c.data, c.indices, c.indptr), shape=(c.shape[0], width))
                          for c in chunks], format="csr")
