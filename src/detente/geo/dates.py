"""When an event happened: date expressions attached to its predicate, read against the story date.

Conventions (each a choice; tests pin them):

- A weekday alone ("on Tuesday") is the most recent such day on or before the story date for
  events that happened (the same day when the story is dated that weekday), the next one on or
  after it for the future; "last Tuesday" is strictly before, "next Tuesday" strictly after.
- "yesterday"/"last night" = story date − 1; "today", "tonight", "this morning" = story date.
- "N days/weeks/months/years ago" subtracts; "last week/month/year" = one unit before the story
  date (7 days, same day of the previous month clamped to its length, same day a year earlier).
- "earlier this week/month/year" = the Monday / first day / 1 January of the story's week,
  month, year; "this week/month/year" alone = the story date.
- A day without a year ("Sept. 8", "on July 4", "the 8th") takes the year (or month) that puts
  it on or before the story date; a month alone ("in September") = its first day, likewise.
- Events that happened (asserted, reported, negated) never get a date after the story date: a
  later expression ("will visit next week" coded as an asserted intention) yields the story date.
- Future and hypothetical events get None: they have not happened, so they have no event date.
  ``parse_date_expression(..., direction="future")`` is there for callers who want the intended
  date anyway.
- With no date expression, an event that happened gets the story date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from ..records import Sentence, Token

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
WEEKDAYS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tue": 1,
    "tues": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thu": 3,
    "thurs": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "a couple of": 2,
    "a few": 3,
    "several": 3,
}
HOLIDAYS = {
    "christmas eve": (12, 24),
    "christmas day": (12, 25),
    "christmas": (12, 25),
    "boxing day": (12, 26),
    "new years eve": (12, 31),
    "new years day": (1, 1),
    "new years": (1, 1),
}
HAPPENED = ("asserted", "reported", "negated")
DATE_ENTS = ("DATE", "TIME")

_M = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_W = r"(?P<weekday>" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\.?"
_N = r"(?P<n>\d+|" + "|".join(sorted(NUMBERS, key=len, reverse=True)) + r")"
_Y = r"(?P<year>(?:19|20)\d\d)"
_D = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b")),
    ("dmy", re.compile(rf"\b{_D}(?:\s+of)?\s+{_M}(?:,?\s+{_Y})?\b")),
    ("mdy", re.compile(rf"\b{_M}\s+{_D}(?:,?\s+{_Y})?\b")),
    ("my", re.compile(rf"\b{_M},?\s+{_Y}\b")),
    (
        "holiday",
        re.compile(
            r"\b(?P<holiday>christmas eve|christmas day|christmas|new year'?s eve|new year'?s day|"
            r"new year'?s|boxing day)\b"
        ),
    ),
    ("before_yesterday", re.compile(r"\bday before yesterday\b")),
    ("after_tomorrow", re.compile(r"\bday after tomorrow\b")),
    ("yesterday", re.compile(r"\b(?:yesterday|last night)\b")),
    ("tomorrow", re.compile(r"\b(?:tomorrow|tomorrow's)\b")),
    ("today", re.compile(r"\b(?:today|tonight|this (?:morning|afternoon|evening))\b")),
    ("ago", re.compile(rf"\b{_N}\s+(?P<unit>day|week|month|year)s?\s+(?:ago|earlier|before)\b")),
    ("earlier_this", re.compile(r"\bearlier (?:this|in the) (?P<unit>week|month|year)\b")),
    ("later_this", re.compile(r"\blater (?:this|in the) (?P<unit>week|month|year)\b")),
    ("weekend", re.compile(r"\b(?P<rel>last|this|next|past)?\s*weekend\b")),
    ("weekday", re.compile(rf"\b(?:(?P<rel>last|this|next|past|previous|coming)\s+)?{_W}\b")),
    ("last_unit", re.compile(r"\b(?:last|past|previous)\s+(?P<unit>week|month|year)\b")),
    ("next_unit", re.compile(r"\bnext\s+(?P<unit>week|month|year)\b")),
    ("this_unit", re.compile(r"\bthis\s+(?P<unit>week|month|year)\b")),
    (
        "month",
        re.compile(rf"^(?:(?:in|on|by|during|early|late|mid|the|around|since)\s*-?\s*)*{_M}$"),
    ),
    ("ordinal_day", re.compile(r"\bthe\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)\b")),
    ("year", re.compile(rf"^(?:in\s+)?{_Y}$")),
]


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _shift(day: dt.date, unit: str, n: int) -> dt.date:
    if unit == "day":
        return day + dt.timedelta(days=n)
    if unit == "week":
        return day + dt.timedelta(weeks=n)
    if unit == "month":
        return _add_months(day, n)
    return _add_months(day, 12 * n)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _anchor_year(month: int, day: int, ref: dt.date, future: bool) -> dt.date | None:
    """A day and month without a year: the occurrence nearest ``ref`` on the right side."""
    for year in (ref.year, ref.year + 1) if future else (ref.year, ref.year - 1):
        found = _safe_date(year, month, day)
        if found and (found >= ref if future else found <= ref):
            return found
        if found and not future and year == ref.year and (found - ref).days <= 31:
            # "on Oct 5" in a story of Oct 2: a scheduled event, not one a year ago;
            # resolve_event_date clamps it to the story date.
            return found
    return None


def parse_date_expression(
    text: str, reference: dt.date | None, *, direction: str = "past"
) -> dt.date | None:
    """Resolve one date expression ("on Tuesday", "Sept. 8", "two days ago") against
    ``reference`` (the story date). ``direction`` ("past" or "future") picks which way a bare
    weekday, day or month points. Only expressions with a full date resolve without a reference.
    """
    low = re.sub(r"\s+", " ", text.lower().replace(",", ", ").replace("\u2019", "'")).strip()
    low = re.sub(r"\s+,", ",", low)
    future = direction == "future"
    for kind, pattern in PATTERNS:
        m = pattern.search(low)
        if not m:
            continue
        g = m.groupdict()
        if kind in ("iso", "dmy", "mdy", "my"):
            month = int(g["month"]) if kind == "iso" else MONTHS[g["month"]]
            day = int(g["day"]) if g.get("day") else 1
            if g.get("year"):
                return _safe_date(int(g["year"]), month, day)
            if reference is None:
                return None
            return _anchor_year(month, day, reference, future)
        if kind == "holiday":
            month, day = HOLIDAYS[g["holiday"].replace("'", "")]
            if reference is None:
                return None
            return _anchor_year(month, day, reference, future)
        if kind == "year":
            return dt.date(int(g["year"]), 1, 1)
        if reference is None:
            return None
        ref = reference
        if kind == "before_yesterday":
            return ref - dt.timedelta(days=2)
        if kind == "after_tomorrow":
            return ref + dt.timedelta(days=2)
        if kind == "yesterday":
            return ref - dt.timedelta(days=1)
        if kind == "tomorrow":
            return ref + dt.timedelta(days=1)
        if kind == "today":
            return ref
        if kind == "ago":
            n = g["n"]
            count = int(n) if n.isdigit() else NUMBERS[n]
            return _shift(ref, g["unit"], -count)
        if kind == "earlier_this":
            unit = g["unit"]
            if unit == "week":
                return ref - dt.timedelta(days=ref.weekday())
            if unit == "month":
                return ref.replace(day=1)
            return ref.replace(month=1, day=1)
        if kind == "later_this":
            return ref
        if kind == "weekend":
            rel = g.get("rel")
            if rel == "next" or (future and rel != "last"):
                return ref + dt.timedelta(days=(5 - ref.weekday()) % 7 or 7)
            back = (ref.weekday() - 5) % 7
            day = ref - dt.timedelta(days=back)
            if rel in ("last", "past") and back < 2:
                day -= dt.timedelta(days=7)
            return day
        if kind == "weekday":
            wd = WEEKDAYS[g["weekday"]]
            rel = g.get("rel")
            back = (ref.weekday() - wd) % 7
            ahead = (wd - ref.weekday()) % 7
            if rel in ("last", "past", "previous"):
                return ref - dt.timedelta(days=back or 7)
            if rel in ("next", "coming"):
                return ref + dt.timedelta(days=ahead or 7)
            if rel == "this":
                return ref + dt.timedelta(days=ahead) if future else ref - dt.timedelta(days=back)
            return ref + dt.timedelta(days=ahead) if future else ref - dt.timedelta(days=back)
        if kind == "last_unit":
            return _shift(ref, g["unit"], -1)
        if kind == "next_unit":
            return _shift(ref, g["unit"], 1)
        if kind == "this_unit":
            return ref
        if kind == "month":
            return (
                _anchor_year(MONTHS[g["month"]], 1, ref, future)
                if not future
                else (_anchor_year(MONTHS[g["month"]], 1, ref.replace(day=1), True))
            )
        if kind == "ordinal_day":
            day = int(g["day"])
            for months in (0, 1) if future else (0, -1, -2):
                found = _safe_date(*_ym(ref, months), day)
                if found and (found >= ref if future else found <= ref):
                    return found
            return None
    return None


def _ym(ref: dt.date, months: int) -> tuple[int, int]:
    first = _add_months(ref.replace(day=1), months)
    return first.year, first.month


# -- finding the expressions that belong to a predicate -----------------------------------

_LOOSE = re.compile(
    r"\b(?:(?:last|this|next|past)\s+)?(?:"
    + "|".join(sorted([w for w in WEEKDAYS if len(w) > 3], key=len, reverse=True))
    + r"|yesterday|today|tonight|tomorrow"
    + r"|christmas(?: day| eve)?|new year['\u2019]?s (?:day|eve))\b",
    re.I,
)


def date_spans(sentence: Sentence) -> list[tuple[int, int]]:
    """Token ranges [start, end) of date expressions: spaCy's DATE/TIME entities, plus weekday
    names and "yesterday"/"today" that the model left untagged."""
    spans: list[tuple[int, int]] = []
    tokens = sentence.tokens
    i = 0
    while i < len(tokens):
        if tokens[i].ent_type in DATE_ENTS:
            j = i + 1
            while (
                j < len(tokens)
                and tokens[j].ent_type == tokens[i].ent_type
                and (tokens[j].ent_iob == "I")
            ):
                j += 1
            spans.append((i, j))
            i = j
        else:
            i += 1
    covered = {k for a, b in spans for k in range(a, b)}
    for m in _LOOSE.finditer(sentence.text):
        toks = [t.i for t in tokens if t.idx >= m.start() and t.end <= m.end()]
        if toks and not covered.intersection(toks):
            spans.append((toks[0], toks[-1] + 1))
    return sorted(spans)


def _span_text(sentence: Sentence, span: tuple[int, int]) -> str:
    a, b = span
    text = sentence.text[sentence.tokens[a].idx : sentence.tokens[b - 1].end]
    # "on 8 September" — a preceding preposition helps "in September" read as a month.
    if a > 0 and sentence.tokens[a - 1].text.lower() in ("in", "on"):
        text = f"{sentence.tokens[a - 1].text.lower()} {text}"
    return text


def _span_head(sentence: Sentence, span: tuple[int, int]) -> Token:
    a, b = span
    for t in sentence.tokens[a:b]:
        if not a <= t.head < b or t.head == t.i:
            return t
    return sentence.tokens[a]


def _governor(sentence: Sentence, tok: Token, predicate_index: int) -> tuple[int, int]:
    """(token the expression modifies — the predicate or the first verb above it, steps)."""
    steps = 0
    seen = set()
    while tok.head != tok.i and tok.i not in seen:
        seen.add(tok.i)
        tok = sentence.tokens[tok.head]
        steps += 1
        if (
            tok.i == predicate_index
            or tok.pos in ("VERB",)
            or (tok.pos == "AUX" and tok.dep == "ROOT")
        ):
            return tok.i, steps
    return tok.i, steps


def _predicate_chain(sentence: Sentence, predicate_index: int) -> list[tuple[int, bool]]:
    """The predicate's ancestors, each with whether a clause boundary lies below it."""
    out = []
    tok = sentence.tokens[predicate_index]
    crossed = False
    seen = {tok.i}
    while tok.head != tok.i and tok.head not in seen:
        if tok.dep in ("ccomp", "advcl", "relcl", "parataxis", "conj", "xcomp", "acl"):
            crossed = True
        tok = sentence.tokens[tok.head]
        seen.add(tok.i)
        out.append((tok.i, crossed))
    return out


