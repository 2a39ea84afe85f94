"""TF-IDF over namespaced feature strings, one L2-normalised block per namespace.

The fitted state is plain data (a vocabulary list, idf values and block weights), so it is saved
as JSON + ``.npz`` instead of a pickle.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

FeatureDict = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class BlockVectorizer:
    """Sublinear TF-IDF per namespace; ``weights`` scales each block after L2 normalisation."""

    vocab: dict[str, int]
    idf: np.ndarray
    weights: dict[str, float]

    @classmethod
    def fit(
        cls, docs: Sequence[FeatureDict], weights: Mapping[str, float], min_df: int = 2
    ) -> BlockVectorizer:
        df: Counter[str] = Counter()
        for d in docs:
            keys: set[str] = set()
            for ns, feats in d.items():
                if weights.get(ns, 0.0) > 0:
                    keys.update(f"{ns}:{f}" for f in feats)
            df.update(keys)
        kept = sorted(k for k, v in df.items() if v >= min_df)
        n = len(docs)
        raw = [math.log((1 + n) / (1 + df[k])) + 1.0 for k in kept]
        idf = np.array(raw, dtype=np.float32).astype(np.float64)  # what a saved model holds
        return cls({k: i for i, k in enumerate(kept)}, idf, dict(weights))

    @property
    def size(self) -> int:
        return len(self.vocab)

    def transform(self, docs: Sequence[FeatureDict]) -> sparse.csr_matrix:
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for r, d in enumerate(docs):
            for ns, feats in d.items():
                w = self.weights.get(ns, 0.0)
                if w <= 0:
                    continue
                counts = Counter(self.vocab.get(f"{ns}:{f}", -1) for f in feats)
                counts.pop(-1, None)
                if not counts:
                    continue
                idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
                tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
                v = tf * self.idf[idx]
                v *= w / np.linalg.norm(v)
                rows.extend([r] * len(idx))
                cols.extend(idx.tolist())
                vals.extend(v.tolist())
        return sparse.csr_matrix(
            (
                np.asarray(vals),
                (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)),
            ),
            shape=(len(docs), self.size),
        )
