"""newsarticle on Dask: a corpus in any fsspec storage as a bag of per-file results, or a dataframe.

Needs the ``dask`` extra (``pip install 'newsarticle[dask]'``); ``to_dataframe`` also needs pandas and
pyarrow (``dask[dataframe]``). In a notebook::

    import newsarticle.dask as nd

    results = nd.read_results("s3://bucket/articles/", storage_options={"anon": False})
    failed = results.filter(lambda r: not r.ok).compute()      # every failure, with file, line and code
    frame = nd.to_dataframe(results)                           # the articles, in flat typed columns
    frame.to_parquet("s3://bucket/articles.parquet")

Each file is read and parsed on a worker; nothing but the results travels. A file
that cannot be read or parsed is a :class:`FileResult` with its ``error``, so
nothing is lost: ``read_articles`` is the shortcut that keeps the Articles alone.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
import os
import posixpath
import uuid
from collections.abc import Generator, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import attrs

try:
    import dask.bag as db
    import fsspec
except ImportError as exc:  # pragma: no cover - the extra is installed wherever the tests run
    raise ImportError("newsarticle.dask needs Dask and fsspec: pip install 'newsarticle[dask]'") from exc

from newsarticle._dask import ClusterMismatch, SchedulerUnresponsive, connect_timeout, preflight, result_or_silence
from newsarticle._diagnostics import Diagnostic
from newsarticle._exceptions import ParseError
from newsarticle._format import MAX_INPUT_SIZE
from newsarticle._models import Article
from newsarticle._parser import parse
from newsarticle._paths import FolderCheck, InputRefused, display, read_input, read_limited

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pyarrow as pa

__all__ = [
    "DEFAULT_FILES_PER_PARTITION",
    "RECORDS_FOLDER",
    "ClusterMismatch",
    "ConversionSummary",
    "FileResult",
    "SchedulerUnresponsive",
    "convert",
    "iter_convert",
    "partition_size",
    "read_articles",
    "read_results",
    "summarize",
    "to_dataframe",
]

#: Files per partition by default: large enough that Dask's per-task cost (about 1 ms) is small next to the
#: parsing (about 60 µs per 6 KB article), small enough that a partition's results fit any worker's memory.
DEFAULT_FILES_PER_PARTITION = 1000


@attrs.frozen(kw_only=True)
class FileResult:
    """What became of one input file: its Article, or the error that stopped it; and its warnings.

    :ivar source: The file, as a path (local storage) or a URL (``s3://bucket/a.txt``).
    :ivar article: The parsed Article, or None when the file failed.
    :ivar error: Why the file failed (``code``, ``line``, ``column``, ``message``), or None.
    :ivar warnings: The parser's diagnostics for the file.
    """

    source: str
    article: Article | None = None
    error: Diagnostic | None = None
    warnings: tuple[Diagnostic, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the file gave an Article."""
        return self.article is not None


def read_results(
    urlpath: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    storage_options: dict[str, Any] | None = None,
    files_per_partition: int = DEFAULT_FILES_PER_PARTITION,
    glob: str = "*.txt",
    follow_symlinks: bool = False,
    **parse_options: Any,
) -> db.Bag:
    """A bag of :class:`FileResult`, one per input file, in input order.

    :param urlpath: A folder (searched recursively for ``glob``), a glob pattern, a file, or a list of them;
        local paths or any fsspec URL (``s3://``, ``gs://``, ``file://``, ``memory://``).
    :param storage_options: Passed to fsspec (credentials, an endpoint).
    :param files_per_partition: Files each task reads and parses.
    :param glob: The file names a folder's search selects (a pattern with ``/`` matches the path below the
        folder, as in the command).
    :param follow_symlinks: Follow symbolic links found in a local folder, to files and to folders; by
        default each is a failed result with code ``symlink`` (as the command skips them), as is a special
        file (a FIFO, a socket: code ``special-file``). Such results come first. A file named in ``urlpath``
        is read through its link.
    :param parse_options: Passed to :func:`newsarticle.parse` (``strict``, ``language``,
        ``default_language``, ``trailer_lines``, ``max_size``).
    :raises FileNotFoundError: a path that names nothing.
    :raises ValueError: ``files_per_partition`` below 1, or a parse option :func:`~newsarticle.parse` does
        not take.
    """
    if type(files_per_partition) is not int or files_per_partition < 1:
        raise ValueError(f"files_per_partition takes a whole number of 1 or more, not {files_per_partition!r}")
    unknown = sorted(set(parse_options) - _PARSE_OPTIONS)
    if unknown:
        raise ValueError(
            f"read_results() has no parse option {unknown[0]!r}; parse options: {', '.join(sorted(_PARSE_OPTIONS))}"
        )
    listing = _expand(urlpath, storage_options or {}, glob, follow_symlinks)
    left_out: list[tuple[str, str, bool] | FileResult] = [
        _left_out(problem) for problem in listing.skipped + listing.unread
    ]
    items = left_out + list(zip(listing.sources, listing.names, listing.follow, strict=True))
    if not items:
        empty: db.Bag = db.from_sequence([], npartitions=1)
        return empty
    bag: db.Bag = db.from_sequence(items, partition_size=files_per_partition)
    results: db.Bag = bag.map_partitions(_read_partition, listing.fs, parse_options)
    return results


def _left_out(problem: dict[str, Any]) -> FileResult:
    """A file a local folder's walk did not read (a link, a FIFO), as a failed result: nothing is lost."""
    error = Diagnostic(code=problem["code"], message=problem["message"], line=1, source=problem["source"])
    return FileResult(source=problem["source"], error=error)


def read_articles(urlpath: str | os.PathLike[str] | Sequence[str | os.PathLike[str]], **options: Any) -> db.Bag:
    """A bag of the :class:`~newsarticle.Article` of every file that parsed (see :func:`read_results`,
    which also keeps the failures)."""
    articles: db.Bag = read_results(urlpath, **options).filter(_ok).map(_article)
    return articles


def _ok(result: FileResult) -> bool:
    return result.article is not None


def _article(result: FileResult) -> Article:
    assert result.article is not None
    return result.article


_PARSE_OPTIONS = frozenset({"strict", "language", "default_language", "trailer_lines", "max_size"})


def _expand(
    urlpath: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    storage_options: dict[str, Any],
    glob: str,
    follow_symlinks: bool = False,
) -> _Listing:
    """Every file ``urlpath`` names, in order (folders sorted, searched recursively), with each one's
    :func:`_stamp`; the folder the outputs' paths are relative to: the one folder given, else the files'
    common parent (as ``newsarticle convert`` mirrors a tree); and what a local folder's walk skipped."""
    paths = [urlpath] if isinstance(urlpath, (str, os.PathLike)) else list(urlpath)
    if not paths:
        raise ValueError("read_results() needs a folder, a pattern or a file; the list is empty")
    texts = [os.fspath(path) for path in paths]
    fs, _ = fsspec.core.url_to_fs(texts[0], **storage_options)
    found: dict[str, dict[str, Any]] = {}
    names: dict[str, str] = {}  # each local file as the caller spelled it (its folder relative, say)
    walked: set[str] = set()  # local files found in a folder: read through a link only with follow_symlinks
    named: set[str] = set()  # files named themselves, not found in a folder or by a pattern
    folders: list[str] = []
    skipped: list[dict[str, Any]] = []
    unread: list[dict[str, Any]] = []
    for text in texts:
        other, path = fsspec.core.url_to_fs(text, **storage_options)
        if type(other) is not type(fs):
            raise ValueError(f"read_results() reads from one storage at a time: {text!r} is on another")
        local = isinstance(fs, fsspec.implementations.local.LocalFileSystem)
        spelled = path if "://" in text else text
        if local and os.path.isdir(path):
            files = _walk_local(spelled, glob, follow_symlinks, skipped=skipped, unread=unread, names=names)
            found.update(files)
            if not follow_symlinks:
                walked.update(files)
        else:
            files = _files(fs, path, glob, text)
            found.update(files)
            if path in files:
                named.add(_shown(fs, path))
            if local and not os.path.isabs(spelled):
                names.update((name, spelled if name == path else os.path.relpath(name)) for name in files)
        if fs.isdir(path):
            folders.append(path.rstrip("/"))
    if len(texts) == 1 and folders:
        root = folders[0]
    else:
        parents = folders + [name.rpartition("/")[0] for name in found]
        root = posixpath.commonpath(parents) if parents else ""
    sources = [_shown(fs, name) for name in found]
    # Empty when the name is where it is read (an absolute path, a URL): sent with every task, it would
    # double the bytes per file.
    shown = [names.get(name, source) for name, source in zip(found, sources, strict=True)]
    shown = ["" if name == source else name for name, source in zip(shown, sources, strict=True)]
    follow = [name not in walked for name in found]
    stamps = [_stamp(info) for info in found.values()]
    return _Listing(fs, sources, shown, follow, root, stamps, skipped, unread, frozenset(named))


@attrs.frozen
class _Listing:
    fs: Any
    #: Where each file is read: a local file's absolute path (a worker may run in another folder), or its URL.
    sources: list[str]
    #: What each file is called in messages, ``Article.source`` and the records: as the caller spelled it;
    #: empty when that is its source.
    names: list[str]
    #: Whether reading each file may follow a symbolic link: not for one found in a folder without
    #: follow_symlinks (a file replaced by a link after the listing is refused, as the command refuses it).
    follow: list[bool]
    root: str
    stamps: list[str]
    #: What a local folder's walk left out, as the command does (links, special files), as problem records.
    skipped: list[dict[str, Any]]
    #: What it could not list or look at (a folder without permission), as problem records.
    unread: list[dict[str, Any]]
    #: The sources named themselves in ``urlpath`` (not found in a folder or by a pattern).
    named: frozenset[str] = frozenset()


def _walk_local(
    folder: str,
    glob: str,
    follow_symlinks: bool,
    *,
    skipped: list[dict[str, Any]],
    unread: list[dict[str, Any]],
    names: dict[str, str],
) -> dict[str, Any]:
    """A local folder's files as the command walks it: symbolic links and special files left out (into
    ``skipped``, with the reason) unless ``follow_symlinks``, each folder walked once, names sorted; what
    cannot be listed into ``unread``; each file's name as spelled below ``folder`` into ``names``."""
    from newsarticle._batch.walk import Found, Inputs

    found: dict[str, dict[str, Any]] = {}
    for item in Inputs([folder], glob, follow_symlinks=follow_symlinks).walk():
        if isinstance(item, Found):
            try:
                status = os.stat(item.absolute, follow_symlinks=item.follow)
            except OSError as exc:
                unread.append(_problem(item.source, "io", f"cannot read: {exc.strerror or exc}"))
                continue
            found[item.absolute] = {"size": status.st_size, "mtime": status.st_mtime}
            names[item.absolute] = item.source
        else:
            skipped.extend(_problem(p.path, p.code, p.message) for p in item.warnings)
            unread.extend(_problem(p.path, p.code, p.message) for p in item.errors)
    return found


def _files(fs: fsspec.AbstractFileSystem, path: str, glob: str, given: str) -> dict[str, dict[str, Any]]:
    """The files ``path`` names, sorted, each with what the listing said of it (its size, its version)."""
    if fs.isdir(path):
        from newsarticle._batch.walk import walk_order

        found = fs.find(path, detail=True)
        top = len(path.rstrip("/")) + 1
        ordered = sorted(found, key=lambda name: walk_order(name[top:]))  # as the command walks a folder
        return {name: found[name] for name in ordered if fnmatch.fnmatchcase(name.rpartition("/")[2], glob)}
    # A file first: a name may hold [, ? or * (c[1].txt), and is then that file, not a pattern.
    if fs.isfile(path):
        return {path: fs.info(path)}
    if any(character in path for character in "*?["):
        matched = fs.glob(path, detail=True)
        return {name: matched[name] for name in sorted(matched) if matched[name].get("type") != "directory"}
    raise FileNotFoundError(f"{given}: no such file or folder")


# What a listing says of a file's version, by storage: an ETag or checksum (S3, GCS, Azure), else the
# modification time (local files, HTTP, SFTP). Free with the listing: no request per file.
_VERSION_KEYS = ("ETag", "etag", "md5Hash", "content_md5", "mtime", "LastModified", "last_modified", "updated")


def _stamp(info: dict[str, Any]) -> str:
    """The size and version of a listed file: a rerun converts a file again when its stamp changed."""
    version = next((info[key] for key in _VERSION_KEYS if info.get(key) is not None), "")
    return f"{info.get('size')}:{version}"


def _shown(fs: fsspec.AbstractFileSystem, path: str) -> str:
    """A local file as its path, anything else as its URL: what messages and ``Article.source`` show."""
    if isinstance(fs, fsspec.implementations.local.LocalFileSystem):
        return path
    text: str = fs.unstrip_protocol(path)
    return text


def _read_partition(
    items: Iterable[tuple[str, str, bool] | FileResult], fs: fsspec.AbstractFileSystem, options: dict[str, Any]
) -> list[FileResult]:
    return [
        item if isinstance(item, FileResult) else _read_one(item[0], item[1] or item[0], fs, options, follow=item[2])
        for item in items
    ]


def _read_one(
    path: str, source: str, fs: fsspec.AbstractFileSystem, options: dict[str, Any], *, follow: bool = True
) -> FileResult:
    """Read the file at ``path`` and parse it as ``source`` (its name in messages); never raises for a bad file.
    ``follow``: whether the local file may be read through a symbolic link."""
    warnings: list[Diagnostic] = []
    limit: int | None = options.get("max_size", MAX_INPUT_SIZE)
    try:
        if isinstance(fs, fsspec.implementations.local.LocalFileSystem):
            # As the command reads: opened without blocking and refused unless a regular file, so a FIFO
            # named like an article fails alone instead of hanging its worker for good.
            data = read_input(path, follow_symlinks=follow, max_size=limit)
        else:
            with fs.open(path, "rb") as file:
                # The project's bounded read: a buffer of the file's size, never of the limit (read(limit + 1)
                # allocates the limit up front, and a huge max_size failed with MemoryError).
                data = read_limited(file, int(getattr(file, "size", 0) or 0), limit)
    except InputRefused as exc:  # a file not read has no line: _failure leaves its place out
        return FileResult(source=source, error=Diagnostic(code=exc.code, message=exc.message, line=1, source=source))
    except OSError as exc:
        return FileResult(
            source=source, error=Diagnostic(code="io", message=exc.strerror or str(exc), line=1, source=source)
        )
    if limit is not None and len(data) > limit:
        message = f"not read: more than the limit of {limit:,} bytes (max_size)"
        return FileResult(source=source, error=Diagnostic(code="too-large", message=message, line=1, source=source))
    try:
        # The article names its file as the command's do: display() escapes what JSON or HTML could not
        # write (a name that is not UTF-8, a line break, a bidirectional control).
        article = parse(data, source=display(source), on_diagnostic=warnings.append, **options)
    except ParseError as exc:
        error = Diagnostic(code=exc.code, message=exc.message, line=exc.line, column=exc.column, source=source)
        return FileResult(source=source, error=error, warnings=tuple(warnings))
    except Exception as exc:  # a parser bug costs its file, not the partition
        error = Diagnostic(code="internal", message=f"the parser failed: {exc!r}", line=1, source=source)
        return FileResult(source=source, error=error, warnings=tuple(warnings))
    return FileResult(source=source, article=article, warnings=tuple(warnings))


def to_dataframe(bag: db.Bag) -> dd.DataFrame:
    """The articles of ``bag`` (of :class:`FileResult`, failures left out, or of Articles) as a Dask DataFrame.

    Flat, typed columns (pyarrow-backed), one row per article, in input order:
    ``source``, ``headline``, ``category``, ``language``, ``published`` (the
    calendar date as written), ``published_at`` (the instant in UTC, for a
    date-time; null for a date alone), ``modified``, ``modified_at``, ``url``,
    ``authors``, ``image``, ``description``, ``tags``, ``word_count``,
    ``reading_time``, ``body`` (the paragraphs, a blank line apart),
    ``sections`` (a list of ``{heading, paragraphs}``) and ``trailer``. So
    ``.to_parquet()``, DuckDB and pandas read them with no conversion.
    """
    import dask.dataframe as dd
    import pandas as pd

    schema = _schema()
    meta = schema.empty_table().to_pandas(types_mapper=pd.ArrowDtype)
    parts = bag.map_partitions(_frame).to_delayed()
    frame: dd.DataFrame = dd.from_delayed(parts, meta=meta, verify_meta=False)
    return frame


def _schema() -> pa.Schema:
    import pyarrow as pa

    text = pa.string()
    instant = pa.timestamp("us", tz="UTC")
    return pa.schema(
        [
            ("source", text),
            ("headline", text),
            ("category", text),
            ("language", text),
            ("published", pa.date32()),
            ("published_at", instant),
            ("modified", pa.date32()),
            ("modified_at", instant),
            ("url", text),
            ("authors", pa.list_(text)),
            ("image", text),
            ("description", text),
            ("tags", pa.list_(text)),
            ("word_count", pa.int64()),
            ("reading_time", pa.int64()),
            ("body", text),
            ("sections", pa.list_(pa.struct([("heading", text), ("paragraphs", pa.list_(text))]))),
            ("trailer", pa.list_(text)),
        ]
    )


def _frame(items: Iterable[FileResult | Article]) -> Any:
    """One partition's rows as a pandas DataFrame with the schema's (pyarrow) types."""
    import pandas as pd
    import pyarrow as pa

    rows = [_row(article) for article in _articles(items)]
    return pa.Table.from_pylist(rows, schema=_schema()).to_pandas(types_mapper=pd.ArrowDtype)


def _articles(items: Iterable[FileResult | Article]) -> Iterator[Article]:
    for item in items:
        if isinstance(item, Article):
            yield item
        elif isinstance(item, FileResult):
            if item.article is not None:
                yield item.article
        else:
            raise TypeError(f"to_dataframe() takes a bag of FileResult or Article, not of {type(item).__name__}")


def _row(article: Article) -> dict[str, Any]:
    published, published_at = _when(article.published)
    modified, modified_at = _when(article.modified)
    return {
        "source": article.source,
        "headline": article.headline,
        "category": article.category,
        "language": article.language,
        "published": published,
        "published_at": published_at,
        "modified": modified,
        "modified_at": modified_at,
        "url": article.url,
        "authors": list(article.authors),
        "image": article.image,
        "description": article.description,
        "tags": list(article.tags),
        "word_count": article.word_count,
        "reading_time": article.reading_time,
        "body": article.body,
        "sections": [{"heading": s.heading, "paragraphs": list(s.paragraphs)} for s in article.sections],
        "trailer": list(article.trailer),
    }


def _when(value: dt.date | None) -> tuple[dt.date | None, dt.datetime | None]:
    """The calendar date as written, and the instant in UTC (None for a date alone)."""
    if value is None:
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), value.astimezone(dt.timezone.utc)
    return value, None


