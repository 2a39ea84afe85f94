"""Actor dictionaries users already have: PETRARCH/Phoenix ``.actors``/``.agents`` and CSV.

PETRARCH actor records (see the Phoenix dictionaries)::

    LEE_MYUNG_BAK_  # CountryInfo.txt      primary phrase, optional inline [CODE ...] groups
    +PRESIDENT_LEE_                        synonyms, several per line allowed (``+A_ +B_``)
    <TAB>[KORELI 580101-000101]            dated code, both ends inclusive
    <TAB>[KORGOV >080225]                  from a date on (``> 080225`` too)
    <TAB>[USRARM <900823]                  up to a date
    <TAB>[MNEGOV 20121204]                 a bare date: read as "from" (as the files mean it)
    <TAB>[KORELI]                          the undated default
    <TAB>[---]                             the null code: "not an actor"

Dates are ``YYMMDD`` (years 00-30 are 20YY, as in KEDS/TABARI/PETRARCH) or ``YYYYMMDD``.
On a story date the first dated code that holds it wins (file order), else the first
undated code. ``_`` joins words; a trailing ``_`` is dropped; ``#`` starts a comment.

PETRARCH agent records: ``PHRASE {PLURAL} [~CODE]`` (``{}``: no plural; no braces: the
regular plural is generated), ``[CODE~]`` for codes that go before the actor's code, and
substitution sets ``!PERSON! = MAN, MEN, WOMAN`` used as ``CONGRESS!PERSON!``.

User dictionaries: CSV with header ``name,code,from,to`` (``from``/``to`` optional ISO
dates) or TOML (``[[actor]]`` tables with ``name``/``names``, ``code``, ``from``, ``to``).

Loaders stream the file, never stop at a bad line: each problem becomes an
:class:`~detente.errors.InputError` naming ``path:line``, appended to ``problems`` (or
logged when no list is given), and every other entry still loads.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .lexicon import ActorLexicon, Entry, Period

log = logging.getLogger(__name__)

NULL_CODE = "---"
# PETRARCH's "+++": an actor whose code is not given; it is kept as a named party without
# a code (like a name detente cannot place), not dropped.
UNCODED = "+++"
_CODE = re.compile(r"[A-Z0-9]+")
# "ELR/GAL", "FRO/BIL/SAM": one phrase that names several actors at once. detente codes the
# phrase as the first and keeps the whole compound in the dictionary entry.
_COMPOUND = re.compile(r"[A-Z0-9]+(/[A-Z0-9]+)*")
_GROUP = re.compile(r"\[([^\[\]]*)\]")
_XML_COMMENT = re.compile(r"<!--.*?-->")
_MARKER_DEF = re.compile(r"^!([A-Z0-9_]+)!\s*=\s*(.*)$")
_MARKER = re.compile(r"!([A-Z0-9_]+)!")
_VOWELS = set("AEIOU")


# ------------------------------------------------------------------ records


@dataclass(frozen=True, slots=True)
class DatedCode:
    """``code`` from ``start`` to ``end``, both inclusive; ``None`` is an open end.

    ``code`` is ``None`` for the null code ``---`` (the phrase names no actor then).
    """

    code: str | None
    start: dt.date | None = None
    end: dt.date | None = None

    def holds(self, date: dt.date) -> bool:
        return (self.start is None or self.start <= date) and (self.end is None or date <= self.end)


@dataclass(frozen=True, slots=True)
class DictionaryEntry:
    """One actor record: its phrases and the codes they carry, undated and dated."""

    names: tuple[str, ...]  # primary phrase first; words joined by single spaces
    default: str | None = None  # the undated code; None when absent or ``---``
    dated: tuple[DatedCode, ...] = ()
    location: str = ""  # "path:line" of the primary phrase

    @property
    def name(self) -> str:
        return self.names[0]

    def code_on(self, date: dt.date | None) -> str | None:
        """The code on ``date``: first dated code holding it, else the default.

        With no date (an undated story) only the default applies.
        """
        if date is not None:
            for dated in self.dated:
                if dated.holds(date):
                    return dated.code
        return self.default

    def codes(self) -> tuple[str, ...]:
        """Every code the entry can have, default first, without repeats."""
        seen = [self.default] if self.default else []
        for dated in self.dated:
            if dated.code and dated.code not in seen:
                seen.append(dated.code)
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class AgentEntry:
    """One agent phrase: ``code`` is added after the actor's code, or before if ``prefix``."""

    name: str
    code: str  # e.g. "GOVAGR"
    plurals: tuple[str, ...] = ()
    prefix: bool = False  # "[IGO~]": the code goes before the actor's code
    location: str = ""

    @property
    def sector(self) -> str:
        return self.code[:3]

    @property
    def secondary(self) -> tuple[str, ...]:
        return _chunks(self.code[3:])

    @property
    def phrases(self) -> tuple[str, ...]:
        return (self.name, *self.plurals)


