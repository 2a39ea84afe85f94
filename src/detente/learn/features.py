"""Turning a sentence (and optionally its source and target actor texts) into feature strings.

Every feature is a string with a short namespace prefix; each namespace becomes one TF-IDF block
(see :mod:`detente.learn.vectorize`). Nothing here keeps state: a spaCy ``Doc`` may be passed in
to add lemma and dependency features, otherwise only surface features are produced.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_WORD_RE = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_STOP = frozenset(
    "a an the of to in on at by for from with and or but as is are was were be been being "
    "that this these those it its his her their they he she we i you has have had will would "
    "s said says say".split()
)
SRC = "xsrcx"
TGT = "xtgtx"


@dataclass(frozen=True)
class DyadInput:
    """One event to classify: the sentence and, when known, the words naming its two actors."""

    text: str
    source_text: str | None = None
    target_text: str | None = None


def words(text: str) -> list[str]:
    """Lower-cased word tokens."""
    return _WORD_RE.findall(text.lower())


def _ngrams(tokens: Sequence[str], n_max: int) -> list[str]:
    out = list(tokens)
    for n in range(2, n_max + 1):
        out.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return out


def char_ngrams(text: str, n_min: int = 2, n_max: int = 5) -> list[str]:
    """Character n-grams inside word boundaries (like scikit-learn's ``char_wb``)."""
    out: list[str] = []
    for w in words(text):
        padded = f" {w} "
        for n in range(n_min, n_max + 1):
            if n > len(padded):
                break
            out.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return out


def find_span(text: str, part: str | None) -> tuple[int, int] | None:
    """Character span of ``part`` in ``text``: exact, case-insensitive, else by its last word."""
    if not part:
        return None
    i = text.find(part)
    if i < 0:
        i = text.lower().find(part.lower())
    if i >= 0:
        return i, i + len(part)
    for w in reversed(part.split()):
        w = w.strip(".,;:'\"()")
        if len(w) > 2:
            m = re.search(r"\b" + re.escape(w) + r"\b", text, flags=re.IGNORECASE)
            if m:
                return m.start(), m.end()
    return None


def mark_actors(text: str, src: tuple[int, int] | None, tgt: tuple[int, int] | None) -> str:
    """The sentence with the source and target spans replaced by placeholder words."""
    spans = [(s, SRC) for s in [src] if s] + [(t, TGT) for t in [tgt] if t]
    if len(spans) == 2 and spans[0][0][0] < spans[1][0][1] and spans[1][0][0] < spans[0][0][1]:
        spans = spans[:1]  # overlapping: keep the source
    out = text
    for (a, b), tag in sorted(spans, key=lambda x: -x[0][0]):
        out = f"{out[:a]} {tag} {out[b:]}"
    return out


def _tokens_in(doc: Any, span: tuple[int, int] | None) -> list[Any]:
    if span is None:
        return []
    return [t for t in doc if t.idx < span[1] and t.idx + len(t) > span[0]]


def _span_root(tokens: list[Any]) -> Any | None:
    if not tokens:
        return None
    ids = {t.i for t in tokens}
    for t in tokens:
        if t.head.i not in ids or t.head.i == t.i:
            return t
    return tokens[0]


def _governing_verb(tok: Any) -> Any | None:
    seen = 0
    cur = tok.head if tok.head.i != tok.i else tok
    while seen < 8:
        if cur.pos_ in ("VERB", "AUX") or cur.dep_ == "ROOT":
            return cur
        if cur.head.i == cur.i:
            return cur
        cur = cur.head
        seen += 1
    return None


def _ancestors(tok: Any) -> list[Any]:
    chain = [tok]
    while chain[-1].head.i != chain[-1].i and len(chain) < 30:
        chain.append(chain[-1].head)
    return chain


def _parse_features(
    doc: Any,
    src: tuple[int, int] | None,
    tgt: tuple[int, int] | None,
    lexicon: Mapping[str, str] | None = None,
) -> list[str]:
    out: list[str] = []
    lex = lexicon or {}

    def kind(name: str, tok: Any) -> None:
        found = lex.get(tok.lemma_.lower())
        if found:
            out.append(f"k{name}={found}")

    roots = [t for t in doc if t.dep_ == "ROOT"]
    for r in roots[:2]:
        out.append(f"root={r.lemma_.lower()}")
        kind("root", r)
        for c in r.children:
            if c.dep_ in ("dobj", "prep", "xcomp", "ccomp", "neg", "prt", "attr", "acomp"):
                out.append(f"root>{c.dep_}={c.lemma_.lower()}")
    s_root = _span_root(_tokens_in(doc, src))
    t_root = _span_root(_tokens_in(doc, tgt))
    for name, r in (("s", s_root), ("t", t_root)):
        if r is None:
            continue
        out.append(f"{name}dep={r.dep_}")
        v = _governing_verb(r)
        if v is not None:
            out.append(f"{name}verb={v.lemma_.lower()}")
            kind(f"{name}verb", v)
            out.append(f"{name}verb|dep={v.lemma_.lower()}|{r.dep_}")
            for c in v.children:
                if c.dep_ in ("dobj", "xcomp", "neg", "prt", "acomp"):
                    out.append(f"{name}verb>{c.dep_}={c.lemma_.lower()}")
        if r.head.i != r.i and r.dep_ == "pobj":
            out.append(f"{name}prep={r.head.lemma_.lower()}>{r.head.head.lemma_.lower()}")
    if s_root is not None and t_root is not None:
        s_anc = _ancestors(s_root)
        t_ids = {a.i: k for k, a in enumerate(_ancestors(t_root))}
        for k, a in enumerate(s_anc):
            if a.i in t_ids:
                out.append(f"lca={a.lemma_.lower()}")
                kind("lca", a)
                for x in s_anc[1 : k + 1]:
                    kind("path", x)
                path = [x.lemma_.lower() for x in s_anc[1 : k + 1] if x.pos_ in ("VERB", "NOUN")]
                out.extend(f"path={p}" for p in path)
                break
    for t in doc:
        if t.pos_ == "VERB":
            out.append(f"verb={t.lemma_.lower()}")
        if t.pos_ in ("VERB", "NOUN"):
            kind("any", t)
    return out


def dyad_features(
    item: DyadInput, doc: Any | None = None, lexicon: Mapping[str, str] | None = None
) -> dict[str, list[str]]:
    """Feature strings for one event, grouped by namespace (one TF-IDF block each)."""
    text = item.text
    src = find_span(text, item.source_text)
    tgt = find_span(text, item.target_text)
    ws = words(text)
    marked = words(mark_actors(text, src, tgt))
    feats: dict[str, list[str]] = {
        "w": _ngrams(ws, 2),
        "c": char_ngrams(text),
        "m": [g for g in _ngrams(marked, 3) if SRC in g or TGT in g],
    }
    ctx: list[str] = []
    if src and tgt:
        a, b = sorted([src, tgt])
        between = words(text[a[1] : b[0]])
        ctx.append("order=" + ("st" if src[0] <= tgt[0] else "ts"))
        ctx.extend("bt=" + w for w in between if w not in _STOP)
        ctx.append(f"gap={min(len(between), 12) // 3}")
    if tgt:
        ctx.extend("tb=" + w for w in words(text[: tgt[0]])[-4:])
        ctx.extend("ta=" + w for w in words(text[tgt[1] :])[:4])
    if src:
        ctx.extend("sa=" + w for w in words(text[src[1] :])[:4])
    if not src:
        ctx.append("nosrc")
    if not tgt:
        ctx.append("notgt")
    feats["d"] = ctx
    if doc is not None:
        lem = [t.lemma_.lower() for t in doc if not t.is_punct and not t.is_space]
        feats["l"] = _ngrams(lem, 2)
        feats["p"] = _parse_features(doc, src, tgt, lexicon)
    return feats


def sentence_features(
    text: str, doc: Any | None = None, lexicon: Mapping[str, str] | None = None
) -> dict[str, list[str]]:
    """Feature strings for a sentence-level task (no actors given)."""
    return dyad_features(DyadInput(text, None, None), doc, lexicon)


def embedding_text(item: DyadInput) -> str:
    """The sentence with its source and target replaced by the words SOURCE and TARGET, so
    that the embedding says who does what to whom."""
    text = item.text
    marked = mark_actors(text, find_span(text, item.source_text), find_span(text, item.target_text))
    return " ".join(marked.replace(SRC, "SOURCE").replace(TGT, "TARGET").split())
