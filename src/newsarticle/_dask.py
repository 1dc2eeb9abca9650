"""The same batch conversion, on a Dask cluster: ``newsarticle convert ... --scheduler tcp://host:8786``.

:class:`DaskWorkers` is the batch runner's :class:`~newsarticle._batch.Workers`
on a cluster: each Dask task is one chunk of files that a worker reads, parses,
renders and writes exactly as a local worker process does
(:func:`newsarticle._batch.process`), and :class:`~newsarticle._batch.Runner`
feeds them and yields outcomes in input order, so the output is the same as
with ``--jobs``. The workers need newsarticle (and any plugin the format comes
from) installed, and the input and output folders on a filesystem they share.

Only imported with ``--scheduler``; needs ``pip install 'newsarticle[dask]'``.
"""

from __future__ import annotations

from distributed import Client, Future

from newsarticle._batch import Job, Outcome, Task, lost, process

__all__ = ["DaskWorkers", "run_chunk"]

#: How long to wait for the scheduler before giving up.
CONNECT_TIMEOUT = "10s"
# Transports distributed speaks; anything else would only fail after the timeout.
_SCHEMES = frozenset({"tcp", "tls", "inproc", "ucx", "ws", "wss"})


def run_chunk(tasks: list[Task], job: Job) -> list[Outcome]:
    """What one Dask task does: process a chunk of files in order."""
    return [process(task, job) for task in tasks]


class _DaskChunk:
    def __init__(self, future: Future[list[Outcome]], tasks: list[Task]) -> None:
        self.future = future
        self.tasks = tasks

    def ready(self) -> bool:
        return bool(self.future.done())

    def wait(self, timeout: float) -> None:
        if self.future.cancelled():
            return
        try:
            self.future.result(timeout=timeout)
        except Exception:  # not done yet, or failed: outcomes() tells
            return

    def outcomes(self) -> list[Outcome]:
        if self.future.cancelled():
            return []  # stopped by an interruption before its result came back: a rerun does it
        try:
            return self.future.result()
        except Exception as exc:  # a lost worker costs its chunk's files, not the batch
            return [lost(task, f"the worker failed: {exc!r}") for task in self.tasks]


class DaskWorkers:
    """The workers of the Dask cluster whose scheduler is at ``address``.

    :raises OSError: the scheduler cannot be reached (connecting happens here,
        before any file is touched).
    :raises ValueError: the address names no transport Dask knows.
    """

    def __init__(self, job: Job, address: str) -> None:
        scheme = address.partition("://")[0] if "://" in address else "tcp"
        if scheme not in _SCHEMES:
            raise ValueError(f"a scheduler address starts with one of {', '.join(sorted(_SCHEMES))}://")
        self.job = job
        self.client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        self.window = 4 * max(1, sum(self.client.nthreads().values()))
        self._chunks: list[_DaskChunk] = []

    def submit(self, tasks: list[Task]) -> _DaskChunk:
        chunk = _DaskChunk(self.client.submit(run_chunk, tasks, self.job, pure=False), tasks)
        self._chunks.append(chunk)
        if len(self._chunks) > 2 * self.window:
            self._chunks = [c for c in self._chunks if not c.future.done()]
        return chunk

    def stop(self) -> None:
        # Queued chunks never start; running ones finish their files (writes are atomic).
        waiting = [c.future for c in self._chunks if not c.future.done()]
        if waiting:
            self.client.cancel(waiting)

    def close(self, *, finished: bool) -> None:
        if not finished:
            self.stop()
        self.client.close()
