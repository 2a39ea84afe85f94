"""Statistical classifiers: PLOVER type of a (sentence, source, target) dyad, and the 5-class
"penta" sentence task. Models are linear (TF-IDF + spaCy lemma/dependency features, multinomial
logistic regression, temperature-calibrated) and stored as plain ``.npz`` arrays.

The names below are imported lazily (PEP 562), so that importing a light submodule such as
``detente.learn.embed`` does not pull in the classifiers' dependencies (scikit-learn, scipy).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from detente.learn.dyad import DyadClassifier, train_dyad_classifier
    from detente.learn.features import DyadInput
    from detente.learn.penta import PentaClassifier, train_penta_classifier

__all__ = [
    "DyadClassifier",
    "DyadInput",
    "PentaClassifier",
    "train_dyad_classifier",
    "train_penta_classifier",
]

# public name -> submodule that defines it
_LAZY = {
    "DyadClassifier": "dyad",
    "train_dyad_classifier": "dyad",
    "DyadInput": "features",
    "PentaClassifier": "penta",
    "train_penta_classifier": "penta",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # cache: later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
