"""The same batch conversion, on a Dask cluster: ``newsarticle convert ... --scheduler tcp://host:8786``.

:class:`DaskWorkers` is the batch runner's :class:`~newsarticle._batch.records.Workers`
on a cluster: each Dask task is one chunk of files that a worker reads, parses,
renders and writes exactly as a local worker process does
(:func:`newsarticle._batch.work.run_file`), and :class:`~newsarticle._batch.runner.Runner`
feeds them and yields outcomes in input order, so the output is the same as
with ``--jobs``. The workers need newsarticle (and any plugin the format comes
from) installed, and the input and output folders on a filesystem they share.

A lost worker costs its chunk's files (Dask reports the task as failed). A lost
scheduler costs every chunk in flight: Dask cancels their futures at once, and
:meth:`DaskWorkers.failure` tells the runner to end the run instead of waiting
for a scheduler that may never come back.

Only imported with ``--scheduler``; needs ``pip install 'newsarticle[dask]'``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from typing import Any

from distributed import Client, Future
from distributed import wait as wait_for

from newsarticle._batch.records import Job, Outcome, Problem, Task
from newsarticle._batch.work import lost, run_file

__all__ = [
    "CONNECT_TIMEOUT",
    "TIMEOUT_ENV",
    "ClusterMismatch",
    "DaskWorkers",
    "connect_timeout",
    "preflight",
    "run_chunk",
    "silence_dask",
    "worker_report",
]

#: How long to wait for the scheduler (to connect, and to reconnect) when TIMEOUT_ENV is not set, in seconds.
CONNECT_TIMEOUT = 10.0
#: The environment variable that sets that wait, in seconds.
TIMEOUT_ENV = "NEWSARTICLE_SCHEDULER_TIMEOUT"
#: The code of a file whose result was lost with the scheduler.
SCHEDULER_LOST = "scheduler"
# Transports distributed speaks; anything else would only fail after the timeout.
_SCHEMES = frozenset({"tcp", "tls", "inproc", "ucx", "ws", "wss"})


def check_address(address: str) -> None:
    """Refuse at once a scheduler address whose transport Dask does not speak (it would fail after the timeout).

    :raises ValueError: the message says which transports there are.
    """
    scheme, _, rest = address.rpartition("://")
    scheme = scheme or "tcp"
    if scheme not in _SCHEMES:
        raise ValueError(f"a scheduler address starts with one of {', '.join(sorted(_SCHEMES))}://")
    # Without a port Dask fails only after its timeout, and a half-made client then prints a traceback.
    port = rest.rpartition(":")[2]
    if scheme in {"tcp", "tls", "ws", "wss"} and not (port.isdigit() and 0 < int(port) < 65536):
        raise ValueError(f"a scheduler address names its port: {scheme}://HOST:PORT (8786 by default)")


def connect_timeout() -> float:
    """The wait for the scheduler: ``NEWSARTICLE_SCHEDULER_TIMEOUT`` seconds, or CONNECT_TIMEOUT.

    :raises ValueError: the variable is set to something other than a positive number.
    """
    text = os.environ.get(TIMEOUT_ENV, "").strip()
    if not text:
        return CONNECT_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value < float("inf"):
        raise ValueError(f"{TIMEOUT_ENV}={text!r} is not a number of seconds greater than 0")
    return value


class ClusterMismatch(ValueError):
    """The cluster cannot run the job: no worker joined, or workers lack the format or run another
    newsarticle; the message names the workers."""


class SchedulerUnresponsive(ConnectionError):
    """The Dask scheduler stopped answering in the middle of a run (a stopped or hung process, a network
    that drops without closing): the run ends instead of waiting for good."""


def result_or_silence(future: Future[Any], client: Client, wait: float) -> Any:
    """``future.result()``, asking the scheduler every ``wait`` seconds whether it still answers.

    A partition may rightly take longer than any fixed limit; a scheduler that no longer answers never
    brings its result. Every wait of the command is bounded this way.

    :raises SchedulerUnresponsive: the scheduler did not answer within ``wait`` seconds.
    """
    scheduler = client.scheduler
    assert scheduler is not None  # a connected client's
    while True:
        try:
            return future.result(timeout=wait)
        except TimeoutError:
            try:
                client.sync(scheduler.identity, callback_timeout=wait)
            except (TimeoutError, OSError) as exc:
                raise SchedulerUnresponsive(
                    f"the Dask scheduler at {scheduler.address} did not answer within {wait:g} s"
                ) from exc


def worker_report() -> dict[str, object]:
    """What a worker has: its newsarticle version and the formats it can write (run on every worker)."""
    import newsarticle

    return {"newsarticle": newsarticle.__version__, "formats": sorted(info.name for info in newsarticle.formats())}


def preflight(client: Client, format_name: str | None, wait: float) -> None:
    """Before any file: a worker must join within ``wait`` seconds, and every worker must run this
    newsarticle and have ``format_name``.

    :raises ClusterMismatch: naming the workers at fault and what they lack.
    """
    import newsarticle

    try:
        client.wait_for_workers(1, timeout=wait)
    except TimeoutError:
        raise ClusterMismatch(
            f"no worker joined the scheduler within {wait:g} s; start workers with dask worker ADDRESS"
        ) from None
    reports = client.run(worker_report)
    version = newsarticle.__version__
    other = sorted(
        f"{address} ({report['newsarticle']})"
        for address, report in reports.items()
        if report["newsarticle"] != version
    )
    if other:
        raise ClusterMismatch(
            f"workers run another newsarticle than this one ({version}): {', '.join(other)}; install the same version"
        )
    if format_name is not None:
        lacking = sorted(address for address, report in reports.items() if format_name not in report["formats"])
        if lacking:
            raise ClusterMismatch(
                f"workers lack the format {format_name!r} (its plugin is not installed there): {', '.join(lacking)}"
            )


def run_chunk(tasks: list[Task], job: Job, timeout: float = 0.0) -> list[Outcome]:
    """What one Dask task does: process a chunk of files in order (``timeout`` applies where it can, see run_file)."""
    return [run_file(task, job, timeout) for task in tasks]


def silence_dask() -> None:
    """Mute Dask's log in this process: the command says what happened, once, and Dask's log
    would add tracebacks from closing a client that lost its scheduler."""
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if isinstance(logger, logging.Logger) and (name == "distributed" or name.startswith("distributed.")):
            logger.disabled = True


class _DaskChunk:
    def __init__(self, workers: DaskWorkers, future: Future[list[Outcome]], tasks: list[Task]) -> None:
        self.workers = workers
        self.future = future
        self.tasks = tasks
        self.stopped = False  # cancelled by the command (Ctrl-C), not by a lost scheduler

    def ready(self) -> bool:
        return bool(self.future.done()) or self.workers.failure() is not None

    def wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        if not self.future.cancelled():
            # Waits without fetching the result: outcomes() fetches it, once (result() here gathered it twice).
            with contextlib.suppress(Exception):  # not done yet, or failed: outcomes() tells
                wait_for([self.future], timeout=timeout)
        # A future that gives up at once (a client that lost its scheduler) must not make the caller spin.
        if not self.ready():
            time.sleep(max(0.0, deadline - time.monotonic()))

    def outcomes(self) -> list[Outcome]:
        if self.future.cancelled() and self.stopped:
            return []  # stopped by an interruption before its result came back: a rerun does it
        if not self.future.done() or self.future.cancelled():
            reason = self.workers.failure() or "the Dask scheduler cancelled it"
            return [lost(task, reason, SCHEDULER_LOST) for task in self.tasks]
        try:
            outcomes: list[Outcome] = self.future.result()
        except Exception as exc:  # a lost worker costs its chunk's files, not the batch
            return [lost(task, f"the worker failed: {exc!r}") for task in self.tasks]
        return [_as_given(outcome, task) for outcome, task in zip(outcomes, self.tasks, strict=True)]


def _absolute(task: Task) -> Task:
    """``task`` with absolute paths: a relative path means the command's working folder, not a worker's."""
    output = None if task.output is None else os.path.abspath(task.output)
    return task._replace(source=os.path.abspath(task.source), output=output)


def _as_given(outcome: Outcome, task: Task) -> Outcome:
    """The worker's outcome with the paths the user gave, so that messages name files as a local run does."""
    sent = _absolute(task)

    def named(problems: tuple[Problem, ...]) -> tuple[Problem, ...]:
        return tuple(p._replace(path=task.source) if p.path == sent.source else p for p in problems)

    return outcome._replace(
        source=task.source if outcome.source == sent.source else outcome.source,
        output=task.output if outcome.output == sent.output else outcome.output,
        errors=named(outcome.errors),
        warnings=named(outcome.warnings),
    )