def _chunks(code: str) -> tuple[str, ...]:
    return tuple(code[i : i + 3] for i in range(0, len(code), 3) if code[i : i + 3])


# ------------------------------------------------------------------ helpers


class _Problems:
    def __init__(self, path: Path, sink: list[InputError] | None) -> None:
        self.path = path
        self.sink = sink

    def __call__(self, line: int, message: str) -> None:
        error = InputError(message, f"{self.path}:{line}")
        if self.sink is None:
            log.warning("%s", error)
        else:
            self.sink.append(error)


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """Numbered lines with comments removed (``#``, one-line ``<!-- -->``); blanks skipped."""
    try:
        handle = path.open(encoding="utf-8", errors="replace", newline="")
    except OSError as exc:
        raise InputError(f"cannot open dictionary: {exc.strerror}", str(path)) from exc
    in_xml = False
    with handle:
        for number, raw in enumerate(handle, 1):
            line = raw.rstrip("\r\n")
            if in_xml:
                if "-->" in line:
                    in_xml = False
                    line = line.split("-->", 1)[1]
                else:
                    continue
            line = _XML_COMMENT.sub("", line)
            if "<!--" in line:
                line, in_xml = line.split("<!--", 1)[0], True
            line = line.split("#", 1)[0]
            if line.strip():
                yield number, line


def _phrase(raw: str) -> str:
    """``LEE_MYUNG_BAK_`` → ``LEE MYUNG BAK``."""
    return " ".join(raw.replace("_", " ").split())


def parse_date(text: str) -> dt.date:
    """``YYMMDD`` (00-30 → 20YY, else 19YY) or ``YYYYMMDD``; ValueError otherwise."""
    if not text.isdigit() or len(text) not in (6, 8):
        raise ValueError(f"date {text!r} is not YYMMDD or YYYYMMDD")
    if len(text) == 6:
        year = int(text[:2])
        year += 2000 if year <= 30 else 1900
        month, day = int(text[2:4]), int(text[4:6])
    else:
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:8])
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"date {text!r} is not a calendar date ({exc})") from None


def parse_code_group(text: str) -> tuple[DatedCode, bool]:
    """The inside of one ``[...]``: (code, whether it is dated). ValueError if malformed."""
    parts = text.split(None, 1)
    if not parts:
        raise ValueError("empty code '[]'")
    code = parts[0].upper()  # the validation files write some codes in lower case: [pse]
    if code not in (NULL_CODE, UNCODED) and not _COMPOUND.fullmatch(code):
        raise ValueError(f"code {code!r} is not letters and digits (or A/B compounds, +++, ---)")
    value = None if code == NULL_CODE else code
    if len(parts) == 1:
        return DatedCode(value), False
    rest = parts[1].replace(" ", "")
    if rest[0] == "<":
        return DatedCode(value, end=parse_date(rest[1:])), True
    if rest[0] == ">":
        return DatedCode(value, start=parse_date(rest[1:])), True
    if "-" in rest:
        first, _, last = rest.partition("-")
        start, end = parse_date(first), parse_date(last)
        if end < start:
            raise ValueError(f"date range {first}-{last} ends before it starts")
        return DatedCode(value, start, end), True
    return DatedCode(value, start=parse_date(rest)), True  # a bare date means "from"


