"""Train the packaged pair model (learned extraction) on every gold dyad there is.

    python scripts/train_pair_model.py [--gold ../shared/gold]

Training data: plv_train (dyads with their words) and conflibert_spans_train (source and
target spans). Every ordered pair of candidate heads of a sentence is an example; it is
positive when it matches a gold dyad by the FORMAT.md rule. The regulariser C = 0.5 was not
tuned; the thresholds that use the model are in ``events.learned.LearnedPolicy``. Writes
src/detente/data/models/pair_events.npz.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from detente.evaluate import read_gold  # noqa: E402
from detente.learn.pair_data import labelled_pairs, parsed  # noqa: E402
from detente.learn.pairs import PACKAGED, train_pair_model  # noqa: E402

OUT = ROOT / "src" / "detente" / "data" / "models" / PACKAGED
C = 0.5


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "gold")
    args = ap.parse_args(argv)
    examples = []
    for name in ("plv_train.jsonl", "conflibert_spans_train.jsonl"):
        items = list(read_gold(args.gold / name))
        examples += labelled_pairs(items, parsed(items))
    rows = [f for e in examples for f in e.features]
    labels = [y for e in examples for y in e.labels]
    model = train_pair_model(rows, labels, c=C)
    model.save(OUT)
    print(f"{len(rows)} pairs ({sum(labels)} positive) → {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
