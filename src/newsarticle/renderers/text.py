"""The ``text`` format: plain text for people, wrapped at a width.

The category, the headline (underlined with ``=``), a line with the localized
date, the word count and the reading time ("Veröffentlicht am 27. Februar 2025
· 304 Wörter · 2 Minuten Lesezeit"), then the paragraphs and the subheadings
(underlined with ``-``). Lines break only at ASCII spaces, so a word, a URL or
a group joined by a no-break space (``5\u00a0%``, ``z.\u202fB.``) is never
split; a word longer than the width gets a line of its own.

:mod:`textwrap` is not used: it treats a no-break space standing between two
spaces as whitespace and drops it at a line break.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

from newsarticle import (
    DATE_OPTIONS,
    Article,
    Option,
    RegisterRenderer,
    RenderContext,
    Section,
    hookimpl,
)
from newsarticle._text import ONE_COLUMN

__all__ = ["TextRenderer", "display_width", "wrap"]

_SEPARATOR = " \u00b7 "
# Nonspacing and enclosing marks, and format characters (zero-width space, joiners).
_ZERO_WIDTH = frozenset({"Mn", "Me", "Cf"})
# Text made only of these takes one column per character.
_NARROW = re.compile(f"[{ONE_COLUMN}]*")


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide East Asian characters count two, combining marks none."""
    if text.isascii() or _NARROW.fullmatch(text):
        return len(text)
    return sum(map(_char_width, text))


@functools.lru_cache(maxsize=4096)
def _char_width(ch: str) -> int:
    # Cached: a paragraph has many characters but few distinct ones, and two Unicode lookups
    # per character cost more than all the rest of the renderer.
    category = unicodedata.category(ch)
    if category in _ZERO_WIDTH:
        return 0
    # Python reports some unassigned code points as fullwidth; a terminal shows them narrow.
    return 2 if category != "Cn" and unicodedata.east_asian_width(ch) in "WF" else 1


@functools.lru_cache(maxsize=32)
def _line_pattern(width: int) -> re.Pattern[str]:
    # Greedy: the longest run of at most ``width`` characters that ends before a space (or the end),
    # else a whole word that is longer than that; then the space after it, if any. A lookahead and an
    # optional space, not a group (?: |$) after the run: a third less time, as the engine backs off.
    return re.compile(f"(.{{1,{width}}}(?= |$)|[^ ]+) ?")


@functools.lru_cache(maxsize=32)
def _paragraphs_pattern(width: int) -> re.Pattern[str]:
    # _line_pattern over paragraphs joined by a blank line, in one findall: the last line of each
    # takes the line break after it along, so that the lines joined by line breaks have the blank
    # line between paragraphs, and the engine skips the other line break instead of matching an
    # empty line there (a match costs more than the characters it walks).
    return re.compile(f"((?:.{{1,{width}}}(?= |$)|[^ \\n]+)\\n?) ?", re.MULTILINE)


def wrap(text: str, width: int) -> list[str]:
    """Break one line of text into lines of at most ``width`` columns, at spaces only.

    A word wider than ``width`` stands alone on its line, unbroken. ``width``
    0 means no wrapping.
    """
    if width <= 0:
        return [text]
    if text.isascii() or _NARROW.fullmatch(text):
        # One column per character: let the regex engine do the work.
        return [text] if len(text) <= width else _line_pattern(width).findall(text)
    if display_width(text) <= width:
        return [text]
    lines: list[str] = []
    current: list[str] = []
    used = 0
    for word in text.split(" "):
        size = display_width(word)
        if current and used + 1 + size > width:
            lines.append(" ".join(current))
            current, used = [word], size
        else:
            used += size + 1 if current else size
            current.append(word)
    lines.append(" ".join(current))
    return lines


