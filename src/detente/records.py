"""Typed records that flow between stages. No spaCy object ever appears here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

MODALITIES = ("asserted", "negated", "hypothetical", "future", "reported")

# The order of the public event-record contract (docs/architecture.md).
EVENT_FIELDS = (
    "story_id",
    "sentence_index",
    "sentence",
    "source",
    "target",
    "source_text",
    "target_text",
    "source_country",
    "target_country",
    "cameo",
    "cameo_name",
    "root",
    "quad_class",
    "goldstein",
    "plover",
    "plover_mode",
    "plover_context",
    "modality",
    "confidence",
    "date",
    "location",
    "evidence",
)


@dataclass(slots=True, frozen=True)
class Token:
    """One parsed token; ``i`` and ``head`` index into the sentence's tokens."""

    i: int
    text: str
    lemma: str
    pos: str
    tag: str
    dep: str
    head: int
    idx: int  # character offset inside the sentence
    ent_type: str = ""
    ent_iob: str = "O"

    @property
    def end(self) -> int:
        return self.idx + len(self.text)


@dataclass(slots=True)
class Sentence:
    index: int
    text: str
    start_char: int  # offset of the sentence inside the story text
    tokens: list[Token] = field(default_factory=list)

    def children(self, head: int) -> list[Token]:
        return [t for t in self.tokens if t.head == head and t.i != head]

    def subtree(self, i: int) -> list[Token]:
        """Tokens dominated by token ``i`` (itself included), in sentence order."""
        inside = {i}
        changed = True
        while changed:
            changed = False
            for t in self.tokens:
                if t.i not in inside and t.head in inside and t.head != t.i:
                    inside.add(t.i)
                    changed = True
        return [t for t in self.tokens if t.i in inside]


@dataclass(slots=True, frozen=True)
class Actor:
    """A coded actor: CAMEO-style ``code`` = country (or IGO) + sector, e.g. ``KORGOV``."""

    code: str
    country: str | None = None  # ISO 3166 alpha-3
    sector: str | None = None  # CAMEO agent code: GOV, MIL, ...
    name: str | None = None  # a person's name when the mention names one
    secondary: tuple[str, ...] = ()


@dataclass(slots=True)
class Mention:
    """Words in one sentence that refer to one or more actors."""

    sentence_index: int
    start: int  # first token
    end: int  # one past the last token
    text: str
    char_start: int  # inside the sentence
    char_end: int
    actors: tuple[Actor, ...]
    kind: str = "name"  # name | title | capital | coref | group | known | ambiguous | ...
    head: int = -1  # syntactic head token of the mention


@dataclass(slots=True, frozen=True)
class Span:
    start: int
    end: int

    def to_list(self) -> list[int]:
        return [self.start, self.end]


@dataclass(slots=True, frozen=True)
class Place:
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    fips: str | None = None
    admin1: str | None = None
    precision: str | None = None  # city | country | actor

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "country": self.country,
            "lat": self.lat,
            "lon": self.lon,
            "fips": self.fips,
            "admin1": self.admin1,
            "precision": self.precision,
        }


@dataclass(slots=True)
class Event:
    story_id: str
    sentence_index: int
    sentence: str
    source: Actor | None
    target: Actor | None
    source_text: str | None
    target_text: str | None
    cameo: str
    cameo_name: str
    goldstein: float
    quad_class: int
    plover: str | None
    plover_mode: str | None
    plover_context: tuple[str, ...]
    modality: str = "asserted"
    confidence: float = 0.5
    date: dt.date | None = None
    location: Place | None = None
    source_span: Span | None = None
    predicate_span: Span | None = None
    target_span: Span | None = None
    predicate: str = ""
    # Coded by a rule detente trusts as it is (a specific pattern, a stated intention, a
    # negation, a meeting or a visit); not part of the public record.
    precise: bool = False

    @property
    def root(self) -> str:
        return self.cameo[:2]

    @property
    def occurred(self) -> bool:
        """Whether the event counts as having happened (for series)."""
        return self.modality in ("asserted", "reported")

    def to_dict(self) -> dict[str, Any]:
        """The public event record, every contract field present, null where unknown."""
        return {
            "story_id": self.story_id,
            "sentence_index": self.sentence_index,
            "sentence": self.sentence,
            "source": (self.source.code or None) if self.source else None,
            "target": (self.target.code or None) if self.target else None,
            "source_text": self.source_text,
            "target_text": self.target_text,
            "source_country": self.source.country if self.source else None,
            "target_country": self.target.country if self.target else None,
            "cameo": self.cameo,
            "cameo_name": self.cameo_name,
            "root": self.root,
            "quad_class": self.quad_class,
            "goldstein": self.goldstein,
            "plover": self.plover,
            "plover_mode": self.plover_mode,
            "plover_context": list(self.plover_context),
            "modality": self.modality,
            "confidence": round(self.confidence, 3),
            "date": self.date.isoformat() if self.date else None,
            "location": self.location.to_dict() if self.location else None,
            "evidence": {
                "source": self.source_span.to_list() if self.source_span else None,
                "predicate": self.predicate_span.to_list() if self.predicate_span else None,
                "target": self.target_span.to_list() if self.target_span else None,
            },
        }


@dataclass(slots=True)
class Story:
    id: str
    text: str
    title: str | None = None
    date: dt.date | None = None
    source: str | None = None
    url: str | None = None
    origin: str | None = None  # where it was read from: "path" or "path:line"
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


@dataclass(slots=True, frozen=True)
class DyadPoint:
    """One period of a dyad series."""

    period: dt.date
    events: int
    verbal_cooperation: int
    material_cooperation: int
    verbal_conflict: int
    material_conflict: int
    goldstein_sum: float
    goldstein_mean: float | None
    cooperation_share: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": self.period.isoformat(),
            "events": self.events,
            "verbal_cooperation": self.verbal_cooperation,
            "material_cooperation": self.material_cooperation,
            "verbal_conflict": self.verbal_conflict,
            "material_conflict": self.material_conflict,
            "goldstein_sum": round(self.goldstein_sum, 2),
            "goldstein_mean": None
            if self.goldstein_mean is None
            else round(self.goldstein_mean, 2),
            "cooperation_share": None
            if self.cooperation_share is None
            else round(self.cooperation_share, 3),
        }
