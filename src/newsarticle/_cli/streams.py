"""Where the command writes: results to the standard output it found, everything else to standard error."""

from __future__ import annotations

import os
import sys
from typing import TextIO

from newsarticle._cli.exits import UsageError


class Results:
    """Where the command's results go: the standard output ``main`` found; None when it was closed."""

    stream: TextIO | None = sys.stdout


results = Results()


def stdout() -> TextIO:
    """The stream for the command's results; a closed one is a usage error (nothing could receive them)."""
    if results.stream is None:
        raise UsageError("standard output is closed: nothing can receive the result; write to a file with -o")
    return results.stream


def closed_streams() -> frozenset[int]:
    """Which of file descriptors 0, 1 and 2 are closed; each is opened on the null device.

    Otherwise the next file opened (an output's temporary file) would take the
    number, and whatever writes to "standard output" would write into it.
    """
    closed = set()
    for number in (0, 1, 2):
        try:
            os.fstat(number)
        except OSError:
            closed.add(number)
    for number in sorted(closed):
        spare = os.open(os.devnull, os.O_RDWR)
        if spare != number:
            os.dup2(spare, number)
            os.close(spare)
    return frozenset(closed)


def route_warnings(*, quiet: bool, traceback: bool = False) -> None:
    """Plugin warnings as one readable line each, not Python's source-line format; none with ``-q``.

    :param traceback: Also print, below the line, the traceback a warning carries (a plugin that
        failed to load: ``PluginWarning.traceback``), so its author can find the line.
    """
    import warnings

    def show(message: Warning | str, *_args: object, **_kwargs: object) -> None:
        if quiet:
            return
        print(f"newsarticle: warning: {message}", file=sys.stderr)
        text = getattr(message, "traceback", "")
        if traceback and isinstance(text, str) and text:
            from newsarticle._batch.records import shown_traceback  # indented and escaped, as a file's

            print(shown_traceback(text), file=sys.stderr)

    warnings.showwarning = show
