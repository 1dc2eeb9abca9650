"""The plugin manager: built-in plugins, entry points, and the registry they fill.

Built-ins are registered under their dotted module names exactly as
third-party plugins are (pluggy skips an entry point whose name is already
registered, so short names would shadow third-party plugins). Nothing is
scanned at ``import newsarticle``: the registry is built on first use.

Plugins load in a fixed order: the built-ins in :data:`DEFAULT_PLUGINS`
order, then entry points sorted by distribution name and entry-point name,
then plugins registered by :func:`register_plugin`, in the order registered.
The registry calls each plugin's hooks through pluggy in that order, one
plugin at a time, so that whatever a plugin registers is known to be its own
and a plugin that fails costs only itself; ``tryfirst`` moves a plugin ahead
of the others (built-ins included), ``trylast`` behind them.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import threading
import unicodedata
import warnings
from collections.abc import Callable, Iterator
from importlib import metadata
from typing import Any

import attrs
import pluggy

from newsarticle import hookspecs
from newsarticle._exceptions import (
    NewsArticleError,
    PluginError,
    PluginWarning,
    describe,
    plugin_fault,
    traceback_text,
)
from newsarticle._plugin_api import Option, Provider, RegisteredCollection, RegisteredRenderer, RegisteredTransform

__all__ = [
    "DEFAULT_PLUGINS",
    "DISABLE_AUTOLOAD_ENV",
    "ENTRY_POINT_GROUP",
    "Provider",
    "Registry",
    "get_registry",
    "make_plugin_manager",
    "register_plugin",
    "unregister_plugin",
]

ENTRY_POINT_GROUP = "newsarticle"
#: Set this environment variable (to anything but an empty string) to load no entry-point plugins.
DISABLE_AUTOLOAD_ENV = "NEWSARTICLE_DISABLE_PLUGIN_AUTOLOAD"

DEFAULT_PLUGINS = (
    "newsarticle.renderers.html",
    "newsarticle.renderers.markdown",
    "newsarticle.renderers.json",
    "newsarticle.renderers.text",
    "newsarticle.renderers.source",
    "newsarticle.renderers.jsonl",
    "newsarticle.renderers.feeds",
    "newsarticle.renderers.jsonfeed",
    "newsarticle.renderers.sitemap",
    "newsarticle.transforms.typography",
)


def make_plugin_manager(*, load_entry_points: bool | None = None) -> tuple[pluggy.PluginManager, dict[str, Provider]]:
    """A plugin manager with the specs, the built-ins and (unless disabled) entry-point plugins.

    :param load_entry_points: Load the ``newsarticle`` entry-point group; by
        default unless :data:`DISABLE_AUTOLOAD_ENV` is set.
    :returns: The manager, and who provides each registered plugin by name.
    """
    pm = pluggy.PluginManager(ENTRY_POINT_GROUP)
    pm.add_hookspecs(hookspecs)
    providers: dict[str, Provider] = {}
    for name in DEFAULT_PLUGINS:
        provider = Provider(name, "newsarticle", _own_version())
        try:
            pm.register(importlib.import_module(name), name=name)
        except BaseException as exc:  # even a broken built-in leaves the other formats working
            _skip(exc, provider, "load")
            continue
        providers[name] = provider
    if load_entry_points is None:
        load_entry_points = not os.environ.get(DISABLE_AUTOLOAD_ENV)
    if load_entry_points:
        for entry_point in _entry_points():
            if pm.get_plugin(entry_point.name) is not None or pm.is_blocked(entry_point.name):
                continue
            provider = Provider(entry_point.name)
            try:
                provider = _entry_point_provider(entry_point)
                # Importing the module runs the plugin's code, and so does pluggy's look at its attributes.
                pm.register(entry_point.load(), name=entry_point.name)
            except BaseException as exc:  # a broken plugin must not take the others down
                _skip(exc, provider, "load")
                continue
            providers[entry_point.name] = provider
    return pm, providers


def _entry_points() -> list[metadata.EntryPoint]:
    """The group's entry points, one distribution at a time, sorted by distribution and entry-point name.

    ``metadata.entry_points()`` raises for all when one distribution's
    ``entry_points.txt`` is malformed; here that distribution alone is skipped.
    Sorted, because ``sys.path`` order differs between installs, and which of
    two plugins registering one format name comes second (and is refused)
    must not.
    """
    found: list[metadata.EntryPoint] = []
    seen: set[str] = set()
    for dist in metadata.distributions():
        provider = Provider("(entry points)")
        try:
            name = dist.name
            if isinstance(name, str):  # metadata without a Name still has its entry points read
                provider = Provider("(entry points)", name, dist.version)
                key = re.sub(r"[-_.]+", "-", name).lower()
                if key in seen:  # as importlib.metadata does: the first on sys.path shadows the rest
                    continue
                seen.add(key)
            found.extend(dist.entry_points.select(group=ENTRY_POINT_GROUP))
        except BaseException as exc:
            _skip(exc, provider, "load")
    return sorted(found, key=_load_order)


def _load_order(entry_point: metadata.EntryPoint) -> tuple[str, str]:
    dist = entry_point.dist
    name = dist.name if dist is not None and isinstance(dist.name, str) else ""
    return (re.sub(r"[-_.]+", "-", name).lower(), entry_point.name)


def _entry_point_provider(entry_point: metadata.EntryPoint) -> Provider:
    dist = entry_point.dist
    return Provider(entry_point.name, dist.name if dist else None, dist.version if dist else None)


def _skip(exc: BaseException, provider: Provider, stage: str, shown: set[str] | None = None) -> None:
    """Warn that a plugin failed to load or register and is skipped; an interrupt goes on up.

    :param shown: Warnings given already, which are not repeated.
    """
    error = plugin_fault(exc, str(provider))
    if error is exc:
        raise exc
    # The library's own errors (the host's checks among them) say what is wrong; anything else shows its type.
    own = isinstance(error, NewsArticleError) and type(exc) is type(error)
    detail = str(error).removeprefix(f"{provider}: ").removeprefix(f"{provider} ") if own else describe(exc)
    message = f"{provider} failed to {stage} and was skipped: {detail}"
    if shown is not None:
        if message in shown:
            return
        shown.add(message)
    warning = PluginWarning(message)
    warning.traceback = traceback_text(exc)
    warnings.warn(warning, stacklevel=3)


def _own_version() -> str | None:
    try:
        return metadata.version("newsarticle")
    except metadata.PackageNotFoundError:
        return None


@attrs.define
class Registry:
    """Renderers, collection formats and transforms by name, each with the plugin that registered it.

    Renderers and collection formats share one namespace: a format name is in one of the two.
    """

    plugin_manager: pluggy.PluginManager
    providers: dict[str, Provider]
    renderers: dict[str, tuple[RegisteredRenderer, Provider]] = attrs.field(factory=dict)
    collections: dict[str, tuple[RegisteredCollection, Provider]] = attrs.field(factory=dict)
    transforms: dict[str, tuple[RegisteredTransform, Provider]] = attrs.field(factory=dict)
    #: The PluginWarnings given, so that a rebuild (after unregister_plugin) does not repeat them.
    warned: set[str] = attrs.field(factory=set)

    @classmethod
    def build(
        cls, pm: pluggy.PluginManager, providers: dict[str, Provider], warned: set[str] | None = None
    ) -> Registry:
        """Call every registered plugin's hooks, in load order (see the module's docstring).

        :param warned: Warnings given by an earlier build of this manager's registry, not to repeat.
        """
        registry = cls(pm, providers, warned=set() if warned is None else warned)
        for name, plugin in _in_call_order(pm):
            try:
                registry.add_plugin(name, plugin)
            except BaseException as exc:  # one plugin's mistake leaves every other format working
                _skip(exc, registry.provider(name), "register", registry.warned)
        return registry

    def provider(self, name: str) -> Provider:
        return self.providers.get(name) or Provider(name)

    def add_plugin(self, name: str, plugin: object) -> None:
        """Call one plugin's hooks through pluggy and collect what it registers; on any error, keep none of it.

        Only this plugin's implementations take part in the call, its
        wrappers (``wrapper=True``, ``hookwrapper=True``) included: a wrapper
        wraps its own plugin's registration. Errors propagate, as whatever the
        plugin's code raised; callers contain them.
        """
        provider = self.provider(name)
        renderers: dict[str, tuple[Any, Provider]] = {}
        collections: dict[str, tuple[Any, Provider]] = {}
        transforms: dict[str, tuple[Any, Provider]] = {}
        formats = (renderers, collections, self.renderers, self.collections)  # one namespace of format names
        others = [other for _, other in self.plugin_manager.list_name_plugin() if other is not plugin]
        for hook, found, taken, check in (
            ("register_renderers", renderers, formats, _check_renderer),
            ("register_collections", collections, formats, _check_collection),
            ("register_transforms", transforms, (transforms, self.transforms), _check_transform),
        ):
            caller = self.plugin_manager.subset_hook_caller(hook, remove_plugins=others)
            if caller.get_hookimpls():
                register = _Registrar(provider, hook, found, taken, check)
                try:
                    caller(register=register)
                finally:
                    register.closed = True
        # A format replaced by one of the other kind leaves the kind it was; within this plugin too, where
        # the collection, registered after the renderer, replaces it as a second renderer would.
        for key in renderers.keys() & collections.keys():
            del renderers[key]
        for key in renderers:
            self.collections.pop(key, None)
        for key in collections:
            self.renderers.pop(key, None)
        self.renderers.update(renderers)
        self.collections.update(collections)
        self.transforms.update(transforms)


def _in_call_order(pm: pluggy.PluginManager) -> list[tuple[str, object]]:
    """The plugins in load order, those with a ``tryfirst`` hook first and those with a ``trylast`` one last."""
    hooks = (pm.hook.register_renderers, pm.hook.register_collections, pm.hook.register_transforms)
    impls = [impl for hook in hooks for impl in hook.get_hookimpls()]
    first = {id(impl.plugin) for impl in impls if impl.tryfirst}
    last = {id(impl.plugin) for impl in impls if impl.trylast} - first
    ranks = {**dict.fromkeys(last, 2), **dict.fromkeys(first, 0)}
    plugins = [(name, plugin) for name, plugin in pm.list_name_plugin() if plugin is not None]
    return sorted(plugins, key=lambda item: ranks.get(id(item[1]), 1))  # stable: load order within a rank


class _Registrar:
    """The ``register`` callback one plugin's hook gets: it checks and collects what the plugin registers."""

    def __init__(
        self,
        provider: Provider,
        hook: str,
        found: dict[str, tuple[Any, Provider]],
        taken: tuple[dict[str, tuple[Any, Provider]], ...],
        check: Callable[[object, Provider], RegisteredRenderer | RegisteredCollection | RegisteredTransform],
    ) -> None:
        """:param taken: Where a name registered already is found (``found`` among them): the new
        and the existing renderers and collection formats, which share format names."""
        self.provider, self.hook, self.found, self.taken, self.check = provider, hook, found, taken, check
        #: Set when the hook has returned: what a kept callback registers later would be lost without a word.
        self.closed = False

    def __call__(self, thing: object, *, replace: bool = False) -> None:
        provider = self.provider
        if self.closed:
            raise PluginError(f"{provider} called register() after its {self.hook} hook returned; register in the hook")
        registered = self.check(thing, provider)
        name = registered.name
        key = name.lower()  # names are looked up case-insensitively, so "HTML" is "html" again
        existing = next((known[key] for known in self.taken if key in known), None)
        if existing is not None and not replace:
            raise PluginError(
                f"{provider} registers {name!r}, which {existing[1]} registered already;"
                " pass replace=True to replace it deliberately"
            )
        self.found[key] = (registered, provider)


