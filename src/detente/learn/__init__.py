"""Statistical classifiers: PLOVER type of a (sentence, source, target) dyad, and the 5-class
"penta" sentence task. Models are linear (TF-IDF + spaCy lemma/dependency features, multinomial
logistic regression, temperature-calibrated) and stored as plain ``.npz`` arrays."""

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
