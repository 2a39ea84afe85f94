"""The command line: thin wrappers over library functions. Only here do errors become exit codes."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from . import __version__
from .errors import ConfigError, DetenteError, InputError

EXIT_OK, EXIT_ERROR, EXIT_SKIPPED, EXIT_USAGE = 0, 1, 3, 2

EXAMPLES = {
    "code": "detente code ../shared/corpora/seed_japan_korea_rapprochement.txt --date 2025-10-02\n"
    "  detente code story.txt --dictionary my_actors.csv --date 2025-06-10\n"
    "  detente code stories.jsonl --format table\n  cat story.txt | detente code - --format csv\n"
    "  detente code stories.jsonl --fast   # rules only: faster, fewer events",
    "ingest": "detente ingest examples/japan_korea.jsonl --db out/jk.duckdb\n"
    "  detente ingest corpus/ --db out/big.duckdb --jobs 2\n"
    "  detente ingest corpus/ --engine dask --scheduler tcp://10.0.0.5:8786 --out out/parts",
    "events": "detente events --db out/jk.duckdb --dyad JPN KOR --format table",
    "dyad": "detente dyad JPN KOR --db out/jk.duckdb --freq month --plot out/jk.png",
    "classify": 'echo \'{"id": "1", "text": "Japan protested to Seoul.", "source_text": "Japan",'
    ' "target_text": "Seoul"}\' | detente classify -',
    "eval": "detente eval ../shared/gold/plv_train.jsonl --mode classify --cv 5",
    "demo": "detente demo --db out/demo.duckdb",
}


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {value!r}") from None


def command_parser(
    sub: argparse._SubParsersAction, name: str, help_text: str, example: str
) -> argparse.ArgumentParser:
    """A sub-command whose --help ends with a worked example."""
    return sub.add_parser(
        name,
        help=help_text,
        description=help_text,
        epilog="example:\n  " + example,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _parser(name: str, sub: argparse._SubParsersAction, help_text: str) -> argparse.ArgumentParser:
    return command_parser(sub, name, help_text, EXAMPLES[name])


def add_dictionary_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--dictionary",
        action="append",
        type=Path,
        default=[],
        metavar="PATH",
        help="extra actors: a PETRARCH/Phoenix actor or agent file, or a CSV (name,code,from,to)"
        " or TOML user dictionary; its entries override the knowledge base's; repeatable",
    )


def _reading_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths",
        nargs="*",
        default=["-"],
        metavar="PATH",
        help="files, directories, globs, or - for standard input (default: -)",
    )
    p.add_argument("--date", type=_date, help="story date for records that carry none (YYYY-MM-DD)")
    p.add_argument(
        "--input-format",
        choices=("text", "jsonl", "json", "csv", "tsv", "html"),
        help="force the input format (default: by file extension; stdin is sniffed)",
    )
    p.add_argument("--text-column", default="text", help="CSV/TSV column holding the text")
    p.add_argument(
        "--goldstein",
        choices=("gdelt", "icews"),
        default="gdelt",
        help="Goldstein scale (default: gdelt)",
    )
    add_dictionary_option(p)
    p.add_argument(
        "--fast",
        action="store_true",
        help="rules only: no statistical re-typing, fallback or learned pair extraction "
        "(faster, fewer events, lower recall)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="detente",
        description="News in, political event data out (CAMEO, PLOVER, dyad series).",
    )
    parser.add_argument("--version", action="version", version=f"detente {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", required=True)

    p = _parser("code", sub, "Code stories and print their events in the event-record contract.")
    _reading_options(p)
    p.add_argument("--format", choices=("jsonl", "table", "csv"), default="jsonl")

    p = _parser("ingest", sub, "Code stories and store stories, sentences and events in DuckDB.")
    _reading_options(p)
    p.add_argument(
        "--db", help="DuckDB file (created when missing); optional with --engine dask --out"
    )
    p.add_argument("--batch-size", type=int, default=100, help="stories per transaction")
    from .scale.cli import add_ingest_options

    add_ingest_options(p)

    p = _parser("events", sub, "Print stored events in the event-record contract.")
    p.add_argument("--db", required=True)
    p.add_argument("--dyad", nargs=2, metavar=("A", "B"), help="two country codes, e.g. JPN KOR")
    p.add_argument("--directed", action="store_true", help="only A → B")
    p.add_argument("--story", help="only events of this story id")
    p.add_argument("--since", type=_date)
    p.add_argument("--until", type=_date)
    p.add_argument("--limit", type=int)
    p.add_argument("--format", choices=("jsonl", "table", "csv"), default="jsonl")

    p = _parser(
        "dyad", sub, "A dyad's series per period: counts by quad class, Goldstein, cooperation."
    )
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--db", required=True)
    p.add_argument("--freq", choices=("day", "week", "month", "year"), default="month")
    p.add_argument("--directed", action="store_true")
    p.add_argument("--format", choices=("table", "jsonl", "csv"), default="table")
    p.add_argument("--plot", type=Path, help="also draw the series to a .png or .svg file")
    p.add_argument(
        "--signal",
        choices=("goldstein_mean", "cooperation_share", "goldstein_sum"),
        default="goldstein_mean",
        help="what the change-point detector follows (default: goldstein_mean, the tone)",
    )
    p.add_argument("--no-shifts", action="store_true", help="skip change-point detection")
    p.add_argument(
        "--dedupe", action="store_true", help="count an event reported by several stories once"
    )

    p = _parser(
        "classify",
        sub,
        "Classify given dyads: JSONL {id, text, source_text, target_text} in,"
        " {id, cameo, plover, quad_class, confidence} out.",
    )
    p.add_argument("paths", nargs="*", default=["-"], metavar="PATH")
    p.add_argument(
        "--no-embeddings",
        action="store_true",
        help="use the linear model alone, without the fine-tuned sentence encoder",
    )

    p = _parser("eval", sub, "Score detente on a gold JSONL file (rules of shared/gold/FORMAT.md).")
    p.add_argument("gold", type=Path)
    p.add_argument(
        "--mode",
        choices=("classify", "code", "penta"),
        default=None,
        help="classify: given dyads; code: end to end; penta: 5-class sentences "
        "(default: penta for files with 'penta' labels, else classify)",
    )
    p.add_argument("--limit", type=int, help="score only the first N records")
    p.add_argument(
        "--cv",
        type=int,
        metavar="K",
        help="K-fold cross-validation: retrain the classifiers on the other folds for each fold "
        "(the packaged models were trained on the development sets)",
    )
    p.add_argument("--format", choices=("table", "json"), default="table")

    p = _parser("demo", sub, "Ingest the bundled example corpus and show what detente sees.")
    p.add_argument("--db", default="out/demo.duckdb")
    p.add_argument("--corpus", default="examples/japan_korea.jsonl")
    p.add_argument("--plot", type=Path, default=Path("out/demo_jpn_kor.png"))
    for name, module in PLUGGED.items():
        importlib.import_module(module).add_parser(sub, name)
    return parser


def config_from_args(args: argparse.Namespace):  # noqa: ANN201 - a Config
    """The coder's configuration from the reading options (``code``, ``ingest``)."""
    from .config import Config

    fast = bool(getattr(args, "fast", False))
    return Config(
        goldstein_scale=getattr(args, "goldstein", "gdelt"),
        dictionaries=tuple(getattr(args, "dictionary", None) or ()),
        refine=not fast,
        fallback=not fast,
        learned=not fast,
    )


