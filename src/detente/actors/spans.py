"""Noun-phrase spans and lexicon hits inside one parsed sentence."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..records import Sentence, Token
from .lexicon import ActorLexicon, Entry, normalise

# Children that start a new phrase rather than belong to the head's own words.
OUTSIDE_DEPS = {
    "conj",
    "cc",
    "prep",
    "relcl",
    "acl",
    "advcl",
    "punct",
    "appos",
    "dep",
    "case",
    "mark",
    "advmod",
    "npadvmod",
    "preconj",
    "ccomp",
    "xcomp",
}
NOMINAL_POS = {"NOUN", "PROPN", "PRON", "NUM", "ADJ", "DET"}


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    entry: Entry
    text: str


def phrase_span(sentence: Sentence, head: int, keep_poss: bool = True) -> tuple[int, int]:
    """First and one-past-last token of the words that make up ``head``'s own phrase."""
    inside = {head}
    stack = [head]
    tokens = sentence.tokens
    while stack:
        current = stack.pop()
        for tok in tokens:
            if tok.head == current and tok.i != current and tok.i not in inside:
                if tok.dep in OUTSIDE_DEPS and not _inside_name(tok, tokens[current]):
                    continue
                if tok.dep == "poss" and current == head and not keep_poss:
                    continue
                inside.add(tok.i)
                stack.append(tok.i)
    start, end = min(inside), max(inside) + 1
    # Trim a trailing possessive marker and surrounding punctuation.
    while end - 1 > start and tokens[end - 1].dep in ("case", "punct"):
        end -= 1
    while start < end - 1 and tokens[start].pos == "PUNCT":
        start += 1
    return start, end


def _inside_name(tok: Token, head: Token) -> bool:
    """Hyphenated names ('Gyu-back') parse as appos/punct inside one PERSON entity."""
    return bool(
        tok.ent_type == "PERSON" and head.ent_type == "PERSON" and tok.dep in ("appos", "punct")
    )


def text_of(sentence: Sentence, start: int, end: int) -> str:
    tokens = sentence.tokens
    return sentence.text[tokens[start].idx : tokens[end - 1].end]


def find_hits(sentence: Sentence, lexicon: ActorLexicon, date: dt.date | None = None) -> list[Hit]:
    """Longest lexicon matches, left to right, by surface form or with the last word
    lemmatised; dated entries resolve on ``date`` (the story's)."""
    tokens = sentence.tokens
    hits: list[Hit] = []
    i = 0
    longest = max(lexicon.max_words, 1) + 2
    while i < len(tokens):
        found = None
        for end in range(min(len(tokens), i + longest), i, -1):
            if tokens[end - 1].pos == "PUNCT" and end - 1 > i:
                continue
            surface = text_of(sentence, i, end)
            entry = lexicon.lookup(surface, date)
            if entry is None and tokens[end - 1].lemma != tokens[end - 1].text.lower():
                lemma_form = normalise(surface[: tokens[end - 1].idx - tokens[i].idx]) + " "
                entry = lexicon.lookup(lemma_form.strip() + " " + tokens[end - 1].lemma, date)
            if entry is not None:
                found = Hit(i, end, entry, surface)
                break
        if found:
            hits.append(found)
            i = found.end
        else:
            i += 1
    return hits
