"""Files that appear whole or not at all: write a temporary file beside the target, then rename it.

The guarantees, and their limits:

- ``os.replace`` within one directory is atomic on POSIX and Windows, so a
  reader (or a rerun after Ctrl-C) sees either the old file, no file, or the
  complete new one.
- A write that fails (a full disk, a quota, a read-only folder, a file too
  large, an I/O error) raises :class:`OSError` after removing its temporary
  file, wherever it failed: creating it, writing, closing or renaming. The
  target keeps its previous content.
- SIGINT and SIGTERM are held back while a temporary file exists without an
  owner that would remove it (between creating it and renaming or removing
  it), so Ctrl-C or a terminated worker never leaves one behind; the signal is
  acted on the moment the file is whole.
- SIGKILL (the OOM killer, ``kill -9``) and power loss cannot be held back. A
  temporary file's name says who wrote it, ``.<target>.<host hash>-<pid>-<random>.tmp``,
  so that :func:`remove_stale` can remove, in a later run, the files of writers
  that are gone. Nothing is fsync'ed, which would cost more than the
  conversion itself: this protects against interruption, not power loss.
- A temporary name fits wherever its target's name fits: it is never longer,
  in bytes of the file-system encoding, than the target's name or
  :data:`SHORT_NAME` bytes, whichever is more (the embedded target name is cut
  on a character boundary to make room).
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import signal
import stat
import time
import zlib
from collections.abc import Iterable, Iterator

__all__ = [
    "FOREIGN_STALE_AFTER",
    "SHORT_NAME",
    "STOP_SIGNALS",
    "TEMP_SUFFIX",
    "AtomicFile",
    "is_temporary",
    "remove_stale",
    "signals_deferred",
    "write_atomic",
]

#: Temporary files are named ``.<target name>.<host hash>-<pid>-<random>.tmp``.
TEMP_SUFFIX = ".tmp"
#: A temporary name may be this long (in bytes) even when its target's name is shorter:
#: every file system in use takes it, and it leaves room for the writer's identity.
SHORT_NAME = 64
#: A temporary file of another host (or of a version that did not name its writer)
#: is removed once it has not been modified for this many seconds: its writer cannot
#: be asked whether it is alive, and an error report a long run is still writing is
#: modified whenever its buffer fills.
FOREIGN_STALE_AFTER = 24 * 3600.0

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
# Exactly the names _temporary_name makes, nothing else: not the bare ``.<name>.<8 hex>.tmp`` of the
# first version, which a user's own file can have (an editor's ``.thesis.0badcafe.tmp``).
_OURS = re.compile(r"\..*\.(?P<host>[0-9a-f]{8})-(?P<pid>[1-9][0-9]{0,9})-[0-9a-f]{8}\.tmp\Z", re.DOTALL)


#: The signals that stop a run: Ctrl-C, SIGTERM, and SIGHUP (the terminal or the ssh session closed).
STOP_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold back the :data:`STOP_SIGNALS` until the block ends (where the platform allows it)."""
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None:  # pragma: no cover - Windows
        yield
        return
    previous = mask(signal.SIG_BLOCK, set(STOP_SIGNALS))
    try:
        yield
    finally:
        mask(signal.SIG_SETMASK, previous)


def is_temporary(name: str) -> bool:
    """Whether a file name is one of this module's temporary files, not any ``.x.tmp`` a user has."""
    # The cheap test first: walkers ask for every name of a tree, the expression sees only the few hits.
    return name.startswith(".") and name.endswith(TEMP_SUFFIX) and _OURS.match(name) is not None


@functools.cache
def _host() -> str:
    """This machine as 8 hex digits: its name, and on Linux its pid namespace (containers share host names)."""
    uname = getattr(os, "uname", None)
    node = uname().nodename if uname is not None else os.environ.get("COMPUTERNAME", "")
    try:
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        namespace = ""
    identity = f"{node}\0{namespace}".encode(errors="surrogateescape")
    return f"{zlib.crc32(identity):08x}"


def _cut(name: str, size: int) -> str:
    """The longest start of ``name`` that takes at most ``size`` bytes in the file-system encoding."""
    if len(os.fsencode(name)) <= size:
        return name
    used = 0
    for index, character in enumerate(name):
        used += len(os.fsencode(character))
        if used > size:
            return name[:index]
    return name  # pragma: no cover - the whole name fitted after all


def _temporary_name(name: str) -> str:
    writer = f".{_host()}-{os.getpid()}-{os.urandom(4).hex()}{TEMP_SUFFIX}"
    room = max(len(os.fsencode(name)), SHORT_NAME) - 1 - len(writer)
    return f".{_cut(name, room)}{writer}"


def _open_temporary(path: str, *, parents: bool = True) -> tuple[int, str]:
    """Create the temporary file for ``path``; with ``parents``, create its missing folders first."""
    directory, name = os.path.split(path)
    made = False
    while True:
        temporary = os.path.join(directory, _temporary_name(name))
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


