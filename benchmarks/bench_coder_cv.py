"""End-to-end accuracy of `detente code`, cross-validated, with and without the classifier.

    python benchmarks/bench_coder_cv.py [--gold ../shared/gold] [--folds 5]

For each fold of plv_train the dyad classifier is trained on the other folds only, the
coder runs on the held-out sentences, and the FORMAT.md rules score it (dyad recall, type
accuracy over gold events, precision over predicted events). The penta task on
conflibert_train uses a classifier trained on all of plv_train (a different set). A
reliability table bins predicted events by confidence against the share that matched a
gold event of the right type.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from detente.coder import Coder  # noqa: E402
from detente.config import Config  # noqa: E402
from detente.evaluate import (  # noqa: E402
    classification_scores,
    evaluate_penta,
    matches,
    plover_label,
    read_gold,
)
from detente.evaluate.matching import same_actor  # noqa: E402
from detente.events.calibration import Calibration, fit_calibration  # noqa: E402
from detente.learn import (  # noqa: E402
    DyadInput,
    train_dyad_classifier,
    train_penta_classifier,
)
from detente.learn.pair_data import labelled_pairs, parsed  # noqa: E402
from detente.learn.pairs import train_pair_model  # noqa: E402
from detente.records import Story  # noqa: E402

BINS = [i / 10 for i in range(11)]


def folds(items, k, seed=0):
    order = list(range(len(items)))
    random.Random(seed).shuffle(order)
    return [[items[i] for i in order[f::k]] for f in range(k)]


def score(items, coder, reliability):
    stories = [Story(id=i.id, text=i.text, date=i.date) for i in items]
    gold_n = found = right = predicted = 0
    for item, story in zip(items, coder.code_stories(stories), strict=True):
        events = [e.to_dict() for e in story.events]
        predicted += len(events)
        used: set[int] = set()
        correct_events: set[int] = set()
        for gold in item.events:
            gold_n += 1
            hit = next(
                (i for i, e in enumerate(events) if i not in used and matches(e, gold)), None
            )
            if hit is None:
                continue
            used.add(hit)
            found += 1
            if plover_label(events[hit]["plover"]) == gold.plover:
                right += 1
                correct_events.add(hit)
        for i, e in enumerate(events):
            reliability.append((e["confidence"], i in correct_events))
    return gold_n, found, right, predicted


def reliability_table(pairs):
    lines = ["confidence   events  share correct"]
    for lo, hi in zip(BINS, BINS[1:], strict=False):
        inside = [ok for c, ok in pairs if lo <= c < hi or (hi == 1.0 and c == 1.0)]
        if inside:
            lines.append(f"{lo:.1f}-{hi:.1f}     {len(inside):6d}  {sum(inside) / len(inside):.3f}")
    return "\n".join(lines)


VARIANTS = {  # name: (refine with the dyad classifier, fallback events, learned pairs)
    "rules only": (False, False, False),
    "rules + dyad classifier": (True, False, False),
    "rules + classifiers + fallback": (True, True, False),
    "+ learned pairs (default)": (True, True, True),
}
DEFAULT = "+ learned pairs (default)"


def coder_for(variant, nlp, dyad, penta, pairs=None):
    refine, fallback, learned = VARIANTS[variant]
    config = Config(refine=refine, fallback=fallback, learned=learned)
    coder = Coder(config, nlp=nlp, classifier=dyad, penta=penta, pair_model=pairs)
    calibrate = next(s for s in coder.pipeline.stages if s.name == "calibrate")
    calibrate.calibration = Calibration()  # raw scores
    return coder


def same_text(text):
    """Sentences of two sets compare equal despite typographic differences (ʼ and ')."""
    return re.sub(r"\W+", "", text.lower())


def pair_model_without(examples, texts_out):
    """A pair model trained on the examples whose sentence is not in ``texts_out``."""
    out = {same_text(t) for t in texts_out}
    kept = [e for text, e in examples if same_text(text) not in out]
    return train_pair_model(
        [f for e in kept for f in e.features], [y for e in kept for y in e.labels]
    )


def spans_scores(spans, pair_examples, nlp, dyad, penta, k, started):
    """conflibert_spans_train end to end: is the gold source found, and the whole dyad?
    Each fold's pair model is trained without the fold's sentences."""
    found = {name: [0, 0, 0] for name in ("rules + classifiers + fallback", DEFAULT)}
    for n, test in enumerate(folds(spans, k)):
        pairs = pair_model_without(pair_examples, {i.text for i in test})
        for name in found:
            coder = coder_for(name, nlp, dyad, penta, pairs)
            stories = [Story(id=i.id, text=i.text, date=i.date) for i in test]
            for item, story in zip(test, coder.code_stories(stories), strict=True):
                events = [e.to_dict() for e in story.events]
                for gold in item.events:
                    found[name][0] += 1
                    found[name][1] += any(
                        same_actor(e["source_text"], e["source"], gold.source_text, gold.source)
                        for e in events
                    )
                    found[name][2] += any(matches(e, gold) for e in events)
        print(f"spans fold {n + 1}/{k} done ({time.perf_counter() - started:.0f}s)")
    print(f"\nconflibert_spans_train end to end, {k}-fold CV ({len(spans)} sentences)")
    for name, (gold_n, source, dyad_found) in found.items():
        print(
            f"{name:<32} source recall {source / gold_n:.3f}  dyad recall {dyad_found / gold_n:.3f}"
        )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "gold")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument(
        "--fit-calibration",
        action="store_true",
        help="fit the confidence calibration on the default configuration's CV predictions "
        "and write src/detente/data/calibration.json",
    )
    args = ap.parse_args(argv)
    items = list(read_gold(args.gold / "plv_train.jsonl"))
    penta_items = list(read_gold(args.gold / "conflibert_train.jsonl"))
    nlp = Coder(Config(refine=False, fallback=False)).pipeline.stages[0].nlp
    totals = {name: [0, 0, 0, 0] for name in VARIANTS}
    reliability = {name: [] for name in VARIANTS}
    started = time.perf_counter()
    spans = list(read_gold(args.gold / "conflibert_spans_train.jsonl"))
    pair_examples = [
        (i.text, e)
        for group in (items, spans)
        for i, e in zip(group, labelled_pairs(group, parsed(group, nlp)), strict=True)
    ]
    penta_all = train_penta_classifier(
        [(i.text, i.penta) for i in penta_items if i.penta is not None], nlp=nlp
    )  # a different set from plv_train
    for k, test in enumerate(folds(items, args.folds)):
        train = [i for f, part in enumerate(folds(items, args.folds)) if f != k for i in part]
        examples = [
            (DyadInput(i.text, e.source_text, e.target_text), e.plover)
            for i in train for e in i.events if e.plover
        ]  # fmt: skip
        dyad = train_dyad_classifier(examples, nlp=nlp)
        pairs = pair_model_without(pair_examples, {i.text for i in test})
        for name in VARIANTS:
            coder = coder_for(name, nlp, dyad, penta_all, pairs)
            result = score(test, coder, reliability[name])
            totals[name] = [a + b for a, b in zip(totals[name], result, strict=True)]
        print(f"plv fold {k + 1}/{args.folds} done ({time.perf_counter() - started:.0f}s)")
    print(f"\nplv_train end to end, {args.folds}-fold cross-validation ({len(items)} sentences)")
    print(f"{'variant':<32} {'dyad recall':>11} {'type acc':>9} {'precision':>9} {'events':>7}")
    for name, (gold_n, found, right, predicted) in totals.items():
        print(
            f"{name:<32} {found / gold_n:11.3f} {right / gold_n:9.3f} "
            f"{right / max(predicted, 1):9.3f} {predicted:7d}"
        )
    for name in VARIANTS:
        print(f"\nreliability (raw scores), {name}\n{reliability_table(reliability[name])}")
    chosen = DEFAULT
    calibration = fit_calibration(reliability[chosen])
    mapped = [(calibration(c), ok) for c, ok in reliability[chosen]]
    print(
        f"\ncalibrated ({chosen}: intercept {calibration.intercept:.3f}, "
        f"slope {calibration.slope:.3f})\n{reliability_table(mapped)}"
    )
    if args.fit_calibration:
        out = ROOT / "src" / "detente" / "data" / "calibration.json"
        record = {
            "intercept": round(calibration.intercept, 4),
            "slope": round(calibration.slope, 4),
            "fitted_on": f"{chosen}, {args.folds}-fold CV predictions on plv_train",
        }
        out.write_text(json.dumps(record, indent=2) + "\n")
        print(f"written {out}")

    from detente.learn import DyadClassifier

    dyad_all = DyadClassifier.load(nlp=nlp)  # trained on plv_train, a different set
    spans_scores(spans, pair_examples, nlp, dyad_all, penta_all, args.folds, started)
    penta_scores = {name: ([], []) for name in VARIANTS}
    for k, test in enumerate(folds(penta_items, args.folds)):
        train = [i for f, part in enumerate(folds(penta_items, args.folds)) if f != k for i in part]
        penta = train_penta_classifier([(i.text, i.penta) for i in train], nlp=nlp)
        pairs = pair_model_without(pair_examples, {i.text for i in test})
        for name in VARIANTS:
            scores = evaluate_penta(test, coder_for(name, nlp, dyad_all, penta, pairs))
            gold, pred = penta_scores[name]
            gold.extend(str(i.penta) for i in test)
            pred.extend(scores.predictions)
        print(f"conflibert fold {k + 1}/{args.folds} done ({time.perf_counter() - started:.0f}s)")
    print(f"\nconflibert_train five-class task from `detente code`, {args.folds}-fold CV")
    for name, (gold, pred) in penta_scores.items():
        scores = classification_scores("penta", gold, pred)
        print(f"{name:<32} accuracy {scores.accuracy:.3f}  macro-F1 {scores.macro_f1:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
