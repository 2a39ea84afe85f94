"""detente's own parsed sentences seen through the attributes the feature code reads.

The classifiers were written against spaCy tokens; this view lets them read the parse the
pipeline already made instead of parsing every sentence a second time.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..records import Sentence, Token


class TokenView:
    __slots__ = ("_doc", "_tok")

    def __init__(self, doc: SentenceView, tok: Token) -> None:
        self._doc = doc
        self._tok = tok

    @property
    def i(self) -> int:
        return self._tok.i

    @property
    def idx(self) -> int:
        return self._tok.idx

    @property
    def text(self) -> str:
        return self._tok.text

    @property
    def lemma_(self) -> str:
        return self._tok.lemma

    @property
    def pos_(self) -> str:
        return self._tok.pos

    @property
    def dep_(self) -> str:
        return self._tok.dep

    @property
    def is_punct(self) -> bool:
        return self._tok.pos == "PUNCT"

    @property
    def is_space(self) -> bool:
        return self._tok.pos == "SPACE"

    @property
    def head(self) -> TokenView:
        return self._doc[self._tok.head]

    @property
    def children(self) -> Iterator[TokenView]:
        return iter(self._doc.children_of(self._tok.i))

    def __len__(self) -> int:
        return len(self._tok.text)


class SentenceView:
    """A read-only, spaCy-like Doc over one detente ``Sentence``."""

    def __init__(self, sentence: Sentence) -> None:
        self._tokens = [TokenView(self, t) for t in sentence.tokens]
        self._children: dict[int, list[TokenView]] = {}
        for view in self._tokens:
            if view.i != view._tok.head:
                self._children.setdefault(view._tok.head, []).append(view)

    def __iter__(self) -> Iterator[TokenView]:
        return iter(self._tokens)

    def __getitem__(self, i: int) -> TokenView:
        return self._tokens[i]

    def __len__(self) -> int:
        return len(self._tokens)

    def children_of(self, i: int) -> list[TokenView]:
        return self._children.get(i, [])