def _coder(args: argparse.Namespace):
    from .coder import Coder

    coder = Coder(config_from_args(args))
    for problem in coder.dictionary_problems:
        sys.stderr.write(f"detente: dictionary line skipped: {problem}\n")
    return coder


def _options(args: argparse.Namespace):
    from .jobs import ReadOptions

    return ReadOptions(args.date, args.input_format, args.text_column)


def _report_problems(report, err: TextIO) -> int:
    for problem in report.problems:
        err.write(f"detente: skipped {problem}\n")
    if report.dropped_problems:
        err.write(f"detente: … and {report.dropped_problems} more problems\n")
    return EXIT_SKIPPED if report.skipped_any else EXIT_OK


def cmd_code(args, out: TextIO, err: TextIO) -> int:
    from .ingest import IngestReport
    from .jobs import code_paths
    from .output import write_records

    report = IngestReport()
    stories = code_paths(args.paths, _coder(args), _options(args), report)
    records = (event.to_dict() for story in stories for event in story.events)
    write_records(records, args.format, out)
    return _report_problems(report, err)


def cmd_ingest(args, out: TextIO, err: TextIO) -> int:
    from .jobs import ingest
    from .progress import Progress
    from .scale.cli import run_ingest, wants_scale
    from .store import EventStore

    if wants_scale(args):
        return run_ingest(args, out, err)
    if not args.db:
        raise ConfigError("ingest needs --db FILE (or --engine dask --out DIR)")
    coder = _coder(args)
    with EventStore(args.db) as store, Progress("coding", stream=err) as progress:
        result = ingest(
            args.paths, store, coder, _options(args), progress=progress, batch_size=args.batch_size
        )
    out.write(
        json.dumps(
            {
                "db": args.db,
                **result.stored.to_dict(),
                "near_duplicates": result.near_duplicates,
                "problems": result.input.problem_count,
            }
        )
        + "\n"
    )
    return _report_problems(result.input, err)


