"""Sentences per second of the numpy sentence encoder (detente.learn.embed) against
sentence-transformers on torch, on ~500 generated news-length sentences, and the largest absolute
difference between the two embeddings.

    python benchmarks/bench_embed.py [--threads 1] [--n 500] [--batch-size 32] [--out FILE]

Thread counts are set in the environment before numpy (or torch) is imported.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "RAYON_NUM_THREADS")

COUNTRIES = [
    "France", "Germany", "Russia", "China", "India", "Brazil", "Egypt", "Turkey", "Iran", "Japan",
    "South Korea", "Nigeria", "Kenya", "Mexico", "Argentina", "Pakistan", "Indonesia", "Ukraine",
    "Poland", "Saudi Arabia", "Ethiopia", "Vietnam", "Colombia", "Algeria", "Canada",
]  # fmt: skip
TEMPLATES = [
    "The foreign ministers of {a} and {b} met in {city} on {day} to discuss the disputed border, "
    "trade quotas and the return of detained fishermen, officials from both sides said.",
    "{a} announced new sanctions on banks and energy firms in {b} on {day}, accusing its "
    "government of supplying weapons to rebels and ignoring repeated warnings from {c}.",
    "Thousands of protesters gathered outside the {b} embassy in the capital of {a} on {day}, "
    "burning flags and demanding the expulsion of the ambassador after the shooting.",
    "President of {a} said on {day} that talks with {b} on a ceasefire had made real progress, "
    "and that a delegation would travel to {city} next week to sign a preliminary agreement.",
    "Troops from {a} shelled villages near the frontier with {b} overnight, killing at least "
    "{n} civilians, according to local officials and a monitoring group based in {city}.",
    "{a} and {b} signed a deal worth {n} billion dollars on {day} to build a gas pipeline, "
    "a move that analysts in {c} said would deepen economic ties between the two countries.",
]
CITIES = ["Geneva", "Vienna", "Doha", "Istanbul", "Nairobi", "Jakarta", "Brussels", "Oslo"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def make_sentences(n: int, seed: int = 0) -> list[str]:
    """``n`` news-style sentences of about 30 words from the templates above."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        a, b, c = rng.sample(COUNTRIES, 3)
        out.append(
            rng.choice(TEMPLATES).format(
                a=a, b=b, c=c, city=rng.choice(CITIES), day=rng.choice(DAYS), n=rng.randint(2, 90)
            )
        )
    return out


def timed(fn, repeats: int = 3) -> tuple[float, object]:
    """Best wall time of ``repeats`` calls after one warm-up call, and the last result."""
    result = fn()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "results_embed.txt")
    args = parser.parse_args(argv)
    for var in THREAD_VARS:
        os.environ[var] = str(args.threads)

    import numpy as np

    from detente.learn.embed import SentenceEncoder, default_model_dir

    sentences = make_sentences(args.n)
    encoder = SentenceEncoder.load()
    pieces = [len(ids) for ids in encoder.tokenize(sentences)]
    words = [len(s.split()) for s in sentences]
    lines = [
        f"sentences: {len(sentences)}, words/sentence mean {np.mean(words):.1f}, "
        f"word pieces (with [CLS]/[SEP]) mean {np.mean(pieces):.1f} max {max(pieces)}",
        f"threads: {args.threads}, batch size: {args.batch_size}, best of {args.repeats} runs, "
        f"CPUs {os.cpu_count()}, load average at start {os.getloadavg()[0]:.1f}",
    ]
    secs, ours = timed(lambda: encoder.encode(sentences, args.batch_size), args.repeats)
    lines.append(f"numpy encoder: {len(sentences) / secs:8.1f} sentences/s ({secs:.2f} s)")
    try:
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError:
        lines.append("sentence-transformers: not installed, no comparison")
    else:
        torch.set_num_threads(args.threads)
        model = SentenceTransformer(str(default_model_dir()), device="cpu")
        secs, ref = timed(
            lambda: model.encode(sentences, batch_size=args.batch_size, normalize_embeddings=True),
            args.repeats,
        )
        lines.append(
            f"sentence-transformers (torch {torch.__version__}): "
            f"{len(sentences) / secs:8.1f} sentences/s ({secs:.2f} s)"
        )
        lines.append(f"max abs difference: {float(np.abs(ours - ref).max()):.3g}")
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
