"""Character-level rules shared by the model, the parser and the writer.

The text format joins hard-wrapped lines with one space and collapses runs of
spaces and tabs, so a model string can only hold what survives that: no line
breaks, no tabs, no doubled spaces, no space at either end. Control
characters, lone surrogates and Unicode noncharacters are refused everywhere
because no output format (HTML, XML, JSON text) can carry them faithfully.
"""

from __future__ import annotations

import re

__all__ = [
    "FORBIDDEN_CHAR",
    "collapse_spaces",
    "text_problem",
    "word_count",
]

# C0 controls except tab/LF/CR, DEL, C1 controls, surrogates, noncharacters.
_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)
)
FORBIDDEN_CHAR = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}]")

# Anything a one-line model string cannot hold after the parser's normalisation.
_NOT_ONE_LINE = re.compile(f"[\n\r\t]|  |^ | $|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}]")
_SPACES = re.compile("[ \t]+")


def collapse_spaces(line: str) -> str:
    """Strip spaces and tabs at both ends and collapse inner runs to one space."""
    if "  " in line or "\t" in line:
        line = _SPACES.sub(" ", line)
    return line.strip(" ")


def text_problem(value: str) -> str | None:
    """Say why ``value`` cannot be a one-line text field, or return None when it can."""
    if not value:
        return "must not be empty"
    match = _NOT_ONE_LINE.search(value)
    if match is None:
        return None
    found = match.group()
    if found in "\n\r":
        return "must be a single line (found a line break)"
    if found == "\t":
        return "must not contain tabs (the format turns them into spaces)"
    if found.isspace() and len(found) > 1:
        return "must not contain two spaces in a row (the format collapses them)"
    if found == " ":
        return "must not start or end with a space (the format strips them)"
    return f"must not contain the control or non-character U+{ord(found):04X}"


def word_count(text: str) -> int:
    """Count whitespace-separated tokens that hold at least one letter or digit.

    A dash or a percent sign standing alone (``5 %``, ``Kesselbach – Rotenbühl``)
    is punctuation, not a word.
    """
    return sum(1 for token in text.split() if _has_alnum(token))


def _has_alnum(token: str) -> bool:
    if token.isalnum():
        return True
    return any(ch.isalnum() for ch in token)
