"""Load test of the HTTP API over a store of a million synthetic events.

    python benchmarks/bench_server.py [--events 1000000] [--workers 8] [--requests 50]

Builds the store with bulk INSERT ... SELECT over range() (seconds, no coding), starts
``create_app`` under uvicorn in a child process on loopback, fires ``workers`` ×
``requests`` requests at the dyad-series and event-list endpoints with httpx, and prints
requests/second, p50/p95 latency and the error count per endpoint and overall.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from detente.store import EventStore

COUNTRIES = ["JPN", "KOR", "CHN", "USA", "PRK", "RUS", "IND", "GBR"]
# (cameo, name, root, quad class, goldstein, plover)
CODES = [
    ("042", "Make a visit", "04", 1, 1.9, "CONSULT"),
    ("057", "Sign formal agreement", "05", 2, 8.0, "AGREE"),
    ("111", "Criticize or denounce", "11", 3, -2.0, "ACCUSE"),
    ("190", "Use conventional military force", "19", 4, -10.0, "ASSAULT"),
    ("010", "Make statement", "01", 0, 0.0, None),
]
EVENTS_PER_STORY = 10


def build_store(path: str, n_events: int) -> float:
    """Write ``n_events`` events (ten per story) straight into the store's tables."""
    started = time.perf_counter()
    n_stories = max(1, n_events // EVENTS_PER_STORY)
    countries = "[" + ", ".join(f"'{c}'" for c in COUNTRIES) + "]"
    k = len(COUNTRIES)
    codes = len(CODES)

    def pick(column: int) -> str:
        values = ", ".join("NULL" if c[column] is None else repr(c[column]) for c in CODES)
        return f"[{values}][CAST(hash(i * 31) % {codes} AS BIGINT) + 1]"

    with EventStore(path) as store:
        con = store.con
        con.execute("BEGIN TRANSACTION")
        con.execute(
            "INSERT INTO stories (id, title, date, source, url, origin, content_hash, text, "
            "ingested_at) SELECT 's' || i, 'Synthetic story ' || i, "
            "DATE '2000-01-01' + CAST(i % 9000 AS INTEGER), 'bench', "
            "'https://example.org/s' || i, 'bench', md5('s' || i), "
            "'Japan visited South Korea.', TIMESTAMP '2025-01-01' FROM range(?) t(i)",
            [n_stories],
        )
        con.execute(
            "INSERT INTO sentences (story_id, sentence_index, text, start_char) "
            "SELECT 's' || i, 0, 'Japan visited South Korea.', 0 FROM range(?) t(i)",
            [n_stories],
        )
        con.execute(
            f"""
            INSERT INTO events (event_id, story_id, event_index, sentence_index, sentence,
                source, target, source_text, target_text, source_country, target_country,
                cameo, cameo_name, root, quad_class, goldstein, plover, plover_mode,
                plover_context, modality, confidence, date, source_start, source_end,
                predicate_start, predicate_end, target_start, target_end, predicate)
            SELECT 'e' || i, 's' || (i // {EVENTS_PER_STORY}), i % {EVENTS_PER_STORY}, 0,
                'Japan visited South Korea.',
                sc || 'GOV', tc || 'GOV', sc, tc, sc, tc,
                {pick(0)}, {pick(1)}, {pick(2)}, {pick(3)}, {pick(4)}, {pick(5)}, NULL,
                ['diplomatic'],
                CASE WHEN i % 17 = 0 THEN 'negated' ELSE 'asserted' END, 0.8, NULL,
                0, 5, 6, 13, 14, 25, 'visit'
            FROM (
                SELECT i,
                    {countries}[(i % {k}) + 1] AS sc,
                    {countries}[((i // {k} + 1 + i % {k}) % {k}) + 1] AS tc
                FROM range(?) t(i)
            )
            """,
            [n_events],
        )
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
        counts = store.counts()
    print(
        f"store: {counts['events']:,} events, {counts['stories']:,} stories "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SERVER = """
import sys, uvicorn
from detente.server import create_app
uvicorn.run(create_app(sys.argv[1], read_only=True), host="127.0.0.1", port=int(sys.argv[2]),
            log_level="warning", limit_concurrency=256)
"""


def start_server(path: str, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", SERVER, path, str(port)])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("the server exited while starting")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/info", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise SystemExit("the server did not start within 60 s")


def requests_for(worker: int, n: int) -> list[tuple[str, str]]:
    rng = random.Random(worker)
    out = []
    for j in range(n):
        a, b = rng.sample(COUNTRIES, 2)
        if j % 2 == 0:
            freq = rng.choice(["month", "year"])
            out.append(("series", f"/api/dyads/{a}/{b}/series?freq={freq}"))
        else:
            params = [f"a={a}", f"b={b}", "limit=50", f"offset={rng.randrange(0, 5000)}"]
            if rng.random() < 0.5:
                year = rng.randrange(2000, 2024)
                params += [f"since={year}-01-01", f"until={year}-12-31"]
            if rng.random() < 0.3:
                params.append(f"quad_class={rng.randrange(1, 5)}")
            out.append(("events", "/api/events?" + "&".join(params)))
    return out


def worker(base: str, worker_id: int, n: int) -> list[tuple[str, float, bool]]:
    results = []
    with httpx.Client(base_url=base, timeout=60) as client:
        for kind, url in requests_for(worker_id, n):
            started = time.perf_counter()
            try:
                ok = client.get(url).status_code == 200
            except httpx.HTTPError:
                ok = False
            results.append((kind, time.perf_counter() - started, ok))
    return results


def percentile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def report(name: str, rows: list[tuple[str, float, bool]], wall: float) -> None:
    times = sorted(t * 1000 for _, t, _ in rows)
    errors = sum(1 for *_, ok in rows if not ok)
    print(
        f"{name:<8} {len(rows):>6} req  {len(rows) / wall:>8.1f} req/s  "
        f"p50 {percentile(times, 50):>8.1f} ms  p95 {percentile(times, 95):>8.1f} ms  "
        f"errors {errors}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--requests", type=int, default=50, help="requests per worker")
    parser.add_argument("--db", help="store to build (default: a temporary file)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="detente-bench-") as tmp:
        path = args.db or str(Path(tmp) / "bench.duckdb")
        if os.path.exists(path):
            raise SystemExit(f"{path} exists; give a new path")
        build_store(path, args.events)
        port = free_port()
        proc = start_server(path, port)
        base = f"http://127.0.0.1:{port}"
        try:
            worker(base, -1, 4)  # warm up
            started = time.perf_counter()
            with concurrent.futures.ThreadPoolExecutor(args.workers) as pool:
                futures = [pool.submit(worker, base, w, args.requests) for w in range(args.workers)]
                rows = [row for f in futures for row in f.result()]
            wall = time.perf_counter() - started
        finally:
            proc.terminate()
            proc.wait(10)
    print(
        f"load: {args.workers} workers × {args.requests} requests in {wall:.1f} s "
        f"({os.cpu_count()} CPUs)"
    )
    for kind in ("series", "events"):
        report(kind, [r for r in rows if r[0] == kind], wall)
    report("all", rows, wall)
    return 1 if any(not ok for *_, ok in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
