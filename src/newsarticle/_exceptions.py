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

:func:`plugin_fault` (internal, like :func:`is_plugin_fault`,
:func:`describe` and :func:`traceback_text`, so not in ``__all__``) is how the host turns
whatever plugin code raises into one of these, so that a plugin never ends the
command or escapes as a traceback.
"""

from __future__ import annotations

import builtins
from typing import Any

__all__ = [
    "DeserializationError",
    "MissingURLError",
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


class MissingURLError(NewsArticleError, ValueError):
    """An article without a URL, for a collection format that links to every article (a feed, a sitemap).

    ``source`` is the article's file, if known; ``line`` the line where a
    ``url:`` line would go (4, right after the date).
    """

    def __init__(self, message: str, *, source: str | None = None, line: int = 4) -> None:
        super().__init__(message)
        self.source, self.line = source, line


class PluginError(NewsArticleError):
    """A plugin failed to load, to register, or to render; the message names it."""


class HostInterrupt(BaseException):
    """What the host itself raises into plugin code to stop it (the per-file time limit).

    Internal, like :func:`plugin_fault`: a BaseException, as KeyboardInterrupt
    is, so that a plugin's ``except Exception`` cannot swallow it, and never
    the plugin's fault (:func:`is_plugin_fault`).
    """


class PluginWarning(UserWarning):
    """A plugin was skipped because it failed to load or register; every other format still works.

    ``traceback`` is the plugin's traceback as plain text (``newsarticle --traceback``
    prints it below the warning), or ``""``.
    """

    traceback: str = ""


def plugin_fault(exc: BaseException, origin: str) -> BaseException:
    """What the host raises for ``exc``, raised by plugin code that ``origin`` names (``renderer 'x' from plugin ...``).

    An interrupt (``KeyboardInterrupt``, or a group holding one) comes back
    unchanged, so that Ctrl-C still stops the command. One of the library's
    own errors comes back as a new error of the same type whose message starts
    with ``origin``; an :class:`OptionError` or :class:`UnknownLocaleError`
    (the caller's value, met when the plugin first used the context) keeps its
    message as it is. Anything else, ``SystemExit``, ``GeneratorExit`` and the
    plugin's own ``BaseException`` subclasses included, becomes a :class:`PluginError`: ``except Exception`` would let a
    plugin's ``sys.exit()`` end the whole command with the plugin's status.

    The result never holds an object of the plugin's: a subclass, or a ``str``
    subclass in ``args``, could run the plugin's code again whenever the
    caller formats the message. The plugin's exception is its ``__cause__``.
    """
    if not is_plugin_fault(exc):
        return exc
    kind = type(exc)
    error: NewsArticleError
    if isinstance(exc, _CALLERS_FAULT) and kind in _CALLERS_FAULT:
        error = kind(_text(exc))
    elif isinstance(exc, ParseError) and kind is ParseError:
        error = _parse_error(exc, origin)
    elif isinstance(exc, NewsArticleError) and kind in _OWN:
        error = kind(_named(_text(exc), origin, kind.__name__))
    else:
        error = PluginError(f"{origin} failed: {describe(exc)}")
    error.__cause__ = exc
    return error


def is_plugin_fault(exc: BaseException) -> bool:
    """Whether plugin code that raised ``exc`` is at fault: anything but an interrupt (Ctrl-C, or the host's
    own :class:`HostInterrupt`). A plugin's own ``BaseException`` subclass is its fault too: let through, it
    would end the command with a traceback."""
    if _EXCEPTION_GROUP is not None and isinstance(exc, _EXCEPTION_GROUP):
        return exc.subgroup(_INTERRUPTS) is None
    return not isinstance(exc, _INTERRUPTS)


def describe(exc: BaseException) -> str:
    """``repr(exc)`` for a message, even when the exception's own ``__repr__`` fails."""
    try:
        text = repr(exc)
    except (Exception, SystemExit, GeneratorExit):
        text = f"{type(exc).__name__} (whose repr() failed too)"
    return _printable(text)


def traceback_text(exc: BaseException) -> str:
    """``exc``'s traceback as plain text, made now so that printing it later runs no plugin code; "" if that fails."""
    import traceback

    try:
        return _printable("".join(traceback.format_exception(exc)))
    except (Exception, SystemExit, GeneratorExit):
        return ""


# Python 3.11 and later: a group that holds a KeyboardInterrupt is an interrupt too.
_EXCEPTION_GROUP: Any = getattr(builtins, "BaseExceptionGroup", None)
_INTERRUPTS = (KeyboardInterrupt, HostInterrupt)
_CALLERS_FAULT = (OptionError, UnknownLocaleError)
_OWN = (NewsArticleError, DeserializationError, UnknownFormatError, UnknownTransformError, PluginError)


#: A plugin's text in a message is cut after this many characters: the message is repeated for every file
#: the plugin fails, on the terminal and in the --errors report, and a worker sends it back whole.
MAX_PLUGIN_TEXT = 2000


def _printable(text: str) -> str:
    if type(text) is not str:  # a str subclass from a __repr__ or __str__
        text = str.__str__(text)
    if len(text) > MAX_PLUGIN_TEXT:
        text = f"{text[:MAX_PLUGIN_TEXT]}... ({len(text) - MAX_PLUGIN_TEXT:,} more characters)"
    # Lone surrogates would fail every report, terminal and JSON file the message reaches.
    return text if text.isascii() else text.encode("utf-8", "backslashreplace").decode("utf-8")


def _text(exc: NewsArticleError) -> str:
    try:
        return _printable(str(exc))  # str() of a str subclass in args is plugin code too
    except (Exception, SystemExit, GeneratorExit):
        return ""


def _named(text: str, origin: str, kind: str) -> str:
    if origin in text:  # a plugin that names itself, or the host's own check
        return text
    return f"{origin}: {text}" if text else f"{origin} raised {kind}"


def _parse_error(exc: ParseError, origin: str) -> ParseError:
    def plain(value: object, default: Any, kind: type) -> Any:
        return (
            _printable(value) if kind is str and isinstance(value, str) else value if type(value) is kind else default
        )

    message = _named(plain(exc.message, "", str), origin, "ParseError")
    return ParseError(
        message,
        source=plain(exc.source, None, str),
        line=plain(exc.line, 1, int),
        column=plain(exc.column, 1, int),
        code=plain(exc.code, "syntax", str),
    )
