"""Place and date accuracy of detente.geo on hand-written sentences.

    python benchmarks/bench_geo.py [benchmarks/data/geo_eval.jsonl] [--show-errors]

Each line of the data file: ``text``, ``story_date``, expected ``place`` ({name, country} or
null) and ``date`` (ISO or null), optional ``modality`` (default asserted), ``actor_countries``
and ``dateline`` (the start of the story, e.g. "SEOUL, Oct 2 (Reuters) - "). The predicate is
the sentence's root; participants are its subject and object. Places match when their folded
names and countries agree.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

from detente.actors.lexicon import ActorLexicon
from detente.geo import (
    EmbeddedGazetteer,
    dateline_place,
    locate_event,
    resolve_event_date,
    story_date_from_text,
)
from detente.geo.names import fold
from detente.nlp import load_language_model
from detente.nlp.parse import doc_to_sentences

DATED = re.compile(r"\d")
DEFAULT = Path(__file__).parent / "data" / "geo_eval.jsonl"


def _same(place, want, gazetteer) -> bool:
    """Same country, and the same name or a name the gazetteer reads as that place
    ("Khan Younis" is GeoNames' "Khān Yūnis")."""
    if place is None or want is None:
        return place is None and want is None
    if place.country != want["country"]:
        return False
    if fold(place.name) == fold(want["name"]):
        return True
    return any(
        c.place.name == place.name and c.place.country == place.country
        for c in gazetteer.lookup(want["name"])
    )


def _mentioned_countries(sentence, actors) -> list[str]:
    """Countries the sentence's names and adjectives point to — what the actor stage would
    give EventStage as the story's countries (hints only, never a fallback location)."""
    found = []
    tokens = sentence.tokens
    i = 0
    while i < len(tokens):
        for n in range(min(4, len(tokens) - i), 0, -1):
            text = sentence.text[tokens[i].idx : tokens[i + n - 1].end]
            entry = actors.lookup(text)
            if entry is not None and entry.country and entry.kind in ("country", "adjective"):
                found.append(entry.country)
                i += n - 1
                break
        i += 1
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.path.read_text(encoding="utf-8").splitlines() if line]

    nlp = load_language_model()
    actors = ActorLexicon.load()
    gazetteer = EmbeddedGazetteer(actors)
    t0 = time.perf_counter()
    gazetteer.lookup("Seoul")
    load_s = time.perf_counter() - t0

    counts: Counter = Counter()
    errors = []
    t0 = time.perf_counter()
    for row in rows:
        story_date = dt.date.fromisoformat(row["story_date"])
        sentence = doc_to_sentences(nlp(row["text"]))[0]
        root = next(t.i for t in sentence.tokens if t.dep == "ROOT")
        heads = [t.i for t in sentence.children(root) if t.dep in ("nsubj", "nsubjpass", "dobj")]
        story_places = []
        if row.get("dateline"):
            found = dateline_place(row["dateline"] + row["text"], gazetteer)
            if found:
                story_places.append(found)
            dated = story_date_from_text(row["dateline"] + row["text"], reference=story_date)
            counts["dateline_dates"] += dated == story_date
            counts["datelines_with_date"] += bool(DATED.search(row["dateline"]))
        place = locate_event(
            sentence,
            root,
            heads,
            story_places=story_places,
            actor_countries=row.get("actor_countries", []),
            story_countries=_mentioned_countries(sentence, actors),
            gazetteer=gazetteer,
        )
        date = resolve_event_date(
            sentence, root, story_date, modality=row.get("modality", "asserted")
        )
        want = row["place"]
        place_ok = _same(place, want, gazetteer)
        date_ok = (date.isoformat() if date else None) == row["date"]
        kind = "none" if want is None else "place"
        counts[f"{kind}_n"] += 1
        counts[f"{kind}_right"] += place_ok
        counts["place_ok"] += place_ok
        counts["date_ok"] += date_ok
        if not (place_ok and date_ok):
            errors.append((row["id"], row["text"], want, place, row["date"], date))
    run_s = time.perf_counter() - t0

    n = len(rows)
    print(f"sentences: {n}")
    print(f"place accuracy: {counts['place_ok'] / n:.3f} ({counts['place_ok']}/{n})")
    print(
        f"  sentences with a place: {counts['place_right']}/{counts['place_n']}"
        f"; without one (metonyms, no place): {counts['none_right']}/{counts['none_n']}"
    )
    print(f"date accuracy: {counts['date_ok'] / n:.3f} ({counts['date_ok']}/{n})")
    if counts["datelines_with_date"]:
        print(f"dateline dates read: {counts['dateline_dates']}/{counts['datelines_with_date']}")
    print(
        f"gazetteer load: {load_s:.2f}s; geo+date per sentence: {1000 * run_s / n:.1f} ms "
        "(spaCy parse included)"
    )
    if args.show_errors:
        for rid, text, want, got, want_date, got_date in errors:
            got_place = None if got is None else {"name": got.name, "country": got.country}
            print(
                f"- {rid} {text}\n    place {want} got {got_place}; date {want_date} got {got_date}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
