"""End-to-end throughput of detente ingest with 1 and N processes, against spaCy alone.

    python benchmarks/bench_throughput.py --stories 1000            # quick
    python benchmarks/bench_throughput.py --stories 2000 --jobs 1 2 --flat 30000

What it measures, on a synthetic corpus (``make_synthetic_corpus.py``, or ``--corpus``):

1. ``ingest`` into a fresh DuckDB store with ``--jobs`` 1, 2, ... processes: words/s and
   stories/s over the whole run (model loading included) and in steady state (from the
   first stored story on), CPU seconds of all processes, peak RSS of each process.
2. spaCy alone: ``nlp.pipe`` over the same paragraphs with the same model and batch
   size the parse stage uses, in this process: the ceiling for one core.
3. The ratio of detente (1 process, steady state) to spaCy alone.
4. With ``--flat N``: an N-story run with the largest ``--jobs`` value, printing the RSS
   of every process at intervals, to show memory stays flat.

Per-process memory and CPU come from psutil (installed with dask[distributed]); without
it only this process's peak (resource.getrusage) is shown. The machine's load average
is printed before and after: other work on the machine lowers the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_synthetic_corpus  # noqa: E402

try:
    import psutil
except ImportError:  # pragma: no cover
    psutil = None

MiB = 1024 * 1024


class Sampler(threading.Thread):
    """Samples RSS and CPU time of this process and all its descendants."""

    def __init__(self, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.stop_event = threading.Event()
        self.peak: dict[int, int] = {}
        self.cpu: dict[int, float] = {}
        self.role: dict[int, str] = {}
        self.count = 0  # stories stored, set by the progress hook
        self.trace: list[tuple[float, int, dict[int, int]]] = []
        self.started = time.perf_counter()

    def snapshot(self) -> dict[int, int]:
        if psutil is None:
            return {}
        me = psutil.Process()
        rss = {}
        procs = [me, *me.children(recursive=True)]
        for proc in procs:
            try:
                with proc.oneshot():
                    rss[proc.pid] = proc.memory_info().rss
                    times = proc.cpu_times()
                    self.cpu[proc.pid] = times.user + times.system
                    if proc.pid not in self.role:
                        self.role[proc.pid] = (
                            "main" if proc.pid == me.pid
                            else "helper" if proc.ppid() == me.pid
                            else "worker"
                        )  # fmt: skip
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            self.peak[proc.pid] = max(self.peak.get(proc.pid, 0), rss[proc.pid])
        return rss

    def run(self) -> None:
        while not self.stop_event.is_set():
            rss = self.snapshot()
            self.trace.append((time.perf_counter() - self.started, self.count, rss))
            self.stop_event.wait(self.interval)

    def stop(self) -> None:
        self.stop_event.set()
        self.join()
        self.snapshot()


class Hook:
    """A Progress stand-in: records when the first story came out, feeds the sampler."""

    def __init__(self, sampler: Sampler) -> None:
        self.sampler = sampler
        self.count = 0
        self.first: float | None = None

    def advance(self, n: int = 1) -> None:
        if self.first is None:
            self.first = time.perf_counter()
            self.first_cpu = time.process_time()
        self.count += n
        self.sampler.count = self.count


def corpus_stats(path: Path, keep_texts: bool = True) -> tuple[int, int, list[str]]:
    """Stories, words and (with ``keep_texts``) every paragraph's text."""
    from detente.ingest import read_stories
    from detente.nlp.parse import paragraphs

    stories = words = 0
    texts: list[str] = []
    for story in read_stories([str(path)]):
        stories += 1
        words += len(story.text.split())
        if keep_texts:
            texts.extend(text for _, text in paragraphs(story.text))
    return stories, words, texts


def in_child(kind: str, path: Path, jobs: int = 1, flat: bool = False) -> dict:
    """Run one measurement in a fresh interpreter, so no model or memory carries over."""
    import subprocess

    cmd = [sys.executable, __file__, "--child", kind, str(path), str(jobs)]
    if flat:
        cmd.append("flat")
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"benchmark child failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child(argv: list[str]) -> int:
    kind, path, jobs = argv[0], Path(argv[1]), int(argv[2])
    # only spaCy alone needs the texts: an ingest child would carry them (a whole
    # corpus's paragraphs) through the run and add them to the writer's RSS
    stories, words, texts = corpus_stats(path, keep_texts=kind == "spacy")
    if kind == "spacy":
        from detente.config import Config

        out = bench_spacy(texts, words, Config().batch_size * 4)
    else:
        out = bench_ingest(path, jobs, words, stories, flat_every=int("flat" in argv[3:]))
    print(json.dumps(out))
    return 0


