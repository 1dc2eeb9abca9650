"""What plugins and the host share: the Renderer and Transform protocols, ``Option``,
the render context, the ``register`` callbacks, and the records the host keeps.

Both the plugin manager (:mod:`newsarticle._plugins`) and rendering
(:mod:`newsarticle._render`) import this module, and it imports neither, so
imports run one way: ``_render`` -> ``_plugins`` -> ``_plugin_api``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import attrs

from newsarticle._exceptions import OptionError
from newsarticle._models import Article

if TYPE_CHECKING:
    from newsarticle._i18n import Formatter

__all__ = [
    "DATE_OPTIONS",
    "URL_OPTIONS",
    "CollectionFormat",
    "CollectionWriter",
    "FormatInfo",
    "FormatMembers",
    "Option",
    "Provider",
    "RegisterCollection",
    "RegisterRenderer",
    "RegisterTransform",
    "RegisteredCollection",
    "RegisteredRenderer",
    "RegisteredTransform",
    "RenderContext",
    "Renderer",
    "Sink",
    "Transform",
    "TransformInfo",
    "type_phrase",
]

# How a message names what an option of each type takes: "takes a whole number, not 'wide'".
_TYPE_PHRASES: dict[type[Any], str] = {bool: "true or false", int: "a whole number", float: "a number", str: "text"}


def type_phrase(kind: type[Any]) -> str:
    """What a value of ``kind`` is called in a message: ``a whole number``, ``an Enum``."""
    phrase = _TYPE_PHRASES.get(kind)
    if phrase is not None:
        return phrase
    name = kind.__name__
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def _optional_tuple(values: Iterable[Any] | None) -> tuple[Any, ...] | None:
    # Typed, unlike attrs.converters.optional(tuple), whose type variable mypy cannot solve at a call.
    return None if values is None else tuple(values)


@attrs.frozen(kw_only=True)
class Option:
    """One option a renderer accepts: ``render(article, "html", standalone=True)``.

    A value is checked here, once, before any article is rendered: its
    ``type``, then ``choices``, ``min`` and ``max``, then ``validator``, a
    callable that raises :class:`ValueError` saying what the value should be
    (``"an IANA time zone such as Europe/Berlin"``). Renderers can trust
    ``context.options``.
    """

    name: str
    type: type[Any]
    default: Any
    help: str
    choices: tuple[Any, ...] | None = attrs.field(default=None, converter=_optional_tuple)
    min: float | None = None
    max: float | None = None
    validator: Callable[[Any], object] | None = None

    @property
    def bounds(self) -> str:
        """The range a value must lie in, in the words of the errors (``0 or more``, ``8 or less``, ``0 to 8``),
        or "" without ``min`` and ``max``."""
        if self.min is not None and self.max is not None:
            return f"{self.min} to {self.max}"
        if self.min is not None:
            return f"{self.min} or more"
        return "" if self.max is None else f"{self.max} or less"

    def check(self, value: object) -> Any:
        """Return ``value`` if this option takes it; raise :class:`OptionError` naming option, value and expectation."""
        expected = self.type
        valid = isinstance(value, expected) and not (expected is int and isinstance(value, bool))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value, valid = float(value), True
        if value is None and self.default is None:
            return value  # unset: the renderer's own behaviour, nothing to check
        if not valid:
            raise OptionError(f"option {self.name!r} takes {type_phrase(expected)}, not {value!r}")
        if isinstance(value, str) and not value.isascii():
            _check_unicode(self.name, value)
        if self.choices is not None and value not in self.choices:
            raise OptionError(f"option {self.name!r} takes one of {', '.join(map(repr, self.choices))}, not {value!r}")
        if value != value and self.bounds:  # noqa: PLR0124  NaN: every comparison with a bound is False
            raise OptionError(f"option {self.name!r} takes {self.bounds}, not {value!r}")
        if self.min is not None and value < self.min:  # type: ignore[operator]
            raise OptionError(f"option {self.name!r} takes {self.min} or more, not {value!r}")
        if self.max is not None and value > self.max:  # type: ignore[operator]
            raise OptionError(f"option {self.name!r} takes {self.max} or less, not {value!r}")
        if self.validator is not None:
            try:
                self.validator(value)
            except OptionError:
                raise
            except ValueError as exc:
                wanted = str(exc) or "another value"  # a validator that raised without saying what it wants
                raise OptionError(f"option {self.name!r} takes {wanted}, not {value!r}") from None
        return value


def _check_unicode(name: str, value: str) -> None:
    """Refuse a lone surrogate (from a file name or argv that is not UTF-8): no output could be written with it."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise OptionError(
            f"option {name!r} takes Unicode text, not {value!r}: {value[exc.start]!r} at index {exc.start}"
            " is a lone surrogate"
        ) from None


