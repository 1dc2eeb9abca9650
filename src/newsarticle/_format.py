"""The rules of the article text format that the reader and the writer share.

docs/format.md states them for people; this module states them for both
directions, so ``parse(unparse(article)) == article`` cannot drift.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "ABSENT",
    "DEFAULT_TRAILER_LINES",
    "ESCAPE",
    "HEADING_MARK",
    "LANGUAGE_PREFIX",
    "MAX_HEADING_LENGTH",
    "MAX_INPUT_SIZE",
    "METADATA_KEYS",
    "METADATA_LINE",
    "TAG_SEPARATOR",
    "TRAILER_MARK",
    "looks_like_heading",
    "looks_like_metadata",
    "trailer_key",
    "trailer_keys",
]

#: Lines a scraper leaves after an article. Matched against whole lines at the
#: end of the text, ignoring case and surrounding spaces.
DEFAULT_TRAILER_LINES: frozenset[str] = frozenset(
    {
        "more stories",
        "See more",
        "Read more",
        "Show more",
        "Load more",
        "More articles",
        "Related articles",
        "Related stories",
        "Advertisement",
        "Mehr zum Thema",
        "Weitere Artikel",
        "Mehr lesen",
        "Weiterlesen",
        "Mehr anzeigen",
        "Mehr Artikel",
        "Anzeige",
        "Werbung",
    }
)

#: The default ``max_size`` of :func:`~newsarticle.parse` and :func:`~newsarticle.parse_file`:
#: 16 MiB. The longest articles are tens of kilobytes and a whole book is one or two megabytes;
#: an input this large is a concatenation, a wrong file or an attack, and parsing it
#: would cost several times its size in memory (docs/performance.md).
MAX_INPUT_SIZE = 16 * 1024 * 1024

#: A backslash at the start of a body block makes it a paragraph, whatever it
#: looks like; the backslash itself is not part of the text.
ESCAPE = "\\"
#: A header line that is exactly this says the field is absent (no category, no date).
ABSENT = "\\"
#: A one-line block starting with this is a subheading, whatever it looks like.
HEADING_MARK = "## "
#: In the body, every line after a line that is exactly this is trailer. (An
#: escaped paragraph always has text after its backslash, so it never reads as this.)
TRAILER_MARK = "\\"

#: A line right after the date line that starts with this states the language
#: (``lang: en``); the writer adds it only where detection would not find it.
LANGUAGE_PREFIX = "lang: "

#: The keys of the metadata block right after the date line, in the order the
#: writer uses; ``author`` may repeat. Keys are lower case: ``Author: ...`` is body
#: text, as a scraped byline would be.
METADATA_KEYS = ("url", "author", "image", "modified", "description", "tags", "lang")
#: A line of the metadata block: its key, and its value when there is one.
METADATA_LINE = re.compile("({}):(?: (.*))?".format("|".join(METADATA_KEYS)))
#: How the writer joins tags on the ``tags:`` line; the reader splits on the comma alone.
TAG_SEPARATOR = ", "

MAX_HEADING_LENGTH = 100
# Sentence ends, quotation marks and closing brackets: a line ending in one is prose.
_PROSE_ENDINGS = frozenset(".!?:;…\"“”„»«'’‘)]")


def trailer_key(line: str) -> str:
    """What a line is compared by against trailer lines: casefolded, whitespace collapsed."""
    return " ".join(line.split()).casefold()


def trailer_keys(lines: Iterable[str]) -> frozenset[str]:
    """The comparison keys of trailer lines."""
    return frozenset(map(trailer_key, lines))


DEFAULT_TRAILER_KEYS = trailer_keys(DEFAULT_TRAILER_LINES)


def looks_like_heading(line: str) -> bool:
    """The shape rule: a short line that does not end like a sentence or a quotation."""
    return len(line) <= MAX_HEADING_LENGTH and line[-1] not in _PROSE_ENDINGS


def looks_like_metadata(line: str) -> bool:
    """Whether ``line``, right after the date line, would be read as (or refused as) a metadata line."""
    return METADATA_LINE.fullmatch(line) is not None
