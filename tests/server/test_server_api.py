"""The JSON API in process, over a small hand-made store."""

from __future__ import annotations

import pytest

from detente.analysis import dyad_series
from detente.records import EVENT_FIELDS


def total(client, **params) -> int:
    r = client.get("/api/events", params=params)
    assert r.status_code == 200, r.text
    return r.json()["total"]


def test_info_counts_the_store(client):
    r = client.get("/api/info")
    assert r.status_code == 200
    body = r.json()
    assert body["counts"] == {"stories": 6, "sentences": 9, "events": 11}
    assert body["read_only"] is True
    assert body["limits"]["max_page"] == 500


def test_event_page_has_items_total_limit_offset(client):
    body = client.get("/api/events", params={"limit": 4}).json()
    assert set(body) == {"items", "total", "limit", "offset"}
    assert body["total"] == 11 and body["limit"] == 4 and body["offset"] == 0
    assert len(body["items"]) == 4
    item = body["items"][0]
    assert set(EVENT_FIELDS) <= set(item)
    assert len(item["event_id"]) == 32
    assert item["story"]["id"] == item["story_id"] == "jk-jan"
    assert item["story"]["title"] == "Title of jk-jan"
    assert item["story"]["url"] == "https://example.org/jk-jan"


def test_pages_cover_every_event_once(client):
    seen = []
    for offset in range(0, 12, 5):
        page = client.get("/api/events", params={"limit": 5, "offset": offset}).json()
        seen += [item["event_id"] for item in page["items"]]
    assert len(seen) == len(set(seen)) == 11
    assert client.get("/api/events", params={"offset": 50}).json()["items"] == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"a": "JPN", "b": "KOR"}, 10),
        ({"a": "kor", "b": "jpn"}, 10),
        ({"a": "JPN", "b": "KOR", "directed": "true"}, 6),
        ({"a": "KOR", "b": "JPN", "directed": "true"}, 4),
        ({"a": "CHN", "b": "USA"}, 1),
        ({"actor": "KORMIL"}, 1),
        ({"actor": "jpngov"}, 10),
        ({"country": "USA"}, 1),
        ({"cameo": "111"}, 4),
        ({"root": "19"}, 1),
        ({"plover": "consult"}, 5),
        ({"quad_class": [3, 4]}, 5),
        ({"modality": "future"}, 1),
        ({"modality": ["future", "negated"]}, 2),
        ({"occurred": "true"}, 9),
        ({"since": "2024-03-01", "until": "2024-03-31"}, 4),
        ({"since": "2024-04-01", "until": "2024-04-30"}, 1),  # the event's own date wins
        ({"since": "2024-06-01"}, 3),
        ({"q": "TEXTBOOKS"}, 2),
        ({"q": "100%"}, 0),
        ({"story_id": "jk-jun/slash"}, 3),
        ({"a": "JPN", "b": "KOR", "quad_class": 1, "occurred": "true", "until": "2024-12-31"}, 3),
    ],
)
def test_event_filters(client, params, expected):
    assert total(client, **params) == expected


def test_text_search_is_a_parameter_not_sql(client):
    assert total(client, q="'; DROP TABLE events; --") == 0
    assert total(client, q="%") == 0
    assert total(client) == 11


@pytest.mark.parametrize(
    ("params", "where"),
    [
        ({"limit": 501}, "query.limit"),
        ({"limit": 0}, "query.limit"),
        ({"offset": -1}, "query.offset"),
        ({"quad_class": 5}, "query.quad_class"),
        ({"since": "yesterday"}, "query.since"),
        ({"modality": "probable"}, "query.modality"),
        ({"a": "JAPAN", "b": "KOR"}, "query.a"),
        ({"actor": "KOR'--"}, "query.actor"),
        ({"cameo": "4x"}, "query.cameo"),
        ({"q": "x" * 201}, "query.q"),
    ],
)
def test_bad_parameters_get_clear_422(client, params, where):
    r = client.get("/api/events", params=params)
    assert r.status_code == 422
    body = r.json()
    assert body["status"] == 422
    assert body["error"].startswith("invalid request")
    assert where in [
        d["loc"].rsplit(".", 1)[0] if d["loc"].count(".") > 1 else d["loc"] for d in body["detail"]
    ]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"a": "JPN"}, "a dyad needs both a and b"),
        ({"directed": "true"}, "directed applies to a dyad"),
        ({"since": "2024-05-01", "until": "2024-01-01"}, "since is after until"),
    ],
)
def test_inconsistent_parameters_get_422(client, params, message):
    r = client.get("/api/events", params=params)
    assert r.status_code == 422
    assert message in r.json()["error"]


def test_event_by_id_has_full_provenance(client):
    page = client.get("/api/events", params={"actor": "KORMIL"}).json()
    event_id = page["items"][0]["event_id"]
    r = client.get(f"/api/events/{event_id}")
    assert r.status_code == 200
    event = r.json()
    assert event["event_id"] == event_id
    assert event["story"] == {
        "id": "jk-mar-2",
        "title": "Title of jk-mar-2",
        "url": "https://example.org/jk-mar-2",
        "date": "2024-03-20",
        "source": "Test Wire",
        "origin": "fixture:jk-mar-2",
    }
    assert event["sentence"].startswith("Japan criticized South Korea")
    assert event["sentence_start_char"] == 0
    assert event["highlights"] == {
        "source": "its troops",
        "predicate": "fired",
        "target": "South Korean boats",
    }
    start, end = event["evidence"]["predicate"]
    assert event["sentence"][start:end] == "fired"
    assert event["date"] == "2024-04-02"
    assert {a["role"]: a["code"] for a in event["actors"]} == {
        "source": "JPNGOV",
        "target": "KORMIL",
    }
    assert event["coded_by"] == "detente"


