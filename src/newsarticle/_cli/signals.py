"""Ctrl-C, SIGTERM and SIGHUP: a flag the batch loop polls, or an exception where a file must stop at once."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from newsarticle._cli.exits import EXIT_INTERRUPTED

if TYPE_CHECKING:
    from types import FrameType


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP where Ctrl-C would raise KeyboardInterrupt: handled alike, but the exit status
    tells which (143, 129)."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class Interrupt:
    """Ctrl-C (SIGINT), SIGTERM and SIGHUP (a closed terminal) set a flag that the batch loop polls.

    The workers then stop between files.

    With ``hard`` (a single input, possibly a blocking read of standard
    input), and inside :meth:`raising` (the file in progress in this process),
    the signal raises KeyboardInterrupt (:class:`Terminated` for SIGTERM) at
    once instead, so a hanging renderer can be stopped; write_atomic holds the
    signals back while its temporary file exists, so nothing is half-written.
    """

    def __init__(self, *, hard: bool) -> None:
        self.hard = hard
        self.signal: int | None = None
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> Interrupt:
        import signal

        from newsarticle._atomic import STOP_SIGNALS

        for number in STOP_SIGNALS:
            self._previous[number] = signal.signal(number, self._handle)
        return self

    def __exit__(self, *_exc: object) -> None:
        import signal

        for number, previous in self._previous.items():
            signal.signal(number, previous)

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        if self.signal is None:
            self.signal = signum
        if self.hard:
            self._raise()

    def _raise(self) -> None:
        status = self.status()
        raise Terminated(status) if status != EXIT_INTERRUPTED else KeyboardInterrupt

    @contextlib.contextmanager
    def raising(self) -> Iterator[Callable[[], None]]:
        """A block in which the signal raises at once (and on entry, if it came already).

        It gives a function that ends the raising before the block does: once
        a file's output is being written, it is also to be reported.
        """
        hard, self.hard = self.hard, True

        def calm() -> None:
            self.hard = False

        try:
            if self.signal is not None:
                self._raise()
            yield calm
        finally:
            self.hard = hard

    @contextlib.contextmanager
    def immediate(self) -> Iterator[None]:
        """A block in which a signal that comes raises at once (one that came before does not: the run is
        ending anyway): the command's own call of plugin code, which may hang."""
        hard, self.hard = self.hard, True
        try:
            yield
        finally:
            self.hard = hard

    def __call__(self) -> bool:
        return self.signal is not None

    def status(self) -> int:
        """The exit status for the signal that came: 128 plus its number, as a shell reports it."""
        return EXIT_INTERRUPTED if self.signal is None else 128 + self.signal
