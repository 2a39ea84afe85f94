"""Training examples for the pair model: every candidate pair of a gold sentence, labelled by
whether it is one of the sentence's gold dyads (the FORMAT.md rule: a shared content word on
each side)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..actors.spans import phrase_span, text_of
from ..evaluate.gold import GoldEvent, GoldItem
from ..evaluate.matching import content_words
from ..records import Sentence, Story
from .pairs import PairCandidate, sentence_pairs


@dataclass(slots=True)
class PairExample:
    """The candidate pairs of one gold item, their features, labels and the gold events."""

    pairs: list[tuple[Sentence, PairCandidate]] = field(default_factory=list)
    gold: list[GoldEvent] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)

    @property
    def features(self) -> list[tuple[str, ...]]:
        return [pair.features for _, pair in self.pairs]

    @staticmethod
    def words(sentence: Sentence, head: int) -> set[str]:
        start, end = phrase_span(sentence, head)
        return content_words(text_of(sentence, start, end))

    def matches(self, pair: tuple[Sentence, PairCandidate], gold: GoldEvent) -> bool:
        sentence, candidate = pair
        return bool(
            self.words(sentence, candidate.source) & content_words(gold.source_text)
            and self.words(sentence, candidate.target) & content_words(gold.target_text)
        )


def predicate_roots(lexicon=None) -> dict[str, str]:  # noqa: ANN001
    """Each predicate lemma's CAMEO root, from its least specific lexicon rule."""
    from ..events.lexicon import PredicateLexicon

    lexicon = lexicon or PredicateLexicon.load()
    roots = {}
    for table in (lexicon.verbs, lexicon.nouns):
        for lemma, rules in table.items():
            if rules:
                roots.setdefault(lemma, rules[-1].cameo[:2])
    return roots


def parsed(items: Sequence[GoldItem], nlp=None) -> list[Story]:  # noqa: ANN001
    """The items parsed, with the actor stage's mentions (the pair features read their kinds)."""
    from ..actors import ActorLexicon, ActorStage
    from ..nlp import ParseStage

    parse = ParseStage(nlp=nlp)
    actors = ActorStage(ActorLexicon.load())
    stories = [Story(id=i.id, text=i.text, date=i.date) for i in items]
    return [actors(story) for story in parse.pipe(stories, 64)]


def labelled_pairs(
    items: Sequence[GoldItem], stories: Sequence[Story], roots: dict[str, str] | None = None
) -> list[PairExample]:
    roots = predicate_roots() if roots is None else roots
    examples = []
    for item, story in zip(items, stories, strict=True):
        example = PairExample(gold=[g for g in item.events if g.source_text and g.target_text])
        for sentence in story.sentences:
            mentions = [m for m in story.mentions if m.sentence_index == sentence.index]
            for candidate in sentence_pairs(sentence, mentions, roots):
                pair = (sentence, candidate)
                example.pairs.append(pair)
                example.labels.append(int(any(example.matches(pair, g) for g in example.gold)))
        examples.append(example)
    return examples
