import pytest

from detente.config import Config
from detente.errors import ConfigError
from detente.scale import code_with_dask, load_parquet
from detente.store import EventStore

from .conftest import store_rows

distributed = pytest.importorskip("distributed")


def test_dask_partitions_store_exactly_what_one_process_does(
    small_corpus, reference_store, tmp_path
):
    from distributed import Client, LocalCluster

    out = tmp_path / "parts"
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        report = code_with_dask(
            [str(small_corpus)], Config(batch_size=8), out, client=client, partition_size=16
        )
        assert report.partitions == 4  # 60 stories, 16 per partition
        with pytest.raises(ConfigError):
            code_with_dask([str(small_corpus)], Config(batch_size=8), out, client=client)

    assert report.stories == len(reference_store["stories"])
    assert report.events == len(reference_store["events"])
    with EventStore(tmp_path / "dask.duckdb") as store:
        stored = load_parquet(out, store)
        assert stored.events_added == report.events
        assert store_rows(store) == reference_store
        assert load_parquet(out, store).stories_skipped == report.stories
