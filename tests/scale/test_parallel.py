import pytest

from detente.config import Config
from detente.errors import ConfigError, ModelError
from detente.records import Story
from detente.scale import code_parallel, ingest_parallel
from detente.scale.parallel import resolve_jobs
from detente.store import EventStore

from .conftest import store_rows


def test_two_processes_store_exactly_what_one_does(small_corpus, reference_store, tmp_path):
    with EventStore(tmp_path / "two.duckdb") as store:
        result = ingest_parallel(
            [str(small_corpus)], store, Config(batch_size=8), jobs=2, batch_size=10
        )
        rows = store_rows(store)
    assert result.stored.stories_added == len(rows["stories"])
    assert rows == reference_store


def test_order_is_kept_and_tokens_can_be_dropped(small_corpus):
    from detente.ingest import read_stories

    ids = [s.id for s in read_stories([str(small_corpus)])]
    coded = list(
        code_parallel(
            read_stories([str(small_corpus)]), Config(batch_size=4), jobs=2, keep_tokens=False
        )
    )
    assert [s.id for s in coded] == ids
    assert all(not sentence.tokens for s in coded for sentence in s.sentences)
    assert sum(len(s.events) for s in coded) > 50


def test_worker_errors_reach_the_caller():
    stories = [Story(id="a", text="Japan met Korea.")]
    with pytest.raises(ModelError):
        list(code_parallel(stories, Config(model="no_such_spacy_model"), jobs=2))


def test_bad_arguments():
    with pytest.raises(ConfigError):
        resolve_jobs(-1)
    assert resolve_jobs(0) >= 1
    with pytest.raises(ConfigError):
        list(code_parallel([], Config(), jobs=2, batch_size=0))
    with pytest.raises(ConfigError):
        list(code_parallel([], Config(), jobs=2, prefetch=0))


def test_worker_state_codes_in_the_worker_process(monkeypatch):
    """The per-process state the pool initializer sets, exercised in this process."""
    from detente.records import Sentence, Token
    from detente.scale import parallel

    monkeypatch.setattr(parallel, "_WORKER", None)
    with pytest.raises(RuntimeError, match="initializer"):
        parallel._code_chunk([])

    parallel._init_worker(Config(model="no_such_spacy_model"), keep_tokens=True)
    assert parallel._WORKER is not None and parallel._WORKER.coder is None
    with pytest.raises(ModelError):
        parallel._code_chunk([Story(id="a", text="x")])

    class FakeCoder:
        def code_stories(self, stories):
            for story in stories:
                token = Token(0, "x", "x", "X", "X", "ROOT", 0, 0)
                story.sentences = [Sentence(0, "x", 0, [token])]
                yield story

    for keep in (True, False):
        monkeypatch.setattr(parallel, "_WORKER", parallel._WorkerState(keep, FakeCoder()))
        (coded,) = parallel._code_chunk([Story(id="a", text="x")])
        assert bool(coded.sentences[0].tokens) is keep
