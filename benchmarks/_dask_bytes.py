"""Bytes on every TCP socket of a process, for ``bench_dask.py``: a Dask preload, and importable.

``install()`` wraps Tornado's ``IOStream.read_from_fd`` and ``write_to_fd``, the two calls through which
every byte of a ``distributed`` TCP comm passes, and adds what each moved to a counter per socket, keyed by
the socket's ``(local, peer)`` addresses. The counts are payload bytes as the application sent and received
them: Dask's frames and headers, the handshake; not TCP/IP headers, acknowledgements or retransmissions.

The scheduler and the workers load it with ``--preload`` (``dask_setup`` installs it); the command or the
script being measured installs it in its own process (see ``bench_dask.py``'s child mode). Matching one
process's local addresses with another's peer addresses tells who talked to whom.
"""

from __future__ import annotations

import threading
from typing import Any

# (local "host:port", peer "host:port") -> [bytes received, bytes sent]
COUNTS: dict[tuple[str, str], list[int]] = {}
_LOCK = threading.Lock()
_INSTALLED: list[bool] = []  # [True] once installed


def _key(stream: Any) -> tuple[str, str] | None:
    key: tuple[str, str] | None = getattr(stream, "_bench_bytes_key", None)
    if key is None:
        try:
            local = stream.socket.getsockname()
            peer = stream.socket.getpeername()
        except (OSError, AttributeError):
            return None
        key = (f"{local[0]}:{local[1]}", f"{peer[0]}:{peer[1]}")
        stream._bench_bytes_key = key
    return key


def _add(stream: Any, index: int, count: int | None) -> None:
    if not count:
        return
    key = _key(stream)
    if key is None:
        return
    with _LOCK:
        COUNTS.setdefault(key, [0, 0])[index] += count


def install() -> None:
    """Count every byte read from and written to a Tornado socket stream in this process (once)."""
    if _INSTALLED:
        return
    from tornado.iostream import IOStream

    read_from_fd = IOStream.read_from_fd
    write_to_fd = IOStream.write_to_fd

    def counted_read(self: IOStream, buf: Any) -> int | None:
        count = read_from_fd(self, buf)
        _add(self, 0, count)
        return count

    def counted_write(self: IOStream, data: memoryview) -> int:
        count = write_to_fd(self, data)
        _add(self, 1, count)
        return count

    IOStream.read_from_fd = counted_read  # type: ignore[method-assign]
    IOStream.write_to_fd = counted_write  # type: ignore[method-assign]
    _INSTALLED.append(True)


def snapshot() -> dict[str, list[int]]:
    """The counters so far, as ``{"local|peer": [received, sent]}`` (JSON-friendly)."""
    with _LOCK:
        return {f"{local}|{peer}": list(counts) for (local, peer), counts in COUNTS.items()}


def dask_setup(_server: Any) -> None:
    """The Dask preload hook: ``dask scheduler --preload _dask_bytes.py``, likewise ``dask worker``."""
    install()