# ------------------------------------------------------------------ PETRARCH actors


@dataclass(slots=True)
class _Record:
    location: str
    names: list[str] = field(default_factory=list)
    default: str | None = None
    has_default: bool = False
    dated: list[DatedCode] = field(default_factory=list)

    def add_code(self, code: DatedCode, dated: bool) -> None:
        if dated:
            self.dated.append(code)
        elif not self.has_default:  # PETRARCH: the first undated code is the default
            self.default, self.has_default = code.code, True

    def entry(self) -> DictionaryEntry:
        return DictionaryEntry(tuple(self.names), self.default, tuple(self.dated), self.location)


def iter_petrarch_actors(
    path: str | Path, problems: list[InputError] | None = None
) -> Iterator[DictionaryEntry]:
    """Stream the records of a PETRARCH/TABARI ``.actors`` file."""
    path = Path(path)
    report = _Problems(path, problems)
    record: _Record | None = None

    def codes_in(number: int, text: str) -> str:
        """Add the ``[...]`` groups of ``text`` to the record; return what is left."""
        for match in _GROUP.finditer(text):
            try:
                code, dated = parse_code_group(match.group(1))
            except ValueError as exc:
                report(number, f"{exc}; code skipped")
                continue
            if record is not None:
                record.add_code(code, dated)
        left = _GROUP.sub(" ", text)
        if "[" in left or "]" in left:
            report(number, "unbalanced '[' or ']'; the rest of the line is skipped")
            left = re.split(r"[\[\]]", left, maxsplit=1)[0]
        return left

    for number, line in _lines(path):
        text = line.strip()
        if line[0] in " \t" and text.startswith("["):
            if record is None:
                report(number, "code line before any actor phrase")
                continue
            if codes_in(number, text).strip():
                report(number, "unexpected text after the code")
            continue
        if text.startswith("+"):
            if record is None:
                report(number, "synonym '+' before any actor phrase")
                continue
            for part in re.split(r"\s\+", codes_in(number, text[1:])):
                name = _phrase(part)
                if name:
                    record.names.append(name)
                else:
                    report(number, "empty synonym")
            continue
        if line[0] in " \t":
            report(number, f"indented line is neither a code nor a synonym: {text[:40]!r}")
            continue
        if record is not None and record.names:
            yield record.entry()
        record = _Record(f"{path}:{number}")
        head, bracket, tail = text.partition("[")
        if bracket and codes_in(number, bracket + tail).strip():
            report(number, "unexpected text after the code")
        name = _phrase(head)
        if not name:
            report(number, "actor phrase is empty")
            record = None  # its codes and synonyms are errors too, reported as such
            continue
        record.names.append(name)
    if record is not None and record.names:
        yield record.entry()


def load_petrarch_actors(
    path: str | Path, problems: list[InputError] | None = None
) -> list[DictionaryEntry]:
    """All records of a PETRARCH ``.actors`` file; problems go to ``problems``."""
    return list(iter_petrarch_actors(path, problems))


# ------------------------------------------------------------------ PETRARCH agents


def regular_plural(phrase: str) -> str | None:
    """PETRARCH's regular plural of the last word (a little better on ``-ay``/``-ch``)."""
    if not phrase or not phrase[-1].isalpha():
        return None
    upper = phrase.upper()
    if upper.endswith("Y") and len(upper) > 1 and upper[-2] not in _VOWELS:
        return phrase[:-1] + "IES"
    if upper.endswith(("S", "X", "Z", "CH", "SH")):
        return phrase + "ES"
    return phrase + "S"


