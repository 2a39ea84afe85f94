"""`detente serve` (the plugged command) and the dashboard's assets."""

from __future__ import annotations

import argparse
import io
import re

import pytest

from detente.errors import InputError
from detente.server import cli
from detente.server.app import STATIC


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="detente")
    sub = parser.add_subparsers(dest="command", required=True)
    cli.add_parser(sub, "serve")
    return parser.parse_args(["serve", *argv])


def test_serve_defaults_to_loopback(store_path, monkeypatch):
    calls = {}

    def fake_run(app, **options):
        calls["app"] = app
        calls.update(options)

    import uvicorn

    monkeypatch.setattr(uvicorn, "run", fake_run)
    out, err = io.StringIO(), io.StringIO()
    assert cli.run(parse("--db", store_path, "--read-only"), out, err) == 0
    assert calls["host"] == "127.0.0.1" and calls["port"] == 8000
    assert calls["app"].state.access.read_only is True
    assert calls["timeout_keep_alive"] == 5
    assert "read-only" in err.getvalue()
    calls["app"].state.access.close()


def test_serve_warns_off_loopback(store_path, monkeypatch):
    import uvicorn

    apps = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: apps.append(app))
    err = io.StringIO()
    cli.run(parse("--db", store_path, "--host", "0.0.0.0", "--port", "8123"), io.StringIO(), err)
    assert "not loopback" in err.getvalue()
    apps[0].state.access.close()


def test_serve_needs_an_existing_store(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        cli.run(parse("--db", str(tmp_path / "missing.duckdb")), io.StringIO(), io.StringIO())


def test_help_has_an_example():
    parser = argparse.ArgumentParser(prog="detente")
    sub = parser.add_subparsers()
    text = cli.add_parser(sub, "serve").format_help()
    assert "--read-only" in text and "example:" in text


def test_pages_and_assets_are_served_from_the_package(client):
    for path, kind in [
        ("/", "text/html"),
        ("/docs", "text/html"),
        ("/static/dashboard.js", "javascript"),
        ("/static/dashboard.css", "text/css"),
        ("/static/docs.js", "javascript"),
    ]:
        r = client.get(path)
        assert r.status_code == 200, path
        assert kind in r.headers["content-type"]
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/%2e%2e/app.py").status_code == 404


def test_assets_load_nothing_from_elsewhere():
    """No CDN, no remote font or script: every reference is to this server."""
    external = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//|@import|url\(\s*["']?https?:""")
    for asset in sorted(STATIC.iterdir()):
        text = asset.read_text(encoding="utf-8")
        assert not external.search(text), asset.name
        # Only the SVG namespace (an identifier, never fetched) may name a URL in scripts.
        urls = set(re.findall(r"https?://[^\s\"')]+", text)) - {"http://www.w3.org/2000/svg"}
        assert not urls, (asset.name, urls)
        assert "innerHTML" not in text, asset.name


def test_plugged_into_the_main_cli(monkeypatch, capsys):
    """The wiring detente.cli needs: PLUGGED["serve"] = "detente.server.cli"."""
    from detente import cli as main_cli

    monkeypatch.setitem(main_cli.PLUGGED, "serve", "detente.server.cli")
    with pytest.raises(SystemExit) as stop:
        main_cli.main(["serve", "--help"])
    assert stop.value.code == 0
    assert "--read-only" in capsys.readouterr().out
    err = io.StringIO()
    assert main_cli.main(["serve", "--db", "/nonexistent/x.duckdb"], io.StringIO(), err) == 1
    assert "no such file" in err.getvalue()
