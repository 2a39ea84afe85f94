"""Learned extraction: which (source, target) pairs of a sentence's noun phrases are an event.

The rules find events between the actors they know. Many events are between parties no table
knows ("the ACLU", "a Swiss court", "another ethnic Chechen") or are worded in ways no rule
covers. This model reads every ordered pair of candidate heads of one parsed sentence (nouns,
proper nouns and pronouns that head a phrase) and scores whether the first did something to
the second. Its features are the parse between the two (the dependency path, the word that
joins them, their roles and entity types) and the predicate lexicon's view of that word; the
model is a logistic regression over binary features, trained on the gold dyads of the
development sets with the cross-validation in ``benchmarks/bench_learned_pairs.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..records import Mention, Sentence, Token

HEAD_POS = {"NOUN", "PROPN", "PRON"}
# Dependents that are part of a bigger phrase rather than heads of their own.
INSIDE_DEPS = {"compound", "amod", "det", "nummod", "quantmod", "nmod", "case", "punct"}
SKIPPED_PRONOUNS = {"it", "this", "that", "which", "what", "who", "whom", "there", "itself"}
MAX_PATH = 5
PACKAGED = "pair_events.npz"
FORMAT_VERSION = 2


@dataclass(frozen=True, slots=True)
class PairCandidate:
    """One ordered pair of candidate heads in a sentence."""

    source: int  # token index of the source head
    target: int
    features: tuple[str, ...]


def candidate_heads(sentence: Sentence) -> list[int]:
    """Tokens that head a noun phrase: the possible parties of an event."""
    heads = []
    for tok in sentence.tokens:
        if tok.pos not in HEAD_POS or tok.dep in INSIDE_DEPS:
            continue
        if tok.pos == "PRON" and tok.text.lower() in SKIPPED_PRONOUNS:
            continue
        if not any(ch.isalpha() for ch in tok.text):
            continue
        heads.append(tok.i)
    return heads


def _ancestors(sentence: Sentence, i: int) -> list[int]:
    chain = [i]
    seen = {i}
    while True:
        head = sentence.tokens[chain[-1]].head
        if head in seen:
            return chain
        chain.append(head)
        seen.add(head)


def dependency_path(sentence: Sentence, a: int, b: int) -> tuple[list[Token], Token, list[Token]]:
    """Tokens from ``a`` up to the lowest common ancestor, that ancestor, and down to ``b``."""
    up_a, up_b = _ancestors(sentence, a), _ancestors(sentence, b)
    in_b = set(up_b)
    lca = next((t for t in up_a if t in in_b), up_a[-1])
    tokens = sentence.tokens
    rise = [tokens[t] for t in up_a[: up_a.index(lca)]]
    fall = [tokens[t] for t in up_b[: up_b.index(lca)]] if lca in up_b else []
    return rise, tokens[lca], list(reversed(fall))


def _prep(sentence: Sentence, tok: Token) -> str:
    if tok.dep == "pobj":
        return sentence.tokens[tok.head].lemma.lower()
    return ""


def pair_features(
    sentence: Sentence,
    source: int,
    target: int,
    mention_kinds: dict[int, str],
    predicate_roots: dict[str, str],
) -> tuple[str, ...]:
    """Sparse features of one ordered pair; ``predicate_roots`` maps a lemma to its CAMEO root."""
    tokens = sentence.tokens
    src, tgt = tokens[source], tokens[target]
    rise, lca, fall = dependency_path(sentence, source, target)
    length = len(rise) + len(fall)
    path = "^".join(t.dep for t in rise) + "|" + "v".join(t.dep for t in fall)
    if length > MAX_PATH:
        path = f"long{min(length, 9)}"
    lemma = lca.lemma.lower()
    src_kind = mention_kinds.get(source, "none")
    tgt_kind = mention_kinds.get(target, "none")
    order = "fwd" if source < target else "back"
    distance = min(abs(target - source), 12) // 3
    root = predicate_roots.get(lemma, "none")
    deps = f"{src.dep}>{tgt.dep}"
    prep = _prep(sentence, tgt)
    feats = [
        "bias",
        f"path={path}",
        f"path={path}|lca={lca.pos}",
        f"lca={lemma}",
        f"lca={lemma}|deps={deps}",
        f"lcapos={lca.pos}",
        f"lcadep={lca.dep}",
        f"deps={deps}",
        f"deps={deps}|lcapos={lca.pos}",
        f"src.dep={src.dep}",
        f"tgt.dep={tgt.dep}",
        f"src.pos={src.pos}",
        f"tgt.pos={tgt.pos}",
        f"src.ent={src.ent_type or '-'}",
        f"tgt.ent={tgt.ent_type or '-'}",
        f"ents={src.ent_type or '-'}>{tgt.ent_type or '-'}",
        f"src.kind={src_kind}",
        f"tgt.kind={tgt_kind}",
        f"kinds={src_kind != 'none'}>{tgt_kind != 'none'}",
        f"order={order}",
        f"order={order}|deps={deps}",
        f"dist={distance}",
        f"len={min(length, 6)}",
        f"lexroot={root}",
        f"lexroot={root}|deps={deps}",
        f"lexroot={root}|path={path}",
        f"tgt.prep={prep}",
        f"tgt.prep={prep}|lexroot={root}",
        f"tgt.prep={prep}|lca={lemma}",
        f"src.isroot={src.head == src.i}",
        f"lca.isroot={lca.dep == 'ROOT'}",
        f"src.lemma={src.lemma.lower() if src.pos == 'PRON' else '-'}",
    ]
    if rise:
        feats.append(f"rise0={rise[0].dep}|{tokens[rise[0].head].pos}")
    if fall:
        feats.append(f"fall_last={fall[-1].dep}|{tokens[fall[-1].head].lemma.lower()}")
    return tuple(feats)


def sentence_pairs(
    sentence: Sentence,
    mentions: Sequence[Mention],
    predicate_roots: dict[str, str],
    max_heads: int = 12,
) -> list[PairCandidate]:
    """Every ordered pair of candidate heads (the first ``max_heads`` of them) with features."""
    heads = candidate_heads(sentence)[:max_heads]
    kinds = {m.head: m.kind for m in mentions if m.head >= 0}
    for mention in mentions:
        for i in range(mention.start, mention.end):
            kinds.setdefault(i, mention.kind)
    return [
        PairCandidate(s, t, pair_features(sentence, s, t, kinds, predicate_roots))
        for s in heads
        for t in heads
        if s != t
    ]


def feature_matrix(rows: Sequence[Sequence[str]], vocabulary: dict[str, int]):  # noqa: ANN201
    """Rows as a binary scipy CSR matrix over ``vocabulary`` (unknown features dropped)."""
    from scipy.sparse import csr_matrix

    indptr = [0]
    indices: list[int] = []
    for feats in rows:
        indices.extend(sorted({vocabulary[f] for f in feats if f in vocabulary}))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    return csr_matrix((data, indices, indptr), shape=(len(rows), len(vocabulary)))


@dataclass(slots=True)
class PairModel:
    """Logistic regression over binary pair features: P(the pair is an event).

    Kept as a feature → weight table (only non-zero weights), so scoring a pair is a sum of
    dictionary lookups: faster than building a matrix for the few dozen pairs of a sentence.
    """

    weights: dict[str, float]
    bias: float

    def proba(self, rows: Sequence[Sequence[str]]) -> np.ndarray:
        get = self.weights.get
        scores = np.fromiter(
            (self.bias + sum(get(f, 0.0) for f in set(feats)) for feats in rows),
            dtype=np.float64,
            count=len(rows),
        )
        return 1.0 / (1.0 + np.exp(-scores))

    def save(self, path: str | Path) -> None:
        names = sorted(self.weights)
        np.savez_compressed(
            path,
            features=np.array("\n".join(names)),
            weights=np.array([self.weights[n] for n in names], dtype=np.float32),
            bias=np.float64(self.bias),
            format=np.int32(FORMAT_VERSION),
        )

    @classmethod
    def load_packaged(cls) -> PairModel:
        from .dyad import packaged_model

        return cls.load(packaged_model(PACKAGED))

    @classmethod
    def load(cls, path: str | Path) -> PairModel:
        from ..errors import ModelError

        try:
            with np.load(path) as data:
                if int(data["format"]) != FORMAT_VERSION:
                    raise ModelError(f"{path}: pair model of format {int(data['format'])}, "
                                     f"this detente reads {FORMAT_VERSION}")  # fmt: skip
                names = str(data["features"]).split("\n")
                values = data["weights"].astype(np.float64)
                return cls(dict(zip(names, values.tolist(), strict=True)), float(data["bias"]))
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"{path}: not a pair model ({exc})") from exc


def train_pair_model(
    rows: Sequence[Sequence[str]], labels: Sequence[int], c: float = 0.5
) -> PairModel:
    from sklearn.linear_model import LogisticRegression

    vocabulary: dict[str, int] = {}
    for feats in rows:
        for f in feats:
            vocabulary.setdefault(f, len(vocabulary))
    model = LogisticRegression(C=c, max_iter=2000, solver="liblinear")
    model.fit(feature_matrix(rows, vocabulary), np.asarray(labels))
    coef = model.coef_[0]
    weights = {f: float(coef[i]) for f, i in vocabulary.items() if coef[i] != 0.0}
    return PairModel(weights, float(model.intercept_[0]))


def choose_pairs(
    candidates: Sequence[PairCandidate],
    probs: Sequence[float],
    threshold: float,
    top: float | None = None,
) -> list[int]:
    """Indices of the pairs taken as events: every pair at ``threshold`` or above, and the
    sentence's best pair from ``top`` on. Of a pair and its reverse only the likelier stays:
    one party acting on the other is read one way."""
    order = sorted(range(len(candidates)), key=lambda i: -probs[i])
    chosen: list[int] = []
    taken: set[tuple[int, int]] = set()
    for rank, i in enumerate(order):
        floor = top if rank == 0 and top is not None else threshold
        if probs[i] < floor:
            break  # sorted: nothing after this one reaches the threshold either
        pair = (candidates[i].source, candidates[i].target)
        if (pair[1], pair[0]) in taken:
            continue
        taken.add(pair)
        chosen.append(i)
    return chosen
