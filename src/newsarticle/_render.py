"""Rendering: the Renderer protocol, the render context, and ``render()``.

A renderer is any object with ``name``, ``media_type``, ``suffix``,
``description``, ``options`` and ``render(article, context)``; plugins register
them through the ``register_renderers`` hook. The context carries the locale
and a :class:`Formatter` bound to it, so a renderer formats dates, numbers and
labels correctly without importing Babel.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import attrs

from newsarticle._exceptions import (
    OptionError,
    PluginError,
    UnknownFormatError,
    UnknownLocaleError,
    UnknownTransformError,
    describe,
    is_plugin_fault,
    plugin_fault,
)
from newsarticle._models import Article, Section

if TYPE_CHECKING:
    from newsarticle._i18n import Formatter

__all__ = [
    "DATE_OPTIONS",
    "FormatInfo",
    "Option",
    "Provider",
    "RegisterRenderer",
    "RegisterTransform",
    "RegisteredRenderer",
    "RegisteredTransform",
    "RenderContext",
    "Renderer",
    "Transform",
    "available_transforms",
    "coerce_option",
    "formats",
    "render",
]

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


@attrs.frozen(kw_only=True)
class Option:
    """One option a renderer accepts: ``render(article, "html", standalone=True)``."""

    name: str
    type: type[Any]
    default: Any
    help: str
    choices: tuple[Any, ...] | None = attrs.field(default=None, converter=attrs.converters.optional(tuple))

    def check(self, value: object) -> Any:
        """Return ``value`` if it has this option's type (and is one of ``choices``); raise OptionError otherwise."""
        expected = self.type
        valid = isinstance(value, expected) and not (expected is int and isinstance(value, bool))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value, valid = float(value), True
        if value is None and self.default is None:
            valid = True
        if not valid:
            raise OptionError(f"option {self.name!r} takes a {expected.__name__}, not {value!r}")
        if self.choices is not None and value not in self.choices:
            raise OptionError(f"option {self.name!r} takes one of {', '.join(map(repr, self.choices))}, not {value!r}")
        return value


#: Options of every renderer that shows a date to people.
DATE_OPTIONS = (
    Option(
        name="date_format",
        type=str,
        default="long",
        help="how to show the date: short, medium, long, full, or a CLDR pattern such as 'd. MMMM y'",
    ),
    Option(
        name="timezone",
        type=str,
        default=None,
        help="show date-times in this IANA time zone (Europe/Berlin) instead of their own offset",
    ),
)


@runtime_checkable
class Renderer(Protocol):
    """What a renderer plugin registers: one output format.

    Plain class attributes satisfy the read-only members.
    """

    @property
    def name(self) -> str:
        """The format name users type: ``html``."""

    @property
    def media_type(self) -> str:
        """The IANA media type of the output: ``text/html``."""

    @property
    def suffix(self) -> str:
        """The file name suffix, with its dot: ``.html``."""

    @property
    def description(self) -> str:
        """One line that says what the format is."""

    @property
    def options(self) -> Sequence[Option]:
        """The options ``render`` accepts, validated before ``render`` is called."""

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


class RegisterRenderer(Protocol):
    """The ``register`` callback that ``register_renderers`` receives."""

    def __call__(self, renderer: Renderer, *, replace: bool = False) -> None: ...


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
class RegisteredTransform:
    """A transform as the host checked it at registration (see :class:`RegisteredRenderer`)."""

    name: str
    description: str
    apply: Callable[[Article, RenderContext], object]
    provider: Provider


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


@attrs.frozen(kw_only=True)
class FormatInfo:
    """What :func:`formats` tells about one available format."""

    name: str
    suffix: str
    media_type: str
    description: str
    options: tuple[Option, ...]
    plugin: str
    distribution: str | None
    version: str | None


def formats() -> list[FormatInfo]:
    """Every available output format, sorted by name, with the plugin that provides it."""
    from newsarticle._plugins import get_registry

    infos = []
    for name, (renderer, provider) in sorted(get_registry().renderers.items()):
        infos.append(
            FormatInfo(
                name=name,
                suffix=renderer.suffix,
                media_type=renderer.media_type,
                description=renderer.description,
                options=renderer.options,
                plugin=provider.plugin,
                distribution=provider.distribution,
                version=provider.version,
            )
        )
    return infos


def available_transforms() -> dict[str, str]:
    """Every registered transform name with its one-line description."""
    from newsarticle._plugins import get_registry

    return {name: t.description for name, (t, _) in sorted(get_registry().transforms.items())}


