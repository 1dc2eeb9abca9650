"""The same batch conversion, on a Dask cluster: ``newsarticle convert ... --scheduler tcp://host:8786``.

Each Dask task is one chunk of files that a worker reads, parses, renders and
writes exactly as a local worker process does (:func:`newsarticle._batch.process`),
so the workers need newsarticle (and any plugin the format comes from)
installed, and the input and output folders on a filesystem they share.
Only paths go out and small :class:`~newsarticle._batch.Outcome` tuples come
back; at most ``window`` chunks are in flight, and outcomes are yielded in
input order, so the output is the same as with ``--jobs``.

Only imported with ``--scheduler``; needs ``pip install 'newsarticle[dask]'``.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Generator, Iterable
from typing import cast

from distributed import Client, Future

from newsarticle._batch import FAILED, Job, Outcome, Problem, Task, chunked, is_decided, process

__all__ = ["DaskRunner", "run_chunk"]

#: How long to wait for the scheduler before giving up.
CONNECT_TIMEOUT = "10s"
# Transports distributed speaks; anything else would only fail after the timeout.
_SCHEMES = frozenset({"tcp", "tls", "inproc", "ucx", "ws", "wss"})


def run_chunk(tasks: list[Task], job: Job) -> list[Outcome]:
    """What one Dask task does: process a chunk of files in order."""
    return [process(task, job) for task in tasks]


class DaskRunner:
    """:class:`newsarticle._batch.Runner`'s interface, with a Dask cluster's workers instead of a local pool.

    :raises OSError: the scheduler cannot be reached (connecting happens here,
        before any file is touched).
    :raises ValueError: the address names no transport Dask knows.
    """

    def __init__(self, job: Job, address: str, *, interrupted: Callable[[], bool], chunk: int = 64) -> None:
        self.job = job
        self.chunk = chunk
        self._interrupted = interrupted
        self.interrupted = False
        scheme = address.partition("://")[0] if "://" in address else "tcp"
        if scheme not in _SCHEMES:
            raise ValueError(f"a scheduler address starts with one of {', '.join(sorted(_SCHEMES))}://")
        self.client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        self.window = 4 * max(1, sum(self.client.nthreads().values()))

    def run(self, items: Iterable[Task | Outcome]) -> Generator[Outcome, None, None]:
        pending: collections.deque[tuple[Future[list[Outcome]], list[Task]] | list[Outcome]] = collections.deque()
        entries = chunked(items, self.chunk)
        try:
            while True:
                if self._interrupted():
                    self.interrupted = True
                    # What the workers finished is whole and written: count it.
                    for waiting in pending:
                        if not isinstance(waiting, list) and waiting[0].status == "finished":
                            yield from waiting[0].result()
                    return
                while len(pending) < self.window:
                    entry = next(entries, None)
                    if entry is None:
                        break
                    if is_decided(entry):
                        pending.append(entry)
                    else:
                        tasks = cast("list[Task]", entry)
                        pending.append((self.client.submit(run_chunk, tasks, self.job, pure=False), tasks))
                if not pending:
                    return
                head = pending[0]
                if isinstance(head, list):
                    pending.popleft()
                    yield from head
                    continue
                future, tasks = head
                try:
                    outcomes = future.result(timeout=0.1)
                except TimeoutError:
                    continue
                except Exception as exc:  # a lost worker costs its chunk's files, not the batch
                    outcomes = [_lost(task, exc) for task in tasks]
                pending.popleft()
                yield from outcomes
        finally:
            # Running tasks finish their file (writes are atomic); queued ones never start.
            futures = [waiting[0] for waiting in pending if not isinstance(waiting, list)]
            if futures:
                self.client.cancel(futures)
            self.client.close()


def _lost(task: Task, exc: BaseException) -> Outcome:
    problem = Problem(task.source, None, None, "worker", f"the Dask task failed: {exc!r}")
    return Outcome(task.source, FAILED, task.output, errors=(problem,))
