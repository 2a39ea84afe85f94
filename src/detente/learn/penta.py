"""The sentence-level "penta" classifier: 0 neutral/no event, 1 verbal cooperation, 2 material
cooperation, 3 verbal conflict, 4 material conflict."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from detente.errors import ModelError
from detente.learn.dyad import _SpacyBacked
from detente.learn.features import sentence_features
from detente.learn.lexicon_features import lexicon_types
from detente.learn.linear import fit_linear
from detente.learn.parsing import DEFAULT_SPACY_MODEL, load_nlp, parse

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
        return [max(p.items(), key=lambda kv: kv[1]) for p in self.predict_proba(texts)]


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
    if not pairs:
        raise ModelError("no training examples")
    meta = {
        "task": PentaClassifier.task,
        "spacy": use_spacy,
        "spacy_model": DEFAULT_SPACY_MODEL,
        "lexicon": use_lexicon,
    }
    if use_spacy and nlp is None:
        nlp = load_nlp()
    docs = parse(nlp, [t for t, _ in pairs]) if use_spacy else [None] * len(pairs)
    lexicon = lexicon_types() if use_lexicon else None
    feats = [sentence_features(t, d, lexicon) for (t, _), d in zip(pairs, docs, strict=True)]
    model = fit_linear(
        feats, [y for _, y in pairs], labels=PENTA_LABELS, weights=PENTA_WEIGHTS, c=PENTA_C,
        seed=seed, calibrate=calibrate, meta=meta,
    )  # fmt: skip
    return PentaClassifier(model, nlp)
