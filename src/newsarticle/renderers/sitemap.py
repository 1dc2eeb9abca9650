"""The ``sitemap`` collection format: an XML sitemap (sitemaps.org protocol 0.9), optionally with Google News tags.

A ``<url>`` per article, one line each, written as it is added: its
``<loc>`` and a ``<lastmod>`` from ``modified``, else ``published``, in the
W3C date-time profile (a date-only date stays a date). With ``news=true``
an article published in the two days before the run also carries the Google
News extension's ``<news:news>``: the publication's name, the article's
language, its publication date and its headline.

The protocol limits one sitemap to 50,000 URLs and 50 MB (52,428,800 bytes)
uncompressed, and Google News reads at most 1,000 ``<news:news>`` entries in
one: an article past a limit is refused, before anything of it is written,
with an error that names the limit (the sitemap written so far stays valid).

"Now", for the news window, is :func:`now`, read once when the output opens.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape

from newsarticle import URL_OPTIONS, Article, NewsArticleError, Option, OptionError, RegisterCollection, hookimpl
from newsarticle._dates import in_whole_minutes
from newsarticle._plugin_api import RenderContext, Sink
from newsarticle._text import text_problem

__all__ = [
    "MAX_BYTES",
    "MAX_NEWS",
    "MAX_URLS",
    "NEWS_NAMESPACE",
    "NEWS_WINDOW",
    "SITEMAP_NAMESPACE",
    "SitemapFormat",
    "SitemapWriter",
    "news_language",
    "now",
    "w3c_datetime",
]

SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NAMESPACE = "http://www.google.com/schemas/sitemap-news/0.9"
#: The protocol's limits for one sitemap file: URLs, and bytes uncompressed.
MAX_URLS = 50_000
MAX_BYTES = 52_428_800
#: Google News reads at most this many ``<news:news>`` entries in one sitemap.
MAX_NEWS = 1_000
#: How recent an article must be to get news tags: Google News wants the articles of the last two days.
NEWS_WINDOW = dt.timedelta(days=2)
# The protocol: "This value must be less than 2,048 characters."
_MAX_LOC = 2047

_FOOTER = b"</urlset>\n"
_NOON = dt.time(12, tzinfo=dt.timezone.utc)
_URL_ESCAPES = {"'": "&apos;", '"': "&quot;"}
# What XML 1.0 does not allow in a document at all. The model refuses all of it already; checked again
# here because a character that slipped through would make the whole sitemap unreadable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CHANGEFREQS = ("always", "hourly", "daily", "weekly", "monthly", "yearly", "never")
_TRADITIONAL_CHINESE = frozenset({"hant", "tw", "hk", "mo"})


def now() -> dt.datetime:
    """The current time, aware: the news window ends here (tests replace this function)."""
    return dt.datetime.now(dt.timezone.utc)


def w3c_datetime(value: dt.date) -> str:
    """``value`` in the W3C date-time profile: ``2025-02-27``, or ``2025-02-27T14:30:00+01:00`` (whole-minute
    offsets: one with seconds becomes the same instant in UTC)."""
    return in_whole_minutes(value).isoformat()


def news_language(tag: str) -> str:
    """The Google News language code of a BCP 47 tag: its primary language (``de-AT`` is ``de``), except that
    Chinese is ``zh-tw`` when written in Traditional characters (``zh-Hant``, ``zh-TW``) and ``zh-cn`` otherwise."""
    primary, *rest = tag.lower().split("-")
    if primary != "zh":
        return primary
    return "zh-tw" if _TRADITIONAL_CHINESE.intersection(rest) else "zh-cn"


def _checked(value: str) -> str:
    if _NOT_XML.search(value) is not None:
        raise NewsArticleError(f"XML 1.0 cannot hold a character of {value!r:.80}")
    return value


def _text(value: str) -> str:
    """``value`` escaped for element content."""
    return escape(_checked(value))


def _url(value: str) -> str:
    """``value`` escaped as the protocol asks of a URL: all five of & < > ' " as entities."""
    return escape(_checked(value), _URL_ESCAPES)


def _instant(value: dt.date) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.combine(value, _NOON)


def _priority(value: float) -> str:
    text = f"{value:.3f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