@functools.cache
def _registry_getter() -> Callable[[], Any]:
    # A function-level import costs about a microsecond, as much as the whole render() overhead
    # besides; get_renderer() is on the hot path, so it imports once.
    from newsarticle._plugins import get_registry

    return get_registry


def get_renderer(format: str) -> RegisteredRenderer:
    """The renderer for ``format``; raises UnknownFormatError listing those that exist."""
    renderers = _registry_getter()().renderers
    entry = renderers.get(format)
    if entry is None:
        available = ", ".join(sorted(renderers)) or "none"
        raise UnknownFormatError(f"unknown format {format!r}; available formats: {available}")
    renderer: RegisteredRenderer = entry[0]
    return renderer


def resolve_options(renderer: RegisteredRenderer, given: Mapping[str, Any]) -> dict[str, Any]:
    """Every declared option with the given value (checked) or its default; unknown names are errors."""
    if not given:
        return dict(renderer.defaults)
    declared = {option.name: option for option in renderer.options}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        names = ", ".join(sorted(declared)) or "none"
        raise OptionError(f"format {renderer.name!r} has no option {unknown[0]!r}; its options: {names}")
    return {
        name: _check_option(renderer, option, given[name]) if name in given else option.default
        for name, option in declared.items()
    }


def _check_option(renderer: RegisteredRenderer, option: Option, value: object) -> Any:
    # An Option subclass's check(), or an option type's metaclass, is plugin code.
    try:
        return option.check(value)
    except BaseException as exc:
        raise plugin_fault(exc, f"option {option.name!r} of renderer {renderer.name!r} from {renderer.provider}")  # noqa: B904 -- plugin_fault chains it


def coerce_option(renderer: RegisteredRenderer, name: str, text: str) -> Any:
    """Turn a command-line ``key=value`` string into the option's type."""
    declared = {option.name: option for option in renderer.options}
    option = declared.get(name)
    if option is None:
        names = ", ".join(sorted(declared)) or "none"
        raise OptionError(f"format {renderer.name!r} has no option {name!r}; its options: {names}")
    value: Any = text
    if option.type is bool:
        lowered = text.strip().lower()
        if lowered not in _TRUE | _FALSE:
            raise OptionError(f"option {name!r} takes true or false, not {text!r}")
        value = lowered in _TRUE
    elif option.type in (int, float):
        try:
            value = option.type(text)
        except ValueError:
            raise OptionError(f"option {name!r} takes a {option.type.__name__}, not {text!r}") from None
    return _check_option(renderer, option, value)


def resolve_locale(locale: str | None, article: Article) -> str:
    """The locale to render in: the caller's, else the article's language, else ``de``."""
    if locale is not None:
        from newsarticle._i18n import get_locale

        return str(get_locale(locale))
    return _article_locale(article.language)


@functools.lru_cache(maxsize=256)
def _article_locale(language: str) -> str:
    from newsarticle._i18n import DEFAULT_LOCALE, get_locale

    try:
        return str(get_locale(language))
    except UnknownLocaleError:
        return DEFAULT_LOCALE


def apply_transforms(article: Article, names: Iterable[str], context: RenderContext) -> Article:
    """Apply the named transforms in order."""
    if not names:
        return article
    registry = _registry_getter()().transforms
    for name in names:
        entry = registry.get(name)
        if entry is None:
            available = ", ".join(sorted(registry)) or "none"
            raise UnknownTransformError(f"unknown transform {name!r}; available transforms: {available}")
        transform: RegisteredTransform = entry[0]
        try:
            result = transform.apply(article, context)
        except BaseException as exc:
            raise plugin_fault(exc, f"transform {name!r} from {transform.provider}")  # noqa: B904
        article = _checked_article(result, f"transform {name!r} from {transform.provider}")
    return article


def _checked_article(result: object, origin: str) -> Article:
    """``result`` if it is an Article that validation accepts; else a PluginError.

    Validation again, because a plugin can build an Article around the
    validators (``object.__setattr__``) or subclass it, and every renderer
    trusts what it gets.
    """
    # type(), not isinstance(): an object can claim any class through a __class__ property.
    if type(result) is not Article:
        raise PluginError(f"{origin} returned {type(result).__name__}, not an Article")
    try:
        attrs.validate(result)
        for section in result.sections:
            if type(section) is not Section:
                raise TypeError(f"sections holds a {type(section).__name__}, not a Section")
            attrs.validate(section)
    except BaseException as exc:
        if not is_plugin_fault(exc):
            raise
        raise PluginError(f"{origin} returned an Article that validation refuses: {describe(exc)}") from exc
    return result


