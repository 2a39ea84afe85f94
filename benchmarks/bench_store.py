"""Store figures: ingest rate through EventStore.add_stories, and the time of a month-level
dyad series over a store of 1 million events.

    python benchmarks/bench_store.py [--events 1000000] [--stories 2000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_server import build_store  # noqa: E402

from detente.analysis import dyad_series  # noqa: E402
from detente.analysis.dedupe import deduplicated_series  # noqa: E402
from detente.records import Actor, Event, Sentence, Span, Story  # noqa: E402
from detente.store import EventStore  # noqa: E402


def coded_story(i: int) -> Story:
    """A story as the coder leaves it: three sentences, four events (no parsing here)."""
    text = "Japan met South Korea. Japan praised South Korea. Seoul thanked Tokyo."
    sentences = [Sentence(n, s, 0) for n, s in enumerate(text.split(". "))]
    jpn, kor = Actor("JPNGOV", "JPN", "GOV"), Actor("KORGOV", "KOR", "GOV")
    events = [
        Event(f"s{i}", n % 3, sentences[n % 3].text, a, b, "Japan", "South Korea", code, code,
              3.0, 1, "CONSULT", None, ("diplomatic",), date=dt.date(2020, 1, 1) +
              dt.timedelta(days=i % 2000), predicate_span=Span(n, n + 3))
        for n, (a, b, code) in enumerate([(jpn, kor, "040"), (kor, jpn, "040"),
                                          (jpn, kor, "051"), (kor, jpn, "018")])
    ]  # fmt: skip
    return Story(f"s{i}", text, date=dt.date(2020, 1, 1) + dt.timedelta(days=i % 2000),
                 sentences=sentences, events=events)  # fmt: skip


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--stories", type=int, default=2000)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "ingest.duckdb")
        stories = [coded_story(i) for i in range(args.stories)]
        with EventStore(path) as store:
            started = time.perf_counter()
            report = store.add_stories(stories, batch_size=100)
            took = time.perf_counter() - started
        print(f"store writes: {report.stories_added} coded stories, {report.events_added} events "
              f"in {took:.2f} s = {report.stories_added / took:,.0f} stories/s "
              "(writing only; coding is measured by bench_throughput.py)")  # fmt: skip

        big = str(Path(tmp) / "big.duckdb")
        build_store(big, args.events)
        with EventStore(big, read_only=True) as store:
            for name, series in (("dyad_series", dyad_series),
                                 ("deduplicated_series", deduplicated_series)):  # fmt: skip
                times = []
                for _ in range(5):
                    started = time.perf_counter()
                    points = series(store, "JPN", "KOR", freq="month")
                    times.append(time.perf_counter() - started)
                print(f"{name}(JPN, KOR, month) over {args.events:,} events: "
                      f"{len(points)} periods, median {statistics.median(times) * 1000:.0f} ms "
                      f"(min {min(times) * 1000:.0f} ms, 5 runs)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
