"""The MiniLM/BERT encoder as torch modules, with low-rank (LoRA) updates, for fine-tuning only.

Imports torch at module level: import this module only from training code (``learn.finetune``).
The forward pass is the one ``learn.embed`` runs in numpy, plus dropout while training; the
trained factors are exported as an :class:`~detente.learn.adapter.EncoderAdapter`.
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from detente.learn.adapter import NORMS, TARGETS, EncoderAdapter, LayerAdapter, LowRankUpdate
from detente.learn.embed import BertConfig


class LoRALinear(nn.Module):
    """A frozen ``nn.Linear`` plus ``scale * B @ A``; B starts at zero, so training starts
    from the pretrained weights exactly."""

    def __init__(self, base: nn.Linear, rank: int, alpha: float, generator: torch.Generator):
        super().__init__()
        self.base = base
        self.scale = alpha / rank
        a = torch.randn(rank, base.in_features, generator=generator) / math.sqrt(base.in_features)
        self.a = nn.Parameter(a)
        self.b = nn.Parameter(torch.zeros(base.out_features, rank))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + (x @ self.a.T @ self.b.T) * self.scale

    def update(self) -> LowRankUpdate:
        return LowRankUpdate(self.a.detach().numpy().copy(), self.b.detach().numpy().copy(),
                             self.scale)  # fmt: skip


class TorchLayer(nn.Module):
    """One BERT layer; its dense modules are named by :data:`~detente.learn.adapter.TARGETS`
    order: query, key, value, attention output, intermediate, output."""

    def __init__(self, config: BertConfig, intermediate: int, dropout: float):
        super().__init__()
        h = config.hidden_size
        self.dense = nn.ModuleList(
            [nn.Linear(h, h) for _ in range(4)]
            + [nn.Linear(h, intermediate), nn.Linear(intermediate, h)]
        )
        self.norms = nn.ModuleList(nn.LayerNorm(h, eps=config.layer_norm_eps) for _ in NORMS)
        self.heads = config.num_heads
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        query, key, value, out, ff1, ff2 = self.dense
        batch, seq, hidden = x.shape
        dim = hidden // self.heads

        def split(t: torch.Tensor) -> torch.Tensor:
            return t.view(batch, seq, self.heads, dim).transpose(1, 2)

        scores = split(query(x)) @ split(key(x)).transpose(-1, -2) / math.sqrt(dim) + bias
        context = self.drop(scores.softmax(-1)) @ split(value(x))
        context = context.transpose(1, 2).reshape(batch, seq, hidden)
        x = self.norms[0](x + self.drop(out(context)))
        return self.norms[1](x + self.drop(ff2(F.gelu(ff1(x)))))


class TorchBert(nn.Module):
    """Embeddings + layers + mean pooling, loaded from the same safetensors file as the numpy
    encoder."""

    def __init__(self, weights: dict[str, torch.Tensor], config: BertConfig, dropout: float):
        super().__init__()
        w = {k.removeprefix("bert."): v for k, v in weights.items()}
        self.word = nn.Parameter(w["embeddings.word_embeddings.weight"].clone())
        self.position = nn.Parameter(w["embeddings.position_embeddings.weight"].clone())
        self.token_type = nn.Parameter(w["embeddings.token_type_embeddings.weight"][0].clone())
        self.norm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        _copy(self.norm, w, "embeddings.LayerNorm")
        intermediate = w["encoder.layer.0.intermediate.dense.weight"].shape[0]
        self.layers = nn.ModuleList(
            TorchLayer(config, intermediate, dropout) for _ in range(config.num_layers)
        )
        for i, layer in enumerate(self.layers):
            for module, name in zip(layer.dense, TARGETS, strict=True):
                _copy(module, w, f"encoder.layer.{i}.{name}")
            for module, name in zip(layer.norms, NORMS, strict=True):
                _copy(module, w, f"encoder.layer.{i}.{name}")
        self.drop = nn.Dropout(dropout)

    def pooled(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        x = self.word[ids] + self.position[: ids.shape[1]] + self.token_type
        x = self.drop(self.norm(x))
        bias = (~mask)[:, None, None, :].float() * torch.finfo(torch.float32).min
        for layer in self.layers:
            x = layer(x, bias)
        m = mask[..., None].float()
        return (x * m).sum(1) / m.sum(1).clamp(min=1e-9)

    def add_lora(self, rank: int, alpha: float, seed: int) -> list[nn.Parameter]:
        """Freeze everything, wrap every dense module in :class:`LoRALinear` and unfreeze the
        LayerNorms of the layers; returns the trainable parameters."""
        generator = torch.Generator().manual_seed(seed)
        for p in self.parameters():
            p.requires_grad_(False)
        trainable: list[nn.Parameter] = []
        for layer in self.layers:
            for i, base in enumerate(layer.dense):
                lora = LoRALinear(base, rank, alpha, generator)
                layer.dense[i] = lora
                trainable += [lora.a, lora.b]
            for norm in layer.norms:
                for p in norm.parameters():
                    p.requires_grad_(True)
                    trainable.append(p)
        return trainable

    def adapter(self) -> EncoderAdapter:
        """The trained changes, for the numpy encoder."""
        layers = []
        for layer in self.layers:
            updates = {name: m.update() for name, m in zip(TARGETS, layer.dense, strict=True)
                       if isinstance(m, LoRALinear)}  # fmt: skip
            norms = {name: (_numpy(n.weight), _numpy(n.bias))
                     for name, n in zip(NORMS, layer.norms, strict=True)}  # fmt: skip
            layers.append(LayerAdapter(updates, norms))
        return EncoderAdapter(tuple(layers))


def _copy(module: nn.Module, weights: dict[str, torch.Tensor], name: str) -> None:
    module.weight.data = weights[f"{name}.weight"].clone().float()
    module.bias.data = weights[f"{name}.bias"].clone().float()


def _numpy(t: torch.Tensor) -> np.ndarray:
    return t.detach().numpy().astype(np.float32, copy=True)
