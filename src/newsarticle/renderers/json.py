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


def _document(article: Article, source: str | None, indent: int) -> str:
    """The text ``json.dumps(article_data(article), ensure_ascii=False, indent=indent)`` writes; 0 is one line.

    Written here rather than by json.dumps, which with ``indent`` falls back to
    its pure-Python encoder and, in C or not, escapes strings character by
    character: the same bytes in a fraction of the time (a test compares the
    two on hostile articles). Model text is written as it is unless it holds
    ``"`` or ``\\``: the model refuses control characters and lone surrogates
    in it. The source, which may hold any character, goes through json.
    """
    step = " " * indent
    colon = ": " if indent else ":"
    level1 = "\n" + step if indent else ""
    level2, level3 = level1 + step, level1 + step + step
    published = None if article.published is None else article.published.isoformat()
    modified = None if article.modified is None else article.modified.isoformat()
    sections = [
        _object(
            (("heading", _optional_string(section.heading)), ("paragraphs", _array(section.paragraphs, level3, step))),
            level2,
            step,
            colon,
        )
        for section in article.sections
    ]
    fields = (
        ("schema_version", str(SCHEMA_VERSION)),
        ("headline", _string(article.headline)),
        ("language", _string(article.language)),
        ("category", _optional_string(article.category)),
        ("published", _optional_string(published)),
        ("url", _optional_string(article.url)),
        ("authors", _array(article.authors, level1, step)),
        ("image", _optional_string(article.image)),
        ("modified", _optional_string(modified)),
        ("description", _optional_string(article.description)),
        ("tags", _array(article.tags, level1, step)),
        ("word_count", str(article.word_count)),
        ("reading_time", str(article.reading_time)),
        ("sections", _join("[", sections, level1, step, "]")),
        ("trailer", _array(article.trailer, level1, step)),
        ("source", _source(source)),
    )
    return _object(fields, "\n" if indent else "", step, colon)


def _object(fields: Sequence[tuple[str, str]], newline: str, step: str, colon: str) -> str:
    """A JSON object of encoded values; ``newline`` is a line break and the current indentation."""
    return _join("{", [f'"{key}"{colon}{value}' for key, value in fields], newline, step, "}")


def _array(texts: Sequence[str], newline: str, step: str) -> str:
    if not texts:
        return "[]"
    inner = newline + step
    return "[" + inner + _strings(texts, "," + inner) + newline + "]"


def _join(opening: str, items: Sequence[str], newline: str, step: str, closing: str) -> str:
    if not items:
        return opening + closing
    inner = newline + step
    return opening + inner + ("," + inner).join(items) + newline + closing


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


def _strings(texts: Sequence[str], separator: str) -> str:
    """JSON strings joined by ``separator``; one pair of checks for the whole run."""
    whole = "".join(texts)
    if '"' in whole or "\\" in whole:
        return separator.join(map(_string, texts))
    return '"' + ('"' + separator + '"').join(texts) + '"'


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
        return _document(article, source, indent) + "\n"


@hookimpl
def register_renderers(register: RegisterRenderer) -> None:
    register(JsonRenderer())
