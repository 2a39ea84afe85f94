"""`detente eval --cv K`: score a gold file with models trained only on the other folds.

The packaged models were trained on the development sets, so scoring them on those sets
flatters them. With ``--cv`` each fold of the gold file is scored by classifiers fitted on
the other folds (plus the developers' synthetic examples, as the packaged models are):
the dyad classifier for ``classify`` and ``code``, the five-class sentence classifier for
``penta``. Folds are split by gold item, so no sentence is in training and test at once.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import ConfigError
from .gold import GoldItem
from .metrics import Scores
from .run import _coded, classify_predictions, score_classify, score_code, score_penta

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
    on_fold: FoldDone | None = None,
) -> Scores:
    """Cross-validated scores of ``mode`` (classify, code or penta) on ``items``.

    ``encoder`` (a ``learn.embed.SentenceEncoder``) adds the embedding block to the fold
    dyad classifiers for ``classify``, as the packaged ``classify`` model has it.
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
            classified += classify_predictions(test, _fold_dyad(train, nlp, encoder))
        else:
            coded += _coded(test, _fold_coder(mode, train, nlp))
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


def _fold_dyad(train: Sequence[GoldItem], nlp: Any, encoder: Any | None = None) -> Any:
    from ..learn import DyadInput, train_dyad_classifier
    from ..learn.data import read_synthetic_dyads

    examples = [
        (DyadInput(item.text, event.source_text, event.target_text), event.plover)
        for item in train
        for event in item.events
        if event.plover
    ]
    if not examples:
        raise ConfigError("the gold file has no PLOVER-labelled events to train on")
    return train_dyad_classifier(examples + read_synthetic_dyads(), nlp=nlp, encoder=encoder)


def _fold_coder(mode: str, train: Sequence[GoldItem], nlp: Any) -> Any:
    from ..coder import Coder
    from ..learn import train_penta_classifier

    if mode == "penta":
        pairs = [(item.text, item.penta) for item in train if item.penta is not None]
        if not pairs:
            raise ConfigError("the gold file has no 'penta' labels to train on")
        return Coder(nlp=nlp, penta=train_penta_classifier(pairs, nlp=nlp))
    return Coder(nlp=nlp, classifier=_fold_dyad(train, nlp))
