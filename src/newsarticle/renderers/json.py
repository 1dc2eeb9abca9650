"""The ``json`` format: :func:`~newsarticle.to_dict`'s data, plus the derived fields, as JSON text.

Its shape is described by the JSON Schema shipped in the package
(``newsarticle/schemas/article.schema.json``, also ``docs/article.schema.json``)
and ``from_json`` reads it back to an equal Article.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from newsarticle import Article, Option, RegisterRenderer, RenderContext, hookimpl, to_dict
from newsarticle._serde import dumps  # lone surrogates (only a source can hold one) as escapes, like to_json

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
    )

    def render(self, article: Article, context: RenderContext) -> str:
        indent: int = context.options.get("indent", 2)
        data = article_data(article)
        text = dumps(data, separators=(",", ":")) if indent == 0 else dumps(data, indent=indent)
        return text + "\n"


@hookimpl
def register_renderers(register: RegisterRenderer) -> None:
    register(JsonRenderer())
