"""Hypothesis strategies for valid Articles with hostile text.

Shared by the core property tests and the renderers' tests: ``articles()`` draws
any valid Article, ``one_line_text()`` any string a one-line field may hold.
The text leans on what breaks parsers and renderers: markup characters,
quotes of every kind, no-break spaces, U+2028, backslashes, the format's own
marks (``## ``, ``lang: ``, a lone backslash), trailer words, date-like
strings and very long lines, and every character Unicode counts as
whitespace, alone and next to the format's marks.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import unicodedata

from hypothesis import strategies as st

from newsarticle import DEFAULT_TRAILER_LINES, Article, Section

__all__ = [
    "HOSTILE",
    "SEPARATORS",
    "WHITESPACE",
    "articles",
    "blank_text",
    "languages",
    "one_line_text",
    "paragraph_text",
    "published",
    "sections",
    "tags",
    "urls",
]

#: Pieces of text that mean something to the text format or to an output format.
HOSTILE = (
    "<", ">", "&", "&amp;", "&lt;", "<script>alert(1)</script>", "<div>", "*", "**", "_", "__init__", "`", "```",
    "url: https://example.org/", "author: Jane Doe", "tags: a, b", "modified: 2025-02-27", "description: ",
    "#", "## ", "# ", "[", "]", "[Text](https://example.org)", "(", ")", "{", "}", "|", "~", "^", "$", "%", "@",
    '"', "'", "„", "“", "”", "‚", "‘", "’", "»", "«", "›", "‹",
    "\u00a0", "\u202f", "\u2009", "\u2028", "\u2029", "\u200b", "\u00ad", "\ufeff", "\u2060",
    "\\", "\\\\", "\\n", "lang: ", "lang: en", "lang: de", "- ", "> ", "1. ", "+ ", "---", "===", "…", "...",
    ".", "!", "?", ":", ";", ",", "–", "—", "−",
    "2025-02-27", "27.02.2025", "3. März 2025", "2025-13-45", "February 27, 2025",
    "more stories", "See more", "SEE MORE", "Mehr zum Thema", "Advertisement", "Anzeige", "Read more",
    "ß", "ẞ", "İ", "ﬁ", "e\u0301", "👍🏽", "🇩🇪", "\U0001d518", "Ω", "א", "日本",
)  # fmt: skip

#: Every character that ``str.isspace`` (the model's test for "only whitespace") accepts,
#: and every space, line and paragraph separator; from the Unicode database, so it cannot drift.
WHITESPACE = "".join(
    char
    for char in map(chr, range(sys.maxunicode + 1))
    if char.isspace() or unicodedata.category(char) in ("Zs", "Zl", "Zp")
)
#: The whitespace the format keeps inside a line, so a model string may hold it: not the
#: space (stripped and collapsed) nor a control character (refused, or a line break).
SEPARATORS = "".join(char for char in WHITESPACE if char != " " and unicodedata.category(char) != "Cc")

_WORDS = (
    "der", "die", "das", "und", "nicht", "mit", "ist", "für", "auf", "ein", "eine", "sich", "auch", "im",
    "Gemeinderat", "Kesselbach", "Straße", "Überschrift", "Jänner", "Euro", "Prozent",
    "the", "and", "of", "to", "is", "that", "for", "with", "was", "on", "council", "river", "budget",
)  # fmt: skip

_SENTENCES = (
    "Der Gemeinderat hat am Dienstag mit großer Mehrheit für den neuen Haushalt gestimmt.",
    "Die Stadt will auch im kommenden Jahr nicht auf die Sanierung der Brücke verzichten.",
    "The council voted on Tuesday to approve the budget for the new bridge.",
    "It is the first time that the river has flooded the town in a decade.",
)

#: The metadata block's keys as they start a line (docs/format.md, section 3).
METADATA_STARTS = ("url: ", "author: ", "image: ", "modified: ", "description: ", "tags: ", "lang: ")

# What means something at the start of a line: the format's marks, and a BOM.
_STARTS = ("\\", "\\\\", "## ", "\ufeff", "\u00a0", "\u2028", "#", "- ", "> ", "1. ", *METADATA_STARTS)

_CHARS = st.characters(exclude_categories=("Cs", "Cc", "Cn"))
_SPACES = re.compile(" {2,}")


def _clean(text: str) -> str:
    # What a one-line field may hold: no doubled spaces, no space at either end.
    return _SPACES.sub(" ", text).strip(" ")


def _has_text(text: str) -> bool:
    # Whitespace alone (no-break spaces, U+2028) is a blank line in the format.
    return bool(text) and not text.isspace()


def blank_text(alphabet: str = WHITESPACE) -> st.SearchStrategy[str]:
    """A short run of whitespace only: a blank line to the format, never a model string."""
    return st.text(st.sampled_from(alphabet), min_size=1, max_size=4)


def _long_line() -> st.SearchStrategy[str]:
    return st.builds(lambda word, count: " ".join([word] * count), st.sampled_from(_WORDS), st.integers(30, 2500))


def one_line_text(*, max_pieces: int = 8) -> st.SearchStrategy[str]:
    """Any text a one-line field (headline, heading, paragraph, trailer line) may hold."""
    piece = st.one_of(
        st.sampled_from(HOSTILE),
        st.sampled_from(_WORDS),
        st.just(" "),
        st.text(_CHARS, min_size=1, max_size=10),
    )
    short = st.lists(piece, min_size=1, max_size=max_pieces).map("".join).map(_clean).filter(_has_text)
    marked = st.builds(lambda start, rest: _clean(start + rest), st.sampled_from(_STARTS), short).filter(_has_text)
    # A mark followed by whitespace alone, and text wrapped in whitespace the format keeps.
    separators = blank_text(SEPARATORS)
    bare_mark = st.builds(lambda start, rest: _clean(start + rest), st.sampled_from(_STARTS), separators)
    wrapped = st.builds(lambda before, text, after: _clean(before + text + after), separators, short, separators)
    return st.one_of(
        short, short, marked, bare_mark.filter(_has_text), wrapped, st.sampled_from(_SENTENCES), _long_line()
    )


def paragraph_text() -> st.SearchStrategy[str]:
    """Paragraph text: mostly hostile, sometimes prose, sometimes a very long line."""
    prose = st.lists(st.sampled_from(_SENTENCES), min_size=1, max_size=6).map(" ".join)
    return st.one_of(one_line_text(), prose)


def languages() -> st.SearchStrategy[str]:
    """BCP 47 tags, including ones that detection cannot find from the text."""
    return st.sampled_from(("de", "en", "de-AT", "de-CH", "en-GB", "fr", "pt-BR", "DE", "sr-Latn-RS"))


def published() -> st.SearchStrategy[dt.date | None]:
    """None, a date, or a timezone-aware datetime with any fixed offset."""
    offsets = st.timedeltas(
        min_value=dt.timedelta(hours=-23, minutes=-59), max_value=dt.timedelta(hours=23, minutes=59)
    )
    zones = st.one_of(st.just(dt.timezone.utc), st.builds(dt.timezone, offsets))
    return st.one_of(st.none(), st.dates(), st.datetimes(timezones=zones))


@st.composite
def sections(draw: st.DrawFn, *, max_sections: int = 5) -> tuple[Section, ...]:
    """A valid body: only the first Section may lack a heading."""
    count = draw(st.integers(0, max_sections))
    result = []
    for index in range(count):
        heading = draw(one_line_text()) if index else draw(st.none() | one_line_text())
        paragraphs = draw(st.lists(paragraph_text(), min_size=1, max_size=4))
        result.append(Section(heading=heading, paragraphs=paragraphs))
    return tuple(result)


# What a URL may hold besides its scheme and host: anything printable but whitespace, the
# characters RFC 3986 leaves out (quotes, angle brackets, backslash, ^ ` { | }); markup
# and the format's marks included.
_URL_CHARS = st.characters(exclude_categories=("Cs", "Cc", "Cn", "Zs", "Zl", "Zp"), exclude_characters='"<>\\^`{|}')
_URL_PIECES = ("&", "&amp;", "?a=1&b=2", "#frag", "'", "(", ")", "%20", "%", ";", ",", "*", "_", "[", "]", "##",
               "ä", "日本", "👍🏽", "\u200b", "\ufeff", "\u00ad", "..", "/", "lang:", "~")  # fmt: skip
_HOSTS = ("example.org", "EXAMPLE.org", "bücher.example", "xn--bcher-kva.example", "127.0.0.1", "[::1]",
          "example.org:8080", "user@example.org", "a.b.c.example")  # fmt: skip


def urls() -> st.SearchStrategy[str]:
    """Absolute http and https URLs, with hostile characters in the path, query and fragment."""
    tail = st.lists(st.one_of(st.sampled_from(_URL_PIECES), st.text(_URL_CHARS, min_size=1, max_size=6)), max_size=6)
    return st.builds(
        lambda scheme, host, pieces: f"{scheme}://{host}/{''.join(pieces)}",
        st.sampled_from(("http", "https", "HTTPS")),
        st.sampled_from(_HOSTS),
        tail,
    )


def tags() -> st.SearchStrategy[str]:
    """One tag: any one-line text without a comma."""
    return one_line_text(max_pieces=4).map(lambda text: _clean(text.replace(",", " "))).filter(_has_text)


def _trailer_line() -> st.SearchStrategy[str]:
    known = st.sampled_from(sorted(DEFAULT_TRAILER_LINES))
    return st.one_of(known, known.map(str.upper), one_line_text())


def articles() -> st.SearchStrategy[Article]:
    """Any valid Article, with hostile text in every field."""
    return st.builds(
        Article,
        headline=one_line_text(),
        language=languages(),
        category=st.none() | one_line_text(),
        published=published(),
        url=st.none() | urls(),
        authors=st.lists(one_line_text(max_pieces=4), max_size=3).map(tuple),
        image=st.none() | urls(),
        modified=published(),
        description=st.none() | one_line_text(),
        tags=st.lists(tags(), max_size=4).map(tuple),
        sections=sections(),
        trailer=st.lists(_trailer_line(), max_size=3).map(tuple),
        source=st.none() | st.sampled_from(("article.txt", "a/b/c.txt", "<stdin>", "Ärger mit Leerzeichen.txt")),
    )
