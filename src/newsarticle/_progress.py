"""A one-line progress bar on standard error: files done of total, rate, time left.

Drawn only on a terminal (the caller decides), redrawn at most ten times a
second, and cleared before any other line is printed so that messages never
land in the middle of the bar.
"""

from __future__ import annotations

import os
import time
from typing import TextIO

__all__ = ["Progress"]

_INTERVAL = 0.1


class Progress:
    """``[#######.............]  1,204/10,000 files  812 files/s  0:11 left``"""

    def __init__(self, stream: TextIO, total: int | None, *, enabled: bool) -> None:
        self.stream = stream
        self.total = total
        self.enabled = enabled
        self.done = 0
        self._start = time.monotonic()
        self._drawn_at = 0.0
        self._visible = False

    def advance(self, count: int = 1) -> None:
        self.done += count
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._drawn_at >= _INTERVAL or self.done == self.total:
            self._draw(now)

    def clear(self) -> None:
        """Remove the bar from the screen (before printing a message, and at the end)."""
        if self._visible:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._visible = False

    def _width(self) -> int:
        # The terminal that shows the bar, which need not be standard output's.
        try:
            return os.get_terminal_size(self.stream.fileno()).columns or 80
        except (OSError, ValueError, AttributeError):
            return 80

    def _draw(self, now: float) -> None:
        elapsed = max(now - self._start, 1e-9)
        rate = self.done / elapsed
        width = self._width()
        counts = f"{self.done:,}/{self.total:,} files" if self.total is not None else f"{self.done:,} files"
        left = ""
        if self.total is not None and rate > 0 and self.done:
            left = f"  {_clock((self.total - self.done) / rate)} left"
        text = f"{counts}  {rate:,.0f} files/s{left}"
        bar_width = min(30, width - len(text) - 5)
        if self.total and bar_width >= 10:
            filled = bar_width * min(self.done, self.total) // self.total
            text = f"[{'#' * filled}{'.' * (bar_width - filled)}]  {text}"
        self.stream.write("\r" + text[: width - 1] + "\x1b[K")
        self.stream.flush()
        self._drawn_at = now
        self._visible = True


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
