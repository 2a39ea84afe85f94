"""Code a corpus on a Dask cluster and write Parquet partitions; load them with load_parquet.

How it runs
-----------
The client (the machine running ``detente ingest --engine dask``) reads the input
stream, cuts it into partitions of ``partition_size`` stories and submits each to the
cluster, keeping only a few partitions per worker in flight. A worker builds one
:class:`~detente.coder.Coder` per process and thread on first use (the spaCy model
loads once), codes the partition and sends back one small Parquet file per table; the
client writes them to ``OUT/<table>/part-NNNNNN.parquet``. Partition numbers follow
input order, so ``detente load OUT --db FILE`` loads in input order and stores exactly
what ``detente ingest --db FILE`` would.

On one machine (no scheduler given) a ``LocalCluster`` with one single-threaded worker
process per CPU is started and stopped around the job.

On a real cluster::

    # on the scheduler host
    dask scheduler --port 8786
    # on every worker host: the same detente version and spaCy model installed
    pip install 'detente[scale]'          # detente, dask[distributed], the model
    dask worker tcp://SCHEDULER:8786 --nworkers auto --nthreads 1
    # on the client: reads the input, writes the partitions, then loads them
    detente ingest corpus/ --engine dask --scheduler tcp://SCHEDULER:8786 --out parts/
    detente load parts/ --db events.duckdb

Workers need neither the input files nor the output directory (stories travel to
them, Parquet bytes come back), only detente itself: same version as the client, since
records are pickled between them. Use ``--nthreads 1`` and several worker processes:
spaCy parsing holds the GIL, so threads in one worker do not parse in parallel (each
thread would also load its own copy of the model). Each worker process needs about
0.5 GiB of memory for the model and a partition.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, TextIO

from ..config import Config
from ..errors import ConfigError
from ..ingest import IngestReport, read_stories
from ..records import Story
from .parallel import default_jobs
from .parquet import (
    PartitionReport,
    clear_parts,
    existing_parts,
    parquet_bytes,
    partition_report,
    write_partition_bytes,
)

_local = threading.local()


@dataclass(slots=True)
class DaskReport:
    """What :func:`code_with_dask` wrote."""

    out_dir: str
    partitions: int = 0
    stories: int = 0
    sentences: int = 0
    events: int = 0
    input: IngestReport = field(default_factory=IngestReport)

    def add(self, part: PartitionReport) -> None:
        self.partitions += 1
        self.stories += part.stories
        self.sentences += part.sentences
        self.events += part.events

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("input")
        d["problems"] = self.input.problem_count
        return d


def _worker_coder(config: Config):
    """One Coder per worker thread and config, built on first use."""
    coders = getattr(_local, "coders", None)
    if coders is None:
        coders = _local.coders = {}
    coder = coders.get(config)
    if coder is None:
        from ..coder import Coder

        coder = coders[config] = Coder(config)
    return coder


def code_partition(
    stories: list[Story], config: Config, index: int
) -> tuple[PartitionReport, dict[str, bytes]]:
    """Runs on a worker: code one partition, return its report and Parquet files."""
    coded = list(_worker_coder(config).code_stories(stories))
    latest = list({story.id: story for story in coded}.values())
    return partition_report(index, latest), parquet_bytes(latest)


def _partitions(stories: Iterable[Story], size: int) -> Iterator[list[Story]]:
    iterator = iter(stories)
    while part := list(islice(iterator, size)):
        yield part


def _import_dask():
    try:
        from dask.distributed import Client, LocalCluster, wait
    except ImportError:  # pragma: no cover - depends on the installation
        raise ConfigError(
            "the dask engine needs dask[distributed]: pip install 'dask[distributed]'"
        ) from None
    return Client, LocalCluster, wait


def code_with_dask(
    paths: Sequence[str],
    config: Config | None,
    out_dir: str | os.PathLike[str],
    *,
    scheduler: str | None = None,
    client: Any | None = None,
    n_workers: int | None = None,
    partition_size: int = 512,
    in_flight: int = 2,
    options: Any | None = None,
    stdin: TextIO | None = None,
    report: IngestReport | None = None,
    progress: Any | None = None,
    overwrite: bool = False,
) -> DaskReport:
    """Code the stories in ``paths`` on a Dask cluster into Parquet partitions in ``out_dir``.

    ``scheduler`` is an address such as ``tcp://10.0.0.5:8786``; ``client`` an existing
    ``distributed.Client``; with neither, a ``LocalCluster`` of ``n_workers`` processes
    (default: one per CPU) runs for the duration of the call. ``partition_size`` is
    rounded up to a multiple of ``config.batch_size`` so the parser batches as in one
    process; at most ``in_flight`` partitions per worker are outstanding, so the input
    streams in bounded memory. ``options`` is a :class:`detente.jobs.ReadOptions`.
    ``out_dir`` must hold no partitions yet unless ``overwrite``, which deletes them.
    """
    config = config or Config()
    if partition_size < 1 or in_flight < 1:
        raise ConfigError("partition_size and in_flight must be positive")
    size = -(-partition_size // config.batch_size) * config.batch_size
    out = Path(out_dir)
    if existing_parts(out) or any((out / "stories").glob("part-*.parquet")):
        if not overwrite:
            raise ConfigError(f"{out}: holds Parquet partitions already; load or remove them")
        clear_parts(out)
    out.mkdir(parents=True, exist_ok=True)

    result = DaskReport(out_dir=str(out), input=report if report is not None else IngestReport())
    stories = read_stories(
        paths,
        default_date=getattr(options, "default_date", None),
        input_format=getattr(options, "input_format", None),
        text_column=getattr(options, "text_column", "text"),
        stdin=stdin,
        report=result.input,
    )

    Client, LocalCluster, wait = _import_dask()
    own_cluster = own_client = None
    if client is None:
        if scheduler:
            client = own_client = Client(scheduler)
        else:
            own_cluster = LocalCluster(
                n_workers=n_workers or default_jobs(),
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            client = own_client = Client(own_cluster)
    try:
        workers = max(1, len(client.scheduler_info(n_workers=-1).get("workers", {})))
        limit = workers * in_flight
        run = uuid.uuid4().hex[:8]
        pending: set[Any] = set()

        def collect(done: Iterable[Any]) -> None:
            for future in done:
                part, files = future.result()
                write_partition_bytes(out, part.index, files)
                result.add(part)
                if progress is not None:
                    progress.advance(part.stories)
                future.release()

        for index, part in enumerate(_partitions(stories, size)):
            pending.add(
                client.submit(
                    code_partition, part, config, index, key=f"detente-code-{run}-{index}"
                )
            )
            if len(pending) >= limit:
                done, not_done = wait(pending, return_when="FIRST_COMPLETED")
                pending = set(not_done)
                collect(done)
        while pending:
            done, not_done = wait(pending, return_when="FIRST_COMPLETED")
            pending = set(not_done)
            collect(done)
    finally:
        if own_client is not None:
            own_client.close()
        if own_cluster is not None:
            own_cluster.close()
    return result
