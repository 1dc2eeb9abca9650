"""The hooks a newsarticle plugin can implement.

A plugin is a module (or any object) with functions marked ``@newsarticle.hookimpl``
whose names match the specs below. Packages make themselves known through the
entry-point group ``newsarticle``::

    [project.entry-points.newsarticle]
    ninjs = "newsarticle_ninjs"

Hook functions take only the arguments they use, by name. The built-in
renderers in :mod:`newsarticle.renderers` are plugins of exactly this kind.

pluggy calls the hooks, one plugin at a time, so that what a plugin registers
is known to be its own and a plugin that fails costs only itself: in load order
(the built-ins, then entry points sorted by distribution name, then plugins
given to :func:`newsarticle.register_plugin`), a plugin whose implementation
is marked ``tryfirst`` ahead of all others and one marked ``trylast`` behind.
A wrapper (``wrapper=True`` or ``hookwrapper=True``) wraps its own plugin's
implementations: it can register too, and catch what they raise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from newsarticle._plugin_api import RegisterCollection, RegisterRenderer, RegisterTransform

__all__ = ["hookimpl", "hookspec", "register_collections", "register_renderers", "register_transforms"]

#: Marks a function of this module as a hook specification.
hookspec = pluggy.HookspecMarker("newsarticle")
#: Marks a plugin's function as the implementation of the hook of the same name.
hookimpl = pluggy.HookimplMarker("newsarticle")


@hookspec
def register_renderers(register: RegisterRenderer) -> None:
    """Register output formats.

    Call ``register(renderer)`` once for each format the plugin provides. A
    renderer is any object that satisfies :class:`newsarticle.Renderer`: a
    ``name`` (the format name, ``"html"``), ``media_type``, ``suffix``
    (``".html"``), a one-line ``description``, the ``options`` it accepts
    (:class:`newsarticle.Option`), and ``render(article, context)`` returning
    ``str`` or ``bytes``.

    A format name that another plugin registered already is an error naming
    both plugins, unless the call is ``register(renderer, replace=True)``,
    which deliberately replaces it (built-ins are registered first, so a
    plugin can replace ``html``).

    ``register`` reads the renderer's attributes once and checks them (a
    format name, a ``suffix`` such as ``.html`` or ``.ninjs.json`` that cannot
    name a folder, a ``type/subtype`` media type, a one-line description); a
    bad one raises :class:`newsarticle.PluginError`. Whatever this hook
    raises, ``sys.exit()`` included, skips the whole plugin with a
    :class:`newsarticle.PluginWarning`; nothing it registered is kept.

    Format names are matched case-insensitively, so ``HTML`` is a second
    ``html``.

    :param register: Call it with a renderer, and ``replace=True`` to replace
        an existing format of the same name.
    :returns: Nothing; the return value is ignored.

    Called once for each plugin when the registry is built: the first time a
    format or transform is looked up, or at :func:`newsarticle.register_plugin`
    for a plugin registered later. :func:`newsarticle.unregister_plugin`
    rebuilds the registry, calling the remaining plugins' hooks once more, so
    that a format the removed plugin replaced comes back.
    """


@hookspec
def register_collections(register: RegisterCollection) -> None:
    """Register collection formats: formats that write many articles into one output.

    Call ``register(collection)`` once for each. A collection format is any
    object that satisfies :class:`newsarticle.CollectionFormat`: the same
    ``name``, ``media_type``, ``suffix``, ``description`` and ``options`` as a
    renderer, an optional ``needs_url`` flag, and ``open(sink, context)``
    returning a writer (:class:`newsarticle.CollectionWriter`) whose
    ``add(article)`` is called once per article, in input order, and whose
    ``close()`` is called once at the end. ``sink`` is a binary stream with
    ``write(bytes)``; the host owns it (it may be a temporary file renamed into
    place on success, one shard of a larger output, or standard output).

    Collection formats and renderers share one namespace of format names: a
    name either registered already is an error naming both plugins, unless
    ``replace=True``. The checks and the handling of errors are those of
    ``register_renderers``. The built-in ``jsonl``, ``atom``, ``rss``,
    ``jsonfeed`` and ``sitemap`` formats are registered through this hook.

    :param register: Call it with a collection format, and ``replace=True``
        to replace an existing format of the same name.
    :returns: Nothing; the return value is ignored.

    Called when ``register_renderers`` is, and as often.
    """


@hookspec
def register_transforms(register: RegisterTransform) -> None:
    """Register named Article-to-Article transforms.

    Call ``register(transform)`` once for each transform. A transform is an
    object with a ``name``, a one-line ``description`` and ``apply(article,
    context)`` returning a new :class:`newsarticle.Article` (use
    :func:`attrs.evolve`; Articles are immutable). Transforms run only when a
    caller names them, in the order named
    (``render(article, "html", transforms=["typography"])``), never merely
    because their plugin is installed.

    :param register: Call it with a transform, and ``replace=True`` to
        replace an existing transform of the same name.
    :returns: Nothing; the return value is ignored.

    Called when ``register_renderers`` is, and as often.
    """
