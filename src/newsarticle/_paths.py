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

__all__ = [
    "InputRefused",
    "Resolver",
    "display",
    "file_kind",
    "inside",
    "read_input",
    "real",
    "same_file",
    "within",
]

# What a name may hold that a message, a terminal or a JSON reader must not take as it is:
# surrogate escapes (bytes that are not UTF-8), control characters (a newline in a file
# name would forge a message line), line and paragraph separators, and the bidirectional
# controls that make a name read as another one.
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


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
        if max_size is None:
            return file.read()
        data = file.read(max_size + 1)  # a file that grew since fstat is still held to the limit
    if len(data) > max_size:
        raise InputRefused("too-large", _too_large(len(data), max_size))
    return data


def _too_large(size: int, limit: int) -> str:
    return f"not read: {size:,} bytes, over the limit of {limit:,} bytes (--max-size)"
