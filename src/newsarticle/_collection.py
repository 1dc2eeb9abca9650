"""Writing collection formats: many articles into one output as a stream (``open_collection``, ``write_collection``).

A collection format (:class:`~newsarticle.CollectionFormat`) is plugin code;
:class:`CollectionOutput` stands between it and the caller, as :func:`render`
does for renderers: it checks the options once, applies the transforms and
``base_url``, refuses an article without the URL the format needs before the
plugin sees it, and turns whatever the plugin raises into a
:class:`~newsarticle.PluginError` that names it. The plugin writes to a guarded
view of the sink, so that an ``add`` that fails after writing is known: the
output is then damaged, and no further article is added to it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from typing import Any, BinaryIO

from newsarticle._exceptions import MissingURLError, PluginError, plugin_fault
from newsarticle._models import Article
from newsarticle._plugin_api import CollectionWriter, RegisteredCollection, RenderContext, Sink
from newsarticle._render import apply_transforms, get_format, resolve_options

__all__ = ["CollectionOutput", "open_collection", "transformed", "write_collection"]


class _GuardedSink:
    """The sink as the plugin sees it: bytes only, counted, closed to it once the output ends, and open only
    while the host is in the plugin's open, add or close, to the thread that called it: a write from a thread
    of the plugin's own, between two articles, would land inside another article or go unnoticed."""

    def __init__(self, sink: Sink, origin: str) -> None:
        self._sink, self._origin = sink, origin
        self.written = 0
        self.closed = False
        #: The thread that is in the plugin's code now, or None between calls.
        self.caller: int | None = None
        #: The sink's own error (a full disk), which is the caller's to see as it is, not the plugin's fault.
        self.failure: OSError | None = None

    def write(self, data: object, /) -> int:
        if self.closed:
            raise PluginError(f"{self._origin} wrote after its output was closed or abandoned")
        if self.caller != threading.get_ident():
            raise PluginError(f"{self._origin} wrote outside its open(), add() or close(), or from another thread")
        kind = type(data)
        if kind is not bytes and kind is not bytearray and kind is not memoryview:
            raise PluginError(f"{self._origin} wrote {kind.__name__}, not bytes")
        chunk = bytes(data)  # type: ignore[call-overload]  # a copy the plugin cannot change after the write
        try:
            self._sink.write(chunk)
        except OSError as exc:
            self.failure = exc
            raise
        self.written += len(chunk)
        return len(chunk)


