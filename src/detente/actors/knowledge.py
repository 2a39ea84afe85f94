"""The dated actor knowledge base: who held which office when, and the armed groups,
parties and movements news names.

The files are described in ``data/actors/README.md``. A name resolves by the story's date:
while a person holds an office they carry its code (``USAGOV``); outside every office they
are coded as CAMEO codes former officials, country + ``ELI``. Where several people share a
name form ("Lee", "Kim"), the one in office on the date, whose title matches the sentence's
and whose country the story names wins, and the result says it was ambiguous.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..data_files import data_path, read_tsv_numbered, split_cell
from ..errors import InputError

KB_DIR = "actors"
# The columns of the files, in order (data/actors/README.md); a generated people file adds
# ``code``, the whole code of the role, where the role alone does not give it.
PEOPLE_COLUMNS = ("name", "short", "aliases", "country", "role", "org", "start", "end")
GROUP_COLUMNS = ("name", "aliases", "country", "code", "kind", "start", "end")
GROUP_KINDS = ("armed_group", "party", "movement")
# role → (sector, secondary) while in office; igo_head and group_leader take ``org``.
ROLE_CODES: dict[str, tuple[str, tuple[str, ...]]] = {
    "head_of_state": ("GOV", ()),
    "head_of_government": ("GOV", ()),
    "foreign_minister": ("GOV", ()),
    "defence_minister": ("GOV", ("MIL",)),
    "interior_minister": ("GOV", ()),
    "finance_minister": ("GOV", ("BUS",)),
    "central_bank_governor": ("GOV", ("BUS",)),
    "army_chief": ("MIL", ()),
    "other_official": ("GOV", ()),
    "opposition_leader": ("OPP", ()),
}
ORG_ROLES = ("igo_head", "group_leader")
ROLES = (*ROLE_CODES, *ORG_ROLES)
LEADER_ROLES = ("head_of_state", "head_of_government")
FORMER_SECTOR = "ELI"  # CAMEO: elites, former government officials among them
# Titles in the sentence and the roles they name; a title narrows an ambiguous name.
TITLE_ROLES: dict[str, tuple[str, ...]] = {
    "president": ("head_of_state", "head_of_government"),
    "king": ("head_of_state",),
    "queen": ("head_of_state",),
    "emperor": ("head_of_state",),
    "emir": ("head_of_state",),
    "supreme leader": ("head_of_state",),
    "prime minister": ("head_of_government",),
    "premier": ("head_of_government",),
    "chancellor": ("head_of_government",),
    "foreign minister": ("foreign_minister",),
    "secretary of state": ("foreign_minister",),
    "defense minister": ("defence_minister",),
    "defence minister": ("defence_minister",),
    "defense secretary": ("defence_minister",),
    "defence secretary": ("defence_minister",),
    "interior minister": ("interior_minister",),
    "home minister": ("interior_minister",),
    "finance minister": ("finance_minister",),
    "treasury secretary": ("finance_minister",),
    "general": ("army_chief",),
    "secretary-general": ("igo_head",),
    "secretary general": ("igo_head",),
    "opposition leader": ("opposition_leader",),
}
# Name forms of one word that are also everyday words are only trusted as names with a
# title before them or in a story that has already named the person in full.
PARTICLES = {"al", "el", "bin", "ibn", "von", "van", "der", "de", "da", "do", "dos", "du", "la"}


def fold(text: str) -> str:
    """Lower case, no diacritics, single spaces: 'Erdoğan' and 'Erdogan' meet here."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.replace("ı", "i").replace("ł", "l").replace("ø", "o").replace("đ", "d")
    return " ".join(plain.lower().split())


def name_key(form: str) -> str:
    """The key a name form is filed under: folded, hyphens read as spaces."""
    return " ".join(fold(form).replace("-", " ").split())


def name_variants(form: str) -> set[str]:
    """The keys of a form: 'Jae-myung' is filed as 'jae myung' and as 'jaemyung'."""
    folded = fold(form)
    variants = {name_key(form)}
    if "-" in folded:
        variants.add(folded.replace("-", ""))
    return {v for v in variants if v}


