"""newsarticle: parse scraped news articles into a typed model, render them anywhere.

>>> import newsarticle
>>> article = newsarticle.parse("Finanzierung\\nEine Überschrift\\n2025-02-27\\n\\nDer erste Absatz.\\n")
>>> article.headline, article.published.isoformat(), article.paragraphs
('Eine Überschrift', '2025-02-27', ('Der erste Absatz.',))

Importing the package is cheap: attrs, cattrs, pluggy and Babel load on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from newsarticle._exceptions import (
    DeserializationError,
    MissingURLError,
    NewsArticleError,
    OptionError,
    ParseError,
    ParseWarning,
    PluginError,
    PluginWarning,
    UnknownFormatError,
    UnknownLocaleError,
    UnknownTransformError,
)
from newsarticle._format import DEFAULT_TRAILER_LINES, MAX_INPUT_SIZE

if TYPE_CHECKING:
    from newsarticle._collection import CollectionOutput, open_collection, write_collection
    from newsarticle._dates import in_whole_minutes
    from newsarticle._diagnostics import Diagnostic
    from newsarticle._i18n import Formatter, formatter_for
    from newsarticle._models import WORDS_PER_MINUTE, Article, Section
    from newsarticle._parser import DiagnosticHandler, parse, parse_file
    from newsarticle._plugin_api import (
        DATE_OPTIONS,
        URL_OPTIONS,
        CollectionFormat,
        CollectionWriter,
        FormatInfo,
        Option,
        RegisterCollection,
        RegisterRenderer,
        RegisterTransform,
        RenderContext,
        Renderer,
        Transform,
        TransformInfo,
    )
    from newsarticle._plugins import register_plugin, unregister_plugin
    from newsarticle._render import (
        FORMAT_ALIASES,
        available_transforms,
        check_transforms,
        coerce_options,
        formats,
        render,
    )
    from newsarticle._serde import (
        SCHEMA_VERSION,
        configure_converter,
        from_dict,
        from_json,
        to_dict,
        to_json,
    )
    from newsarticle._source import unparse
    from newsarticle.hookspecs import hookimpl, hookspec

__all__ = [
    "DATE_OPTIONS",
    "DEFAULT_TRAILER_LINES",
    "FORMAT_ALIASES",
    "MAX_INPUT_SIZE",
    "SCHEMA_VERSION",
    "URL_OPTIONS",
    "WORDS_PER_MINUTE",
    "Article",
    "CollectionFormat",
    "CollectionOutput",
    "CollectionWriter",
    "DeserializationError",
    "Diagnostic",
    "DiagnosticHandler",
    "FormatInfo",
    "Formatter",
    "MissingURLError",
    "NewsArticleError",
    "Option",
    "OptionError",
    "ParseError",
    "ParseWarning",
    "PluginError",
    "PluginWarning",
    "RegisterCollection",
    "RegisterRenderer",
    "RegisterTransform",
    "RenderContext",
    "Renderer",
    "Section",
    "Transform",
    "TransformInfo",
    "UnknownFormatError",
    "UnknownLocaleError",
    "UnknownTransformError",
    "__version__",
    "available_transforms",
    "check_transforms",
    "coerce_options",
    "configure_converter",
    "formats",
    "formatter_for",
    "from_dict",
    "from_json",
    "hookimpl",
    "hookspec",
    "in_whole_minutes",
    "open_collection",
    "parse",
    "parse_file",
    "register_plugin",
    "render",
    "to_dict",
    "to_json",
    "unparse",
    "unregister_plugin",
    "write_collection",
]

# Names whose modules import attrs, cattrs, pluggy or Babel: loaded on first access, so that
# ``import newsarticle`` (and with it every ``newsarticle --version``) costs next to nothing.
_LAZY = {
    "Article": "newsarticle._models",
    "DATE_OPTIONS": "newsarticle._plugin_api",
    "Diagnostic": "newsarticle._diagnostics",
    "DiagnosticHandler": "newsarticle._parser",
    "FORMAT_ALIASES": "newsarticle._render",
    "Section": "newsarticle._models",
    "WORDS_PER_MINUTE": "newsarticle._models",
    "parse": "newsarticle._parser",
    "parse_file": "newsarticle._parser",
    "unparse": "newsarticle._source",
    "Formatter": "newsarticle._i18n",
    "CollectionFormat": "newsarticle._plugin_api",
    "CollectionOutput": "newsarticle._collection",
    "CollectionWriter": "newsarticle._plugin_api",
    "RegisterCollection": "newsarticle._plugin_api",
    "URL_OPTIONS": "newsarticle._plugin_api",
    "open_collection": "newsarticle._collection",
    "write_collection": "newsarticle._collection",
    "FormatInfo": "newsarticle._plugin_api",
    "Option": "newsarticle._plugin_api",
    "RegisterRenderer": "newsarticle._plugin_api",
    "RegisterTransform": "newsarticle._plugin_api",
    "RenderContext": "newsarticle._plugin_api",
    "Renderer": "newsarticle._plugin_api",
    "Transform": "newsarticle._plugin_api",
    "TransformInfo": "newsarticle._plugin_api",
    "available_transforms": "newsarticle._render",
    "check_transforms": "newsarticle._render",
    "coerce_options": "newsarticle._render",
    "formats": "newsarticle._render",
    "formatter_for": "newsarticle._i18n",
    "in_whole_minutes": "newsarticle._dates",
    "render": "newsarticle._render",
    "register_plugin": "newsarticle._plugins",
    "unregister_plugin": "newsarticle._plugins",
    "hookimpl": "newsarticle.hookspecs",
    "hookspec": "newsarticle.hookspecs",
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