# -- convert: the command's job, run by the workers ------------------------------------------------------------

#: The folder, in the output, of one record per partition: the inputs it holds, the recipe, its failures.
RECORDS_FOLDER = "_newsarticle"


@attrs.frozen(kw_only=True)
class ConversionSummary:
    """What :func:`convert` did.

    :ivar converted: Files converted by this run.
    :ivar failed: Files that failed (each in :attr:`failures`, and in its partition's record).
    :ivar skipped: Files of partitions that an earlier run with the same recipe committed already.
    :ivar outputs: How many output files this run committed (one per article, or one shard per partition).
    :ivar failures: Why each failed file failed, in input order.
    :ivar left_out: The files a local folder's walk did not read, each with why (a symbolic link without
        ``follow_symlinks``, a FIFO or another special file); they count as skipped.
    """

    converted: int = 0
    failed: int = 0
    skipped: int = 0
    outputs: int = 0
    failures: tuple[Diagnostic, ...] = ()
    left_out: tuple[Diagnostic, ...] = ()


def convert(
    urlpath_in: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    urlpath_out: str | os.PathLike[str],
    format: str,
    *,
    storage_options: dict[str, Any] | None = None,
    output_storage_options: dict[str, Any] | None = None,
    files_per_partition: int | None = DEFAULT_FILES_PER_PARTITION,
    glob: str = "*.txt",
    locale: str | None = None,
    transforms: Sequence[str] = (),
    strict: bool = False,
    language: str | None = None,
    max_size: int | None = MAX_INPUT_SIZE,
    force: bool = False,
    follow_symlinks: bool = False,
    **options: Any,
) -> ConversionSummary:
    """Convert every file under ``urlpath_in`` into ``urlpath_out`` on the Dask cluster (the current client's
    scheduler, or Dask's default): the job of ``newsarticle convert``, with the outputs written by the workers.

    - A format of one output per article (``html``, ``markdown``, ...) writes ``<path below the input
      folder><suffix>`` for each file, as the command mirrors a tree.
    - A collection format (``jsonl``, ``atom``, ...) writes one shard per partition, ``part-00000<suffix>``,
      ``part-00001<suffix>``, ...: the shards of ``jsonl``, concatenated in order, are the command's one file.

    Every output is committed whole or not at all (a temporary file renamed, or an upload completed only at
    the end). Each partition then commits its record, ``_newsarticle/part-00000.json``: the recipe, the inputs
    it holds with each one's size and version (ETag or modification time, from the listing), the outputs it
    wrote and its failures (file, line, column, code, message). A rerun skips the partitions whose record has
    the same recipe and the same inputs, none of them changed since, and whose outputs all still exist
    (``force`` converts them again); their failures count again, as the unchanged files would fail again. A
    partition that was interrupted left no record, and one with a failure that was no fault of its input
    (code ``io`` or ``worker``) is converted again whole.

    A local folder is walked as the command walks it (the same order, ``glob`` matched the same way):
    symbolic links and special files found in it are left out, each in :attr:`ConversionSummary.left_out`,
    unless ``follow_symlinks``. Object storage lists a folder in the same order.

    :param storage_options: fsspec options for the inputs; ``output_storage_options`` for the outputs
        (by default the same).
    :param files_per_partition: Files each task converts; None chooses by the number of files
        (:func:`partition_size`), as the command does.
    :param max_size: A larger input fails with code ``too-large`` without being read whole; None for no limit.
    :param follow_symlinks: Follow symbolic links in a local input folder, to files and to folders (each
        folder walked once).
    :param options: The format's options (see :func:`newsarticle.formats`), checked before any file.
    :raises FileNotFoundError: before any file, when ``urlpath_in`` names nothing, or a folder where nothing
        matches ``glob``.
    :raises UnknownFormatError: before any file.
    :raises OptionError: before any file.
    :raises UnknownLocaleError: before any file.
    :raises UnknownTransformError: before any file.
    :raises OSError: before any file, when the output folder cannot be written (the message says why).
    :raises NewsArticleError: before any file, when a collection format cannot start (``atom`` without
        its ``link``: an :class:`~newsarticle.OptionError`).
    :raises SchedulerUnresponsive: in the middle of the run, when the scheduler stops answering (asked
        each ``NEWSARTICLE_SCHEDULER_TIMEOUT`` seconds that no partition comes back).
    :raises ClusterMismatch: before any file, when the current Dask client's cluster has no worker (after
        waiting ``NEWSARTICLE_SCHEDULER_TIMEOUT`` seconds, 10 by default), or workers that run another
        newsarticle version or lack the format; the message names them.
    """
    records = iter_convert(
        urlpath_in,
        urlpath_out,
        format,
        storage_options=storage_options,
        output_storage_options=output_storage_options,
        files_per_partition=files_per_partition,
        glob=glob,
        locale=locale,
        transforms=transforms,
        strict=strict,
        language=language,
        max_size=max_size,
        force=force,
        follow_symlinks=follow_symlinks,
        **options,
    )
    return summarize(records)


