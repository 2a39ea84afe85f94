"""PETRARCH/Phoenix and user actor dictionaries, and adding them to the lexicon."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from detente.actors.dictionaries import (
    AgentEntry,
    DatedCode,
    DictionaryEntry,
    entry_for_code,
    extend_lexicon,
    load_any_dictionary,
    load_petrarch_actors,
    load_petrarch_agents,
    load_user_dictionary,
    parse_code_group,
    parse_date,
    regular_plural,
)
from detente.actors.lexicon import ActorLexicon, Entry
from detente.actors.spans import Hit
from detente.actors.stage import _actor_from_hits
from detente.errors import InputError

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# tests/actors/ → tests → repository → its parent, which holds shared/
PETRARCH = Path(__file__).resolve().parents[3] / "shared" / "dictionaries" / "petrarch"

D = dt.date


def by_name(entries: list[DictionaryEntry]) -> dict[str, DictionaryEntry]:
    return {name: entry for entry in entries for name in entry.names}


def lines_of(problems: list[InputError]) -> list[int]:
    return [int(p.location.rsplit(":", 1)[1]) for p in problems]


# ------------------------------------------------------------------ dates and codes


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("080225", D(2008, 2, 25)),
        ("300101", D(2030, 1, 1)),
        ("310101", D(1931, 1, 1)),
        ("000101", D(2000, 1, 1)),
        ("20121204", D(2012, 12, 4)),
    ],
)
def test_dates_are_yymmdd_or_yyyymmdd(text: str, date: dt.date) -> None:
    assert parse_date(text) == date


@pytest.mark.parametrize("text", ["2004017", "201005011", "990231", "08-02-25", ""])
def test_bad_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize(
    ("group", "expected", "dated"),
    [
        ("KORGOV", DatedCode("KORGOV"), False),
        ("---", DatedCode(None), False),
        ("KORGOV >080225", DatedCode("KORGOV", start=D(2008, 2, 25)), True),
        ("EGYGOV > 140608", DatedCode("EGYGOV", start=D(2014, 6, 8)), True),
        ("USRARM <900823", DatedCode("USRARM", end=D(1990, 8, 23)), True),
        ("MNEGOV 20121204", DatedCode("MNEGOV", start=D(2012, 12, 4)), True),
        ("KORELI 580101-000101", DatedCode("KORELI", D(1958, 1, 1), D(2000, 1, 1)), True),
    ],
)
def test_code_groups(group: str, expected: DatedCode, dated: bool) -> None:
    assert parse_code_group(group) == (expected, dated)


def test_dated_code_bounds_are_inclusive() -> None:
    code = DatedCode("X", D(2000, 1, 1), D(2000, 12, 31))
    assert code.holds(D(2000, 1, 1)) and code.holds(D(2000, 12, 31))
    assert not code.holds(D(1999, 12, 31)) and not code.holds(D(2001, 1, 1))


# ------------------------------------------------------------------ PETRARCH actors


@pytest.fixture(scope="module")
def variants() -> dict[str, DictionaryEntry]:
    problems: list[InputError] = []
    entries = load_petrarch_actors(FIXTURES / "variants.actors.txt", problems)
    assert problems == []
    return by_name(entries)


def test_primary_synonyms_and_inline_code(variants: dict[str, DictionaryEntry]) -> None:
    atlantis = variants["ATLANTIS"]
    assert atlantis.names == (
        "ATLANTIS",
        "ATLANTEAN",
        "LOST CITY",
        "SUNKEN REALM",
        "POSEIDONIA",
    )
    assert atlantis.default == "ATL" and atlantis.dated == ()
    assert atlantis.code_on(D(2020, 1, 1)) == atlantis.code_on(None) == "ATL"


def test_dated_codes_with_a_default(variants: dict[str, DictionaryEntry]) -> None:
    kim = variants["KIM MIN SU"]
    assert kim.code_on(D(1990, 5, 1)) == "KORELI"
    assert kim.code_on(D(2005, 5, 1)) == "KORELI"  # no period holds it: the default
    assert kim.code_on(D(2008, 2, 25)) == "KORGOV"
    assert kim.code_on(D(2012, 1, 1)) == "KORGOV"
    assert kim.code_on(None) == "KORELI"


def test_dated_codes_without_a_default(variants: dict[str, DictionaryEntry]) -> None:
    park = variants["PARK JI-WON"]
    assert park is variants["PARK JI WON"]
    assert park.code_on(D(2005, 1, 1)) == "KORGOVMIL"
    assert park.code_on(D(2010, 1, 1)) is None
    assert park.code_on(D(2013, 2, 25)) == "KORGOV"  # "> 130225", with a space
    assert park.code_on(None) is None
    assert park.codes() == ("KORGOVMIL", "KORGOV")


def test_before_and_bare_dates(variants: dict[str, DictionaryEntry]) -> None:
    assert variants["OLD GENERAL"].code_on(D(1990, 8, 23)) == "USRARM"
    assert variants["OLD GENERAL"].code_on(D(1990, 8, 24)) is None
    assert variants["ENVOY SMITH"].code_on(D(1981, 12, 31)) is None
    assert variants["ENVOY SMITH"].code_on(D(1982, 1, 1)) == "USAGOV"


def test_several_codes_on_the_primary_line(variants: dict[str, DictionaryEntry]) -> None:
    harbour = variants["HARBOUR MASTER"]
    assert harbour.code_on(D(2000, 1, 1)) == "FRAGOV"
    assert harbour.code_on(D(2010, 1, 1)) == "ELI"
    chair = variants["ROTATING CHAIR"]
    assert chair.code_on(D(1995, 12, 10)) == "IGOEUREEC"  # first holding period wins
    assert chair.code_on(D(1997, 1, 1)) == "IGOWSTNAT"
    assert chair.code_on(D(2005, 1, 1)) is None


def test_null_code_and_first_default_wins(variants: dict[str, DictionaryEntry]) -> None:
    star = variants["SOCCER STAR"]
    assert star.default is None and star.codes() == ()  # [---] then an ignored [JORELI]


def test_malformed_actor_lines_are_reported_and_the_rest_loads() -> None:
    path = FIXTURES / "malformed.actors.txt"
    problems: list[InputError] = []
    entries = by_name(load_petrarch_actors(path, problems))
    assert all(isinstance(p, InputError) and str(path) in str(p) for p in problems)
    assert lines_of(problems) == [2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13]
    messages = {line: p.detail for line, p in zip(lines_of(problems), problems, strict=True)}
    assert "before any actor phrase" in messages[2]
    assert "not YYMMDD or YYYYMMDD" in messages[5]
    assert "ends before it starts" in messages[6]
    assert "not a calendar date" in messages[9]
    assert "unbalanced" in messages[10]
    assert "neither a code nor a synonym" in messages[11]
    assert str(problems[1]).startswith(f"{path}:3: ")
    assert entries["GOOD ONE"].default == "AAA" and entries["GOOD ONE"].dated == ()
    assert entries["GOOD TWO"].default == "BBB"
    assert "BROKEN" in entries["GOOD TWO"].names  # the text before the stray ']' is kept
    assert entries["GOOD THREE"].code_on(D(2011, 1, 1)) == "CCCGOV"


def test_problems_are_logged_without_a_list(caplog: pytest.LogCaptureFixture) -> None:
    entries = load_petrarch_actors(FIXTURES / "malformed.actors.txt")
    assert len(entries) == 3
    assert "malformed.actors.txt:5" in caplog.text


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot open"):
        load_petrarch_actors(tmp_path / "nope.actors.txt")


# ------------------------------------------------------------------ PETRARCH agents


def test_agent_variants() -> None:
    problems: list[InputError] = []
    agents = load_petrarch_agents(FIXTURES / "variants.agents.txt", problems)
    assert problems == []
    by = {agent.name: agent for agent in agents}
    assert by["FARMER"].plurals == ("FARMERS",) and by["FARMER"].code == "AGR"
    assert [a.name for a in agents if a.name.startswith("CATTLE")] == [
        "CATTLEMAN",
        "CATTLEMEN",
        "CATTLEWOMAN",
        "CATTLEWOMEN",
        "CATTLEPERSON",
    ]
    assert by["CATTLEMEN"].plurals == ()  # substituted forms make no plural
    assert "HUSBANDWOMAN" in by
    reform = [a for a in agents if a.name.endswith("ADMINISTRATIVE REFORM")]
    assert [a.name.split()[0] for a in reform] == [
        "MINISTER",
        "MINISTERS",
        "MINISTRY",
        "MINISTRIES",
    ]
    assert reform[0].sector == "GOV" and reform[0].secondary == ("DEV",)
    assert by["POLICE"].plurals == ()
    assert by["LAWMAN"].plurals == ("LAWMEN",)
    assert by["HEAD OF NATIONAL POLICE"].plurals == ("HEADS OF NATIONAL POLICE",)
    assert by["SNEAK THIEF"].plurals == ("SNEAK THIEVES",)
    assert by["ATTORNEY"].plurals == ("ATTORNEYS",)
    assert by["ARMY"].plurals == ("ARMIES",)
    assert by["WITNESS"].plurals == ("WITNESSES",)
    assert by["CHURCH"].plurals == ("CHURCHES",)
    assert by["CAPT."].plurals == ()
    assert by["FOREIGN MINISTER"].code == "GOVFRM"
    assert by["TRUCE MONITOR"].prefix and by["TRUCE MONITOR"].code == "IGO"
    assert by["PEACEKEEPING TROOPS"].phrases == ("PEACEKEEPING TROOPS",)


def test_malformed_agent_lines() -> None:
    problems: list[InputError] = []
    agents = load_petrarch_agents(FIXTURES / "malformed.agents.txt", problems)
    assert [a.name for a in agents] == ["PIRATE"]
    assert lines_of(problems) == [2, 3, 4, 5, 6, 7]
    details = [p.detail for p in problems]
    assert "no [CODE]" in details[0]
    assert "unclosed '['" in details[1]
    assert "!AGENT! is not defined" in details[2]
    assert "unbalanced '{'" in details[3]
    assert "not '~CODE' or 'CODE~'" in details[4]
    assert "more than one" in details[5]


def test_regular_plural() -> None:
    assert regular_plural("BOY") == "BOYS"
    assert regular_plural("SPY") == "SPIES"
    assert regular_plural("BOSS") == "BOSSES"
    assert regular_plural("LT.") is None


# ------------------------------------------------------------------ user dictionaries


def test_user_csv_with_dates() -> None:
    path = FIXTURES / "user.csv"
    problems: list[InputError] = []
    entries = by_name(load_user_dictionary(path, problems))
    lee = entries["Lee Jae-myung"]
    assert lee.code_on(D(2025, 7, 1)) == "KORGOV"
    assert lee.code_on(D(2023, 1, 1)) == "KOROPP"
    assert lee.code_on(D(2010, 1, 1)) == lee.code_on(None) == "KORLEG"
    assert lee.location == f"{path}:3"
    yoon = entries["Yoon Suk Yeol"]
    assert yoon.code_on(D(2024, 12, 3)) == "KORGOV" and yoon.code_on(D(2025, 6, 1)) is None
    assert entries["Anytown Militia"].code_on(D(2000, 1, 1)) == "USAREB"
    assert lines_of(problems) == [8, 9, 10, 11, 12]
    assert "not YYYY-MM-DD" in problems[0].detail
    assert "before 'from'" in problems[1].detail
    assert "'name' is empty" in problems[2].detail
    assert "not letters and digits" in problems[3].detail
    assert "at most 4 fields" in problems[4].detail


def test_user_csv_needs_a_header(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("actor,cameo\nX,Y\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing"):
        load_user_dictionary(path)


def test_user_toml() -> None:
    problems: list[InputError] = []
    entries = by_name(load_user_dictionary(FIXTURES / "user.toml", problems))
    for name in ("Lee Jae-myung", "President Lee"):
        assert entries[name].code_on(D(2025, 7, 1)) == "KORGOV"
        assert entries[name].code_on(D(2023, 1, 1)) == "KOROPP"
    assert entries["Anytown Militia"].code_on(None) == "USAREB"
    assert len(problems) == 1 and "actor[3]" in str(problems[0])


# ------------------------------------------------------------------ lexicon


@pytest.fixture(scope="module")
def lexicon_data() -> ActorLexicon:
    return ActorLexicon.load()


def test_entry_for_code(lexicon_data: ActorLexicon) -> None:
    cameo = {c.cameo: c.iso3 for c in lexicon_data.countries.values()}
    assert entry_for_code("KORGOVMIL", cameo) == Entry("user", "KOR", "KOR", "GOV", ("MIL",))
    assert entry_for_code("KOR", cameo) == Entry("user", "KOR", "KOR")
    assert entry_for_code("IGOUNOREFHCR", cameo) == Entry("user", "IGOUNOREFHCR")


def test_extend_lexicon_with_fixtures(lexicon_data: ActorLexicon) -> None:
    lexicon = ActorLexicon.load()
    before = dict(lexicon.phrases)
    actors = load_petrarch_actors(FIXTURES / "variants.actors.txt")
    agents = load_petrarch_agents(FIXTURES / "variants.agents.txt")
    stats = extend_lexicon(lexicon, [*actors, *agents])
    assert stats.no_code == 1  # SOCCER STAR
    assert stats.prefix_agents == 2
    atlantis = lexicon.lookup("Lost City")
    assert atlantis is not None and atlantis.kind == "user" and atlantis.code == "ATL"
    nato = lexicon.lookup("NATO")
    assert nato is not None and nato.kind == "igo"  # the lexicon's own acronym wins ...
    assert lexicon.lookup("Nato") is None  # ... and stays case-sensitive
    putin = lexicon.lookup("Putinesque")  # 10 letters: an ordinary phrase
    assert putin is not None and (putin.code, putin.sector) == ("RUS", "GOV")
    farmer = lexicon.lookup("farmers")
    assert farmer is not None and farmer.kind == "agent"
    minister = lexicon.lookup("ministry for public service and administrative reform")
    assert minister is not None and minister.sector == "GOV" and minister.secondary == ("DEV",)
    assert all(lexicon.phrases[key] == value for key, value in before.items())  # no replace


def test_short_all_capital_names() -> None:
    lexicon = ActorLexicon()
    lexicon.countries = ActorLexicon.load().countries
    entries = [
        DictionaryEntry(("PUTIN",), "RUSGOV"),
        DictionaryEntry(("MALE",), "MDV"),
        DictionaryEntry(("WHO",), "IGOUNOWHO"),
    ]
    extend_lexicon(lexicon, entries)
    assert lexicon.lookup("Putin") is not None and lexicon.lookup("PUTIN") is not None
    assert lexicon.lookup("MALE") is not None and lexicon.lookup("male") is None
    assert lexicon.lookup("WHO") is not None and lexicon.lookup("who") is None


def test_long_phrases_are_skipped() -> None:
    lexicon = ActorLexicon()
    long_name = "THE VERY LONG NAME OF A COMMITTEE FOR THE STUDY OF THINGS"
    stats = extend_lexicon(lexicon, [DictionaryEntry((long_name, "SHORT NAME"), "ELI")])
    assert stats.too_long == 1 and lexicon.lookup("short name") is not None
    assert lexicon.max_words == 2


def test_user_entry_becomes_an_actor_through_the_stage(lexicon_data: ActorLexicon) -> None:
    lexicon = ActorLexicon()
    lexicon.countries = lexicon_data.countries
    extend_lexicon(lexicon, [DictionaryEntry(("Anytown Militia",), "USAREB")])
    entry = lexicon.lookup("Anytown Militia")
    assert entry is not None
    actor = _actor_from_hits([Hit(0, 2, entry, "Anytown Militia")], 1, None)
    assert actor is not None
    assert (actor.code, actor.country, actor.sector) == ("USAREB", "USA", "REB")


def test_dated_lexicon_entries_resolve_on_the_story_date(lexicon_data: ActorLexicon) -> None:
    lexicon = ActorLexicon()
    lexicon.countries = lexicon_data.countries
    extend_lexicon(lexicon, load_user_dictionary(FIXTURES / "user.csv"))
    on = {
        year: lexicon.lookup("Lee Jae-myung", D(year, 7, 1))  # type: ignore[call-arg]
        for year in (2010, 2023, 2025)
    }
    assert {year: (e.code, e.sector) for year, e in on.items() if e} == {
        2010: ("KOR", "LEG"),
        2023: ("KOR", "OPP"),
        2025: ("KOR", "GOV"),
    }
    assert lexicon.lookup("Yoon Suk Yeol", D(2026, 1, 1)) is None  # type: ignore[call-arg]


# ------------------------------------------------------------------ the Phoenix files

needs_phoenix = pytest.mark.skipif(
    not PETRARCH.is_dir(), reason=f"no PETRARCH dictionaries at {PETRARCH}"
)


@pytest.fixture(scope="module")
def phoenix() -> dict[str, tuple[list, list[InputError], float]]:
    loaded = {}
    for name in (
        "Phoenix.Countries.actors.txt",
        "Phoenix.International.actors.txt",
        "Phoenix.MilNonState.actors.txt",
        "Phoenix.agents.txt",
    ):
        problems: list[InputError] = []
        loader = load_petrarch_agents if name.endswith("agents.txt") else load_petrarch_actors
        start = time.perf_counter()
        entries = loader(PETRARCH / name, problems)
        loaded[name] = (entries, problems, time.perf_counter() - start)
    return loaded


@needs_phoenix
def test_phoenix_files_load(phoenix: dict[str, tuple[list, list[InputError], float]]) -> None:
    counts = {name: len(entries) for name, (entries, _, _) in phoenix.items()}
    assert counts["Phoenix.Countries.actors.txt"] > 15_000
    assert counts["Phoenix.International.actors.txt"] > 7_000
    assert counts["Phoenix.MilNonState.actors.txt"] > 900
    assert counts["Phoenix.agents.txt"] > 3_000
    for name, (_entries, problems, seconds) in phoenix.items():
        assert len(problems) < 20, (name, problems)  # a handful of real typos in the files
        assert seconds < 3, (name, seconds)
    agents = phoenix["Phoenix.agents.txt"][0]
    assert all(isinstance(agent, AgentEntry) for agent in agents)
    assert {"CONGRESSMAN", "CONGRESSWOMEN"} <= {agent.name for agent in agents}


@needs_phoenix
def test_phoenix_korean_presidents_on_two_dates(
    phoenix: dict[str, tuple[list, list[InputError], float]],
) -> None:
    entries = by_name(phoenix["Phoenix.Countries.actors.txt"][0])
    roh = entries["ROH MOO HYUN"]  # [KORELI 640101-030225] [KORGOV 030225-080225] [KORELI]
    assert roh.code_on(D(2005, 6, 1)) == "KORGOV"
    assert roh.code_on(D(2010, 6, 1)) == "KORELI"
    lee = entries["LEE MYUNG BAK"]  # [KORELI 580101-000101] [KORGOV >080225] [KORELI]
    assert lee.code_on(D(2005, 6, 1)) == "KORELI"
    assert lee.code_on(D(2010, 6, 1)) == "KORGOV"
    putin = entries["PUTIN"]
    assert putin.code_on(D(1995, 1, 1)) == "RUSELI" and putin.code_on(D(2015, 1, 1)) == "RUSGOV"


@needs_phoenix
def test_phoenix_into_the_lexicon(
    phoenix: dict[str, tuple[list, list[InputError], float]],
) -> None:
    lexicon = ActorLexicon.load()
    start = time.perf_counter()
    for entries, _, _ in phoenix.values():
        extend_lexicon(lexicon, entries)
    assert time.perf_counter() - start < 3
    # ``add`` counts "U.S." style dots as extra words; 8 words give at most 8 + 2
    assert lexicon.max_words <= 10
    roh = lexicon.lookup("Roh Moo Hyun")
    assert roh is not None and roh.kind == "user" and roh.country == "KOR"


def test_a_leader_with_no_title_codes_by_the_story_date(nlp, actor_lexicon) -> None:
    from detente.actors import ActorStage
    from detente.nlp import ParseStage
    from detente.records import Story

    lexicon = ActorLexicon(
        phrases=dict(actor_lexicon.phrases),
        acronyms=dict(actor_lexicon.acronyms),
        countries=actor_lexicon.countries,
        max_words=actor_lexicon.max_words,
    )
    extend_lexicon(lexicon, load_user_dictionary(FIXTURES / "user.csv"))
    parse, actors = ParseStage(nlp=nlp), ActorStage(lexicon)
    text = "Lee Jae-myung criticised the plan on Monday."

    def codes(date: dt.date | None) -> list[str]:
        story = actors(parse(Story(id="t", text=text, date=date)))
        return [a.code for m in story.mentions if m.text == "Lee Jae-myung" for a in m.actors]

    assert codes(D(2025, 7, 1)) == ["KORGOV"]
    assert codes(D(2023, 7, 1)) == ["KOROPP"]
    assert codes(None) == ["KORLEG"]


# ------------------------------------------------------------------ codes PETRARCH's own files use


def test_compound_uncoded_and_lower_case_codes_load(tmp_path: Path) -> None:
    path = tmp_path / "odd.actors.txt"
    path.write_text(
        "TWIN_TOWNS_  [AAA/BBB/CCC]\nNAMELESS_PARTY_  [+++]\nSMALL_CASE_  [kor]\n"
        "DATED_SMALL_\n\t[korgov 20010101-20121231]\n",
        encoding="utf-8",
    )
    problems: list[InputError] = []
    entries = by_name(load_petrarch_actors(path, problems))
    assert problems == []
    assert entries["TWIN TOWNS"].default == "AAA/BBB/CCC"
    assert entries["NAMELESS PARTY"].default == "+++"
    assert entries["SMALL CASE"].default == "KOR"
    assert entries["DATED SMALL"].code_on(D(2010, 1, 1)) == "KORGOV"
    lexicon = ActorLexicon.load(knowledge=False)
    extend_lexicon(lexicon, entries.values())
    assert lexicon.lookup("twin towns").code == "AAA"  # a compound is coded as its first actor
    assert lexicon.lookup("small case").country == "KOR"
    assert lexicon.lookup("nameless party").code == ""  # a named party without a code


VALIDATION = (
    Path(__file__).resolve().parents[3] / "shared" / "dictionaries" / "petrarch" / "validation"
)


@pytest.mark.skipif(not VALIDATION.is_dir(), reason="../shared/ is not beside the checkout")
def test_petrarch_validation_dictionaries_load_without_a_problem() -> None:
    for name in ("PETR.Validate.actors.txt", "PETR.Validate.agents.txt"):
        problems: list[InputError] = []
        entries = load_any_dictionary(VALIDATION / name, problems)
        assert problems == [], name
        assert len(entries) > 50