def iter_petrarch_agents(
    path: str | Path, problems: list[InputError] | None = None
) -> Iterator[AgentEntry]:
    """Stream the agents of a PETRARCH ``.agents`` file, substitution sets expanded."""
    path = Path(path)
    report = _Problems(path, problems)
    markers: dict[str, list[str]] = {}
    for number, line in _lines(path):
        text = line.strip()
        where = f"{path}:{number}"
        definition = _MARKER_DEF.match(text)
        if definition:
            items = [_phrase(item) for item in definition.group(2).split(",")]
            if not all(items):
                report(number, f"substitution set !{definition.group(1)}! has an empty item")
            markers[definition.group(1)] = [item for item in items if item]
            continue
        groups = _GROUP.findall(text)
        if len(groups) != 1:
            bad = "no [CODE]" if not groups else "more than one [CODE]"
            if "[" in text and not groups:
                bad = "an unclosed '['"
            report(number, f"agent has {bad}; line skipped")
            continue
        code_text = groups[0].strip()
        prefix = code_text.endswith("~") and not code_text.startswith("~")
        code = code_text.strip("~")
        if "~" not in code_text or "~" in code or not _CODE.fullmatch(code):
            report(number, f"agent code {code_text!r} is not '~CODE' or 'CODE~'; line skipped")
            continue
        phrase_part = text[: text.index("[")]
        plurals: list[str] | None = None  # None: generate the regular plural
        if "{" in phrase_part or "}" in phrase_part:
            brace = re.fullmatch(r"([^{}]*)\{([^{}]*)\}\s*", phrase_part)
            if brace is None:
                report(number, "unbalanced '{' or '}'; line skipped")
                continue
            phrase_part = brace.group(1)
            plural = _phrase(brace.group(2))
            plurals = [plural] if plural else []
        if "!" in phrase_part:
            try:
                names = list(_expand_markers(phrase_part, markers))
            except ValueError as exc:
                report(number, f"{exc}; line skipped")
                continue
            for name in names:  # every substituted form stands alone, with no plural
                yield AgentEntry(name, code, (), prefix, where)
            continue
        name = _phrase(phrase_part)
        if not name:
            report(number, "agent phrase is empty; line skipped")
            continue
        if plurals is None:
            generated = regular_plural(name)
            plurals = [generated] if generated else []
        yield AgentEntry(name, code, tuple(plurals), prefix, where)


def _expand_markers(text: str, markers: dict[str, list[str]]) -> Iterator[str]:
    """``CONGRESS!PERSON!`` → CONGRESSMAN, CONGRESSMEN, ...

    A marker inside a word (``AD!MINIST!RATIVE``) is the marker's own letters, not a
    substitution: the Phoenix file has such words from a search-and-replace.
    """
    match = next(
        (
            m
            for m in _MARKER.finditer(text)
            if not (
                m.start() > 0
                and text[m.start() - 1].isalpha()
                and m.end() < len(text)
                and text[m.end()].isalpha()
            )
        ),
        None,
    )
    if match is None:
        literal = _MARKER.sub(lambda m: m.group(1), text)
        if "!" in literal:
            raise ValueError("unbalanced '!' substitution marker")
        yield _phrase(literal)
        return
    items = markers.get(match.group(1))
    if items is None:
        raise ValueError(f"substitution set !{match.group(1)}! is not defined above")
    for item in items:
        yield from _expand_markers(text[: match.start()] + item + text[match.end() :], markers)


def load_petrarch_agents(
    path: str | Path, problems: list[InputError] | None = None
) -> list[AgentEntry]:
    """All agents of a PETRARCH ``.agents`` file; problems go to ``problems``."""
    return list(iter_petrarch_agents(path, problems))


# ------------------------------------------------------------------ user dictionaries


def _iso_date(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"date {text!r} is not YYYY-MM-DD") from None


def _user_code(name: str, code: str, start: str, end: str) -> tuple[str, DatedCode, bool]:
    name = " ".join(name.replace("_", " ").split())
    code = code.strip().upper()
    if not name:
        raise ValueError("'name' is empty")
    if code != NULL_CODE and not _CODE.fullmatch(code):
        raise ValueError(f"code {code!r} is not letters and digits")
    first, last = _iso_date(start), _iso_date(end)
    if first and last and last < first:
        raise ValueError(f"'to' {last} is before 'from' {first}")
    value = None if code == NULL_CODE else code
    return name, DatedCode(value, first, last), first is not None or last is not None