def summarize(records: Iterable[dict[str, Any]]) -> ConversionSummary:
    """The summary of the partitions' records (see :func:`iter_convert`)."""
    converted = skipped = outputs = 0
    failures: list[Diagnostic] = []
    left_out: list[Diagnostic] = []
    for record in records:
        converted += record["converted"]
        skipped += record["skipped"]
        outputs += record["written"]
        failures += [_diagnostic(failure) for failure in record["failed"]]
        if record.get("left_out"):
            left_out += [_diagnostic(problem) for problem in record["warnings"]]
    return ConversionSummary(
        converted=converted,
        failed=len(failures),
        skipped=skipped,
        outputs=outputs,
        failures=tuple(failures),
        left_out=tuple(left_out),
    )


def iter_convert(
    urlpath_in: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    urlpath_out: str | os.PathLike[str],
    format: str,
    *,
    storage_options: dict[str, Any] | None = None,
    output_storage_options: dict[str, Any] | None = None,
    files_per_partition: int | None = DEFAULT_FILES_PER_PARTITION,
    glob: str = "*.txt",
    locale: str | None = None,
    transforms: Sequence[str] = (),
    strict: bool = False,
    language: str | None = None,
    max_size: int | None = MAX_INPUT_SIZE,
    force: bool = False,
    follow_symlinks: bool = False,
    **options: Any,
) -> Generator[dict[str, Any], None, None]:
    """:func:`convert`, as each partition's record in partition order as it is committed: for callers that
    report progress (the command). Everything is checked before this returns; closing the iterator early
    cancels the partitions not started.

    Each record is a dict: ``converted``, ``skipped`` and ``written`` (counts), ``failed`` and ``warnings``
    (lists of ``{source, line, column, code, message}``: the files that failed, the parser's warnings). A
    local folder's walk may leave files out (links, special files): they come first, in a record of their
    own with ``left_out`` true, each in ``warnings`` and counted as skipped.
    """
    import newsarticle
    from newsarticle._plugin_api import RegisteredCollection
    from newsarticle._render import check_transforms, get_format, resolve_options

    registered = get_format(format)
    checked = resolve_options(registered, options)
    check_transforms(transforms)
    if locale is not None:
        from newsarticle._i18n import get_locale

        get_locale(locale)
    if files_per_partition is not None and (type(files_per_partition) is not int or files_per_partition < 1):
        raise ValueError(f"files_per_partition takes a whole number of 1 or more, not {files_per_partition!r}")
    listing = _expand(urlpath_in, storage_options or {}, glob, follow_symlinks)
    fs_in, root = listing.fs, listing.root
    out_options = storage_options if output_storage_options is None else output_storage_options
    fs_out, out_root = fsspec.core.url_to_fs(os.fspath(urlpath_out), **(out_options or {}))
    recipe = {
        "format": registered.name,
        "options": {key: repr(value) for key, value in sorted(checked.items())},
        "locale": locale,
        "transforms": list(transforms),
        "strict": strict,
        "language": language,
        "max_size": max_size,
        "newsarticle": newsarticle.__version__,
        "distribution": _distribution(registered.name),
        # The folder the outputs mirror: the same files below another folder are other outputs.
        "root": root,
    }
    plan = _Plan(
        fs_in=fs_in,
        root=root,
        fs_out=fs_out,
        out_root=out_root.rstrip("/"),
        format=registered.name,
        suffix=registered.suffix,
        collection=isinstance(registered, RegisteredCollection),
        options=options,
        locale=locale,
        transforms=tuple(transforms),
        # Parsed leniently, then failed on a warning with --strict, as the command does (the same messages).
        parse_options={"default_language": language, "max_size": max_size},
        strict=strict,
        glob=glob,
        real_root=os.path.realpath(root) if root and _is_local(fs_in) else "",
        real_out_root=os.path.realpath(out_root) if _is_local(fs_out) else "",
        run=uuid.uuid4().hex,
        recipe=recipe,
        force=force,
        files_per_partition=files_per_partition or 1,
    )
    files = _outside_output(
        plan, list(zip(listing.sources, listing.stamps, listing.names, listing.follow, strict=True)), listing.named
    )
    if not files and not listing.skipped and not listing.unread:
        # "0 converted" would read as success, and the records of the last run would be removed as stale.
        shown = ", ".join(
            os.fspath(path) for path in ([urlpath_in] if isinstance(urlpath_in, (str, os.PathLike)) else urlpath_in)
        )
        raise FileNotFoundError(f"nothing to convert: no file matches {glob!r} in {shown} (searched with subfolders)")
    if files_per_partition is None:
        plan = attrs.evolve(plan, files_per_partition=partition_size(len(files)))
    client = _current_client()
    if client is not None and files:
        preflight(client, registered.name, connect_timeout())
    if plan.collection:
        _start_collection(plan)
    _check_writable(plan)
    left_out = {
        "converted": 0,
        "skipped": len(listing.skipped),
        "written": 0,
        "failed": listing.unread,
        "warnings": listing.skipped,
        "left_out": True,
    }
    return _records(plan, files, client, left_out if listing.skipped or listing.unread else None)


