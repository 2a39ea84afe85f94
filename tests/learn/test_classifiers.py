"""Train/predict/save/load round trips of the statistical classifiers on tiny own examples."""

from __future__ import annotations

import pytest

from detente.errors import ModelError
from detente.learn import (
    DyadClassifier,
    DyadInput,
    PentaClassifier,
    train_dyad_classifier,
    train_penta_classifier,
)
from detente.learn.data import PLOVER_LABELS, lead_sentence, normalise_plover
from detente.learn.features import dyad_features, find_span

DYAD = [
    (DyadInput("Freedonia accused Sylvania of shelling border villages.", "Freedonia", "Sylvania"),
     "ACCUSE"),
    (DyadInput("The mayor accused the police of hiding the report.", "The mayor", "the police"),
     "ACCUSE"),
    (DyadInput("Ruritania blamed Grand Fenwick for the failed talks.", "Ruritania",
               "Grand Fenwick"), "ACCUSE"),
    (DyadInput("Sylvania signed a trade agreement with Freedonia on Monday.", "Sylvania",
               "Freedonia"), "AGREE"),
    (DyadInput("The rebels agreed to a ceasefire with the army.", "The rebels", "the army"),
     "AGREE"),
    (DyadInput("Grand Fenwick and Ruritania signed a peace accord.", "Grand Fenwick", "Ruritania"),
     "AGREE"),
    (DyadInput("Troops from Freedonia shelled Sylvanian villages overnight.", "Troops",
               "Sylvanian villages"), "ASSAULT"),
    (DyadInput("Gunmen killed three police officers in the capital.", "Gunmen",
               "three police officers"), "ASSAULT"),
    (DyadInput("An air strike by Ruritania hit a school in Fenwick.", "Ruritania", "a school"),
     "ASSAULT"),
]  # fmt: skip

PENTA = [
    ("Freedonia and Sylvania held talks on trade.", 0),
    ("The minister met reporters on Tuesday.", 0),
    ("Sylvania praised Freedonia for its help.", 1),
    ("Ruritania welcomed the offer of dialogue.", 1),
    ("Freedonia sent food aid to flood victims in Sylvania.", 2),
    ("Ruritania released twenty prisoners.", 2),
    ("Sylvania condemned the Freedonian decision.", 3),
    ("Fenwick threatened sanctions against Ruritania.", 3),
    ("Soldiers opened fire on protesters.", 4),
    ("A bomb killed six people in the market.", 4),
]


@pytest.mark.parametrize("use_spacy", [False, True])
def test_dyad_train_predict_save_load(tmp_path, use_spacy):
    clf = train_dyad_classifier(DYAD, seed=0, use_spacy=use_spacy)
    assert clf.labels == PLOVER_LABELS
    items = [
        DyadInput("Sylvania accused Freedonia of lying.", "Sylvania", "Freedonia"),
        DyadInput("Militants killed two soldiers in the north.", "Militants", "two soldiers"),
        DyadInput("No actors here, just a sentence.", None, None),
    ]
    probs = clf.predict_proba(items)
    assert len(probs) == 3
    for p in probs:
        assert set(p) == set(PLOVER_LABELS)
        assert sum(p.values()) == pytest.approx(1.0, abs=1e-6)
    preds = clf.predict(items)
    assert preds[0][0] == "ACCUSE"
    assert preds[1][0] == "ASSAULT"
    assert all(0.0 < pr <= 1.0 for _, pr in preds)
    # classes never seen in training get (almost) no probability
    assert probs[0]["MOBILIZE"] < 1e-6

    path = tmp_path / "dyad.npz"
    clf.save(path)
    again = DyadClassifier.load(path)
    assert again.labels == clf.labels
    for a, b in zip(again.predict_proba(items), probs, strict=True):
        for k in a:
            assert a[k] == pytest.approx(b[k], abs=1e-6)
    assert clf.predict_proba([]) == []


def test_penta_train_predict_save_load(tmp_path):
    clf = train_penta_classifier(PENTA, seed=0, use_spacy=False)
    texts = ["Rebels killed five soldiers.", "Sylvania condemned the attack."]
    out = clf.predict(texts)
    assert [lab for lab, _ in out] == [4, 3]
    probs = clf.predict_proba(texts)
    assert set(probs[0]) == {0, 1, 2, 3, 4}
    path = tmp_path / "penta.npz"
    clf.save(path)
    again = PentaClassifier.load(path)
    assert again.predict(texts)[0][0] == 4
    with pytest.raises(ModelError):
        DyadClassifier.load(path)  # wrong task


def test_training_is_deterministic(tmp_path):
    a, b = tmp_path / "a.npz", tmp_path / "b.npz"
    train_dyad_classifier(DYAD, seed=0, use_spacy=False).save(a)
    train_dyad_classifier(DYAD, seed=0, use_spacy=False).save(b)
    assert a.read_bytes() == b.read_bytes()


def test_errors(tmp_path):
    with pytest.raises(ModelError):
        train_dyad_classifier([], use_spacy=False)
    with pytest.raises(ModelError):
        train_dyad_classifier([(DYAD[0][0], "NOT_A_TYPE"), (DYAD[3][0], "AGREE")], use_spacy=False)
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(ModelError):
        DyadClassifier.load(bad)
    with pytest.raises(ModelError):
        DyadClassifier.load(tmp_path / "missing.npz")


