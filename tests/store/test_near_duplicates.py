"""Near-duplicate stories: MinHash over word shingles, in memory and kept in the store."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from detente.errors import ConfigError, StoreError
from detente.records import Story
from detente.store import EventStore
from detente.store.near_duplicates import (
    MinHasher,
    MinHashScheme,
    NearDuplicateIndex,
    mark_near_duplicates,
    near_duplicates,
    shingles,
    similarity,
)

WIRE = (
    "Japanese Prime Minister Shigeru Ishiba met South Korean President Lee Jae-myung in "
    "Tokyo on Saturday, and the two leaders agreed to deepen cooperation on trade, "
    "security and the supply of critical minerals. Lee said the neighbours should look "
    "to the future while facing history squarely. Ishiba said Japan valued the "
    "relationship and hoped for regular shuttle diplomacy between the two capitals. "
    "Officials said a joint statement would follow later in the week after talks "
    "between the foreign ministers in Seoul."
)
TYPO = WIRE.replace("critical minerals", "critcal minerals")
TRAILER = WIRE + " Reporting by Kim Min-ji; editing by Ed Smith."
OTHER = (
    "South Korea lodged a protest with Japan on Tuesday after Tokyo repeated its claim "
    "to the Dokdo islets in an annual defence white paper, summoning a senior diplomat "
    "of the Japanese embassy in Seoul to the foreign ministry to deliver the complaint."
)


def test_shingles_normalise_case_and_punctuation():
    assert shingles("Japan, and KOREA met!", 2) == {"japan and", "and korea", "korea met"}
    assert shingles("Hi", 3) == {"hi"}
    assert shingles("  ", 3) == set()


def test_signatures_estimate_jaccard():
    hasher = MinHasher()
    a, b = hasher.signature(WIRE), hasher.signature(TRAILER)
    assert a.shape == (128,) and a.dtype == np.uint64
    exact = len(shingles(WIRE) & shingles(TRAILER)) / len(shingles(WIRE) | shingles(TRAILER))
    assert similarity(a, b) == pytest.approx(exact, abs=0.1)
    assert similarity(a, hasher.signature(OTHER)) < 0.2
    # the same scheme gives the same signature in another process
    assert np.array_equal(MinHasher(MinHashScheme()).signature(WIRE), a)


def test_index_finds_edited_copies_and_names_the_original():
    index = NearDuplicateIndex()
    assert index.add("wire", WIRE) is None
    assert index.add("other", OTHER) is None
    assert index.add("typo", TYPO) == "wire"
    assert index.add("trailer", TRAILER) == "wire"
    assert index.add("again", WIRE) == "wire"
    assert len(index) == 5 and "typo" in index
    assert [sid for sid, _ in index.query(TRAILER)][:1] == ["trailer"]
    assert index.query("Something else entirely about the weather in Oslo.") == []


def test_index_threshold():
    strict = NearDuplicateIndex(threshold=1.0)
    strict.add("wire", WIRE)
    assert strict.add("typo", TYPO) is None
    assert strict.add("same", WIRE) == "wire"
    for bad in (0, 1.5, "0.8", True):
        with pytest.raises(ConfigError):
            NearDuplicateIndex(threshold=bad)
    with pytest.raises(ConfigError):
        MinHashScheme(num_perm=100, bands=32)


def story(sid, text, date, title=None, source=None):
    return Story(id=sid, text=text, date=date, title=title, source=source)


def test_mark_near_duplicates_in_the_store(tmp_path):
    path = tmp_path / "s.duckdb"
    d = dt.date(2025, 8, 23)
    with EventStore(path) as store:
        store.add_stories(
            [
                # the copy is ingested first but dated later: the earlier story is the original
                story("copy", TRAILER, d + dt.timedelta(days=1), title="Leaders agree", source="B"),
                story("orig", WIRE, d, title="Ishiba and Lee meet in Tokyo", source="A"),
                story("other", OTHER, d),
            ]
        )
        assert mark_near_duplicates(store) == 1
        assert near_duplicates(store) == [
            {"id": "copy", "duplicate_of": "orig", "similarity": pytest.approx(0.9, abs=0.1)}
        ]
        assert store.query("SELECT count(*) FROM story_signatures") == [(3,)]
        assert store.query("SELECT count(*) FROM story_bands") == [(3 * 32,)]
        assert mark_near_duplicates(store) == 1  # idempotent

    # a later ingest finds copies of the stories stored earlier
    with EventStore(path) as store:
        store.add_stories([story("typo", TYPO, d + dt.timedelta(days=2))])
        assert mark_near_duplicates(store) == 2
        marked = {r["id"]: r["duplicate_of"] for r in near_duplicates(store)}
        assert marked == {"copy": "orig", "typo": "orig"}
        index = NearDuplicateIndex.from_store(store)
        assert len(index) == 4
        assert index.add("late", WIRE + " Updated.") == "orig"

        # a story replaced with other content is hashed again and stops being a copy
        store.add_stories([story("typo", "A wholly new text about rice prices in Osaka.", d)])
        assert mark_near_duplicates(store) == 1
        assert {r["id"] for r in near_duplicates(store)} == {"copy"}
        assert store.query("SELECT count(*) FROM story_signatures") == [(4,)]


def test_copy_of_a_copy_points_at_the_original(tmp_path):
    # B copies A closely, C copies B closely but A only loosely
    base = WIRE.split()
    a = " ".join(base)
    b = " ".join(base[:-8] + ["later", "they", "met", "again", "in", "Busan", "for", "dinner."])
    c = " ".join(base[:-16] + b.split()[-16:] + ["An", "extra", "closing", "line", "here."])
    with EventStore(tmp_path / "s.duckdb") as store:
        store.add_stories(
            [
                story("a", a, dt.date(2025, 1, 1)),
                story("b", b, dt.date(2025, 1, 2)),
                story("c", c, dt.date(2025, 1, 3)),
            ]
        )
        mark_near_duplicates(store, threshold=0.7)
        assert {r["id"]: r["duplicate_of"] for r in near_duplicates(store)} == {
            "b": "a",
            "c": "a",
        }


def test_read_only_store_is_refused(tmp_path):
    path = tmp_path / "s.duckdb"
    EventStore(path).close()
    with EventStore(path, read_only=True) as store, pytest.raises(StoreError):
        mark_near_duplicates(store)


# -- the batched pass against the whole-corpus-in-memory one ------------------------------


def reference_marks(stories, threshold=0.8):
    """What mark_near_duplicates computed before it was batched: every signature in
    memory, candidate pairs from shared band hashes, stories assigned oldest first."""
    hasher = MinHasher()
    signatures = {s.id: hasher.signature(s.text) for s in stories}
    buckets: dict[tuple[int, int], set[str]] = {}
    for sid, signature in signatures.items():
        for band, value in enumerate(hasher.bands(signature)):
            buckets.setdefault((band, value), set()).add(sid)
    neighbours: dict[str, set[str]] = {}
    for members in buckets.values():
        for a in members:
            neighbours.setdefault(a, set()).update(members - {a})
    dates = {s.id: s.date for s in stories}
    order = sorted(
        (sid for sid in neighbours if neighbours[sid]),
        key=lambda sid: (dates[sid] is None, dates[sid] or dt.date.min, sid),
    )
    rank = {sid: i for i, sid in enumerate(order)}
    assignment: dict[str, tuple[str, float]] = {}
    for sid in order:
        best = None
        for other in neighbours[sid]:
            if rank[other] > rank[sid]:
                continue
            sim = similarity(signatures[sid], signatures[other])
            if sim >= threshold and (
                best is None or sim > best[1] or (sim == best[1] and rank[other] < rank[best[0]])
            ):
                best = (other, sim)
        if best is not None:
            original = assignment[best[0]][0] if best[0] in assignment else best[0]
            assignment[sid] = (original, best[1])
    return assignment


def corpus(families=6, seed=3):
    """Originals, edited copies, copies of copies, exact copies (ties), undated stories."""
    import random

    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(400)]
    out = []
    for f in range(families):
        words = [rng.choice(vocabulary) for _ in range(60)]
        day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(30))
        out.append(story(f"f{f}-orig", " ".join(words), day))
        drift = list(words)
        for c in range(rng.randint(2, 6)):
            drift[rng.randrange(len(drift))] = rng.choice(vocabulary)  # a copy of the copy
            date = None if c == 3 else day + dt.timedelta(days=rng.randrange(-3, 4))
            out.append(story(f"f{f}-c{c}", " ".join(drift), date))
        out.append(story(f"f{f}-same", " ".join(words), day))  # identical: a tie at 1.0
        out.append(story(f"f{f}-loose", " ".join(words[:30] + drift[30:] + ["end"]), None))
    for i in range(8):
        out.append(story(f"lone{i}", " ".join(rng.choice(vocabulary) for _ in range(50)), None))
    # no words at all: every signature value is the maximum, so these match each other
    out += [story("blank-a", "...", dt.date(2025, 2, 1)), story("blank-b", "— —", None)]
    rng.shuffle(out)
    return out


def marks(store):
    return {r["id"]: (r["duplicate_of"], r["similarity"]) for r in near_duplicates(store)}


@pytest.mark.parametrize("threshold", [0.8, 0.6])
def test_batched_pass_equals_the_unbatched_one(tmp_path, monkeypatch, threshold):
    from detente.store import near_duplicates as nd

    stories = corpus()
    chunks = []
    write = nd._write_signatures
    monkeypatch.setattr(
        nd, "_write_signatures", lambda s, h, rows: (chunks.append(len(rows)), write(s, h, rows))
    )
    expected = reference_marks(stories, threshold)
    assert len(expected) >= 10 and len({o for o, _ in expected.values()}) >= 4

    monkeypatch.setattr(nd, "_PAIR_CHUNK", 5)  # candidate pairs compared 5 at a time
    with EventStore(tmp_path / "small.duckdb") as small:
        small.add_stories(stories)
        assert mark_near_duplicates(small, threshold=threshold, chunk_size=3) == len(expected)
        assert marks(small) == expected
        # hashed three stories at a time, in several chunks
        assert sum(chunks) == len(stories) and max(chunks) == 3
        assert len(chunks) == -(-len(stories) // 3) > 10
        signatures = small.query("SELECT * FROM story_signatures ORDER BY story_id")
        bands = small.query("SELECT * FROM story_bands ORDER BY story_id, band")

    monkeypatch.setattr(nd, "_PAIR_CHUNK", 20_000)
    with EventStore(tmp_path / "large.duckdb") as large:
        large.add_stories(stories)
        assert mark_near_duplicates(large, threshold=threshold, chunk_size=10_000) == len(expected)
        assert marks(large) == expected
        assert large.query("SELECT * FROM story_signatures ORDER BY story_id") == signatures
        assert large.query("SELECT * FROM story_bands ORDER BY story_id, band") == bands


def test_batched_pass_follows_later_ingests(tmp_path, monkeypatch):
    from detente.store import near_duplicates as nd

    hashed = []
    write = nd._write_signatures
    monkeypatch.setattr(
        nd,
        "_write_signatures",
        lambda s, h, rows: (hashed.extend(r[0] for r in rows), write(s, h, rows)),
    )
    stories = corpus(families=5, seed=11)
    first, later = stories[: len(stories) // 2], stories[len(stories) // 2 :]
    # a later story dated before everything: it becomes the original of its family
    early = next(s for s in later if s.id.endswith("-orig"))
    early.date = dt.date(2024, 12, 1)
    with EventStore(tmp_path / "s.duckdb") as store:
        store.add_stories(first)
        assert mark_near_duplicates(store, chunk_size=4) == len(reference_marks(first))
        assert marks(store) == reference_marks(first)
        assert sorted(hashed) == sorted(s.id for s in first)
        hashed.clear()
        store.add_stories(later)
        assert mark_near_duplicates(store, chunk_size=4) == len(reference_marks(stories))
        assert marks(store) == reference_marks(stories)
        # only the new stories were hashed the second time; a rerun hashes nothing
        assert sorted(hashed) == sorted(s.id for s in later)
        hashed.clear()
        assert mark_near_duplicates(store, chunk_size=4) == len(reference_marks(stories))
        assert hashed == []
        assert store.query("SELECT count(*) FROM story_signatures") == [(len(stories),)]


def test_chunk_size_is_checked(tmp_path):
    with EventStore(tmp_path / "s.duckdb") as store:
        for bad in (0, -1, 1.5, True):
            with pytest.raises(ConfigError):
                mark_near_duplicates(store, chunk_size=bad)


def test_signatures_kept_in_32_bits_compare_exactly():
    from detente.store.near_duplicates import _Signatures

    top = 4294967311  # the prime: an empty text's signature holds only this value
    rows = np.array(
        [
            [top] * 4,  # wide: its low 32 bits are 15
            [15] * 4,  # the same low bits, other values
            [top, 15, top, 15],
            [15, 15, 7, 15],
            [top] * 4,
        ],
        dtype=np.uint64,
    )
    signatures = _Signatures(5, 4)
    signatures.put(np.array([4, 0, 1, 2, 3]), rows[[4, 0, 1, 2, 3]])
    a, b = np.array([0, 0, 1, 2, 1, 0]), np.array([1, 4, 3, 3, 2, 2])
    exact = (rows[a] == rows[b]).sum(axis=1)
    assert signatures.agree(a, b).tolist() == exact.tolist() == [0, 4, 3, 2, 2, 2]
    assert signatures.low.dtype == np.uint32 and sorted(signatures.whole) == [0, 2, 4]