def _start_collection(plan: _Plan) -> None:
    """Start the collection format once here, before any file: a format that cannot start (a feed without
    its ``link``) raises its error now, not once a partition on every worker."""
    import io

    from newsarticle._collection import open_collection

    open_collection(plan.format, io.BytesIO(), locale=plan.locale, transforms=plan.transforms, **plan.options)


def _check_writable(plan: _Plan) -> None:
    """Make the records' folder and commit a file in it, before any file: an output folder that cannot be
    written (a file in its place, no permission, no credentials) is one error now, not one per input.

    :raises OSError: with the output folder and the reason.
    """
    folder = f"{plan.out_root}/{RECORDS_FOLDER}"
    probe = f"{folder}/.probe-{plan.run}"
    try:
        plan.fs_out.makedirs(folder, exist_ok=True)
        _commit(plan.fs_out, probe, b"")
        plan.fs_out.rm_file(probe)
    except Exception as exc:  # any storage's error (botocore's for credentials): said as what it means here
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else f"{type(exc).__name__}: {exc}"
        raise OSError(f"cannot write to the output folder {plan.out_root}: {reason}") from exc


def _distribution(format_name: str) -> str | None:
    """The distribution and version that provide a format: a plugin upgraded makes its outputs again."""
    import newsarticle

    info = next((info for info in newsarticle.formats() if info.name == format_name), None)
    return None if info is None else f"{info.distribution} {info.version}"


