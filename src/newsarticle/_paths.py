"""Paths the command line meets: how they are shown, compared and read.

Three rules, each kept in one function so that no caller gets them half right:

- :func:`display` is the one conversion of a path (as :func:`os.fsdecode` gives
  it, possibly with surrogate escapes) into text for a message, a report, JSON
  or an Article's ``source``. The file itself is always opened by its real name.
- :func:`real` and :func:`same_file` compare places, not spellings: resolved
  paths (symbolic links, ``..``), and device and inode where the file exists.
- :func:`read_input` reads a regular file and nothing else, without blocking on
  a FIFO or a device, and without following a symbolic link unless asked to.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from typing import BinaryIO

__all__ = [
    "FolderCheck",
    "InputRefused",
    "Resolver",
    "display",
    "file_kind",
    "inside",
    "read_input",
    "read_limited",
    "real",
    "same_file",
    "within",
]

# What a name may hold that a message, a terminal or a JSON reader must not take as it is:
# surrogate escapes (bytes that are not UTF-8), control characters (a newline in a file
# name would forge a message line), line and paragraph separators, and the bidirectional
# controls that make a name read as another one: the embeddings, overrides and isolates, and
# the invisible marks (LRM, RLM, ALM) that reorder the digits and colons of "name:3:1:" after them.
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # os.fsdecode's escape of the byte that was not UTF-8
    if code < 0x80:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def display(path: str) -> str:
    """``path`` as text that any UTF-8 writer accepts and no reader mistakes for something else.

    A byte of the name that is not UTF-8 becomes ``\\xNN`` (``caf\\xe9.txt``
    for the Latin-1 name ``b"caf\\xe9.txt"``), a control character ``\\xNN`` or
    ``\\uNNNN``; everything else is kept. So the name stays readable and the
    original bytes can be told from it; only a name that really contains such
    a backslash sequence looks the same as an escaped one.
    """
    return _UNSHOWABLE.sub(_escape, path)


def real(path: str) -> str:
    """The resolved absolute path (symbolic links and ``..`` followed as far as the path exists)."""
    return os.path.realpath(path)


def inside(path: str, folder: str) -> bool:
    """Whether ``path`` lies strictly below ``folder``, both already resolved with :func:`real`."""
    return path.startswith(folder.rstrip(os.sep) + os.sep)


def within(path: str, folder: str) -> bool:
    """Whether ``path`` is ``folder`` or lies below it, both already resolved with :func:`real`."""
    return path == folder or inside(path, folder)


class Resolver:
    """:func:`real` for the folders of a depth-first walk, in time linear in the walk.

    ``os.path.realpath`` checks every component of a path, so calling it once
    per folder of a deep tree is quadratic in the depth. A folder is resolved
    here from its nearest resolved ancestor instead, one new component (one
    ``lstat``) at a time. Only the chain of ancestors is kept.
    """

    def __init__(self) -> None:
        self._chain: list[tuple[str, str]] = []  # (absolute normalized path, resolved), root first

    def __call__(self, path: str) -> str:
        """The resolved form of ``path``, an absolute, normalized path."""
        chain = self._chain
        while chain and not within(path, chain[-1][0]):
            chain.pop()
        if not chain:
            chain.append((path, real(path)))
            return chain[-1][1]
        known, resolved = chain[-1]
        for part in path[len(known) :].split(os.sep):
            if not part:
                continue
            known = os.path.join(known, part)
            candidate = os.path.join(resolved, part)
            resolved = real(candidate) if os.path.islink(candidate) else candidate
            chain.append((known, resolved))
        return resolved


def same_file(path: str, other: str) -> bool:
    """Whether two paths name one file: the same resolved path, or the same device and inode (a hard link)."""
    if real(path) == real(other):
        return True
    try:
        return os.path.samefile(path, other)
    except (OSError, ValueError):
        return False


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, for a message."""
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISLNK, "a symbolic link"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


