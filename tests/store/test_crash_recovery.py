"""A writer killed with SIGKILL mid-ingest loses at most the batch in flight; a rerun
completes the store to exactly what an uninterrupted run stores."""

import json
import signal
import subprocess
import sys

import duckdb

DRIVER = r"""
import os, signal, sys
from detente.coder import Coder
from detente.ingest import read_stories
from detente.store import EventStore

corpus, db, kill_after = sys.argv[1], sys.argv[2], int(sys.argv[3])

def stories():
    for n, story in enumerate(Coder().code_stories(read_stories([corpus]))):
        if kill_after and n == kill_after:
            os.kill(os.getpid(), signal.SIGKILL)
        yield story

with EventStore(db) as store:
    store.add_stories(stories(), batch_size=4)
"""

COUNTRIES = ["Japan", "South Korea", "China", "France", "Brazil", "Kenya"]
VERBS = ["criticized", "praised", "met", "accused", "thanked", "threatened"]


def write_corpus(path, n=30):
    with path.open("w") as handle:
        for i in range(n):
            a, b = COUNTRIES[i % 6], COUNTRIES[(i + 1 + i // 6) % 6]
            text = f"{a} {VERBS[i % 6]} {b} on Monday. Officials in {a} said little else."
            handle.write(
                json.dumps({"id": f"s{i}", "date": f"2024-01-{i % 28 + 1:02d}", "text": text})
                + "\n"
            )


def run(corpus, db, kill_after):
    return subprocess.run(
        [sys.executable, "-c", DRIVER, str(corpus), str(db), str(kill_after)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def snapshot(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return (
            con.execute("SELECT event_id FROM events ORDER BY event_id").fetchall(),
            con.execute("SELECT id, content_hash FROM stories ORDER BY id").fetchall(),
        )
    finally:
        con.close()


def test_sigkill_mid_ingest_then_rerun_equals_an_uninterrupted_run(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    write_corpus(corpus)
    killed, clean = tmp_path / "killed.duckdb", tmp_path / "clean.duckdb"

    first = run(corpus, killed, kill_after=18)
    assert first.returncode == -signal.SIGKILL, first.stderr
    events_after_kill, stories_after_kill = snapshot(killed)
    assert len(stories_after_kill) == 16  # four whole batches of four; the fifth was lost

    assert run(corpus, killed, kill_after=0).returncode == 0
    assert run(corpus, clean, kill_after=0).returncode == 0
    assert snapshot(killed) == snapshot(clean)
    assert len(snapshot(clean)[1]) == 30
    assert set(events_after_kill) < set(snapshot(clean)[0])