class CollectionOutput:
    """One collection output being written: what :func:`open_collection` returns.

    Add articles with :meth:`add`, in the order they are to appear, then call
    :meth:`close`. As a context manager it closes on success and, after an
    exception, leaves the output unfinished (:meth:`abandon`).
    """

    def __init__(
        self,
        collection: RegisteredCollection,
        sink: Sink,
        context: RenderContext,
        transforms: tuple[str, ...],
    ) -> None:
        self.format = collection.name
        #: The sink the output is written to (the caller's).
        self.sink = sink
        self._collection = collection
        self._context = context
        self._transforms = transforms
        self._origin = f"collection format {collection.name!r} from {collection.provider}"
        self._sink = _GuardedSink(sink, self._origin)
        #: How many articles were added.
        self.count = 0
        #: Why no further article can be added (an ``add`` failed after writing), or None.
        self.damaged: str | None = None
        self._finished = False
        self._writer: CollectionWriter = self._call(lambda: self._opened(collection, context), "open")

    @property
    def failure(self) -> OSError | None:
        """The error of the sink that damaged the output (a full disk, a closed pipe), or None."""
        return self._sink.failure

    def __repr__(self) -> str:
        return f"<CollectionOutput {self.format!r}: {self.count} articles>"

    def __enter__(self) -> CollectionOutput:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is None:
            self.close()
        else:
            self.abandon()

    def add(self, article: Article, *, path: str | None = None) -> None:
        """Add ``article``, after the transforms; an article without a url gets one from ``base_url``.

        :param path: The article's page below ``base_url`` (``politik/a.txt``, whose suffix becomes
            ``page_suffix``); by default its ``source``.
        :raises MissingURLError: the format needs a url, and the article has none (nothing was written).
        :raises PluginError: a transform or the format failed. Unless :attr:`damaged` is then set, nothing of
            the article was written and the output can go on.
        :raises OptionError: ``base_url`` cannot derive a url from ``path``.
        :raises OSError: the sink failed (a full disk); the output is then damaged.
        """
        if self.damaged is not None:
            raise PluginError(f"{self._origin}: the output is damaged ({self.damaged}); no article can be added")
        if self._finished:
            raise ValueError(f"the {self.format} output is closed or abandoned; open another")
        if type(article) is not Article:
            raise TypeError(f"add() takes an Article, not {type(article).__name__}")
        article = self._prepared(article, path)
        before = self._sink.written
        try:
            self._call(lambda: self._writer.add(article), "add", article.source)
        except BaseException:
            if self._sink.written != before:
                self.damaged = f"add() failed after writing {self._sink.written - before:,} bytes of an article"
            raise
        self.count += 1

    def close(self) -> None:
        """End the output (the format writes its footer). The sink itself is the caller's to close."""
        if self._finished:
            return
        if self.damaged is not None:
            self.abandon()
            raise PluginError(f"{self._origin}: the output is damaged ({self.damaged}); it was not finished")
        self._finished = True
        try:
            self._call(lambda: self._writer.close(), "close")  # noqa: PLW0108 -- reading close is plugin code too
        finally:
            self._sink.closed = True

    def abandon(self) -> None:
        """Leave the output unfinished (the caller discards it); the format is not called again."""
        self._finished = True
        self._sink.closed = True

    def _opened(self, collection: RegisteredCollection, context: RenderContext) -> CollectionWriter:
        writer = collection.open(self._sink, context)
        # Reading add and close is plugin code too (a property, a __getattr__): inside _call with open.
        if not callable(getattr(writer, "add", None)) or not callable(getattr(writer, "close", None)):
            kind = type(writer).__name__
            raise PluginError(f"{self._origin}: open() returned {kind}, not a writer with add() and close()")
        return writer  # type: ignore[return-value]

    def _prepared(self, article: Article, path: str | None) -> Article:
        if self._transforms:
            article = apply_transforms(article, self._transforms, self._context)
        collection = self._collection
        if article.url is None:
            base_url = self._context.options.get("base_url")
            if base_url is not None:
                from newsarticle._urls import with_page_url

                suffix = self._context.options.get("page_suffix")
                if suffix is None:  # a format without the option; "" is a suffix (addresses without one)
                    suffix = ".html"
                article = with_page_url(article, base_url, article.source if path is None else path, suffix)
            if article.url is None and collection.needs_url:
                raise MissingURLError(
                    f"format {collection.name!r} links to every article, and this one has no url: give it a"
                    " 'url: https://...' line right after the date, or give base_url (-O base_url=https://.../)",
                    source=article.source,
                )
        return article

    def _call(self, call: Any, step: str, source: str | None = None) -> Any:
        caller, self._sink.caller = self._sink.caller, threading.get_ident()
        try:
            return call()
        except BaseException as exc:
            failure = self._sink.failure
            if failure is not None:  # the sink failed, not the plugin: the caller's error, as it is
                self.damaged = f"writing failed: {failure.strerror or failure}"
                raise failure from None
            where = f" on {source}" if source else ""
            raise plugin_fault(exc, f"{self._origin} ({step}{where})")  # noqa: B904 -- plugin_fault chains it
        finally:
            self._sink.caller = caller


