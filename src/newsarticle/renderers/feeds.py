"""The ``atom`` (RFC 4287) and ``rss`` (RSS 2.0) collection formats: a news feed of the articles.

Both share everything but the markup: the options, the order of the entries
and the dates. Without ``limit`` each entry is written as it is added, in input
order, so memory stays flat however large the corpus; with ``limit=N`` the
newest N by date are kept (a heap of N rendered entries) and written newest
first when the feed closes.

What a feed says about all its entries (Atom's ``updated``, RSS's
``lastBuildDate`` and ``language``) is known only after the last one; XML
allows those elements after the entries, so a streamed feed writes them last,
and a limited one, written whole at the end, first. Dates are never "now": the
feed's date is its newest entry's, so the same articles give the same bytes.

A date-only date is written as 12:00 UTC that day: noon keeps the calendar day
in every time zone from UTC-12 to UTC+12.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import heapq
import itertools
import re
from html import escape as html_escape
from typing import NamedTuple, Protocol
from xml.sax.saxutils import escape, quoteattr

from newsarticle import Article, Option, RegisterCollection, RenderContext, hookimpl
from newsarticle._dates import in_whole_minutes
from newsarticle._exceptions import NewsArticleError, OptionError
from newsarticle._models import url_problem
from newsarticle._plugin_api import URL_OPTIONS, Sink
from newsarticle._text import text_problem

__all__ = ["AtomFormat", "FeedWriter", "RssFormat", "feed_instant", "register_collections"]

#: The feed's title when the ``title`` option is not given.
DEFAULT_TITLE = "News"

_NOON = dt.time(12, tzinfo=dt.timezone.utc)
# What an undated article sorts as with ``limit``: older than every dated one.
_UNDATED = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
_XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
# An IRI's scheme, as RFC 3987 (and RFC 3986) spell it: atom:id must be an absolute IRI.
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")


def feed_instant(value: dt.date) -> dt.datetime:
    """``value`` as an aware date-time: a date-only date is 12:00 UTC that day.

    A date-time whose offset has seconds (old local mean time) becomes the same
    instant in UTC, since neither RFC 3339 nor RFC 822 can write such an offset.
    """
    value = in_whole_minutes(value)
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, _NOON)


def _rfc3339(value: dt.datetime) -> str:
    text = value.isoformat(timespec="microseconds" if value.microsecond else "seconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _rfc822(value: dt.datetime) -> str:
    # format_datetime writes the four-digit year and the numeric zone RSS readers expect.
    return email.utils.format_datetime(value)


def _body_html(article: Article) -> str:
    """The body as HTML: subheadings as ``<h2>``, paragraphs as ``<p>`` (to be escaped again for the XML)."""
    parts: list[str] = []
    for section in article.sections:
        if section.heading is not None:
            parts.append(f"<h2>{html_escape(section.heading, quote=False)}</h2>")
        parts.extend(f"<p>{html_escape(paragraph, quote=False)}</p>" for paragraph in section.paragraphs)
    return "\n".join(parts)


def _terms(article: Article) -> list[str]:
    """The article's category, then its tags, each once."""
    terms = [] if article.category is None else [article.category]
    terms += article.tags
    return list(dict.fromkeys(terms))


def _one_line(value: str) -> None:
    problem = text_problem(value)
    if problem is not None:
        raise ValueError(f"one line of text ({problem})")


def _http_url(value: str) -> None:
    if url_problem(value) is not None:
        raise ValueError("an absolute http(s) URL, such as https://example.org/news/")


def _iri(value: str) -> None:
    if not _SCHEME.fullmatch(value) or text_problem(value) is not None:
        raise ValueError("an absolute IRI, such as https://example.org/news/ or urn:uuid:…")


#: The ``id`` option, which only Atom has: an RSS channel has no id.
ID_OPTION = Option(
    name="id",
    type=str,
    default=None,
    help="the feed's permanent id, an absolute IRI (by default link, else base_url)",
    validator=_iri,
)

#: The options of both feed formats (``atom`` adds :data:`ID_OPTION` after ``link``).
FEED_OPTIONS = (
    *URL_OPTIONS,
    Option(
        name="title",
        type=str,
        default=DEFAULT_TITLE,
        help=f"the feed's title (by default {DEFAULT_TITLE!r})",
        validator=_one_line,
    ),
    Option(
        name="link",
        type=str,
        default=None,
        help="the site's address, which the feed links to (by default base_url)",
        validator=_http_url,
    ),
    Option(
        name="author",
        type=str,
        default=None,
        help="the feed's author or publisher, a name (by default, for an entry without authors, the title)",
        validator=_one_line,
    ),
    Option(
        name="limit",
        type=int,
        default=None,
        min=1,
        help="keep only the newest N articles by date, newest first (by default every article, in input order)",
    ),
)


