"""Rendering: ``render()``, the formats and transforms on offer, and option values.

The Renderer protocol, ``Option`` and the render context live in
:mod:`newsarticle._plugin_api`, which plugins and the plugin manager share;
this module uses the registry that :mod:`newsarticle._plugins` builds.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

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
from newsarticle._plugin_api import (
    DATE_OPTIONS,
    FormatInfo,
    Option,
    RegisteredCollection,
    RegisteredRenderer,
    RegisteredTransform,
    RenderContext,
    TransformInfo,
    type_phrase,
)
from newsarticle._plugins import DEFAULT_PLUGINS, get_registry

__all__ = [
    "DATE_OPTIONS",
    "FORMAT_ALIASES",
    "available_transforms",
    "check_transforms",
    "coerce_option",
    "coerce_options",
    "formats",
    "get_format",
    "get_renderer",
    "render",
    "render_encoded",
    "resolve_options",
]

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})

#: Other names for built-in formats, each used only while no plugin registers a format of that name.
FORMAT_ALIASES = {"htm": "html", "md": "markdown", "txt": "text"}


def formats() -> list[FormatInfo]:
    """Every available output format, sorted by name, with the plugin that provides it: the renderers
    (``kind="article"``) and the collection formats (``kind="collection"``)."""
    registry = get_registry()
    found: dict[str, tuple[RegisteredRenderer | RegisteredCollection, str]] = {
        **{key: (renderer, "article") for key, (renderer, _) in registry.renderers.items()},
        **{key: (collection, "collection") for key, (collection, _) in registry.collections.items()},
    }
    aliases: dict[str, list[str]] = {}
    for alias, key in FORMAT_ALIASES.items():
        if alias not in found:
            aliases.setdefault(key, []).append(alias)
    infos = []
    for key, (registered, kind) in sorted(found.items()):  # an alias a plugin took is that plugin's name
        provider = registered.provider
        infos.append(
            FormatInfo(
                name=registered.name,
                suffix=registered.suffix,
                media_type=registered.media_type,
                description=registered.description,
                options=registered.options,
                aliases=tuple(sorted(aliases.get(key, ()))),
                kind=kind,
                needs_url=isinstance(registered, RegisteredCollection) and registered.needs_url,
                plugin=provider.plugin,
                distribution=provider.distribution,
                version=provider.version,
            )
        )
    return infos


def available_transforms() -> list[TransformInfo]:
    """Every registered transform, sorted by name, with the plugin that provides it."""
    return [
        TransformInfo(
            name=transform.name,
            description=transform.description,
            plugin=provider.plugin,
            distribution=provider.distribution,
            version=provider.version,
        )
        for _, (transform, provider) in sorted(get_registry().transforms.items())
    ]


def _unknown(kind: str, name: object, spellings: Mapping[str, str]) -> str:
    """``unknown format 'htlm'; did you mean 'html'? available formats: ...``.

    :param spellings: Each name that is accepted, in lower case, with the name it stands for.
    """
    names = sorted(set(spellings.values()))
    message = f"unknown {kind} {name!r}; "
    if isinstance(name, str):
        close = difflib.get_close_matches(name.lower(), list(spellings), n=3, cutoff=0.6)
        meant = list(dict.fromkeys(spellings[spelling] for spelling in close))
        if meant:
            message += f"did you mean {' or '.join(map(repr, meant))}? "
    return message + f"available {kind}s: {', '.join(names) or 'none'}"


def get_format(format: str) -> RegisteredRenderer | RegisteredCollection:
    """The renderer or collection format named ``format``, in any case, or an alias (:data:`FORMAT_ALIASES`).

    :raises UnknownFormatError: listing the formats that exist, and the closest to ``format`` if any.
    """
    registry = get_registry()
    renderers, collections = registry.renderers, registry.collections
    entry = renderers.get(format) or collections.get(format)  # the common case, the name as registered
    if entry is None and isinstance(format, str):
        key = format.lower()
        key = key if key in renderers or key in collections else FORMAT_ALIASES.get(key, key)
        entry = renderers.get(key) or collections.get(key)
    if entry is None:
        known: dict[str, tuple[RegisteredRenderer | RegisteredCollection, Any]] = {**renderers, **collections}
        aliases = {alias: key for alias, key in FORMAT_ALIASES.items() if key in known and alias not in known}
        names: dict[str, str] = {key: registered.name for key, (registered, _) in known.items()}
        spellings = {**{alias: names[key] for alias, key in aliases.items()}, **names}
        raise UnknownFormatError(_unknown("format", format, spellings))
    found: RegisteredRenderer | RegisteredCollection = entry[0]
    return found


def get_renderer(format: str) -> RegisteredRenderer:
    """The renderer for ``format``, in any case, or an alias of it (:data:`FORMAT_ALIASES`).

    :raises UnknownFormatError: listing the formats that exist, and the closest to ``format`` if any;
        or saying that ``format`` is a collection format, with what writes it.
    """
    found = get_format(format)
    if isinstance(found, RegisteredCollection):
        raise UnknownFormatError(
            f"format {found.name!r} writes many articles into one output, not one article:"
            f" use newsarticle.write_collection(articles, {found.name!r}, file)"
        )
    return found


def resolve_options(renderer: RegisteredRenderer | RegisteredCollection, given: Mapping[str, Any]) -> dict[str, Any]:
    """Every declared option with the given value (checked by its :class:`Option`) or its default.

    :raises OptionError: an option the renderer does not declare, or a value its Option refuses.
    """
    if not given:
        return dict(renderer.defaults)
    declared = {option.name: option for option in renderer.options}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise OptionError(_no_option(renderer, unknown[0], declared))
    return {
        name: _check_option(renderer, option, given[name]) if name in given else option.default
        for name, option in declared.items()
    }


def _no_option(renderer: RegisteredRenderer | RegisteredCollection, name: str, declared: Mapping[str, Option]) -> str:
    return f"format {renderer.name!r} has no option {name!r}; its options: {', '.join(sorted(declared)) or 'none'}"


def _check_option(renderer: RegisteredRenderer | RegisteredCollection, option: Option, value: object) -> Any:
    # An Option subclass's check(), or its validator, is plugin code.
    try:
        return option.check(value)
    except BaseException as exc:
        kind = "renderer" if isinstance(renderer, RegisteredRenderer) else "collection format"
        raise plugin_fault(exc, f"option {option.name!r} of {kind} {renderer.name!r} from {renderer.provider}")  # noqa: B904 -- plugin_fault chains it


def coerce_option(renderer: RegisteredRenderer | RegisteredCollection, name: str, text: str) -> Any:
    """Turn a command-line ``key=value`` string into the option's type, and check it."""
    declared = {option.name: option for option in renderer.options}
    option = declared.get(name)
    if option is None:
        raise OptionError(_no_option(renderer, name, declared))
    return _check_option(renderer, option, _from_text(option, text))


