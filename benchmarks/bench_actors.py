"""Span-level actor detection scored on the marked source/target texts of plv_train.

    python benchmarks/bench_actors.py [--gold ../shared/gold/plv_train.jsonl]

Two views, both matching texts by a shared content word (the FORMAT.md rule):
- mentions: does any actor mention detente finds overlap the gold source (target) text?
  Recall = gold spans found; precision = found mentions that are a gold source or target
  (a lower bound: gold marks only the parties of one event per sentence).
- roles: do detente's events name the gold source as a source and the gold target as a
  target? Recall over gold events, precision over predicted events.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from detente.coder import Coder  # noqa: E402
from detente.config import Config  # noqa: E402
from detente.evaluate import content_words, read_gold  # noqa: E402
from detente.records import Story  # noqa: E402


def overlap(a: str | None, b: str | None) -> bool:
    return bool(content_words(a) & content_words(b))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--gold", type=Path, default=ROOT.parent / "shared" / "gold" / "plv_train.jsonl"
    )
    args = ap.parse_args(argv)
    items = [i for i in read_gold(args.gold) if i.events]
    coder = Coder(Config(refine=False))
    stories = coder.code_stories(Story(id=i.id, text=i.text, date=i.date) for i in items)
    counts = dict.fromkeys(
        ["gold_src", "gold_tgt", "src_found", "tgt_found", "mentions", "mentions_ok",
         "pred", "pred_src_ok", "pred_tgt_ok", "role_src", "role_tgt", "pred_tgt"], 0
    )  # fmt: skip
    for item, story in zip(items, stories, strict=True):
        mentions = [m.text for m in story.mentions if m.kind != "modifier"]
        gold_src = [e.source_text for e in item.events]
        gold_tgt = [e.target_text for e in item.events]
        counts["gold_src"] += len(gold_src)
        counts["gold_tgt"] += len(gold_tgt)
        counts["src_found"] += sum(any(overlap(m, g) for m in mentions) for g in gold_src)
        counts["tgt_found"] += sum(any(overlap(m, g) for m in mentions) for g in gold_tgt)
        counts["mentions"] += len(mentions)
        counts["mentions_ok"] += sum(
            any(overlap(m, g) for g in gold_src + gold_tgt) for m in mentions
        )
        events = story.events
        counts["pred"] += len(events)
        counts["pred_tgt"] += sum(1 for e in events if e.target_text)
        counts["pred_src_ok"] += sum(
            any(overlap(e.source_text, g) for g in gold_src) for e in events
        )
        counts["pred_tgt_ok"] += sum(
            any(overlap(e.target_text, g) for g in gold_tgt) for e in events if e.target_text
        )
        counts["role_src"] += sum(any(overlap(e.source_text, g) for e in events) for g in gold_src)
        counts["role_tgt"] += sum(any(overlap(e.target_text, g) for e in events) for g in gold_tgt)
    c = counts
    print(f"plv_train: {len(items)} sentences, {c['gold_src']} gold events")
    print(f"{'':26} {'precision':>9} {'recall':>7}")
    print(f"{'mentions, sources':26} {'':>9} {c['src_found'] / c['gold_src']:7.3f}")
    print(f"{'mentions, targets':26} {'':>9} {c['tgt_found'] / c['gold_tgt']:7.3f}")
    print(f"{'mentions, any role':26} {c['mentions_ok'] / max(c['mentions'], 1):9.3f}")
    print(
        f"{'event sources':26} {c['pred_src_ok'] / max(c['pred'], 1):9.3f} "
        f"{c['role_src'] / c['gold_src']:7.3f}"
    )
    print(
        f"{'event targets':26} {c['pred_tgt_ok'] / max(c['pred_tgt'], 1):9.3f} "
        f"{c['role_tgt'] / c['gold_tgt']:7.3f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
