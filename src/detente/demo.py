"""`make demo`: ingest the examples, show the newest report's events and the JPN–KOR series."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from .analysis import dyad_series, format_series_table
from .analysis.changepoints import detect_shifts, format_shifts
from .analysis.plot import plot_series
from .coder import Coder
from .jobs import ingest
from .output import write_records
from .progress import Progress
from .store import EventStore

DEMO_COLUMNS = ("source", "target", "cameo", "cameo_name", "modality", "confidence", "sentence")
# The share of cooperative events is the steadiest signal on a corpus this sparse.
DEMO_SIGNAL = "cooperation_share"
TITLE = "Japan – South Korea: events per year (detente demo corpus)"


def run_demo(db: Path, corpus: Path, plot: Path | None, out: TextIO, err: TextIO) -> int:
    coder = Coder()
    with EventStore(db) as store:
        with Progress("coding", stream=err) as progress:
            result = ingest([str(corpus)], store, coder, progress=progress)
        counts = store.counts()
        out.write(
            f"Stored {counts['stories']} stories, {counts['sentences']} sentences and "
            f"{counts['events']} events in {db} "
            f"(this run added {result.stored.stories_added} stories).\n\n"
        )
        latest = store.latest_story_id()
        if latest:
            story = store.story(latest)
            out.write(
                f"Events of the newest report, {latest} ({story['date']}): {story['title']}\n"
            )
            write_records(store.events(story_id=latest), "table", out, table_columns=DEMO_COLUMNS)
        yearly = dyad_series(store, "JPN", "KOR", freq="year")
        monthly = dyad_series(store, "JPN", "KOR", freq="month", include_empty=False)
    shifts = detect_shifts(yearly, signal=DEMO_SIGNAL)
    out.write("\nJapan–South Korea, month by month (months with events):\n")
    out.write(format_series_table(monthly))
    out.write("\nShifts in the yearly series:\n" + format_shifts(shifts))
    if plot is not None:
        plot_series(yearly, plot, title=TITLE, shifts=shifts)
        out.write(f"\nChart of the yearly series: {plot}\n")
    for problem in result.input.problems:
        err.write(f"detente: skipped {problem}\n")
    return 3 if result.input.skipped_any else 0
