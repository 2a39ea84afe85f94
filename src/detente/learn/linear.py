"""A temperature-scaled softmax (multinomial logistic regression) over :class:`BlockVectorizer`
features, optionally followed by a dense block (sentence embeddings), stored as one ``.npz``
file of plain arrays (loaded with ``allow_pickle=False``)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
from scipy import sparse

from detente.errors import ModelError
from detente.learn.vectorize import BlockVectorizer, FeatureDict

FORMAT_VERSION = 1


@dataclass(frozen=True)
class LinearModel:
    """Fitted vectorizer + weights; ``meta`` carries task settings (e.g. whether spaCy is used)."""

    labels: tuple[str, ...]
    vectorizer: BlockVectorizer
    coef: np.ndarray  # (n_labels, n_features)
    intercept: np.ndarray  # (n_labels,)
    temperature: float
    meta: dict
    dense_size: int = 0  # columns after the sparse vocabulary (e.g. a sentence embedding)

    @cached_property
    def _weights64(self) -> np.ndarray:
        # Converted once: converting the whole matrix on every call cost more than the product.
        return np.ascontiguousarray(self.coef.T, dtype=np.float64)

    def logits(self, docs: Sequence[FeatureDict], dense: np.ndarray | None = None) -> np.ndarray:
        x = features_matrix(self.vectorizer, docs, dense, self.dense_size)
        return np.asarray(x @ self._weights64) + self.intercept

    def proba(self, docs: Sequence[FeatureDict], dense: np.ndarray | None = None) -> np.ndarray:
        return softmax(self.logits(docs, dense) / self.temperature)

    def save(self, path: str | Path) -> None:
        header = {
            "format": FORMAT_VERSION,
            "labels": list(self.labels),
            "weights": self.vectorizer.weights,
            "temperature": self.temperature,
            "meta": self.meta,
            "dense_size": self.dense_size,
        }
        vocab = sorted(self.vectorizer.vocab, key=self.vectorizer.vocab.__getitem__)
        arrays = {
            "header": np.array(json.dumps(header, sort_keys=True)),
            "vocab": np.array("\n".join(vocab)),
            "idf": self.vectorizer.idf.astype(np.float32),
            "coef": self.coef.astype(np.float32),
            "intercept": self.intercept.astype(np.float32),
        }
        try:
            _write_npz(Path(path), arrays)
        except OSError as exc:
            raise ModelError(f"cannot write model {path}: {exc}") from exc

    @classmethod
    def load(cls, path: str | Path) -> LinearModel:
        try:
            with np.load(path, allow_pickle=False) as z:
                header = json.loads(str(z["header"]))
                vocab_text = str(z["vocab"])
                idf = z["idf"].astype(np.float64)
                coef = z["coef"]
                intercept = z["intercept"].astype(np.float64)
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"cannot read model {path}: {exc}") from exc
        if header.get("format") != FORMAT_VERSION:
            raise ModelError(f"{path}: unsupported model format {header.get('format')!r}")
        vocab = vocab_text.split("\n") if vocab_text else []
        dense_size = int(header.get("dense_size", 0))
        columns = len(vocab) + dense_size
        if len(vocab) != len(idf) or coef.shape != (len(header["labels"]), columns):
            raise ModelError(f"{path}: inconsistent model arrays")
        vec = BlockVectorizer({k: i for i, k in enumerate(vocab)}, idf, header["weights"])
        return cls(
            tuple(header["labels"]), vec, coef, intercept, float(header["temperature"]),
            header["meta"], dense_size,
        )  # fmt: skip


def features_matrix(
    vectorizer: BlockVectorizer,
    docs: Sequence[FeatureDict],
    dense: np.ndarray | None,
    dense_size: int,
) -> sparse.csr_matrix:
    """The sparse TF-IDF features, with the dense columns appended when the model has them."""
    x = vectorizer.transform(docs)
    if dense_size == 0:
        return x
    if dense is None or dense.shape != (len(docs), dense_size):
        got = None if dense is None else dense.shape
        raise ModelError(f"this model needs dense features of shape ({len(docs)}, {dense_size}), "
                         f"got {got}")  # fmt: skip
    return sparse.hstack([x, sparse.csr_matrix(dense.astype(np.float64))], format="csr")


def _write_npz(path: Path, arrays: Mapping[str, np.ndarray]) -> None:
    """Like ``np.savez_compressed`` but byte-for-byte reproducible (fixed zip timestamps)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, arr in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.asanyarray(arr), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buf.getvalue())


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The temperature minimising the negative log-likelihood of held-out logits (grid search)."""
    best_t, best_nll = 1.0, np.inf
    for t in np.exp(np.linspace(np.log(0.2), np.log(5.0), 81)):
        p = softmax(logits / t)[np.arange(len(y)), y]
        nll = -np.log(np.clip(p, 1e-12, None)).mean()
        if nll < best_nll:
            best_t, best_nll = float(t), nll
    return best_t


def fit_linear(
    docs: Sequence[FeatureDict],
    y: Sequence[str],
    *,
    labels: Sequence[str],
    weights: Mapping[str, float],
    c: float,
    seed: int = 0,
    calibrate: bool = True,
    min_df: int = 2,
    meta: dict | None = None,
    dense: np.ndarray | None = None,
) -> LinearModel:
    """Fit vectorizer + logistic regression; with ``calibrate`` a temperature is fitted on
    5-fold out-of-fold logits (skipped when a class has fewer than 5 examples). ``dense``
    (one row per doc, already scaled) is appended to the sparse features."""
    from sklearn.linear_model import LogisticRegression  # training only
    from sklearn.model_selection import StratifiedKFold

    index = {lab: i for i, lab in enumerate(labels)}
    unknown = sorted({lab for lab in y if lab not in index})
    if unknown:
        raise ModelError(f"unknown labels in training data: {unknown}")
    if len(docs) != len(y) or not docs:
        raise ModelError("training data is empty or misaligned")
    yi = np.array([index[lab] for lab in y])
    dense_size = 0 if dense is None else int(dense.shape[1])
    if dense is not None and len(dense) != len(docs):
        raise ModelError("dense features and training data are misaligned")
    present = np.unique(yi)
    if len(present) < 2:
        raise ModelError("training data needs at least two classes")

    def _rows(vec: BlockVectorizer, sub: Sequence[FeatureDict], idx: np.ndarray):  # noqa: ANN202
        return features_matrix(vec, sub, None if dense is None else dense[idx], dense_size)

    def fit(idx: np.ndarray) -> tuple[BlockVectorizer, np.ndarray, np.ndarray]:
        sub = [docs[i] for i in idx]
        vec = BlockVectorizer.fit(sub, weights, min_df)
        if vec.size == 0:
            vec = BlockVectorizer.fit(sub, weights, 1)
        clf = LogisticRegression(C=c, max_iter=5000, random_state=seed)
        clf.fit(_rows(vec, sub, idx), yi[idx])
        coef = np.zeros((len(labels), vec.size + dense_size))
        inter = np.full(len(labels), -30.0)  # classes never seen get (almost) no probability
        coef[clf.classes_] = clf.coef_
        inter[clf.classes_] = clf.intercept_
        return vec, coef, inter

    temperature = 1.0
    counts = np.bincount(yi, minlength=len(labels))[present]
    if calibrate and counts.min() >= 5:
        oof = np.zeros((len(yi), len(labels)))
        folds = StratifiedKFold(5, shuffle=True, random_state=seed)
        for tr, te in folds.split(np.zeros(len(yi)), yi):
            vec, coef, inter = fit(tr)
            oof[te] = np.asarray(_rows(vec, [docs[i] for i in te], te) @ coef.T) + inter
        temperature = fit_temperature(oof, yi)
    vec, coef, inter = fit(np.arange(len(yi)))
    return LinearModel(
        tuple(labels),
        vec,
        coef.astype(np.float32),
        inter.astype(np.float32).astype(np.float64),
        temperature,
        dict(meta or {}),
        dense_size,
    )
