"""The dyad classifier ``classify`` uses by default: the fine-tuned encoder model blended with the
linear one.

The two make different mistakes: the linear model reads words, the parse and the predicate
lexicon; the tuned encoder reads the sentence as a whole with its actors marked. Their
probabilities are averaged with :data:`BLEND_WEIGHT` on the tuned model, then sharpened or
softened by :data:`BLEND_TEMPERATURE` so that the top probability is a calibrated confidence.
Both constants were chosen on 5-fold cross-validated predictions on plv_train
(``benchmarks/bench_classifier.py --finetune``): accuracy is within 0.005 of its best for
weights from 0.4 to 0.8, and 0.5 sits on that plateau rather than at its top; the log loss is
lowest at a temperature of 1.0, so the blend's probabilities are used as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from detente.learn.dyad import top_labels
from detente.learn.features import DyadInput
from detente.learn.tuned import TunedDyadModel

BLEND_WEIGHT = 0.5
BLEND_TEMPERATURE = 1.0


def blend(
    linear: np.ndarray,
    tuned: np.ndarray,
    weight: float = BLEND_WEIGHT,
    temperature: float = BLEND_TEMPERATURE,
) -> np.ndarray:
    """Rows of probabilities (same label order) averaged, then tempered: p ** (1/T), normalised."""
    mixed = weight * tuned + (1.0 - weight) * linear
    tempered = np.power(np.clip(mixed, 1e-12, 1.0), 1.0 / temperature)
    return tempered / tempered.sum(axis=1, keepdims=True)


@dataclass
class BlendedDyadClassifier:
    """A linear :class:`~detente.learn.dyad.DyadClassifier` and a :class:`TunedDyadModel`,
    with the same interface as the former."""

    linear: Any  # DyadClassifier
    tuned: TunedDyadModel
    weight: float = BLEND_WEIGHT
    temperature: float = BLEND_TEMPERATURE

    @property
    def labels(self) -> tuple[str, ...]:
        return self.linear.labels

    @property
    def uses_spacy(self) -> bool:
        return self.linear.uses_spacy

    def predict_proba(
        self, items: Sequence[DyadInput], docs: Sequence[Any] | None = None
    ) -> list[dict[str, float]]:
        if not items:
            return []
        linear = self.linear.predict_proba(items, docs)
        lin = np.array([[row[label] for label in self.labels] for row in linear])
        order = [self.tuned.labels.index(label) for label in self.labels]
        probs = blend(lin, self.tuned.proba(items)[:, order], self.weight, self.temperature)
        return [dict(zip(self.labels, map(float, row), strict=True)) for row in probs]

    def predict(self, items: Sequence[DyadInput]) -> list[tuple[str, float]]:
        return top_labels(self.predict_proba(items))