def _descends(sentence: Sentence, i: int, ancestor: int) -> bool:
    seen = set()
    while sentence.tokens[i].head != i and i not in seen:
        seen.add(i)
        i = sentence.tokens[i].head
        if i == ancestor:
            return True
    return False


def event_date_expression(sentence: Sentence, predicate_index: int) -> str | None:
    """The text of the date expression that belongs to the predicate, if any.

    Attached to the predicate itself first; then to the verb that governs a noun predicate
    ("held talks on Tuesday"); then, across a clause boundary, to a governing verb ("said on
    Tuesday that ... had met", an upper bound better than the story date).
    """
    if not sentence.tokens or not 0 <= predicate_index < len(sentence.tokens):
        return None
    spans = date_spans(sentence)
    if not spans:
        return None
    chain = _predicate_chain(sentence, predicate_index)
    rank_of = {predicate_index: 0}
    for i, crossed in chain:
        rank_of.setdefault(i, 2 if crossed else 1)
    best: tuple[int, int, tuple[int, int]] | None = None
    for span in spans:
        if span[0] <= predicate_index < span[1]:
            continue
        head = _span_head(sentence, span)
        gov, steps = _governor(sentence, head, predicate_index)
        rank = rank_of.get(gov)
        if rank is None and head.i < gov and _descends(sentence, gov, predicate_index):
            # "said on Tuesday it would respond": the parser hung the date on the embedded
            # verb, but it stands before it, next to the predicate.
            rank = 3
        if rank is None:
            continue
        key = (rank, steps, span)
        if best is None or key < best:
            best = key
    return _span_text(sentence, best[2]) if best else None


