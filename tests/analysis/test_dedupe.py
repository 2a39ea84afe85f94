"""Deduplicated events: one row per (day, source, target, CAMEO) with GDELT-style counts."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.analysis import dyad_series
from detente.analysis.dedupe import deduplicated_events, deduplicated_series
from detente.records import EVENT_FIELDS, Actor, Event, Span, Story
from detente.store import MIGRATIONS, EventStore
from detente.store.near_duplicates import mark_near_duplicates

JPN = Actor("JPNGOV", country="JPN", sector="GOV")
KOR = Actor("KORGOV", country="KOR", sector="GOV")
CHN = Actor("CHNGOV", country="CHN", sector="GOV")
DAY = dt.date(2023, 3, 16)

TEXT = (
    "Japanese Prime Minister Fumio Kishida and South Korean President Yoon Suk Yeol held "
    "a summit in Tokyo on Thursday, the first such visit in twelve years, and agreed to "
    "resume regular shuttle diplomacy and to restore each other to trade white lists. "
    "The two leaders said they would work together on security in the region."
)


def ev(sid, i, src=JPN, tgt=KOR, cameo="036", *, date=None, modality="asserted", conf=0.8):
    gold, quad = {"036": (4.0, 1), "111": (-2.0, 3), "057": (8.0, 2)}[cameo]
    return Event(
        story_id=sid,
        sentence_index=i,
        sentence=f"Sentence {i} of {sid}.",
        source=src,
        target=tgt,
        source_text=src.code,
        target_text=tgt.code,
        cameo=cameo,
        cameo_name=f"code {cameo}",
        goldstein=gold,
        quad_class=quad,
        plover=None,
        plover_mode=None,
        plover_context=(),
        modality=modality,
        confidence=conf,
        date=date,
        predicate_span=Span(i, i + 1),
    )


def st(sid, date, source, events, text=None):
    return Story(id=sid, text=text or f"Text of {sid}.", date=date, source=source, events=events)


@pytest.fixture
def store(tmp_path):
    with EventStore(tmp_path / "d.duckdb") as s:
        s.add_stories(
            [
                # three stories from two outlets report the summit; one mentions it twice
                st("a1", DAY, "Asahi", [ev("a1", 0), ev("a1", 2, conf=0.9)]),
                st("a2", DAY, "Asahi", [ev("a2", 0, conf=0.95)]),
                st("y1", DAY + dt.timedelta(days=1), "Yonhap", [ev("y1", 1, date=DAY)]),
                # same dyad and day, other code; other day; reversed direction
                st("c1", DAY, None, [ev("c1", 0, cameo="057"), ev("c1", 1, tgt=CHN)]),
                st(
                    "d1",
                    DAY + dt.timedelta(days=40),
                    "Yonhap",
                    [
                        ev("d1", 0, KOR, JPN, "111"),
                        ev("d1", 1, KOR, JPN, "111", modality="negated"),
                        ev("d1", 2, KOR, JPN, "111", modality="hypothetical"),
                    ],
                ),
                st("u1", None, None, [ev("u1", 0, KOR, CHN), ev("u1", 1, KOR, CHN)]),
            ]
        )
        yield s


def test_mentions_fold_into_one_event(store):
    records = deduplicated_events(store, ("JPN", "KOR"))
    assert [(r["date"], r["source"], r["target"], r["cameo"]) for r in records] == [
        ("2023-03-16", "JPNGOV", "KORGOV", "036"),
        ("2023-03-16", "JPNGOV", "KORGOV", "057"),
        ("2023-04-25", "KORGOV", "JPNGOV", "111"),
    ]
    summit = records[0]
    assert set(EVENT_FIELDS) <= set(summit)
    assert (summit["num_mentions"], summit["num_sources"], summit["num_articles"]) == (4, 2, 3)
    assert summit["num_original_articles"] == 3
    assert summit["story_ids"] == ["a1", "a2", "y1"]
    assert len(summit["mention_ids"]) == 4
    raw = {e["story_id"]: e for e in store.events(dyad=("JPN", "KOR"))}
    # the representative: earliest story, then the most confident mention
    assert summit["story_id"] == "a2" and summit["confidence"] == 0.95
    assert raw["a2"]["sentence"] == summit["sentence"]
    # only occurred events count; a story without a source is a source of its own
    assert records[2]["num_mentions"] == 1
    assert records[1]["num_sources"] == 1


def test_raw_mentions_stay_and_filters_apply(store):
    assert store.counts()["events"] == 11
    assert len(deduplicated_events(store)) == 6  # undated events stay, one each
    assert [r["date"] for r in deduplicated_events(store)][-2:] == [None, None]
    assert len(deduplicated_events(store, ("KOR", "JPN"), directed=True)) == 1
    assert len(deduplicated_events(store, ("JPN", "CHN"))) == 1
    assert len(deduplicated_events(store, since="2023-04-01")) == 1
    assert len(deduplicated_events(store, until=DAY)) == 3
    assert len(deduplicated_events(store, limit=2, offset=1)) == 2


def test_series_counts_each_event_once(store):
    raw = dyad_series(store, "JPN", "KOR", freq="month")
    deduped = deduplicated_series(store, "JPN", "KOR", freq="month")
    assert [p.events for p in raw] == [5, 1]
    assert [p.events for p in deduped] == [2, 1]
    assert deduped[0].goldstein_sum == pytest.approx(12.0)
    assert deduped[0].cooperation_share == 1.0
    assert deduplicated_series(store, "JPN", "USA") == []


def test_near_duplicate_story_counts_as_an_article_not_an_event(tmp_path):
    with EventStore(tmp_path / "n.duckdb") as store:
        store.add_stories(
            [
                st("orig", DAY, "Kyodo", [ev("orig", 0)], text=TEXT),
                # a wire copy, re-dated a day later by the outlet, with a trailing line
                st(
                    "copy",
                    DAY + dt.timedelta(days=1),
                    "JapanToday",
                    [ev("copy", 0)],
                    text=TEXT + " (Kyodo)",
                ),
            ]
        )
        assert len(deduplicated_events(store)) == 2
        assert mark_near_duplicates(store) == 1
        (record,) = deduplicated_events(store)
        assert record["date"] == DAY.isoformat()
        assert record["story_id"] == "orig"
        assert (record["num_mentions"], record["num_sources"], record["num_articles"]) == (
            2,
            2,
            2,
        )
        assert record["num_original_articles"] == 1
        assert [p.events for p in deduplicated_series(store, "JPN", "KOR", freq="day")] == [1]


def test_old_store_is_migrated(tmp_path):
    class V1Store(EventStore):
        migrations = MIGRATIONS[:1]

    path = tmp_path / "old.duckdb"
    with V1Store(path) as old:
        old.add_stories([st("a1", DAY, "Asahi", [ev("a1", 0)])])
    with EventStore(path) as store:
        assert store.schema_version == len(MIGRATIONS)
        assert [r["num_mentions"] for r in deduplicated_events(store)] == [1]
        assert store.query("SELECT duplicate_of FROM stories") == [(None,)]
