"""The learned extraction stage: events between noun phrases that the rules did not code,
and one score for every event of a sentence.

It runs after the rule-based event stage. For each sentence the pair model
(``learn.pairs``) scores every ordered pair of candidate heads; the pairs it chooses, and
that no rule event already covers, become events typed by the dyad classifier (the model
``detente classify`` uses), with the score P(pair is an event) x P(type).

Then every event of the sentence, the rules' and its own, gets one score: a blend of the
pair model's probability for the event's two parties and the event's own score. A news
sentence usually reports one event, so the sentence keeps its best event, that event's
reverse (a meeting is coded both ways) and the rule events the same predicate coded with it
("both leaders" → one event each), and any other event that scores ``keep_from`` or more;
with ``min_score`` set, nothing scoring under it is kept unless a rule coded it precisely
or both parties are coded actors.
The pair weight (0.7) and ``keep_from`` (0.85) were chosen in a one-off sweep over the
cross-validated predictions of plv_train (pair weight 0.5, 0.7 or 1.0; keep_from 0.7, 0.85 or
none), a script not kept; ``bench_coder_cv.py`` measures the chosen setting. The calibrate
stage maps the score to a probability.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..actors.spans import phrase_span, text_of
from ..geo import resolve_event_date
from ..learn.pairs import PairCandidate
from ..records import Actor, Event, Mention, Sentence, Span, Story
from .fallback import QUAD_TYPES, is_background
from .modality import modality_of
from .ontology import Ontology
from .stage import HISTORY_DAYS, TARGETLESS_ROOTS


@dataclass(frozen=True, slots=True)
class LearnedPolicy:
    """Which pairs become events: every pair from ``threshold``, and a sentence's best pair
    from ``top``: the setting with the best recall at a pair precision near 0.8 in the sweep
    ``bench_learned_pairs.py`` prints (cross-validated on plv_train)."""

    threshold: float = 0.5
    top: float = 0.2
    max_heads: int = 12
    pair_weight: float = 0.7  # the pair model's share of an event's score
    one_party_factor: float = 0.5  # an event without a target scores this much of it
    keep_from: float = 0.85  # events below the sentence's best are kept from this score
    # Below this an event is kept only if a rule coded it precisely or both its parties are
    # coded actors. Off by default: at 0.2 it raised plv_train precision from 0.520 to 0.536
    # but lowered the five-class macro-F1 from 0.824 to 0.799 (more sentences left eventless).
    min_score: float = 0.0
    # With the sentence classifier: no learned event where it says "no event" this surely.
    neutral_at: float = 0.5


def _party(sentence: Sentence, head: int, mentions: Sequence[Mention]) -> Mention:
    """The phrase a candidate head stands for, with the actor the actor stage found in it
    (its first one), or a party without a code."""
    mention = next((m for m in mentions if m.start <= head < m.end and m.actors), None)
    if mention is not None:
        start, end, actors = mention.start, mention.end, mention.actors[:1]
    else:
        start, end = phrase_span(sentence, head)
        actors = (Actor(code=""),)
    tokens = sentence.tokens
    return Mention(
        sentence.index, start, end, text_of(sentence, start, end), tokens[start].idx,
        tokens[end - 1].end, actors, kind="learned", head=head,
    )  # fmt: skip


def _covered(events: Sequence[Event], sentence: Sentence, src: Mention, tgt: Mention) -> bool:
    """Does a rule event of this sentence already join these two phrases (either way)?"""

    def overlaps(span: Span | None, party: Mention) -> bool:
        return span is not None and span.start < party.char_end and party.char_start < span.end

    return any(
        e.sentence_index == sentence.index
        and (
            (overlaps(e.source_span, src) and overlaps(e.target_span, tgt))
            or (overlaps(e.source_span, tgt) and overlaps(e.target_span, src))
        )
        for e in events
    )


class LearnedEventStage:
    """Sentences, mentions and rule events → the same events plus learned ones."""

    name = "learned"
    requires = ("sentences", "mentions", "events")
    assigns = ("events",)

    def __init__(
        self,
        pair_model: Any,
        classifier: Any,
        ontology: Ontology,
        predicate_roots: dict[str, str],
        policy: LearnedPolicy | None = None,
        goldstein_scale: str = "gdelt",
        penta: Any | None = None,
    ) -> None:
        self.pair_model = pair_model
        self.classifier = classifier
        self.penta = penta  # the five-class sentence classifier: a check on the pairs
        self.ontology = ontology
        self.roots = predicate_roots
        self.policy = policy or LearnedPolicy()
        self.goldstein_scale = goldstein_scale

    def __call__(self, story: Story) -> Story:
        from ..learn.pairs import choose_pairs, sentence_pairs

        chosen: list[tuple[Sentence, Mention, Mention, float]] = []
        scored: dict[int, list[tuple[Sentence, PairCandidate, float]]] = {}
        for sentence in story.sentences:
            mentions = [m for m in story.mentions if m.sentence_index == sentence.index]
            pairs = sentence_pairs(sentence, mentions, self.roots, self.policy.max_heads)
            if not pairs:
                continue
            probs = self.pair_model.proba([p.features for p in pairs])
            scored[sentence.index] = [
                (sentence, p, float(q)) for p, q in zip(pairs, probs, strict=True)
            ]
            if is_background(sentence):
                continue
            for i in choose_pairs(pairs, probs, self.policy.threshold, self.policy.top):
                src = _party(sentence, pairs[i].source, mentions)
                tgt = _party(sentence, pairs[i].target, mentions)
                if src.text == tgt.text or _covered(story.events, sentence, src, tgt):
                    continue
                chosen.append((sentence, src, tgt, float(probs[i])))
        learned = self._typed(story, chosen) if chosen else []
        story.events = self._select(story.events, learned, scored)
        return story

    def _select(self, rules: list[Event], learned: list[Event], scored) -> list[Event]:
        """Each sentence's best event, its partners, and the other events that score high."""
        policy = self.policy
        by_sentence: dict[int, list[tuple[float, bool, Event]]] = {}
        for is_rule, events in ((True, rules), (False, learned)):
            for event in events:
                pair_p = _pair_probability(event, scored.get(event.sentence_index, ()))
                by_sentence.setdefault(event.sentence_index, []).append(
                    (self._score(event, pair_p), is_rule, event)
                )
        kept: list[Event] = []
        for index in sorted(by_sentence):
            ranked = sorted(by_sentence[index], key=lambda item: -item[0])
            precise = any(event.precise for _, _, event in ranked)
            # With a precise rule event in the sentence, the best of the other rule events
            # stands beside it and a learned event must score high; else the best of all.
            candidates = [r for r in ranked if r[1] and not r[2].precise] if precise else ranked
            best = candidates[0] if candidates else None
            for score, is_rule, event in ranked:
                keep = event.precise or score >= policy.keep_from
                if best is not None and not keep:
                    keep = (
                        event is best[2]
                        or _reverse(best[2], event)
                        or (best[1] and is_rule and _same_rule(best[2], event))
                    )
                if keep and (event.precise or _coded(event) or score >= policy.min_score):
                    event.confidence = round(score, 4)
                    kept.append(event)
        return kept

    def _score(self, event: Event, pair_p: float) -> float:
        if event.target is None and event.root in TARGETLESS_ROOTS:
            return event.confidence  # CAMEO codes protests and force posture without a target
        w = self.policy.pair_weight
        score = w * pair_p + (1 - w) * event.confidence
        return score if event.target is not None else score * self.policy.one_party_factor

    def _typed(self, story: Story, chosen) -> list[Event]:
        from ..learn import DyadInput
        from ..learn.views import SentenceView

        views = [SentenceView(s) for s, *_ in chosen]
        inputs = [DyadInput(s.text, src.text, tgt.text) for s, src, tgt, _ in chosen]
        typed = self.classifier.predict_proba(inputs, views)
        classes: list[dict[int, float] | None] = [None] * len(chosen)
        if self.penta is not None:  # once per sentence, however many pairs it gave
            first = {}
            for i, (sentence, *_) in enumerate(chosen):
                first.setdefault(sentence.index, i)
            beliefs = self.penta.predict_proba(
                [chosen[i][0].text for i in first.values()], [views[i] for i in first.values()]
            )
            by_sentence = dict(zip(first, beliefs, strict=True))
            classes = [by_sentence[sentence.index] for sentence, *_ in chosen]
        events = []
        for (sentence, src, tgt, p_pair), probs, quads in zip(chosen, typed, classes, strict=True):
            if quads is not None and quads.get(0, 0.0) >= self.policy.neutral_at:
                continue  # the sentence classifier reads no event here
            plover, p_type = _type(probs, quads)
            code = self.ontology.default_for_plover(plover)
            predicate = _predicate(sentence, src.head, tgt.head)
            token = sentence.tokens[predicate]
            modality = modality_of(sentence, token)
            date = resolve_event_date(sentence, predicate, story.date, modality=modality)
            if date and story.date and (story.date - date).days > HISTORY_DAYS:
                continue  # the rules' convention: an event dated long before is history
            events.append(
                Event(
                    story_id=story.id,
                    sentence_index=sentence.index,
                    sentence=sentence.text,
                    source=src.actors[0],
                    target=tgt.actors[0],
                    source_text=src.text,
                    target_text=tgt.text,
                    **code.event_fields(self.goldstein_scale),
                    plover_context=code.plover_context,
                    modality=modality,
                    confidence=round(p_pair * p_type, 3),
                    date=date,
                    source_span=Span(src.char_start, src.char_end),
                    predicate_span=Span(
                        sentence.tokens[predicate].idx, sentence.tokens[predicate].end
                    ),  # fmt: skip
                    target_span=Span(tgt.char_start, tgt.char_end),
                    predicate=sentence.tokens[predicate].lemma,
                )
            )
        return events


