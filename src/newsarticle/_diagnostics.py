"""What a lenient parse reports when it recovers from something."""

from __future__ import annotations

import attrs

__all__ = ["DIAGNOSTIC_CODES", "ERROR_CODES", "Diagnostic"]

#: Every code a lenient parse reports, with when it does and how it recovers: the
#: table of docs/format.md, section 10, is generated from this one (docs/_gen.py).
DIAGNOSTIC_CODES: dict[str, tuple[str, str]] = {
    "encoding-fallback": ("bytes are not UTF-8", "decoded as Windows-1252"),
    "missing-category": ("the 2nd header line is the date", "no category"),
    "missing-date": ("no date line after the headline", "no date; the line stays body text"),
    "missing-headline": ("the file has one non-blank line", "that line is the headline"),
    "time-without-offset": ("an ISO date-time without UTC offset", "kept the date only"),
    "weekday-mismatch": ("the weekday does not match the date", "kept the date"),
    "unknown-weekday": ("a word before the date is no weekday", "ignored it"),
    "empty-body": ("no block after the header and trailer", "an article without sections"),
    "language-guess": (
        "the text does not make its language clear (section 8)",
        "labelled it `und` (undetermined)",
    ),
    "invalid-metadata": (
        "a metadata line with a value the model refuses, or a second line of a key that does not repeat (section 3)",
        "kept that line and the rest as body text",
    ),
}

#: Every code of a :class:`~newsarticle.ParseError`, raised in lenient and strict mode alike, with when.
ERROR_CODES: dict[str, str] = {
    "empty": "nothing but blank lines",
    "binary": "NUL, control characters, bytes undefined in Windows-1252",
    "encoding": "UTF-16/32 that does not decode after its BOM",
    "invalid-date": "a date-shaped line naming a day, month, time or offset that does not exist",
    "too-large": "the input is larger than `max_size` (default `MAX_INPUT_SIZE`, 16 MiB); checked before decoding",
}


@attrs.frozen(kw_only=True)
class Diagnostic:
    """One recovery a lenient parse made: where, a short code, and what it did.

    Codes: ``encoding-fallback``, ``missing-category``, ``missing-headline``,
    ``missing-date``, ``time-without-offset``, ``weekday-mismatch``,
    ``unknown-weekday``, ``empty-body``, ``language-guess``, ``invalid-metadata``
    (each with when and how in ``DIAGNOSTIC_CODES``).
    Prints like a compiler message: ``article.txt:3:1: missing-date: ...``.
    """

    code: str
    message: str
    line: int
    column: int = 1
    source: str | None = None

    def __str__(self) -> str:
        return f"{self.source or '<string>'}:{self.line}:{self.column}: {self.code}: {self.message}"
