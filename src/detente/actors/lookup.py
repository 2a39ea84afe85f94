"""What a name resolves to on a date: the one query behind ``detente actors`` and
``/api/actors``."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from .knowledge import Referent
from .lexicon import ActorLexicon, normalise

MAX_OTHERS_SHOWN = 8


@dataclass(frozen=True, slots=True)
class TenureRecord:
    role: str
    code: str
    start: str | None
    end: str | None
    source: str


@dataclass(frozen=True, slots=True)
class ActorMatch:
    """One reading of a name: who or what, the code on the date, and where it comes from."""

    query: str
    date: str | None
    name: str
    kind: str  # person | group | country | adjective | capital | igo | agent | user | ...
    code: str | None
    country: str | None
    role: str | None = None  # the role that gives the code on the date; None: none held
    in_office: bool | None = None
    chosen: bool = True  # the reading detente codes; False for the other candidates
    ambiguous: bool = False
    tenures: tuple[TenureRecord, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def lookup_actor(
    lexicon: ActorLexicon,
    name: str,
    date: dt.date | None = None,
    countries: tuple[str, ...] = (),
) -> list[ActorMatch]:
    """Every reading of ``name`` on ``date``, the one detente would code first."""
    query_date = date.isoformat() if date else None
    phrase = lexicon.acronyms.get(name.strip()) or lexicon.phrases.get(normalise(name))
    if phrase is not None and phrase.kind != "known":
        entry = phrase.on(date)
        code = None if entry is None else (entry.code or "") + (entry.sector or "")
        return [
            ActorMatch(
                name, query_date, name, phrase.kind, code or None,
                entry.country if entry else None,
            )
        ]  # fmt: skip
    knowledge = lexicon.knowledge
    if knowledge is None:
        return []
    resolution = knowledge.resolve(name, date, countries=countries)
    if resolution is None:
        return []
    matches = [_match(name, query_date, resolution.referent, date, True, resolution.ambiguous)]
    for referent in knowledge.candidates(name):
        if referent is not resolution.referent:
            matches.append(_match(name, query_date, referent, date, False, False))
    return matches


def _match(
    query: str,
    query_date: str | None,
    referent: Referent,
    date: dt.date | None,
    chosen: bool,
    ambiguous: bool,
) -> ActorMatch:
    tenure = referent.tenure_on(date)
    tenures = tuple(
        TenureRecord(
            t.role, t.code, t.start.isoformat() if t.start else None,
            t.end.isoformat() if t.end else None, t.source,
        )
        for t in sorted(referent.tenures, key=lambda t: t.start or dt.date.min)
    )  # fmt: skip
    return ActorMatch(
        query=query,
        date=query_date,
        name=referent.name,
        kind=referent.kind,
        code=referent.code_on(date),
        country=referent.country,
        role=tenure.role if tenure else None,
        in_office=None if date is None else tenure is not None,
        chosen=chosen,
        ambiguous=ambiguous,
        tenures=tenures,
    )


def format_matches(matches: list[ActorMatch]) -> str:
    """A short human report: the chosen reading first, then its periods, then the others."""
    if not matches:
        return "no actor by that name\n"
    lines = []
    shown = matches[: 1 + MAX_OTHERS_SHOWN]
    for match in shown:
        mark = "→" if match.chosen else " "
        role = match.role or ("former/out of office" if match.kind == "person" else "")
        note = " (ambiguous)" if match.ambiguous else ""
        lines.append(
            f"{mark} {match.name} [{match.kind}] {match.code or '-'}"
            f" {match.country or ''} {role}{note}".rstrip()
        )
        if match.chosen:
            for t in match.tenures:
                lines.append(f"    {t.role:22} {t.code:10} {t.start or '…'} .. {t.end or ''}"
                             f"  ({_short_source(t.source)})")  # fmt: skip
    if len(matches) > len(shown):
        lines.append(f"  … and {len(matches) - len(shown)} more of that name (--format json)")
    return "\n".join(lines) + "\n"


def _short_source(source: str) -> str:
    path, _, line = source.rpartition(":")
    return f"{path.rsplit('/', 1)[-1]}:{line}"
