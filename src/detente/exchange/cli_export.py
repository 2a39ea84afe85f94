"""``detente export``: stored events as GDELT 2.0, PLOVER JSONL, CSV, JSONL or Parquet."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from detente.errors import InputError

EXAMPLE = (
    "detente export --db out/jk.duckdb --format gdelt --out out/jk.export.CSV\n"
    "  detente export --db out/jk.duckdb --format plover --dyad JPN KOR --since 2025-01-01\n"
    "  detente export --db out/jk.duckdb --format parquet --out out/jk.parquet"
)


def add_parser(sub: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    from detente.cli import _date, command_parser
    from detente.exchange.export import EXPORT_FORMATS

    p = command_parser(
        sub,
        name,
        "Export stored events: GDELT 2.0 event table (61 columns), PLOVER JSONL, CSV, "
        "JSONL (the event-record contract) or Parquet.",
        EXAMPLE,
    )
    p.add_argument("--db", required=True, help="DuckDB event store")
    p.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    p.add_argument(
        "--out", default="-", help="output file, or - for standard output (default; not parquet)"
    )
    p.add_argument("--dyad", nargs=2, metavar=("A", "B"), help="two country codes, e.g. JPN KOR")
    p.add_argument("--directed", action="store_true", help="with --dyad: only A → B")
    p.add_argument("--since", type=_date, help="first event date (YYYY-MM-DD, inclusive)")
    p.add_argument("--until", type=_date, help="last event date (YYYY-MM-DD, inclusive)")
    p.add_argument("--header", action="store_true", help="gdelt: start with a line of column names")
    p.add_argument(
        "--dedupe",
        action="store_true",
        help="one event per deduplicated event (same day, actors and code), with its "
        "mention counts, as GDELT counts events",
    )
    return p


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from detente.exchange.export import ExportReport, export_events
    from detente.store import EventStore

    if not Path(args.db).exists():
        raise InputError("no such file", args.db)
    target = out if args.out == "-" and args.format != "parquet" else args.out
    report = ExportReport()
    with EventStore(args.db, read_only=True) as store:
        export_events(
            store,
            args.format,
            target,
            dyad=tuple(args.dyad) if args.dyad else None,
            directed=args.directed,
            since=args.since,
            until=args.until,
            header=args.header,
            dedupe=args.dedupe,
            report=report,
        )
    for message in report.messages():
        err.write(f"detente: {message}\n")
    if target is not out:
        err.write(f"detente: {report.written} events written to {args.out}\n")
    return 0
