"""``detente actors NAME [--date D]``: what a name resolves to, with its periods and source."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

EXAMPLE = (
    "detente actors Trump --date 2022-03-01\n"
    '  detente actors "Lee" --date 2025-09-30 --country KOR\n'
    "  detente actors Putin --format json\n"
    "  detente actors Lee --dictionary my_actors.csv --date 2025-06-10"
)


def add_parser(sub: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    from detente.cli import _date, add_dictionary_option, command_parser

    p = command_parser(
        sub,
        name,
        "Show what a name (a person, group, country or organisation) resolves to on a date,"
        " with its periods in office and the file and line each comes from.",
        EXAMPLE,
    )
    p.add_argument("name", help="the name as news writes it, e.g. 'Lee Jae-myung' or 'Houthis'")
    p.add_argument("--date", type=_date, help="the story date (YYYY-MM-DD); default: undated")
    p.add_argument(
        "--country",
        action="append",
        default=[],
        metavar="ISO3",
        help="a country the story names, to choose between people of the same name; repeatable",
    )
    add_dictionary_option(p)
    p.add_argument("--format", choices=("table", "json"), default="table")
    return p


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from detente.actors.dictionaries import extend_lexicon, load_any_dictionary
    from detente.actors.lexicon import ActorLexicon
    from detente.actors.lookup import format_matches, lookup_actor
    from detente.errors import InputError

    lexicon = ActorLexicon.load()
    problems: list[InputError] = []
    for path in args.dictionary:
        extend_lexicon(lexicon, load_any_dictionary(path, problems))
    for problem in problems:
        err.write(f"detente: dictionary line skipped: {problem}\n")
    countries = tuple(c.upper() for c in args.country)
    matches = lookup_actor(lexicon, args.name, args.date, countries)
    if args.format == "json":
        out.write(json.dumps([m.to_dict() for m in matches], ensure_ascii=False) + "\n")
    else:
        out.write(format_matches(matches))
    return 0 if matches else 3
