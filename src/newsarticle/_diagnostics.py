"""What a lenient parse reports when it recovers from something."""

from __future__ import annotations

import attrs

__all__ = ["Diagnostic"]


@attrs.frozen(kw_only=True)
class Diagnostic:
    """One recovery a lenient parse made: where, a short code, and what it did.

    Codes: ``encoding-fallback``, ``missing-category``, ``missing-headline``,
    ``missing-date``, ``time-without-offset``, ``weekday-mismatch``,
    ``unknown-weekday``, ``empty-body``, ``language-guess``, ``invalid-metadata``.
    Prints like a compiler message: ``article.txt:3:1: missing-date: ...``.
    """

    code: str
    message: str
    line: int
    column: int = 1
    source: str | None = None

    def __str__(self) -> str:
        return f"{self.source or '<string>'}:{self.line}:{self.column}: {self.code}: {self.message}"
