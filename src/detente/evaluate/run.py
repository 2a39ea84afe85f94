"""`detente eval`: score classify, end-to-end code, or the five-class sentence task."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .gold import GoldItem, plover_label, read_gold
from .matching import matches, same_actor
from .metrics import Scores, classification_scores

MODES = ("classify", "code", "penta")
BLEND_DESCRIPTION = "linear + fine-tuned encoder (blend)"


def evaluate_file(
    path: Path,
    mode: str | None = None,
    limit: int | None = None,
    cv: int | None = None,
    on_fold=None,  # noqa: ANN001 - (fold, folds) -> None, called as each fold is scored
) -> Scores:
    """Score ``path``; with ``cv`` (a number of folds) the classifiers are retrained per fold
    on the other folds (see ``evaluate.crossval``), else the packaged ones are used."""
    items = list(read_gold(path, limit))
    if mode is None:
        mode = "penta" if items and items[0].penta is not None else "classify"
    if mode not in MODES:
        raise ConfigError(f"unknown eval mode {mode!r} (choose from {', '.join(MODES)})")
    if cv is not None:
        return _evaluate_cv(items, mode, cv, on_fold)
    if mode == "classify":
        from ..learn import DyadClassifier

        classifier = DyadClassifier.load_best()
        scores = evaluate_classify(items, classifier)
        scores.model = f"packaged: {describe_classifier(classifier)}"
        return scores
    from ..coder import Coder

    coder = Coder()
    if mode == "penta":
        return evaluate_penta(items, coder)
    return evaluate_code(items, coder)


def _evaluate_cv(items: Sequence[GoldItem], mode: str, cv: int, on_fold) -> Scores:  # noqa: ANN001
    """Cross-validate the classifier ``classify`` uses by default, the blend of the linear and
    the fine-tuned model, when torch and the encoder are installed (fine-tuning needs both);
    else the linear model alone, and say so in ``Scores.model``."""
    from ..learn.embed import SentenceEncoder, encoder_available
    from ..learn.finetune import FineTuneSettings, torch_available
    from .crossval import evaluate_cv

    encoder = finetune = None
    model = "linear"
    if mode == "classify":
        if encoder_available() and torch_available():
            encoder, finetune = SentenceEncoder.load(), FineTuneSettings()
            model = BLEND_DESCRIPTION
        else:
            model = "linear (the blend needs torch and the sentence encoder: `make train`)"
    elif mode == "code":
        model = "linear dyad classifier and pair model, both retrained per fold"
    else:
        model = (
            "sentence classifier retrained per fold; packaged dyad classifier and pair model "
            "(trained on plv_train and conflibert_spans_train)"
        )
    scores = evaluate_cv(items, mode, cv, encoder=encoder, finetune=finetune, on_fold=on_fold)
    scores.model = f"{cv}-fold cross-validation: {model}"
    return scores


def describe_classifier(classifier: Any) -> str:
    """A few words on which dyad model ``classifier`` is."""
    from ..learn.blend import BlendedDyadClassifier

    if isinstance(classifier, BlendedDyadClassifier):
        return BLEND_DESCRIPTION
    if getattr(classifier, "uses_embeddings", False):
        return "linear + sentence embeddings"
    return "linear"


def evaluate_classify(items: Sequence[GoldItem], classifier=None) -> Scores:
    """Score given-dyad classification (``classifier``: default the best packaged model)."""
    return score_classify(classify_predictions(items, classifier))


def classify_predictions(items: Sequence[GoldItem], classifier=None) -> list[tuple[Any, Any, dict]]:
    """(gold PLOVER, gold CAMEO, prediction) for every labelled gold event of ``items``."""
    from ..classify import DyadRecord, classify_records

    records = []
    gold_labels = []
    gold_cameo = []
    for item in items:
        for n, event in enumerate(item.events):
            if event.plover is None and event.cameo is None:
                continue
            records.append(
                DyadRecord(f"{item.id}#{n}", item.text, event.source_text, event.target_text)
            )
            gold_labels.append(event.plover)
            gold_cameo.append(event.cameo)
    if not records:
        return []
    predictions = list(classify_records(records, classifier))
    return list(zip(gold_labels, gold_cameo, predictions, strict=True))


def score_classify(predicted: Sequence[tuple[Any, Any, dict]]) -> Scores:
    """Accuracy, macro-F1 and CAMEO exact/base/root accuracy of classify predictions."""
    if not predicted:
        raise ConfigError("the gold file has no events with a PLOVER or CAMEO label to classify")
    gold_labels = [g for g, _, _ in predicted]
    gold_cameo = [c for _, c, _ in predicted]
    predictions = [p for _, _, p in predicted]
    scored = [(g, p["plover"]) for g, p in zip(gold_labels, predictions, strict=True) if g]
    scores = classification_scores(
        "classify", [g for g, _ in scored], [plover_label(p) for _, p in scored]
    )
    with_cameo = [(g, p["cameo"]) for g, p in zip(gold_cameo, predictions, strict=True) if g]
    if with_cameo:
        n = len(with_cameo)
        scores.extra["cameo_exact_accuracy"] = sum(g == p for g, p in with_cameo) / n
        scores.extra["cameo_base_accuracy"] = sum(g[:3] == p[:3] for g, p in with_cameo) / n
        scores.extra["cameo_root_accuracy"] = sum(g[:2] == p[:2] for g, p in with_cameo) / n
    return scores


def coded_events(items: Sequence[GoldItem], coder) -> list[list[dict]]:
    """Code the text of every gold item with ``coder``; one list of event dicts per item, in
    the order of ``items`` (the aligned ``coded`` argument of ``score_code``/``score_penta``)."""
    from ..records import Story

    stories = [Story(id=item.id, text=item.text, date=item.date) for item in items]
    return [[e.to_dict() for e in story.events] for story in coder.code_stories(stories)]


def penta_class(event: dict | None) -> int:
    """The five-class label of one coded event (None: no event, class 0).

    The CAMEO quad class, except that SANCTION counts as verbal conflict: the PLOVER manual's
    table of quad categories puts it there, and the five-class gold follows it (reducing aid
    or relations, sanctions and expulsions are labelled 3, where CAMEO's root 16 would say 4).
    """
    if event is None:
        return 0
    if event.get("plover") == "SANCTION":
        return 3
    return int(event["quad_class"])


def evaluate_penta(items: Sequence[GoldItem], coder) -> Scores:
    return score_penta(items, coded_events(items, coder))


def score_penta(items: Sequence[GoldItem], coded: Sequence[list[dict]]) -> Scores:
    """The five-class task from coded events (``coded`` aligned with ``items``)."""
    gold, predicted = [], []
    for item, events in zip(items, coded, strict=True):
        if item.penta is None:
            continue
        occurred = [e for e in events if e["modality"] in ("asserted", "reported")]
        best = max(occurred, key=lambda e: e["confidence"], default=None)
        gold.append(str(item.penta))
        predicted.append(str(penta_class(best)))
    scores = classification_scores("penta", gold, predicted)
    scores.predictions = predicted
    return scores


def evaluate_code(items: Sequence[GoldItem], coder) -> Scores:
    return score_code(items, coded_events(items, coder))


def score_code(items: Sequence[GoldItem], coded: Sequence[list[dict]]) -> Scores:
    """End-to-end matching of coded events (aligned with ``items``) against gold events."""
    gold_types: list[str] = []
    predicted_types: list[str | None] = []
    found = predicted_total = predicted_matched = sources = targets = 0
    for item, events in zip(items, coded, strict=True):
        predicted_total += len(events)
        used: set[int] = set()
        for gold in item.events:
            # Role-span recall: is the gold source (target) some event's source (target)?
            sources += any(
                same_actor(e.get("source_text"), e.get("source"), gold.source_text, gold.source)
                for e in events
            )
            targets += any(
                same_actor(e.get("target_text"), e.get("target"), gold.target_text, gold.target)
                for e in events
            )
            hit = next(
                (i for i, e in enumerate(events) if i not in used and matches(e, gold)), None
            )
            gold_types.append(gold.plover or "")
            if hit is None:
                predicted_types.append(None)
                continue
            used.add(hit)
            found += 1
            predicted_types.append(plover_label(events[hit]["plover"]))
        predicted_matched += len(used)
    scores = classification_scores("code", gold_types, predicted_types)
    total_gold = len(gold_types)
    scores.extra["dyad_recall"] = found / total_gold if total_gold else 0.0
    scores.extra["source_recall"] = sources / total_gold if total_gold else 0.0
    scores.extra["target_recall"] = targets / total_gold if total_gold else 0.0
    scores.extra["type_accuracy_over_gold"] = scores.accuracy
    scores.extra["precision_over_predicted"] = (
        sum(1 for g, p in zip(gold_types, predicted_types, strict=True) if p is not None and p == g)
        / predicted_total
        if predicted_total
        else 0.0
    )
    scores.extra["predicted_events"] = float(predicted_total)
    return scores
