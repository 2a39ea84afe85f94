"""`detente eval --cv K`: folds by gold item, classifiers retrained on the other folds."""

import io
import json

import pytest

from detente import cli
from detente.errors import ConfigError
from detente.evaluate.crossval import evaluate_cv, folds_of
from detente.evaluate.gold import GoldEvent, GoldItem


def dyad_item(n, text, source, target, plover):
    return GoldItem(id=f"d{n}", text=text, events=(GoldEvent(source_text=source,
                    target_text=target, plover=plover),))  # fmt: skip


DYADS = [
    dyad_item(1, "Freedonia accused Sylvania of shelling border villages.", "Freedonia",
              "Sylvania", "ACCUSE"),
    dyad_item(2, "Ruritania accused Fenwick of hiding the report.", "Ruritania", "Fenwick",
              "ACCUSE"),
    dyad_item(3, "Sylvania blamed Freedonia for the failed talks.", "Sylvania", "Freedonia",
              "ACCUSE"),
    dyad_item(4, "Fenwick accused Ruritania of spying on its embassy.", "Fenwick", "Ruritania",
              "ACCUSE"),
    dyad_item(5, "Freedonian troops shelled Sylvanian villages overnight.", "Freedonian troops",
              "Sylvanian villages", "ASSAULT"),
    dyad_item(6, "Gunmen killed three Ruritanian police officers.", "Gunmen",
              "three Ruritanian police officers", "ASSAULT"),
    dyad_item(7, "Fenwick's army bombed a Sylvanian airbase.", "Fenwick's army",
              "a Sylvanian airbase", "ASSAULT"),
    dyad_item(8, "Rebels attacked a Freedonian convoy near the border.", "Rebels",
              "a Freedonian convoy", "ASSAULT"),
]  # fmt: skip


@pytest.fixture(autouse=True)
def without_synthetic_examples(monkeypatch):
    """The fold models train on the tiny gold sets here only, to keep the tests quick."""
    import detente.learn.data as data
    import detente.learn.embed as embed

    monkeypatch.setattr(data, "read_synthetic_dyads", lambda path=None: [])
    monkeypatch.setattr(embed, "encoder_available", lambda: False)


def test_folds_split_items_and_cover_each_once():
    folds = folds_of(DYADS, 3, seed=1)
    assert len(folds) == 3
    ids = [item.id for fold in folds for item in fold]
    assert sorted(ids) == sorted(item.id for item in DYADS)
    assert folds == folds_of(DYADS, 3, seed=1)  # deterministic
    with pytest.raises(ConfigError, match="at least 2 folds"):
        folds_of(DYADS, 1)
    with pytest.raises(ConfigError, match="cannot make"):
        folds_of(DYADS[:2], 3)


def test_classify_cv_trains_without_the_test_fold(nlp, monkeypatch):
    import detente.evaluate.crossval as crossval

    trained_on: list[set[str]] = []
    real = crossval._fold_dyad

    def spy(train, nlp_, encoder=None):
        trained_on.append({item.id for item in train})
        return real(train, nlp_, encoder)

    monkeypatch.setattr(crossval, "_fold_dyad", spy)
    done = []
    scores = evaluate_cv(DYADS, "classify", 2, nlp=nlp, on_fold=lambda f, k: done.append(f))
    assert done == [1, 2] and scores.extra["folds"] == 2
    tests = folds_of(DYADS, 2)
    for train_ids, test in zip(trained_on, tests, strict=True):
        assert train_ids.isdisjoint(item.id for item in test)
        assert len(train_ids) == len(DYADS) - len(test)
    assert scores.items == len(DYADS)
    assert {c.label for c in scores.per_class} == {"ACCUSE", "ASSAULT"}


def test_classify_cv_with_finetune_blends_a_tuned_model_per_fold(nlp, monkeypatch):
    import numpy as np

    import detente.learn.finetune as finetune
    from detente.learn.data import PLOVER_LABELS

    accuse, assault = PLOVER_LABELS.index("ACCUSE"), PLOVER_LABELS.index("ASSAULT")

    class Tuned:  # a tuned-model double that is sure, and right, about every sentence
        labels = PLOVER_LABELS

        def proba(self, items):
            out = np.full((len(items), len(self.labels)), 0.01)
            for row, item in enumerate(items):
                words = item.text.lower()
                out[row, accuse if "accuse" in words or "blame" in words else assault] = 0.9
            return out / out.sum(axis=1, keepdims=True)

    calls = []

    def fake_fine_tune(examples, settings, *, encoder=None, progress=None):
        calls.append((len(examples), settings, encoder))
        return Tuned()

    monkeypatch.setattr(finetune, "fine_tune_dyad", fake_fine_tune)
    scores = evaluate_cv(DYADS, "classify", 2, nlp=nlp, encoder="ENC", finetune="SETTINGS")
    assert [(s, e) for _, s, e in calls] == [("SETTINGS", "ENC")] * 2
    assert sum(n for n, _, _ in calls) == len(DYADS)  # each fold trains on the other one
    assert scores.accuracy == 1.0


def test_penta_cv_scores_every_sentence(nlp, monkeypatch):
    items = [
        GoldItem(id=f"p{n}", text=text, penta=label)
        for n, (text, label) in enumerate([
            ("Freedonia praised Sylvania for its help.", 1),
            ("Ruritania welcomed the Fenwick offer of dialogue.", 1),
            ("Freedonian soldiers opened fire on Sylvanian protesters.", 4),
            ("Fenwick's army bombed a Ruritanian village.", 4),
            ("The weather stayed mild all week.", 0),
            ("The minister spoke to reporters about the harvest.", 0),
        ])
    ]  # fmt: skip
    scores = evaluate_cv(items, "penta", 2, nlp=nlp)
    assert scores.items == len(items) and 0.0 <= scores.macro_f1 <= 1.0


def test_cli_eval_cv_reports_folds(tmp_path, monkeypatch, nlp):
    import detente.learn.parsing as parsing

    monkeypatch.setattr(parsing, "load_nlp", lambda *a, **k: nlp)
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps({
        "id": item.id, "text": item.text,
        "events": [{"source_text": e.source_text, "target_text": e.target_text,
                    "plover": e.plover} for e in item.events],
    }) + "\n" for item in DYADS))  # fmt: skip
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["eval", str(gold), "--mode", "classify", "--cv", "2", "--format", "json"],
                    out, err)  # fmt: skip
    assert code == 0
    result = json.loads(out.getvalue())
    assert result["folds"] == 2
    assert result["model"].startswith("2-fold cross-validation: linear (the blend needs torch")
    assert "fold 2/2 scored" in err.getvalue()
    code = cli.main(["eval", str(gold), "--cv", "1"], io.StringIO(), err)
    assert code == 2 and "at least 2 folds" in err.getvalue()  # a usage error
