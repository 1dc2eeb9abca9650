"""Local worker processes: one pipe each, a killed or stuck worker costs only the file it was on."""

from __future__ import annotations

import collections
import contextlib
import gc
import os
import signal
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from newsarticle._atomic import STOP_SIGNALS, remove_stale, signals_deferred
from newsarticle._batch.records import Chunk, Job, Outcome, Task
from newsarticle._batch.timelimit import KILL_GRACE, TIMEOUT, TimeLimitExceeded, time_limit
from newsarticle._batch.work import lost, run_file

if TYPE_CHECKING:
    from multiprocessing.connection import Connection


#: How long a worker that was told to go may take to exit before it is killed.
EXIT_GRACE = 2.0
#: A pause this long between the parent's looks at the workers is the parent's own (a slow
#: reader of its output): the workers' silence during it does not count against them.
PARENT_AWAY = 1.0
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _die_with_parent(parent: int) -> None:
    """Make this worker end when the command's process dies, even by SIGKILL.

    On Linux the kernel sends SIGTERM when the parent dies (held back while a
    file is being written, so the file is whole first); elsewhere the worker
    checks its parent between files (:func:`_worker_loop`).
    """
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):  # a libc without prctl: the check below remains
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _unblock(*signums: int) -> None:
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is not None:
        mask(signal.SIG_UNBLOCK, set(signums))