def bench_ingest(path: Path, jobs: int, words: int, stories: int, flat_every: int = 0) -> dict:
    from detente.config import Config
    from detente.scale.jobs import ingest_parallel
    from detente.store import EventStore

    sampler = Sampler()
    hook = Hook(sampler)
    with tempfile.TemporaryDirectory(prefix="detente-bench-") as tmp:
        sampler.start()
        start = time.perf_counter()
        with EventStore(Path(tmp) / "bench.duckdb") as store:
            result = ingest_parallel([str(path)], store, Config(), jobs, progress=hook)
        end = time.perf_counter()
        cpu_end = time.process_time()
        sampler.stop()
    wall = end - start
    steady = end - (hook.first or start)
    # Steady state: stories after the first chunk, over the time after it arrived.
    steady_stories = max(stories - Config().batch_size, 1)
    steady_words = words * steady_stories / stories
    out = {
        "jobs": jobs,
        "stories": stories,
        "events": result.stored.events_added,
        "wall_s": round(wall, 2),
        "startup_s": round((hook.first or end) - start, 2),
        "stories_per_s": round(stories / wall, 1),
        "words_per_s": round(words / wall),
        "steady_stories_per_s": round(steady_stories / steady, 1),
        "steady_words_per_s": round(steady_words / steady),
        "cpu_s": round(sum(sampler.cpu.values()), 1),
        "main_cpu_s": round(cpu_end, 1),
        "peak_rss_mib": {
            f"{sampler.role.get(pid, '?')}:{pid}": round(peak / MiB)
            for pid, peak in sorted(sampler.peak.items(), key=lambda kv: -kv[1])
            if peak > 64 * MiB
        },
    }
    if jobs == 1 and hook.first is not None:
        # One process: words per CPU second after the model is loaded (immune to other load).
        out["steady_words_per_cpu_s"] = round(steady_words / (cpu_end - hook.first_cpu))
    if psutil is None:
        out["peak_rss_mib"] = {"main": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}
    if flat_every:
        out["trace"] = sampler.trace
    return out


def bench_spacy(texts: list[str], words: int, batch_size: int) -> dict:
    from detente.nlp import load_language_model

    nlp = load_language_model()
    start = time.perf_counter()
    cpu0 = time.process_time()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu0
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 1),
        "words_per_s": round(words / wall),
        "words_per_cpu_s": round(words / cpu),
        "components": list(nlp.pipe_names),
    }


def print_flat(trace: list, every: int, roles: dict) -> None:
    trace = [(t, n, {int(pid): rss for pid, rss in r.items()}) for t, n, r in trace]
    print(f"\nmemory over the run (RSS MiB per process, one line per {every} stories)")
    pids = sorted({pid for _, _, rss in trace for pid in rss if roles.get(pid) != "helper"})
    pids = [p for p in pids if max(r.get(p, 0) for _, _, r in trace) > 64 * MiB]
    print("  seconds  stories  " + "  ".join(f"{roles.get(p, '?')}:{p}" for p in pids))
    next_mark = 0
    for seconds, count, rss in trace:
        if count >= next_mark:
            widths = [len(f"{roles.get(p, '?')}:{p}") for p in pids]
            cells = "  ".join(
                f"{rss.get(p, 0) / MiB:>{w}.0f}" for p, w in zip(pids, widths, strict=True)
            )
            print(f"  {seconds:7.0f}  {count:7d}  {cells}")
            next_mark = (count // every + 1) * every


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return child(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=1000, help="corpus size (default 1000)")
    parser.add_argument("--corpus", type=Path, help="a JSONL corpus instead of a synthetic one")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--flat", type=int, default=0, metavar="N", help="also run N stories, printing RSS"
    )
    parser.add_argument("--skip-spacy", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)

    print(f"load average before: {os.getloadavg()}  cpus: {os.cpu_count()}  psutil: {bool(psutil)}")
    with tempfile.TemporaryDirectory(prefix="detente-corpus-") as tmp:
        path = args.corpus
        if path is None:
            path = Path(tmp) / "corpus.jsonl"
            make_synthetic_corpus.main([str(args.stories), str(path)])
        stories, words, texts = corpus_stats(path)
        print(f"corpus: {stories} stories, {words} words, {len(texts)} paragraphs")
        figures: dict = {"stories": stories, "words": words, "runs": []}
        for jobs in args.jobs:
            run = in_child("ingest", path, jobs)
            figures["runs"].append(run)
            print(json.dumps(run))
        if not args.skip_spacy:
            spacy = in_child("spacy", path)
            figures["spacy"] = spacy
            print("spacy alone:", json.dumps(spacy))
        runs = {r["jobs"]: r for r in figures["runs"]}
        if 1 in runs:
            one = runs[1]
            for jobs, run in runs.items():
                if jobs != 1:
                    print(
                        f"speed-up jobs={jobs} vs 1: whole run "
                        f"{run['words_per_s'] / one['words_per_s']:.2f}x, steady "
                        f"{run['steady_words_per_s'] / one['steady_words_per_s']:.2f}x"
                    )
            if "spacy" in figures:
                spacy = figures["spacy"]
                print(
                    "detente (1 process, steady) / spaCy parse alone: wall "
                    f"{one['steady_words_per_s'] / spacy['words_per_s']:.0%}, CPU "
                    f"{one['steady_words_per_cpu_s'] / spacy['words_per_cpu_s']:.0%}"
                )
        if args.flat:
            flat_path = Path(tmp) / "flat.jsonl"
            make_synthetic_corpus.main([str(args.flat), str(flat_path)])
            jobs = max(args.jobs)
            run = in_child("ingest", flat_path, jobs, flat=True)
            trace = run.pop("trace")
            figures["flat"] = run
            print(f"\nflat run: {json.dumps(run)}")
            roles = {int(name.split(":")[1]): name.split(":")[0] for name in run["peak_rss_mib"]}
            print_flat(trace, max(args.flat // 20, 1), roles)
    print(f"load average after: {os.getloadavg()}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