# What the command line, file names and HTTP headers can take without misreading: ASCII, no
# path separator, no control, no leading '-' that argparse would read as an option.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,63}", re.ASCII)
# Dot-separated parts that each start with a letter or digit: no '/', no '..', no '.' alone, no trailing dot.
_SUFFIX = re.compile(r"(?:\.[A-Za-z0-9][A-Za-z0-9_+-]*)+", re.ASCII)
_SUFFIX_MAX = 32
_TOKEN = r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}"  # RFC 6838 restricted-name
_MEDIA_TYPE = re.compile(rf"{_TOKEN}/{_TOKEN}(?:; ?{_TOKEN}={_TOKEN})*", re.ASCII)
_OPTION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}", re.ASCII)
# render()'s own keyword parameters: an option of one of these names could never be passed.
_RESERVED_OPTIONS = frozenset({"article", "format", "locale", "transforms"})
# Controls, format characters (bidi overrides among them), lone surrogates and line separators
# would break a one-line listing or spoof a terminal.
_NOT_IN_TEXT = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_TEXT_MAX = 500
_NAME_RULE = "letters, digits and ._+- (64 at most), starting with a letter or digit"
_MEDIA_TYPE_RULE = "type/subtype, as text/html, with optional ;name=value parameters"
_SUFFIX_RULE = f"'.' and a name of letters, digits and _+- ({_SUFFIX_MAX} characters at most), as .html or .ninjs.json"
_OPTION_NAME_RULE = "a Python identifier (64 characters at most), none of article, format, locale, transforms"
_ONE_LINE_RULE = f"one line of text without control or format characters ({_TEXT_MAX} characters at most)"


