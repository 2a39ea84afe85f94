"""Learned pair extraction, cross-validated: does the pair model find the gold dyads?

    python benchmarks/bench_learned_pairs.py [--gold ../shared/gold] [--folds 5]

plv_train is split into folds (by sentence); for each fold the pair model is trained on the
other folds (plus conflibert_spans_train, a different set) and the held-out sentences are
scored with the FORMAT.md matching rule (a shared content word on each side):
- pairs alone: dyad recall and precision of the pairs over each threshold;
- the rules' events alone and the union with the learned pairs at the chosen threshold.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from detente.evaluate import read_gold  # noqa: E402
from detente.learn.pair_data import labelled_pairs, parsed  # noqa: E402
from detente.learn.pairs import choose_pairs, train_pair_model  # noqa: E402

THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)


def folds(n: int, k: int, seed: int = 0) -> list[list[int]]:
    order = list(range(n))
    random.Random(seed).shuffle(order)
    return [order[f::k] for f in range(k)]


def score_pairs(examples, probs, threshold, top=None):
    """Dyad recall and precision of the chosen pairs, one sentence at a time: every pair at
    ``threshold`` or above, and with ``top`` the best pair of a sentence at ``top`` or above."""
    gold_n = found = predicted = correct = 0
    for example, p in zip(examples, probs, strict=True):
        keep = choose_pairs([c for _, c in example.pairs], p, threshold, top)
        chosen = [example.pairs[i] for i in keep]
        predicted += len(chosen)
        for pair in chosen:
            correct += any(example.matches(pair, g) for g in example.gold)
        for g in example.gold:
            gold_n += 1
            found += any(example.matches(pair, g) for pair in chosen)
    return found / max(gold_n, 1), correct / max(predicted, 1), predicted


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "gold")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--c", type=float, default=0.5)
    args = ap.parse_args(argv)
    started = time.perf_counter()
    plv = [i for i in read_gold(args.gold / "plv_train.jsonl")]
    spans = [i for i in read_gold(args.gold / "conflibert_spans_train.jsonl")]
    plv_examples = labelled_pairs(plv, parsed(plv))
    span_examples = labelled_pairs(spans, parsed(spans))
    print(f"parsed and featurised in {time.perf_counter() - started:.0f}s: "
          f"{sum(len(e.pairs) for e in plv_examples)} plv pairs, "
          f"{sum(len(e.pairs) for e in span_examples)} span pairs")  # fmt: skip
    probs: list = [None] * len(plv_examples)
    for held in folds(len(plv_examples), args.folds):
        held_set = set(held)
        train = [e for i, e in enumerate(plv_examples) if i not in held_set] + span_examples
        rows = [f for e in train for f in e.features]
        labels = [y for e in train for y in e.labels]
        model = train_pair_model(rows, labels, c=args.c)
        for i in held:
            probs[i] = model.proba(plv_examples[i].features)
    print(f"plv_train, {args.folds}-fold CV, pairs alone (C={args.c})")
    print(f"{'threshold':>9} {'recall':>7} {'precision':>9} {'pairs':>6}")
    for t in THRESHOLDS:
        recall, precision, n = score_pairs(plv_examples, probs, t)
        print(f"{t:>9.1f} {recall:>7.3f} {precision:>9.3f} {n:>6}")
    print("with the best pair of each sentence kept from a lower threshold")
    print(f"{'threshold':>9} {'top':>5} {'recall':>7} {'precision':>9} {'pairs':>6}")
    for t in (0.4, 0.5, 0.6):
        for top in (0.15, 0.2, 0.3):
            recall, precision, n = score_pairs(plv_examples, probs, t, top)
            print(f"{t:>9.1f} {top:>5.2f} {recall:>7.3f} {precision:>9.3f} {n:>6}")
    best = [max(zip(e.pairs, p, strict=True), key=lambda x: x[1])[0] if e.pairs else None
            for e, p in zip(plv_examples, probs, strict=True)]  # fmt: skip
    top_hit = sum(
        any(e.matches(b, g) for g in e.gold) for e, b in zip(plv_examples, best, strict=True) if b
    )
    with_gold = sum(1 for e in plv_examples if e.gold)
    print(f"top pair of a sentence with gold events is a gold dyad: {top_hit / with_gold:.3f}")
    print(f"({time.perf_counter() - started:.0f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
