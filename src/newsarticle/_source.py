"""Text out: an :class:`~newsarticle.Article` in the canonical text format.

The canonical form is the scraped layout with one line per paragraph and one
blank line between blocks, plus the few escapes of docs/format.md where a
block would otherwise be read back as something else. ``parse`` reads it back
to an equal Article.
"""

from __future__ import annotations

from newsarticle._format import (
    ABSENT,
    DEFAULT_TRAILER_KEYS,
    ESCAPE,
    HEADING_MARK,
    LANGUAGE_PREFIX,
    TAG_SEPARATOR,
    TRAILER_MARK,
    looks_like_heading,
    looks_like_metadata,
    trailer_key,
)
from newsarticle._language import stated_language_needed
from newsarticle._models import Article

__all__ = ["unparse"]


def unparse(article: Article) -> str:
    """Write ``article`` in the canonical text format, ending in a newline.

    ``parse(unparse(article)) == article`` for every valid Article, and
    ``unparse(parse(text))`` is a fixed point after one step.
    """
    published = article.published
    out = [
        # The category opens the text, where a reader drops a byte-order mark.
        ABSENT if article.category is None else _escape_line(article.category, _BOM),
        _escape_line(article.headline),
        ABSENT if published is None else published.isoformat(),
    ]
    out.extend(_metadata(article))
    if stated_language_needed(article):
        out.append(LANGUAGE_PREFIX + article.language)
    out.append("")
    blocks: list[str] = []
    for section in article.sections:
        if section.heading is not None:
            blocks.append(_heading(section.heading, first=not blocks))
        blocks.extend(section.paragraphs)
    # Paragraphs were appended as-is; escape each one that would be misread.
    headings = set(_heading_positions(article))
    last = len(blocks) - 1
    for index, block in enumerate(blocks):
        if index not in headings:
            blocks[index] = _paragraph(block, 0 < index < last, first=index == 0)
    out.append("\n\n".join(blocks))
    if article.trailer:
        out.append("")
        if any(trailer_key(line) not in DEFAULT_TRAILER_KEYS for line in article.trailer):
            out.append(TRAILER_MARK)
        out.extend(article.trailer)
    return "\n".join(out) + "\n"


def _metadata(article: Article) -> list[str]:
    """The metadata block's lines but ``lang``, in the canonical order of METADATA_KEYS."""
    lines = [] if article.url is None else [f"url: {article.url}"]
    lines.extend(f"author: {author}" for author in article.authors)
    if article.image is not None:
        lines.append(f"image: {article.image}")
    if article.modified is not None:
        lines.append(f"modified: {article.modified.isoformat()}")
    if article.description is not None:
        lines.append(f"description: {article.description}")
    if article.tags:
        lines.append("tags: " + TAG_SEPARATOR.join(article.tags))
    return lines


def _heading_positions(article: Article) -> list[int]:
    positions = []
    index = 0
    for section in article.sections:
        if section.heading is not None:
            positions.append(index)
            index += 1
        index += len(section.paragraphs)
    return positions


_BOM = "\ufeff"


def _escape_line(text: str, *starts: str) -> str:
    return ESCAPE + text if text.startswith((ESCAPE, *starts)) else text


def _heading(text: str, *, first: bool) -> str:
    if first or text.startswith((ESCAPE, HEADING_MARK)) or not looks_like_heading(text):
        return HEADING_MARK + text
    return text


def _paragraph(text: str, middle: bool, *, first: bool) -> str:
    # The first block follows the blank line after the header; the escape keeps it
    # a paragraph even where an editor or a scraper drops that blank line.
    if (
        text.startswith((ESCAPE, HEADING_MARK))
        or (first and looks_like_metadata(text))
        or (middle and looks_like_heading(text))
        or trailer_key(text) in DEFAULT_TRAILER_KEYS
    ):
        return ESCAPE + text
    return text