def resolve_event_date(
    sentence: Sentence,
    predicate_index: int,
    story_date: dt.date | None,
    *,
    modality: str = "asserted",
) -> dt.date | None:
    """The date of the event at ``predicate_index`` (see the module doc for the conventions):
    None for future and hypothetical events; never after ``story_date`` for the others."""
    if modality not in HAPPENED:
        return None
    expression = event_date_expression(sentence, predicate_index)
    found = parse_date_expression(expression, story_date) if expression else None
    if found is None:
        return story_date
    if story_date is not None and found > story_date:
        return story_date
    return found


# -- story dates from datelines --------------------------------------------------------------

_MONTH_WORD = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DATELINE_DATE = re.compile(
    rf"^[^\n]{{0,60}}?(?:,\s*|\s)(?P<expr>{_MONTH_WORD}\s+[0-3]?\d(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|[0-3]?\d\s+{_MONTH_WORD}(?:\s+\d{{4}})?)"
    r"\s*(?:\([^)]{1,30}\))?\s*(?:--|[-\u2013\u2014:])",
    re.I,
)
_ISO_NEAR_START = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")


def story_date_from_text(text: str, *, reference: dt.date | None = None) -> dt.date | None:
    """The date a story's dateline gives: "SEOUL, Sept 8, 2025 (Reuters) –" → 2025-09-08.

    Datelines often omit the year ("SEOUL, Sept 8 (Reuters) –"); it is then taken from
    ``reference`` (e.g. the feed's publication date: the nearest such day on or before it),
    or the result is None when there is no reference. An ISO date in the first 200 characters
    ("Published 2025-10-02") also counts.
    """
    head = text[:200]
    m = _DATELINE_DATE.search(head)
    if m:
        found = parse_date_expression(m.group("expr"), reference)
        if found is not None:
            return found
    m = _ISO_NEAR_START.search(head)
    if m:
        return _safe_date(int(m["year"]), int(m["month"]), int(m["day"]))
    return None
