"""Every exception newsarticle raises on purpose.

The hierarchy::

    NewsArticleError
    ├── ParseError (also ValueError)        text that is not an article
    ├── DeserializationError (also ValueError)  plain data or JSON that is not an article
    ├── UnknownFormatError (also KeyError)  a format no renderer provides
    ├── UnknownTransformError (also KeyError)  a transform nobody registered
    ├── OptionError (also ValueError)       a renderer option that does not exist or has a bad value
    ├── UnknownLocaleError (also ValueError)  a locale identifier Babel does not know
    └── PluginError                         a plugin that failed to load, register or render

``ParseWarning`` is the warning category of lenient parse diagnostics;
``PluginWarning`` that of a plugin skipped because it failed to load.
"""

from __future__ import annotations

__all__ = [
    "DeserializationError",
    "NewsArticleError",
    "OptionError",
    "ParseError",
    "ParseWarning",
    "PluginError",
    "PluginWarning",
    "UnknownFormatError",
    "UnknownLocaleError",
    "UnknownTransformError",
]


class NewsArticleError(Exception):
    """Root of every exception newsarticle raises on purpose."""


class ParseError(NewsArticleError, ValueError):
    """The input is not an article in the text format.

    Prints like a compiler message: ``article.txt:3:1: expected a date ...``.
    ``line`` and ``column`` are 1-based; ``code`` is a short machine-readable
    name for the problem (the same codes lenient diagnostics use).
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int = 1,
        column: int = 1,
        code: str = "syntax",
    ) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.code = code
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.source or '<string>'}:{self.line}:{self.column}: {self.message}"

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only __init__ needs help to cross process boundaries (the CLI's workers).
        return (_rebuild_parse_error, (self.message, self.source, self.line, self.column, self.code))


def _rebuild_parse_error(message: str, source: str | None, line: int, column: int, code: str) -> ParseError:
    return ParseError(message, source=source, line=line, column=column, code=code)


class ParseWarning(UserWarning):
    """A lenient parse recovered from something; the message says where and how."""


class DeserializationError(NewsArticleError, ValueError):
    """Plain data or JSON does not describe a valid Article; the message names the field."""


class UnknownFormatError(NewsArticleError, KeyError):
    """No renderer provides the requested format; the message lists those that exist."""

    def __str__(self) -> str:
        # KeyError would quote the whole message.
        return str(self.args[0]) if self.args else ""


class UnknownTransformError(NewsArticleError, KeyError):
    """No plugin registered the requested transform; the message lists those that exist."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class OptionError(NewsArticleError, ValueError):
    """A renderer option that the renderer does not declare, or a value of the wrong type."""


class UnknownLocaleError(NewsArticleError, ValueError):
    """A locale identifier that Babel does not know."""


class PluginError(NewsArticleError):
    """A plugin failed to load, to register, or to render; the message names it."""


class PluginWarning(UserWarning):
    """A plugin was skipped because it failed to load or register; every other format still works."""
