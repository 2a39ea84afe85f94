from __future__ import annotations

from detente.ingest import IngestReport


def test_report_counts_and_skips() -> None:
    report = IngestReport()
    assert report.ok and not report.skipped_any
    report.add("only a warning", "p:1:date", skipped=False)
    assert not report.ok and not report.skipped_any
    report.add("dropped", "p:2")
    assert report.skipped_any and report.skipped == 1
    assert [str(p) for p in report.problems] == ["p:1:date: only a warning", "p:2: dropped"]


def test_report_keeps_a_bounded_number_of_problems() -> None:
    report = IngestReport(max_problems=2)
    for number in range(5):
        report.add("bad", f"p:{number}")
    assert len(report.problems) == 2
    assert report.dropped_problems == 3 and report.problem_count == 5 and report.skipped == 5
