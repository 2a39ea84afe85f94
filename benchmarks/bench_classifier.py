"""5-fold stratified cross-validation (seed 0) of the dyad PLOVER and penta classifiers.

    python benchmarks/bench_classifier.py [--gold ../shared/gold] [--task dyad|penta|both]
    python benchmarks/bench_classifier.py --task dyad --synthetic --finetune   # needs torch

With --finetune each fold also fine-tunes the encoder (learn/finetune.py) and the report
covers the linear model, the tuned model and their blend (learn/blend.py), the blend at
several weights, and the blend's reliability table.

Prints per-class precision/recall/F1, accuracy, macro-F1, a reliability table (predictions
binned by confidence vs share correct) and prediction speed. Each fold trains exactly as
scripts/train_classifier.py does (including the temperature calibration on inner folds).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from detente.learn.data import (  # noqa: E402
    PLOVER_LABELS,
    read_dyad_examples,
    read_penta_examples,
    read_synthetic_dyads,
    read_synthetic_penta,
)
from detente.learn.dyad import train_dyad_classifier  # noqa: E402
from detente.learn.parsing import load_nlp  # noqa: E402
from detente.learn.penta import train_penta_classifier  # noqa: E402


def report(name: str, gold: list[str], pred: list[str], conf: list[float], speed: float) -> None:
    labels = sorted(set(gold) | set(pred), key=lambda s: (s not in gold, s))
    g, p, c = np.array(gold), np.array(pred), np.array(conf)
    print(f"\n== {name}: {len(g)} items, 5-fold CV ==")
    print(f"{'label':12s} {'P':>6s} {'R':>6s} {'F1':>6s} {'n':>5s}")
    f1s = []
    for lab in sorted(set(gold)):
        tp = np.sum((p == lab) & (g == lab))
        prec = tp / max(np.sum(p == lab), 1)
        rec = tp / max(np.sum(g == lab), 1)
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        f1s.append(f1)
        print(f"{lab:12s} {prec:6.3f} {rec:6.3f} {f1:6.3f} {np.sum(g == lab):5d}")
    del labels
    print(f"accuracy {np.mean(g == p):.3f}   macro-F1 {np.mean(f1s):.3f}")
    print("reliability (confidence bin: n, mean confidence, share correct)")
    ece = 0.0
    for b in range(10):
        lo, hi = b / 10, (b + 1) / 10
        m = (c >= lo) & ((c < hi) if b < 9 else (c <= hi))
        if m.any():
            acc, mc = np.mean(g[m] == p[m]), np.mean(c[m])
            ece += m.sum() / len(c) * abs(acc - mc)
            print(f"  {lo:.1f}-{hi:.1f}: {m.sum():5d}  {mc:.3f}  {acc:.3f}")
        else:
            print(f"  {lo:.1f}-{hi:.1f}:     0")
    print(f"expected calibration error {ece:.3f}")
    if speed:
        print(f"prediction speed {speed:.0f} items/s (spaCy parse included)")


def run_finetuned(gold_dir: Path, nlp: object, seed: int, synthetic: bool) -> None:
    """Linear model, fine-tuned encoder and their blend, on the same folds."""
    from detente.learn.blend import BLEND_TEMPERATURE, BLEND_WEIGHT, blend
    from detente.learn.embed import SentenceEncoder
    from detente.learn.finetune import FineTuneSettings, fine_tune_dyad

    encoder = SentenceEncoder.load()
    data = read_dyad_examples(gold_dir / "plv_train.jsonl")
    y = np.array([lab for _, lab, _ in data])
    labels = list(PLOVER_LABELS)
    lin, tun = np.zeros((len(y), len(labels))), np.zeros((len(y), len(labels)))
    folds = StratifiedKFold(5, shuffle=True, random_state=seed).split(np.zeros(len(y)), y)
    t_start = time.perf_counter()
    for n, (tr, te) in enumerate(folds):
        train = [data[i][:2] for i in tr] + (read_synthetic_dyads() if synthetic else [])
        clf = train_dyad_classifier(train, seed=seed, nlp=nlp)
        tuned = fine_tune_dyad(train, FineTuneSettings(seed=seed), encoder=encoder)
        items = [data[i][0] for i in te]
        lin[te] = [[p[lab] for lab in labels] for p in clf.predict_proba(items)]
        tun[te] = tuned.proba(items)[:, [tuned.labels.index(lab) for lab in labels]]
        print(f"fold {n + 1}/5 done, {time.perf_counter() - t_start:.0f} s", flush=True)
    for w in (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0):
        acc = np.mean(np.array(labels)[blend(lin, tun, w).argmax(axis=1)] == y)
        print(f"blend weight {w:.1f} on the tuned model: accuracy {acc:.3f}")
    for name, probs in (("linear", lin), ("fine-tuned encoder", tun),
                        ("blend", blend(lin, tun, BLEND_WEIGHT, BLEND_TEMPERATURE))):  # fmt: skip
        pred = np.array(labels)[probs.argmax(axis=1)]
        report(f"dyad PLOVER (plv_train), {name}", list(y), list(pred), list(probs.max(axis=1)), 0)


def run_dyad(
    gold_dir: Path, nlp: object, seed: int, synthetic: bool = False, encoder: object = None
) -> None:
    data = read_dyad_examples(gold_dir / "plv_train.jsonl")
    y = np.array([lab for _, lab, _ in data])
    pred, conf = [""] * len(y), [0.0] * len(y)
    n_pred, t_pred = 0, 0.0
    for tr, te in StratifiedKFold(5, shuffle=True, random_state=seed).split(np.zeros(len(y)), y):
        extra = read_synthetic_dyads() if synthetic else []
        clf = train_dyad_classifier(
            [data[i][:2] for i in tr] + extra, seed=seed, nlp=nlp, encoder=encoder
        )
        t0 = time.perf_counter()
        out = clf.predict([data[i][0] for i in te])
        t_pred += time.perf_counter() - t0
        n_pred += len(te)
        for i, (lab, pr) in zip(te, out, strict=True):
            pred[i], conf[i] = lab, pr
    report("dyad PLOVER (plv_train)", list(y), pred, conf, n_pred / t_pred)


def run_penta(gold_dir: Path, nlp: object, seed: int, synthetic: bool = False) -> None:
    data = read_penta_examples(gold_dir / "conflibert_train.jsonl")
    y = np.array([lab for _, lab in data])
    pred, conf = [""] * len(y), [0.0] * len(y)
    n_pred, t_pred = 0, 0.0
    for tr, te in StratifiedKFold(5, shuffle=True, random_state=seed).split(np.zeros(len(y)), y):
        extra = read_synthetic_penta() if synthetic else []
        clf = train_penta_classifier([data[i] for i in tr] + extra, seed=seed, nlp=nlp)
        t0 = time.perf_counter()
        out = clf.predict([data[i][0] for i in te])
        t_pred += time.perf_counter() - t0
        n_pred += len(te)
        for i, (lab, pr) in zip(te, out, strict=True):
            pred[i], conf[i] = str(lab), pr
    report("penta (conflibert_train)", [str(v) for v in y], pred, conf, n_pred / t_pred)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "gold")
    ap.add_argument("--task", choices=("dyad", "penta", "both"), default="both")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--synthetic",
        action="store_true",
        help="add the developers' synthetic examples (data/training) to every training fold",
    )
    ap.add_argument(
        "--embeddings",
        action="store_true",
        help="dyad task: add the sentence-embedding block (needs the MiniLM package)",
    )
    ap.add_argument(
        "--finetune",
        action="store_true",
        help="dyad task: also fine-tune the encoder per fold and score the blend (needs torch)",
    )
    args = ap.parse_args(argv)
    nlp = load_nlp()
    encoder = None
    if args.embeddings:
        from detente.learn.embed import SentenceEncoder

        encoder = SentenceEncoder.load()
    if args.task in ("dyad", "both") and args.finetune:
        run_finetuned(args.gold, nlp, args.seed, args.synthetic)
    elif args.task in ("dyad", "both"):
        run_dyad(args.gold, nlp, args.seed, args.synthetic, encoder)
    if args.task in ("penta", "both"):
        run_penta(args.gold, nlp, args.seed, args.synthetic)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
