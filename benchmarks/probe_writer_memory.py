"""Isolate the memory of ingest's single writer: EventStore.add_stories without the coder.

    python benchmarks/probe_writer_memory.py --stories 50000
    python benchmarks/probe_writer_memory.py --stories 20000 --variants base v2keys --near-dups

A handful of synthetic stories (``make_synthetic_corpus.py``) is coded once with
:class:`detente.coder.Coder` (slimmed as the workers slim them); then N stories are
written the way ``detente ingest`` writes them (one ``add_stories`` call, 100 stories
per transaction): story i takes the text, title, date and source of synthetic story i
(so ids and content hashes differ and the texts look like the real benchmark's) and the
sentences and events of coded template ``i % templates`` (re-pointed at story i).

Each variant runs in a fresh interpreter, so nothing carries over; it samples its own
RSS (VmRSS in /proc/self/status) every ``--every`` stories, and what DuckDB says it
holds (``duckdb_memory()``: all tags; ART_INDEX, the PRIMARY KEY indexes; BASE_TABLE,
table blocks in the buffer pool; IN_MEMORY_TABLE, rows not yet checkpointed). Variants
switch one suspect at a time:

    base        as ``detente ingest`` writes (jobs.store_coded): the store opened with
                its default memory_limit, the batches written (and near-duplicates
                marked) under jobs.INGEST_MEMORY_LIMIT (EventStore.memory_capped)
    uncapped    all under the store's own memory_limit (512MB)
    v2keys      the schema before migration 3 (a PRIMARY KEY on every table), uncapped:
                the writer as it was (the near-duplicate pass is the new one)
    mem128      the store opened with memory_limit 128MB, uncapped
    mem64       the store opened with memory_limit 64MB
    nolimit     the store opened without memory_limit (DuckDB's default, most of RAM)
    noorder     base, and SET preserve_insertion_order = false
    threads1    base, and SET threads = 1
    checkpoint  base, and CHECKPOINT after every ``--every`` stories
    reader      base, with the stories coming through read_stories from a JSONL file
                (its memory of ids read, the origin strings, IngestReport)
    python      no store at all: build the stories and drop them (the Python baseline)

With ``--near-dups`` each store variant then runs ``mark_near_duplicates`` (under the
same limit as its writes) and reports the peak RSS during that pass (sampled
every 50 ms) and its duration. ``--random-ids`` gives the stories ids without order
(hashes, like URLs), which is what made the old PRIMARY KEY indexes grow fastest.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import pickle
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_synthetic_corpus  # noqa: E402

VARIANTS = {
    "base": "as ingest writes (under jobs.INGEST_MEMORY_LIMIT)",
    "uncapped": "under the store's own memory_limit",
    "v2keys": "schema v2 (every PRIMARY KEY), uncapped",
    "mem128": "store memory_limit 128MB, uncapped",
    "mem64": "store memory_limit 64MB",
    "nolimit": "no memory_limit, uncapped",
    "noorder": "base + preserve_insertion_order = false",
    "threads1": "base + SET threads = 1",
    "checkpoint": "base + CHECKPOINT every --every stories",
    "reader": "base, stories read through read_stories",
    "python": "no store (Python side only)",
}
CAPPED = ("base", "noorder", "threads1", "checkpoint", "reader")
MiB = 1024 * 1024


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class PeakSampler(threading.Thread):
    """The highest VmRSS seen while it runs."""

    def __init__(self, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.done = threading.Event()
        self.peak = rss_mib()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, rss_mib())
            self.done.wait(self.interval)

    def stop(self) -> float:
        self.done.set()
        self.join()
        self.peak = max(self.peak, rss_mib())
        return self.peak


# -- templates (parent) ----------------------------------------------------------------


def code_templates(count: int, path: Path) -> None:
    """Code ``count`` synthetic stories once and pickle them, slimmed, to ``path``."""
    from detente.coder import Coder
    from detente.records import Story
    from detente.scale.parallel import slim

    records = make_synthetic_corpus.stories(count, seed=7)
    stories = [
        Story(
            id=r["id"],
            text=r["text"],
            title=r["title"],
            date=_date(r["date"]),
            source=r["source"],
        )
        for r in records
    ]
    coded = [slim(story) for story in Coder().code_stories(stories)]
    with open(path, "wb") as handle:
        pickle.dump(coded, handle)


def _date(value: str):
    import datetime as dt

    return dt.date.fromisoformat(value)


# -- one variant (child) ---------------------------------------------------------------


def stream(variant: str, n: int, templates: list, tmp: Path, random_ids: bool) -> Iterator:
    """N stories: synthetic text and metadata, a template's sentences and events."""
    from detente.records import Story

    def attach(i: int, story: Story) -> Story:
        template = templates[i % len(templates)]
        story.sentences = template.sentences
        story.events = [dataclasses.replace(e, story_id=story.id) for e in template.events]
        return story

    def records() -> Iterator[dict]:
        for r in make_synthetic_corpus.stories(n, seed=11):
            if random_ids:  # like URLs or GUIDs: no order to them
                r["id"] = hashlib.blake2b(r["id"].encode(), digest_size=12).hexdigest()
            yield r

    if variant == "reader":
        from detente.ingest import IngestReport, read_stories

        corpus = tmp / "probe.jsonl"
        with open(corpus, "w", encoding="utf-8") as handle:
            for r in records():
                handle.write(json.dumps(r) + "\n")
        report = IngestReport()
        for i, story in enumerate(read_stories([str(corpus)], report=report)):
            yield attach(i, story)
        return
    for i, r in enumerate(records()):
        story = Story(
            id=r["id"],
            text=r["text"],
            title=r["title"],
            date=_date(r["date"]),
            source=r["source"],
            origin=f"probe.jsonl:{i + 1}",
        )
        yield attach(i, story)


