"""Dyad series aggregated in SQL from a small hand-made store."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.analysis import dyad_series, format_series_table
from detente.errors import ConfigError
from detente.records import Actor, DyadPoint, Event, Span, Story
from detente.store import EventStore

JPN = Actor("JPNGOV", country="JPN", sector="GOV")
KOR = Actor("KORGOV", country="KOR", sector="GOV")
KOR_NOCOUNTRY = Actor("KORMIL")
CHN = Actor("CHNGOV", country="CHN", sector="GOV")

QUAD_CODES = {
    0: ("010", 0.0),
    1: ("042", 1.9),
    2: ("057", 8.0),
    3: ("111", -2.0),
    4: ("190", -10.0),
}


def ev(sid, i, src, tgt, quad, *, modality="asserted", date=None, goldstein=None):
    cameo, gold = QUAD_CODES[quad]
    return Event(
        story_id=sid,
        sentence_index=i,
        sentence=f"Sentence {i}.",
        source=src,
        target=tgt,
        source_text=src.code,
        target_text=tgt.code,
        cameo=cameo,
        cameo_name=f"code {cameo}",
        goldstein=gold if goldstein is None else goldstein,
        quad_class=quad,
        plover=None,
        plover_mode=None,
        plover_context=(),
        modality=modality,
        date=date,
        predicate_span=Span(i, i + 1),
    )


def st(sid, date, events):
    return Story(id=sid, text=f"Text of {sid}.", date=date, events=events)


@pytest.fixture
def store(tmp_path):
    stories = [
        # January: one of each quad class, JPN->KOR and KOR->JPN
        st(
            "jan",
            dt.date(2024, 1, 10),
            [
                ev("jan", 0, JPN, KOR, 1),
                ev("jan", 1, KOR, JPN, 2),
                ev("jan", 2, JPN, KOR, 3),
                ev("jan", 3, KOR_NOCOUNTRY, JPN, 4),
                ev("jan", 4, JPN, KOR, 0),  # neutral: counted in events only
                ev("jan", 5, JPN, KOR, 1, modality="negated"),
                ev("jan", 6, JPN, KOR, 4, modality="hypothetical"),
                ev("jan", 7, JPN, KOR, 4, modality="future"),
                ev("jan", 8, JPN, KOR, 1, modality="reported"),
                ev("jan", 9, CHN, JPN, 4),  # another dyad
            ],
        ),
        # nothing in February; an event dated in April inside a March story
        st(
            "mar",
            dt.date(2024, 3, 31),
            [
                ev("mar", 0, JPN, KOR, 2),
                ev("mar", 1, KOR, JPN, 3, date=dt.date(2024, 4, 2)),
            ],
        ),
        # undated story and event: left out of every series
        st("undated", None, [ev("undated", 0, JPN, KOR, 1)]),
        # undated story, dated event: kept
        st("later", None, [ev("later", 0, JPN, KOR, 1, date=dt.date(2024, 6, 3))]),
    ]
    with EventStore(tmp_path / "series.duckdb") as s:
        s.add_stories(stories)
        yield s


def test_monthly_undirected_counts(store):
    points = dyad_series(store, "JPN", "KOR")
    assert [p.period for p in points] == [dt.date(2024, m, 1) for m in (1, 2, 3, 4, 5, 6)]
    jan = points[0]
    assert jan == DyadPoint(
        period=dt.date(2024, 1, 1),
        events=6,  # q1, q2, q3, q4, neutral, reported q1
        verbal_cooperation=2,
        material_cooperation=1,
        verbal_conflict=1,
        material_conflict=1,
        goldstein_sum=pytest.approx(1.9 + 8.0 - 2.0 - 10.0 + 0.0 + 1.9),
        goldstein_mean=pytest.approx((1.9 + 8.0 - 2.0 - 10.0 + 1.9) / 6),
        cooperation_share=pytest.approx(3 / 5),
    )
    feb = points[1]
    assert feb == DyadPoint(dt.date(2024, 2, 1), 0, 0, 0, 0, 0, 0.0, None, None)
    assert points[2].material_cooperation == 1 and points[2].events == 1
    assert points[3].verbal_conflict == 1 and points[3].cooperation_share == 0.0
    assert points[4].events == 0
    assert points[5].verbal_cooperation == 1 and points[5].cooperation_share == 1.0


def test_only_neutral_period_has_no_share(store):
    store.add_stories([st("n", dt.date(2023, 12, 5), [ev("n", 0, JPN, KOR, 0)])])
    dec = dyad_series(store, "JPN", "KOR")[0]
    assert dec.period == dt.date(2023, 12, 1)
    assert dec.events == 1 and dec.cooperation_share is None
    assert dec.goldstein_mean == 0.0


def test_directed(store):
    jk = dyad_series(store, "JPN", "KOR", directed=True, include_empty=False)
    kj = dyad_series(store, "KOR", "JPN", directed=True, include_empty=False)
    assert [(p.period.month, p.events) for p in jk] == [(1, 4), (3, 1), (6, 1)]
    assert [(p.period.month, p.events) for p in kj] == [(1, 2), (4, 1)]
    assert kj[0].material_cooperation == 1 and kj[0].material_conflict == 1  # KORMIL by prefix


def test_without_empty_periods(store):
    points = dyad_series(store, "JPN", "KOR", include_empty=False)
    assert [p.period.month for p in points] == [1, 3, 4, 6]


def test_week_day_year(store):
    weeks = dyad_series(store, "JPN", "KOR", freq="week")
    assert weeks[0].period == dt.date(2024, 1, 8)  # the Monday of 2024-01-10
    assert weeks[0].period.weekday() == 0
    assert all(
        b.period - a.period == dt.timedelta(days=7) for a, b in zip(weeks, weeks[1:], strict=False)
    )
    assert weeks[-1].period == dt.date(2024, 6, 3)
    assert sum(p.events for p in weeks) == 9

    days = dyad_series(store, "JPN", "KOR", freq="day", since="2024-03-01", until="2024-04-30")
    assert [p.period for p in days][0] == dt.date(2024, 3, 31)
    assert [p.events for p in days] == [1, 0, 1]

    years = dyad_series(store, "KOR", "JPN", freq="year")
    assert [(p.period, p.events) for p in years] == [(dt.date(2024, 1, 1), 9)]


def test_other_dyads_and_empty(store):
    chn = dyad_series(store, "JPN", "CHN")
    assert [(p.period, p.material_conflict) for p in chn] == [(dt.date(2024, 1, 1), 1)]
    assert dyad_series(store, "CHN", "KOR") == []
    assert dyad_series(store, "JPN", "CHN", directed=True) == []


def test_bad_freq(store):
    with pytest.raises(ConfigError, match="freq"):
        dyad_series(store, "JPN", "KOR", freq="quarter")


def test_format_series_table(store):
    table = format_series_table(dyad_series(store, "JPN", "KOR"))
    lines = table.splitlines()
    assert lines[0].split() == [
        "period",
        "events",
        "verb.coop",
        "mat.coop",
        "verb.confl",
        "mat.confl",
        "gold.sum",
        "gold.mean",
        "coop.share",
    ]
    assert set(lines[1]) <= {"-", " "}
    assert lines[2].split() == ["2024-01-01", "6", "2", "1", "1", "1", "-0.20", "-0.03", "0.600"]
    assert lines[3].split() == ["2024-02-01", "0", "0", "0", "0", "0", "0.00", "-", "-"]
    assert len(lines) == 2 + 6
    assert len({len(line) for line in lines[2:]}) == 1  # aligned columns
    assert "(no events)" in format_series_table([])