def partition_size(files: int) -> int:
    """Files per partition for ``files`` inputs when none is given (``files_per_partition=None``): at least 64
    partitions, so that every worker of a cluster gets work and a lost worker costs a small part, and at most
    :data:`DEFAULT_FILES_PER_PARTITION` files each. A power of two, so that it stays the same, and a rerun
    finds the same partitions, until the number of files doubles or halves."""
    return min(DEFAULT_FILES_PER_PARTITION, 1 << max(0, (files // 64).bit_length() - 1))


#: An input of :func:`iter_convert`: where it is read, its stamp (:func:`_stamp`), its name (as spelled),
#: whether it may be read through a symbolic link.
_File = tuple[str, str, str, bool]


def _outside_output(plan: _Plan, files: list[_File], named: frozenset[str] = frozenset()) -> list[_File]:
    """The inputs without those in an output folder inside the input folder (a rerun would read the outputs
    of the run before as articles); a ValueError, before any file, for an output that would replace an input
    or another input's output (the command refuses both too)."""
    same = type(plan.fs_out) is type(plan.fs_in)
    real = [_real(plan.fs_in, plan.fs_in._strip_protocol(file[0])) for file in files]  # resolved once each
    # Every listed file, those in the output folder too: an output must not replace any of them,
    # but for the outputs an earlier run wrote there (its records list them).
    inputs = set(real) if same else set()
    out_root, root = _real(plan.fs_out, plan.out_root), _real(plan.fs_in, plan.root) if plan.root else ""
    pruned = same and bool(root) and out_root != root and out_root.startswith(root.rstrip("/") + "/")
    if pruned:
        kept = [number for number, path in enumerate(real) if not path.startswith(out_root + "/")]
        kept_set = set(kept)
        dropped = [file for n, file in enumerate(files) if n not in kept_set and file[0] in named]
        if dropped:  # named by the caller: never left out without a word
            name = dropped[0][2] or dropped[0][0]
            raise ValueError(f"{name} is in the output folder, whose files are not read as inputs; move it")
        files, real = [files[n] for n in kept], [real[n] for n in kept]
        inputs -= {f"{out_root}/{name}" for name in _written_before(plan)}
    if same and root and out_root == root:
        # The output folder is the input folder: what the run writes there besides outputs (the records, a
        # collection's shards) must not be what the pattern selects, or replace an input, or be read next time.
        ours = [f"{out_root}/{RECORDS_FOLDER}/part-00000.json"]
        if plan.collection:
            ours.append(f"{out_root}/part-00000{plan.suffix}")
        for path in ours:
            if _selects(plan.glob, path):
                raise ValueError(
                    f"the output folder is the input folder, and {path} would be an input of the next run"
                    " (or replace one); write to another folder"
                )
    if plan.collection:
        return files
    seen: dict[str, str] = {}
    records = f"{plan.out_root}/{RECORDS_FOLDER}/"
    for source, _stamp, spelled, _follow in files:
        name = spelled or source
        path = _output_path(plan, source)
        if path.startswith(records):
            raise ValueError(f"{name}: its output would be in {RECORDS_FOLDER}/, where the partition records are kept")
        output = _real(plan.fs_out, path)
        if output in inputs:
            raise ValueError(f"{name}: its output would replace the input itself; write to another folder")
        # An output in the input folder (not in an output folder inside it) that the pattern selects would
        # be read as an article by the next run, as the command refuses too.
        in_input = same and bool(root) and output.startswith(root + "/")
        if in_input and not (pruned and output.startswith(out_root + "/")) and _selects(plan.glob, output):
            raise ValueError(f"{name}: its output {output} would be an input of the next run; write elsewhere")
        other = seen.setdefault(output, name)
        if other != name:
            raise ValueError(f"{other} and {name} would both be written to {output}; convert them apart")
    return files


def _selects(glob: str, path: str) -> bool:
    """Whether a folder's search for ``glob`` would find the file at ``path`` (a pattern with ``/``: its end)."""
    depth = glob.count("/") + 1
    return fnmatch.fnmatchcase("/".join(path.split("/")[-depth:]), glob)


def _written_before(plan: _Plan) -> set[str]:
    """The outputs, relative to the output folder, that the records of earlier runs there list."""
    names: set[str] = set()
    for path in _record_paths(plan):
        record = _read_record(plan.fs_out, path)
        outputs = record.get("outputs") if record is not None else None
        names.update(name for name in outputs or () if isinstance(name, str))
    return names


def _is_local(fs: fsspec.AbstractFileSystem) -> bool:
    return isinstance(fs, fsspec.implementations.local.LocalFileSystem)


def _real(fs: fsspec.AbstractFileSystem, path: str) -> str:
    """A local path with its links resolved, as the command compares paths; any other as it is."""
    if isinstance(fs, fsspec.implementations.local.LocalFileSystem):
        return os.path.realpath(path)
    return path.rstrip("/")


def _records(
    plan: _Plan, files: list[_File], client: Any, left_out: dict[str, Any] | None
) -> Generator[dict[str, Any], None, None]:
    """Each partition's record, in order; with a distributed client, gathered from the workers one at a time
    (only the small records travel), and the partitions not finished cancelled when the caller stops.
    ``left_out`` (what the listing skipped) comes first."""
    if left_out is not None:
        yield left_out
    if files:
        yield from _computed(plan, files, client)
    # Also with no file left to read (the rest left out): the shards then hold no article, as a local run's file.
    _remove_stale(plan, -(-len(files) // plan.files_per_partition))


def _computed(plan: _Plan, files: list[_File], client: Any) -> Generator[dict[str, Any], None, None]:
    items = [(number, *file) for number, file in enumerate(files)]
    size = plan.files_per_partition
    if client is None:
        from dask.base import compute

        bag = db.from_sequence(items, partition_size=size)
        for records in compute(*bag.map_partitions(_convert_partition, plan).to_delayed()):
            yield from records
        return
    # One task a partition, each with a priority by its place: Dask starts the first partitions first (a bag's
    # compute() started them last to first), so the records come back about in the order they are read.
    futures = [
        client.submit(_convert_partition, items[start : start + size], plan, priority=-number, pure=False)
        for number, start in enumerate(range(0, len(items), size))
    ]
    wait = connect_timeout()
    answering = True
    try:
        for number, future in enumerate(futures):
            try:
                records = result_or_silence(future, client, wait)
            except SchedulerUnresponsive:
                answering = False
                raise
            except Exception as exc:
                if client.status != "running":
                    raise  # the scheduler is gone: the caller ends the run
                # Dask gave up on the partition (its workers died on it: KilledWorker), or the task raised
                # what no file caused: its files failed; a rerun converts them again.
                chunk = [file[2] or file[0] for file in files[number * size : (number + 1) * size]]
                lost = type(exc).__name__ == "KilledWorker"
                what = "the worker failed" if lost else "the partition failed on its worker"
                message = f"{what}: {type(exc).__name__}: {exc}"
                records = [
                    {
                        "converted": 0,
                        "skipped": 0,
                        "written": 0,
                        "failed": [_problem(s, "worker" if lost else "internal", message) for s in chunk],
                        "warnings": [],
                    }
                ]
            yield from records
    finally:
        waiting = [future for future in futures if not future.done()]
        if waiting and answering and client.status == "running":  # a silent scheduler would not answer this
            client.cancel(waiting)


def _remove_stale(plan: _Plan, parts: int) -> None:
    """After a run that went to its end: the records of the partitions past this run's last (fewer inputs
    now, or partitions of another size), and for a collection format the shards past it, so that the shards
    concatenated hold this run's articles and no removed input's. Shards first: a record whose shard is gone
    is not trusted by a rerun."""
    stale = [path for path in _record_paths(plan) if _part_number(path, ".json") >= parts]
    if plan.collection:
        # Only the shards a stale record lists: a file of the user's named like a shard is not ours.
        for record in stale:
            known = _read_record(plan.fs_out, record) or {}
            for name in known.get("outputs", ()):
                shard = f"{plan.out_root}/{name}"
                if isinstance(name, str) and "/" not in name and plan.fs_out.isfile(shard):
                    plan.fs_out.rm_file(shard)
    for record in stale:
        plan.fs_out.rm_file(record)


def _record_paths(plan: _Plan) -> list[str]:
    """The partition records in the output folder, listed (never globbed: the folder's own name may hold
    ``?``, ``*`` or ``[``, which a pattern would read as wildcards, and match another folder's files)."""
    folder = f"{plan.out_root}/{RECORDS_FOLDER}"
    try:
        listed = plan.fs_out.ls(folder, detail=False)
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(path for path in listed if _part_number(path, ".json") >= 0)


def _part_number(path: str, suffix: str) -> int:
    """The number of ``.../part-00012<suffix>``; -1 for any other name (never stale)."""
    name = path.rpartition("/")[2]
    digits = name[len("part-") : len(name) - len(suffix)] if name.endswith(suffix) else ""
    return int(digits) if len(digits) == 5 and digits.isdigit() else -1


def _current_client() -> Any:
    """The distributed client Dask computes on now, or None (a local scheduler: nothing to check)."""
    try:
        from distributed import default_client
    except ImportError:
        return None
    try:
        return default_client()
    except ValueError:
        return None


@attrs.frozen(kw_only=True)
class _Plan:
    """What every partition of one :func:`convert` needs; sent once with each task."""

    fs_in: Any
    root: str
    fs_out: Any
    out_root: str
    format: str
    suffix: str
    collection: bool
    options: dict[str, Any]
    locale: str | None
    transforms: tuple[str, ...]
    parse_options: dict[str, Any]
    strict: bool
    glob: str
    #: The input and output folders resolved on the client, for local storage ("" otherwise): a folder on a
    #: file's way that is a link by the time a worker gets to it is refused.
    real_root: str
    real_out_root: str
    recipe: dict[str, Any]
    #: This run's own id in its records: a partition Dask computes again (its worker was lost after it
    #: committed) finds this run's record, and counts as converted, not skipped.
    run: str
    force: bool
    files_per_partition: int


def _convert_partition(items: Iterable[tuple[int, str, str, str, bool]], plan: _Plan) -> list[dict[str, Any]]:
    """One partition on a worker: skip it if committed before, else convert, commit outputs, then the record."""
    numbered = list(items)
    files = [(source, name or source, follow) for _, source, _, name, follow in numbered]
    stamps = [item[2] for item in numbered]
    names = [name for _, name, _ in files]
    # The first file's place over the partition size: the same partition has the same name on every rerun.
    index = f"part-{numbered[0][0] // plan.files_per_partition if numbered else 0:05d}"
    record_path = f"{plan.out_root}/{RECORDS_FOLDER}/{index}.json"
    if not plan.force:
        known = _read_record(plan.fs_out, record_path)
        if _still_good(plan, known, names, stamps):
            assert known is not None
            if known.get("run") == plan.run:  # this run's own, computed again by Dask: not an earlier run's
                return [_counts(known, converted=known.get("converted", 0), written=len(known.get("outputs", ())))]
            # The files that failed, failed again: unchanged, they would fail the same way (a rerun that
            # said "skipped" for them would end with status 0 while their outputs are missing).
            again = list(known.get("failed", ()))
            return [{"converted": 0, "skipped": len(files) - len(again), "written": 0, "failed": again, "warnings": []}]
    failed: list[dict[str, Any]] = []
    warnings: list[dict[str, Any]] = []
    outputs: list[str] = []
    converted = 0
    if plan.collection:
        # Committed even when its articles all fail: it replaces an earlier run's shard of this partition.
        converted, failed = _write_shard(plan, files, f"{plan.out_root}/{index}{plan.suffix}", warnings)
        outputs.append(f"{index}{plan.suffix}")
    else:
        for source, name, follow in files:
            output = _output_path(plan, source)
            problem = _write_one(plan, (source, name, follow), output, warnings)
            if problem is None:
                converted += 1
                outputs.append(output[len(plan.out_root) + 1 :])
            else:
                failed.append(problem)
    record = {
        "recipe": plan.recipe,
        "inputs": names,
        "stamps": stamps,
        "outputs": outputs,
        "failed": failed,
        "converted": converted,
        "run": plan.run,
    }
    try:
        _commit(plan.fs_out, record_path, json.dumps(record, indent=1).encode("utf-8"))
    except OSError as exc:  # the outputs may be there; without its record a rerun converts the partition again
        message = f"cannot commit the partition's record {record_path}: {exc.strerror or exc}"
        failures = [_problem(name, "io", message) for name in names]
        return [{"converted": 0, "skipped": 0, "written": 0, "failed": failures, "warnings": warnings}]
    return [{"converted": converted, "skipped": 0, "written": len(outputs), "failed": failed, "warnings": warnings}]


#: Failure codes that say nothing of the input (a write that failed, a worker lost): a rerun tries again.
_RETRIED = frozenset({"io", "worker", "timeout", "internal"})


def _counts(known: dict[str, Any], *, converted: int, written: int) -> dict[str, Any]:
    failed = list(known.get("failed", ()))
    return {"converted": converted, "skipped": 0, "written": written, "failed": failed, "warnings": []}


def _still_good(plan: _Plan, known: dict[str, Any] | None, names: list[str], stamps: list[str]) -> bool:
    """Whether an earlier run's record of this partition stands: the same recipe, the same files, none of
    them changed since (an edited file has a new stamp), every output it lists still there (one deleted
    since is made again), and no failure that a rerun might mend."""
    return (
        known is not None
        and known.get("recipe") == plan.recipe
        and known.get("inputs") == names
        and known.get("stamps") == stamps
        and all(isinstance(f, dict) and f.get("code") not in _RETRIED for f in known.get("failed", ()))
        and all(plan.fs_out.isfile(f"{plan.out_root}/{name}") for name in known.get("outputs", ()))
    )


def _relative(plan: _Plan, source: str) -> str:
    """The input's path below the input folder (its name alone if outside it)."""
    path = plan.fs_in._strip_protocol(source)
    inside = plan.root and path.startswith(plan.root + "/")
    relative: str = path[len(plan.root) + 1 :] if inside else path.rpartition("/")[2]
    return relative


def _output_path(plan: _Plan, source: str) -> str:
    relative = _relative(plan, source)
    stem, dot, _extension = relative.rpartition(".")
    return f"{plan.out_root}/{(stem if dot and stem else relative)}{plan.suffix}"


def _write_one(
    plan: _Plan, file: tuple[str, str, bool], output: str, warnings: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """Read, parse, render and commit one file's output; its failure as a record, or None. The parser's
    warnings go to ``warnings``."""
    from newsarticle._batch.work import error_code, with_output_url
    from newsarticle._exceptions import NewsArticleError
    from newsarticle._render import render_encoded

    source, name, follow = file
    moved = None if follow else _input_moved(plan, source, name)
    if moved is not None:
        return moved
    result = _read_one(source, name, plan.fs_in, plan.parse_options, follow=follow)
    warnings += map(_failure, result.warnings)
    if result.article is None:
        assert result.error is not None
        return _failure(result.error)
    if plan.strict and result.warnings:
        return _failure(result.warnings[0])
    article = result.article
    if "base_url" in plan.options:  # the page is the output, as on the command line
        article = with_output_url(article, plan.options["base_url"], output, plan.out_root)
    try:
        data = render_encoded(article, plan.format, locale=plan.locale, transforms=plan.transforms, **plan.options)
    except NewsArticleError as exc:
        return _problem(name, error_code(exc), str(exc))
    except Exception as exc:  # a renderer's bug costs its file, not the partition
        return _problem(name, "internal", f"rendering failed: {exc!r}")
    outside = _output_outside(plan, output, name)
    if outside is not None:
        return outside
    try:
        _commit(plan.fs_out, output, data)
    except OSError as exc:
        return _problem(name, "io", f"cannot write {output}: {exc.strerror or exc}")
    return None


def _problem(source: str, code: str, message: str, line: int | None = None) -> dict[str, Any]:
    return {"source": source, "line": line, "column": None if line is None else 1, "code": code, "message": message}


def _write_shard(
    plan: _Plan, files: list[tuple[str, str, bool]], path: str, warnings: list[dict[str, Any]]
) -> tuple[int, list[dict[str, Any]]]:
    """Every article of the partition into one shard of the collection format, committed at the end; the
    parser's warnings go to ``warnings``."""
    from newsarticle._batch.work import error_code
    from newsarticle._collection import open_collection
    from newsarticle._exceptions import MissingURLError, NewsArticleError

    failed: list[dict[str, Any]] = []
    converted = 0
    outside = _output_outside(plan, path, path)
    if outside is not None:
        return 0, [{**outside, "source": name} for _, name, _ in files]
    target = _open_atomic(plan.fs_out, path, shard=True)
    try:
        output = open_collection(plan.format, target, locale=plan.locale, transforms=plan.transforms, **plan.options)
        for source, name, follow in files:
            moved = None if follow else _input_moved(plan, source, name)
            if moved is not None:
                failed.append(moved)
                continue
            result = _read_one(source, name, plan.fs_in, plan.parse_options, follow=follow)
            warnings += map(_failure, result.warnings)
            if result.article is None:
                assert result.error is not None
                failed.append(_failure(result.error))
                continue
            if plan.strict and result.warnings:
                failed.append(_failure(result.warnings[0]))
                continue
            page = _relative(plan, source)  # the input's path below the folder, as the command gives it
            try:
                output.add(result.article, path=page)
            except NewsArticleError as exc:
                if output.damaged is not None:
                    raise
                line = exc.line if isinstance(exc, MissingURLError) else None
                failed.append(_problem(name, error_code(exc), str(exc), line))
                continue
            except Exception as exc:  # a plugin's bug costs its file, unless the shard is damaged
                if output.damaged is not None:
                    raise
                failed.append(_problem(name, "internal", f"adding to the {plan.format} output failed: {exc!r}"))
                continue
            converted += 1
        output.close()
        target.commit()
    finally:
        if not target.closed:
            target.discard()
    return converted, failed


# The folders found right once in this worker process: a few system calls per file.
_FOLDERS = FolderCheck()


def _input_moved(plan: _Plan, source: str, name: str) -> dict[str, Any] | None:
    """A local file found in a folder: its failure if a folder on its way was replaced by a link since the
    listing (the command refuses that too), else None."""
    if not plan.real_root or not source.startswith(plan.root + "/"):
        return None
    below = posixpath.dirname(source[len(plan.root) + 1 :])
    if _FOLDERS(os.path.dirname(source), posixpath.join(plan.real_root, below) if below else plan.real_root):
        return None
    message = "not read: its folder no longer leads to where it was listed (replaced by a link)"
    return _problem(name, "symlink", message)


def _output_outside(plan: _Plan, output: str, name: str) -> dict[str, Any] | None:
    """A local output whose folder leads outside the output folder (a folder in it is a link): its failure."""
    if not plan.real_out_root:
        return None
    below = posixpath.dirname(output[len(plan.out_root) + 1 :])
    expected = posixpath.join(plan.real_out_root, below) if below else plan.real_out_root
    if _FOLDERS(os.path.dirname(output), expected):
        return None
    return _problem(name, "output-outside", f"refused: the folder of {output} leads outside the output folder")


#: The codes of a file that was not read (or not whole): their failures name no line, as the command's.
_NOT_READ = frozenset({"io", "too-large", "special-file", "symlink"})


def _failure(diagnostic: Diagnostic) -> dict[str, Any]:
    placed = diagnostic.code not in _NOT_READ
    return {
        "source": diagnostic.source,
        "line": diagnostic.line if placed else None,
        "column": diagnostic.column if placed else None,
        "code": diagnostic.code,
        "message": diagnostic.message,
    }


def _diagnostic(failure: dict[str, Any]) -> Diagnostic:
    return Diagnostic(
        code=failure["code"],
        message=failure["message"],
        line=failure["line"] or 1,
        column=failure["column"] or 1,
        source=failure["source"],
    )


def _read_record(fs: fsspec.AbstractFileSystem, path: str) -> dict[str, Any] | None:
    try:
        with fs.open(path, "rb") as file:
            record = json.loads(file.read(64 << 20))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


# The local folders this process has cleared of dead writers' temporary files, once each.
_CLEARED: set[str] = set()


class _Atomic:
    """A file on any fsspec storage that appears whole or not at all."""

    def __init__(self, fs: fsspec.AbstractFileSystem, path: str, *, shard: bool = False) -> None:
        if isinstance(fs, fsspec.implementations.local.LocalFileSystem):
            from newsarticle._atomic import AtomicFile, remove_stale

            folder = os.path.dirname(path)
            if os.path.isdir(folder):
                # A worker killed mid-write (the OOM killer) left its temporary file: the one that redoes
                # the partition removes it (a writer on another host, after FOREIGN_STALE_AFTER). The folder
                # of shards (one file per partition) is looked at for each shard; a folder of one output per
                # article once per process, which a partition's files share.
                if shard:
                    remove_stale(folder)
                elif folder not in _CLEARED:
                    remove_stale(folder)
                    _CLEARED.add(folder)
            self._local: Any = AtomicFile(path, parents=True)
            self._file: Any = None
        else:
            self._local = None
            # The upload is completed by commit() and abandoned by discard(): a failure leaves nothing.
            self._file = fs.open(path, "wb", autocommit=False)
        self.closed = False

    def write(self, data: bytes, /) -> int:
        if self._local is not None:
            self._local.write(data)
        else:
            self._file.write(data)
        return len(data)

    def commit(self) -> None:
        self.closed = True
        if self._local is not None:
            self._local.commit()
        else:
            self._file.commit()

    def discard(self) -> None:
        self.closed = True
        if self._local is not None:
            self._local.discard()
        else:
            self._file.discard()


def _open_atomic(fs: fsspec.AbstractFileSystem, path: str, *, shard: bool = False) -> _Atomic:
    return _Atomic(fs, path, shard=shard)


def _commit(fs: fsspec.AbstractFileSystem, path: str, data: bytes) -> None:
    target = _open_atomic(fs, path)
    try:
        target.write(data)
        target.commit()
    finally:
        if not target.closed:
            target.discard()