class InputRefused(OSError):
    """A file the command does not read: not a regular file, a symbolic link not to follow, or too large.

    ``code`` is the short name that messages and the ``--errors`` report use.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message


_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def read_input(path: str, *, follow_symlinks: bool, max_size: int | None = None) -> bytes:
    """The bytes of the regular file at ``path``; :class:`InputRefused` for anything else.

    The check is made on the open descriptor, so a file swapped for a FIFO or
    a link after the folder was listed is still refused: opened non-blocking
    (opening a FIFO would wait for a writer), ``fstat``, and only then read.
    Without ``follow_symlinks`` a symbolic link as the last part of the path is
    refused. With ``max_size``, a larger file is refused before it is read.
    """
    try:
        descriptor = os.open(path, _READ_FLAGS | (0 if follow_symlinks else _NOFOLLOW))
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow_symlinks:
            raise InputRefused("symlink", "a symbolic link, not followed (--follow-symlinks follows it)") from None
        raise
    with open(descriptor, "rb", closefd=True) as file:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise InputRefused("special-file", f"not read: {file_kind(status.st_mode)}, not a regular file")
        if max_size is not None and status.st_size > max_size:
            raise InputRefused("too-large", _too_large(status.st_size, max_size))
        os.set_blocking(descriptor, True)
        data = read_limited(file, status.st_size, max_size)
    if max_size is not None and len(data) > max_size:
        raise InputRefused("too-large", _too_large(len(data), max_size))
    return data


def _too_large(size: int, limit: int) -> str:
    return f"not read: {size:,} bytes, over the limit of {limit:,} bytes (--max-size)"


_CHUNK = 1 << 20  # what one read of a file that grew past its size may add at once


def read_limited(file: BinaryIO, size: int, limit: int | None) -> bytes:
    """The bytes of ``file``, at most ``limit + 1`` of them (all with ``limit`` None).

    ``size`` is what ``fstat`` said (0 for a pipe or a /proc file). The first
    read asks for ``min(size, limit) + 1`` bytes, so the buffer is as large as
    the file, never as the limit (``file.read(n)`` allocates ``n`` bytes up
    front: a limit of a terabyte would fail with ``MemoryError``, one past the
    word size with ``OverflowError``). Only a file that grew is read further,
    in bounded chunks, and still only up to one byte past the limit.
    """
    wanted = size + 1 if limit is None else min(size, limit) + 1
    data = file.read(wanted)
    if len(data) < wanted:
        return data  # the end of the file: the common case, one read
    chunks, total = [data], len(data)
    while limit is None or total <= limit:
        chunk = file.read(_CHUNK if limit is None else min(_CHUNK, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


class FolderCheck:
    """Whether a folder is still the one a path led to when the batch was planned.

    Between the walk (or the planning of an output) and the read (or the
    write), a folder on the way can be swapped for a symbolic link to another
    place. ``check(path, expected)`` tells whether ``path`` (absolute,
    normalized) still resolves to ``expected`` (what :func:`real` gave then),
    or, if it does not exist yet, whether its nearest existing ancestor does.

    A folder found right once is remembered by device and inode, and its
    subfolders are checked from it (one ``lstat``: a real folder, not a link),
    so a batch costs a few system calls per file, also in a deep tree where
    :func:`os.path.realpath` per file would be quadratic.
    """

    def __init__(self) -> None:
        self._known: dict[tuple[str, str], tuple[int, int]] = {}

    def __call__(self, path: str, expected: str) -> bool:
        """Whether ``path`` is (or, once created, will be) the folder ``expected``."""
        while True:
            try:
                status = os.stat(path)
            except FileNotFoundError:
                parent, expected_parent = os.path.dirname(path), os.path.dirname(expected)
                if parent == path or os.path.basename(path) != os.path.basename(expected):
                    return False
                path, expected = parent, expected_parent  # created by the write: its parent decides
                continue
            except OSError:
                return False
            return self._is(path, expected, status)

    def _is(self, path: str, expected: str, status: os.stat_result) -> bool:
        identity = (status.st_dev, status.st_ino)
        if not stat.S_ISDIR(status.st_mode):
            return False
        if self._known.get((path, expected)) == identity:
            return True
        parent, expected_parent = os.path.dirname(path), os.path.dirname(expected)
        known_parent = self._known.get((parent, expected_parent))
        if known_parent is not None and os.path.basename(path) == os.path.basename(expected):
            try:
                found = not os.path.islink(path) and _identity_of(parent) == known_parent
            except OSError:
                found = False
        else:
            found = real(path) == expected
        if found:
            self._known[(path, expected)] = identity
        return found


def _identity_of(path: str) -> tuple[int, int]:
    status = os.stat(path)
    return status.st_dev, status.st_ino
