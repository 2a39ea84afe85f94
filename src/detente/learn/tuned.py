"""The fine-tuned dyad classifier: the MiniLM encoder with a low-rank adapter, mean pooling and
a softmax head over the PLOVER types, run in numpy (training, in ``learn.finetune``, needs torch).

It reads each dyad as :func:`detente.learn.features.embedding_text` writes it: the sentence with
its two actors replaced by SOURCE and TARGET. One ``.npz`` file holds the adapter factors, the
head and a JSON header; it is loaded with ``allow_pickle=False``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from detente.errors import ModelError
from detente.learn.adapter import EncoderAdapter
from detente.learn.features import DyadInput, embedding_text
from detente.learn.linear import softmax

TUNED_FORMAT = 1
TUNED_TASK = "dyad-plover-tuned"


@dataclass
class TunedDyadModel:
    """Adapter + head; ``encoder`` (the base ``SentenceEncoder``) is loaded when first needed."""

    labels: tuple[str, ...]
    adapter: EncoderAdapter
    head_w: np.ndarray  # (n_labels, hidden)
    head_b: np.ndarray  # (n_labels,)
    meta: dict
    encoder: Any | None = None
    _adapted: Any | None = field(default=None, repr=False)

    def _encoder(self) -> Any:
        if self._adapted is None:
            if self.encoder is None:
                from detente.learn.embed import SentenceEncoder

                self.encoder = SentenceEncoder.load()
            self._adapted = self.encoder.adapted(self.adapter)
        return self._adapted

    def logits(self, items: Sequence[DyadInput]) -> np.ndarray:
        pooled = self._encoder().pooled([embedding_text(it) for it in items])
        return pooled.astype(np.float64) @ self.head_w.T.astype(np.float64) + self.head_b

    def proba(self, items: Sequence[DyadInput]) -> np.ndarray:
        """(len(items), n_labels) probabilities, rows in ``labels`` order."""
        if not items:
            return np.zeros((0, len(self.labels)))
        return softmax(self.logits(items))

    def save(self, path: str | Path) -> None:
        header = {"format": TUNED_FORMAT, "task": TUNED_TASK, "labels": list(self.labels),
                  "layers": len(self.adapter.layers), "meta": self.meta}  # fmt: skip
        arrays = self.adapter.to_arrays()
        arrays.update(
            header=np.array(json.dumps(header, sort_keys=True)),
            head_w=self.head_w.astype(np.float32),
            head_b=self.head_b.astype(np.float32),
        )
        try:
            np.savez_compressed(Path(path), **arrays)
        except OSError as exc:
            raise ModelError(f"cannot write {path}: {exc}") from exc

    @classmethod
    def load(cls, path: str | Path, encoder: Any | None = None) -> TunedDyadModel:
        try:
            with np.load(Path(path), allow_pickle=False) as npz:
                arrays = {name: npz[name] for name in npz.files}
            header = json.loads(str(arrays.pop("header")))
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(f"cannot read tuned model {path}: {exc}") from exc
        if header.get("task") != TUNED_TASK or header.get("format") != TUNED_FORMAT:
            raise ModelError(f"{path}: not a format-{TUNED_FORMAT} {TUNED_TASK} model")
        try:
            head_w, head_b = arrays["head_w"], arrays["head_b"]
        except KeyError as exc:
            raise ModelError(f"{path}: array {exc} missing") from exc
        labels = tuple(header["labels"])
        if head_w.shape[0] != len(labels) or head_b.shape != (len(labels),):
            raise ModelError(f"{path}: head shape {head_w.shape} does not fit {len(labels)} labels")
        adapter = EncoderAdapter.from_arrays(arrays, int(header["layers"]))
        return cls(labels, adapter, head_w, head_b, dict(header.get("meta", {})), encoder)
