"""Fallback events: the sentence classifiers' events where the rules found none.

The classifiers are in-memory doubles with fixed verdicts, so these tests check the
policy (thresholds, one or two parties, passive subjects, background sentences), not
the models.
"""

import pytest

from detente.events.fallback import FallbackPolicy, fallback_events
from detente.events.ontology import Ontology
from detente.learn.views import SentenceView


class FixedPenta:
    def __init__(self, quad: int, p: float):
        self.verdict = {q: (p if q == quad else (1 - p) / 4) for q in range(5)}

    def predict_proba(self, texts, docs=None):
        return [dict(self.verdict) for _ in texts]


class FixedDyad:
    def __init__(self, best: str):
        self.best = best
        self.seen = []

    def predict_proba(self, items, docs=None):
        self.seen.extend(items)
        return [{self.best: 0.9, "ACCUSE": 0.05, "AID": 0.05} for _ in items]


@pytest.fixture(scope="module")
def parsed(nlp, actor_lexicon):
    from detente.actors import ActorStage
    from detente.nlp import ParseStage
    from detente.records import Story

    parse, actors = ParseStage(nlp=nlp), ActorStage(actor_lexicon)

    def run(text):
        story = actors(parse(Story(id="t", text=text)))
        sentence = story.sentences[0]
        return [(sentence, [m for m in story.mentions if m.sentence_index == 0])]

    return run


def run_fallback(parsed, text, penta, dyad, policy=None):
    sentences = parsed(text)
    views = [SentenceView(s) for s, _ in sentences]
    return fallback_events("t", sentences, penta, dyad, Ontology.load(), views, policy=policy)


def test_two_parties_get_one_event_typed_within_the_quad(parsed):
    dyad = FixedDyad("AID")
    events = run_fallback(
        parsed, "Germany gave 300 million euros to Ethiopia.", FixedPenta(2, 0.95), dyad
    )
    assert len(events) == 1
    event = events[0]
    assert (event.source.code, event.target.code, event.plover) == ("DEU", "ETH", "AID")
    assert event.quad_class == 2 and event.modality == "asserted"
    assert 0 < event.confidence < 0.95
    assert dyad.seen[0].source_text == "Germany" and dyad.seen[0].target_text == "Ethiopia"


def test_one_party_subject_is_the_source_with_no_target(parsed):
    events = run_fallback(
        parsed, "Cambodian troops remained on alert all week.", FixedPenta(4, 0.95),
        FixedDyad("MOBILIZE"),
    )  # fmt: skip
    assert len(events) == 1
    assert events[0].source.code.startswith("KHM") and events[0].target is None
    assert events[0].target_text is None and events[0].target_span is None
    assert events[0].plover == "MOBILIZE"


def test_one_party_passive_subject_is_the_target(parsed):
    events = run_fallback(
        parsed, "A French journalist was detained for a week.", FixedPenta(4, 0.95),
        FixedDyad("COERCE"),
    )  # fmt: skip
    assert len(events) == 1
    assert events[0].source is None and events[0].target.code.startswith("FRA")


def test_one_party_needs_a_surer_classifier_than_two(parsed):
    policy = FallbackPolicy(sentence_at=0.7, one_party_at=0.8)  # not the defaults
    one = "Cambodian troops remained on alert all week."
    two = "Germany gave 300 million euros to Ethiopia."
    assert run_fallback(parsed, one, FixedPenta(4, 0.75), FixedDyad("MOBILIZE"), policy) == []
    assert len(run_fallback(parsed, two, FixedPenta(2, 0.75), FixedDyad("AID"), policy)) == 1
    assert run_fallback(parsed, two, FixedPenta(2, 0.65), FixedDyad("AID"), policy) == []


def test_neutral_verdicts_and_history_give_no_event(parsed):
    text = "Germany gave 300 million euros to Ethiopia."
    assert run_fallback(parsed, text, FixedPenta(0, 0.99), FixedDyad("AID")) == []
    negated = "Germany did not give any money to Ethiopia."
    assert run_fallback(parsed, negated, FixedPenta(2, 0.99), FixedDyad("AID")) == []


def test_a_sentence_without_parties_gives_no_event(parsed):
    text = "The weather stayed mild all week."
    assert run_fallback(parsed, text, FixedPenta(4, 0.99), FixedDyad("ASSAULT")) == []