def coerce_options(format: str, texts: Mapping[str, str]) -> dict[str, Any]:
    """Every option of ``format`` from text as a command line gives it (``{"width": "60"}``), checked once.

    For callers that take options as text: call it once, before any article, so
    that a bad value is one error rather than one per file; then pass the result
    to :func:`render` as keyword arguments.

    :raises UnknownFormatError: no renderer or collection format provides ``format``.
    :raises OptionError: an option the format does not declare, or a value that
        its :class:`Option` refuses; the message names the option, the value and
        what it takes.
    :returns: Every declared option: the given values in their types, the rest their defaults.
    """
    renderer = get_format(format)
    declared = {option.name: option for option in renderer.options}
    typed: dict[str, Any] = {}
    for name, text in texts.items():
        option = declared.get(name)
        if option is None:
            raise OptionError(_no_option(renderer, name, declared))
        typed[name] = _from_text(option, text)
    return resolve_options(renderer, typed)


def _from_text(option: Option, text: str) -> Any:
    """``text`` in the option's type (bool, int, float); other types take the text as it is."""
    if option.type is bool:
        lowered = text.strip().lower()
        if lowered not in _TRUE | _FALSE:
            raise OptionError(f"option {option.name!r} takes true or false, not {text!r}")
        return lowered in _TRUE
    if option.type in (int, float):
        try:
            return option.type(text)
        except ValueError:
            raise OptionError(f"option {option.name!r} takes {type_phrase(option.type)}, not {text!r}") from None
    if option.choices is not None and text not in option.choices:
        meant = _unescaped(text)
        if meant is not None and meant in option.choices:
            # -O 'delimiter=\t' reaches us as a backslash and a t: the shell, not newsarticle, makes a tab.
            raise OptionError(
                f"option {option.name!r} takes one of {', '.join(map(repr, option.choices))}, not {text!r}:"
                f" the shell passed the backslash as it is; give the character itself, as in"
                f" -O {option.name}=$'{text}' (bash, zsh)"
            )
    return text


def _unescaped(text: str) -> str | None:
    """``text`` with its backslash escapes (``\\t``) read as Python reads them, or None when it has none."""
    if "\\" not in text or not text.isascii():
        return None
    import codecs

    try:
        return codecs.decode(text, "unicode_escape")
    except UnicodeDecodeError:
        return None


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


def get_transform(name: str) -> RegisteredTransform:
    """The transform named ``name``, in any case.

    :raises UnknownTransformError: listing the transforms that exist, and the closest to ``name`` if any.
    """
    registry = get_registry().transforms
    entry = registry.get(name) or (registry.get(name.lower()) if isinstance(name, str) else None)
    if entry is None:
        known = {key: transform.name for key, (transform, _) in registry.items()}
        raise UnknownTransformError(_unknown("transform", name, known))
    transform: RegisteredTransform = entry[0]
    return transform


def check_transforms(names: Iterable[str]) -> None:
    """Raise :class:`UnknownTransformError` for the first of ``names`` that no plugin registered.

    For callers that take transform names from a user: call it once, before the first article.
    """
    for name in names:
        get_transform(name)


def apply_transforms(article: Article, names: Iterable[str], context: RenderContext) -> Article:
    """Apply the named transforms in order."""
    if not names:
        return article
    for name in names:
        transform = get_transform(name)
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
    # The one check that the text is Unicode; isascii() is free, encoding costs a pass over the text.
    if type(output) is str and not output.isascii() and not _builds_unicode(renderer, rendered):
        _encoded(output, renderer, rendered)
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


def _builds_unicode(renderer: RegisteredRenderer, article: Article) -> bool:
    """Whether ``renderer`` is one of newsarticle's own and ``article`` gives it nothing but Unicode.

    The built-in renderers write only the model's text fields (which refuse
    lone surrogates), the source through json (which escapes them), option
    values (:meth:`Option.check` refuses them), Babel's locale data and the
    translations. The one way left in is a date-time's time zone, whose name
    or key the caller's tzinfo can make anything: such an article is checked.
    tests/test_render_unicode.py holds them to it with hostile articles.
    """
    owner = type(getattr(renderer.render, "__self__", None))
    # The class itself, not its name: another class can say it lives in a built-in module.
    module = sys.modules.get(owner.__module__) if owner.__module__ in DEFAULT_PLUGINS else None
    if module is None or getattr(module, owner.__qualname__, None) is not owner:
        return False
    published = article.published
    if type(published) is not dt.datetime:
        return True
    zone = published.tzinfo
    return type(zone) is dt.timezone and (published.tzname() or "").isascii()


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
