"""The runner: feeds planned files to workers (or works in-process) and yields outcomes in input order."""

from __future__ import annotations

import collections
import contextlib
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from typing import TypeGuard, cast

from newsarticle._batch.records import Chunk, Interruptible, Job, Outcome, Task, Workers
from newsarticle._batch.timelimit import DEFAULT_TIMEOUT
from newsarticle._batch.work import run_file
from newsarticle._batch.workers import LocalWorkers

#: How long an interrupted run waits for the workers to finish the file each is on.
STOP_GRACE = 10.0


class Runner:
    """Processes planned items in input order: in-process (``jobs == 1``), or on :class:`Workers`.

    With workers, items are fed lazily in chunks that grow from 4 files to
    ``chunk`` (a small batch is spread over every worker; a large one pays
    little for the pipes), at most ``workers.window`` chunks are in flight,
    and outcomes are yielded in input order.
    ``interrupted`` is polled between files (in-process) or ten times a
    second (with workers). When it returns True, or the consumer stops early
    (``--fail-fast``), the workers are told to stop after their current file,
    what they finished is still yielded (after an interrupt), and the workers
    are released; :attr:`interrupted` tells the caller. When the workers
    report a :meth:`~Workers.failure` (a lost Dask scheduler), the chunks in
    flight give their (failed) outcomes and the run ends; :attr:`failure`
    tells the caller why.
    In-process, each file runs inside ``interruptible()``, a context in which
    the interrupt raises KeyboardInterrupt at once (so a hanging renderer can
    be stopped); the file in progress is then left for a rerun. The context
    gives a function that ends this early: once a file is rendered, its write
    and its outcome are not interrupted, so every file written is counted.
    ``timeout`` is the per-file time limit (:func:`run_file`; 0 for none).
    """

    def __init__(
        self,
        job: Job,
        *,
        jobs: int,
        interrupted: Callable[[], bool],
        chunk: int = 64,
        workers: Callable[[Job], Workers] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        interruptible: Callable[[], Interruptible] = contextlib.nullcontext,
    ) -> None:
        self.job = job
        self.jobs = jobs
        self.chunk = chunk
        self.timeout = timeout
        self._interrupted = interrupted
        self._interruptible = interruptible
        self._workers = workers
        self.interrupted = False
        self.failure: str | None = None
        self._started = False

    def run(self, items: Iterable[Task | Outcome]) -> Generator[Outcome, None, None]:
        """The outcomes, in input order. Workers start with the first outcome asked for, not before:
        a generator that is never started (the command failed to open its outputs) leaves none behind."""
        if self._workers is None and self.jobs <= 1:
            return self._run_here(items)
        return self._run_on(items)

    def close(self) -> None:
        """Release workers given to this runner that no run has used (a run releases its own)."""
        if self._workers is not None and not self._started:
            self._started = True
            self._workers(self.job).close(finished=True)

    def _make_workers(self) -> Workers:
        self._started = True
        if self._workers is not None:
            return self._workers(self.job)
        return LocalWorkers(self.job, self.jobs, timeout=self.timeout, interrupted=self._interrupted)

    def _run_here(self, items: Iterable[Task | Outcome]) -> Generator[Outcome, None, None]:
        for item in items:
            if self._interrupted():
                self.interrupted = True
                return
            if isinstance(item, Outcome):
                yield item
                continue
            try:
                with self._interruptible() as calm:
                    outcome = run_file(item, self.job, self.timeout, calm)
            except KeyboardInterrupt:  # writes hold the signal back, so nothing is half-written
                self.interrupted = True
                return
            yield outcome

    def _run_on(self, items: Iterable[Task | Outcome]) -> Generator[Outcome, None, None]:
        workers = self._make_workers()
        pending: collections.deque[Chunk | list[Outcome]] = collections.deque()
        entries = chunked(items, self.chunk)
        finished = False
        try:
            while True:
                self.failure = workers.failure()
                if self.failure is not None:
                    # Every chunk in flight is lost with it (their outcomes say so); the rest is left for a rerun.
                    workers.stop()
                    for settled in settle(pending):
                        yield from settled.outcomes()
                    pending.clear()
                    return
                if self._interrupted():
                    self.interrupted = True
                    workers.stop()
                    # What the workers finish now is whole and written: count it. Decided
                    # entries (skips, refusals) lie beyond the interruption and are left out.
                    for settled in settle(pending):
                        yield from settled.outcomes()
                    pending.clear()  # settled or given up on: the grace is not waited out twice
                    return
                while len(pending) < workers.window:
                    entry = next(entries, None)
                    if entry is None:
                        break
                    pending.append(entry if is_decided(entry) else workers.submit(cast("list[Task]", entry)))
                if not pending:
                    break
                head = pending[0]
                if isinstance(head, list):
                    pending.popleft()
                    yield from head
                elif head.ready():
                    pending.popleft()
                    yield from head.outcomes()
                else:
                    head.wait(0.1)
            finished = True
        finally:
            if not finished:
                workers.stop()
                for _settled in settle(pending):
                    pass
            workers.close(finished=finished)


def settle(pending: Iterable[Chunk | list[Outcome]]) -> Iterator[Chunk]:
    """Wait (at most STOP_GRACE in all) for the chunks in flight; yield those that are done, in order."""
    deadline = time.monotonic() + STOP_GRACE
    for waiting in pending:
        if not isinstance(waiting, list):
            waiting.wait(max(0.0, deadline - time.monotonic()))
            if waiting.ready():
                yield waiting


def is_decided(entry: list[Task] | list[Outcome]) -> TypeGuard[list[Outcome]]:
    return isinstance(entry[0], Outcome)


def chunked(items: Iterable[Task | Outcome], largest: int) -> Iterator[list[Task] | list[Outcome]]:
    """Group consecutive tasks (and consecutive decided outcomes) into lists of 4, 8, ... up to ``largest``."""
    tasks: list[Task] = []
    decided: list[Outcome] = []
    size = min(4, largest)
    for item in items:
        if isinstance(item, Outcome):
            if tasks:
                yield tasks
                tasks = []
            decided.append(item)
            if len(decided) >= size:
                yield decided
                decided = []
        else:
            if decided:
                yield decided
                decided = []
            tasks.append(item)
            if len(tasks) >= size:
                yield tasks
                tasks = []
                size = min(2 * size, largest)
    if tasks:
        yield tasks
    if decided:
        yield decided
