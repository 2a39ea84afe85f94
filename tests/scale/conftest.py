import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory) -> Path:
    """The bundled example corpus plus 25 synthetic stories (one id repeated)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import make_synthetic_corpus
    finally:
        sys.path.pop(0)
    path = tmp_path_factory.mktemp("scale") / "corpus.jsonl"
    lines = (ROOT / "examples" / "japan_korea.jsonl").read_text(encoding="utf-8").splitlines()
    lines += [json.dumps(r) for r in make_synthetic_corpus.stories(25, seed=3)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def store_rows(store):
    """Everything a store holds that does not depend on when it was written."""
    return {
        "stories": store.query(
            "SELECT id, title, date, source, url, origin, content_hash, text "
            "FROM stories ORDER BY id"
        ),
        "sentences": store.query("SELECT * FROM sentences ORDER BY story_id, sentence_index"),
        "events": store.query("SELECT * FROM events ORDER BY event_id"),
        "actors": store.query("SELECT * FROM actors ORDER BY event_id, role"),
        "records": store.events(),
    }


@pytest.fixture(scope="session")
def reference_store(small_corpus, coder, tmp_path_factory):
    """The small corpus ingested the ordinary way (one process, batch size 8)."""
    from detente.coder import Coder
    from detente.config import Config
    from detente.jobs import ingest
    from detente.store import EventStore

    db = tmp_path_factory.mktemp("ref") / "ref.duckdb"
    one = Coder(Config(batch_size=8), nlp=coder.pipeline.stages[0].nlp)
    with EventStore(db) as store:
        result = ingest([str(small_corpus)], store, one, batch_size=10)
        rows = store_rows(store)
    assert result.stored.events_added > 50
    return rows