class _UserEntries:
    """Rows that share a name make one entry: dated rows, and one undated default."""

    def __init__(self) -> None:
        self.records: dict[str, _Record] = {}

    def add(self, where: str, name: str, code: DatedCode, dated: bool) -> None:
        key = name.lower()
        record = self.records.get(key)
        if record is None:
            record = self.records[key] = _Record(where, [name])
        record.add_code(code, dated)

    def entries(self) -> list[DictionaryEntry]:
        return [record.entry() for record in self.records.values()]


def load_user_dictionary(
    path: str | Path, problems: list[InputError] | None = None
) -> list[DictionaryEntry]:
    """An analyst's dictionary: CSV ``name,code,from,to`` or TOML (``.toml``)."""
    path = Path(path)
    if path.suffix.lower() == ".toml":
        return _load_user_toml(path, problems)
    report = _Problems(path, problems)
    found = _UserEntries()
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(f"cannot open dictionary: {exc.strerror}", str(path)) from exc
    with handle:
        reader = csv.reader(handle)
        header: list[str] | None = None
        for row in reader:
            number = reader.line_num
            if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in row]
                missing = [c for c in ("name", "code") if c not in header]
                if missing:
                    raise InputError(
                        f"header must have columns name,code[,from,to]; missing {missing}",
                        f"{path}:{number}",
                    )
                continue
            if len(row) > len(header):
                report(number, f"expected at most {len(header)} fields, found {len(row)}")
                continue
            cells = dict(zip(header, (cell.strip() for cell in row), strict=False))
            try:
                name, code, dated = _user_code(
                    cells.get("name", ""),
                    cells.get("code", ""),
                    cells.get("from", ""),
                    cells.get("to", ""),
                )
            except ValueError as exc:
                report(number, f"{exc}; row skipped")
                continue
            found.add(f"{path}:{number}", name, code, dated)
    if header is None:
        raise InputError("dictionary is empty (no header)", str(path))
    return found.entries()


def _load_user_toml(path: Path, problems: list[InputError] | None) -> list[DictionaryEntry]:
    import tomllib

    report = _Problems(path, problems)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot open dictionary: {exc.strerror}", str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML ({exc})", str(path)) from None
    found = _UserEntries()
    tables = data.get("actor", [])
    if not isinstance(tables, list):
        raise InputError("'actor' must be an array of tables ([[actor]])", str(path))
    for index, table in enumerate(tables, 1):
        where = f"{path}:actor[{index}]"  # TOML keeps no line numbers
        try:
            if not isinstance(table, dict):
                raise ValueError("not a table")
            names = table.get("names") or [table.get("name", "")]
            periods = table.get("codes") or [table]
            for name in names:
                for period in periods:
                    start, end = period.get("from", ""), period.get("to", "")
                    name_, code, dated = _user_code(
                        str(name), str(period.get("code", "")), str(start), str(end)
                    )
                    found.add(where, name_, code, dated)
        except ValueError as exc:
            report(index, f"actor[{index}]: {exc}; skipped")
            continue
    return found.entries()


# ------------------------------------------------------------------ lexicon


@dataclass(slots=True)
class ExtendStats:
    entries: int = 0  # entries that gave the lexicon at least one phrase
    phrases: int = 0  # phrases offered to ``ActorLexicon.add``
    no_code: int = 0  # entries with no code on any date (``---`` or none): skipped
    too_long: int = 0  # phrases over ``max_words``: skipped
    prefix_agents: int = 0  # ``[CODE~]`` agents: the stage cannot use them yet


def entry_for_code(code: str, cameo_to_iso3: dict[str, str]) -> Entry:
    """``KORGOVMIL`` → Entry("user", "KOR", "KOR", "GOV", ("MIL",)); other codes whole.

    A compound ``A/B`` is coded as its first actor; ``+++`` as a party with no code."""
    if code == UNCODED:
        return Entry("user", "")
    code = code.split("/", 1)[0]
    iso3 = cameo_to_iso3.get(code[:3])
    if iso3 is None:  # IGO..., NGO..., MNC..., ELI: no country, the code as it is
        return Entry("user", code)
    return Entry("user", code[:3], iso3, code[3:6] or None, _chunks(code[6:]))


