"""Rebuild the packaged classifier artefacts (deterministic for a given seed and data).

    python scripts/train_classifier.py [--gold ../shared/gold] [--out src/detente/data/models]

Reads plv_train.jsonl (dyad PLOVER task) and conflibert_train.jsonl (penta task) from --gold,
plus the developers' synthetic examples in src/detente/data/training/ (dyad task; the penta
task only with --penta-synthetic); only the fitted weights are written. The dyad task gets
two artefacts: the linear model, and (unless --no-tuned) the fine-tuned encoder model that
``classify`` blends with it (learn/finetune.py; needs torch: ``make train``). Fine-tuning is
deterministic for the same torch build and thread count (FineTuneSettings.threads).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from detente.learn.data import (  # noqa: E402
    read_dyad_examples,
    read_penta_examples,
    read_synthetic_dyads,
    read_synthetic_penta,
)
from detente.learn.dyad import (  # noqa: E402
    DYAD_ARTEFACT,
    DYAD_TUNED_ARTEFACT,
    train_dyad_classifier,
)
from detente.learn.parsing import load_nlp  # noqa: E402
from detente.learn.penta import PENTA_ARTEFACT, train_penta_classifier  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "gold")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "detente" / "data" / "models")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--penta-synthetic",
        action="store_true",
        help="also train the sentence classifier on the synthetic examples",
    )
    ap.add_argument(
        "--no-tuned", action="store_true", help="skip fine-tuning the encoder (needs torch)"
    )
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    nlp = load_nlp()

    dyad = read_dyad_examples(args.gold / "plv_train.jsonl")
    synthetic = read_synthetic_dyads()  # the developers' own examples, data/training/
    clf = train_dyad_classifier([(x, y) for x, y, _ in dyad] + synthetic, seed=args.seed, nlp=nlp)
    clf.save(args.out / DYAD_ARTEFACT)
    trained = [(DYAD_ARTEFACT, len(dyad) + len(synthetic), clf.model)]
    if not args.no_tuned:
        from detente.learn.finetune import FineTuneSettings, fine_tune_dyad

        def progress(epoch: int, epochs: int, loss: float) -> None:
            print(f"fine-tuning: epoch {epoch}/{epochs}, loss {loss:.3f}", flush=True)

        tuned = fine_tune_dyad([(x, y) for x, y, _ in dyad] + synthetic,
                               FineTuneSettings(seed=args.seed), progress=progress)  # fmt: skip
        tuned.save(args.out / DYAD_TUNED_ARTEFACT)
        _describe(args.out / DYAD_TUNED_ARTEFACT, f"{len(dyad) + len(synthetic)} examples")
    penta = read_penta_examples(args.gold / "conflibert_train.jsonl")
    if args.penta_synthetic:
        penta += read_synthetic_penta()
    pclf = train_penta_classifier(penta, seed=args.seed, nlp=nlp)
    pclf.save(args.out / PENTA_ARTEFACT)

    for name, n, m in [*trained, (PENTA_ARTEFACT, len(penta), pclf.model)]:
        _describe(args.out / name, f"{n} examples, {m.vectorizer.size} features, "
                                   f"T={m.temperature:.3f}")  # fmt: skip
    return 0


def _describe(path: Path, what: str) -> None:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    print(f"{path}: {what}, {path.stat().st_size / 1e6:.2f} MB, sha256 {digest}")


if __name__ == "__main__":
    raise SystemExit(main())
