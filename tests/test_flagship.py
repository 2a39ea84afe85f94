"""The report the project grew from, read from ../shared when present (never copied in)."""

import datetime as dt
from pathlib import Path

import pytest

SEED = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "corpora"
    / "seed_japan_korea_rapprochement.txt"
)
pytestmark = pytest.mark.skipif(not SEED.exists(), reason="shared corpus not present")


@pytest.fixture(scope="module")
def events(coder):
    return [
        e.to_dict() for e in coder.code_text(SEED.read_text(encoding="utf-8"), dt.date(2025, 9, 10))
    ]


def countries(e):
    return (e["source_country"], e["target_country"])


def test_defence_ministers_meeting_in_seoul_is_coded_both_ways(events):
    meeting = [e for e in events if "Ahn Gyu-back" in e["sentence"] and e["root"] == "04"]
    assert {countries(e) for e in meeting} == {("KOR", "JPN"), ("JPN", "KOR")}
    assert all(
        e["location"]["name"] == "Seoul" and e["location"]["country"] == "KOR" for e in meeting
    )


def test_first_visit_by_japanese_minister_targets_south_korea(events):
    visit = [e for e in events if e["sentence"].startswith("It was the first visit")]
    assert [(countries(e), e["cameo"]) for e in visit] == [(("JPN", "KOR"), "042")]


def test_lee_visit_to_tokyo(events):
    visit = [e for e in events if "first visit after his election" in e["sentence"]]
    assert [(countries(e), e["root"]) for e in visit] == [(("KOR", "JPN"), "04")]


def test_both_countries_toward_the_united_states(events):
    for cue in ("Both reaffirmed their commitment", "Both countries recently signed"):
        found = {
            countries(e)
            for e in events
            if e["sentence"].startswith(cue) and e["target_country"] == "USA"
        }
        assert found == {("JPN", "USA"), ("KOR", "USA")}, cue


def test_no_event_from_purely_historical_sentences(events):
    historical = ("It’s no secrete", "Some sensitive issues", "Since 1965")
    assert not [e for e in events if e["sentence"].startswith(historical)]


def test_north_korea_is_never_a_party(events):
    assert not [e for e in events if "PRK" in countries(e)]
