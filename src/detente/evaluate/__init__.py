"""Scoring detente against gold JSONL files."""

from .gold import GoldEvent, GoldItem, plover_label, read_gold
from .matching import content_words, matches
from .metrics import ClassScore, Scores, classification_scores, format_scores
from .run import (
    MODES,
    coded_events,
    evaluate_classify,
    evaluate_code,
    evaluate_file,
    evaluate_penta,
    penta_class,
)

__all__ = [
    "MODES",
    "ClassScore",
    "GoldEvent",
    "GoldItem",
    "Scores",
    "classification_scores",
    "coded_events",
    "content_words",
    "evaluate_classify",
    "evaluate_code",
    "evaluate_file",
    "evaluate_penta",
    "penta_class",
    "format_scores",
    "matches",
    "plover_label",
    "read_gold",
]
