"""The dated actor knowledge base: accuracy on sentences that name people and groups, and cost.

    python benchmarks/bench_actor_kb.py [--sentences F ...] [--speed-corpus F] [--no-speed]

Accuracy. Each sentence file (JSONL: text, date, source_country, target_country,
source_code, root) was written by the team without looking at the knowledge base; see
benchmarks/data/README.md for which were read while rules were changed. Files whose items
carry a ``kind`` are scored per kind. A sentence scores
- source: an event whose source country (or IGO code) is the gold one;
- dyad: an event with the gold source and target countries;
- dyad+root: the same event also has the gold CAMEO root;
- code: an event whose source actor code is exactly the gold one (the dated sets).
Both with the knowledge base and without it (the tables alone), so the gain is visible.

Cost. Knowledge-base load time (best of 3), and `code` time over a corpus with and without
the knowledge base (model loading excluded, best of 2).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from detente.actors import ActorLexicon  # noqa: E402
from detente.coder import Coder  # noqa: E402
from detente.config import Config  # noqa: E402
from detente.records import Story  # noqa: E402

DATA = ROOT / "benchmarks" / "data"
DEFAULT_SETS = [
    DATA / "actor_sentences_fresh.jsonl",  # written after the resolver was frozen
    DATA / "actor_sentences.jsonl",
    DATA / "actor_dates.jsonl",
]


def party(event: dict, side: str) -> str | None:
    """The country of one side, or the IGO code where the party is an IGO."""
    code = event[side] or ""
    if code.startswith(("IGO", "NGO")):
        return code
    return event[f"{side}_country"]


def gold_party(item: dict, side: str) -> str | None:
    value = item.get(f"{side}_country")
    return value or None


def score(items: list[dict], coded: list[list[dict]]) -> dict[str, float]:
    hits = {"source": 0, "dyad": 0, "dyad+root": 0, "code": 0}
    wrong_dyads = 0
    for item, events in zip(items, coded, strict=True):
        src, tgt = gold_party(item, "source"), gold_party(item, "target")
        with_source = [e for e in events if party(e, "source") == src]
        dyads = [e for e in with_source if party(e, "target") == tgt]
        hits["source"] += bool(with_source)
        hits["dyad"] += bool(dyads)
        hits["dyad+root"] += any((e["cameo"] or "")[:2] == item["root"] for e in dyads)
        hits["code"] += any(e["source"] == item.get("source_code") for e in events)
        wrong_dyads += sum(
            1 for e in events if (party(e, "source"), party(e, "target")) not in ((src, tgt),)
        )
    n = len(items)
    result = {k: v / n for k, v in hits.items()}
    result["n"] = n
    result["events_off_gold_dyad"] = wrong_dyads
    return result


def code_items(coder: Coder, items: list[dict]) -> list[list[dict]]:
    stories = (Story(id=str(i["id"]), text=i["text"], date=_date(i.get("date"))) for i in items)
    return [[e.to_dict() for e in s.events] for s in coder.code_stories(stories)]


def _date(text: str | None):
    import datetime as dt

    return dt.date.fromisoformat(text) if text else None


def misses(items: list[dict], coded: list[list[dict]], limit: int) -> list[str]:
    lines = []
    for item, events in zip(items, coded, strict=True):
        got = [(e["source"], e["target"], e["cameo"]) for e in events]
        want = (item.get("source_code"), item.get("target_code"), item["root"])
        dyad = (gold_party(item, "source"), gold_party(item, "target"))
        if not any((party(e, "source"), party(e, "target")) == dyad for e in events):
            lines.append(f"  {item['id']} {item['date']} want {want} got {got}: {item['text']}")
    return lines[:limit]


def timed_load() -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        ActorLexicon.load()
        best = min(best, time.perf_counter() - start)
    return best


def timed_code(coder: Coder, stories: list[Story]) -> float:
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        for _story in coder.code_stories(Story(id=s.id, text=s.text, date=s.date) for s in stories):
            pass
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=Path, nargs="*", default=DEFAULT_SETS)
    ap.add_argument("--speed-corpus", type=Path, default=ROOT / "examples" / "japan_korea.jsonl")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--show-misses", type=int, default=0, metavar="N")
    args = ap.parse_args(argv)

    with_kb = Coder(Config())
    without_kb = Coder(Config(knowledge=False), nlp=with_kb.pipeline.stages[0].nlp)
    for path in args.sentences:
        items = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
        for label, coder in (("with knowledge base", with_kb), ("tables only", without_kb)):
            coded = code_items(coder, items)
            kinds = sorted({i.get("kind", "") for i in items})
            for kind in kinds:
                part = [
                    (i, c) for i, c in zip(items, coded, strict=True) if i.get("kind", "") == kind
                ]
                s = score([i for i, _ in part], [c for _, c in part])
                name = f"{path.name}{f' [{kind}]' if kind else ''}"
                print(
                    f"{name} ({label}): n={s['n']} source {s['source']:.3f}  dyad {s['dyad']:.3f}"
                    f"  dyad+root {s['dyad+root']:.3f}  exact source code {s['code']:.3f}"
                    f"  events off the gold dyad {s['events_off_gold_dyad']}"
                )
            if label == "with knowledge base" and args.show_misses:
                print("\n".join(misses(items, coded, args.show_misses)))

    if not args.no_speed:
        print(f"knowledge base load: {timed_load():.3f} s (best of 3)")
        stories = [
            Story(id=str(r["id"]), text=r["text"], date=_date(r.get("date")))
            for r in (json.loads(x) for x in args.speed_corpus.open() if x.strip())
        ]
        words = sum(len(s.text.split()) for s in stories)
        on, off = timed_code(with_kb, stories), timed_code(without_kb, stories)
        print(
            f"code {args.speed_corpus.name} ({len(stories)} stories, {words} words, models "
            f"loaded): with knowledge base {on:.2f} s ({words / on:.0f} words/s), without "
            f"{off:.2f} s ({words / off:.0f} words/s): {100 * (on - off) / off:+.1f}%"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