def test_event_by_id_404_and_422(client):
    r = client.get("/api/events/" + "0" * 32)
    assert r.status_code == 404
    assert r.json() == {"error": "no event " + "0" * 32, "status": 404}
    assert client.get("/api/events/bad'id").status_code == 422


def test_series_matches_the_library_and_links_its_events(client):
    r = client.get("/api/dyads/jpn/kor/series", params={"freq": "month"})
    assert r.status_code == 200
    body = r.json()
    assert (body["a"], body["b"], body["a_name"], body["b_name"]) == (
        "JPN",
        "KOR",
        "Japan",
        "South Korea",
    )
    assert body["shifts"] == []
    access = client.app.state.access
    expected = [p.to_dict() for p in access.read(lambda s: dyad_series(s, "JPN", "KOR"))]
    points = body["points"]
    assert [{k: p[k] for k in expected[0]} for p in points] == expected
    assert [p["period"] for p in points] == [
        "2024-01-01",
        "2024-02-01",
        "2024-03-01",
        "2024-04-01",
        "2024-05-01",
        "2024-06-01",
    ]
    assert points[1]["until"] == "2024-02-29"
    assert all(p["neutral"] == 0 for p in points)
    for point in points:
        linked = client.get(point["events_url"] + "&limit=500").json()
        assert linked["total"] == point["events"], point


def test_series_directed_year_and_bad_freq(client):
    body = client.get("/api/dyads/KOR/JPN/series?freq=year&directed=true").json()
    assert [(p["period"], p["events"]) for p in body["points"]] == [("2024-01-01", 3)]
    assert body["points"][0]["until"] == "2024-12-31"
    assert "directed=true" in body["points"][0]["events_url"]
    r = client.get("/api/dyads/JPN/KOR/series?freq=hour")
    assert r.status_code == 422
    assert "query.freq" in r.json()["error"]
    assert client.get("/api/dyads/J1N/KOR/series").status_code == 422


def test_series_shifts_come_from_the_detector(make_client):
    def detector(points):
        return [{"period": points[0].period.isoformat(), "label": "rapprochement"}]

    client = make_client(shift_detector=detector)
    body = client.get("/api/dyads/JPN/KOR/series").json()
    assert body["shifts"] == [{"period": "2024-01-01", "label": "rapprochement"}]


def test_top_dyads(client):
    r = client.get("/api/dyads/top", params={"limit": 5})
    assert r.status_code == 200
    items = r.json()["items"]
    assert [(d["a"], d["b"], d["events"]) for d in items] == [("JPN", "KOR", 10), ("CHN", "USA", 1)]
    assert items[0]["cooperation"] == 6 and items[0]["conflict"] == 4
    directed = client.get("/api/dyads/top?directed=true").json()["items"]
    assert [(d["a"], d["b"], d["events"]) for d in directed][:2] == [
        ("JPN", "KOR", 6),
        ("KOR", "JPN", 4),
    ]
    assert client.get("/api/dyads/top?limit=1000").status_code == 422


def test_countries(client):
    items = client.get("/api/countries").json()["items"]
    assert items[0] == {"code": "JPN", "name": "Japan", "events": 10}
    assert {c["code"] for c in items} == {"JPN", "KOR", "CHN", "USA"}


def test_stories_page_and_story(client):
    body = client.get("/api/stories", params={"limit": 2, "offset": 1}).json()
    assert body["total"] == 6 and body["limit"] == 2 and body["offset"] == 1
    assert [s["id"] for s in body["items"]] == ["jk-mar", "jk-mar-2"]
    assert body["items"][0]["events"] == 3
    story = client.get("/api/stories/jk-jun/slash").json()
    assert story["id"] == "jk-jun/slash"
    assert [s["index"] for s in story["sentences"]] == [0, 1]
    assert len(story["events"]) == 3
    assert all(len(e["event_id"]) == 32 for e in story["events"])
    assert client.get("/api/stories/nope").status_code == 404


def test_errors_are_json_without_traces(make_client):
    def broken(points):
        raise RuntimeError("secret internals /etc/passwd")

    client = make_client(shift_detector=broken)
    r = client.get("/api/dyads/JPN/KOR/series")
    assert r.status_code == 500
    assert r.json() == {"error": "internal server error", "status": 500}
    assert "secret" not in r.text and "Traceback" not in r.text
    r = client.get("/api/nothing-here")
    assert r.status_code == 404 and r.json()["status"] == 404
    assert client.delete("/api/events").status_code == 405


def test_security_headers(client):
    r = client.get("/api/info")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]


def test_openapi_lists_every_route(client):
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert {
        "/api/info",
        "/api/countries",
        "/api/events",
        "/api/events/{event_id}",
        "/api/dyads/top",
        "/api/dyads/{a}/{b}/series",
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/code",
        "/api/actors",
    } <= set(spec["paths"])
    params = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert {"a", "b", "actor", "cameo", "root", "plover", "quad_class", "q", "limit"} <= params


def test_actor_lookup_resolves_a_name_by_date(client):
    r = client.get("/api/actors", params={"name": "Vladimir Putin", "date": "2005-01-01"})
    assert r.status_code == 200
    body = r.json()
    chosen = body["matches"][0]
    assert chosen["chosen"] and chosen["code"] == "RUSGOV" and chosen["in_office"]
    assert all(t["source"] for t in chosen["tenures"])
    r = client.get("/api/actors", params={"name": "Vladimir Putin", "date": "1995-01-01"})
    assert r.json()["matches"][0]["code"] == "RUSELI"
    assert client.get("/api/actors", params={"name": "Nobody Atall"}).json()["matches"] == []
    assert (
        client.get("/api/actors", params={"name": "Putin", "date": "2005-13-01"}).status_code == 422
    )
