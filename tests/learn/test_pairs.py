"""The pair model: candidate heads, pair features, the choice of pairs, training, files."""

from __future__ import annotations

import numpy as np
import pytest

from detente.learn.pairs import (
    PairCandidate,
    PairModel,
    candidate_heads,
    choose_pairs,
    dependency_path,
    pair_features,
    train_pair_model,
)


@pytest.fixture(scope="module")
def parsed(nlp):
    from detente.nlp import ParseStage
    from detente.records import Story

    parse = ParseStage(nlp=nlp)

    def run(text: str):
        return parse(Story(id="t", text=text)).sentences[0]

    return run


def words(sentence, indices):
    return [sentence.tokens[i].text for i in indices]


def test_candidate_heads_are_phrase_heads_not_their_modifiers(parsed) -> None:
    sentence = parsed("The Swiss court rejected the Croatian government's request.")
    heads = words(sentence, candidate_heads(sentence))
    assert "court" in heads and "request" in heads
    assert "Swiss" not in heads and "The" not in heads


def test_the_path_runs_through_the_word_that_joins_the_parties(parsed) -> None:
    sentence = parsed("Rebels attacked the village.")
    rebels, village = (
        next(t.i for t in sentence.tokens if t.text == w) for w in ("Rebels", "village")
    )
    rise, lca, fall = dependency_path(sentence, rebels, village)
    assert lca.text == "attacked"
    assert [t.dep for t in rise] == ["nsubj"] and [t.dep for t in fall] == ["dobj"]
    feats = pair_features(sentence, rebels, village, {}, {"attack": "19"})
    assert "path=nsubj|dobj" in feats and "lexroot=19" in feats and "lca=attack" in feats


def candidates(*pairs):
    return [PairCandidate(s, t, ()) for s, t in pairs]


def test_choose_pairs_keeps_the_likelier_direction_and_the_best_pair_from_top() -> None:
    pairs = candidates((0, 1), (1, 0), (0, 2), (2, 3))
    assert choose_pairs(pairs, [0.9, 0.8, 0.55, 0.1], threshold=0.5) == [0, 2]
    assert choose_pairs(pairs, [0.3, 0.1, 0.2, 0.1], threshold=0.5) == []
    assert choose_pairs(pairs, [0.3, 0.1, 0.2, 0.1], threshold=0.5, top=0.25) == [0]
    assert choose_pairs(pairs, [0.3, 0.1, 0.2, 0.1], threshold=0.5, top=0.35) == []


def test_training_learns_a_pattern_and_the_file_round_trips(tmp_path) -> None:
    rows = [("path=nsubj|dobj", "lca=attack")] * 20 + [("path=nsubj|pobj", "lca=be")] * 20
    labels = [1] * 20 + [0] * 20
    model = train_pair_model(rows, labels, c=1.0)
    probs = model.proba([("path=nsubj|dobj", "lca=attack"), ("path=nsubj|pobj", "lca=be")])
    assert probs[0] > 0.7 > 0.3 > probs[1]
    model.save(tmp_path / "pairs.npz")
    again = PairModel.load(tmp_path / "pairs.npz")
    assert np.allclose(again.proba(rows[:1]), model.proba(rows[:1]))
    assert model.proba([]).shape == (0,)


def test_the_packaged_model_reads_a_plain_transitive_event(parsed) -> None:
    from detente.learn.pair_data import predicate_roots
    from detente.learn.pairs import sentence_pairs

    sentence = parsed("The rebels attacked a police station in the north.")
    pairs = sentence_pairs(sentence, [], predicate_roots())
    probs = PairModel.load_packaged().proba([p.features for p in pairs])
    best = pairs[int(np.argmax(probs))]
    assert words(sentence, (best.source, best.target)) == ["rebels", "station"]
