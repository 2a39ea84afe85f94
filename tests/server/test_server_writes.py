"""Coding over HTTP, storing, limits, read-only mode, timeouts and concurrent readers."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest

from detente.records import EVENT_FIELDS
from detente.server import ServerLimits
from detente.server.access import QueryTimeout, StoreAccess

from .conftest import JPN, KOR, make_event, make_story

TEXT = (
    "Japanese Prime Minister Shigeru Ishiba visited Seoul on Tuesday to meet South Korean "
    "President Lee Jae-myung. South Korea protested to Japan over the islands."
)


@pytest.fixture
def coding_client(make_client, coder):
    return make_client(coder_factory=lambda: coder)


def test_code_returns_event_records_without_storing(coding_client):
    r = coding_client.post("/api/code", json={"text": TEXT, "date": "2025-10-02"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["stored"] is False and body["report"] is None
    events = body["events"]
    # What the coder finds may grow; the visit is the one this test relies on.
    assert events[0]["source"] == "JPNGOV" and events[0]["target"] == "KORGOV"
    assert events[0]["cameo"] == "042"
    assert all(list(e) == list(EVENT_FIELDS) for e in events)
    first = events[0]
    start, end = first["evidence"]["predicate"]
    assert first["sentence"][start:end] == "visited"
    assert all(e["story_id"] == body["story_id"] for e in events)
    assert coding_client.get("/api/info").json()["counts"]["events"] == 11


def test_code_and_store(coding_client):
    r = coding_client.post(
        "/api/code",
        json={"text": TEXT, "store": True, "story_id": "api-1", "url": "https://x.org/1"},
    )
    assert r.status_code == 200, r.text
    n = len(r.json()["events"])
    assert n >= 1 and r.json()["report"]["events_added"] == n
    assert coding_client.get("/api/info").json()["counts"]["events"] == 11 + n
    story = coding_client.get("/api/stories/api-1").json()
    assert story["url"] == "https://x.org/1" and len(story["events"]) == n
    again = coding_client.post(
        "/api/code",
        json={"text": TEXT, "store": True, "story_id": "api-1", "url": "https://x.org/1"},
    ).json()
    assert again["report"]["stories_skipped"] == 1


def test_read_only_refuses_to_store(make_client, coder, store_path):
    client = make_client(read_only=True, coder_factory=lambda: coder)
    r = client.post("/api/code", json={"text": TEXT, "store": True})
    assert r.status_code == 403
    assert "read-only" in r.json()["error"]
    assert client.post("/api/code", json={"text": TEXT}).status_code == 200
    assert client.get("/api/info").json()["counts"]["events"] == 11


def test_text_and_body_limits_give_413(make_client):
    def never():
        raise AssertionError("the coder must not be built for refused requests")

    client = make_client(
        coder_factory=never, limits=ServerLimits(max_text_chars=100, max_body_bytes=2000)
    )
    r = client.post("/api/code", json={"text": "x" * 101})
    assert r.status_code == 413
    assert r.json()["error"] == "the text has 101 characters; the limit is 100"
    r = client.post("/api/code", json={"text": "x" * 5000})
    assert r.status_code == 413
    assert r.json() == {
        "error": "the request body is larger than the limit of 2000 bytes",
        "status": 413,
    }

    def chunks():  # no Content-Length: the bound holds all the same
        for _ in range(10):
            yield b" " * 500

    r = client.post("/api/code", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"text": ""}, "body.text"),
        ({"text": "   "}, "body.text"),
        ({}, "body.text"),
        ({"text": "Japan met Korea.", "date": "2025-13-01"}, "body.date"),
        ({"text": "Japan met Korea.", "store": "perhaps"}, "body.store"),
        ({"text": "Japan met Korea.", "path": "/etc/passwd"}, "body.path"),
        ({"text": "Japan met Korea.", "url": "javascript:alert(1)"}, "body.url"),
        ({"text": "Japan met Korea.", "story_id": "../../etc"}, "body.story_id"),
    ],
)
def test_bad_code_requests_get_422(make_client, body, where):
    client = make_client(coder_factory=lambda: pytest.fail("no coding for bad requests"))
    r = client.post("/api/code", json=body)
    assert r.status_code == 422
    assert where in [d["loc"] for d in r.json()["detail"]]


def test_malformed_json_gets_422(make_client):
    client = make_client(coder_factory=lambda: pytest.fail("no coding"))
    r = client.post("/api/code", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert r.json()["error"].startswith("invalid request")


def test_a_slow_query_is_stopped(store_path):
    access = StoreAccess(store_path, read_only=True, query_timeout_s=0.2)
    try:
        started = time.monotonic()
        with pytest.raises(QueryTimeout):
            access.read(lambda s: s.query("SELECT count(*) FROM range(10000000000000) a"))
        assert time.monotonic() - started < 5
        assert access.read(lambda s: s.counts())["events"] == 11  # the store still answers
    finally:
        access.close()


def test_a_slow_request_gets_503(make_client, monkeypatch):
    from detente.server import queries

    def slow(store):
        return store.query("SELECT 'XXX', count(*) FROM range(10000000000000) a")

    monkeypatch.setattr(queries, "countries", slow)
    client = make_client(limits=ServerLimits(query_timeout_s=0.2))
    r = client.get("/api/countries")
    assert r.status_code == 503
    assert r.json()["error"] == "the query took too long and was stopped; narrow it down"


def batch(n: int, events_per_story: int) -> list:
    stories = []
    for i in range(n):
        sid = f"bulk-{n}-{i}-{time.monotonic_ns()}"
        s = "Japan visited South Korea."
        stories.append(
            make_story(
                sid,
                dt.date(2025, 1, 1),
                [s],
                [
                    make_event(sid, s, JPN, "Japan", "visited", KOR, "South Korea", index=0)
                    for _ in range(events_per_story)
                ],
            )
        )
    return stories


def test_a_reader_sees_a_batch_wholly_or_not_at_all(make_client):
    client = make_client()
    access = client.app.state.access
    entered, release = threading.Event(), threading.Event()

    def write(store):
        con = store.con
        con.execute("BEGIN TRANSACTION")
        con.execute(
            "INSERT INTO events (event_id, story_id, event_index, sentence_index, cameo) "
            "SELECT 'w' || i, 'w', i, 0, '042' FROM range(500) t(i)"
        )
        entered.set()
        release.wait(10)
        con.execute("COMMIT")

    writer = threading.Thread(target=access.write, args=(write,))
    writer.start()
    try:
        assert entered.wait(10)
        assert client.get("/api/events?limit=1").json()["total"] == 11  # before
    finally:
        release.set()
        writer.join(10)
    assert client.get("/api/events?limit=1").json()["total"] == 511  # after


def test_readers_during_an_ingest_never_see_half_a_batch(make_client):
    client = make_client()
    access = client.app.state.access
    per_batch = 5 * 4  # stories per batch × events per story
    done = threading.Event()
    errors: list[BaseException] = []

    def ingest():
        try:
            for _ in range(15):
                access.write(lambda s: s.add_stories(batch(5, 4), batch_size=5))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            done.set()

    seen: list[int] = []
    writer = threading.Thread(target=ingest)
    writer.start()
    while not done.is_set():
        page = client.get("/api/events", params={"limit": 1, "q": "visited"}).json()
        stories = client.get("/api/stories", params={"limit": 1}).json()["total"]
        seen.append(page["total"])
        assert (page["total"] - 2) % per_batch == 0, page["total"]
        assert stories >= 6
    writer.join()
    assert not errors
    assert client.get("/api/events", params={"limit": 1, "q": "visited"}).json()["total"] == (
        2 + 15 * per_batch
    )
    assert len(seen) > 1
