"""Fuzz harness `lines`: a line-level structured mutator, then the checks of `invariants.lines`.

Byte-level mutation rarely turns a corpus article into another plausible
article; editing whole lines does: a header line moved into the body, a
``## `` heading of only a no-break space, a trailer line in the middle.

Usage: ``python fuzz/lines.py -max_total_time=60 <corpus dir>`` (or ``python fuzz/run.py lines``).
"""

from __future__ import annotations

import random

import atheris
from harness import main

# Whole lines the format gives a meaning to, and pieces that look blank but are not.
LINES = (
    "",
    "\\",
    "\\\\",
    "## ",
    "## Zwischentitel",
    "Politik",
    "Eine Überschrift",
    "2025-02-27",
    "2025-02-27T10:00:00+01:00",
    "27. Februar 2025",
    "-",
    "lang: en",
    "lang: de-AT",
    "See more",
    "more stories",
    "Anzeige",
    "Mehr zum Thema",
    "Ein kurzer Absatz.",
    "<!-- <b>&amp;</b> [x](y) *_`",
)
SPACES = ("\u00a0", "\u2003", "\u2028", "\u2029", "\u0085", "\u200b", "\ufeff", "\t", " ", "\r")
NEWLINES = ("\n", "\r\n", "\r")


def _piece(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return rng.choice(LINES)
    return rng.choice(("", "## ", "\\", "")) + "".join(rng.choice(SPACES) for _ in range(rng.randint(1, 3)))


def mutate_lines(text: str, rng: random.Random) -> str:
    """One to three structured edits of ``text``'s lines."""
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        index = rng.randrange(len(lines) + 1)
        operation = rng.randrange(8)
        if operation == 0 and lines:
            lines.insert(index, lines[rng.randrange(len(lines))])  # duplicate
        elif operation == 1 and len(lines) > 1:
            del lines[min(index, len(lines) - 1)]
        elif operation == 2 and len(lines) > 1:
            other = rng.randrange(len(lines))
            index = min(index, len(lines) - 1)
            lines[index], lines[other] = lines[other], lines[index]
        elif operation == 3 and lines:
            index = min(index, len(lines) - 1)
            lines[index] = _piece(rng) + lines[index]  # a mark or blank-looking prefix
        elif operation == 4 and lines:
            index = min(index, len(lines) - 1)
            lines[index] = lines[index] + _piece(rng)
        elif operation == 5:
            return rng.choice(("\ufeff", "")) + rng.choice(NEWLINES).join(lines)
        else:
            lines.insert(index, _piece(rng))
    return "\n".join(lines)


def custom_mutator(data: bytes, max_size: int, seed: int) -> bytes:
    rng = random.Random(seed)
    if rng.random() < 0.2:
        # Byte-level now and then, to reach invalid UTF-8 and what no list above holds.
        return atheris.Mutate(data, max_size)
    text = data.decode("utf-8", "surrogateescape")
    mutated = mutate_lines(text, rng).encode("utf-8", "surrogateescape")
    return mutated[:max_size]


if __name__ == "__main__":
    main("lines", custom_mutator)
