"""The ``json`` format: :func:`~newsarticle.to_dict`'s data, plus the derived fields, as JSON text.

Its shape is described by the JSON Schema shipped in the package
(``newsarticle/schemas/article.schema.json``, also ``docs/article.schema.json``)
and ``from_json`` reads it back to an equal Article.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import resources
from json.encoder import encode_basestring
from typing import Any

from newsarticle import Article, Option, RegisterRenderer, RenderContext, hookimpl, to_dict
from newsarticle._serde import SCHEMA_VERSION, dumps

__all__ = ["SCHEMA_RESOURCE", "JsonRenderer", "article_data", "load_schema", "register_renderers"]

#: Where the JSON Schema lives inside the installed package.
SCHEMA_RESOURCE = "schemas/article.schema.json"


def load_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every output of the ``json`` format validates against."""
    text = resources.files("newsarticle").joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def article_data(article: Article) -> dict[str, Any]:
    """The object the ``json`` format writes: to_dict's keys in order, the derived fields before ``sections``."""
    data: dict[str, Any] = {}
    for key, value in to_dict(article).items():
        if key == "sections":
            data["word_count"] = article.word_count
            data["reading_time"] = article.reading_time
        data[key] = value
    return data


def _document(article: Article, source: str | None, indent: int, end: str = "") -> str:
    """The text ``json.dumps(article_data(article), ensure_ascii=False, indent=indent)`` writes, then ``end``.

    0 is one line. Written here rather than by json.dumps, which with
    ``indent`` falls back to its pure-Python encoder and, in C or not, escapes
    strings character by character: the same bytes in a fraction of the time
    (a test compares the two on hostile articles). Model text is written as it
    is unless it holds ``"`` or ``\\``: the model refuses control characters
    and lone surrogates in it. The source, which may hold any character, goes
    through json. The pieces go into one list, joined once: joining each level
    on its own copied the paragraphs, most of the output, once per level.
    """
    step = " " * indent
    colon = ": " if indent else ":"
    level1 = "\n" + step if indent else ""
    level2, level3 = level1 + step, level1 + step + step
    key = "," + level1
    published = None if article.published is None else article.published.isoformat()
    out = [
        "{", level1, '"schema_version"', colon, str(SCHEMA_VERSION),
        key, '"headline"', colon, _string(article.headline),
        key, '"language"', colon, _string(article.language),
        key, '"category"', colon, _optional_string(article.category),
        key, '"published"', colon, _optional_string(published),
        key, '"url"', colon, _optional_string(article.url),
        key, '"authors"', colon,
    ]  # fmt: skip
    _add_array(out, article.authors, level1, step)
    out += (
        key, '"image"', colon, _optional_string(article.image),
        key, '"modified"', colon, _optional_string(None if article.modified is None else article.modified.isoformat()),
        key, '"description"', colon, _optional_string(article.description),
        key, '"tags"', colon,
    )  # fmt: skip
    _add_array(out, article.tags, level1, step)
    out += (
        key, '"word_count"', colon, str(article.word_count),
        key, '"reading_time"', colon, str(article.reading_time),
        key, '"sections"', colon,
    )  # fmt: skip
    if article.sections:
        out.append("[")
        # The body (every paragraph, already joined for the word count) asked once, rather than
        # each paragraph: the usual answer, no escape anywhere, then needs no other check.
        body = article.body
        plain = '"' not in body and "\\" not in body
        for index, section in enumerate(article.sections):
            out += ("," if index else "", level2, "{", level3, '"heading"', colon, _optional_string(section.heading))
            out += (",", level3, '"paragraphs"', colon)
            _add_array(out, section.paragraphs, level3, step, plain)
            out += (level2, "}")
        out += (level1, "]")
    else:
        out.append("[]")
    out += (key, '"trailer"', colon)
    _add_array(out, article.trailer, level1, step)
    out += (key, '"source"', colon, _source(source), "\n" if indent else "", "}", end)
    return "".join(out)


def _add_array(out: list[str], texts: Sequence[str], newline: str, step: str, plain: bool = False) -> None:
    """Append a JSON array of ``texts``; ``newline`` is a line break and the current indentation.

    ``plain`` says that no text holds ``"`` or ``\\``, already known.
    """
    if not texts:
        out.append("[]")
        return
    inner = newline + step
    separator = "," + inner
    # One pair of checks per text, not a copy of them all joined: most paragraphs need no escape.
    if not plain and any('"' in text or "\\" in text for text in texts):
        out += ("[", inner, separator.join(map(_string, texts)), newline, "]")
        return
    # The texts go into ``out`` between their separators rather than joined here: a join here
    # copied the paragraphs, most of the document, once more before the document's own join.
    pieces = ['"' + separator + '"'] * (2 * len(texts) - 1)
    pieces[::2] = texts
    out += ("[", inner, '"')
    out += pieces
    out += ('"', newline, "]")


def _source(source: str | None) -> str:
    """A file name may hold any character, even a lone surrogate or a control character: json escapes those."""
    if source is None:
        return "null"
    # isprintable() is False for both; a short name costs next to nothing to ask.
    return _string(source) if source.isprintable() else dumps(source)


def _optional_string(text: str | None) -> str:
    return "null" if text is None else _string(text)


def _string(text: str) -> str:
    if '"' in text or "\\" in text:
        return encode_basestring(text)
    return '"' + text + '"'


class JsonRenderer:
    name = "json"
    media_type = "application/json"
    suffix = ".json"
    description = "The article as JSON (to_dict's data plus word count and reading time); from_json reads it back."
    options = (
        Option(
            name="indent",
            type=int,
            default=2,
            help="spaces per nesting level; 0 writes the whole object on one line (for JSON Lines)",
            min=0,
        ),
        Option(
            name="include_source",
            type=bool,
            default=True,
            help="write where the article was read from (a file name); false writes null, to keep paths private",
        ),
    )

    def render(self, article: Article, context: RenderContext) -> str:
        indent: int = context.options.get("indent", 2)
        source = article.source if context.options.get("include_source", True) else None
        return _document(article, source, indent, "\n")


@hookimpl
def register_renderers(register: RegisterRenderer) -> None:
    register(JsonRenderer())