def probe_store_class(variant: str):
    from detente.store import EventStore
    from detente.store.schema import MIGRATIONS

    if variant == "v2keys":
        return type("V2EventStore", (EventStore,), {"migrations": MIGRATIONS[:2]})
    return EventStore


def duckdb_mib(con) -> list[float]:
    """MiB DuckDB reports (duckdb_memory()): all tags, ART_INDEX, temporary storage,
    BASE_TABLE (table blocks in the buffer pool), IN_MEMORY_TABLE (rows not checkpointed)."""
    rows = con.execute(
        "SELECT tag, memory_usage_bytes, temporary_storage_bytes FROM duckdb_memory()"
    ).fetchall()
    used = {tag: memory for tag, memory, _ in rows}
    return [
        round(value / MiB, 1)
        for value in (
            sum(used.values()),
            used.get("ART_INDEX", 0),
            sum(r[2] for r in rows),
            used.get("BASE_TABLE", 0),
            used.get("IN_MEMORY_TABLE", 0),
        )
    ]


def child(
    variant: str, n: int, every: int, templates_path: Path, near_dups: bool, random_ids: bool
) -> dict:
    with open(templates_path, "rb") as handle:
        templates = pickle.load(handle)
    out: dict = {"variant": variant, "samples": [], "random_ids": random_ids}
    with tempfile.TemporaryDirectory(prefix="detente-probe-") as tmp_name:
        tmp = Path(tmp_name)
        start = time.perf_counter()
        if variant == "python":
            batch = []
            for i, story in enumerate(stream(variant, n, templates, tmp, random_ids)):
                if i % every == 0:
                    out["samples"].append([i, round(rss_mib(), 1), 0, 0, 0, 0, 0])
                batch.append(story)
                if len(batch) == 100:
                    batch = []
            out["samples"].append([n, round(rss_mib(), 1), 0, 0, 0, 0, 0])
            out["write_s"] = round(time.perf_counter() - start, 1)
            return out
        kwargs = {}
        if variant in ("mem128", "mem64"):
            kwargs["memory_limit"] = variant[3:] + "MB"
        elif variant == "nolimit":
            kwargs["memory_limit"] = None
        store = probe_store_class(variant)(tmp / "probe.duckdb", **kwargs)
        con = store.con
        if variant == "noorder":
            con.execute("SET preserve_insertion_order = false")
        elif variant == "threads1":
            con.execute("SET threads = 1")

        def sample(i: int) -> None:
            out["samples"].append([i, round(rss_mib(), 1), *duckdb_mib(con)])

        def marked() -> Iterator:
            for i, story in enumerate(stream(variant, n, templates, tmp, random_ids)):
                if i % every == 0:
                    if variant == "checkpoint" and i:
                        con.execute("CHECKPOINT")
                    sample(i)
                yield story

        from detente.jobs import INGEST_MEMORY_LIMIT

        cap = INGEST_MEMORY_LIMIT if variant in CAPPED else "1TB"  # 1TB: never lowers it
        out["write_limit"] = cap if variant in CAPPED else "the store's"
        try:
            with store.memory_capped(cap):
                report = store.add_stories(marked(), batch_size=100)
        except Exception as exc:  # a failure is a finding: report it, end the variant
            out["error"] = f"writing failed after {out['samples'][-1][0]} stories: {exc}"
            out["error"] = out["error"].splitlines()[0]
            out["write_s"] = round(time.perf_counter() - start, 1)
            try:
                store.close()
            except Exception:  # noqa: S110 - the database may be invalidated
                pass
            return out
        sample(n)
        out["write_s"] = round(time.perf_counter() - start, 1)
        out["stored"] = report.stories_added
        if near_dups:
            from detente.store.near_duplicates import mark_near_duplicates

            before = rss_mib()
            sampler = PeakSampler()
            sampler.start()
            t0 = time.perf_counter()
            try:
                with store.memory_capped(cap):
                    out["near_duplicates"] = mark_near_duplicates(store)
            except Exception as exc:
                out["near_duplicates"] = f"failed: {str(exc).splitlines()[0]}"
            out["near_dup_s"] = round(time.perf_counter() - t0, 1)
            out["near_dup_peak_mib"] = round(sampler.stop(), 1)
            out["near_dup_before_mib"] = round(before, 1)
            out["near_dup_after_mib"] = round(rss_mib(), 1)
        out["duckdb_tags_mib"] = {
            tag: round(used / MiB, 1)
            for tag, used in con.execute(
                "SELECT tag, memory_usage_bytes FROM duckdb_memory() ORDER BY 2 DESC"
            ).fetchall()
            if used
        }
        store.close()
        out["file_mib"] = round((tmp / "probe.duckdb").stat().st_size / MiB, 1)
    return out


