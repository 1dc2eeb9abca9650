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
import os
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import attrs

try:
    import dask.bag as db
    import fsspec
except ImportError as exc:  # pragma: no cover - the extra is installed wherever the tests run
    raise ImportError("newsarticle.dask needs Dask and fsspec: pip install 'newsarticle[dask]'") from exc

from newsarticle._diagnostics import Diagnostic
from newsarticle._exceptions import ParseError
from newsarticle._format import MAX_INPUT_SIZE
from newsarticle._models import Article
from newsarticle._parser import parse

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pyarrow as pa

__all__ = ["DEFAULT_FILES_PER_PARTITION", "FileResult", "read_articles", "read_results", "to_dataframe"]

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
    **parse_options: Any,
) -> db.Bag:
    """A bag of :class:`FileResult`, one per input file, in input order.

    :param urlpath: A folder (searched recursively for ``glob``), a glob pattern, a file, or a list of them;
        local paths or any fsspec URL (``s3://``, ``gs://``, ``file://``, ``memory://``).
    :param storage_options: Passed to fsspec (credentials, an endpoint).
    :param files_per_partition: Files each task reads and parses.
    :param glob: The file names a folder's search selects.
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
    fs, sources = _expand(urlpath, storage_options or {}, glob)
    if not sources:
        empty: db.Bag = db.from_sequence([], npartitions=1)
        return empty
    bag: db.Bag = db.from_sequence(sources, partition_size=files_per_partition)
    results: db.Bag = bag.map_partitions(_read_partition, fs, parse_options)
    return results


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
    urlpath: str | os.PathLike[str] | Sequence[str | os.PathLike[str]], storage_options: dict[str, Any], glob: str
) -> tuple[fsspec.AbstractFileSystem, list[str]]:
    """The file system and every file ``urlpath`` names, in order: folders sorted, searched recursively."""
    paths = [urlpath] if isinstance(urlpath, (str, os.PathLike)) else list(urlpath)
    if not paths:
        raise ValueError("read_results() needs a folder, a pattern or a file; the list is empty")
    texts = [os.fspath(path) for path in paths]
    fs, _ = fsspec.core.url_to_fs(texts[0], **storage_options)
    sources: list[str] = []
    for text in texts:
        other, path = fsspec.core.url_to_fs(text, **storage_options)
        if type(other) is not type(fs):
            raise ValueError(f"read_results() reads from one storage at a time: {text!r} is on another")
        sources += [_shown(fs, found) for found in _files(fs, path, glob, text)]
    return fs, sources


def _files(fs: fsspec.AbstractFileSystem, path: str, glob: str, given: str) -> list[str]:
    if fs.isdir(path):
        found = fs.find(path)
        return sorted(name for name in found if fnmatch.fnmatchcase(name.rpartition("/")[2], glob))
    if any(character in path for character in "*?["):
        return sorted(fs.glob(path))
    if not fs.isfile(path):
        raise FileNotFoundError(f"{given}: no such file or folder")
    return [path]


def _shown(fs: fsspec.AbstractFileSystem, path: str) -> str:
    """A local file as its path, anything else as its URL: what messages and ``Article.source`` show."""
    if isinstance(fs, fsspec.implementations.local.LocalFileSystem):
        return path
    text: str = fs.unstrip_protocol(path)
    return text


def _read_partition(sources: Iterable[str], fs: fsspec.AbstractFileSystem, options: dict[str, Any]) -> list[FileResult]:
    return [_read_one(source, fs, options) for source in sources]


def _read_one(source: str, fs: fsspec.AbstractFileSystem, options: dict[str, Any]) -> FileResult:
    """Read and parse one file; never raises for a bad file."""
    warnings: list[Diagnostic] = []
    limit: int | None = options.get("max_size", MAX_INPUT_SIZE)
    try:
        with fs.open(source, "rb") as file:
            data = file.read() if limit is None else file.read(limit + 1)
    except OSError as exc:
        return FileResult(
            source=source, error=Diagnostic(code="io", message=exc.strerror or str(exc), line=1, source=source)
        )
    if limit is not None and len(data) > limit:
        message = f"not read: more than the limit of {limit:,} bytes (max_size)"
        return FileResult(source=source, error=Diagnostic(code="too-large", message=message, line=1, source=source))
    try:
        article = parse(data, source=source, on_diagnostic=warnings.append, **options)
    except ParseError as exc:
        error = Diagnostic(code=exc.code, message=exc.message, line=exc.line, column=exc.column, source=source)
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
