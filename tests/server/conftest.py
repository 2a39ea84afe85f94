"""A small hand-made event store and clients of the API over it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from detente.records import Actor, Event, Sentence, Span, Story
from detente.store import EventStore

JPN = Actor("JPNGOV", country="JPN", sector="GOV", name="Ishiba")
KOR = Actor("KORGOV", country="KOR", sector="GOV")
KORMIL = Actor("KORMIL", country="KOR", sector="MIL")
CHN = Actor("CHNGOV", country="CHN", sector="GOV")
USA = Actor("USAGOV", country="USA", sector="GOV")

QUAD = {
    1: ("042", "Make a visit", 1.9, "CONSULT"),
    2: ("057", "Sign formal agreement", 8.0, "AGREE"),
    3: ("111", "Criticize or denounce", -2.0, "ACCUSE"),
    4: ("190", "Use conventional military force", -10.0, "ASSAULT"),
}


def make_event(
    story_id: str,
    sentence: str,
    source: Actor,
    source_words: str,
    predicate: str,
    target: Actor,
    target_words: str,
    *,
    quad: int = 1,
    index: int = 0,
    modality: str = "asserted",
    date: dt.date | None = None,
) -> Event:
    cameo, name, goldstein, plover = QUAD[quad]

    def span(words: str) -> Span:
        start = sentence.index(words)
        return Span(start, start + len(words))

    return Event(
        story_id=story_id,
        sentence_index=index,
        sentence=sentence,
        source=source,
        target=target,
        source_text=source_words,
        target_text=target_words,
        cameo=cameo,
        cameo_name=name,
        goldstein=goldstein,
        quad_class=quad,
        plover=plover,
        plover_mode=None,
        plover_context=("diplomatic",),
        modality=modality,
        confidence=0.8,
        date=date,
        source_span=span(source_words),
        predicate_span=span(predicate),
        target_span=span(target_words),
        predicate=predicate,
    )


def make_story(sid: str, date: dt.date | None, sentences: list[str], events, **kw) -> Story:
    text = " ".join(sentences)
    parts, at = [], 0
    for i, s in enumerate(sentences):
        parts.append(Sentence(i, s, at))
        at += len(s) + 1
    return Story(
        id=sid,
        text=text,
        title=kw.get("title", f"Title of {sid}"),
        date=date,
        source=kw.get("source", "Test Wire"),
        url=kw.get("url", f"https://example.org/{sid}"),
        origin=f"fixture:{sid}",
        sentences=parts,
        events=list(events),
    )


def fixture_stories() -> list[Story]:
    """Six stories, eleven events: JPN–KOR across 2024, one CHN–USA, odd modalities."""
    out = []
    s = "Japanese Prime Minister Ishiba visited Seoul to meet South Korean officials."
    out.append(
        make_story(
            "jk-jan",
            dt.date(2024, 1, 15),
            [s, "Seoul welcomed the visit."],
            [
                make_event(
                    "jk-jan",
                    s,
                    JPN,
                    "Japanese Prime Minister Ishiba",
                    "visited",
                    KOR,
                    "South Korean officials",
                )
            ],
        )
    )
    s1 = "South Korea signed an agreement with Japan."
    s2 = "South Korea criticized Japan over the textbooks."
    out.append(
        make_story(
            "jk-mar",
            dt.date(2024, 3, 2),
            [s1, s2],
            [
                make_event("jk-mar", s1, KOR, "South Korea", "signed", JPN, "Japan", quad=2),
                make_event(
                    "jk-mar", s2, KOR, "South Korea", "criticized", JPN, "Japan", quad=3, index=1
                ),
                make_event(
                    "jk-mar",
                    s2,
                    KOR,
                    "South Korea",
                    "criticized",
                    JPN,
                    "Japan",
                    quad=3,
                    index=1,
                    modality="negated",
                ),
            ],
        )
    )
    s = "Japan criticized South Korea, and its troops later fired on South Korean boats."
    out.append(
        make_story(
            "jk-mar-2",
            dt.date(2024, 3, 20),
            [s],
            [
                make_event("jk-mar-2", s, JPN, "Japan", "criticized", KOR, "South Korea", quad=3),
                make_event(
                    "jk-mar-2",
                    s,
                    JPN,
                    "its troops",
                    "fired",
                    KORMIL,
                    "South Korean boats",
                    quad=4,
                    date=dt.date(2024, 4, 2),
                ),
            ],
        )
    )
    s = "Japan will visit South Korea next year, officials said."
    s2 = "Japan and South Korea agreed to meet."
    out.append(
        make_story(
            "jk-jun/slash",
            dt.date(2024, 6, 5),
            [s, s2],
            [
                make_event(
                    "jk-jun/slash", s, JPN, "Japan", "visit", KOR, "South Korea", modality="future"
                ),
                make_event(
                    "jk-jun/slash",
                    s2,
                    JPN,
                    "Japan",
                    "agreed",
                    KOR,
                    "South Korea",
                    index=1,
                    modality="reported",
                ),
                make_event(
                    "jk-jun/slash",
                    s2,
                    KOR,
                    "South Korea",
                    "agreed",
                    JPN,
                    "Japan",
                    index=1,
                    modality="reported",
                ),
            ],
            url="javascript:alert(1)",
        )
    )
    s = "China criticized the United States."
    out.append(
        make_story(
            "cu-may",
            dt.date(2024, 5, 1),
            [s],
            [make_event("cu-may", s, CHN, "China", "criticized", USA, "the United States", quad=3)],
        )
    )
    s = "Japan visited South Korea."
    out.append(
        make_story(
            "undated",
            None,
            [s],
            [make_event("undated", s, JPN, "Japan", "visited", KOR, "South Korea")],
        )
    )
    return out


@pytest.fixture
def store_path(tmp_path) -> str:
    path = str(tmp_path / "events.duckdb")
    with EventStore(path) as store:
        store.add_stories(fixture_stories())
    return path


@pytest.fixture
def make_client(store_path) -> Iterator[Callable[..., TestClient]]:
    """``make_client(**create_app_options)`` → a TestClient; closed after the test."""
    from detente.server import create_app

    clients: list[TestClient] = []

    def make(path: str | None = None, **options) -> TestClient:
        client = TestClient(
            create_app(path or store_path, **options), raise_server_exceptions=False
        )
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture(scope="session")
def shared_store_path(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("shared") / "events.duckdb")
    with EventStore(path) as store:
        store.add_stories(fixture_stories())
    return path


@pytest.fixture(scope="module")
def client(shared_store_path) -> Iterator[TestClient]:
    """A read-only app over the fixture store, shared by a module's tests that only read."""
    from detente.server import create_app

    with TestClient(
        create_app(shared_store_path, read_only=True), raise_server_exceptions=False
    ) as client:
        yield client