def _type(probs: dict[str, float], quads: dict[int, float] | None) -> tuple[str, float]:
    """The event type: the dyad classifier's, weighed by the sentence classifier's belief in
    the type's quad class when there is one (a check that keeps the two consistent)."""
    if quads is None:
        return max(probs.items(), key=lambda kv: kv[1])
    quad_of = {t: q for q, types in QUAD_TYPES.items() for t in types}
    weighted = {t: p * quads.get(quad_of.get(t, 0), 0.0) for t, p in probs.items()}
    best = max(weighted, key=lambda t: weighted[t])
    return best, probs[best]


def _pair_probability(event: Event, scored) -> float:
    """The pair model's probability for a rule event's parties: its best pair of candidate
    heads inside the event's source and target phrases (0 where it has none)."""
    if event.source_span is None or event.target_span is None:
        return 0.0
    best = 0.0
    for sentence, pair, p in scored:
        src, tgt = sentence.tokens[pair.source], sentence.tokens[pair.target]
        if (
            event.source_span.start <= src.idx < event.source_span.end
            and event.target_span.start <= tgt.idx < event.target_span.end
        ):
            best = max(best, p)
    return best


def _coded(event: Event) -> bool:
    return bool(event.source and event.source.code and event.target and event.target.code)


def _reverse(a: Event, b: Event) -> bool:
    return (
        a.source_text is not None
        and (a.source_text, a.target_text) == (b.target_text, b.source_text)
        and a.cameo[:2] == b.cameo[:2]
    )


def _same_rule(a: Event, b: Event) -> bool:
    """Events one rule coded from one predicate ("Both reaffirmed ..." → one per party)."""
    return a.predicate_span == b.predicate_span and a.cameo == b.cameo


def _predicate(sentence: Sentence, source: int, target: int) -> int:
    """The word that joins the two parties: their lowest common ancestor in the parse."""
    from ..learn.pairs import dependency_path

    _, lca, _ = dependency_path(sentence, source, target)
    return lca.i
