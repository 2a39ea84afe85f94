"""Shared helpers of the ingest tests."""

from __future__ import annotations

from typing import Any

from detente.ingest import IngestReport, read_stories
from detente.records import Story


def collect(paths: Any, **kwargs: Any) -> tuple[list[Story], IngestReport]:
    report = IngestReport()
    stories = list(read_stories(paths, report=report, **kwargs))
    return stories, report


def locations(report: IngestReport) -> list[str | None]:
    return [problem.location for problem in report.problems]


def messages(report: IngestReport) -> str:
    return "\n".join(str(problem) for problem in report.problems)
