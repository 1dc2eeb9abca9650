"""newsarticle: parse scraped news articles into a typed model, render them anywhere.

>>> import newsarticle
>>> article = newsarticle.parse("Finanzierung\\nEine Überschrift\\n2025-02-27\\n\\nDer erste Absatz.\\n")
>>> article.headline, article.published.isoformat(), article.paragraphs
('Eine Überschrift', '2025-02-27', ('Der erste Absatz.',))

Importing the package is cheap: cattrs, pluggy and Babel load on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from newsarticle._diagnostics import Diagnostic
from newsarticle._exceptions import (
    DeserializationError,
    NewsArticleError,
    OptionError,
    ParseError,
    ParseWarning,
    PluginError,
    UnknownFormatError,
    UnknownLocaleError,
    UnknownTransformError,
)
from newsarticle._format import DEFAULT_TRAILER_LINES
from newsarticle._models import WORDS_PER_MINUTE, Article, Section
from newsarticle._parser import parse, parse_file
from newsarticle._source import unparse

if TYPE_CHECKING:
    from newsarticle._serde import (
        SCHEMA_VERSION,
        configure_converter,
        from_dict,
        from_json,
        to_dict,
        to_json,
    )

__all__ = [
    "DEFAULT_TRAILER_LINES",
    "SCHEMA_VERSION",
    "WORDS_PER_MINUTE",
    "Article",
    "DeserializationError",
    "Diagnostic",
    "NewsArticleError",
    "OptionError",
    "ParseError",
    "ParseWarning",
    "PluginError",
    "Section",
    "UnknownFormatError",
    "UnknownLocaleError",
    "UnknownTransformError",
    "__version__",
    "configure_converter",
    "from_dict",
    "from_json",
    "parse",
    "parse_file",
    "to_dict",
    "to_json",
    "unparse",
]

# Names whose modules import cattrs, pluggy or Babel: loaded on first access.
_LAZY = {
    "SCHEMA_VERSION": "newsarticle._serde",
    "configure_converter": "newsarticle._serde",
    "from_dict": "newsarticle._serde",
    "from_json": "newsarticle._serde",
    "to_dict": "newsarticle._serde",
    "to_json": "newsarticle._serde",
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        return version("newsarticle")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'newsarticle' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
