"""Events: predicates and participants coded in CAMEO and PLOVER."""

from .extract import Extractor
from .intent import intent_code
from .lexicon import PredicateLexicon, PredicateRule
from .modality import modality_of
from .ontology import CameoCode, Ontology
from .stage import EventStage

__all__ = [
    "CameoCode",
    "EventStage",
    "Extractor",
    "Ontology",
    "PredicateLexicon",
    "PredicateRule",
    "intent_code",
    "modality_of",
]