def test_helpers():
    assert normalise_plover("concede") == "YIELD"
    assert normalise_plover("RETREAT") == "YIELD"
    assert find_span("Talks between Freedonia and X.", "freedonia") == (14, 23)
    assert lead_sentence("First one here. Second one.\n\nMore.") == "First one here."
    f = dyad_features(DYAD[0][0])
    assert "xsrcx accused xtgtx" in f["m"]


def test_packaged_models_load():
    dyad = DyadClassifier.load()
    assert dyad.labels == PLOVER_LABELS
    label, prob = dyad.predict(
        [DyadInput("Freedonia accused Sylvania of shelling villages.", "Freedonia", "Sylvania")]
    )[0]
    assert label == "ACCUSE" and prob > 0.3
    penta = PentaClassifier.load()
    assert penta.predict(["A car bomb killed twelve people in the capital."])[0][0] == 4


class WordHashEncoder:
    """An in-memory stand-in for the sentence encoder: unit vectors from hashed words."""

    dimension = 16

    def __init__(self):
        self.seen: list[str] = []

    def encode(self, texts, batch_size=32):
        import numpy as np

        self.seen.extend(texts)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                out[row, sum(map(ord, word)) % self.dimension] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


def test_embedding_text_marks_the_two_actors():
    from detente.learn.dyad import embedding_text

    item = DyadInput("Freedonia accused Sylvania of lying.", "Freedonia", "Sylvania")
    assert embedding_text(item) == "SOURCE accused TARGET of lying."
    assert embedding_text(DyadInput("No actors here.")) == "No actors here."


def test_dyad_with_embeddings_round_trip(tmp_path):
    encoder = WordHashEncoder()
    clf = train_dyad_classifier(DYAD, seed=0, use_spacy=False, encoder=encoder)
    assert clf.uses_embeddings and clf.model.dense_size == WordHashEncoder.dimension
    assert clf.model.meta["embedding"]["view"] == "marked"
    assert "SOURCE accused TARGET of shelling border villages." in encoder.seen
    items = [DyadInput("Sylvania accused Freedonia of lying.", "Sylvania", "Freedonia")]
    probs = clf.predict_proba(items)
    assert max(probs[0], key=probs[0].get) == "ACCUSE"
    path = tmp_path / "dyad_embed.npz"
    clf.save(path)
    again = DyadClassifier.load(path, encoder=WordHashEncoder())
    assert again.predict_proba(items)[0]["ACCUSE"] == pytest.approx(probs[0]["ACCUSE"], abs=1e-5)
    plain = train_dyad_classifier(DYAD, seed=0, use_spacy=False)
    assert not plain.uses_embeddings and plain.model.dense_size == 0


def test_dense_features_must_match_the_model():
    import numpy as np

    from detente.learn.linear import features_matrix
    from detente.learn.vectorize import BlockVectorizer

    vec = BlockVectorizer.fit([{"w": ["a", "b"]}, {"w": ["a"]}], {"w": 1.0}, 1)
    docs = [{"w": ["a"]}]
    assert features_matrix(vec, docs, None, 0).shape == (1, 2)
    assert features_matrix(vec, docs, np.ones((1, 3)), 3).shape == (1, 5)
    with pytest.raises(ModelError, match="dense features"):
        features_matrix(vec, docs, None, 3)
    with pytest.raises(ModelError, match="dense features"):
        features_matrix(vec, docs, np.ones((1, 2)), 3)


def test_load_best_blends_the_tuned_model_only_with_the_encoder(monkeypatch):
    import detente.learn.embed as embed
    from detente.learn.blend import BlendedDyadClassifier

    monkeypatch.setattr(embed, "encoder_available", lambda: False)
    alone = DyadClassifier.load_best()
    assert isinstance(alone, DyadClassifier) and not alone.uses_embeddings
    monkeypatch.undo()
    if embed.encoder_available():
        best = DyadClassifier.load_best()
        assert isinstance(best, BlendedDyadClassifier)
        assert best.labels == alone.labels and best.tuned.labels == alone.labels
        label, _ = best.predict(
            [DyadInput("Freedonia accused Sylvania of shelling villages.", "Freedonia", "Sylvania")]
        )[0]
        assert label == "ACCUSE"


def test_synthetic_examples_are_well_formed_and_all_files_are_read():
    import json

    from detente.learn.data import read_synthetic_dyads, synthetic_paths

    paths = synthetic_paths()
    assert len(paths) >= 2
    rows = [json.loads(line) for p in paths for line in p.read_text().splitlines() if line]
    assert len({r["id"] for r in rows}) == len(rows)
    assert len({r["text"] for r in rows}) == len(rows)
    examples = read_synthetic_dyads()
    assert len(examples) == sum(r["plover"] != "NONE" for r in rows)
    for item, label in examples:
        assert normalise_plover(label) in PLOVER_LABELS
        for words in (item.source_text, item.target_text):
            assert words is None or words in item.text
