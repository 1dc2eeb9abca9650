"""The ``jsonfeed`` collection format: JSON Feed 1.1 (https://jsonfeed.org/version/1.1).

One JSON object whose ``items`` array holds an item per article, written as a
stream: the feed's fields and ``"items":[`` when the output opens, each item on
its own line as it is added, and ``]}`` when it closes. With ``limit=N`` only
the newest N articles by date are kept (a heap of N serialized items, so memory
is bounded by N, not by the corpus) and written newest first at the end.

JSON Feed holds only date-times (RFC 3339): a date-only date is written as
12:00 UTC that day, the one instant whose calendar day is that date in nearly
every time zone.
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
from collections.abc import Mapping
from typing import Any

from newsarticle import URL_OPTIONS, Article, Option, RegisterCollection, RenderContext, hookimpl
from newsarticle._dates import in_whole_minutes
from newsarticle._models import url_problem
from newsarticle._plugin_api import Sink
from newsarticle.renderers.html import _paragraphs, _text

__all__ = ["VERSION", "JsonFeedFormat", "JsonFeedWriter", "content_html", "rfc3339"]

#: The ``version`` every feed declares.
VERSION = "https://jsonfeed.org/version/1.1"

_NOON = dt.time(12, tzinfo=dt.timezone.utc)
# The oldest possible key: an article without any date sorts behind every dated one.
_UNDATED = dt.datetime.min.replace(tzinfo=dt.timezone.utc)


def rfc3339(value: dt.date) -> str:
    """``value`` as an RFC 3339 date-time: its own offset (in whole minutes); a date-only date as 12:00 UTC."""
    value = in_whole_minutes(value)
    if not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, _NOON).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def _instant(value: dt.date | None) -> dt.datetime:
    """When ``value`` happened, comparable with any other: a date-only date at noon UTC, none at the dawn of time."""
    if value is None:
        return _UNDATED
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, _NOON)


def content_html(article: Article) -> str:
    """The body as HTML: a ``<h2>`` per subheading and a ``<p>`` per paragraph, every text escaped."""
    parts: list[str] = []
    for section in article.sections:
        if section.heading is not None:
            parts += ("<h2>", _text(section.heading), "</h2>\n")
        parts.append(_paragraphs(section.paragraphs))
    return "".join(parts)


def _item(article: Article, content: str) -> dict[str, Any]:
    item: dict[str, Any] = {"id": article.url, "url": article.url, "title": article.headline}
    if content in ("html", "both"):
        item["content_html"] = content_html(article)
    if content in ("text", "both"):
        item["content_text"] = article.body
    if article.description is not None:
        item["summary"] = article.description
    if article.image is not None:
        item["image"] = article.image
    if article.published is not None:
        item["date_published"] = rfc3339(article.published)
    if article.modified is not None:
        item["date_modified"] = rfc3339(article.modified)
    if article.authors:
        item["authors"] = [{"name": name} for name in article.authors]
    if article.tags:
        item["tags"] = list(article.tags)
    item["language"] = article.language
    return item


def _dumps(data: Mapping[str, Any]) -> str:
    # Raw UTF-8 rather than \u escapes: JSON allows every character but controls in a string, and the
    # model holds no controls.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _header(options: Mapping[str, Any]) -> str:
    """The feed object up to and including ``"items":[``."""
    feed: dict[str, Any] = {"version": VERSION, "title": options["title"]}
    # The site's address is base_url when not given, as the atom and rss formats' link is.
    home_page_url = options.get("home_page_url") or options.get("base_url")
    if home_page_url is not None:
        feed["home_page_url"] = home_page_url
    for key in ("feed_url", "description"):
        if options.get(key) is not None:
            feed[key] = options[key]
    if options.get("author") is not None:
        feed["authors"] = [{"name": options["author"]}]
    if options.get("language") is not None:
        feed["language"] = options["language"]
    return _dumps(feed)[:-1] + ',"items":[\n'


class JsonFeedWriter:
    """Writes each item as it is added or, with ``limit``, keeps the newest ``limit`` until :meth:`close`."""

    def __init__(self, sink: Sink, options: Mapping[str, Any]) -> None:
        self._sink = sink
        self._content: str = options.get("content", "html")
        self._limit: int | None = options.get("limit")
        # (when, -input position, item): the smallest is the oldest, and of equal dates the later in input.
        self._newest: list[tuple[dt.datetime, int, str]] = []
        self._count = 0
        sink.write(_header(options).encode("utf-8"))

    def add(self, article: Article) -> None:
        # Every item that is written is serialized here, in add: an article that cannot be written fails
        # now, not in close. With a limit, an article older than all of the newest is not serialized at all.
        self._count += 1
        if self._limit is None:
            item = _dumps(_item(article, self._content))
            self._sink.write((item if self._count == 1 else ",\n" + item).encode("utf-8"))
            return
        key = (_instant(article.published or article.modified), -self._count)
        if len(self._newest) < self._limit:
            heapq.heappush(self._newest, (*key, _dumps(_item(article, self._content))))
        elif key > self._newest[0][:2]:
            heapq.heapreplace(self._newest, (*key, _dumps(_item(article, self._content))))

    def close(self) -> None:
        if self._limit is not None:
            items = [item for _when, _position, item in sorted(self._newest, reverse=True)]
            self._sink.write(",\n".join(items).encode("utf-8"))
        self._sink.write(b"\n]}\n")


def _url(value: str) -> None:
    problem = url_problem(value)
    if problem is not None:
        raise ValueError(f"an absolute http(s) URL ({problem})")


def _language_tag(value: str) -> None:
    from newsarticle._models import _BCP47

    if not _BCP47.fullmatch(value):
        raise ValueError("a BCP 47 language tag such as 'de' or 'de-AT'")


class JsonFeedFormat:
    name = "jsonfeed"
    media_type = "application/feed+json"
    suffix = ".feed.json"
    description = "JSON Feed 1.1: every article as an item of one feed, with its body as HTML."
    needs_url = True
    DEFAULT_TITLE = "News"
    options = (
        *URL_OPTIONS,
        Option(name="title", type=str, default=DEFAULT_TITLE, help="the feed's title"),
        Option(
            name="home_page_url",
            type=str,
            default=None,
            help="the address of the site the feed belongs to (by default base_url)",
            validator=_url,
        ),
        Option(
            name="feed_url",
            type=str,
            default=None,
            help="the address the feed itself is published at (readers use it to find updates)",
            validator=_url,
        ),
        Option(name="description", type=str, default=None, help="what the feed is about, one line"),
        Option(name="author", type=str, default=None, help="the feed's author or publisher, by name"),
        Option(
            name="language",
            type=str,
            default=None,
            help="the feed's main language, a BCP 47 tag (each item states its own article's language)",
            validator=_language_tag,
        ),
        Option(
            name="limit",
            type=int,
            default=None,
            min=1,
            help="only the newest N articles by date, newest first; by default every article, in input order",
        ),
        Option(
            name="content",
            type=str,
            default="html",
            choices=("html", "text", "both"),
            help="the body as content_html, content_text, or both",
        ),
    )

    def open(self, sink: Sink, context: RenderContext) -> JsonFeedWriter:
        return JsonFeedWriter(sink, context.options)


@hookimpl
def register_collections(register: RegisterCollection) -> None:
    register(JsonFeedFormat())
