"""Files that appear whole or not at all: write a temporary file beside the target, then rename it.

``os.replace`` within one directory is atomic on POSIX and Windows, so a
reader (or a rerun after Ctrl-C) sees either the old file, no file, or the
complete new one. SIGINT and SIGTERM are held back while a temporary file
exists without an owner that would remove it (between creating it and
renaming or removing it), so Ctrl-C or a terminated worker never leaves one
behind; the signal is acted on the moment the file is whole. This protects
against interruption, not against power loss: nothing is fsync'ed, which
would cost more than the conversion itself.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator

__all__ = ["TEMP_SUFFIX", "AtomicFile", "is_temporary", "signals_deferred", "write_atomic"]

#: Temporary files are named ``.<target name>.<random>.tmp``.
TEMP_SUFFIX = ".tmp"
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold back SIGINT and SIGTERM until the block ends (where the platform allows it)."""
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None:  # pragma: no cover - Windows
        yield
        return
    previous = mask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        mask(signal.SIG_SETMASK, previous)


def is_temporary(name: str) -> bool:
    """Whether a file name has the shape of this module's temporary files."""
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


def _open_temporary(path: str, *, parents: bool = True) -> tuple[int, str]:
    """Create the temporary file for ``path``; with ``parents``, create its missing folders first."""
    directory, name = os.path.split(path)
    made = False
    while True:
        temporary = os.path.join(directory, f".{name}.{os.urandom(4).hex()}{TEMP_SUFFIX}")
        try:
            # 0o666 and the umask, like open(); mkstemp would make every output 0600.
            return os.open(temporary, _FLAGS, 0o666), temporary
        except FileExistsError:  # pragma: no cover - 32 random bits collided
            continue
        except FileNotFoundError:
            # Not "raise if the folder exists now": another worker may have made it since the open failed.
            if not parents or not directory or made:
                raise
            # Only the first file of a folder pays for creating it.
            os.makedirs(directory, exist_ok=True)
            made = True


def write_atomic(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory."""
    with signals_deferred():
        descriptor, temporary = _open_temporary(path)
        try:
            with open(descriptor, "wb", closefd=True) as file:
                file.write(data)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


class AtomicFile:
    """A file written in pieces that appears under its name only on :meth:`commit`.

    For outputs written as a stream (the JSON Lines corpus, the error report).
    With ``parents=False`` a missing folder is an error (:class:`FileNotFoundError`)
    instead of being created.
    """

    def __init__(self, path: str, *, parents: bool = True) -> None:
        self.path = path
        # The caller's try/finally owns the file once this returns; until then nobody does
        # (a caller can hold signals back around creating and assigning it: signals_deferred nests).
        with signals_deferred():
            descriptor, self._temporary = _open_temporary(path, parents=parents)
            self._file = open(descriptor, "wb", closefd=True)  # noqa: SIM115 -- closed by commit or discard

    def write(self, data: bytes) -> None:
        self._file.write(data)

    def commit(self) -> None:
        """Close the file and rename it into place."""
        with signals_deferred():
            try:
                self._file.close()
                os.replace(self._temporary, self.path)
            except BaseException:
                self.discard()
                raise

    def discard(self) -> None:
        """Close and remove the temporary file; the target is left as it was."""
        with signals_deferred():
            self._file.close()
            with contextlib.suppress(OSError):
                os.unlink(self._temporary)