def _date_format(value: str) -> None:
    from newsarticle._i18n import is_date_format

    if not is_date_format(value):
        raise ValueError("short, medium, long, full, or a CLDR date pattern with date fields such as 'd. MMMM y'")


def _time_zone(value: str) -> None:
    from newsarticle._i18n import is_time_zone

    if not is_time_zone(value):
        raise ValueError("an IANA time zone such as 'Europe/Berlin'")


#: Options of every renderer that shows a date to people.
DATE_OPTIONS = (
    Option(
        name="date_format",
        type=str,
        default="long",
        help="how to show the date: short, medium, long, full, or a CLDR pattern such as 'd. MMMM y'",
        validator=_date_format,
    ),
    Option(
        name="timezone",
        type=str,
        default=None,
        help="show date-times in this IANA time zone (Europe/Berlin) instead of their own offset",
        validator=_time_zone,
    ),
)


def _base_url(value: str) -> None:
    from newsarticle._urls import check_base_url

    check_base_url(value)


def _page_suffix(value: str) -> None:
    # "" and "/" are the two other ways sites publish pages: /politik/haushalt and /politik/haushalt/.
    if value not in ("", "/") and not re.fullmatch(r"(?:\.[A-Za-z0-9][A-Za-z0-9_+-]*){1,4}", value, re.ASCII):
        raise ValueError(
            "a file name suffix with its dot, such as '.html', or '' (addresses without a suffix) or '/' (a folder"
            " per page)"
        )


#: Options of every collection format that links to the articles' pages: with ``base_url``, an article
#: without a ``url:`` line gets one from its path (see :attr:`CollectionFormat.needs_url`).
URL_OPTIONS = (
    Option(
        name="base_url",
        type=str,
        default=None,
        help="the site's address ending in / (https://example.org/news/): an article without url: links to"
        " this plus its source's relative path, with page_suffix",
        validator=_base_url,
    ),
    Option(
        name="page_suffix",
        type=str,
        default=".html",
        help="the suffix of the articles' pages in URLs derived with base_url ('' for none, '/' for a folder)",
        validator=_page_suffix,
    ),
)


class FormatMembers(Protocol):
    """What every format registers, a renderer or a collection format. Plain class attributes satisfy
    the read-only members."""

    @property
    def name(self) -> str:
        """The format name users type: ``html``, ``atom``."""

    @property
    def media_type(self) -> str:
        """The IANA media type of the output: ``text/html``, ``application/atom+xml``."""

    @property
    def suffix(self) -> str:
        """The file name suffix, with its dot: ``.html``, ``.atom``."""

    @property
    def description(self) -> str:
        """One line that says what the format is."""

    @property
    def options(self) -> Sequence[Option]:
        """The options the format accepts, each validated by its :class:`Option` before any article."""


@runtime_checkable
class Renderer(FormatMembers, Protocol):
    """What a renderer plugin registers: one output format, one output per article (:class:`FormatMembers`
    and ``render``)."""

    def render(self, article: Article, context: RenderContext) -> str | bytes:
        """Render ``article``; ``context.options`` holds every declared option's value."""


@runtime_checkable
class Transform(Protocol):
    """A named Article-to-Article step that callers apply explicitly, by name."""

    @property
    def name(self) -> str:
        """The name callers give: ``typography``."""

    @property
    def description(self) -> str:
        """One line that says what the transform does."""

    def apply(self, article: Article, context: RenderContext) -> Article:
        """Return a new Article (Articles are immutable)."""


class Sink(Protocol):
    """Where a collection format writes: a binary stream (a file, an upload, standard output)."""

    def write(self, data: bytes, /) -> object:
        """Write all of ``data``."""


@runtime_checkable
class CollectionWriter(Protocol):
    """One collection output being written: what :meth:`CollectionFormat.open` returns."""

    def add(self, article: Article) -> None:
        """Write ``article`` (or, for a format that keeps only some, consider it).

        Articles arrive one at a time in input order. Check an article before
        writing any of it: an ``add`` that raises after writing has damaged the
        output, which the host then discards.
        """

    def close(self) -> None:
        """Write what ends the output (a closing tag). Called once, after the last ``add``; not called
        for an output that is abandoned (the run was interrupted), which the host discards."""


@runtime_checkable
class CollectionFormat(FormatMembers, Protocol):
    """What a collection-format plugin registers: one format that writes many articles into one output,
    as a stream (JSON Lines, a feed, a sitemap): :class:`FormatMembers` and ``open``.

    An optional ``needs_url`` attribute (``True``) says that every article needs a URL:
    an article without one, after ``base_url`` (:data:`URL_OPTIONS`) derived
    what it could, is an error for that article alone, and ``add`` never sees it.

    An optional ``depends_on_time(options)`` method says why an output made with
    these options depends on the time it is made (a news sitemap tags the
    articles of the last two days), or returns None: such an output is never up
    to date, and the command makes it again on every run.
    """

    def open(self, sink: Sink, context: RenderContext) -> CollectionWriter:
        """Start one output on ``sink``; ``context.options`` holds every declared option's value.

        Memory should stay flat in the number of articles: write each as it is
        added, or keep a bounded number (a feed of the newest 20).
        """