class TextRenderer:
    name = "text"
    media_type = "text/plain"
    suffix = ".txt"
    description = "Plain text for people: localized date, word count and reading time, wrapped at a width."
    options: Sequence[Option] = (
        Option(
            name="width",
            type=int,
            default=72,
            help="wrap lines at this many columns, never inside a word or a URL; 0 for no wrapping",
            min=0,
        ),
        *DATE_OPTIONS,
    )

    def render(self, article: Article, context: RenderContext) -> str:
        width: int = context.options.get("width", 72)
        # One list of lines, an empty one between blocks, joined once at the end.
        lines: list[str] = []
        if article.category is not None:
            lines += wrap(article.category, width)
            lines.append("")
        lines += _underlined(article.headline, width, "=")
        meta: list[str] = []
        sections = article.sections
        if article.published is not None:
            label = context.formatter.gettext("Published")
            meta.append(f"{label} {context.date(article)}")
        if sections:
            formatter = context.formatter
            meta += [formatter.words(article.word_count), formatter.reading_time(article.reading_time)]
        if meta:
            lines.append("")
            lines += _wrap_items(meta, width)
        # Most articles take one column per character throughout: the word count's pass over the body
        # tells, and then the whole body is wrapped in one pass of the regex engine.
        if width > 0 and article._one_column:
            _add_narrow_sections(lines, article, width)
        else:
            for section in sections:
                if section.heading is not None:
                    lines.append("")
                    lines += _underlined(section.heading, width, "-")
                lines.append("")
                for index, paragraph in enumerate(section.paragraphs):
                    if index:
                        lines.append("")
                    lines += wrap(paragraph, width)
        lines.append("")
        return "\n".join(lines)


def _add_narrow_sections(lines: list[str], article: Article, width: int) -> None:
    """Append the sections of an article whose every character takes one column.

    The body (already joined for the word count) is wrapped in one pass of the
    regex engine, and each one-line subheading gets its underline in the list of
    lines; where a subheading could be mistaken for a paragraph's line, or wraps,
    each section is wrapped where the body holds it instead.
    """
    if not article.sections:
        return
    lines_of = _paragraphs_pattern(width).findall
    wrapped = lines_of(article.body)
    if _underline_headings(wrapped, article.sections, width):
        lines.append("")
        lines += wrapped
        return
    body = article.body
    start = 0  # where the section's first block starts in the body
    for section in article.sections:
        heading = section.heading
        if heading is not None:
            lines.append("")
            lines += _underlined(heading, width, "-")
            start += len(heading) + 2
        paragraphs = section.paragraphs
        end = start + sum(map(len, paragraphs)) + 2 * len(paragraphs) - 2
        lines.append("")
        lines += lines_of(body, start, end)
        start = end + 2


def _underline_headings(wrapped: list[str], sections: Sequence[Section], width: int) -> bool:
    """Put each subheading's underline after its line in ``wrapped``, the body's lines; False if unsure where.

    Each block's last line carries the line break after it, so a one-line
    subheading is the line ``heading + "\\n"`` that comes first or right after
    another block's last line. Searched for from the section before it, that is
    the subheading, unless a one-line paragraph of that section has the very same
    text: then, and for a subheading that wraps, this gives up and changes nothing.
    """
    found: list[tuple[int, str]] = []
    start = 0
    before: tuple[str, ...] = ()
    for section in sections:
        heading = section.heading
        if heading is not None:
            if len(heading) > width or heading in before:
                return False
            line = heading + "\n"
            index = wrapped.index(line, start)
            while index and wrapped[index - 1][-1:] != "\n":  # the last line of a longer paragraph
                index = wrapped.index(line, index + 1)
            found.append((index, f"{line}{'-' * len(heading)}\n"))
            start = index + 1
        before = section.paragraphs
    for index, underlined in found:
        wrapped[index] = underlined
    return True


def _wrap_items(items: list[str], width: int) -> list[str]:
    """Join ``items`` with a middle dot, breaking lines between items rather than inside one ("5 Minuten").

    A line breaks after a dot, which stays with the item before it: no line
    starts with one or holds one alone, and the dot fits within ``width``
    unless that item alone is wider.
    """
    whole = _SEPARATOR.join(items)
    if not width or display_width(whole) <= width:
        return [whole]  # what the loop below gives when the whole line fits, in one width check
    pieces = [item + _SEPARATOR.rstrip() for item in items[:-1]] + items[-1:]
    lines = [pieces[0]]
    for piece in pieces[1:]:
        joined = lines[-1] + " " + piece
        if width and display_width(joined) > width:
            lines.append(piece)
        else:
            lines[-1] = joined
    return lines


def _underlined(text: str, width: int, mark: str) -> list[str]:
    """``text`` wrapped at ``width``, and a line of ``mark`` as wide as its widest line."""
    size = display_width(text)
    if size <= width or width <= 0:  # one line, whose width is known: no second look at its characters
        return [text, mark * max(1, size)]
    lines = wrap(text, width)
    return [*lines, mark * max(1, *map(display_width, lines))]


@hookimpl
def register_renderers(register: RegisterRenderer) -> None:
    register(TextRenderer())
