"""HTML pages (``.html``, ``.htm``): one page, one story.

* text: the main text as extracted by trafilatura (menus, footers and comments left out);
  a page without main text is reported and skipped;
* title: ``og:title``, else ``<title>``;
* date: the first of ``article:published_time``, ``date``, ``pubdate``,
  ``datePublished`` meta values (ISO 8601); an unreadable one is reported and
  ``default_date`` is used, as for records;
* url: ``og:url``, else ``<link rel="canonical">``; source: ``og:site_name``;
* id: the file name without its extension.

The character encoding is left to the parsers (``<meta charset>``, else UTF-8 guessing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from lxml import etree
from lxml import html as lxml_html

from detente.ingest.fields import Options, parse_date
from detente.ingest.lines import normalize_newlines
from detente.ingest.report import IngestReport
from detente.records import Story

DATE_META_KEYS = ("article:published_time", "date", "pubdate", "datepublished")


def read_html(
    data: bytes | str, name: str, stem: str, opts: Options, report: IngestReport
) -> Iterator[Story]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if not raw.strip():
        report.add("empty file: no HTML", name)
        return
    text = extract_main_text(raw)
    if not text:
        report.add("no main text found in the HTML page; skipped", name)
        return
    meta = page_metadata(raw)
    yield Story(
        id=stem,
        text=normalize_newlines(text),
        title=meta.get("og:title") or meta.get("title"),
        date=_page_date(meta, name, opts, report),
        url=meta.get("og:url") or meta.get("canonical"),
        source=meta.get("og:site_name"),
        origin=name,
    )


def extract_main_text(raw: bytes) -> str | None:
    # Imported here: trafilatura is slow to import and only HTML input needs it.
    import trafilatura

    text = trafilatura.extract(raw, include_comments=False, include_tables=False)
    return text.strip() if text and text.strip() else None


def page_metadata(raw: bytes) -> dict[str, str]:
    """``<title>``, canonical link and ``<meta>`` values (keys lower-cased, first one wins)."""
    try:
        root = lxml_html.document_fromstring(raw)
    except (etree.ParserError, ValueError):
        return {}
    found: dict[str, str] = {}
    title = root.findtext(".//title")
    if title and title.strip():
        found["title"] = " ".join(title.split())
    for link in root.iterfind(".//link[@href]"):
        if "canonical" in (link.get("rel") or "").lower().split():
            found.setdefault("canonical", link.get("href", "").strip())
    for meta in root.iterfind(".//meta[@content]"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        value = " ".join(meta.get("content", "").split())
        if key and value:
            found.setdefault(key.strip().lower(), value)
    return found


def _page_date(
    meta: dict[str, str], name: str, opts: Options, report: IngestReport
) -> dt.date | None:
    for key in DATE_META_KEYS:
        value = meta.get(key)
        if value is None:
            continue
        try:
            return parse_date(value)
        except ValueError:
            fallback = opts.default_date.isoformat() if opts.default_date else "no date"
            report.add(
                f"meta {key!r} {value[:40]!r} is not an ISO date or date-time; "
                f"story kept with {fallback}",
                f"{name}:date",
                skipped=False,
            )
            return opts.default_date
    return opts.default_date