class RegisterRenderer(Protocol):
    """The ``register`` callback that ``register_renderers`` receives."""

    def __call__(self, renderer: Renderer, *, replace: bool = False) -> None: ...


class RegisterCollection(Protocol):
    """The ``register`` callback that ``register_collections`` receives."""

    def __call__(self, collection: CollectionFormat, *, replace: bool = False) -> None: ...


class RegisterTransform(Protocol):
    """The ``register`` callback that ``register_transforms`` receives."""

    def __call__(self, transform: Transform, *, replace: bool = False) -> None: ...


@attrs.frozen
class Provider:
    """Which plugin registered something, and the distribution that ships it."""

    plugin: str
    distribution: str | None = None
    version: str | None = None

    def __str__(self) -> str:
        if self.distribution is None:
            return f"plugin {self.plugin!r}"
        return f"plugin {self.plugin!r} (distribution {self.distribution} {self.version})"


@attrs.frozen(kw_only=True)
class RegisteredRenderer:
    """A renderer as the host checked it at registration.

    Its attributes are read once, there, so that a property computed by the
    plugin cannot hand the command line another suffix later; ``render`` is
    the plugin's own bound method, so the hot path pays no extra call.
    """

    name: str
    media_type: str
    suffix: str
    description: str
    options: tuple[Option, ...]
    defaults: Mapping[str, Any]
    render: Callable[[Article, RenderContext], object]
    provider: Provider


@attrs.frozen(kw_only=True)
class RegisteredCollection:
    """A collection format as the host checked it at registration (see :class:`RegisteredRenderer`)."""

    name: str
    media_type: str
    suffix: str
    description: str
    options: tuple[Option, ...]
    defaults: Mapping[str, Any]
    needs_url: bool
    #: Why an output made with the given options depends on when it is made, or None (see CollectionFormat).
    depends_on_time: Callable[[Mapping[str, Any]], object] | None
    open: Callable[[Sink, RenderContext], object]
    provider: Provider


@attrs.frozen(kw_only=True)
class RegisteredTransform:
    """A transform as the host checked it at registration (see :class:`RegisteredRenderer`)."""

    name: str
    description: str
    apply: Callable[[Article, RenderContext], object]
    provider: Provider


@attrs.frozen(kw_only=True)
class FormatInfo:
    """What :func:`newsarticle.formats` tells about one available format."""

    name: str
    suffix: str
    media_type: str
    description: str
    options: tuple[Option, ...]
    aliases: tuple[str, ...]
    #: ``"article"``: one output per article (:func:`newsarticle.render`); ``"collection"``: many
    #: articles into one output (:func:`newsarticle.write_collection`).
    kind: str
    #: A collection format that links to every article: each needs a url (or give ``base_url``).
    needs_url: bool
    plugin: str
    distribution: str | None
    version: str | None


@attrs.frozen(kw_only=True)
class TransformInfo:
    """What :func:`newsarticle.available_transforms` tells about one transform."""

    name: str
    description: str
    plugin: str
    distribution: str | None
    version: str | None


class RenderContext:
    """What a renderer gets besides the article.

    :ivar options: Every declared option, with the caller's value or its default.
    """

    def __init__(self, locale: str | Callable[[], str], options: Mapping[str, Any] | None = None) -> None:
        self._locale = locale
        self.options: Mapping[str, Any] = dict(options or {})
        self._formatter: Formatter | None = None

    def __repr__(self) -> str:
        return f"RenderContext(locale={self.locale!r}, options={dict(self.options)!r})"

    @property
    def locale(self) -> str:
        """The locale identifier (``de_AT``) that dates, numbers and labels use."""
        if callable(self._locale):
            # Resolved on first use, so renderers that show nothing localized never load Babel.
            self._locale = self._locale()
        return self._locale

    @property
    def formatter(self) -> Formatter:
        """Dates, numbers, plural units and translated labels for :attr:`locale` (Babel loads on first use)."""
        if self._formatter is None:
            from newsarticle._i18n import formatter_for

            self._formatter = formatter_for(self.locale)
        return self._formatter

    @property
    def language_tag(self) -> str:
        """The locale as a BCP 47 tag (``de-AT``) for ``lang`` attributes.

        The same as ``formatter.language_tag``, without loading Babel for it.
        """
        return self.locale.replace("_", "-")

    def date(self, article: Article) -> str | None:
        """The article's date for people, honouring the ``date_format`` and ``timezone`` options."""
        if article.published is None:
            return None
        return self.formatter.date(
            article.published,
            self.options.get("date_format") or "long",
            self.options.get("timezone"),
        )
