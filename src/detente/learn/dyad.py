"""The statistical dyad classifier: sentence + source/target actor texts -> PLOVER event type."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from detente.errors import ModelError
from detente.learn.data import PLOVER_LABELS, normalise_plover
from detente.learn.features import DyadInput, dyad_features, embedding_text
from detente.learn.lexicon_features import lexicon_types
from detente.learn.linear import LinearModel, fit_linear
from detente.learn.parsing import DEFAULT_SPACY_MODEL, load_nlp, parse

if TYPE_CHECKING:
    from detente.learn.blend import BlendedDyadClassifier

DYAD_ARTEFACT = "dyad_plover.npz"
DYAD_TUNED_ARTEFACT = "dyad_plover_tuned.npz"  # the fine-tuned encoder model (learn.tuned)
EMBEDDING_WEIGHT = 2.0  # scale of the (unit-length) embedding against the TF-IDF blocks
DYAD_WEIGHTS = {"w": 1.0, "c": 1.0, "m": 1.0, "d": 1.0, "l": 1.0, "p": 1.0}
DYAD_C = 30.0


def packaged_model(name: str) -> Path:
    """Path of a model shipped under ``detente/data/models``."""
    ref = resources.files("detente") / "data" / "models" / name
    if not ref.is_file():
        raise ModelError(f"packaged model {name} is missing; run scripts/train_classifier.py")
    return Path(str(ref))


class _SpacyBacked:
    """Shared plumbing: a :class:`LinearModel` plus a lazily loaded spaCy pipeline."""

    default_artefact = ""

    def __init__(self, model: LinearModel, nlp: Any | None = None, encoder: Any | None = None):
        self.model = model
        self._nlp = nlp
        self._lexicon: dict[str, str] | None = None
        self._encoder = encoder  # a learn.embed.SentenceEncoder, loaded when first needed

    @property
    def lexicon(self) -> dict[str, str] | None:
        """The predicate lexicon's word types, when the model was trained with them."""
        if not self.model.meta.get("lexicon"):
            return None
        if self._lexicon is None:
            self._lexicon = lexicon_types()
        return self._lexicon

    @property
    def labels(self) -> tuple[str, ...]:
        return self.model.labels

    @property
    def uses_spacy(self) -> bool:
        return bool(self.model.meta.get("spacy"))

    @property
    def uses_embeddings(self) -> bool:
        return self.model.dense_size > 0

    def _embeddings(self, texts: Sequence[str]) -> Any | None:
        """The scaled sentence embeddings the model was trained with, or None."""
        if not self.uses_embeddings:
            return None
        if self._encoder is None:
            from detente.learn.embed import SentenceEncoder

            self._encoder = SentenceEncoder.load()
        weight = float(self.model.meta.get("embedding", {}).get("weight", EMBEDDING_WEIGHT))
        return self._encoder.encode(list(texts)) * weight

    def _docs(self, texts: Sequence[str]) -> list[Any] | list[None]:
        if not self.uses_spacy:
            return [None] * len(texts)
        if self._nlp is None:
            self._nlp = load_nlp(self.model.meta.get("spacy_model", DEFAULT_SPACY_MODEL))
        return parse(self._nlp, texts)

    def save(self, path: str | Path) -> None:
        self.model.save(path)

    @classmethod
    def load(  # noqa: ANN206
        cls, path: str | Path | None = None, nlp: Any | None = None, encoder: Any | None = None
    ):
        """Load from ``path``, or the packaged artefact when ``path`` is None."""
        model = LinearModel.load(path if path is not None else packaged_model(cls.default_artefact))
        if model.meta.get("task") != cls.task:
            raise ModelError(f"{path}: not a {cls.task} model")
        return cls(model, nlp, encoder)

    task = ""