class DaskWorkers:
    """The workers of the Dask cluster whose scheduler is at ``address``.

    :raises OSError: the scheduler cannot be reached (connecting happens here,
        before any file is touched).
    :raises ValueError: the address names no transport Dask knows, or
        NEWSARTICLE_SCHEDULER_TIMEOUT is no number of seconds.
    """

    def __init__(self, job: Job, address: str, *, timeout: float = 0.0) -> None:
        check_address(address)
        # Paths are made absolute before they are sent: a worker started in another folder would read and
        # write there (the outcomes come back with the paths as given).
        root = job.output_root
        self.job = job if root is None else job._replace(output_root=os.path.abspath(root))
        self.address = address
        self.timeout = timeout
        self._wait = connect_timeout()
        self._closing = False
        self._lost = False
        # Results come straight from the workers that hold them, not relayed through the scheduler.
        self.client = Client(address, timeout=f"{self._wait}s", set_as_default=False, direct_to_workers=True)
        try:
            preflight(self.client, job.format if job.mode != "check" else None, self._wait)
        except BaseException:
            self.client.close()
            raise
        self._window: int = 4 * max(1, sum(self.client.nthreads().values()))
        self._counted = time.monotonic()
        self._chunks: list[_DaskChunk] = []

    #: How often the window asks the scheduler how many threads the cluster has now, in seconds.
    WINDOW_REFRESH = 2.0

    @property
    def window(self) -> int:
        """Chunks in flight: four per worker thread the cluster has now (it follows an autoscaling cluster)."""
        now = time.monotonic()
        if now - self._counted >= self.WINDOW_REFRESH and self.failure() is None:
            self._counted = now
            with contextlib.suppress(Exception):  # a scheduler that just went away: failure() tells the runner
                self._window = 4 * max(1, sum(self.client.nthreads().values()))
        return self._window

    def submit(self, tasks: list[Task]) -> _DaskChunk:
        sent = [_absolute(task) for task in tasks]
        future = self.client.submit(run_chunk, sent, self.job, self.timeout, pure=False)
        chunk = _DaskChunk(self, future, tasks)
        self._chunks.append(chunk)
        if len(self._chunks) > 2 * self.window:
            self._chunks = [c for c in self._chunks if not c.future.done()]
        return chunk

    def failure(self) -> str | None:
        """Why no file can be processed any more (the scheduler is gone), or None."""
        if not self._lost and not self._closing and self.client.status != "running":
            # Dask cancelled every future when the connection dropped; a reconnection would not bring them back.
            self._lost = True
            silence_dask()
        if self._lost:
            return f"the connection to the Dask scheduler at {self.address} was lost before the result came back"
        return None

    def stop(self) -> None:
        # Queued chunks never start; running ones finish their files (writes are atomic).
        waiting = [c for c in self._chunks if not c.future.done()]
        for chunk in waiting:
            chunk.stopped = True
        if waiting and self.failure() is None:
            self.client.cancel([c.future for c in waiting])

    def close(self, *, finished: bool) -> None:
        if not finished:
            self.stop()
        self._closing = True
        self.client.close(timeout=self._wait)
