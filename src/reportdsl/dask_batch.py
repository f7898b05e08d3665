"""A batch (compile or audit) on Dask distributed, the optional extra `dask`: a province's or a
nation's published disclosures on as many machines as a cluster has.

`--scheduler local` starts a cluster on this machine (-j workers, each a process, listening on
127.0.0.1 only, no dashboard); `--scheduler tcp://HOST:8786` uses a running one, whose workers
have reportdsl installed and see the same paths (docs/scale.md). Each job is the one a worker
process of `-j` runs; results come back in the order of the paths, and each is released on the
workers once it is read, so the batch holds no more than its results' lines.
"""

from __future__ import annotations

from typing import Callable, Iterator

LOCAL = "local"
CONNECT_TIMEOUT = "10s"


class SchedulerError(Exception):
    """The cluster cannot be used; the message says why and what to do."""


def run_on_dask(job: Callable, paths: list[str], options, scheduler: str, workers: int,
                warm_up: Callable[[], None]) -> Iterator:
    import logging

    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise SchedulerError("--scheduler needs Dask distributed: pip install 'reportdsl[dask]'") from None
    cluster = None
    try:
        if scheduler == LOCAL:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                   dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster if cluster is not None else scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        if cluster is not None:
            cluster.close()
        raise SchedulerError(f"cannot reach the Dask scheduler at {scheduler} ({type(exc).__name__}: {exc}); "
                             "start one (dask scheduler) or use --scheduler local") from None
    try:
        client.run(warm_up)
        shared = client.scatter(options, broadcast=True)  # a template's bytes travel once, not with each job
        futures = client.map(job, paths, options=shared, pure=False)
        for future in futures:
            yield _result(future, scheduler)
            future.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _result(future, scheduler: str):
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - a worker lost or killed: said in the user's words
        raise SchedulerError(f"a Dask worker of {scheduler} failed ({type(exc).__name__}: {exc})") from None