def _lexicon_entry(item: DictionaryEntry, cameo_to_iso3: dict[str, str]) -> Entry | None:
    default = entry_for_code(item.default, cameo_to_iso3) if item.default else None
    periods = tuple(
        Period(entry_for_code(d.code, cameo_to_iso3) if d.code else None, d.start, d.end)
        for d in item.dated
    )
    if default is None and not any(p.entry for p in periods):
        return None
    base = default or Entry("user")
    return Entry(base.kind, base.code, base.country, base.sector, base.secondary, periods=periods)


def _surface_forms(name: str, acronyms: dict[str, Entry]) -> list[str]:
    """All-capital names: a short single word stays an acronym ("NATO", "US") and, unless
    it is a common English word or an acronym the lexicon already has, also matches in
    any case ("PUTIN" → "Putin")."""
    if name.isupper() and " " not in name and name.isalpha() and 2 <= len(name) <= 5:
        if name.lower() in COMMON_WORDS or name in acronyms:
            return [name]
        return [name, name.title()]
    return [name]


def extend_lexicon(
    lexicon: ActorLexicon,
    entries: Iterable[DictionaryEntry | AgentEntry],
    *,
    replace: bool = False,
    max_words: int | None = 8,
) -> ExtendStats:
    """Add dictionary entries to ``lexicon`` through its public ``add``.

    Actors become ``Entry(kind="user")`` split as country + sector (+ secondary) when the
    code starts with a known CAMEO country code, else carry the whole code. With
    ``replace=False`` the lexicon's own phrases win. Phrases longer than ``max_words``
    words are skipped: they slow every sentence's longest-match search and rarely occur.
    """
    cameo_to_iso3 = {c.cameo: c.iso3 for c in lexicon.countries.values()}
    cameo_to_iso3.update({iso3: iso3 for iso3 in lexicon.countries if iso3 not in cameo_to_iso3})
    stats = ExtendStats()
    for item in entries:
        if isinstance(item, AgentEntry):
            if item.prefix:
                stats.prefix_agents += 1
                continue
            entry = Entry("agent", sector=item.sector, secondary=item.secondary)
            names = [phrase.lower() for phrase in item.phrases]  # nouns, never acronyms
        else:
            found = _lexicon_entry(item, cameo_to_iso3)
            if found is None:
                stats.no_code += 1
                continue
            entry = found
            names = [form for name in item.names for form in _surface_forms(name, lexicon.acronyms)]
        used = False
        for name in names:
            if max_words is not None and len(name.split()) > max_words:
                stats.too_long += 1
                continue
            lexicon.add(name, entry, replace=replace)
            stats.phrases += 1
            used = True
        stats.entries += used
    return stats


# Short words that are names in the Phoenix files but common English words too: these
# stay case-sensitive ("MALE" the capital, not "male").
COMMON_WORDS = frozenset(
    """
    a am an and are as at be but by do go he if in is it me my no of on or so to up us we
    all any can did few for had has her him his how its may not now one our out own she
    the too two was who why yes you also been both each from have into just like made
    more most much must only over said same some such than that them then they this very
    were what when will with your able about after again being could doing every other
    their there these those under where which while would
    aid arm army bale bank bath cork court deal dean fez gang gent girl good great hippo
    king male man men moron mob navy nice pole queen reading rock saga sole sur swede
    turk union unity west east north south world
    """.split()
)


def load_any_dictionary(
    path: str | Path, problems: list[InputError] | None = None
) -> list[DictionaryEntry] | list[AgentEntry]:
    """A dictionary by its kind: ``.csv``/``.toml`` user files; PETRARCH ``*agents*.txt``
    agent files; any other ``.txt`` a PETRARCH actor file."""
    path = Path(path)
    if path.suffix.lower() in (".csv", ".toml"):
        return load_user_dictionary(path, problems)
    if "agent" in path.name.lower():
        return load_petrarch_agents(path, problems)
    return load_petrarch_actors(path, problems)
