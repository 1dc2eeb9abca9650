"""The plugin manager: built-in plugins, entry points, and the registry they fill.

Built-ins are registered under their dotted module names exactly as
third-party plugins are (pluggy skips an entry point whose name is already
registered, so short names would shadow third-party plugins). Nothing is
scanned at ``import newsarticle``: the registry is built on first use.
"""

from __future__ import annotations

import importlib
import os
import threading
import warnings
from collections.abc import Callable
from importlib import metadata
from typing import Any

import attrs
import pluggy

from newsarticle import hookspecs
from newsarticle._exceptions import PluginError, PluginWarning
from newsarticle._render import Option

__all__ = [
    "DEFAULT_PLUGINS",
    "DISABLE_AUTOLOAD_ENV",
    "ENTRY_POINT_GROUP",
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
    "newsarticle.transforms.typography",
)


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
        except Exception as exc:  # even a broken built-in leaves the other formats working
            warnings.warn(f"{provider} failed to load and was skipped: {exc!r}", PluginWarning, stacklevel=2)
            continue
        providers[name] = provider
    if load_entry_points is None:
        load_entry_points = not os.environ.get(DISABLE_AUTOLOAD_ENV)
    if load_entry_points:
        for entry_point in metadata.entry_points(group=ENTRY_POINT_GROUP):
            if pm.get_plugin(entry_point.name) is not None or pm.is_blocked(entry_point.name):
                continue
            dist = entry_point.dist
            provider = Provider(entry_point.name, dist.name if dist else None, dist.version if dist else None)
            try:
                plugin = entry_point.load()
                pm.register(plugin, name=entry_point.name)
            except Exception as exc:  # a broken plugin must not take the others down
                warnings.warn(f"{provider} failed to load and was skipped: {exc!r}", PluginWarning, stacklevel=2)
                continue
            providers[entry_point.name] = provider
    return pm, providers


def _own_version() -> str | None:
    try:
        return metadata.version("newsarticle")
    except metadata.PackageNotFoundError:
        return None


@attrs.define
class Registry:
    """Renderers and transforms by name, each with the plugin that registered it."""

    plugin_manager: pluggy.PluginManager
    providers: dict[str, Provider]
    renderers: dict[str, tuple[Any, Provider]] = attrs.field(factory=dict)
    transforms: dict[str, tuple[Any, Provider]] = attrs.field(factory=dict)

    @classmethod
    def build(cls, pm: pluggy.PluginManager, providers: dict[str, Provider]) -> Registry:
        """Ask every registered plugin for its renderers and transforms, built-ins first."""
        registry = cls(pm, providers)
        for name, plugin in pm.list_name_plugin():
            if plugin is None:
                continue
            try:
                registry.add_plugin(name, plugin)
            except Exception as exc:  # one plugin's mistake leaves every other format working
                provider = registry.provider(name)
                warnings.warn(f"{provider} failed to register and was skipped: {exc}", PluginWarning, stacklevel=2)
        return registry

    def provider(self, name: str) -> Provider:
        return self.providers.get(name) or Provider(name)

    def add_plugin(self, name: str, plugin: object) -> None:
        """Collect what one plugin registers; on any error, register none of it."""
        provider = self.provider(name)
        renderers: dict[str, tuple[Any, Provider]] = {}
        transforms: dict[str, tuple[Any, Provider]] = {}
        for hook, found, known, check in (
            ("register_renderers", renderers, self.renderers, _check_renderer),
            ("register_transforms", transforms, self.transforms, _check_transform),
        ):
            arguments = {"register": _registrar(provider, found, known, check)}
            for impl in getattr(self.plugin_manager.hook, hook).get_hookimpls():
                if impl.plugin is plugin:
                    # pluggy's own calling convention: a hook takes only the arguments it names.
                    impl.function(*(arguments[name] for name in impl.argnames))
        self.renderers.update(renderers)
        self.transforms.update(transforms)


def _registrar(
    provider: Provider,
    found: dict[str, tuple[Any, Provider]],
    known: dict[str, tuple[Any, Provider]],
    check: Callable[[object, Provider], str],
) -> Callable[..., None]:
    def register(thing: object, *, replace: bool = False) -> None:
        name = check(thing, provider)
        existing = found.get(name) or known.get(name)
        if existing is not None and not replace:
            raise PluginError(
                f"{provider} registers {name!r}, which {existing[1]} registered already;"
                " pass replace=True to replace it deliberately"
            )
        found[name] = (thing, provider)

    return register


def _check_renderer(renderer: object, provider: Provider) -> str:
    for attribute, kind in (("name", str), ("media_type", str), ("suffix", str), ("description", str)):
        if not isinstance(getattr(renderer, attribute, None), kind):
            raise PluginError(f"{provider} registered a renderer without a str {attribute!r}: {renderer!r}")
    if not callable(getattr(renderer, "render", None)):
        raise PluginError(f"{provider} registered a renderer without a render(article, context) method")
    name: str = renderer.name  # type: ignore[attr-defined]
    suffix: str = renderer.suffix  # type: ignore[attr-defined]
    if not name or not suffix.startswith("."):
        raise PluginError(f"{provider} registered renderer {name!r} with suffix {suffix!r}; a suffix starts with '.'")
    options = getattr(renderer, "options", ())
    if isinstance(options, (str, bytes)) or not all(isinstance(option, Option) for option in options):
        raise PluginError(f"{provider} registered renderer {name!r} whose options are not all newsarticle.Option")
    return name


def _check_transform(transform: object, provider: Provider) -> str:
    name = getattr(transform, "name", None)
    if not isinstance(name, str) or not name or not callable(getattr(transform, "apply", None)):
        raise PluginError(f"{provider} registered a transform without a name and an apply(article, context) method")
    return name


_lock = threading.Lock()
_registry: Registry | None = None


def get_registry() -> Registry:
    """The process-wide registry, built on first use."""
    global _registry  # noqa: PLW0603 -- one lazily built registry per process
    if _registry is None:
        with _lock:
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
        name = getattr(plugin, "__name__", None) or type(plugin).__qualname__
    with _lock:
        try:
            plugin_name = registry.plugin_manager.register(plugin, name=name)
        except pluggy.PluginValidationError as exc:
            raise PluginError(f"plugin {name!r} does not fit newsarticle's hooks: {exc}") from None
        except ValueError:
            raise PluginError(f"a plugin named {name!r} is registered already; give this one another name=") from None
        if plugin_name is None:
            raise PluginError(f"plugin {name!r} is blocked")
        registry.providers[plugin_name] = Provider(plugin_name)
        try:
            registry.add_plugin(plugin_name, plugin)
        except Exception:
            registry.plugin_manager.unregister(plugin, name=plugin_name)
            del registry.providers[plugin_name]
            raise
    return plugin_name


def unregister_plugin(name: str) -> None:
    """Remove a plugin registered by :func:`register_plugin`, and what it registered."""
    global _registry  # noqa: PLW0603
    registry = get_registry()
    with _lock:
        registry.plugin_manager.unregister(name=name)
        registry.providers.pop(name, None)
        # Rebuild, so that a format the plugin replaced comes back.
        _registry = Registry.build(registry.plugin_manager, registry.providers)