def render(
    article: Article,
    format: str,
    *,
    locale: str | None = None,
    transforms: Iterable[str] = (),
    **options: Any,
) -> str | bytes:
    """Render ``article`` in ``format`` (``html``, ``markdown``, ``json``, ``text``, ``source``, ...).

    :param locale: Locale for dates, numbers and labels (``de``, ``de_AT``,
        ``en-GB``); by default the article's language, else ``de``.
    :param transforms: Names of transforms to apply first, in order.
    :param options: The renderer's options (see :func:`formats`).
    :raises UnknownFormatError: no renderer provides ``format``.
    :raises OptionError: an option the renderer does not declare, or a bad value.
    :raises UnknownLocaleError: a locale Babel does not know.
    :raises PluginError: the renderer or a transform raised; names the plugin.
    """
    result, renderer, rendered = _render(article, format, locale, transforms, options)
    output = _plain_output(result, renderer)
    if type(output) is str and not output.isascii():
        _encoded(output, renderer, rendered)  # the one check that the text is Unicode; isascii() is free
    return output


def render_encoded(
    article: Article,
    format: str,
    *,
    locale: str | None = None,
    transforms: Iterable[str] = (),
    **options: Any,
) -> bytes:
    """:func:`render`, as the bytes a file holds: text encoded as UTF-8.

    For callers that write the output: encoding is also the check that
    :func:`render` makes, so this encodes once where ``render(...).encode()``
    would encode twice. Raises what :func:`render` raises.
    """
    result, renderer, rendered = _render(article, format, locale, transforms, options)
    output = _plain_output(result, renderer)
    return _encoded(output, renderer, rendered) if type(output) is str else output  # type: ignore[return-value]


def _render(
    article: Article, format: str, locale: str | None, transforms: Iterable[str], options: Mapping[str, Any]
) -> tuple[object, RegisteredRenderer, Article]:
    """What the renderer returned, unchecked; the renderer; and the article it got (after the transforms)."""
    if isinstance(transforms, str):
        raise TypeError(f"transforms takes a sequence of names, such as [{transforms!r}], not a str")
    renderer = get_renderer(format)
    chosen: str | Callable[[], str] = (
        resolve_locale(locale, article) if locale is not None else (lambda: resolve_locale(None, article))
    )
    context = RenderContext(chosen, resolve_options(renderer, options))
    article = apply_transforms(article, transforms, context)
    try:
        return renderer.render(article, context), renderer, article
    except BaseException as exc:
        where = article.source or "an article"
        raise plugin_fault(exc, f"renderer {format!r} from {renderer.provider} on {where}")  # noqa: B904


def _plain_output(result: object, renderer: RegisteredRenderer) -> str | bytes:
    """``result`` as a plain ``str`` or plain ``bytes``; anything else is a PluginError.

    Subclasses become their base type, so that no method of the plugin's runs
    when the caller encodes or writes the result.
    """
    kind = type(result)  # type(), not isinstance(): an object can claim any class through __class__
    if kind is str or kind is bytes:
        return result  # type: ignore[return-value]
    if issubclass(kind, str):
        return str.__str__(result)
    if issubclass(kind, bytes):
        return bytes(memoryview(result))  # type: ignore[arg-type]
    raise PluginError(f"renderer {renderer.name!r} from {renderer.provider} returned {kind.__name__}, not str or bytes")


def _encoded(text: str, renderer: RegisteredRenderer, article: Article) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:  # only a lone surrogate cannot be encoded
        bad = text[exc.start : exc.end]
        # A renderer that copies the article faithfully is not the one to blame; say so.
        culprit = "the article holds it too" if _holds(article, bad) else "the renderer made it"
        raise PluginError(
            f"renderer {renderer.name!r} from {renderer.provider} returned text that is not Unicode:"
            f" {bad!r} at index {exc.start} is a lone surrogate ({culprit})"
        ) from None


def _holds(article: Article, text: str) -> bool:
    fields = [article.headline, article.category, article.source, *article.trailer]
    for section in article.sections:
        fields += [section.heading, *section.paragraphs]
    return any(field is not None and text in field for field in fields)
