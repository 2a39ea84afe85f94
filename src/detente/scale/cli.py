"""Command-line pieces for scale: ``ingest --jobs/--engine/--scheduler/--out`` and ``load``.

``detente.cli`` calls :func:`add_ingest_options` on the ``ingest`` parser and hands the
command to :func:`run_ingest` when ``--jobs`` is not 1 or ``--engine dask`` is chosen;
``load`` is a plugged command (``add_parser``/``run``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TextIO

from ..config import Config
from ..errors import ConfigError

LOAD_EXAMPLE = (
    "detente ingest corpus/ --engine dask --out out/parts\n"
    "  detente load out/parts --db out/events.duckdb"
)


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of processes: {value!r}") from None
    if jobs < 0:
        raise argparse.ArgumentTypeError("--jobs must be 0 (all CPUs) or more")
    return jobs


def add_ingest_options(p: argparse.ArgumentParser) -> None:
    """The scale options of ``detente ingest``."""
    p.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default=1,
        metavar="N",
        help="coding processes (0 = one per CPU; default: 1); "
        "with --engine dask and no --scheduler, local Dask workers",
    )
    p.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="local: this machine, writing --db as it goes (default); "
        "dask: a Dask cluster writing Parquet partitions to --out",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: a local cluster)",
    )
    p.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="with --engine dask: directory for the Parquet partitions "
        "(load them with 'detente load DIR --db FILE'; --db too loads them at once)",
    )
    p.add_argument(
        "--overwrite",
        action="store_true",
        help="with --out: delete partitions already in DIR first",
    )


def wants_scale(args: argparse.Namespace) -> bool:
    """Whether ``detente ingest`` should go through :func:`run_ingest`."""
    return (
        getattr(args, "jobs", 1) != 1
        or getattr(args, "engine", "local") != "local"
        or getattr(args, "out", None) is not None
        or getattr(args, "scheduler", None) is not None
    )


def _config(args: argparse.Namespace) -> Config:
    """The same Config ``detente.cli._coder`` builds (the model loads in the workers)."""
    from ..cli import config_from_args

    return config_from_args(args)


def run_ingest(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..cli import _options, _report_problems
    from ..progress import Progress
    from ..store import EventStore

    config = _config(args)
    if args.engine == "dask":
        return _run_dask(args, config, out, err)
    if args.out is not None or args.scheduler is not None:
        raise ConfigError("--out and --scheduler go with --engine dask")
    if not args.db:
        raise ConfigError("ingest needs --db FILE (or --engine dask --out DIR)")
    from .jobs import ingest_parallel

    with EventStore(args.db) as store, Progress("coding", stream=err) as progress:
        result = ingest_parallel(
            args.paths,
            store,
            config,
            args.jobs,
            _options(args),
            progress=progress,
            batch_size=args.batch_size,
        )
    out.write(
        json.dumps(
            {"db": args.db, **result.stored.to_dict(), "problems": result.input.problem_count}
        )
        + "\n"
    )
    return _report_problems(result.input, err)


def _run_dask(args: argparse.Namespace, config: Config, out: TextIO, err: TextIO) -> int:
    from ..cli import _options, _report_problems
    from ..progress import Progress
    from ..store import EventStore
    from .cluster import code_with_dask
    from .parquet import load_parquet

    if args.out is None:
        raise ConfigError("--engine dask needs --out DIR for the Parquet partitions")
    with Progress("coding", stream=err) as progress:
        report = code_with_dask(
            args.paths,
            config,
            args.out,
            scheduler=args.scheduler,
            n_workers=None if args.jobs in (0, 1) else args.jobs,
            options=_options(args),
            progress=progress,
            overwrite=args.overwrite,
        )
    record = {"out": str(args.out), **report.to_dict()}
    if args.db:
        with EventStore(args.db) as store:
            stored = load_parquet(args.out, store)
        record = {"db": args.db, **record, "stored": stored.to_dict()}
    out.write(json.dumps(record) + "\n")
    return _report_problems(report.input, err)


# -- detente load --------------------------------------------------------------------


def add_parser(sub: argparse._SubParsersAction, name: str = "load") -> argparse.ArgumentParser:
    from ..cli import command_parser

    p = command_parser(
        sub,
        name,
        "Load Parquet partitions written by 'ingest --engine dask' into a DuckDB store.",
        LOAD_EXAMPLE,
    )
    p.add_argument("dir", type=Path, metavar="DIR", help="directory given as --out to ingest")
    p.add_argument("--db", required=True, help="DuckDB file (created when missing)")
    p.add_argument(
        "--replace",
        action="store_true",
        help="replace stories already stored with the same content (after recoding)",
    )
    return p


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..cli import EXIT_OK
    from ..store import EventStore
    from .parquet import existing_parts, load_parquet

    if not args.dir.is_dir():
        raise ConfigError(f"{args.dir}: no such directory of Parquet partitions")
    parts = existing_parts(args.dir)
    with EventStore(args.db) as store:
        stored = load_parquet(args.dir, store, replace=args.replace)
    out.write(json.dumps({"db": args.db, "partitions": len(parts), **stored.to_dict()}) + "\n")
    return EXIT_OK