# -- parent ----------------------------------------------------------------------------


def run_variant(variant: str, args: argparse.Namespace, templates: Path) -> dict:
    cmd = [sys.executable, __file__, "--child", variant, str(args.stories), str(args.every),
           str(templates), "1" if args.near_dups else "0",
           "1" if args.random_ids else "0"]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"variant {variant} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def print_table(results: list[dict], column: int, title: str) -> None:
    print(f"\n{title}")
    names = [r["variant"] for r in results]
    width = max(9, *(len(name) + 1 for name in names))
    print("  stories" + "".join(f"{name:>{width}}" for name in names))
    marks = sorted({s[0] for r in results for s in r["samples"]})
    for mark in marks:
        cells = []
        for r in results:
            value = next((s[column] for s in r["samples"] if s[0] == mark), None)
            cells.append(f"{value:>{width}.0f}" if value is not None else " " * width)
        print(f"  {mark:7d}" + "".join(cells))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        variant, n, every, templates, near, random_ids = argv[1:7]
        out = child(variant, int(n), int(every), Path(templates), near == "1", random_ids == "1")
        print(json.dumps(out))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=50_000, help="stories written (50000)")
    parser.add_argument("--every", type=int, default=5_000, help="sample every N stories")
    parser.add_argument("--templates", type=int, default=50, help="stories coded (50)")
    parser.add_argument(
        "--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS), metavar="V",
        help="variants to run (default: all): " + ", ".join(VARIANTS),
    )  # fmt: skip
    parser.add_argument("--near-dups", action="store_true", help="also run the near-dup pass")
    parser.add_argument(
        "--random-ids", action="store_true",
        help="story ids without order (hashes, like URLs) instead of syn-0000001, ...",
    )  # fmt: skip
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)

    print(f"load average: {os.getloadavg()}  cpus: {os.cpu_count()}")
    print(
        f"{args.stories} stories, {args.templates} coded templates, "
        f"{'random' if args.random_ids else 'sequential'} ids"
    )
    results = []
    with tempfile.TemporaryDirectory(prefix="detente-probe-") as tmp:
        templates = Path(tmp) / "templates.pickle"
        code_templates(args.templates, templates)
        for variant in args.variants:
            result = run_variant(variant, args, templates)
            results.append(result)
            first, last = result["samples"][0][1], result["samples"][-1][1]
            line = (
                f"{variant:>10}: {VARIANTS[variant]}; RSS {first:.0f} -> {last:.0f} MiB "
                f"({(last - first) * 1000 / args.stories:+.2f} MiB per 1,000 stories), "
                f"written in {result['write_s']} s"
            )
            if "error" in result:
                line += f"; {result['error']}"
            if "near_dup_peak_mib" in result:
                line += (
                    f"; near-dup pass {result['near_dup_s']} s, peak "
                    f"{result['near_dup_peak_mib']:.0f} MiB "
                    f"(from {result['near_dup_before_mib']:.0f}), "
                    f"marked: {result['near_duplicates']}"
                )
            if "duckdb_tags_mib" in result:
                line += f"; DuckDB at the end: {result['duckdb_tags_mib']}"
            if "file_mib" in result:
                line += f"; file {result['file_mib']} MiB"
            print(line, flush=True)
    print_table(results, 1, f"writer RSS (MiB), one line per {args.every} stories")
    stores = [r for r in results if r["variant"] != "python"]
    if stores:
        print_table(stores, 2, "DuckDB memory, all tags (MiB, duckdb_memory())")
        print_table(stores, 3, "DuckDB memory, ART_INDEX (MiB)")
        print_table(stores, 5, "DuckDB memory, BASE_TABLE (MiB)")
        print_table(stores, 6, "DuckDB memory, IN_MEMORY_TABLE (MiB)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
