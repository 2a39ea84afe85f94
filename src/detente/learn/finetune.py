"""Fine-tuning the MiniLM encoder for dyad PLOVER classification (needs torch; ``make train``).

Low-rank adapters (LoRA) on every dense weight of the six layers, the layers' LayerNorms and a
softmax head on the mean-pooled output are trained with AdamW and a one-cycle schedule; the
embeddings and the base weights stay frozen. The result is a :class:`TunedDyadModel`, which
runs in numpy. Training is deterministic for the same settings, data and torch thread count.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from detente.errors import ModelError
from detente.learn.data import PLOVER_LABELS, normalise_plover
from detente.learn.embed import pad_token_ids
from detente.learn.features import DyadInput, embedding_text
from detente.learn.tuned import TunedDyadModel

TORCH_PIP = "torch==2.13.0"


@dataclass(frozen=True)
class FineTuneSettings:
    """Chosen by 5-fold cross-validation on plv_train (``benchmarks/bench_classifier.py``)."""

    rank: int = 16
    alpha: float = 32.0
    epochs: int = 5
    lr: float = 1e-3  # adapters and LayerNorms
    head_lr: float = 1e-3
    batch_size: int = 16
    weight_decay: float = 0.01
    dropout: float = 0.1
    warmup: float = 0.1  # share of the steps spent warming up
    seed: int = 0
    threads: int = 2


def torch_available() -> bool:
    return importlib.util.find_spec("torch") is not None


def fine_tune_dyad(
    examples: Sequence[tuple[DyadInput, str]],
    settings: FineTuneSettings = FineTuneSettings(),
    *,
    encoder: Any | None = None,
    progress: Callable[[int, int, float], None] | None = None,
) -> TunedDyadModel:
    """Train on (input, PLOVER label) pairs (CONCEDE/RETREAT fold into YIELD). ``encoder``: the
    numpy ``SentenceEncoder`` whose weights and tokenizer are tuned (default: the packaged
    one). ``progress(epoch, epochs, mean_loss)`` is called after each epoch."""
    if not torch_available():
        raise ModelError(
            f"fine-tuning needs torch; install the CPU build with `pip install {TORCH_PIP}`"
        )
    if not examples:
        raise ModelError("no training examples")
    import torch
    from safetensors.torch import load_file

    from detente.learn.embed import SentenceEncoder, default_model_dir
    from detente.learn.torch_bert import TorchBert

    encoder = encoder or SentenceEncoder.load()
    index = {label: i for i, label in enumerate(PLOVER_LABELS)}
    try:
        y = np.array([index[normalise_plover(label)] for _, label in examples])
    except KeyError as exc:
        raise ModelError(f"unknown PLOVER label {exc} in the training examples") from exc
    token_ids = encoder.tokenize([embedding_text(item) for item, _ in examples])

    threads = torch.get_num_threads()
    torch.set_num_threads(settings.threads)
    try:
        torch.manual_seed(settings.seed)
        weights = load_file(str(default_model_dir() / "model.safetensors"))
        model = TorchBert(weights, encoder.config, settings.dropout)
        head = torch.nn.Linear(encoder.dimension, len(PLOVER_LABELS))
        _train(torch, model, head, token_ids, y, settings, progress)
    finally:
        torch.set_num_threads(threads)
    meta = {"base_model": "all-MiniLM-L6-v2", "view": "marked", "settings": asdict(settings),
            "examples": len(examples)}  # fmt: skip
    return TunedDyadModel(
        labels=PLOVER_LABELS, adapter=model.adapter(),
        head_w=head.weight.detach().numpy().copy(), head_b=head.bias.detach().numpy().copy(),
        meta=meta, encoder=encoder,
    )  # fmt: skip


def _train(
    torch: Any,
    model: Any,
    head: Any,
    token_ids: Sequence[Sequence[int]],
    y: np.ndarray,
    settings: FineTuneSettings,
    progress: Callable[[int, int, float], None] | None,
) -> None:
    """Adapters (added here), LayerNorms and head, trained in place with AdamW, one cycle."""
    body = model.add_lora(settings.rank, settings.alpha, settings.seed)
    optimiser = torch.optim.AdamW(
        [
            {"params": body, "lr": settings.lr},
            {"params": head.parameters(), "lr": settings.head_lr},
        ],
        weight_decay=settings.weight_decay,
    )
    per_epoch = -(-len(y) // settings.batch_size)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimiser, max_lr=[settings.lr, settings.head_lr], total_steps=settings.epochs * per_epoch,
        pct_start=settings.warmup, anneal_strategy="linear",
    )  # fmt: skip
    rng = np.random.default_rng(settings.seed)
    model.train()
    for epoch in range(settings.epochs):
        order, total = rng.permutation(len(y)), 0.0
        for start in range(0, len(order), settings.batch_size):
            batch = order[start : start + settings.batch_size]
            ids, mask = map(torch.from_numpy, pad_token_ids([token_ids[i] for i in batch]))
            logits = head(model.pooled(ids, mask))
            loss = torch.nn.functional.cross_entropy(logits, torch.from_numpy(y[batch]))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item() * len(batch)
        if progress is not None:
            progress(epoch + 1, settings.epochs, total / len(order))
    model.eval()
