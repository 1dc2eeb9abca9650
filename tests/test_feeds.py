"""The ``atom`` and ``rss`` collection formats, read back by feedparser, the feed library readers build on.

Every feed must parse with ``bozo == 0`` (well-formed, nothing feedparser had
to guess around) and give back each entry's title, link, id, dates, authors
and tags as the articles hold them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import io
import random
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import feedparser
import pytest
from hypothesis import HealthCheck, given, settings

import newsarticle
import strategies
from collection_memory import peak_memory
from newsarticle import Article, Section

FORMATS = ("atom", "rss")
BASE = "https://example.org/news/"
UTC = dt.timezone.utc
CET = dt.timezone(dt.timedelta(hours=1))
ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
HOSTILE = '<b>Tom & "Jerry"</b> ]]> it\'s &amp; \u202eRTL\u202c عربى 🎉 Zoë'


def _quiet(path: Path) -> Article:
    return newsarticle.parse_file(path, on_diagnostic=lambda _d: None)


@pytest.fixture(scope="module")
def corpus(corpus_files: list[Path]) -> list[Article]:
    return [_quiet(path) for path in corpus_files]


def _feed(articles: list[Article], format: str, *, paths: list[str] | None = None, **options: Any) -> bytes:
    """The feed's bytes; each article's page is ``paths[i]`` below ``base_url`` when given."""
    sink = io.BytesIO()
    with newsarticle.open_collection(format, sink, **options) as feed:
        for index, article in enumerate(articles):
            feed.add(article, path=None if paths is None else paths[index])
    return sink.getvalue()


def _parsed(data: bytes) -> Any:
    """feedparser's reading of ``data``, which must be well-formed and clean (bozo 0)."""
    ET.fromstring(data)  # a strict XML parser too: feedparser could recover from what it must not
    result = feedparser.parse(data)
    assert result.bozo == 0, result.get("bozo_exception")
    return result