def write_atomic(path: str, data: bytes) -> os.stat_result:
    """Write ``data`` to ``path`` through a temporary file in the same directory.

    An :class:`OSError` names ``path`` (not the temporary file, which is gone).

    :returns: The status of the file written (the rename keeps its inode and
        modification time), so that a caller can tell later whether the file at
        ``path`` is still this one.
    """
    with signals_deferred(), _naming(path):
        descriptor, temporary = _open_temporary(path)
        try:
            with open(descriptor, "wb", closefd=True) as file:
                file.write(data)
            # After the close, which flushes: a network file system sets the time when the data arrives.
            status = os.stat(temporary)
            os.replace(temporary, path)
        except BaseException:
            _remove(temporary)
            raise
    return status


@contextlib.contextmanager
def _naming(path: str) -> Iterator[None]:
    """Give an OSError the target's name: a failed write, close or rename would name the temporary file or none."""
    try:
        yield
    except OSError as exc:
        if exc.filename == path and exc.filename2 is None:
            raise
        raise OSError(exc.errno, exc.strerror, path) from exc


def _remove(temporary: str) -> None:
    # A file that cannot be removed either is past helping; the original error is the one to report.
    with contextlib.suppress(OSError):
        os.unlink(temporary)


class AtomicFile:
    """A file written in pieces that appears under its name only on :meth:`commit`.

    For outputs written as a stream (the JSON Lines corpus, the error report).
    With ``parents=False`` a missing folder is an error (:class:`FileNotFoundError`)
    instead of being created. A :meth:`write` or :meth:`commit` that fails
    discards the file (so a full disk gets its space back at once) and raises
    the :class:`OSError`; :attr:`closed` then says so.
    """

    def __init__(self, path: str, *, parents: bool = True) -> None:
        self.path = path
        # The caller's try/finally owns the file once this returns; until then nobody does
        # (a caller can hold signals back around creating and assigning it: signals_deferred nests).
        with signals_deferred(), _naming(path):
            descriptor, self._temporary = _open_temporary(path, parents=parents)
            self._file = open(descriptor, "wb", closefd=True)  # noqa: SIM115 -- closed by commit or discard

    @property
    def closed(self) -> bool:
        """Whether the file was committed or discarded (also by a failed write)."""
        return self._file.closed

    def write(self, data: bytes) -> None:
        with _naming(self.path):
            try:
                self._file.write(data)
            except OSError:
                self.discard()
                raise

    def commit(self) -> os.stat_result:
        """Close the file and rename it into place; return its status, as :func:`write_atomic` does."""
        if self.closed:
            raise ValueError(f"{self.path}: commit of a file already committed or discarded")
        with signals_deferred(), _naming(self.path):
            try:
                self._file.close()
                status = os.stat(self._temporary)
                os.replace(self._temporary, self.path)
            except BaseException:
                self.discard()
                raise
        return status

    def discard(self) -> None:
        """Close and remove the temporary file; the target is left as it was."""
        with signals_deferred():
            # A close that fails to flush (the disk is full) still closes; the file goes either way.
            try:
                self._file.close()
            except OSError:
                pass
            finally:
                _remove(self._temporary)


def remove_stale(directory: str, names: Iterable[str] | None = None) -> int:
    """Remove the temporary files in ``directory`` whose writers are gone; return how many.

    Only names of exactly this module's shape, and only regular files. A file
    whose writer ran on this host is removed when that process no longer
    exists (a zombie counts as gone); one from another host when it has not been
    modified for :data:`FOREIGN_STALE_AFTER` seconds. ``names`` spares a
    second listing when the caller has listed the folder already. Cleaning is
    a courtesy, never a failure: a folder that does not exist or cannot be
    listed, a file that cannot be removed, are left alone.
    """
    if names is None:
        try:
            names = os.listdir(directory)
        except OSError:
            return 0
    removed = 0
    for name in names:
        if not (name.startswith(".") and name.endswith(TEMP_SUFFIX)):
            continue  # the cheap test first: this runs on every name of an output folder
        match = _OURS.match(name)
        if match is None:
            continue
        path = os.path.join(directory, name)
        try:
            status = os.lstat(path)
        except OSError:
            continue
        if not stat.S_ISREG(status.st_mode) or not _stale(match, status.st_mtime):
            continue
        try:
            os.unlink(path)
        except OSError:
            continue  # another run removed it first, or the folder is read-only: not ours to fix
        removed += 1
    return removed


def _stale(match: re.Match[str], modified: float) -> bool:
    host, pid = match["host"], match["pid"]
    if host == _host() and os.name == "posix":
        return not _alive(int(pid))
    return time.time() - modified > FOREIGN_STALE_AFTER


def _alive(pid: int) -> bool:
    """Whether process ``pid`` of this host exists and is not a zombie (POSIX only)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's process, or a pid this system cannot have: not ours to judge
    try:
        with open(f"/proc/{pid}/stat", "rb") as file:
            # The state follows the command name, which is in parentheses and may hold any byte.
            return file.read().rpartition(b")")[2].split()[0] != b"Z"
    except (OSError, IndexError):
        return True
