"""A temperature-scaled softmax (multinomial logistic regression) over :class:`BlockVectorizer`
features, stored as one ``.npz`` file of plain arrays (loaded with ``allow_pickle=False``)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

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

    def logits(self, docs: Sequence[FeatureDict]) -> np.ndarray:
        x = self.vectorizer.transform(docs)
        return np.asarray(x @ self.coef.T.astype(np.float64)) + self.intercept

    def proba(self, docs: Sequence[FeatureDict]) -> np.ndarray:
        return softmax(self.logits(docs) / self.temperature)

    def save(self, path: str | Path) -> None:
        header = {
            "format": FORMAT_VERSION,
            "labels": list(self.labels),
            "weights": self.vectorizer.weights,
            "temperature": self.temperature,
            "meta": self.meta,
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
        if len(vocab) != len(idf) or coef.shape != (len(header["labels"]), len(vocab)):
            raise ModelError(f"{path}: inconsistent model arrays")
        vec = BlockVectorizer({k: i for i, k in enumerate(vocab)}, idf, header["weights"])
        return cls(
            tuple(header["labels"]), vec, coef, intercept, float(header["temperature"]),
            header["meta"],
        )  # fmt: skip


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
) -> LinearModel:
    """Fit vectorizer + logistic regression; with ``calibrate`` a temperature is fitted on
    5-fold out-of-fold logits (skipped when a class has fewer than 5 examples)."""
    from sklearn.linear_model import LogisticRegression  # training only
    from sklearn.model_selection import StratifiedKFold

    index = {lab: i for i, lab in enumerate(labels)}
    unknown = sorted({lab for lab in y if lab not in index})
    if unknown:
        raise ModelError(f"unknown labels in training data: {unknown}")
    if len(docs) != len(y) or not docs:
        raise ModelError("training data is empty or misaligned")
    yi = np.array([index[lab] for lab in y])
    present = np.unique(yi)
    if len(present) < 2:
        raise ModelError("training data needs at least two classes")

    def fit(idx: np.ndarray) -> tuple[BlockVectorizer, np.ndarray, np.ndarray]:
        sub = [docs[i] for i in idx]
        vec = BlockVectorizer.fit(sub, weights, min_df)
        if vec.size == 0:
            vec = BlockVectorizer.fit(sub, weights, 1)
        clf = LogisticRegression(C=c, max_iter=5000, random_state=seed)
        clf.fit(vec.transform(sub), yi[idx])
        coef = np.zeros((len(labels), vec.size))
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
            oof[te] = np.asarray(vec.transform([docs[i] for i in te]) @ coef.T) + inter
        temperature = fit_temperature(oof, yi)
    vec, coef, inter = fit(np.arange(len(yi)))
    return LinearModel(
        tuple(labels),
        vec,
        coef.astype(np.float32),
        inter.astype(np.float32).astype(np.float64),
        temperature,
        dict(meta or {}),
    )