class DyadClassifier(_SpacyBacked):
    """Predicts the PLOVER type of (sentence, source, target) with calibrated probabilities."""

    default_artefact = DYAD_ARTEFACT
    task = "dyad-plover"

    def predict_proba(
        self, items: Sequence[DyadInput], docs: Sequence[Any] | None = None
    ) -> list[dict[str, float]]:
        """``docs``: parses the caller already has (e.g. ``learn.views.SentenceView``), one
        per item, so the sentences are not parsed again."""
        if not items:
            return []
        if docs is None or not self.uses_spacy:
            docs = self._docs([it.text for it in items])
        lexicon = self.lexicon
        feats = [dyad_features(it, d, lexicon) for it, d in zip(items, docs, strict=True)]
        probs = self.model.proba(feats, self._embeddings([embedding_text(it) for it in items]))
        return [dict(zip(self.labels, map(float, row), strict=True)) for row in probs]

    @classmethod
    def load_best(cls, nlp: Any | None = None) -> DyadClassifier | BlendedDyadClassifier:
        """The most accurate packaged classifier the installed packages can run: with the
        sentence encoder (see ``learn.embed``), the linear model blended with the fine-tuned
        encoder (``learn.blend``); without it, the linear model alone."""
        from detente.learn.blend import BlendedDyadClassifier
        from detente.learn.embed import encoder_available
        from detente.learn.tuned import TunedDyadModel

        if encoder_available():
            tuned = TunedDyadModel.load(packaged_model(DYAD_TUNED_ARTEFACT))
            return BlendedDyadClassifier(cls.load(nlp=nlp), tuned)
        return cls.load(nlp=nlp)

    def predict(self, items: Sequence[DyadInput]) -> list[tuple[str, float]]:
        return top_labels(self.predict_proba(items))


@dataclass(frozen=True, slots=True)
class TrainingSpec:
    """What differs between the classifiers: their task, labels, features and strength."""

    task: str
    labels: tuple[str, ...]
    weights: dict[str, float]
    c: float
    features: Callable[..., dict[str, list[str]]]  # (item, doc, lexicon) -> features


def fit_classifier(
    spec: TrainingSpec,
    pairs: list[tuple[Any, str]],
    texts: list[str],
    *,
    seed: int,
    use_spacy: bool,
    nlp: Any | None,
    calibrate: bool,
    use_lexicon: bool,
    dense: Any | None = None,
) -> tuple[LinearModel, Any | None]:
    """Parse, featurise and fit (item, label) pairs; ``texts`` are the items' sentences."""
    if not pairs:
        raise ModelError("no training examples")
    meta = {
        "task": spec.task,
        "spacy": use_spacy,
        "spacy_model": DEFAULT_SPACY_MODEL,
        "lexicon": use_lexicon,
    }
    if use_spacy and nlp is None:
        nlp = load_nlp()
    docs = parse(nlp, texts) if use_spacy else [None] * len(pairs)
    lexicon = lexicon_types() if use_lexicon else None
    feats = [spec.features(it, d, lexicon) for (it, _), d in zip(pairs, docs, strict=True)]
    model = fit_linear(
        feats, [lab for _, lab in pairs], labels=spec.labels, weights=spec.weights, c=spec.c,
        seed=seed, calibrate=calibrate, meta=meta, dense=dense,
    )  # fmt: skip
    return model, nlp


DYAD_SPEC = TrainingSpec(DyadClassifier.task, PLOVER_LABELS, DYAD_WEIGHTS, DYAD_C, dyad_features)


def train_dyad_classifier(
    examples: Iterable[tuple[DyadInput, str]],
    *,
    seed: int = 0,
    use_spacy: bool = True,
    nlp: Any | None = None,
    calibrate: bool = True,
    use_lexicon: bool = True,
    encoder: Any | None = None,
) -> DyadClassifier:
    """Train on (input, PLOVER label) pairs; CONCEDE/RETREAT are folded into YIELD. With an
    ``encoder`` (``learn.embed.SentenceEncoder``) the model also reads the sentence
    embedding of each example, its two actors marked (see :func:`embedding_text`)."""
    pairs = [(it, normalise_plover(lab)) for it, lab in examples]
    dense = None
    if encoder is not None:
        dense = encoder.encode([embedding_text(it) for it, _ in pairs]) * EMBEDDING_WEIGHT
    model, nlp = fit_classifier(
        DYAD_SPEC, pairs, [it.text for it, _ in pairs], seed=seed, use_spacy=use_spacy,
        nlp=nlp, calibrate=calibrate, use_lexicon=use_lexicon, dense=dense,
    )  # fmt: skip
    if encoder is not None:
        model.meta["embedding"] = {"model": "all-MiniLM-L6-v2", "view": "marked",
                                   "weight": EMBEDDING_WEIGHT}  # fmt: skip
    return DyadClassifier(model, nlp, encoder)


def top_labels(probabilities: Iterable[dict[str, float]]) -> list[tuple[str, float]]:
    """The most probable (label, probability) of each row of ``predict_proba`` output."""
    return [max(row.items(), key=lambda kv: kv[1]) for row in probabilities]
