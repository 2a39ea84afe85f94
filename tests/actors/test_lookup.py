"""``detente actors`` and the lookup behind it."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

from detente.actors import ActorLexicon
from detente.actors.knowledge import KnowledgeBase
from detente.actors.lookup import format_matches, lookup_actor
from detente.cli import main

KB = Path(__file__).parent / "fixtures" / "kb"


def fixture_lexicon() -> ActorLexicon:
    lexicon = ActorLexicon.load(knowledge=False)
    cameo = {iso3: c.cameo for iso3, c in lexicon.countries.items()}
    lexicon.add_knowledge(KnowledgeBase.load(KB, cameo_of=cameo))
    return lexicon


def test_lookup_gives_the_chosen_reading_first_with_its_periods_and_sources() -> None:
    matches = lookup_actor(fixture_lexicon(), "Lee", dt.date(2010, 5, 1), ("SGP",))
    assert matches[0].chosen and matches[0].name == "Lee Hsien Loong"
    assert matches[0].code == "SGPGOV" and matches[0].in_office
    assert {m.name for m in matches[1:]} >= {"Lee Myung-bak", "Lee Jae-myung"}
    assert all(t.source.startswith(str(KB)) for t in matches[0].tenures)
    text = format_matches(matches)
    assert text.startswith("→ Lee Hsien Loong [person] SGPGOV SGP head_of_government")
    assert "people_test.tsv:" in text


def test_lookup_of_a_table_phrase_and_of_an_unknown_name() -> None:
    lexicon = fixture_lexicon()
    assert lookup_actor(lexicon, "South Korea")[0].code == "KOR"
    assert lookup_actor(lexicon, "Nobody Atall") == []


def test_actors_command_prints_json_and_exits_3_when_nothing_matches() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["actors", "Vladimir Putin", "--date", "1995-01-01", "--format", "json"],
                out, err) == 0  # fmt: skip
    chosen = json.loads(out.getvalue())[0]
    assert chosen["code"] == "RUSELI" and chosen["in_office"] is False
    out = io.StringIO()
    assert main(["actors", "Nobody Atall"], out, err) == 3
    assert out.getvalue() == "no actor by that name\n"


def test_actors_command_takes_a_user_dictionary(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("name,code,from,to\nVladimir Putin,RUSBUS,1990-01-01,1996-12-31\n")
    out, err = io.StringIO(), io.StringIO()
    main(["actors", "Vladimir Putin", "--date", "1995-01-01", "--dictionary", str(path),
          "--format", "json"], out, err)  # fmt: skip
    chosen = json.loads(out.getvalue())[0]
    assert chosen["kind"] == "user" and chosen["code"] == "RUSBUS"
