"""Exit statuses and the usage error: what the command tells the shell."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
#: The Dask scheduler was lost in the middle of a run: the files in flight failed, the rest were not started.
EXIT_SCHEDULER_LOST = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a process that Ctrl-C ended
EXIT_TERMINATED = 143  # 128 + SIGTERM: a service manager can tell "stopped" from "interrupted"
#: The longest --timeout: setitimer overflows on values near 1e10 s on some platforms, so a round bound below.
MAX_SECONDS = 10**9
EXIT_HANGUP = 129  # 128 + SIGHUP: the terminal or the ssh session closed


class UsageError(Exception):
    """A command line that cannot run as given: exit status 2."""