def open_collection(
    format: str,
    sink: Sink,
    *,
    locale: str | None = None,
    transforms: Iterable[str] = (),
    **options: Any,
) -> CollectionOutput:
    """Start one output of the collection format ``format`` (``jsonl``, ``atom``, ``sitemap``, ...) on ``sink``.

    ``sink`` is a binary stream (``open(path, "wb")``, ``sys.stdout.buffer``,
    an fsspec file, one shard of a larger output); it stays the caller's to
    close. Add articles one at a time; memory stays flat however many there
    are::

        with open("feed.atom", "wb") as file, newsarticle.open_collection(
            "atom", file, title="News", link="https://example.org/news/"
        ) as feed:
            for path in paths:
                feed.add(newsarticle.parse_file(path))

    :param locale: Locale for what the format localizes; by default ``de``.
    :param transforms: Names of transforms to apply to each article first, in order.
    :param options: The format's options (see :func:`formats`), checked now, before any article.
    :raises UnknownFormatError: no collection format is named ``format``.
    :raises OptionError: an option the format does not declare, or a bad value.
    :raises UnknownLocaleError: a locale Babel does not know.
    """
    from newsarticle._render import check_transforms

    if isinstance(transforms, str):
        raise TypeError(f"transforms takes a sequence of names, such as [{transforms!r}], not a str")
    collection = get_format(format)
    if not isinstance(collection, RegisteredCollection):
        from newsarticle._exceptions import UnknownFormatError

        raise UnknownFormatError(
            f"format {collection.name!r} writes one article per output: use newsarticle.render(article,"
            f" {collection.name!r}); collection formats: {', '.join(_collection_names())}"
        )
    names = tuple(transforms)
    check_transforms(names)
    return CollectionOutput(collection, sink, _context(collection, locale, options), names)


def transformed(
    article: Article, format: str, *, locale: str | None, transforms: Iterable[str], **options: Any
) -> Article:
    """``article`` after ``transforms``, as :meth:`CollectionOutput.add` would apply them for ``format``.

    For a caller that transforms elsewhere (the command, in its worker processes, in parallel and under
    the per-file time limit) and then opens the output without transforms.
    """
    collection = get_format(format)
    assert isinstance(collection, RegisteredCollection), collection
    return apply_transforms(article, tuple(transforms), _context(collection, locale, options))


def _context(collection: RegisteredCollection, locale: str | None, options: dict[str, Any]) -> RenderContext:
    return RenderContext(_locale(locale), resolve_options(collection, options))


def write_collection(
    articles: Iterable[Article],
    format: str,
    file: str | os.PathLike[str] | BinaryIO,
    *,
    locale: str | None = None,
    transforms: Iterable[str] = (),
    **options: Any,
) -> int:
    """Write ``articles`` in the collection format ``format`` to ``file``; return how many were added.

    ``file`` is a path or a binary stream. A path is written whole or not at
    all: a temporary file beside it, renamed into place once the output is
    complete, so that an error (a bad article, a full disk) leaves the path as
    it was. ``articles`` may be any iterable, a generator over a whole corpus
    included; it is read once. Raises what :func:`open_collection` and
    :meth:`CollectionOutput.add` raise, at the first article that fails.
    """
    if isinstance(file, (str, os.PathLike)):
        from newsarticle._atomic import AtomicFile

        path = os.fspath(file)
        target = AtomicFile(path, parents=False)
        try:
            count = _write_all(articles, format, target, locale=locale, transforms=transforms, options=options)
            target.commit()
        finally:
            if not target.closed:
                target.discard()
        return count
    return _write_all(articles, format, file, locale=locale, transforms=transforms, options=options)


def _write_all(
    articles: Iterable[Article],
    format: str,
    sink: Sink,
    *,
    locale: str | None,
    transforms: Iterable[str],
    options: dict[str, Any],
) -> int:
    with open_collection(format, sink, locale=locale, transforms=transforms, **options) as output:
        for article in articles:
            output.add(article)
    return output.count


def _locale(locale: str | None) -> str | Callable[[], str]:
    """The caller's locale, checked now; or ``de``, resolved when a format first asks (most never load Babel)."""
    from newsarticle._i18n import DEFAULT_LOCALE, get_locale

    return (lambda: DEFAULT_LOCALE) if locale is None else str(get_locale(locale))


def _collection_names() -> list[str]:
    from newsarticle._plugins import get_registry

    return sorted(collection.name for collection, _ in get_registry().collections.values())
