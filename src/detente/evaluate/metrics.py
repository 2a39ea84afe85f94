"""Per-class precision/recall/F1, accuracy and macro-F1."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class ClassScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(slots=True)
class Scores:
    mode: str
    items: int
    accuracy: float
    macro_f1: float
    per_class: list[ClassScore] = field(default_factory=list)
    extra: dict[str, float] = field(default_factory=dict)
    predictions: list[str | None] = field(default_factory=list)  # per item, in input order
    model: str = ""  # which classifier was scored, in words

    def to_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "model": self.model,
            "items": self.items,
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "per_class": [
                {
                    "label": c.label,
                    "precision": round(c.precision, 4),
                    "recall": round(c.recall, 4),
                    "f1": round(c.f1, 4),
                    "support": c.support,
                }
                for c in self.per_class
            ],
            **{k: round(v, 4) for k, v in self.extra.items()},
        }


def classification_scores(
    mode: str, gold: Sequence[str], predicted: Sequence[str | None]
) -> Scores:
    """Scores over paired labels; a ``None`` prediction is simply wrong."""
    labels = sorted(set(gold))
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for g, p in zip(gold, predicted, strict=True):
        if g == p:
            tp[g] += 1
        else:
            fn[g] += 1
            if p is not None:
                fp[p] += 1
    per_class = []
    for label in labels:
        precision = tp[label] / (tp[label] + fp[label]) if tp[label] + fp[label] else 0.0
        recall = tp[label] / (tp[label] + fn[label]) if tp[label] + fn[label] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class.append(ClassScore(label, precision, recall, f1, tp[label] + fn[label]))
    accuracy = sum(tp.values()) / len(gold) if gold else 0.0
    macro = sum(c.f1 for c in per_class) / len(per_class) if per_class else 0.0
    return Scores(mode, len(gold), accuracy, macro, per_class)


def format_scores(scores: Scores) -> str:
    lines = [
        f"mode: {scores.mode}   items: {scores.items}"
        + (f"   model: {scores.model}" if scores.model else ""),
        f"{'label':<12} {'prec':>6} {'recall':>6} {'f1':>6} {'n':>5}",
    ]
    for c in scores.per_class:
        lines.append(f"{c.label:<12} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} {c.support:5d}")
    lines.append(f"accuracy {scores.accuracy:.4f}   macro-F1 {scores.macro_f1:.4f}")
    for key, value in scores.extra.items():
        lines.append(f"{key} {value:.4f}")
    return "\n".join(lines) + "\n"
