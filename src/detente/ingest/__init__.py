"""Ingest: read news stories from files, directories, globs or standard input.

>>> report = IngestReport()
>>> for story in read_stories(["corpus/"], report=report):  # doctest: +SKIP
...     ...
>>> report.skipped_any  # doctest: +SKIP

Formats: plain text (``.txt``), JSON Lines (``.jsonl``, ``.ndjson``), JSON (``.json``),
CSV/TSV with a header (``.csv``, ``.tsv``) and HTML pages (``.html``, ``.htm``). See the
module of each format for its rules, and :func:`read_stories` for the whole contract.
"""

from detente.ingest.lines import DEFAULT_MAX_RECORD_BYTES
from detente.ingest.reader import read_stories
from detente.ingest.report import IngestReport
from detente.ingest.sources import FORMATS

__all__ = ["DEFAULT_MAX_RECORD_BYTES", "FORMATS", "IngestReport", "read_stories"]