def cmd_events(args, out: TextIO, err: TextIO) -> int:
    from .output import write_records
    from .store import EventStore

    _require_file(args.db)
    with EventStore(args.db, read_only=True) as store:
        records = store.events(
            dyad=tuple(args.dyad) if args.dyad else None,
            directed=args.directed,
            story_id=args.story,
            since=args.since,
            until=args.until,
            limit=args.limit,
        )
    write_records(records, args.format, out)
    return EXIT_OK


def cmd_dyad(args, out: TextIO, err: TextIO) -> int:
    from .analysis import dyad_series, format_series_table
    from .analysis.changepoints import detect_shifts, format_shifts
    from .analysis.dedupe import deduplicated_series
    from .output import write_records
    from .store import EventStore

    _require_file(args.db)
    series = deduplicated_series if args.dedupe else dyad_series
    with EventStore(args.db, read_only=True) as store:
        points = series(
            store, args.a.upper(), args.b.upper(), freq=args.freq, directed=args.directed
        )
    shifts = [] if args.no_shifts else detect_shifts(points, signal=args.signal)
    if args.format == "table":
        out.write(format_series_table(points))
        if shifts:
            out.write("\n" + format_shifts(shifts))
    elif args.format == "jsonl":
        records = [{"record": "point", **p.to_dict()} for p in points]
        records += [{"record": "shift", **s.to_dict()} for s in shifts]
        write_records(records, "jsonl", out)
    else:
        write_records((p.to_dict() for p in points), args.format, out)
    if args.plot:
        from .analysis.plot import plot_series

        title = f"{args.a.upper()} – {args.b.upper()}"
        plot_series(points, args.plot, title=title, shifts=shifts)
        err.write(f"detente: chart written to {args.plot}\n")
    return EXIT_OK


def cmd_classify(args, out: TextIO, err: TextIO) -> int:
    from .classify import classify_records, read_dyad_records
    from .learn import DyadClassifier
    from .output import write_records

    problems: list[InputError] = []
    records = read_dyad_records(args.paths, problems, stdin=sys.stdin)
    classifier = DyadClassifier.load() if args.no_embeddings else DyadClassifier.load_best()
    write_records(classify_records(records, classifier), "jsonl", out)
    for problem in problems:
        err.write(f"detente: skipped {problem}\n")
    return EXIT_SKIPPED if problems else EXIT_OK


def cmd_eval(args, out: TextIO, err: TextIO) -> int:
    from .evaluate import evaluate_file, format_scores

    _require_file(str(args.gold))

    def fold_done(fold: int, folds: int) -> None:
        err.write(f"detente: fold {fold}/{folds} scored\n")

    scores = evaluate_file(args.gold, mode=args.mode, limit=args.limit, cv=args.cv,
                           on_fold=fold_done)  # fmt: skip
    if args.format == "json":
        out.write(json.dumps(scores.to_dict(), indent=2) + "\n")
    else:
        out.write(format_scores(scores))
    return EXIT_OK


def cmd_demo(args, out: TextIO, err: TextIO) -> int:
    from .demo import run_demo

    return run_demo(Path(args.db), Path(args.corpus), args.plot, out, err)


def _require_file(path: str) -> None:
    if not Path(path).exists():
        raise InputError("no such file", path)


# Commands that live beside the feature they drive: (module, add_parser, run) by name.
# Each module has ``add_parser(sub, example)`` and ``run(args, out, err) -> int``.
PLUGGED: dict[str, str] = {
    "export": "detente.exchange.cli_export",
    "import": "detente.exchange.cli_import",
    "serve": "detente.server.cli",
    "load": "detente.scale.cli",
    "actors": "detente.actors.cli",
}

COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO, TextIO], int]] = {
    "code": cmd_code,
    "ingest": cmd_ingest,
    "events": cmd_events,
    "dyad": cmd_dyad,
    "classify": cmd_classify,
    "eval": cmd_eval,
    "demo": cmd_demo,
}


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.ERROR,
        format="detente: %(levelname)s %(message)s",
    )
    try:
        if args.command in PLUGGED:
            return importlib.import_module(PLUGGED[args.command]).run(args, out, err)
        return COMMANDS[args.command](args, out, err)
    except ConfigError as exc:
        err.write(f"detente: error: {exc}\n")
        return EXIT_USAGE
    except DetenteError as exc:
        err.write(f"detente: error: {exc}\n")
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        err.write("detente: interrupted\n")
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
