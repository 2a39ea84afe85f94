"""Where and when: event locations and event dates.

- :class:`Gazetteer` — the protocol (``lookup(name, *, country_hint)`` → ranked
  :class:`PlaceCandidate`\\ s); :class:`EmbeddedGazetteer` — GeoNames cities of 15,000+ people,
  admin1 units, detente's countries and capitals and a few seas and regions, read on first use.
- :func:`locate_event` — the event's sentence, then the story's dateline, then its actors.
- :func:`resolve_event_date` — date expressions attached to the predicate, against the story date.
- :func:`story_date_from_text` / :func:`dateline_place` — what a dateline says.
"""

from .dates import (
    event_date_expression,
    parse_date_expression,
    resolve_event_date,
    story_date_from_text,
)
from .gazetteer import EmbeddedGazetteer, Gazetteer, PlaceCandidate
from .locate import dateline_place, locate_event, locate_in_sentence

__all__ = [
    "EmbeddedGazetteer",
    "Gazetteer",
    "PlaceCandidate",
    "dateline_place",
    "event_date_expression",
    "locate_event",
    "locate_in_sentence",
    "parse_date_expression",
    "resolve_event_date",
    "story_date_from_text",
]