def _check_renderer(renderer: object, provider: Provider) -> RegisteredRenderer:
    name, media_type, suffix, description, options = _check_format(renderer, provider, "renderer")
    render = getattr(renderer, "render", None)
    if not callable(render):
        raise PluginError(f"{provider} registered renderer {name!r} without a render(article, context) method")
    return RegisteredRenderer(
        name=name,
        media_type=media_type,
        suffix=suffix,
        description=description,
        options=options,
        defaults={option.name: option.default for option in options},
        render=render,
        provider=provider,
    )


def _check_format(thing: object, provider: Provider, kind: str) -> tuple[str, str, str, str, tuple[Option, ...]]:
    """The name, media type, suffix, description and options that renderers and collection formats share."""
    # Each attribute is read once: a property is plugin code, and what was checked is what is used.
    name = _attribute(thing, "name", provider, kind)
    refused = f"{provider} registered {kind} {name!r} with the"
    _require(_NAME.fullmatch(name), f"{refused} name", name, _NAME_RULE)
    media_type = _attribute(thing, "media_type", provider, f"{kind} {name!r}")
    _require(_MEDIA_TYPE.fullmatch(media_type), f"{refused} media type", media_type, _MEDIA_TYPE_RULE)
    suffix = _attribute(thing, "suffix", provider, f"{kind} {name!r}")
    _require(len(suffix) <= _SUFFIX_MAX and _SUFFIX.fullmatch(suffix), f"{refused} suffix", suffix, _SUFFIX_RULE)
    description = _attribute(thing, "description", provider, f"{kind} {name!r}")
    _require(_is_one_line(description), f"{refused} description", description, _ONE_LINE_RULE)
    options = _check_options(getattr(thing, "options", ()), refused)
    return name, media_type, suffix, description, options


