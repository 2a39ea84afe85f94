"""End to end: a real server on loopback, driven by Debian's Chromium through Playwright."""

from __future__ import annotations

import contextlib
import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterator

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    not os.access(CHROMIUM, os.X_OK),
    reason=f"{CHROMIUM} is missing (Debian: apt-get install chromium)",
)

TEXT = (
    "Japanese Prime Minister Shigeru Ishiba visited Seoul on Tuesday to meet South Korean "
    "President Lee Jae-myung."
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(app) -> Iterator[str]:
    """Run ``app`` under uvicorn in a thread on a free loopback port; yield its URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@contextlib.contextmanager
def browser_page() -> Iterator[object]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    with (
        tempfile.TemporaryDirectory(prefix="detente-chromium-") as profile,
        playwright_api.sync_playwright() as pw,
    ):
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        try:
            yield context.new_page()
        finally:
            context.close()


def test_dashboard_end_to_end(store_path, coder):
    from detente.server import create_app

    expect = pytest.importorskip("playwright.sync_api").expect
    app = create_app(store_path, coder_factory=lambda: coder)
    problems: list[str] = []
    with serving(app) as url, browser_page() as page:
        page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
        page.on(
            "console",
            lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None,
        )
        page.goto(url + "/")
        expect(page.locator("#country-a option[value=KOR]")).to_have_count(1)
        expect(page.locator("#store-info")).to_contain_text("11 events")

        # Pick another pair first, then Japan and South Korea by month.
        page.select_option("#country-a", "CHN")
        page.select_option("#country-b", "USA")
        expect(page.locator("#chart-title")).to_contain_text("China")
        page.select_option("#freq", "month")
        page.select_option("#country-a", "JPN")
        page.select_option("#country-b", "KOR")
        expect(page.locator("#chart-title")).to_have_text("Japan – South Korea by month")
        expect(page.locator("#chart svg g.period")).to_have_count(6)
        assert page.locator("#chart svg rect.q3").count() == 1  # March: verbal conflict

        page.click("#chart g.period[data-period='2024-03-01']")
        expect(page.locator("#events-note")).to_have_text("3 events")
        first = page.locator("#events li").first
        assert first.locator("mark.source").text_content() == "South Korea"
        assert first.locator("mark.predicate").text_content() == "signed"
        assert first.locator("mark.target").text_content() == "Japan"
        link = first.locator("a", has_text="Title of jk-mar")
        assert link.get_attribute("href") == "https://example.org/jk-mar"

        # The June story's url is javascript:, so it is shown as text, not as a link.
        page.click("#chart g.period[data-period='2024-06-01']")
        expect(page.locator("#events-note")).to_have_text("2 events")
        assert page.locator("#events a", has_text="Title of jk-jun/slash").count() == 0
        assert page.locator("#events .story-title").first.text_content() == "Title of jk-jun/slash"

        page.fill("#code-text", TEXT)
        page.click("#code-button")
        expect(page.locator("#code-results li").first).to_be_visible()
        result = page.locator("#code-results li").first
        assert result.locator("mark.predicate").text_content() == "visited"
        assert result.locator("mark.source").text_content() == (
            "Japanese Prime Minister Shigeru Ishiba"
        )
        assert page.is_hidden("#status")

        page.goto(url + "/docs")
        expect(page.locator(".op")).to_have_count(10)
    assert problems == []
