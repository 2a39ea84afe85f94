"""Turning the coder's raw scores into calibrated probabilities of being right.

The mapping is a two-parameter logistic curve fitted on cross-validated predictions
(`benchmarks/bench_coder_cv.py --fit-calibration` writes `data/calibration.json`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from ..data_files import data_path
from ..records import Story


@dataclass(frozen=True, slots=True)
class Calibration:
    intercept: float = 0.0
    slope: float = 1.0
    identity: bool = True

    def __call__(self, raw: float) -> float:
        if self.identity:
            return raw
        return 1.0 / (1.0 + math.exp(-(self.intercept + self.slope * raw)))

    @classmethod
    def load(cls, path: Path | None = None) -> Calibration:
        path = path or data_path("calibration.json")
        if not path.exists():
            return cls()
        raw = json.loads(path.read_text(encoding="utf-8"))
        return cls(float(raw["intercept"]), float(raw["slope"]), identity=False)


def fit_calibration(pairs: list[tuple[float, bool]]) -> Calibration:
    """Maximum-likelihood logistic fit of correctness on the raw score (Newton steps)."""
    a, b = 0.0, 1.0
    for _ in range(50):
        ga = gb = haa = hab = hbb = 0.0
        for x, y in pairs:
            p = 1.0 / (1.0 + math.exp(-(a + b * x)))
            r = (1.0 if y else 0.0) - p
            w = p * (1 - p)
            ga += r
            gb += r * x
            haa += w
            hab += w * x
            hbb += w * x * x
        det = haa * hbb - hab * hab
        if det <= 1e-12:
            break
        da = (hbb * ga - hab * gb) / det
        db = (haa * gb - hab * ga) / det
        a, b = a + da, b + db
        if abs(da) + abs(db) < 1e-9:
            break
    return Calibration(a, b, identity=False)


class CalibrationStage:
    """The last step of coding: every event's raw score → a calibrated probability.

    Its own stage, so that the scores of every earlier stage (rules, classifiers, learned
    pairs) are calibrated once, by one curve fitted on cross-validated predictions of the
    chain as configured by default."""

    name = "calibrate"
    requires = ("events",)
    assigns = ("events",)

    def __init__(self, calibration: Calibration | None = None) -> None:
        self.calibration = calibration or Calibration.load()

    def __call__(self, story: Story) -> Story:
        for event in story.events:
            event.confidence = self.calibration(event.confidence)
        return story
