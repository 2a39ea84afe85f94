"""Events the rules missed but the sentence classifiers are sure of.

When a sentence names at least two parties, the rules found no event between them, and the
five-class sentence classifier is confident the sentence reports cooperation or conflict,
detente codes one event between the subject and the other party, typed by the dyad
classifier within that class. These events carry the classifiers' own (lower) confidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..records import Actor, Event, Mention, Sentence, Span
from .ontology import Ontology

QUAD_TYPES = {
    1: ("AGREE", "CONSULT", "SUPPORT"),
    2: ("COOPERATE", "AID", "YIELD"),
    3: ("ACCUSE", "REQUEST", "REJECT", "THREATEN"),
    4: ("PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"),
}
PARTY_KINDS = {"name", "title", "country", "capital", "metonym", "igo", "agent", "coref",
               "unresolved", "user"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class FallbackPolicy:
    sentence_at: float = 0.7  # the sentence classifier's least probability for a class 1-4


def _background(sentence: Sentence) -> bool:
    """Negated or pluperfect main clauses ("no president had chosen ...") tell history."""
    root = next((t for t in sentence.tokens if t.dep == "ROOT"), None)
    if root is None:
        return True
    children = sentence.children(root.i)
    if any(c.dep == "neg" for c in children):
        return True
    if root.tag == "VBN" and any(c.dep == "aux" and c.lemma == "have" and c.tag == "VBD"
                                 for c in children):  # fmt: skip
        return True
    subjects = [c for c in children if c.dep in ("nsubj", "nsubjpass")]
    return any(
        g.dep == "det" and g.text.lower() == "no" for s in subjects for g in sentence.children(s.i)
    )


def _parties(sentence: Sentence, mentions: Sequence[Mention]) -> tuple[Mention, Mention] | None:
    usable = [m for m in mentions if m.kind in PARTY_KINDS and len(m.actors) == 1]
    if len(usable) < 2:
        return None
    subject = next(
        (m for m in usable if sentence.tokens[m.head].dep in ("nsubj", "nsubjpass")), usable[0]
    )
    other = next((m for m in usable if m is not subject and m.actors[0] != subject.actors[0]), None)
    return (subject, other) if other else None


def fallback_events(
    story_id: str,
    sentences: Sequence[tuple[Sentence, Sequence[Mention]]],
    penta: Any,
    dyad: Any,
    ontology: Ontology,
    docs: Sequence[Any],
    date: Any = None,
    policy: FallbackPolicy | None = None,
    goldstein_scale: str = "gdelt",
) -> list[Event]:
    """One event per confident sentence; ``docs`` are parse views aligned with ``sentences``."""
    from ..learn import DyadInput

    policy = policy or FallbackPolicy()
    if not sentences:
        return []
    verdicts = penta.predict_proba([s.text for s, _ in sentences], docs)
    chosen = []
    for (sentence, mentions), doc, probs in zip(sentences, docs, verdicts, strict=True):
        quad, p_quad = max(probs.items(), key=lambda kv: kv[1])
        parties = _parties(sentence, mentions)
        if quad == 0 or p_quad < policy.sentence_at or parties is None or _background(sentence):
            continue
        chosen.append((sentence, parties, doc, quad, p_quad))
    if not chosen:
        return []
    inputs = [DyadInput(s.text, a.text, b.text) for s, (a, b), _, _, _ in chosen]
    typed = dyad.predict_proba(inputs, [doc for _, _, doc, _, _ in chosen])
    events = []
    for (sentence, (src, tgt), _, quad, p_quad), probs in zip(chosen, typed, strict=True):
        plover, p_type = max(((t, probs.get(t, 0.0)) for t in QUAD_TYPES[quad]),
                             key=lambda kv: kv[1])  # fmt: skip
        code = ontology.default_for_plover(plover)
        root = next((t for t in sentence.tokens if t.dep == "ROOT"), sentence.tokens[0])
        events.append(_event(story_id, sentence, src, tgt, code, root, p_quad * p_type,
                             date, goldstein_scale))  # fmt: skip
    return events


def _event(story_id, sentence, src: Mention, tgt: Mention, code, root, confidence, date,
           scale) -> Event:  # fmt: skip
    actor: Actor = src.actors[0]
    other: Actor = tgt.actors[0]
    return Event(
        story_id=story_id,
        sentence_index=sentence.index,
        sentence=sentence.text,
        source=actor,
        target=other,
        source_text=src.text,
        target_text=tgt.text,
        cameo=code.code,
        cameo_name=code.name,
        goldstein=code.goldstein(scale),
        quad_class=code.quad_class,
        plover=code.plover,
        plover_mode=code.plover_mode,
        plover_context=code.plover_context,
        modality="asserted",
        confidence=confidence,
        date=date,
        source_span=Span(src.char_start, src.char_end),
        predicate_span=Span(root.idx, root.end),
        target_span=Span(tgt.char_start, tgt.char_end),
        predicate=root.lemma,
    )