def parse_partial_date(text: str, *, end: bool, where: str) -> dt.date | None:
    """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; a start takes the first day, an end the last."""
    if not text:
        return None
    parts = text.split("-")
    try:
        year = int(parts[0])
        if len(parts) == 1:
            return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
        month = int(parts[1])
        if len(parts) == 2:
            if not end:
                return dt.date(year, month, 1)
            following = dt.date(year + month // 12, month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date(year, month, int(parts[2]))
    except (ValueError, IndexError):
        raise InputError(f"date {text!r} is not YYYY-MM-DD, YYYY-MM or YYYY", where) from None


@dataclass(frozen=True, slots=True)
class Tenure:
    """One role held from ``start`` to ``end`` (inclusive; ``None`` is open)."""

    role: str
    code: str  # the whole CAMEO actor code in the role: KORGOV, IGOUNO, LBNREB
    start: dt.date | None
    end: dt.date | None
    source: str  # path:line

    def holds(self, date: dt.date) -> bool:
        return (self.start is None or self.start <= date) and (self.end is None or date <= self.end)


@dataclass(slots=True)
class Referent:
    """A person or a group the knowledge base knows, with all its dated codes."""

    name: str
    country: str  # ISO3
    cameo: str  # the country's CAMEO code, the stem of the former-official code
    kind: str  # person | group
    tenures: list[Tenure] = field(default_factory=list)

    def tenure_on(self, date: dt.date | None) -> Tenure | None:
        """The tenure that gives the code on ``date``: the most senior one holding it. An
        undated story reads as current news: the latest tenure."""
        if not self.tenures:
            return None
        if date is None:
            return max(self.tenures, key=lambda t: (t.start or dt.date.min, _seniority(t.role)))
        holding = [t for t in self.tenures if t.holds(date)]
        if not holding:
            return None
        return max(holding, key=lambda t: _seniority(t.role))

    def code_on(self, date: dt.date | None) -> str:
        tenure = self.tenure_on(date)
        if tenure is not None:
            return tenure.code
        if self.kind == "group":
            # A group named outside its dated rows keeps the code of the nearest one.
            return min(self.tenures, key=lambda t: _distance(t, date)).code
        return self.cameo + FORMER_SECTOR


def _seniority(role: str) -> int:
    order = ("head_of_state", "head_of_government", "igo_head", "group_leader")
    return len(order) - order.index(role) if role in order else 0


def _distance(tenure: Tenure, date: dt.date | None) -> int:
    if date is None:
        return 0
    if tenure.end is not None and date > tenure.end:
        return (date - tenure.end).days
    if tenure.start is not None and date < tenure.start:
        return (tenure.start - date).days
    return 0


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a name form means on a date: the referent, its code, and how sure."""

    referent: Referent
    code: str
    tenure: Tenure | None
    ambiguous: bool = False
    alternatives: tuple[str, ...] = ()  # other referents' names that scored close


@dataclass(slots=True)
class KnowledgeBase:
    """Name forms → people and groups; resolved by date, title and the story's countries."""

    referents: list[Referent] = field(default_factory=list)
    by_form: dict[str, list[Referent]] = field(default_factory=dict)
    # The country CAMEO code (KOR) of every ISO3 code, and back.
    cameo_of: dict[str, str] = field(default_factory=dict)
    iso3_of: dict[str, str] = field(default_factory=dict)

    # ------------------------------------------------------------------ building

    @classmethod
    def load(cls, directory: Path | None = None, cameo_of: dict[str, str] | None = None):
        """Every ``people_*.tsv`` and ``groups_*.tsv`` in ``directory`` (default: the
        packaged ``data/actors``). Hand-typed files come before generated ones, so a
        generated period that overlaps a hand-typed one of the same person is dropped."""
        directory = directory or data_path(KB_DIR)
        kb = cls(cameo_of=dict(cameo_of or {}))
        kb.iso3_of = {cameo: iso3 for iso3, cameo in kb.cameo_of.items()}
        files = sorted(
            directory.glob("*.tsv"), key=lambda p: (p.name.endswith("_generated.tsv"), p.name)
        )
        for path in files:
            if path.name.startswith("people_"):
                kb.add_people(path)
            elif path.name.startswith("groups_"):
                kb.add_groups(path)
        return kb

    def _referent(self, name: str, country: str, kind: str) -> Referent:
        key = name_key(name)
        for known in self.by_form.get(key, ()):
            if known.country == country and known.kind == kind and name_key(known.name) == key:
                return known
        referent = Referent(name, country, self.cameo_of.get(country, country), kind)
        self.referents.append(referent)
        self._index(referent, name)
        return referent

    def _index(self, referent: Referent, form: str) -> None:
        for variant in name_variants(form):
            bucket = self.by_form.setdefault(variant, [])
            if referent not in bucket:
                bucket.append(referent)

    def _add_tenure(self, referent: Referent, tenure: Tenure, generated: bool) -> None:
        if generated and any(
            t.source.rsplit(":", 1)[0] != tenure.source.rsplit(":", 1)[0] and _overlap(t, tenure)
            for t in referent.tenures
        ):
            return  # a hand-typed period of the same person already says this
        referent.tenures.append(tenure)

    def add_people(self, path: Path) -> None:
        generated = path.name.endswith("_generated.tsv")
        for number, row in read_tsv_numbered(path, PEOPLE_COLUMNS):
            where = f"{path}:{number}"
            role, country = row["role"], row["country"]
            if role not in ROLES:
                raise InputError(f"role {role!r} is not one of {', '.join(ROLES)}", where)
            if not row["name"] or not country:
                raise InputError("name and country are required", where)
            code = row.get("code") or self._role_code(role, country, row["org"], where)
            tenure = Tenure(
                role,
                code,
                parse_partial_date(row["start"], end=False, where=where),
                parse_partial_date(row["end"], end=True, where=where),
                where,
            )
            referent = self._referent(row["name"], country, "person")
            self._add_tenure(referent, tenure, generated)
            for alias in [*split_cell(row["aliases"]), row["short"]]:
                if alias:
                    self._index(referent, alias)

    def add_groups(self, path: Path) -> None:
        for number, row in read_tsv_numbered(path, GROUP_COLUMNS):
            where = f"{path}:{number}"
            code = row["code"]
            if not row["name"] or not code.isalpha() or not code.isupper() or len(code) % 3:
                raise InputError(f"a group needs a name and a CAMEO code, not {code!r}", where)
            tenure = Tenure(
                row["kind"] or "group",
                code,
                parse_partial_date(row["start"], end=False, where=where),
                parse_partial_date(row["end"], end=True, where=where),
                where,
            )
            referent = self._referent(row["name"], row["country"], "group")
            referent.tenures.append(tenure)
            for alias in split_cell(row["aliases"]):
                self._index(referent, alias)

    def _role_code(self, role: str, country: str, org: str, where: str) -> str:
        if role in ORG_ROLES:
            if not org:
                raise InputError(f"role {role} needs org, the organisation's CAMEO code", where)
            return org
        sector, secondary = ROLE_CODES[role]
        return self.cameo_of.get(country, country) + sector + "".join(secondary)

    # ------------------------------------------------------------------ lookup

    def forms(self) -> Iterator[str]:
        """Every name form (folded) the knowledge base files a referent under."""
        return iter(self.by_form)

    def candidates(self, form: str) -> list[Referent]:
        return list(self.by_form.get(name_key(form), ()))

    def resolve(
        self,
        form: str,
        date: dt.date | None,
        countries: Iterable[str] = (),
        title: str | None = None,
    ) -> Resolution | None:
        """The referent ``form`` most likely names on ``date``, given the countries (ISO3)
        the story has named and the title the sentence puts before the name."""
        referents = self.candidates(form)
        if not referents:
            return None
        nearby = set(countries)
        wanted_roles = TITLE_ROLES.get(fold(title)) if title else None
        scored = sorted(
            ((self._score(r, date, nearby, wanted_roles), i, r) for i, r in enumerate(referents)),
            key=lambda item: (-item[0], item[1]),
        )
        best_score, _, best = scored[0]
        close = tuple(r.name for s, _, r in scored[1:] if best_score - s < 1.0)
        tenure = best.tenure_on(date)
        return Resolution(best, best.code_on(date), tenure, bool(close), close)

    @staticmethod
    def _score(
        referent: Referent,
        date: dt.date | None,
        nearby: set[str],
        wanted_roles: tuple[str, ...] | None,
    ) -> float:
        score = 0.0
        tenure = referent.tenure_on(date)
        if tenure is not None and date is not None:
            score += 4.0
        if wanted_roles and tenure is not None and tenure.role in wanted_roles:
            score += 2.0
        if referent.country in nearby:
            score += 2.0
        if any(t.role in LEADER_ROLES for t in referent.tenures):
            score += 1.0
        if referent.kind == "group":
            score += 0.5
        if date is not None and tenure is None and referent.tenures:
            # The nearer in time a past office, the likelier the person is in the news.
            years = min(_distance(t, date) for t in referent.tenures) / 365.0
            score += max(0.0, 0.9 - 0.1 * years)
        elif date is None and tenure is not None and tenure.start is not None:
            score += min(0.9, max(0.0, (tenure.start.year - 1990) / 40))
        return score


def _overlap(a: Tenure, b: Tenure) -> bool:
    a_start, a_end = a.start or dt.date.min, a.end or dt.date.max
    b_start, b_end = b.start or dt.date.min, b.end or dt.date.max
    return a_start <= b_end and b_start <= a_end
