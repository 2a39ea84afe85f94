"""The sentence-level "penta" classifier: 0 neutral/no event, 1 verbal cooperation, 2 material
cooperation, 3 verbal conflict, 4 material conflict."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from detente.learn.dyad import TrainingSpec, _SpacyBacked, fit_classifier, top_labels
from detente.learn.features import sentence_features

PENTA_ARTEFACT = "penta.npz"
PENTA_LABELS: tuple[str, ...] = ("0", "1", "2", "3", "4")
PENTA_NAMES = ("neutral", "verbal cooperation", "material cooperation", "verbal conflict",
               "material conflict")  # fmt: skip
PENTA_WEIGHTS = {"w": 1.0, "l": 1.0, "p": 1.0}
PENTA_C = 30.0


class PentaClassifier(_SpacyBacked):
    """Predicts the penta class (0-4) of a sentence with calibrated probabilities."""

    default_artefact = PENTA_ARTEFACT
    task = "penta"

    def predict_proba(
        self, texts: Sequence[str], docs: Sequence[Any] | None = None
    ) -> list[dict[int, float]]:
        """``docs``: parses the caller already has, one per text (see ``learn.views``)."""
        if not texts:
            return []
        if docs is None or not self.uses_spacy:
            docs = self._docs(list(texts))
        lexicon = self.lexicon
        feats = [sentence_features(t, d, lexicon) for t, d in zip(texts, docs, strict=True)]
        probs = self.model.proba(feats)
        return [{int(k): float(v) for k, v in zip(self.labels, row, strict=True)} for row in probs]

    def predict(self, texts: Sequence[str]) -> list[tuple[int, float]]:
        return top_labels(self.predict_proba(texts))


PENTA_SPEC = TrainingSpec(
    PentaClassifier.task, PENTA_LABELS, PENTA_WEIGHTS, PENTA_C, sentence_features
)


def train_penta_classifier(
    examples: Iterable[tuple[str, int]],
    *,
    seed: int = 0,
    use_spacy: bool = True,
    nlp: Any | None = None,
    calibrate: bool = True,
    use_lexicon: bool = True,
) -> PentaClassifier:
    """Train on (sentence, class 0-4) pairs."""
    pairs = [(t, str(int(y))) for t, y in examples]
    model, nlp = fit_classifier(
        PENTA_SPEC, pairs, [t for t, _ in pairs], seed=seed, use_spacy=use_spacy, nlp=nlp,
        calibrate=calibrate, use_lexicon=use_lexicon,
    )  # fmt: skip
    return PentaClassifier(model, nlp)
