"""The DuckDB event store: round trips, idempotent ingest, batches, filters."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.errors import ConfigError, StoreError
from detente.records import EVENT_FIELDS, Actor, Event, Place, Sentence, Span, Story
from detente.store import EventStore, StoreReport, event_id

JPN = Actor("JPNGOV", country="JPN", sector="GOV")
KOR = Actor("KORGOV", country="KOR", sector="GOV", name="Yoon")
CHN = Actor("CHNMIL", country="CHN", sector="MIL")
USA_NOCOUNTRY = Actor("USAGOV")  # country unknown: matched by code prefix only


def ev(
    story_id: str,
    sentence_index: int,
    source: Actor | None,
    target: Actor | None,
    *,
    cameo: str = "042",
    quad: int = 1,
    goldstein: float = 1.9,
    pred: tuple[int, int] | None = (10, 15),
    date: dt.date | None = None,
    modality: str = "asserted",
    location: Place | None = None,
) -> Event:
    return Event(
        story_id=story_id,
        sentence_index=sentence_index,
        sentence=f"Sentence {sentence_index} of {story_id}.",
        source=source,
        target=target,
        source_text=source.code.lower() if source else None,
        target_text=target.code.lower() if target else None,
        cameo=cameo,
        cameo_name=f"code {cameo}",
        goldstein=goldstein,
        quad_class=quad,
        plover="CONSULT" if quad == 1 else None,
        plover_mode="visit" if quad == 1 else None,
        plover_context=("diplomatic",) if quad == 1 else (),
        modality=modality,
        confidence=0.87654,
        date=date,
        location=location,
        source_span=Span(0, 5) if source else None,
        predicate_span=Span(*pred) if pred else None,
        target_span=Span(20, 25) if target else None,
        predicate="visit",
    )


def story(
    sid: str,
    events: list[Event] | None = None,
    *,
    text: str | None = None,
    date: dt.date | None = dt.date(2024, 3, 1),
) -> Story:
    body = text or f"First sentence of {sid}. Second sentence of {sid}."
    first, _, rest = body.partition(". ")
    sentences = [Sentence(0, first + ".", 0)]
    if rest:
        sentences.append(Sentence(1, rest, len(first) + 2))
    return Story(
        id=sid,
        text=body,
        title=f"Title {sid}",
        date=date,
        source="Test Wire",
        url=f"https://example.org/{sid}",
        origin=f"fixture.jsonl:{sid}",
        sentences=sentences,
        events=list(events or []),
    )


def sample_stories() -> list[Story]:
    seoul = Place("Seoul", country="KOR", lat=37.5665, lon=126.978, precision="city")
    return [
        story(
            "s2",
            [
                ev("s2", 1, KOR, JPN, cameo="036", pred=(30, 36), location=seoul),
                ev("s2", 0, JPN, KOR, cameo="042", pred=(12, 18), date=dt.date(2024, 2, 27)),
                ev("s2", 0, JPN, KOR, cameo="043", pred=(3, 8)),
            ],
            date=dt.date(2024, 3, 2),
        ),
        story("s1", [ev("s1", 0, CHN, JPN, cameo="190", quad=4, goldstein=-10.0)]),
        story("s3", [ev("s3", 0, USA_NOCOUNTRY, None, pred=None)], date=None),
    ]


@pytest.fixture
def db(tmp_path):
    with EventStore(tmp_path / "events.duckdb") as store:
        yield store


def test_round_trip_equals_to_dict(db):
    stories = sample_stories()
    report = db.add_stories(stories)
    assert report == StoreReport(
        stories_added=3, stories_skipped=0, stories_replaced=0, sentences_added=6, events_added=5
    )
    got = db.events()
    # order: story date (nulls last), story id, sentence, predicate start
    expected = [
        stories[1].events[0].to_dict(),
        stories[0].events[2].to_dict(),
        stories[0].events[1].to_dict(),
        stories[0].events[0].to_dict(),
        stories[2].events[0].to_dict(),
    ]
    assert got == expected
    for record in got:
        assert tuple(record) == EVENT_FIELDS
    loc = got[3]["location"]
    assert loc == {
        "name": "Seoul",
        "country": "KOR",
        "lat": 37.5665,
        "lon": 126.978,
        "fips": None,
        "admin1": None,
        "precision": "city",
    }
    assert got[0]["location"] is None
    assert got[0]["confidence"] == 0.877
    assert got[4]["evidence"] == {"source": [0, 5], "predicate": None, "target": None}
    assert got[4]["target"] is None and got[4]["source_country"] is None
    assert isinstance(got[0]["plover_context"], list)
    assert got[2]["date"] == "2024-02-27"


def test_types_match_contract(db):
    db.add_stories(sample_stories())
    original = sample_stories()[0].events[0].to_dict()
    stored = db.events(story_id="s2", limit=1, offset=2)[0]
    assert stored == original
    for key in EVENT_FIELDS:
        assert type(stored[key]) is type(original[key]), key


def test_reopen_read_only_keeps_data(tmp_path):
    path = tmp_path / "events.duckdb"
    with EventStore(path) as store:
        store.add_stories(sample_stories())
    with EventStore(path, read_only=True) as store:
        assert store.counts() == {"stories": 3, "sentences": 6, "events": 5}
        assert len(store.events()) == 5


def test_same_stories_twice_adds_nothing(db):
    db.add_stories(sample_stories())
    before = db.events()
    report = db.add_stories(sample_stories(), batch_size=2)
    assert report == StoreReport(stories_skipped=3)
    assert db.counts() == {"stories": 3, "sentences": 6, "events": 5}
    assert db.events() == before


def test_changed_text_replaces(db):
    db.add_stories(sample_stories())
    changed = story(
        "s1",
        [ev("s1", 1, JPN, CHN, cameo="057", quad=1, goldstein=8.0)],
        text="A new first sentence. A corrected second sentence.",
    )
    report = db.add_stories([changed])
    assert report == StoreReport(stories_replaced=1, sentences_added=2, events_added=1)
    assert db.counts() == {"stories": 3, "sentences": 6, "events": 5}
    assert [e["cameo"] for e in db.events(story_id="s1")] == ["057"]
    assert db.story("s1")["text"] == "A new first sentence. A corrected second sentence."


def test_replace_flag_recodes_unchanged_story(db):
    db.add_stories(sample_stories())
    recoded = sample_stories()[1]
    recoded.events = []
    assert db.add_stories([recoded]) == StoreReport(stories_skipped=1)
    assert len(db.events(story_id="s1")) == 1
    report = db.add_stories([recoded], replace=True)
    assert report.stories_replaced == 1 and report.events_added == 0
    assert db.events(story_id="s1") == []


def test_duplicate_id_inside_one_batch(db):
    first = story("d", text="One. Two.")
    second = story("d", text="One. Three.")
    report = db.add_stories([first, first, second])
    assert report.stories_added == 1
    assert report.stories_skipped == 1
    assert report.stories_replaced == 1
    assert db.counts()["stories"] == 1
    assert db.story("d")["text"] == "One. Three."


class Boom(RuntimeError):
    pass


def exploding(stories, after):
    for i, s in enumerate(stories):
        if i == after:
            raise Boom("the reader failed")
        yield s


def many_stories(n: int) -> list[Story]:
    return [
        story(f"m{i:02d}", [ev(f"m{i:02d}", 0, JPN, KOR), ev(f"m{i:02d}", 1, KOR, JPN)])
        for i in range(n)
    ]


def test_failing_batch_keeps_earlier_batches_and_rerun_completes(db):
    stories = many_stories(10)
    with pytest.raises(Boom):
        db.add_stories(exploding(stories, after=7), batch_size=3)
    # batches [0-2] and [3-5] committed; [6, 7) was in flight and is lost
    assert db.counts() == {"stories": 6, "sentences": 12, "events": 12}
    report = db.add_stories(stories, batch_size=3)
    assert report == StoreReport(
        stories_added=4, stories_skipped=6, sentences_added=8, events_added=8
    )
    assert db.counts() == {"stories": 10, "sentences": 20, "events": 20}
    assert len({(e["story_id"], e["sentence_index"]) for e in db.events()}) == 20


def test_database_error_rolls_back_whole_batch(db):
    good = story("ok")
    bad = story("bad")
    bad.sentences.append(Sentence(0, "Duplicate index.", 3))  # two sentences numbered 0
    with pytest.raises(StoreError, match="batch"):
        db.add_stories([good, bad])
    assert db.counts() == {"stories": 0, "sentences": 0, "events": 0}
    assert db.add_stories([good]).stories_added == 1


def test_database_error_mid_batch_rolls_back_rows_already_inserted(db):
    # the stories rows go in first; the sentence without text then breaks NOT NULL
    bad = story("bad")
    bad.sentences.append(Sentence(2, None, 40))
    with pytest.raises(StoreError, match="writing the batch starting at story 'ok'"):
        db.add_stories([story("ok"), bad])
    assert db.counts() == {"stories": 0, "sentences": 0, "events": 0}
    assert db.add_stories([story("ok"), story("bad")]).stories_added == 2


def test_event_of_another_story_is_refused(db):
    with pytest.raises(StoreError, match="holds an event"):
        db.add_stories([story("a", [ev("b", 0, JPN, KOR)])])
    assert db.counts()["stories"] == 0


def test_event_ids_are_stable_and_distinct(db):
    twin = [ev("t", 0, JPN, KOR), ev("t", 0, JPN, KOR)]  # identical in every key
    db.add_stories([story("t", twin)])
    assert len(db.events()) == 2
    ids = [row[0] for row in db.query("SELECT event_id FROM events ORDER BY event_index")]
    assert ids[0] == event_id(twin[0]) and ids[1] == event_id(twin[0], 1)
    assert len(set(ids)) == 2
    assert event_id(twin[0]) == event_id(ev("t", 0, JPN, KOR))
    assert event_id(ev("t", 0, JPN, KOR, cameo="043")) != event_id(twin[0])
    assert event_id(ev("t", 0, JPN, KOR, pred=(1, 2))) != event_id(twin[0])


def test_predicate_and_origin_columns(db):
    db.add_stories(sample_stories())
    rows = db.query("SELECT DISTINCT predicate, origin FROM events")
    assert rows == [("visit", "detente")]
    actors = db.query("SELECT role, code, country, sector, name FROM actors WHERE code = 'KORGOV'")
    assert ("source", "KORGOV", "KOR", "GOV", "Yoon") in actors


def test_dyad_filter_both_directions_and_directed(db):
    db.add_stories(sample_stories())
    both = db.events(dyad=("JPN", "KOR"))
    assert {(e["source"], e["target"]) for e in both} == {
        ("JPNGOV", "KORGOV"),
        ("KORGOV", "JPNGOV"),
    }
    assert len(both) == 3
    assert len(db.events(dyad=("kor", "jpn"))) == 3
    directed = db.events(dyad=("JPN", "KOR"), directed=True)
    assert [(e["source"], e["target"]) for e in directed] == [("JPNGOV", "KORGOV")] * 2
    reverse = db.events(dyad=("KOR", "JPN"), directed=True)
    assert [e["cameo"] for e in reverse] == ["036"]
    assert [e["cameo"] for e in db.events(dyad=("CHN", "JPN"))] == ["190"]
    assert db.events(dyad=("CHN", "KOR")) == []


def test_dyad_matches_code_prefix_without_country(db):
    s = story("u", [ev("u", 0, USA_NOCOUNTRY, Actor("CHNGOV"))])
    db.add_stories([s])
    assert len(db.events(dyad=("USA", "CHN"))) == 1
    assert len(db.events(dyad=("CHN", "USA"), directed=True)) == 0


def test_date_filters_limit_offset(db):
    db.add_stories(sample_stories())
    assert [e["story_id"] for e in db.events(since="2024-03-02")] == ["s2", "s2"]
    # the s2 event dated 2024-02-27 falls before its story's date
    assert [e["cameo"] for e in db.events(until=dt.date(2024, 2, 28))] == ["042"]
    assert [e["cameo"] for e in db.events(since="2024-03-01", until="2024-03-01")] == ["190"]
    assert len(db.events(limit=2)) == 2
    assert [e["story_id"] for e in db.events(limit=2, offset=3)] == ["s2", "s3"]
    assert db.events(limit=0) == []
    with pytest.raises(ConfigError):
        db.events(since="yesterday")
    with pytest.raises(ConfigError):
        db.events(limit=-1)


def test_story_stories_counts_latest(db):
    assert db.latest_story_id() is None
    assert db.counts() == {"stories": 0, "sentences": 0, "events": 0}
    assert db.story("s1") is None
    db.add_stories(sample_stories())
    s = db.story("s2")
    assert s["title"] == "Title s2" and s["date"] == "2024-03-02"
    assert s["origin"] == "fixture.jsonl:s2"
    assert [x["index"] for x in s["sentences"]] == [0, 1]
    assert s["sentences"][1]["start_char"] == len("First sentence of s2") + 2
    assert len(s["events"]) == 3
    listing = db.stories()
    assert [x["id"] for x in listing] == ["s1", "s2", "s3"]
    assert listing[1]["events"] == 3 and listing[1]["sentences"] == 2
    assert "text" not in listing[0]
    assert [x["id"] for x in db.stories(limit=1, offset=1)] == ["s2"]
    assert db.latest_story_id() == "s2"
    db.add_stories([story("s0", date=dt.date(2024, 3, 2))])
    assert db.latest_story_id() == "s2"  # same date: the greater id
    db.add_stories([story("s9", date=dt.date(2025, 1, 1))])
    assert db.latest_story_id() == "s9"


def test_read_only_refuses_writes(tmp_path):
    path = tmp_path / "events.duckdb"
    with EventStore(path) as store:
        store.add_stories(sample_stories()[:1])
    with EventStore(path, read_only=True) as store:
        with pytest.raises(StoreError, match="read-only"):
            store.add_stories(sample_stories())
        with pytest.raises(StoreError):
            store.query("DELETE FROM events")
        assert store.counts()["events"] == 3


def test_read_only_missing_file(tmp_path):
    with pytest.raises(StoreError, match="no event store"):
        EventStore(tmp_path / "absent.duckdb", read_only=True)
    assert not (tmp_path / "absent.duckdb").exists()


def test_not_a_store_and_closed(tmp_path):
    junk = tmp_path / "junk.duckdb"
    junk.write_text("this is not a database")
    with pytest.raises(StoreError):
        EventStore(junk)
    store = EventStore(tmp_path / "sub" / "dir" / "e.duckdb")
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.counts()


def test_bad_arguments(db):
    with pytest.raises(ConfigError):
        db.add_stories([], batch_size=0)
    with pytest.raises(ConfigError):
        db.events(dyad=("JPN",))
    with pytest.raises(ConfigError):
        db.events(dyad=("JPN", ""))
    assert db.add_stories([]) == StoreReport()


def test_in_memory_store():
    with EventStore(":memory:") as store:
        store.add_stories(sample_stories())
        assert store.counts()["events"] == 5


def test_the_buffer_pool_is_capped_so_long_ingests_stay_flat(tmp_path):
    with EventStore(tmp_path / "capped.duckdb", memory_limit="256MB") as store:
        (limit,) = store.query("SELECT current_setting('memory_limit')")[0]
    assert limit.endswith("MiB") and float(limit.split()[0]) < 300


def test_memory_capped_lowers_the_limit_for_a_block_only(tmp_path):
    def limit(store):
        return store.query("SELECT current_setting('memory_limit')")[0][0]

    with EventStore(tmp_path / "a.duckdb", memory_limit="512MB") as store:
        assert limit(store) == "488.2 MiB"
        with store.memory_capped("64MB"):
            assert limit(store) == "61.0 MiB"
            store.add_stories(sample_stories())
        assert limit(store) == "488.2 MiB"
        with pytest.raises(RuntimeError), store.memory_capped("128MB"):
            assert limit(store) == "122.0 MiB"
            raise RuntimeError("the block failed")
        assert limit(store) == "488.2 MiB"
        # never raised: a cap above the store's own limit leaves it alone
        with store.memory_capped("2GB"):
            assert limit(store) == "488.2 MiB"
        assert store.counts()["events"] == 5
    with EventStore(tmp_path / "b.duckdb", memory_limit="100MB") as small:
        with small.memory_capped("128MB"):
            assert limit(small) == "95.3 MiB"
        assert limit(small) == "95.3 MiB"


def test_ingest_jobs_write_under_the_ingest_cap(tmp_path):
    from detente.jobs import INGEST_MEMORY_LIMIT, IngestResult, store_coded

    seen = []

    def coded(store):
        for story in sample_stories():
            seen.append(store.query("SELECT current_setting('memory_limit')")[0][0])
            yield story

    with EventStore(tmp_path / "j.duckdb") as store:
        result = store_coded(store, coded(store), IngestResult(), batch_size=2)
        assert result.stored.stories_added == 3 and store.counts()["events"] == 5
        assert store.query("SELECT current_setting('memory_limit')")[0][0] == "488.2 MiB"
    assert INGEST_MEMORY_LIMIT == "128MB" and set(seen) == {"122.0 MiB"}
