"""The per-file time limit: SIGALRM inside Python code, and the moment a file is rendered and no longer given up."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator

from newsarticle._exceptions import HostInterrupt

#: The per-file time limit (``--timeout``) when none is given, in seconds; 0 means none.
DEFAULT_TIMEOUT = 60.0
#: How long past the time limit a worker may stay on one file before the parent kills it:
#: the limit raises inside Python code, but a hang in C code never returns to the interpreter.
KILL_GRACE = 5.0
TIMEOUT = "timeout"


class TimeLimitExceeded(HostInterrupt):
    """Raised by SIGALRM inside a file's read, parse or render.

    A BaseException, like KeyboardInterrupt, so that the ``except Exception``
    of a renderer or of :func:`process` cannot swallow it; a
    :class:`~newsarticle._exceptions.HostInterrupt`, so that the host does not
    take it for the plugin's fault. It never leaves :func:`run_file` or the
    command's probe, so it is no library error.
    """


def _alarm(_signum: int, _frame: object) -> None:
    raise TimeLimitExceeded


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`TimeLimitExceeded` in the block after ``seconds`` (0: never).

    Only where SIGALRM exists (not on Windows) and in the main thread (not in a
    Dask worker's task thread): elsewhere the block runs without a limit.
    """
    setitimer = getattr(signal, "setitimer", None)
    if seconds <= 0 or setitimer is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _alarm)
    setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def clock_stopped() -> Iterator[None]:
    """Stop the clock of the :func:`time_limit` in force, if any, for the block: a write, which it does not bound."""
    setitimer = getattr(signal, "setitimer", None)
    if setitimer is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    remaining, _interval = setitimer(signal.ITIMER_REAL, 0)
    try:
        yield
    finally:
        if remaining > 0:
            setitimer(signal.ITIMER_REAL, remaining)


# What process() calls when a file is rendered and about to be written (run_file's before_write);
# per thread, because a Dask worker runs chunks in several threads.
file_state = threading.local()


def work_done() -> None:
    """The file is rendered: from here on it is written and reported, never given up half-way.

    Cancels the time limit, and calls the ``before_write`` that :func:`run_file`
    was given (in-process, it makes Ctrl-C wait until the file is reported).
    """
    setitimer = getattr(signal, "setitimer", None)
    if setitimer is not None and threading.current_thread() is threading.main_thread():
        setitimer(signal.ITIMER_REAL, 0)
    before_write: Callable[[], None] | None = getattr(file_state, "before_write", None)
    if before_write is not None:
        before_write()
