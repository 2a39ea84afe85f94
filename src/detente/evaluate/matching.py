"""Matching predicted events to gold events, as the regular scoring does."""

from __future__ import annotations

import re

from .gold import GoldEvent

STOPWORDS = frozenset(
    "a an the of and or in on at to for by with from its his her their our this that these those "
    "s mr mrs ms said says who which as is was be been are were has have had it he she they".split()
)


def content_words(text: str | None) -> set[str]:
    if not text:
        return set()
    words = re.findall(r"[a-z0-9]+", text.lower().replace("'s", ""))
    return {w for w in words if w not in STOPWORDS}


def same_actor(
    pred_text: str | None, pred_code: str | None, gold_text: str | None, gold_code: str | None
) -> bool:
    if gold_code and pred_code and gold_code[:3] == pred_code[:3]:
        return True
    return bool(content_words(pred_text) & content_words(gold_text))


def matches(predicted: dict, gold: GoldEvent) -> bool:
    return same_actor(
        predicted.get("source_text"), predicted.get("source"), gold.source_text, gold.source
    ) and same_actor(
        predicted.get("target_text"), predicted.get("target"), gold.target_text, gold.target
    )