def _check_collection(collection: object, provider: Provider) -> RegisteredCollection:
    name, media_type, suffix, description, options = _check_format(collection, provider, "collection format")
    open_ = getattr(collection, "open", None)
    if not callable(open_):
        raise PluginError(f"{provider} registered collection format {name!r} without an open(sink, context) method")
    needs_url = getattr(collection, "needs_url", False)
    if type(needs_url) is not bool:
        raise PluginError(f"{provider} registered collection format {name!r} with a needs_url other than True or False")
    depends_on_time = getattr(collection, "depends_on_time", None)
    if depends_on_time is not None and not callable(depends_on_time):
        raise PluginError(f"{provider} registered collection format {name!r} with a depends_on_time that is no method")
    return RegisteredCollection(
        name=name,
        media_type=media_type,
        suffix=suffix,
        description=description,
        options=options,
        defaults={option.name: option.default for option in options},
        needs_url=needs_url,
        depends_on_time=depends_on_time,
        open=open_,
        provider=provider,
    )


def _check_options(options: object, refused: str) -> tuple[Option, ...]:
    if isinstance(options, (str, bytes)) or not _iterable(options):
        raise PluginError(f"{refused} options {_shown(options)}; expected a sequence of newsarticle.Option")
    checked: tuple[Option, ...] = tuple(options)  # type: ignore[arg-type]
    seen: set[str] = set()
    for option in checked:
        # type(), not isinstance(): an object can claim any class through a __class__ property.
        _require(issubclass(type(option), Option), f"{refused} option", option, "newsarticle.Option objects")
        name = option.name
        valid = type(name) is str and _OPTION_NAME.fullmatch(name) and name not in _RESERVED_OPTIONS
        _require(valid, f"{refused} option name", name, _OPTION_NAME_RULE)
        _require(name not in seen, f"{refused} option name", name, "each option named once")
        seen.add(name)
        help_text = option.help
        _require(
            type(help_text) is str and _is_one_line(help_text), f"{refused} option help", help_text, _ONE_LINE_RULE
        )
        validator = option.validator
        _require(validator is None or callable(validator), f"{refused} option validator", validator, "a callable")
    return checked


def _check_transform(transform: object, provider: Provider) -> RegisteredTransform:
    name = _attribute(transform, "name", provider, "transform")
    refused = f"{provider} registered transform {name!r} with the"
    _require(_NAME.fullmatch(name), f"{refused} name", name, _NAME_RULE)
    description = getattr(transform, "description", "")
    _require(
        type(description) is str and _is_one_line(description), f"{refused} description", description, _ONE_LINE_RULE
    )
    apply = getattr(transform, "apply", None)
    if not callable(apply):
        raise PluginError(f"{provider} registered transform {name!r} without an apply(article, context) method")
    return RegisteredTransform(name=name, description=description, apply=apply, provider=provider)