class SitemapWriter:
    """Writes each ``<url>`` as it is added, counting URLs, news entries and bytes against the limits."""

    def __init__(self, sink: Sink, options: Mapping[str, Any], when: dt.datetime) -> None:
        self._sink = sink
        news = options.get("news", False)
        self._publication: str | None = _text(options["news_publication"]) if news else None
        self._since = when - NEWS_WINDOW
        changefreq, priority = options.get("changefreq"), options.get("priority")
        self._extra = (f"<changefreq>{changefreq}</changefreq>" if changefreq is not None else "") + (
            f"<priority>{_priority(priority)}</priority>" if priority is not None else ""
        )
        self.urls = 0
        self.news = 0
        namespaces = f'xmlns="{SITEMAP_NAMESPACE}"' + (f' xmlns:news="{NEWS_NAMESPACE}"' if news else "")
        header = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {namespaces}>\n'.encode()
        self._bytes = len(header)
        sink.write(header)

    def add(self, article: Article) -> None:
        assert article.url is not None  # needs_url: the host never passes an article without one
        if len(article.url) > _MAX_LOC:
            raise NewsArticleError(
                f"a sitemap URL must be shorter than 2,048 characters (sitemaps.org), and this article's url"
                f" has {len(article.url):,}"
            )
        if self.urls >= MAX_URLS:
            raise NewsArticleError(
                f"a sitemap holds at most {MAX_URLS:,} URLs (sitemaps.org), and this article's would be one more:"
                " split the input into several sitemaps and list them in a sitemap index"
            )
        parts = ["<url><loc>", _url(article.url), "</loc>"]
        lastmod = article.modified or article.published
        if lastmod is not None:
            parts += ("<lastmod>", w3c_datetime(lastmod), "</lastmod>")
        parts.append(self._extra)
        is_news = self._is_news(article)
        if is_news:
            if self.news >= MAX_NEWS:
                raise NewsArticleError(
                    f"Google News reads at most {MAX_NEWS:,} news entries in one sitemap, and this article of the"
                    " last two days would be one more: split the input into several sitemaps"
                )
            assert article.published is not None  # _is_news
            parts += (
                "<news:news><news:publication><news:name>",
                self._publication or "",
                "</news:name><news:language>",
                news_language(article.language),
                "</news:language></news:publication><news:publication_date>",
                w3c_datetime(article.published),
                "</news:publication_date><news:title>",
                _text(article.headline),
                "</news:title></news:news>",
            )
        parts.append("</url>\n")
        entry = "".join(parts).encode("utf-8")
        if self._bytes + len(entry) + len(_FOOTER) > MAX_BYTES:
            raise NewsArticleError(
                f"a sitemap holds at most {MAX_BYTES:,} bytes uncompressed (sitemaps.org), and this article's"
                f" URL would make it {self._bytes + len(entry) + len(_FOOTER):,}: split the input into several"
                " sitemaps"
            )
        self._sink.write(entry)
        self._bytes += len(entry)
        self.urls += 1
        self.news += is_news

    def close(self) -> None:
        self._sink.write(_FOOTER)

    def _is_news(self, article: Article) -> bool:
        """Whether ``article`` gets news tags: published (a date-only date at noon UTC) within the window."""
        return (
            self._publication is not None
            and article.published is not None
            and (_instant(article.published) >= self._since)
        )


def _publication(value: str) -> None:
    problem = text_problem(value)
    if problem is not None:
        raise ValueError(f"the publication's name as Google News shows it, one line ({problem})")


class SitemapFormat:
    name = "sitemap"
    media_type = "application/xml"
    suffix = ".xml"
    description = "XML sitemap (sitemaps.org 0.9): every article's URL and date, optionally with Google News tags."
    needs_url = True
    options = (
        *URL_OPTIONS,
        Option(
            name="news",
            type=bool,
            default=False,
            help="add Google News tags (news:news) to the articles published in the two days before the run;"
            " needs news_publication",
        ),
        Option(
            name="news_publication",
            type=str,
            default=None,
            help="the publication's name exactly as Google News shows it, for news=true",
            validator=_publication,
        ),
        Option(
            name="changefreq",
            type=str,
            default=None,
            choices=_CHANGEFREQS,
            help="how often the pages change, the same for every URL (a hint search engines may ignore)",
        ),
        Option(
            name="priority",
            type=float,
            default=None,
            min=0.0,
            max=1.0,
            help="the pages' priority relative to the site's other pages, 0.0 to 1.0, the same for every URL",
        ),
    )

    def depends_on_time(self, options: Mapping[str, Any]) -> str | None:
        """With ``news``, the output depends on when it is made: it is never up to date."""
        return "a news sitemap tags the articles of the two days before the run" if options.get("news") else None

    def open(self, sink: Sink, context: RenderContext) -> SitemapWriter:
        options = context.options
        if options.get("news") and options.get("news_publication") is None:
            raise OptionError(
                "option 'news' needs 'news_publication': the publication's name as Google News shows it"
                " (-O news_publication='Kesselbacher Anzeiger')"
            )
        return SitemapWriter(sink, options, now())


@hookimpl
def register_collections(register: RegisterCollection) -> None:
    register(SitemapFormat())