class _Facts:
    """What a feed says about all its entries: the newest date, their languages, whether one lacks an author."""

    def __init__(self) -> None:
        self.newest: dt.datetime | None = None
        self.languages: set[str] = set()
        self.authorless = False

    def note(self, updated: dt.datetime | None, language: str, authorless: bool) -> None:
        if updated is not None and (self.newest is None or updated > self.newest):
            self.newest = updated
        self.languages.add(language)
        self.authorless = self.authorless or authorless


class _Markup(Protocol):
    """What differs between Atom and RSS: the text of the feed's parts."""

    name: str

    def head(self, options: dict[str, str]) -> str:
        """The XML declaration and the feed's opening: its title, link, id."""

    def entry(self, article: Article) -> str:
        """One whole entry; raises, before anything is written, for an article the format cannot hold."""

    def summary(self, facts: _Facts, options: dict[str, str]) -> str:
        """The feed's elements that depend on every entry (its date, language, author)."""

    def tail(self) -> str:
        """What closes the feed."""


def _updated(article: Article) -> dt.date | None:
    return article.modified if article.modified is not None else article.published


class _Atom:
    name = "atom"

    def head(self, options: dict[str, str]) -> str:
        parts = [
            _XML_DECLARATION,
            '<feed xmlns="http://www.w3.org/2005/Atom">\n',
            f"<id>{escape(options['id'])}</id>\n",
            f"<title>{escape(options['title'])}</title>\n",
        ]
        if "link" in options:
            parts.append(f'<link rel="alternate" type="text/html" href={quoteattr(options["link"])}/>\n')
        return "".join(parts)

    def entry(self, article: Article) -> str:
        updated = _updated(article)
        if updated is None:
            raise NewsArticleError(
                "format 'atom' dates every entry (atom:updated), and this article has no date: give it a date"
                " line (2025-02-27) after the headline, or use -t rss, whose items may be undated"
            )
        assert article.url is not None  # needs_url: the host refuses an article without one
        url = escape(article.url)
        lang = "" if article.language == "und" else f" xml:lang={quoteattr(article.language)}"
        parts = [
            f"<entry{lang}>\n<id>{url}</id>\n<title>{escape(article.headline)}</title>\n",
            f'<link rel="alternate" type="text/html" href={quoteattr(article.url)}/>\n',
        ]
        if article.published is not None:
            parts.append(f"<published>{_rfc3339(feed_instant(article.published))}</published>\n")
        parts.append(f"<updated>{_rfc3339(feed_instant(updated))}</updated>\n")
        parts += (f"<author><name>{escape(name)}</name></author>\n" for name in article.authors)
        parts += (f"<category term={quoteattr(term)}/>\n" for term in _terms(article))
        if article.description is not None:
            parts.append(f"<summary>{escape(article.description)}</summary>\n")
        if article.sections:
            parts.append(f'<content type="html">{escape(_body_html(article))}</content>\n')
        parts.append("</entry>\n")
        return "".join(parts)

    def summary(self, facts: _Facts, options: dict[str, str]) -> str:
        # An empty feed has no entry to take a date from; the epoch says "nothing yet" and stays deterministic.
        updated = _rfc3339(facts.newest or dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc))
        parts = [f"<updated>{updated}</updated>\n"]
        # Atom requires an author for every entry: the feed's stands in for entries without one.
        author = options.get("author") or (options["title"] if facts.authorless else None)
        if author is not None:
            parts.append(f"<author><name>{escape(author)}</name></author>\n")
        return "".join(parts)

    def tail(self) -> str:
        return "</feed>\n"


class _Rss:
    name = "rss"

    def head(self, options: dict[str, str]) -> str:
        title = escape(options["title"])
        return (
            f"{_XML_DECLARATION}"
            '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"'
            ' xmlns:content="http://purl.org/rss/1.0/modules/content/">\n<channel>\n'
            f"<title>{title}</title>\n<link>{escape(options['link'])}</link>\n<description>{title}</description>\n"
        )

    def entry(self, article: Article) -> str:
        assert article.url is not None  # needs_url: the host refuses an article without one
        url = escape(article.url)
        parts = [f"<item>\n<title>{escape(article.headline)}</title>\n<link>{url}</link>\n"]
        parts.append(f'<guid isPermaLink="true">{url}</guid>\n')
        date = article.published if article.published is not None else article.modified
        if date is not None:
            parts.append(f"<pubDate>{_rfc822(feed_instant(date))}</pubDate>\n")
        # RSS's own <author> holds an e-mail address; Dublin Core's creator holds a name.
        parts += (f"<dc:creator>{escape(name)}</dc:creator>\n" for name in article.authors)
        parts += (f"<category>{escape(term)}</category>\n" for term in _terms(article))
        body = _body_html(article)
        if article.description is not None:
            # RSS readers take a description for HTML: the teaser is text, so it is escaped as HTML first.
            teaser = html_escape(article.description, quote=False)
            parts.append(f"<description>{escape(teaser)}</description>\n")
            if body:  # the full text beside the teaser, where feed readers look for it
                parts.append(f"<content:encoded>{escape(body)}</content:encoded>\n")
        elif body:
            parts.append(f"<description>{escape(body)}</description>\n")
        parts.append("</item>\n")
        return "".join(parts)

    def summary(self, facts: _Facts, options: dict[str, str]) -> str:
        parts = []
        if len(facts.languages) == 1:
            [language] = facts.languages
            if language != "und":
                parts.append(f"<language>{escape(language)}</language>\n")
        if facts.newest is not None:
            parts.append(f"<lastBuildDate>{_rfc822(facts.newest)}</lastBuildDate>\n")
        if "author" in options:
            parts.append(f"<dc:creator>{escape(options['author'])}</dc:creator>\n")
        return "".join(parts)

    def tail(self) -> str:
        return "</channel>\n</rss>\n"


