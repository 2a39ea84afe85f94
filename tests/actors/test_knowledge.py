"""The dated actor knowledge base: loading, dates, aliases, ambiguity and the actor stage."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from detente.actors import ActorLexicon, ActorStage
from detente.actors.dictionaries import extend_lexicon, load_user_dictionary
from detente.actors.knowledge import KnowledgeBase, fold, name_key, parse_partial_date
from detente.errors import InputError

KB = Path(__file__).parent / "fixtures" / "kb"
D = dt.date


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    cameo = {"USA": "USA", "KOR": "KOR", "SGP": "SGP", "UKR": "UKR", "TUR": "TUR", "CHN": "CHN",
             "SYR": "SYR", "PRT": "PRT", "GBR": "GBR", "AFG": "AFG", "YEM": "YEM", "PSE": "PSE",
             "SDN": "SDN", "SAU": "SAU", "COD": "COD"}  # fmt: skip
    return KnowledgeBase.load(KB, cameo_of=cameo)


def code(kb: KnowledgeBase, name: str, date: dt.date | None, **kw) -> str | None:
    found = kb.resolve(name, date, **kw)
    return found.code if found else None


# ------------------------------------------------------------------ loading


def test_dates_take_the_first_or_last_day_when_only_month_or_year_is_known() -> None:
    assert parse_partial_date("2017-01", end=False, where="x") == D(2017, 1, 1)
    assert parse_partial_date("2024-02", end=True, where="x") == D(2024, 2, 29)
    assert parse_partial_date("2024-12", end=True, where="x") == D(2024, 12, 31)
    assert parse_partial_date("1998", end=True, where="x") == D(1998, 12, 31)
    assert parse_partial_date("", end=True, where="x") is None
    with pytest.raises(InputError, match="f.tsv:3"):
        parse_partial_date("2024/01/01", end=False, where="f.tsv:3")


def test_a_bad_row_names_its_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "people_bad.tsv"
    path.write_text(
        "# comment\nname\tshort\taliases\tcountry\trole\torg\tstart\tend\n"
        "A B\t\t\tUSA\thead_of_state\t\t2001\t\n"
        "C D\t\t\tUSA\tpresident\t\t2001\t\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"people_bad.tsv:4: role 'president'"):
        KnowledgeBase.load(tmp_path)


def test_hand_typed_periods_win_over_overlapping_generated_ones(kb: KnowledgeBase) -> None:
    trump = kb.candidates("Donald Trump")[0]
    assert {t.code for t in trump.tenures} == {"USAGOV"}  # USAGOVBUS 2017-2021 dropped
    lee = next(r for r in kb.candidates("Lee Myung-bak"))
    assert {t.code for t in lee.tenures} == {"KORGOV", "KORLEG"}  # no overlap: both kept


def test_names_fold_accents_and_hyphens() -> None:
    assert fold("Recep Tayyip Erdoğan") == "recep tayyip erdogan"
    assert name_key("Lee Jae-myung") == name_key("lee jae myung") == "lee jae myung"


# ------------------------------------------------------------------ resolution by date


def test_a_leader_is_government_in_office_and_elite_out_of_it(kb: KnowledgeBase) -> None:
    assert code(kb, "Trump", D(2019, 6, 1)) == "USAGOV"
    assert code(kb, "Trump", D(2022, 3, 1)) == "USAELI"  # CAMEO: former officials are ELI
    assert code(kb, "Trump", D(2025, 3, 1)) == "USAGOV"
    assert code(kb, "Donald J. Trump", D(2010, 1, 1)) == "USAELI"


def test_an_undated_story_reads_as_current_news(kb: KnowledgeBase) -> None:
    assert code(kb, "Ahmed al-Sharaa", None) == "SYRGOV"


def test_the_most_senior_office_held_on_the_date_gives_the_code(kb: KnowledgeBase) -> None:
    assert code(kb, "al-Sharaa", D(2020, 1, 1)) == "SYRREB"
    assert code(kb, "Abu Mohammed al-Julani", D(2025, 6, 1)) == "SYRGOV"
    assert code(kb, "Lee Jae-myung", D(2024, 1, 1)) == "KOROPP"
    assert code(kb, "Pete Hegseth", D(2025, 5, 1)) == "USAGOVMIL"
    assert code(kb, "Guterres", D(2024, 1, 1)) == "IGOUNO"


def test_transliterations_and_accents(kb: KnowledgeBase) -> None:
    for form in ("Zelensky", "Zelenskyy", "Zelenskiy", "Volodymyr Zelenskyy"):
        assert code(kb, form, D(2024, 1, 1)) == "UKRGOV", form
    for form in ("Erdoğan", "Erdogan", "Recep Tayyip Erdogan"):
        assert code(kb, form, D(2010, 1, 1)) == "TURGOV", form
    for form in ("al-Sharaa", "al-Shara", "Sharaa", "al Sharaa"):
        assert code(kb, form, D(2025, 6, 1)) == "SYRGOV", form


def test_groups_change_code_with_their_period(kb: KnowledgeBase) -> None:
    assert code(kb, "Taliban", D(1999, 1, 1)) == "AFGGOV"
    assert code(kb, "Taliban", D(2010, 1, 1)) == "AFGREB"
    assert code(kb, "Taliban", D(2023, 1, 1)) == "AFGGOV"
    assert code(kb, "RSF", D(2020, 1, 1)) == "SDNMIL"
    assert code(kb, "RSF", D(2024, 1, 1)) == "SDNREB"
    assert code(kb, "Houthis", D(2024, 1, 1)) == "YEMREB"


# ------------------------------------------------------------------ ambiguity


def test_an_ambiguous_surname_goes_to_who_held_office_on_the_date(kb: KnowledgeBase) -> None:
    found = kb.resolve("Lee", D(2010, 5, 1), countries=["KOR"])
    assert found.referent.name == "Lee Myung-bak" and found.code == "KORGOV"
    found = kb.resolve("Lee", D(2025, 9, 1), countries=["KOR"])
    assert found.referent.name == "Lee Jae-myung" and not found.ambiguous


def test_countries_the_story_names_and_titles_break_ties(kb: KnowledgeBase) -> None:
    # In 2010 Lee Myung-bak (KOR) and Lee Hsien Loong (SGP) both lead governments.
    assert kb.resolve("Lee", D(2010, 5, 1), countries=["SGP"]).referent.country == "SGP"
    assert kb.resolve("Lee", D(2010, 5, 1), countries=["KOR"]).referent.country == "KOR"
    by_title = kb.resolve("Lee", D(2010, 5, 1), title="Prime Minister")
    assert by_title.referent.country == "SGP"
    by_title = kb.resolve("Lee", D(2010, 5, 1), title="President")
    assert by_title.referent.country == "KOR"


def test_a_real_tie_is_flagged_ambiguous(kb: KnowledgeBase) -> None:
    found = kb.resolve("Lee", D(2010, 5, 1))
    assert found.ambiguous and found.alternatives


# ------------------------------------------------------------------ the actor stage


@pytest.fixture(scope="module")
def lexicon(kb: KnowledgeBase) -> ActorLexicon:
    lexicon = ActorLexicon.load(knowledge=False)
    lexicon.add_knowledge(kb)
    return lexicon


@pytest.fixture(scope="module")
def mentions_on(nlp, lexicon):
    """Mentions of a text coded as a story of ``date``: [(text, code, kind)]."""
    from detente.nlp import ParseStage
    from detente.records import Story

    parse, actors = ParseStage(nlp=nlp), ActorStage(lexicon)

    def run(text: str, date: dt.date | None):
        story = actors(parse(Story(id="t", text=text, date=date)))
        return [(m.text, m.actors[0].code, m.kind) for m in story.mentions if m.actors]

    return run


def codes(found, text):
    return [c for words, c, _ in found if words == text]


@pytest.mark.slow
def test_a_leader_named_without_a_title(mentions_on) -> None:
    found = mentions_on("Xi Jinping criticized Japan on Friday over remarks about Taiwan.",
                        D(2025, 11, 14))  # fmt: skip
    assert codes(found, "Xi Jinping") == ["CHNGOV"]
    assert codes(found, "Japan") == ["JPN"]


@pytest.mark.slow
def test_the_story_date_decides_the_code(mentions_on) -> None:
    text = "Trump criticized China."
    assert codes(mentions_on(text, D(2019, 5, 1)), "Trump") == ["USAGOV"]
    assert codes(mentions_on(text, D(2022, 5, 1)), "Trump") == ["USAELI"]
    assert codes(mentions_on(text, D(2025, 5, 1)), "Trump") == ["USAGOV"]


@pytest.mark.slow
def test_a_title_in_the_sentence_sets_the_sector(mentions_on) -> None:
    found = mentions_on("Former President Trump criticized China.", D(2025, 5, 1))
    assert [c for _, c, _ in found if c.startswith("USA")] == ["USAELI"]


@pytest.mark.slow
def test_a_surname_after_the_full_name_is_the_same_person(mentions_on) -> None:
    found = mentions_on(
        "Lee Jae-myung met Singapore's foreign minister in Seoul. Lee said ties were strong.",
        D(2025, 9, 1),
    )
    assert codes(found, "Lee Jae-myung") == ["KORGOV"]
    assert codes(found, "Lee") == ["KORGOV"]


@pytest.mark.slow
def test_accented_and_hyphenated_spellings_in_text(mentions_on) -> None:
    found = mentions_on("Erdoğan met Zelenskyy in Ankara.", D(2024, 3, 8))
    assert codes(found, "Erdoğan") == ["TURGOV"]
    assert codes(found, "Zelenskyy") == ["UKRGOV"]


@pytest.mark.slow
def test_groups_are_actors(mentions_on) -> None:
    found = mentions_on("The Houthis attacked a ship. Hamas fired rockets at Israel.",
                        D(2024, 1, 10))  # fmt: skip
    assert codes(found, "The Houthis") == ["YEMREB"]
    assert codes(found, "Hamas") == ["PSEREB"]


@pytest.mark.slow
def test_a_title_the_parser_puts_inside_the_name_is_not_a_longer_name(mentions_on) -> None:
    found = mentions_on("Biden met Crown Prince Mohammed bin Salman in Jeddah.", D(2023, 1, 5))
    assert codes(found, "Crown Prince Mohammed bin Salman") == ["SAUGOV"]


@pytest.mark.slow
def test_a_group_name_may_hold_a_common_noun(mentions_on) -> None:
    found = mentions_on("M23 rebels captured Goma.", D(2012, 11, 20))
    assert codes(found, "M23 rebels") == ["CODREB"]


@pytest.mark.slow
def test_an_everyday_word_is_not_a_name(mentions_on) -> None:
    found = mentions_on("The talks may resume in May, officials said.", D(2017, 1, 1))
    assert not any(c.startswith("GBR") for _, c, _ in found)


@pytest.mark.slow
def test_a_known_surname_inside_a_longer_unknown_name_is_someone_else(mentions_on) -> None:
    found = mentions_on("Xi Mingze criticized Japan.", D(2025, 11, 14))
    assert not any(c == "CHNGOV" for _, c, _ in found)


@pytest.mark.slow
def test_an_unknown_person_takes_no_country_from_a_neighbouring_word(mentions_on) -> None:
    found = mentions_on("Zhang Wei criticized Japan on Friday over remarks about Taiwan.",
                        D(2025, 11, 14))  # fmt: skip
    assert codes(found, "Zhang Wei") in ([], [""])
    assert codes(found, "Japan") == ["JPN"]


# ------------------------------------------------------------------ user dictionaries


def test_a_user_dictionary_overrides_the_knowledge_base(kb, tmp_path: Path) -> None:
    lexicon = ActorLexicon.load(knowledge=False)
    lexicon.add_knowledge(kb)
    path = tmp_path / "mine.csv"
    path.write_text("name,code,from,to\nTrump,USABUS,,\n", encoding="utf-8")
    extend_lexicon(lexicon, load_user_dictionary(path))
    assert lexicon.lookup("Trump", D(2025, 3, 1)).kind == "user"
    assert lexicon.lookup("Trump", D(2025, 3, 1)).sector == "BUS"


def test_a_dated_user_entry_wins_over_an_undated_one_on_its_dates(tmp_path: Path) -> None:
    lexicon = ActorLexicon.load(knowledge=False)
    undated, dated = tmp_path / "a.csv", tmp_path / "b.csv"
    undated.write_text("name,code,from,to\nKim Min-seok,KORGOV,,\n", encoding="utf-8")
    dated.write_text("name,code,from,to\nKim Min-seok,KOROPP,2020-01-01,2022-12-31\n",
                     encoding="utf-8")  # fmt: skip
    for path in (undated, dated):
        extend_lexicon(lexicon, load_user_dictionary(path))
    assert lexicon.lookup("Kim Min-seok", D(2021, 6, 1)).sector == "OPP"
    assert lexicon.lookup("Kim Min-seok", D(2024, 6, 1)).sector == "GOV"


# ------------------------------------------------------------------ the shipped tables


def test_the_shipped_knowledge_base_loads_and_knows_current_leaders() -> None:
    lexicon = ActorLexicon.load()
    kb = lexicon.knowledge
    assert kb is not None and len(kb.referents) > 1000
    assert kb.resolve("Vladimir Putin", D(2005, 1, 1)).code == "RUSGOV"
    assert kb.resolve("Vladimir Putin", D(1995, 1, 1)).code == "RUSELI"
    assert kb.resolve("Lee Jae-myung", D(2025, 9, 1)).code == "KORGOV"
    assert kb.resolve("Hamas", D(2024, 1, 1)).code.startswith("PSE")
