"""`detente eval --cv K`: score a gold file with models trained only on the other folds.

The packaged models were trained on the development sets, so scoring them on those sets
flatters them. With ``--cv`` each fold of the gold file is scored by classifiers fitted on
the other folds (plus the developers' synthetic examples, as the packaged models are):
the dyad classifier for ``classify`` and ``code``, the pair model of learned extraction for
``code``, the five-class sentence classifier for ``penta`` (which keeps the packaged pair
model: a five-class file has no dyads to train one on). Folds are split by gold item, so
no sentence is in training and test at once.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import ConfigError
from .gold import GoldItem
from .metrics import Scores
from .run import classify_predictions, coded_events, score_classify, score_code, score_penta

FoldDone = Callable[[int, int], None]


def folds_of(items: Sequence[GoldItem], k: int, seed: int = 0) -> list[list[GoldItem]]:
    """``k`` folds of ``items``: shuffled with ``seed``, then dealt round-robin."""
    if isinstance(k, bool) or not isinstance(k, int) or k < 2:
        raise ConfigError(f"cross-validation needs at least 2 folds, got {k!r}")
    if len(items) < k:
        raise ConfigError(f"{len(items)} gold items cannot make {k} folds")
    order = list(range(len(items)))
    random.Random(seed).shuffle(order)
    return [[items[i] for i in order[f::k]] for f in range(k)]


def evaluate_cv(
    items: Sequence[GoldItem],
    mode: str,
    k: int = 5,
    *,
    seed: int = 0,
    nlp: Any | None = None,
    encoder: Any | None = None,
    finetune: Any | None = None,
    on_fold: FoldDone | None = None,
) -> Scores:
    """Cross-validated scores of ``mode`` (classify, code or penta) on ``items``.

    For ``classify``: with ``finetune`` (``learn.finetune.FineTuneSettings``, needs torch and
    ``encoder``) each fold's classifier is the blend ``classify`` uses by default, a linear
    model and a fine-tuned encoder; with only ``encoder`` (a ``learn.embed.SentenceEncoder``)
    it is the linear model with the embedding block; with neither, the plain linear model.
    """
    from ..learn.parsing import load_nlp

    folds = folds_of(items, k, seed)
    nlp = nlp or load_nlp()
    ordered: list[GoldItem] = []
    coded: list[list[dict]] = []
    classified: list[tuple[Any, Any, dict]] = []
    for n, test in enumerate(folds):
        train = [item for f, part in enumerate(folds) if f != n for item in part]
        if mode == "classify":
            classified += classify_predictions(
                test, _fold_classifier(train, nlp, encoder, finetune)
            )
        else:
            coded += coded_events(test, _fold_coder(mode, train, nlp))
            ordered += test
        if on_fold is not None:
            on_fold(n + 1, k)
    if mode == "classify":
        scores = score_classify(classified)
    elif mode == "penta":
        scores = score_penta(ordered, coded)
    else:
        scores = score_code(ordered, coded)
    scores.extra["folds"] = float(k)
    return scores


def _fold_classifier(
    train: Sequence[GoldItem], nlp: Any, encoder: Any | None, finetune: Any | None
) -> Any:
    if finetune is None or encoder is None:
        return _fold_dyad(train, nlp, encoder)
    from ..learn.blend import BlendedDyadClassifier
    from ..learn.finetune import fine_tune_dyad

    tuned = fine_tune_dyad(_dyad_examples(train), finetune, encoder=encoder)
    return BlendedDyadClassifier(_fold_dyad(train, nlp), tuned)


def _dyad_examples(train: Sequence[GoldItem]) -> list[tuple[Any, str]]:
    """The gold dyads of ``train`` plus the developers' synthetic examples."""
    from ..learn import DyadInput
    from ..learn.data import read_synthetic_dyads

    examples = [
        (DyadInput(item.text, event.source_text, event.target_text), event.plover)
        for item in train
        for event in item.events
        if event.plover
    ]
    if not examples:
        raise ConfigError("the gold file has no PLOVER-labelled events to train on")
    return examples + read_synthetic_dyads()


def _fold_dyad(train: Sequence[GoldItem], nlp: Any, encoder: Any | None = None) -> Any:
    from ..learn import train_dyad_classifier

    return train_dyad_classifier(_dyad_examples(train), nlp=nlp, encoder=encoder)


def _fold_coder(mode: str, train: Sequence[GoldItem], nlp: Any) -> Any:
    from ..coder import Coder
    from ..learn import train_penta_classifier

    if mode == "penta":
        pairs = [(item.text, item.penta) for item in train if item.penta is not None]
        if not pairs:
            raise ConfigError("the gold file has no 'penta' labels to train on")
        # The learned stage uses the packaged pair model: a five-class file has no dyads to
        # train one on.
        return Coder(nlp=nlp, penta=train_penta_classifier(pairs, nlp=nlp))
    return Coder(nlp=nlp, classifier=_fold_dyad(train, nlp), pair_model=_fold_pairs(train, nlp))


def _fold_pairs(train: Sequence[GoldItem], nlp: Any) -> Any:
    """The pair model of learned extraction, trained on the fold's gold dyads."""
    from ..learn.pair_data import labelled_pairs, parsed
    from ..learn.pairs import train_pair_model

    examples = labelled_pairs(train, parsed(train, nlp))
    rows = [f for e in examples for f in e.features]
    labels = [y for e in examples for y in e.labels]
    if not any(labels):
        raise ConfigError("the gold file has no source/target texts to train the pair model on")
    return train_pair_model(rows, labels)
