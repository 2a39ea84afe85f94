"""Speed and scale: several processes on one machine, or a Dask cluster.

- :func:`code_parallel` — code a stream of stories with N worker processes, in order.
- :func:`ingest_parallel` — ``detente ingest --jobs N``: N coders, one store writer.
- :func:`code_with_dask` — code on a Dask cluster into Parquet partitions.
- :func:`load_parquet` — load Parquet partitions into an :class:`EventStore`.

Dask is imported only when :func:`code_with_dask` runs.
"""

from .cluster import DaskReport, code_with_dask
from .jobs import code_paths_parallel, ingest_parallel
from .parallel import code_parallel, default_jobs
from .parquet import load_parquet, write_partition

__all__ = [
    "DaskReport",
    "code_parallel",
    "code_paths_parallel",
    "code_with_dask",
    "default_jobs",
    "ingest_parallel",
    "load_parquet",
    "write_partition",
]