def _worker_loop(connection: Connection, job: Job, *, stop: Any, started: Any, timeout: float, parent: int) -> None:
    """A worker process: receive a chunk of tasks, send one outcome per file, then None; until None comes."""
    # Ctrl-C and a closed terminal's SIGHUP reach the whole process group; only the parent
    # decides what they mean (it stops the run and writes the report).
    # SIGTERM keeps its default so that a worker ends at once; while write_atomic
    # holds a temporary file it is held back, so the file is whole first.
    for number in STOP_SIGNALS:
        signal.signal(number, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, which a fork inherits
    # Forked with them held back (LocalWorkers._start): one that came meanwhile acts now, by these rules.
    _unblock(*STOP_SIGNALS)
    _die_with_parent(parent)
    while True:
        try:
            tasks: list[Task] | None = connection.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if tasks is None:
            return
        for task in tasks:
            if stop.value or os.getppid() != parent:
                break  # interrupted: report what is done, leave the rest to a rerun
            # The parent reads this clock to kill a worker stuck past the limit in C code.
            started.value = time.monotonic()
            outcome = run_file(task, job, timeout)
            started.value = 0.0  # sending is not working on the file: a slow reader must not look like a hang
            if not _send(connection, outcome):
                return
        if not _send(connection, None):
            return


def _send(connection: Connection, message: Outcome | None) -> bool:
    """Send to the parent; False when it is gone."""
    try:
        connection.send(message)
    except OSError:
        return False
    return True


class _LocalChunk:
    """A chunk's outcomes as they arrive, one per file; ``finished`` once its worker sent its end (or was lost)."""

    def __init__(self, workers: LocalWorkers, tasks: list[Task]) -> None:
        self.workers = workers
        self.tasks = tasks
        self.done: list[Outcome] = []
        self.finished = False

    def ready(self) -> bool:
        if not self.finished:
            self.workers.pump(0.0)
        return self.finished

    def wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not self.finished:
            self.workers.pump(max(0.0, deadline - time.monotonic()))
            if time.monotonic() >= deadline:
                return

    def outcomes(self) -> list[Outcome]:
        return self.done


class _Worker:
    """One worker process, the parent's end of its pipe, and the chunk it is on."""

    def __init__(self, process: Any, connection: Connection, started: Any) -> None:
        self.process = process
        self.connection = connection
        self.started = started  # when the worker began its current file (time.monotonic), 0.0 between files
        self.chunk: _LocalChunk | None = None
        # When the parent last heard from it (a chunk sent, an outcome received), on the parent's clock:
        # a worker stopped while it sends or waits has no file started, yet holds a chunk.
        self.heard = time.monotonic()
        self.killed_for_time = False
        self.was_on_file = False
        self.torn = False


class LocalWorkers:
    """Worker processes on this machine, each with a pipe of its own, stopped between files by a shared flag.

    The parent knows which chunk each worker is on and gets one outcome per
    file, so a worker that dies (the out-of-memory killer, ``kill -9``) costs
    only the file it was on: that file fails with code ``worker``, a new
    worker takes its place and the rest of its chunk. A worker stuck on one
    file past the time limit plus :data:`KILL_GRACE` (a hang in C code that
    SIGALRM cannot break) is killed the same way, and its file fails with code
    ``timeout``; so is one that holds a chunk and sends nothing for that long
    in any state (stopped with SIGSTOP between files, blocked on its pipe): its
    next file fails with code ``worker``. Every wait in the parent is bounded
    by the time limit; with no time limit a stopped worker cannot be told from
    a slow one, and only an interrupt ends the wait.
    """

    def __init__(
        self, job: Job, jobs: int, *, timeout: float = 0.0, interrupted: Callable[[], bool] = lambda: False
    ) -> None:
        import multiprocessing

        # Fork where there is fork: the worker must be the command's child to die with it,
        # and a forked worker inherits "ignore SIGINT" and the imported modules at once.
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        self._context: Any = multiprocessing.get_context(method)
        self.window = 4 * jobs
        self.job = job
        self.timeout = timeout
        self._interrupted = interrupted
        self._stop = self._context.RawValue("b", 0)
        self._queue: collections.deque[_LocalChunk] = collections.deque()
        self._workers = [self._start() for _ in range(jobs)]
        self._last_pump = time.monotonic()

    def _start(self) -> _Worker:
        parent_end, child_end = self._context.Pipe()
        started = self._context.RawValue("d", 0.0)
        process = self._context.Process(
            target=_worker_loop,
            args=(child_end, self.job),
            kwargs={"stop": self._stop, "started": started, "timeout": self.timeout, "parent": os.getpid()},
            daemon=True,
        )
        # Forked workers ignore SIGINT from their very first instruction, and share a
        # frozen heap: the collector never walks (and so never copies) the parent's objects.
        # SIGTERM is held back across the fork: until the worker sets its own handler, it has the
        # parent's, which only sets a flag, so a SIGTERM then (multiprocessing's exit) would be lost
        # and the parent would wait on that worker for ever.
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        gc.freeze()
        try:
            with signals_deferred():
                process.start()
        finally:
            gc.unfreeze()
            signal.signal(signal.SIGINT, previous)
        child_end.close()  # so that the parent reads end-of-file when the worker dies
        return _Worker(process, parent_end, started)

    def submit(self, tasks: list[Task]) -> Chunk:
        chunk = _LocalChunk(self, tasks)
        if self._stop.value:
            chunk.finished = True
        else:
            self._queue.append(chunk)
            self._dispatch()
        return chunk

    def failure(self) -> None:
        """None: a lost local worker is replaced, and the run goes on."""

    def stop(self) -> None:
        self._stop.value = 1
        while self._queue:  # never started: nothing to report, a rerun does them
            self._queue.popleft().finished = True

    def pump(self, timeout: float) -> None:
        """Wait at most ``timeout`` for news from the workers, and act on it."""
        from multiprocessing.connection import wait

        self._excuse_absence()
        busy = [worker for worker in self._workers if worker.chunk is not None]
        if busy:
            waitables: list[Any] = [worker.connection for worker in busy]
            waitables += [worker.process.sentinel for worker in busy]
            wait(waitables, timeout=min(timeout, self._until_deadline(busy)))
        for worker in busy:
            self._receive(worker)
        self._enforce_time_limit()
        self._dispatch()
        self._last_pump = time.monotonic()

    def _excuse_absence(self) -> None:
        """After the parent was away (its reader was slow, the machine slept), the workers start a fresh
        period: their silence meanwhile may have been a send waiting on the parent."""
        now = time.monotonic()
        if now - self._last_pump > PARENT_AWAY:
            for worker in self._workers:
                worker.heard = max(worker.heard, now)

    def _until_deadline(self, busy: list[_Worker]) -> float:
        if self.timeout <= 0:
            return float("inf")
        return max(0.0, min(worker.heard for worker in busy) + self.timeout + KILL_GRACE - time.monotonic())

    def _receive(self, worker: _Worker) -> None:
        chunk = worker.chunk
        assert chunk is not None
        # A worker stopped half-way through sending leaves a message that recv would wait on for ever.
        limit = self.timeout + KILL_GRACE if self.timeout > 0 else 0.0
        try:
            while worker.connection.poll():
                with time_limit(limit):
                    message: Outcome | None = worker.connection.recv()
                worker.heard = time.monotonic()
                if message is None:
                    chunk.finished = True
                    worker.chunk = None
                    return
                chunk.done.append(message)
        except (EOFError, OSError):  # died, possibly half-way through a message
            self._lost(worker)
            return
        except TimeLimitExceeded:
            worker.torn = True  # the pipe holds the rest of a message: nothing more can be read from it
            self._kill_silent(worker)
            return
        if not worker.process.is_alive():
            self._lost(worker)

    def _enforce_time_limit(self) -> None:
        if self.timeout <= 0:
            return
        now = time.monotonic()
        for worker in self._workers:
            if worker.chunk is not None and now - worker.heard > self.timeout + KILL_GRACE:
                self._kill_silent(worker)

    def _kill_silent(self, worker: _Worker) -> None:
        """Kill a worker that sent nothing for longer than the limit plus the grace, and take its loss."""
        # Read before the kill: a worker stopped between files must not be said to be slow on one.
        worker.was_on_file = bool(worker.started.value)
        worker.killed_for_time = True
        worker.process.kill()
        worker.process.join(EXIT_GRACE)
        self._lost(worker)

    def _lost(self, worker: _Worker) -> None:
        """The worker died on its chunk: fail the file it was on, and hand the rest to a new worker."""
        chunk = worker.chunk
        assert chunk is not None
        worker.process.join(EXIT_GRACE)
        if worker.process.is_alive():  # its pipe broke, yet it lives: make sure
            worker.process.kill()
            worker.process.join(EXIT_GRACE)
        if not worker.torn:
            _drain(worker.connection, chunk)
        worker.connection.close()
        if chunk.finished:  # it had sent its end before it died: nothing was lost, _dispatch replaces it
            worker.chunk = None
            return
        index = self._workers.index(worker)
        stopping = bool(self._stop.value) or self._interrupted()
        if not stopping and len(chunk.done) < len(chunk.tasks):
            task = chunk.tasks[len(chunk.done)]
            if worker.killed_for_time and not worker.was_on_file:
                reason = (
                    f"its worker sent nothing for longer than the time limit of {self.timeout:g} s (--timeout)"
                    f" plus {KILL_GRACE:g} s while on no file (stopped, or blocked sending), so it was killed;"
                    " run the same command again to finish it"
                )
                chunk.done.append(lost(task, reason))
            elif worker.killed_for_time:
                reason = (
                    f"took longer than the time limit of {self.timeout:g} s (--timeout) and did not stop"
                    " (stuck outside Python code, or its process stopped), so its worker was killed"
                )
                chunk.done.append(lost(task, reason, TIMEOUT))
            else:
                # Killed at any moment: most likely mid-file, but possibly just after the file was written whole.
                reason = f"{_death(worker.process.exitcode)}; run the same command again to finish it"
                chunk.done.append(lost(task, reason))
            if task.output is not None:  # killed while writing it, the worker left its temporary file
                remove_stale(os.path.dirname(os.path.abspath(task.output)))
        if stopping or len(chunk.done) >= len(chunk.tasks):
            # Interrupted: the rest of the chunk is left for a rerun, like the files not started.
            chunk.finished = True
        else:
            self._queue.appendleft(chunk)  # first in line: the run waits for it
        self._workers[index] = self._start() if not stopping else worker
        if stopping:
            worker.chunk = None

    def _dispatch(self) -> None:
        if self._stop.value:
            return
        for index, worker in enumerate(self._workers):
            if not self._queue:
                return
            if worker.chunk is not None:
                continue
            if not worker.process.is_alive():  # died while idle: it had no file to lose
                worker.process.join(EXIT_GRACE)
                worker.connection.close()
                self._workers[index] = self._start()
            self._send_chunk(self._workers[index])

    def _send_chunk(self, worker: _Worker) -> None:
        chunk = self._queue.popleft()
        try:
            worker.connection.send(chunk.tasks[len(chunk.done) :])
        except OSError:  # died just now: the next round replaces it
            self._queue.appendleft(chunk)
            return
        worker.chunk = chunk
        worker.heard = time.monotonic()

    def close(self, *, finished: bool) -> None:
        for worker in self._workers:
            if worker.process.exitcode is None and not worker.connection.closed:
                with contextlib.suppress(OSError):
                    if finished or worker.chunk is None:
                        worker.connection.send(None)
        deadline = time.monotonic() + EXIT_GRACE
        for worker in self._workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                # Still on a file after the grace: SIGTERM waits for a write in progress.
                worker.process.terminate()
                worker.process.join(EXIT_GRACE)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(EXIT_GRACE)
            worker.connection.close()


def _drain(connection: Connection, chunk: _LocalChunk) -> None:
    """Take the whole messages a dead worker sent before it died: they may have come after the last look."""
    with contextlib.suppress(EOFError, OSError):
        while connection.poll():
            message: Outcome | None = connection.recv()
            if message is None:
                chunk.finished = True
                return
            chunk.done.append(message)


def _death(exitcode: int | None) -> str:
    """How a worker ended, for the record of the file it was on."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = "an unknown signal"
        hint = " (the out-of-memory killer sends it)" if -exitcode == signal.SIGKILL else ""
        return f"the worker processing it was killed (signal {-exitcode}, {name}{hint})"
    return f"the worker processing it exited unexpectedly (status {exitcode})"
