"""Fine-tuned changes to the MiniLM encoder, kept small: low-rank updates (LoRA) to the dense
weights of each layer plus that layer's LayerNorm parameters.

Fine-tuning (``learn.finetune``, which needs torch) learns, for each dense weight ``W`` (torch
layout, out x in), two thin matrices ``A`` (r x in) and ``B`` (out x r); the tuned weight is
``W + scale * B @ A``. Shipping the factors instead of the tuned encoder keeps the artefact at
about 2.5 MB instead of 91 MB, and the base weights still come from the pinned model package.
:meth:`EncoderAdapter.apply` merges the factors into the numpy encoder's weights once, at load,
so the adapted encoder runs exactly as fast as the base one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from detente.errors import ModelError

if TYPE_CHECKING:
    from detente.learn.embed import BertConfig, EncoderLayer, EncoderWeights

# The dense weights of a BERT layer that may carry an update, by their Hugging Face names.
TARGETS = (
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense",
)
NORMS = ("attention.output.LayerNorm", "output.LayerNorm")
_F32 = np.float32


@dataclass(frozen=True)
class LowRankUpdate:
    """``scale * b @ a`` added to a dense weight; ``a`` is (r, in), ``b`` is (out, r)."""

    a: np.ndarray
    b: np.ndarray
    scale: float

    def delta(self) -> np.ndarray:
        """The update in the numpy encoder's (in, out) layout."""
        return (self.a.T.astype(_F32) @ self.b.T.astype(_F32)) * _F32(self.scale)


@dataclass(frozen=True)
class LayerAdapter:
    """One layer's updates (by target name) and its replacement LayerNorm (gamma, beta) pairs."""

    updates: Mapping[str, LowRankUpdate]
    norms: Mapping[str, tuple[np.ndarray, np.ndarray]]

    def apply(self, layer: EncoderLayer, config: BertConfig) -> EncoderLayer:
        h = config.hidden_size
        qkv_w = layer.qkv_w.copy()
        query_scale = _F32(1.0 / math.sqrt(config.head_dim))  # folded into the query weights
        for column, (name, factor) in enumerate(
            zip(TARGETS[:3], (query_scale, _F32(1.0), _F32(1.0)), strict=True)
        ):
            if name in self.updates:
                qkv_w[:, column * h : (column + 1) * h] += self.updates[name].delta() * factor
        changes: dict[str, np.ndarray] = {"qkv_w": qkv_w}
        for name, field in zip(TARGETS[3:], ("out_w", "ff1_w", "ff2_w"), strict=True):
            if name in self.updates:
                changes[field] = getattr(layer, field) + self.updates[name].delta()
        for name, (g_field, b_field) in zip(
            NORMS, (("ln1_g", "ln1_b"), ("ln2_g", "ln2_b")), strict=True
        ):
            if name in self.norms:
                gamma, beta = self.norms[name]
                changes[g_field], changes[b_field] = gamma.astype(_F32), beta.astype(_F32)
        return replace(layer, **changes)


@dataclass(frozen=True)
class EncoderAdapter:
    """Per-layer changes for an encoder with ``len(layers)`` layers."""

    layers: tuple[LayerAdapter, ...]

    def apply(self, weights: EncoderWeights, config: BertConfig) -> EncoderWeights:
        """``weights`` with every layer's updates merged in (``weights`` is not changed)."""
        if len(self.layers) != len(weights.layers):
            raise ModelError(
                f"adapter has {len(self.layers)} layers, the encoder {len(weights.layers)}"
            )
        layers = tuple(a.apply(w, config) for a, w in zip(self.layers, weights.layers, strict=True))
        return replace(weights, layers=layers)

    def to_arrays(self, prefix: str = "adapter") -> dict[str, np.ndarray]:
        """Plain named arrays for an ``.npz`` file (see :meth:`from_arrays`)."""
        out: dict[str, np.ndarray] = {}
        for i, layer in enumerate(self.layers):
            for name, update in layer.updates.items():
                key = f"{prefix}.{i}.{name}"
                out[key + ".a"] = update.a.astype(_F32)
                out[key + ".b"] = update.b.astype(_F32)
                out[key + ".scale"] = np.array(update.scale, dtype=np.float64)
            for name, (gamma, beta) in layer.norms.items():
                out[f"{prefix}.{i}.{name}.weight"] = gamma.astype(_F32)
                out[f"{prefix}.{i}.{name}.bias"] = beta.astype(_F32)
        return out

    @classmethod
    def from_arrays(
        cls, arrays: Mapping[str, np.ndarray], n_layers: int, prefix: str = "adapter"
    ) -> EncoderAdapter:
        try:
            layers = tuple(_layer_from_arrays(arrays, f"{prefix}.{i}.") for i in range(n_layers))
        except KeyError as exc:
            raise ModelError(f"adapter array {exc} missing") from exc
        return cls(layers)


def _layer_from_arrays(arrays: Mapping[str, np.ndarray], prefix: str) -> LayerAdapter:
    updates = {
        name: LowRankUpdate(
            np.asarray(arrays[f"{prefix}{name}.a"], dtype=_F32),
            np.asarray(arrays[f"{prefix}{name}.b"], dtype=_F32),
            float(arrays[f"{prefix}{name}.scale"]),
        )
        for name in TARGETS
        if f"{prefix}{name}.a" in arrays
    }
    norms = {
        name: (
            np.asarray(arrays[f"{prefix}{name}.weight"], dtype=_F32),
            np.asarray(arrays[f"{prefix}{name}.bias"], dtype=_F32),
        )
        for name in NORMS
        if f"{prefix}{name}.weight" in arrays
    }
    return LayerAdapter(updates, norms)