class _Kept(NamedTuple):
    """An entry kept with a limit, ordered by date; the sequence number breaks ties and is unique."""

    instant: dt.datetime
    rank: int
    entry: str
    updated: dt.datetime | None
    language: str
    authorless: bool


class FeedWriter:
    """One feed being written: each entry as it is added, or, with a limit, the newest N at the end."""

    def __init__(self, sink: Sink, markup: _Markup, options: dict[str, str], limit: int | None) -> None:
        self._sink, self._markup, self._options, self._limit = sink, markup, options, limit
        self._facts = _Facts()
        self._kept: list[_Kept] = []  # with a limit: a heap of the newest N, the oldest first
        self._sequence = itertools.count()
        if limit is None:
            self._write(markup.head(options))

    def _write(self, text: str) -> None:
        self._sink.write(text.encode("utf-8"))

    def add(self, article: Article) -> None:
        entry = self._markup.entry(article)  # refuses the article before anything of it is written
        updated = _updated(article)
        instant = None if updated is None else feed_instant(updated)
        if self._limit is None:
            self._write(entry)
            self._facts.note(instant, article.language, not article.authors)
            return
        date = article.published if article.published is not None else article.modified
        # Equal dates keep input order: the earlier article counts as the newer, as a stable sort would.
        kept = _Kept(
            _UNDATED if date is None else feed_instant(date),
            -next(self._sequence),
            entry,
            instant,
            article.language,
            not article.authors,
        )
        if len(self._kept) < self._limit:
            heapq.heappush(self._kept, kept)
        elif kept[:2] > self._kept[0][:2]:
            heapq.heapreplace(self._kept, kept)

    def close(self) -> None:
        markup, options = self._markup, self._options
        if self._limit is None:
            self._write(markup.summary(self._facts, options) + markup.tail())
            return
        entries = sorted(self._kept, key=lambda kept: kept[:2], reverse=True)
        for kept in entries:
            self._facts.note(kept.updated, kept.language, kept.authorless)
        self._write(markup.head(options) + markup.summary(self._facts, options))
        for kept in entries:
            self._write(kept.entry)
        self._write(markup.tail())


class _FeedFormat:
    """``open`` as both feed formats share it: the feed-level options, checked together."""

    needs_url = True
    name: str
    _markup: _Markup

    def open(self, sink: Sink, context: RenderContext) -> FeedWriter:
        given = context.options
        options = {"title": given.get("title") or DEFAULT_TITLE}
        link = given.get("link") or given.get("base_url")
        if link is not None:
            options["link"] = link
        if given.get("author") is not None:
            options["author"] = given["author"]
        self._identify(options, given.get("id"))
        return FeedWriter(sink, self._markup, options, given.get("limit"))

    def _identify(self, options: dict[str, str], feed_id: str | None) -> None:
        """Add what identifies the feed to ``options``, or say which option to give (one option's validator
        cannot: it takes one of several)."""
        raise NotImplementedError


class AtomFormat(_FeedFormat):
    name = "atom"
    media_type = "application/atom+xml"
    suffix = ".atom"
    description = "Atom (RFC 4287): a news feed of the articles, each with its text, authors, dates and tags."
    options = (*FEED_OPTIONS[:4], ID_OPTION, *FEED_OPTIONS[4:])
    _markup = _Atom()

    def _identify(self, options: dict[str, str], feed_id: str | None) -> None:
        feed_id = feed_id or options.get("link")
        if feed_id is None:
            raise OptionError(
                "format 'atom' needs the feed's permanent id: give option 'link' (the site's address,"
                " -O link=https://example.org/news/), 'id', or 'base_url'"
            )
        options["id"] = feed_id


class RssFormat(_FeedFormat):
    name = "rss"
    media_type = "application/rss+xml"
    suffix = ".rss"
    description = "RSS 2.0: a news feed of the articles, each with its teaser or text, authors, date and tags."
    options = FEED_OPTIONS
    _markup = _Rss()

    def _identify(self, options: dict[str, str], feed_id: str | None) -> None:
        if "link" not in options:
            raise OptionError(
                "format 'rss' needs the site's address for the channel's link: give option 'link'"
                " (-O link=https://example.org/news/) or 'base_url'"
            )


@hookimpl
def register_collections(register: RegisterCollection) -> None:
    register(AtomFormat())
    register(RssFormat())
