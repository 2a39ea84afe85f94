"""The learned extraction stage, with stand-in models: what it adds, what it leaves alone."""

from __future__ import annotations

import numpy as np
import pytest

from detente.events.learned import LearnedEventStage, LearnedPolicy


class PathModel:
    """P(event) = 0.9 for a subject→object pair, 0.05 for anything else."""

    def proba(self, rows):
        return np.array([0.9 if "path=nsubj|dobj" in r else 0.05 for r in rows])


class Classifier:
    def __init__(self, label: str) -> None:
        self.label = label
        self.seen: list = []

    def predict_proba(self, items, docs=None):
        self.seen.extend(items)
        return [{self.label: 0.8, "CONSULT": 0.2} for _ in items]


@pytest.fixture(scope="module")
def coded(nlp):
    from detente.actors import ActorLexicon, ActorStage
    from detente.events import EventStage, Ontology
    from detente.nlp import ParseStage
    from detente.records import Story

    parse, actors = ParseStage(nlp=nlp), ActorStage(ActorLexicon.load(knowledge=False))
    ontology = Ontology.load()
    rules = EventStage(ontology)

    def run(text: str, label: str = "ASSAULT", rules_first: bool = True):
        classifier = Classifier(label)
        stage = LearnedEventStage(PathModel(), classifier, ontology, {}, LearnedPolicy())
        story = actors(parse(Story(id="t", text=text)))
        story = rules(story) if rules_first else _no_events(story)
        return stage(story), classifier

    return run


def _no_events(story):
    story.events = []
    return story


def test_a_pair_the_rules_missed_becomes_a_typed_event_with_evidence(coded) -> None:
    story, classifier = coded("Unknown gunmen ambushed a convoy near the town.")
    learned = [e for e in story.events if e.predicate == "ambush"]
    assert len(learned) == 1
    event = learned[0]
    assert event.plover == "ASSAULT" and event.cameo == "190"
    assert event.confidence == pytest.approx(0.7 * 0.9 + 0.3 * 0.9 * 0.8, abs=0.001)
    text = story.sentences[0].text
    assert text[event.source_span.start : event.source_span.end] == event.source_text
    assert text[event.target_span.start : event.target_span.end] == event.target_text
    assert "gunmen" in event.source_text and "convoy" in event.target_text
    assert classifier.seen[0].source_text == event.source_text


def test_a_pair_a_rule_event_already_joins_is_left_alone(coded) -> None:
    story, classifier = coded("Japan criticized China.", label="ACCUSE")
    assert [(e.source.code, e.target.code) for e in story.events] == [("JPN", "CHN")]
    assert classifier.seen == []


def test_without_rule_events_the_stage_codes_the_pair_itself(coded) -> None:
    story, _ = coded("Japan criticized China.", label="ACCUSE", rules_first=False)
    assert [(e.source.code, e.target.code, e.plover) for e in story.events] == [
        ("JPN", "CHN", "ACCUSE")
    ]


def test_negation_is_kept_and_background_sentences_are_skipped(coded) -> None:
    story, _ = coded("The militia did not attack the camp.")
    assert [e.modality for e in story.events if e.predicate == "attack"] == ["negated"]
    story, classifier = coded("The militia had attacked the camp.", rules_first=False)
    assert story.events == [] and classifier.seen == []  # pluperfect: background, not news


def test_a_sentence_keeps_its_best_event_and_drops_weak_rivals() -> None:
    from detente.events.learned import _reverse
    from detente.records import Actor, Event, Span

    def event(src, tgt, conf, precise=False, start=0, predicate=9):
        return Event("t", 0, "x", Actor(src), Actor(tgt), src, tgt, "040", "n", 1.0, 1, "CONSULT",
                     None, (), confidence=conf, source_span=Span(start, start + 1),
                     target_span=Span(start + 2, start + 3),
                     predicate_span=Span(predicate, predicate + 1),
                     precise=precise)  # fmt: skip

    stage = LearnedEventStage(PathModel(), Classifier("CONSULT"), None, {}, LearnedPolicy())
    strong, weak, reverse = (
        event("A", "B", 0.9),
        event("C", "D", 0.3, start=5, predicate=20),
        event("B", "A", 0.2),
    )  # the score: 0.3 x confidence (no pair support); every party has a code
    kept = stage._select([strong, weak, reverse], [], {})
    assert strong in kept and reverse in kept and weak not in kept  # reverse of the best stays
    assert _reverse(strong, reverse)
    precise = event("E", "F", 0.1, precise=True, start=7)
    assert precise in stage._select([event("A", "B", 0.9), precise], [], {})


def test_weak_events_between_plain_noun_phrases_are_dropped() -> None:
    from detente.records import Actor, Event, Span

    def event(src_code, conf):
        return Event("t", 0, "x", Actor(src_code), Actor(""), "a", "b", "040", "n", 1.0, 1,
                     "CONSULT", None, (), confidence=conf, source_span=Span(0, 1),
                     target_span=Span(2, 3), predicate_span=Span(5, 6))  # fmt: skip

    policy = LearnedPolicy(min_score=0.2)
    stage = LearnedEventStage(PathModel(), Classifier("CONSULT"), None, {}, policy)
    assert stage._select([event("", 0.5)], [], {}) == []  # 0.3 x 0.5 < 0.2, nothing coded
    assert len(stage._select([event("", 0.9)], [], {})) == 1  # 0.27: strong enough


class Penta:
    """A sentence classifier stand-in that always believes the same classes."""

    def __init__(self, beliefs: dict[int, float]) -> None:
        self.beliefs = beliefs
        self.calls = 0

    def predict_proba(self, texts, docs=None):
        self.calls += 1
        return [dict(self.beliefs) for _ in texts]


@pytest.fixture(scope="module")
def learned_only(nlp):
    from detente.actors import ActorLexicon, ActorStage
    from detente.events import Ontology
    from detente.nlp import ParseStage
    from detente.records import Story

    parse, actors = ParseStage(nlp=nlp), ActorStage(ActorLexicon.load(knowledge=False))

    def run(text: str, penta: Penta, types: dict[str, float]):
        class Typed:
            def predict_proba(self, items, docs=None):
                return [dict(types) for _ in items]

        stage = LearnedEventStage(PathModel(), Typed(), Ontology.load(), {}, penta=penta)
        return stage(_no_events(actors(parse(Story(id="t", text=text))))).events

    return run


def test_the_sentence_classifier_vetoes_and_steers_learned_events(learned_only) -> None:
    text = "Unknown gunmen ambushed a convoy near the town."
    none = Penta({0: 0.9, 4: 0.1})
    assert learned_only(text, none, {"ASSAULT": 0.9}) == []
    conflict = Penta({0: 0.05, 1: 0.05, 4: 0.9})
    events = learned_only(text, conflict, {"CONSULT": 0.6, "ASSAULT": 0.4})
    assert [e.plover for e in events] == ["ASSAULT"]  # 0.4 x 0.9 beats 0.6 x 0.05
    assert conflict.calls == 1
