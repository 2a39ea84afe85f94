"""Events the rules missed but the sentence classifiers are sure of.

When the rules found no event in a sentence that names a party, and the five-class sentence
classifier is confident the sentence reports cooperation or conflict, detente codes one event,
typed by the dyad classifier within that class. With two parties it runs from the subject to
the other party. With one party ("Cambodian troops remained on alert", "Ingabire was
arrested") the other side stays empty: a passive subject is the target, any other the source.
One-party events need a surer sentence classifier. These events carry the classifiers' own
(lower) confidence.
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
               "unresolved", "user", "known", "ambiguous"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class FallbackPolicy:
    sentence_at: float = 0.7  # the sentence classifier's least probability for a class 1-4
    one_party_at: float = 0.9  # the same when the sentence names only one party


def is_background(sentence: Sentence) -> bool:
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


Parties = tuple[Mention | None, Mention | None]


def _parties(sentence: Sentence, mentions: Sequence[Mention]) -> Parties | None:
    """(source, target) of the sentence; one side is None when only one party is named."""
    usable = [m for m in mentions if m.kind in PARTY_KINDS and len(m.actors) == 1]
    if not usable:
        return None
    subject = next(
        (m for m in usable if sentence.tokens[m.head].dep in ("nsubj", "nsubjpass")), usable[0]
    )
    other = next((m for m in usable if m is not subject and m.actors[0] != subject.actors[0]), None)
    if other is not None:
        return subject, other
    if sentence.tokens[subject.head].dep == "nsubjpass":
        return None, subject
    return subject, None


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
        if quad == 0 or parties is None or is_background(sentence):
            continue
        if p_quad < (policy.sentence_at if all(parties) else policy.one_party_at):
            continue
        chosen.append((sentence, parties, doc, quad, p_quad))
    if not chosen:
        return []
    inputs = [DyadInput(s.text, _words(a), _words(b)) for s, (a, b), _, _, _ in chosen]
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


def _words(mention: Mention | None) -> str | None:
    return None if mention is None else mention.text


def _actor(mention: Mention | None) -> Actor | None:
    return None if mention is None else mention.actors[0]


def _span(mention: Mention | None) -> Span | None:
    return None if mention is None else Span(mention.char_start, mention.char_end)


def _event(story_id, sentence, src: Mention | None, tgt: Mention | None, code, root,
           confidence, date, scale) -> Event:  # fmt: skip
    return Event(
        story_id=story_id,
        sentence_index=sentence.index,
        sentence=sentence.text,
        source=_actor(src),
        target=_actor(tgt),
        source_text=_words(src),
        target_text=_words(tgt),
        **code.event_fields(scale),
        plover_context=code.plover_context,
        modality="asserted",
        confidence=confidence,
        date=date,
        source_span=_span(src),
        predicate_span=Span(root.idx, root.end),
        target_span=_span(tgt),
        predicate=root.lemma,
    )
