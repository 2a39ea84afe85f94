"""``detente import``: GDELT 2.0 or ICEWS event files into the event store."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

EXIT_OK, EXIT_SKIPPED = 0, 3

EXAMPLE = (
    "detente import --db out/icews.duckdb --format icews "
    "../shared/corpora/icews_events_2018_sample.tab\n"
    "  detente import --db out/gdelt.duckdb --format gdelt 20240101000000.export.CSV.zip\n"
    "  detente dyad PRK KOR --db out/icews.duckdb --freq day"
)


def add_parser(sub: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    from detente.cli import command_parser
    from detente.exchange.importer import IMPORT_FORMATS

    p = command_parser(
        sub,
        name,
        "Import GDELT 2.0 event files (61 tab-separated columns, .zip too) or ICEWS event "
        "files (.tab with a header) into the event store; re-importing adds nothing.",
        EXAMPLE,
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="event files (.CSV, .tab, .zip, .gz)")
    p.add_argument("--db", required=True, help="DuckDB file (created when missing)")
    p.add_argument("--format", choices=IMPORT_FORMATS, required=True)
    return p


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from detente.exchange.importer import import_events
    from detente.progress import Progress
    from detente.store import EventStore

    with (
        EventStore(args.db) as store,
        Progress(f"importing {args.format}", stream=err, unit="rows") as progress,
    ):
        report = import_events(store, args.format, args.paths, progress=progress)
    out.write(json.dumps({"db": args.db, "format": args.format, **report.to_dict()}) + "\n")
    for problem in report.problems:
        err.write(f"detente: skipped {problem}\n")
    if report.dropped_problems:
        err.write(f"detente: … and {report.dropped_problems} more problems\n")
    for name, count in sorted(report.unknown_countries.items(), key=lambda kv: -kv[1]):
        err.write(f"detente: unknown country name {name!r} ({count} actors kept without one)\n")
    return EXIT_SKIPPED if report.skipped_any else EXIT_OK