def _instant(value: dt.date) -> float:
    """The POSIX time a feed should carry for ``value``, in whole seconds: a date-only date is 12:00 UTC.

    Exact, in integers: a float (``timestamp()``) of the year 2515 rounds 23:59:59.999999 up to midnight.
    """
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(12), UTC)
    return float((value - dt.datetime(1970, 1, 1, tzinfo=UTC)) // dt.timedelta(seconds=1))


def _read_time(parsed: Any) -> float:
    return float(calendar.timegm(parsed))


def _article(number: int, published: dt.date | None, **fields: Any) -> Article:
    values: dict[str, Any] = {
        "headline": f"Meldung {number}",
        "language": "de",
        "category": "Lokales",
        "published": published,
        "url": f"https://example.org/news/{number}",
        "sections": (Section(paragraphs=(f"Text {number}.",)),),
    }
    values.update(fields)
    return Article(**values)


class _Blocks(HTMLParser):
    """The text of each ``<p>`` and ``<h2>`` of an entry's HTML, as a reader shows it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self._open = False

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.blocks.append((tag, ""))
        self._open = True

    def handle_endtag(self, tag: str) -> None:
        self._open = False

    def handle_data(self, data: str) -> None:
        if self._open:  # not the line breaks between blocks
            tag, text = self.blocks[-1]
            self.blocks[-1] = (tag, text + data)


def _blocks(markup: str) -> list[tuple[str, str]]:
    parser = _Blocks()
    parser.feed(markup)
    parser.close()
    return [(tag, text) for tag, text in parser.blocks]


def _body_blocks(article: Article) -> list[tuple[str, str]]:
    blocks: list[tuple[str, str]] = []
    for section in article.sections:
        if section.heading is not None:
            blocks.append(("h2", section.heading))
        blocks += [("p", paragraph) for paragraph in section.paragraphs]
    return blocks


def _rich() -> list[Article]:
    """Articles with every metadata field, and hostile text in every place text goes."""
    return [
        Article(
            headline=HOSTILE,
            language="en",
            category="Pol & <x>",
            published=dt.datetime(2025, 2, 27, 14, 30, tzinfo=CET),
            url="https://example.org/a?x=1&y=2",
            authors=("Anna <M>", "Jörg & Beispiel"),
            image="https://example.org/a.jpg",
            modified=dt.datetime(2025, 2, 28, 9, 15, 30, tzinfo=CET),
            description='Teaser <i>x</i> & ]]> "quoted"',
            tags=("t<1>", "t&2", "🎉"),
            sections=(
                Section(paragraphs=("P1 <script>alert(1)</script> & ]]>", "שלום עולם")),
                Section(heading="H <2> & 'x'", paragraphs=("P2 \"x\" 'y' &lt;",)),
            ),
        ),
        _article(2, dt.date(2025, 1, 23), authors=("Eva Muster",), tags=("Stadt",)),
        _article(3, dt.date(2024, 11, 12), language="und", category=None),
    ]


@pytest.mark.parametrize("format", FORMATS)
def test_every_corpus_article_is_an_entry_with_its_title_link_id_date_and_category(
    corpus: list[Article], format: str
) -> None:
    paths = [Path(article.source or "").name for article in corpus]
    feed = _parsed(_feed(corpus, format, paths=paths, base_url=BASE))
    assert len(feed.entries) == len(corpus)
    for entry, article, path in zip(feed.entries, corpus, paths, strict=True):
        url = BASE + path.removesuffix(".txt") + ".html"
        assert (entry.title, entry.link, entry.id) == (article.headline, url, url)
        assert article.published is not None
        assert _read_time(entry.published_parsed) == _instant(article.published)
        assert [tag.term for tag in entry.tags] == [article.category]
        assert _blocks(entry.content[0].value if format == "atom" else entry.summary) == _body_blocks(article)
    assert feed.feed.link == BASE
    newest = max(_instant(article.published) for article in corpus if article.published is not None)
    assert _read_time(feed.feed.updated_parsed) == newest


@pytest.mark.parametrize("format", FORMATS)
def test_metadata_and_hostile_text_come_back_as_written(format: str) -> None:
    articles = _rich()
    data = _feed(articles, format, link="https://example.org/", title=HOSTILE, author="Redaktion & <Co>")
    feed = _parsed(data)
    assert feed.feed.title == HOSTILE
    assert feed.feed.author == "Redaktion & <Co>"
    for entry, article in zip(feed.entries, articles, strict=True):
        assert (entry.title, entry.link, entry.id) == (article.headline, article.url, article.url)
        assert [author["name"] for author in entry.get("authors", [])] == list(article.authors)
        terms = ([] if article.category is None else [article.category]) + list(article.tags)
        assert [tag.term for tag in entry.get("tags", [])] == terms
        published = article.published if article.published is not None else article.modified
        assert published is not None
        assert _read_time(entry.published_parsed) == _instant(published)
    rich, entry = articles[0], feed.entries[0]
    assert rich.description is not None
    assert rich.modified is not None
    if format == "atom":
        assert entry.summary == rich.description
        assert _read_time(entry.updated_parsed) == _instant(rich.modified)
        assert entry.content[0].language == "en"  # xml:lang
        assert "xml:lang" not in data.decode().split("<entry")[3].split(">", 1)[0]  # 'und' says nothing
    else:
        assert html.unescape(entry.summary) == rich.description  # RSS descriptions are HTML
    assert _blocks(entry.content[0].value) == _body_blocks(rich)


@pytest.mark.parametrize("format", FORMATS)
def test_a_date_only_date_is_noon_utc(format: str) -> None:
    data = _feed([_article(1, dt.date(2025, 1, 23))], format, link=BASE)
    written = "2025-01-23T12:00:00Z" if format == "atom" else "Thu, 23 Jan 2025 12:00:00 +0000"
    assert written in data.decode()
    [entry] = _parsed(data).entries
    assert _read_time(entry.published_parsed) == dt.datetime(2025, 1, 23, 12, tzinfo=UTC).timestamp()


@pytest.mark.parametrize("format", FORMATS)
def test_an_offset_with_seconds_is_written_as_the_same_instant(format: str) -> None:
    lmt = dt.timezone(dt.timedelta(minutes=53, seconds=28))  # Berlin's local mean time before 1893
    published = dt.datetime(1890, 5, 1, 9, 0, tzinfo=lmt)
    [entry] = _parsed(_feed([_article(1, published)], format, link=BASE)).entries
    assert _read_time(entry.published_parsed) == published.timestamp()


@pytest.mark.parametrize("format", FORMATS)
def test_limit_keeps_exactly_the_newest_n_newest_first(format: str) -> None:
    days = list(range(1, 29))
    random.Random(7).shuffle(days)
    articles = [_article(day, dt.date(2025, 2, day)) for day in days]
    # Two on the newest day, one of them with a time: instants order them, not input order.
    articles.insert(3, _article(100, dt.datetime(2025, 2, 28, 18, 0, tzinfo=UTC)))
    articles.append(_article(101, dt.date(2025, 2, 27)))  # the same instant as day 27: after it, as in the input
    feed = _parsed(_feed(articles, format, link=BASE, limit=4))
    assert [entry.title for entry in feed.entries] == ["Meldung 100", "Meldung 28", "Meldung 27", "Meldung 101"]
    assert _read_time(feed.feed.updated_parsed) == dt.datetime(2025, 2, 28, 18, tzinfo=UTC).timestamp()


@pytest.mark.parametrize("format", FORMATS)
def test_a_limit_above_the_count_keeps_every_article_newest_first(format: str) -> None:
    articles = [_article(1, dt.date(2025, 1, 1)), _article(2, dt.date(2025, 3, 1)), _article(3, dt.date(2025, 2, 1))]
    feed = _parsed(_feed(articles, format, link=BASE, limit=10))
    assert [entry.title for entry in feed.entries] == ["Meldung 2", "Meldung 3", "Meldung 1"]


def test_with_a_limit_the_feed_summary_describes_the_kept_entries_only() -> None:
    articles = [
        _article(1, dt.date(2025, 1, 1), language="en"),
        _article(2, dt.date(2025, 3, 1), modified=dt.date(2025, 3, 5)),
        _article(3, dt.date(2025, 2, 1)),
    ]
    feed = _parsed(_feed(articles, "rss", link=BASE, limit=2))
    assert feed.feed.language == "de"  # the English article was dropped
    assert _read_time(feed.feed.updated_parsed) == _instant(dt.date(2025, 3, 5))


@pytest.mark.parametrize(("format", "limit"), [("atom", None), ("rss", None), ("atom", 5), ("rss", 5)])
def test_memory_stays_flat_in_the_number_of_articles(corpus: list[Article], format: str, limit: int | None) -> None:
    # Sources as relative paths, from which base_url derives each url.
    articles = [attrs.evolve(article, source=Path(article.source or "a.txt").name) for article in corpus]
    few = peak_memory(articles, 2, format, base_url=BASE, limit=limit)
    many = peak_memory(articles, 20, format, base_url=BASE, limit=limit)
    # Ten times the articles; a writer that kept them all would need several times the memory.
    assert many < few * 1.5 + 64 * 1024, (few, many)


def test_without_a_limit_each_entry_is_written_when_it_is_added() -> None:
    sink = io.BytesIO()
    with newsarticle.open_collection("atom", sink, link=BASE) as feed:
        feed.add(_article(1, dt.date(2025, 1, 1)))
        assert b"<title>Meldung 1</title>" in sink.getvalue()
        feed.add(_article(2, dt.date(2025, 1, 2)))
        assert b"<title>Meldung 2</title>" in sink.getvalue()
        assert b"</feed>" not in sink.getvalue()
    assert sink.getvalue().endswith(b"</feed>\n")


@pytest.mark.parametrize("format", FORMATS)
def test_the_same_articles_give_the_same_bytes(format: str) -> None:
    assert _feed(_rich(), format, link=BASE) == _feed(_rich(), format, link=BASE)


@pytest.mark.parametrize("format", FORMATS)
def test_an_article_without_url_is_refused_and_the_feed_goes_on(format: str) -> None:
    sink = io.BytesIO()
    with newsarticle.open_collection(format, sink, link=BASE) as feed:
        with pytest.raises(newsarticle.MissingURLError, match="no url"):
            feed.add(_article(1, dt.date(2025, 1, 1), url=None))
        feed.add(_article(2, dt.date(2025, 1, 2)))
    assert [entry.title for entry in _parsed(sink.getvalue()).entries] == ["Meldung 2"]


@pytest.mark.parametrize("format", FORMATS)
def test_base_url_gives_an_article_without_url_its_page(format: str) -> None:
    article = _article(1, dt.date(2025, 1, 1), url=None, source="politik/Haushalt 2025.txt")
    assert newsarticle.write_collection([article], format, io.BytesIO(), base_url=BASE) == 1
    feed = _parsed(_feed([article], format, base_url=BASE, page_suffix=".htm"))
    [entry] = feed.entries
    assert entry.link == entry.id == BASE + "politik/Haushalt%202025.htm"
    assert feed.feed.link == BASE


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize(("suffix", "page"), [("", "politik/Haushalt%202025"), ("/", "politik/Haushalt%202025/")])
def test_page_suffix_may_be_none_or_a_folder(format: str, suffix: str, page: str) -> None:
    # Sites that publish /politik/haushalt or /politik/haushalt/ rather than /politik/haushalt.html.
    article = _article(1, dt.date(2025, 1, 1), url=None, source="politik/Haushalt 2025.txt")
    [entry] = _parsed(_feed([article], format, base_url=BASE, page_suffix=suffix)).entries
    assert entry.link == entry.id == BASE + page


@pytest.mark.parametrize("suffix", ["html", ".", "/x", "..html", " .html"])
def test_page_suffix_refuses_what_is_no_suffix_saying_what_it_takes(suffix: str) -> None:
    with pytest.raises(newsarticle.OptionError, match=r"'\.html', or '' \(addresses without a suffix\) or '/'"):
        newsarticle.open_collection("atom", io.BytesIO(), base_url=BASE, page_suffix=suffix)


@pytest.mark.parametrize("format", FORMATS)
def test_an_empty_feed_is_a_valid_feed(format: str) -> None:
    feed = _parsed(_feed([], format, link=BASE, title="Leer"))
    assert (feed.feed.title, feed.entries) == ("Leer", [])


def test_an_atom_feed_names_an_author_for_entries_without_one() -> None:
    feed = _parsed(_feed([_article(1, dt.date(2025, 1, 1))], "atom", link=BASE, title="Kesselbacher Bote"))
    assert feed.feed.author == "Kesselbacher Bote"
    named = _feed([_article(1, dt.date(2025, 1, 1), authors=("Eva",))], "atom", link=BASE)
    assert b"<author>" not in named.split(b"<entry")[0] + named.rsplit(b"</entry>", 1)[1]


def test_atom_id_defaults_to_link_and_can_be_any_iri() -> None:
    assert _parsed(_feed([], "atom", link=BASE)).feed.id == BASE
    assert _parsed(_feed([], "atom", base_url=BASE)).feed.id == BASE
    urn = "urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6"
    feed = _parsed(_feed([], "atom", id=urn))
    assert feed.feed.id == urn


def test_an_undated_article_is_an_rss_item_without_date_and_refused_by_atom() -> None:
    undated = _article(1, None)
    [item] = _parsed(_feed([undated], "rss", link=BASE)).entries
    assert "published" not in item
    with pytest.raises(newsarticle.NewsArticleError, match="no date"):
        _feed([undated], "atom", link=BASE)
    modified_only = _article(2, None, modified=dt.date(2025, 1, 2))
    [entry] = _parsed(_feed([modified_only], "atom", link=BASE)).entries
    assert _read_time(entry.updated_parsed) == _instant(dt.date(2025, 1, 2))


@pytest.mark.parametrize(
    ("format", "options", "message"),
    [
        ("rss", {}, "give option 'link'"),
        ("rss", {"link": BASE, "id": "urn:x:1"}, "format 'rss' has no option 'id'"),  # a channel has no id
        ("atom", {}, "give option 'link'"),
        ("atom", {"link": "/news/"}, "option 'link' takes an absolute http"),
        ("atom", {"id": "news"}, "option 'id' takes an absolute IRI"),
        ("atom", {"link": BASE, "limit": 0}, "option 'limit' takes 1 or more"),
        ("rss", {"link": BASE, "title": "a\x01b"}, "option 'title' takes one line of text"),
        ("rss", {"link": BASE, "author": "two\nlines"}, "option 'author' takes one line of text"),
    ],
)
def test_options_are_checked_before_anything_is_written(format: str, options: dict[str, Any], message: str) -> None:
    sink = io.BytesIO()
    with pytest.raises(newsarticle.OptionError, match=message):
        newsarticle.open_collection(format, sink, **options)
    assert sink.getvalue() == b""


def test_both_formats_are_listed_as_collections_that_need_urls() -> None:
    infos = {info.name: info for info in newsarticle.formats()}
    assert (infos["atom"].kind, infos["atom"].suffix, infos["atom"].media_type) == (
        "collection",
        ".atom",
        "application/atom+xml",
    )
    assert (infos["rss"].kind, infos["rss"].suffix, infos["rss"].media_type) == (
        "collection",
        ".rss",
        "application/rss+xml",
    )
    assert infos["atom"].plugin == infos["rss"].plugin == "newsarticle.renderers.feeds"


@pytest.mark.slow
@pytest.mark.parametrize("format", FORMATS)
def test_the_command_writes_a_feed_and_reports_the_article_without_url(tmp_path: Path, format: str) -> None:
    from test_cli import run

    folder = tmp_path / "articles"
    (folder / "politik").mkdir(parents=True)
    (folder / "politik" / "rat.txt").write_text(
        "Politik\nRat beschließt Haushalt\n2025-02-27\nurl: https://example.org/politik/rat\n"
        "author: Anna Muster\n\nDer Rat hat zugestimmt.\n",
        encoding="utf-8",
    )
    (folder / "ohne.txt").write_text("Lokales\nOhne Adresse\n2025-02-26\n\nKein url.\n", encoding="utf-8")
    target = tmp_path / f"feed.{format}"
    result = run("convert", folder, "-o", target, "-O", "link=https://example.org/")
    assert result.returncode == 1, result.stderr.decode()
    assert "ohne.txt:4:1: error: no-url:" in result.stderr.decode()
    feed = _parsed(target.read_bytes())
    assert [(entry.title, entry.link) for entry in feed.entries] == [
        ("Rat beschließt Haushalt", "https://example.org/politik/rat")
    ]
    assert [author["name"] for author in feed.entries[0].authors] == ["Anna Muster"]
    # With base_url, every article is in, the one without url at its page's address.
    result = run("convert", folder, "-t", format, "-o", target, "-O", "base_url=https://example.org/news/")
    assert result.returncode == 0, result.stderr.decode()
    links = sorted(entry.link for entry in _parsed(target.read_bytes()).entries)
    assert links == ["https://example.org/news/ohne.html", "https://example.org/politik/rat"]


def test_the_examples_of_the_docs_are_what_the_formats_write() -> None:
    text = (Path(__file__).parent.parent / "docs" / "renderers" / "feeds.md").read_text(encoding="utf-8")
    example = text.split("## Example", 1)[1]
    source = example.split("```text\n", 1)[1].split("```", 1)[0]
    atom, rss = (block.split("```", 1)[0] for block in example.split("```xml\n")[1:])
    article = newsarticle.parse(source)
    options = {
        "title": "Kesselbacher Bote",
        "link": "https://example.org/news/",
        "author": "Redaktion Kesselbacher Bote",
    }
    assert _feed([article], "atom", **options).decode() == atom
    assert _feed([article], "rss", **options).decode() == rss


def _as_feedparser_reads(text: str) -> str:
    """``text`` as feedparser gives back an element's text: stripped of whitespace at both ends, and
    "repaired" where it looks like UTF-8 that was decoded as Latin-1 (``Ã¤`` becomes ``ä``), a guess
    feedparser makes about every element. The XML itself holds the text as written."""
    text = text.strip()
    try:
        return text.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _dated(article: Article) -> Article:
    """``article`` with what a feed needs: a url, and (for Atom) a date."""
    if article.url is None:
        article = attrs.evolve(article, url="https://example.org/news/1")
    if article.published is None and article.modified is None:
        article = attrs.evolve(article, published=dt.date(2025, 2, 27))
    return article


@pytest.mark.parametrize("format", FORMATS)
@given(article=strategies.articles().map(_dated), title=strategies.one_line_text())
# Fewer examples than the profiles' default: feedparser's HTML sanitizer makes each one slow (about 10 ms).
@settings(max_examples=min(60, settings().max_examples), deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_article_comes_back_from_feedparser(format: str, article: Article, title: str) -> None:
    data = _feed([article], format, link=BASE, title=title)
    feed = _parsed(data)
    # The XML holds every character as written, which a strict XML parser reads back; feedparser's
    # reading differs where it guesses (see _as_feedparser_reads).
    root = ET.fromstring(data)
    if format == "atom":
        names = [element.text for element in root.iterfind(f"{ATOM}entry/{ATOM}author/{ATOM}name")]
        written = (root.findtext(f"{ATOM}title"), root.findtext(f"{ATOM}entry/{ATOM}title"), names)
    else:
        names = [element.text for element in root.iterfind(f"channel/item/{DC}creator")]
        written = (root.findtext("channel/title"), root.findtext("channel/item/title"), names)
    assert written == (title, article.headline, list(article.authors))
    [entry] = feed.entries
    assert feed.feed.title == _as_feedparser_reads(title)
    assert article.url is not None
    assert (entry.title, entry.id) == (_as_feedparser_reads(article.headline), _as_feedparser_reads(article.url))
    if format == "atom":
        assert entry.link == article.url  # an attribute, which feedparser leaves as it is
    elif "&" not in article.url:
        # feedparser decodes entity references in an RSS <link>'s text a second time (a literal "&amp;" in
        # the URL comes back as "&"); the guid beside it, and a strict XML parser, read the URL as written.
        assert entry.link == _as_feedparser_reads(article.url)
    authors = [author["name"] for author in entry.get("authors", [])]
    assert authors == [_as_feedparser_reads(name) for name in article.authors]
    terms = list(dict.fromkeys(([] if article.category is None else [article.category]) + list(article.tags)))
    # Atom's terms are attributes, left as they are; RSS's are element text.
    read_terms = terms if format == "atom" else list(dict.fromkeys(_as_feedparser_reads(term) for term in terms))
    assert [tag.term for tag in entry.get("tags", [])] == read_terms
    date = article.published if article.published is not None else article.modified
    assert date is not None
    read = entry.published_parsed if article.published is not None or format == "rss" else entry.updated_parsed
    assert _read_time(read) == _instant(date)  # feedparser keeps whole seconds