def _attribute(thing: object, attribute: str, provider: Provider, what: str) -> str:
    value = getattr(thing, attribute, None)
    if type(value) is not str:  # a str subclass could change its mind in __eq__ or __str__
        if not isinstance(value, str):
            raise PluginError(f"{provider} registered a {what} without a str {attribute!r}")
        value = str.__str__(value)
    return value


def _require(valid: object, refused: str, value: object, expected: str) -> None:
    if not valid:
        raise PluginError(f"{refused} {_shown(value)}; expected {expected}")


def _shown(value: object) -> str:
    """``repr(value)``, escaped to ASCII, for a message about a value a plugin gave."""
    if isinstance(value, str):
        return ascii(str.__str__(value))
    return f"of type {type(value).__name__}"


def _is_one_line(text: str) -> bool:
    return len(text) <= _TEXT_MAX and (
        (text.isascii() and text.isprintable()) or not any(unicodedata.category(c) in _NOT_IN_TEXT for c in text)
    )


def _iterable(value: object) -> bool:
    try:
        iter(value)  # type: ignore[call-overload]
    except TypeError:
        return False
    return True


_lock = threading.Lock()
_registry: Registry | None = None
# Whether this thread holds _lock: it calls plugins' hooks while it does, and a hook that calls back into
# the registry (formats(), render(), register_plugin()) would wait for the lock forever.
_holder = threading.local()


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    """Hold the registry's lock; a call from inside a plugin's hook, which this thread runs under it,
    is a PluginError (the hook's plugin is then skipped) instead of a wait that never ends."""
    if getattr(_holder, "holds", False):
        raise PluginError(
            "a plugin's hook used newsarticle's plugin registry (formats(), render(), register_plugin() or"
            " unregister_plugin()) while it was being built; register what the hook has, and use the registry later"
        )
    with _lock:
        _holder.holds = True
        try:
            yield
        finally:
            _holder.holds = False


def get_registry() -> Registry:
    """The process-wide registry, built on first use."""
    global _registry  # noqa: PLW0603 -- one lazily built registry per process
    if _registry is None:
        with _locked():
            if _registry is None:
                _registry = Registry.build(*make_plugin_manager())
    return _registry


def register_plugin(plugin: object, name: str | None = None) -> str:
    """Register a plugin defined in a script, without packaging it.

    :param name: The name it is known by in messages and ``formats()``; by
        default its ``__name__`` or its class name.
    :raises PluginError: when a plugin of that name is registered already, when
        its hooks do not fit newsarticle's, or when it registers a format or
        transform name that exists already without ``replace=True`` or a
        malformed renderer; the plugin is then not registered at all.
    :returns: The name the plugin is registered under.
    """
    registry = get_registry()
    if name is None:
        name = _default_name(plugin)
    with _locked():
        try:
            plugin_name = registry.plugin_manager.register(plugin, name=name)
        except pluggy.PluginValidationError as exc:
            raise PluginError(f"plugin {name!r} does not fit newsarticle's hooks: {exc}") from None
        except ValueError:
            raise PluginError(f"a plugin named {name!r} is registered already; give this one another name=") from None
        except BaseException as exc:  # pluggy reads the plugin's attributes, which can run its code
            raise plugin_fault(exc, f"plugin {name!r}")  # noqa: B904 -- plugin_fault chains it
        if plugin_name is None:
            raise PluginError(f"plugin {name!r} is blocked")
        provider = registry.providers[plugin_name] = Provider(plugin_name)
        try:
            registry.add_plugin(plugin_name, plugin)
        except BaseException as exc:
            registry.plugin_manager.unregister(plugin, name=plugin_name)
            del registry.providers[plugin_name]
            raise plugin_fault(exc, str(provider))  # noqa: B904
    return plugin_name


def _default_name(plugin: object) -> str:
    try:
        name = getattr(plugin, "__name__", None)
    except BaseException as exc:
        raise plugin_fault(exc, f"plugin {type(plugin).__qualname__!r}")  # noqa: B904
    return name if type(name) is str and name else type(plugin).__qualname__


def unregister_plugin(name: str) -> None:
    """Remove a plugin registered by :func:`register_plugin`, and what it registered."""
    global _registry  # noqa: PLW0603
    registry = get_registry()
    with _locked():
        registry.plugin_manager.unregister(name=name)
        registry.providers.pop(name, None)
        # Rebuild, so that a format the plugin replaced comes back.
        _registry = Registry.build(registry.plugin_manager, registry.providers, registry.warned)
