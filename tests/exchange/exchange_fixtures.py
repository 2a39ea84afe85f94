"""Hand-made stories and events for the export and import tests."""

from __future__ import annotations

import datetime as dt

from detente.records import Actor, Event, Place, Sentence, Span, Story

SEOUL = Place("Seoul", "KOR", 37.5665, 126.978, "KS", None, "city")
JAPAN = Place("Japan", "JPN", None, None, "JA", None, "country")
WASHINGTON = Place("Washington", "USA", 38.9072, -77.0369, "US", None, "city")


def make_event(
    story_id: str,
    sentence_index: int,
    source: Actor | None,
    target: Actor | None,
    cameo: str,
    *,
    name: str,
    quad: int,
    goldstein: float,
    plover: str | None = None,
    mode: str | None = None,
    context: tuple[str, ...] = (),
    date: dt.date | None = None,
    location: Place | None = None,
    pred: tuple[int, int] = (10, 15),
) -> Event:
    return Event(
        story_id=story_id,
        sentence_index=sentence_index,
        sentence=f"Sentence {sentence_index} of {story_id}.",
        source=source,
        target=target,
        source_text=f"{source.code} words" if source else None,
        target_text=f"{target.code} words" if target else None,
        cameo=cameo,
        cameo_name=name,
        goldstein=goldstein,
        quad_class=quad,
        plover=plover,
        plover_mode=mode,
        plover_context=context,
        confidence=0.8,
        date=date,
        location=location,
        source_span=Span(0, 5) if source else None,
        predicate_span=Span(*pred),
        target_span=Span(20, 25) if target else None,
        predicate="visit",
    )


def build_stories() -> list[Story]:
    kor_gov = Actor("KORGOV", country="KOR", sector="GOV")
    jpn_gov = Actor("JPNGOV", country="JPN", sector="GOV")
    jpn = Actor("JPN", country="JPN")
    kor = Actor("KOR", country="KOR")
    usa_gov = Actor("USAGOV", country="USA", sector="GOV")
    uno = Actor("IGOUNO")
    chn_mil = Actor("CHNMIL", country="CHN", sector="MIL")
    s1 = [
        make_event(
            "s1", 0, kor_gov, jpn_gov, "042", name="Make a visit", quad=1, goldstein=1.9,
            plover="CONSULT", mode="visit", context=("diplomatic",),
            date=dt.date(2025, 10, 1), location=SEOUL,
        ),
        make_event(
            "s1", 1, jpn, kor, "010", name="Make statement", quad=0, goldstein=0.0,
            location=JAPAN, pred=(30, 35),
        ),
        make_event(
            "s1", 1, usa_gov, uno, "190", name="Use conventional military force", quad=4,
            goldstein=-10.0, plover="ASSAULT", context=("military",),
            date=dt.date(2025, 10, 2), location=WASHINGTON, pred=(40, 45),
        ),
        make_event(
            "s1", 1, chn_mil, kor, "0311", name="Express intent to cooperate economically",
            quad=1, goldstein=5.2, plover="AGREE", context=("economic",),
            date=dt.date(2025, 10, 3), pred=(50, 55),
        ),
    ]  # fmt: skip
    s2 = [
        make_event(
            "s2", 0, jpn, kor, "042", name="Make a visit", quad=1, goldstein=1.9,
            plover="CONSULT", mode="visit",
        )
    ]  # fmt: skip
    return [
        Story(
            id="s1",
            text="Sentence 0 of s1. Sentence 1 of s1.",
            title="S1",
            date=dt.date(2025, 10, 2),
            source="Test Wire",
            url="https://example.org/s1",
            sentences=[Sentence(0, "Sentence 0 of s1.", 0), Sentence(1, "Sentence 1 of s1.", 18)],
            events=s1,
        ),
        # No story date and no event date: GDELT rows cannot be written for it.
        Story(id="s2", text="Sentence 0 of s2.", date=None, url=None, events=s2),
    ]
