"""Second opinion from the statistical dyad classifier on the rule-coded events.

The lexicon is precise where a predicate is specific ("impose sanctions", "sign an
agreement"); for generic verbs and event nouns the classifier, which reads the whole
sentence around the two actors, is often the better judge of the PLOVER type.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..records import Event, Sentence
from .ontology import Ontology

YIELD_TYPES = {"CONCEDE": "YIELD", "RETREAT": "YIELD"}


@dataclass(frozen=True, slots=True)
class RefinePolicy:
    # Replace the lexicon's type when the classifier is at least this sure of another one.
    override_at: float = 0.6
    # Weight of the classifier in the blended confidence.
    classifier_weight: float = 0.5


def plover_of(event: Event) -> str | None:
    return YIELD_TYPES.get(event.plover or "", event.plover)


def refine_events(
    events: Sequence[Event],
    classifier: Any,
    ontology: Ontology,
    protected: set[int] | None = None,
    policy: RefinePolicy | None = None,
    goldstein_scale: str = "gdelt",
    sentences: Mapping[int, Sentence] | None = None,
) -> list[Event]:
    """Events with the classifier's type where it is confident and the rule was generic.

    ``protected`` holds indexes of events whose code came from a specific lexicon row, an
    intent rule or an unambiguous root; they are left as the rules made them.
    """
    from ..learn import DyadInput

    policy = policy or RefinePolicy()
    protected = protected or set()
    # Protected events keep the rules' type and score: the lexicon row was specific enough.
    scored = [
        (i, e)
        for i, e in enumerate(events)
        if e.source_text and e.target_text and i not in protected
    ]
    if not scored:
        return list(events)
    inputs = [DyadInput(e.sentence, e.source_text, e.target_text) for _, e in scored]
    docs = None
    if sentences is not None:
        from ..learn.views import SentenceView

        views = {index: SentenceView(s) for index, s in sentences.items()}
        docs = [views[e.sentence_index] for _, e in scored]
    out = list(events)
    for (i, event), probs in zip(scored, classifier.predict_proba(inputs, docs), strict=True):
        best, p_best = max(probs.items(), key=lambda kv: kv[1])
        current = plover_of(event)
        if best == "REQUEST" and event.root == "02":
            # A CAMEO appeal is a PLOVER request: keep the finer, milder 02x code.
            event.plover, current = "REQUEST", "REQUEST"
        elif best != current and p_best >= policy.override_at:
            code = ontology.default_for_plover(best)
            event.cameo, event.cameo_name = code.code, code.name
            event.goldstein = code.goldstein(goldstein_scale)
            event.quad_class = code.quad_class
            event.plover, event.plover_mode = code.plover, code.plover_mode
            event.plover_context = tuple(dict.fromkeys(code.plover_context + event.plover_context))
            current = best
        agreement = probs.get(current, 0.0) if current else 0.0
        w = policy.classifier_weight
        event.confidence = (1 - w) * event.confidence + w * agreement
        out[i] = event
    return out
