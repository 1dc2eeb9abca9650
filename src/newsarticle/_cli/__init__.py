"""The ``newsarticle`` command: ``convert``, ``check``, ``formats`` and ``--version``.

Start-up is part of the interface (``newsarticle --version`` runs in scripts
and shell completions), so this module imports only the standard library's
lightest parts; the batch machinery, pluggy, cattrs and Babel load inside the
command that needs them. ``--version`` reads the plugins' distributions from
entry-point metadata without importing any plugin.

Exit status: 0 when every file converted (or was skipped), 1 when some
failed or the collection output or the error report could not be written, 2
for a usage error, 3 when the Dask scheduler was lost, 130 after Ctrl-C, 143
after SIGTERM, 129 after SIGHUP.

The rooms: :mod:`.arguments` (the grammar), :mod:`.commands` (convert and
check), :mod:`.jobs` (format and options, checked before any file),
:mod:`.guards` (path checks), :mod:`.session` (running and reporting),
:mod:`.signals`, :mod:`.streams`, :mod:`.listing` (``formats``) and
:mod:`.exits`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from newsarticle._cli.arguments import build_parser
from newsarticle._cli.exits import (
    EXIT_FAILED,
    EXIT_HANGUP,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_SCHEDULER_LOST,
    EXIT_TERMINATED,
    EXIT_USAGE,
    UsageError,
)
from newsarticle._cli.signals import Terminated
from newsarticle._cli.streams import closed_streams, results, route_warnings, stdout

__all__ = [
    "EXIT_FAILED",
    "EXIT_HANGUP",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_SCHEDULER_LOST",
    "EXIT_TERMINATED",
    "EXIT_USAGE",
    "main",
]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    closed = closed_streams()
    saved = sys.stdout, sys.stderr
    if sys.stderr is None:  # closed: messages are lost, the exit status still tells
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 -- closed in the finally below
    results.stream = None if 1 in closed else sys.stdout
    try:
        return _main(argv, closed)
    finally:
        if saved[1] is None:
            sys.stderr.close()
        sys.stdout, sys.stderr = saved
        results.stream = saved[0]


def _main(argv: Sequence[str] | None, closed: frozenset[int]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:  # --version with standard output closed
        print(f"newsarticle: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    # From here (--help is printed), the command's results go to the real standard output only;
    # everything else that prints (a plugin, at import, in a hook, in a forked worker) reaches
    # standard error and cannot corrupt them.
    sys.stdout = sys.stderr
    command: str | None = getattr(args, "command", None)
    if command is None:
        parser.print_usage(sys.stderr)
        print("newsarticle: error: choose a command: convert, check or formats", file=sys.stderr)
        return EXIT_USAGE
    route_warnings(quiet=getattr(args, "quiet", False), traceback=getattr(args, "traceback", False))
    try:
        if 0 in closed and "-" in getattr(args, "inputs", ()):
            raise UsageError("standard input is closed: there is nothing to read from -")
        if 1 in closed and (command != "convert" or getattr(args, "output", None) in (None, "-")):
            stdout()  # formats, check's report, a conversion to standard output: refused before any work
        return _handler(command)(args)
    except UsageError as exc:
        print(f"newsarticle: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt as exc:
        print("\nnewsarticle: interrupted", file=sys.stderr)
        return exc.status if isinstance(exc, Terminated) else EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (newsarticle ... | head); Python would complain again at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stdout().fileno())
        return EXIT_FAILED


def _handler(command: str) -> Callable[[argparse.Namespace], int]:
    """The function that runs ``command``; the batch commands' modules load only when one runs."""
    if command == "formats":
        from newsarticle._cli.listing import list_formats

        return list_formats
    from newsarticle._cli import commands

    return commands.convert if command == "convert" else commands.check
