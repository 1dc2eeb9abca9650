"""The ``sitemap`` collection format: validated against the sitemaps.org XSD and Google's News sitemap XSD
(tests/data/schemas), read back with xml.etree and compared with the articles."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
import xmlschema

import newsarticle
from newsarticle import Article, Section
from newsarticle.renderers import sitemap

SCHEMAS = Path(__file__).parent / "data" / "schemas"
NS = {"s": sitemap.SITEMAP_NAMESPACE, "news": sitemap.NEWS_NAMESPACE}
BASE = "https://example.org/news/"
NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.timezone.utc)
HOSTILE = 'A <b>&amp; "quoted" ]]> \u202eRTL\u202c مرحبا 👩‍👩‍👧 </script>'


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    """The sitemaps.org schema, with the News extension's for the elements of its namespace."""
    built = xmlschema.XMLSchema(SCHEMAS / "sitemap.xsd", build=False)
    built.import_schema(sitemap.NEWS_NAMESPACE, str(SCHEMAS / "sitemap-news.xsd"))
    built.build()
    return built


@pytest.fixture(scope="module")
def corpus(corpus_files: list[Path]) -> list[Article]:
    """The corpus, each article's source its file name: the relative path base_url derives its url from."""
    return [
        attrs.evolve(newsarticle.parse_file(path, on_diagnostic=lambda _d: None), source=path.name)
        for path in corpus_files
    ]


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    """The run's "now", fixed."""
    monkeypatch.setattr(sitemap, "now", lambda: NOW)
    return NOW


def write(articles: Any, **options: Any) -> bytes:
    sink = io.BytesIO()
    newsarticle.write_collection(articles, "sitemap", sink, **options)
    return sink.getvalue()


def urls(document: bytes, schema: xmlschema.XMLSchema) -> list[ET.Element]:
    """The ``<url>`` elements of a sitemap the schemas accept."""
    schema.validate(document.decode("utf-8"))
    root = ET.fromstring(document)
    assert root.tag == f"{{{sitemap.SITEMAP_NAMESPACE}}}urlset"
    return root.findall("s:url", NS)


def text(element: ET.Element, path: str) -> str | None:
    found = element.find(path, NS)
    return None if found is None else found.text


def article(**changes: Any) -> Article:
    values: dict[str, Any] = {
        "headline": HOSTILE,
        "language": "de-AT",
        "published": dt.date(2026, 3, 10),
        "url": "https://example.org/a?x=1&y='2'",
        "sections": (Section(paragraphs=("Ein Absatz.",)),),
    }
    values.update(changes)
    return Article(**values)


def test_sitemap_is_a_collection_format_that_needs_urls() -> None:
    [info] = [info for info in newsarticle.formats() if info.name == "sitemap"]
    assert (info.kind, info.suffix, info.media_type) == ("collection", ".xml", "application/xml")
    assert info.plugin == "newsarticle.renderers.sitemap"
    assert {"base_url", "page_suffix", "news", "news_publication", "changefreq", "priority"} == {
        option.name for option in info.options
    }


def test_the_corpus_becomes_a_valid_sitemap_of_its_urls_and_dates(
    corpus: list[Article], schema: xmlschema.XMLSchema
) -> None:
    document = write(corpus, base_url=BASE)
    assert document.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    found = urls(document, schema)
    assert [text(url, "s:loc") for url in found] == [f"{BASE}{Path(a.source or '').stem}.html" for a in corpus]
    for url, each in zip(found, corpus, strict=True):
        date = each.modified or each.published
        assert text(url, "s:lastmod") == (None if date is None else date.isoformat())
        assert url.find("news:news", NS) is None
    assert write(corpus, base_url=BASE) == document  # no news: the same input, the same bytes


def test_urls_are_entity_escaped_and_read_back_as_they_were(schema: xmlschema.XMLSchema) -> None:
    odd = "https://example.org/a?x=1&y='2'&z=%C3%A4#top"
    document = write([article(url=odd)])
    assert b"<loc>https://example.org/a?x=1&amp;y=&apos;2&apos;&amp;z=%C3%A4#top</loc>" in document
    [url] = urls(document, schema)
    assert text(url, "s:loc") == odd


def test_lastmod_is_modified_else_published_in_the_w3c_profile(schema: xmlschema.XMLSchema) -> None:
    lmt = dt.timezone(dt.timedelta(minutes=53, seconds=28))
    cases = [
        (article(modified=dt.datetime(2026, 3, 9, 17, 5, tzinfo=dt.timezone(dt.timedelta(hours=-3, minutes=-30)))),
         "2026-03-09T17:05:00-03:30"),
        (article(published=dt.date(2025, 1, 23)), "2025-01-23"),
        (article(published=dt.datetime(1890, 5, 1, 12, 0, tzinfo=lmt)), "1890-05-01T11:06:32+00:00"),
        (article(published=dt.datetime(2026, 1, 1, 0, 0, 0, 250000, tzinfo=dt.timezone.utc)),
         "2026-01-01T00:00:00.250000+00:00"),
        (article(published=None), None),
    ]  # fmt: skip
    found = urls(write([each for each, _ in cases]), schema)
    assert [text(url, "s:lastmod") for url in found] == [expected for _, expected in cases]


def test_changefreq_and_priority_go_on_every_url(schema: xmlschema.XMLSchema) -> None:
    for priority, shown in ((0.0, "0.0"), (0.5, "0.5"), (1.0, "1.0"), (0.125, "0.125"), (1 / 3, "0.333")):
        [url] = urls(write([article()], changefreq="daily", priority=priority), schema)
        assert (text(url, "s:changefreq"), text(url, "s:priority")) == ("daily", shown)
    for options in ({"changefreq": "sometimes"}, {"priority": 1.5}, {"priority": float("nan")}):
        with pytest.raises(newsarticle.OptionError):
            write([article()], **options)


def test_news_tags_go_on_the_articles_of_the_last_two_days(now: dt.datetime, schema: xmlschema.XMLSchema) -> None:
    articles = [
        article(headline="today, date only", published=now.date()),
        article(headline="an hour ago", published=now - dt.timedelta(hours=1), language="zh-Hant"),
        article(headline="a week ago", published=now.date() - dt.timedelta(days=7)),
        article(headline="47 hours ago", published=now - dt.timedelta(hours=47), language="zh"),
        article(headline="49 hours ago", published=now - dt.timedelta(hours=49)),
        article(headline="undated, modified today", published=None, modified=now),
        article(headline=HOSTILE, published=now.astimezone(dt.timezone(dt.timedelta(hours=5, minutes=45)))),
    ]
    document = write(articles, news=True, news_publication="Kesselbacher <Anzeiger> & Co")
    assert f'xmlns:news="{sitemap.NEWS_NAMESPACE}"'.encode() in document
    found = urls(document, schema)
    assert len(found) == len(articles)  # every article is in the sitemap, recent or not
    news = {text(url, "news:news/news:title"): url for url in found if url.find("news:news", NS) is not None}
    assert set(news) == {"today, date only", "an hour ago", "47 hours ago", HOSTILE}
    for title, url in news.items():
        assert text(url, "news:news/news:publication/news:name") == "Kesselbacher <Anzeiger> & Co"
        source = next(each for each in articles if each.headline == title)
        assert source.published is not None
        assert text(url, "news:news/news:publication_date") == source.published.isoformat()
    languages = {title: text(url, "news:news/news:publication/news:language") for title, url in news.items()}
    assert languages == {"today, date only": "de", "an hour ago": "zh-tw", "47 hours ago": "zh-cn", HOSTILE: "de"}


def test_news_without_a_publication_name_is_refused_before_anything_is_written(now: dt.datetime) -> None:
    sink = io.BytesIO()
    with pytest.raises(newsarticle.OptionError, match="news_publication"):
        newsarticle.open_collection("sitemap", sink, news=True)
    assert sink.getvalue() == b""
    for name in ("", "two\nlines", "bell\x07"):
        with pytest.raises(newsarticle.OptionError, match="news_publication"):
            newsarticle.open_collection("sitemap", sink, news=True, news_publication=name)
    assert write([article()], news_publication="Ignored without news") == write([article()])


@pytest.mark.parametrize(
    ("tag", "code"),
    [("de", "de"), ("de-AT", "de"), ("gsw", "gsw"), ("sr-Latn-RS", "sr"), ("zh-Hans-CN", "zh-cn"),
     ("zh-TW", "zh-tw"), ("zh-HK", "zh-tw"), ("ZH-hant", "zh-tw"), ("zh", "zh-cn")],
)  # fmt: skip
def test_the_news_language_is_the_primary_language_or_googles_chinese(tag: str, code: str) -> None:
    assert sitemap.news_language(tag) == code


def test_an_article_past_the_url_limit_is_refused_and_the_sitemap_stays_valid(
    monkeypatch: pytest.MonkeyPatch, schema: xmlschema.XMLSchema
) -> None:
    monkeypatch.setattr(sitemap, "MAX_URLS", 2)
    sink = io.BytesIO()
    with newsarticle.open_collection("sitemap", sink) as output:
        output.add(article(url="https://example.org/1"))
        output.add(article(url="https://example.org/2"))
        with pytest.raises(newsarticle.NewsArticleError, match=r"at most 2 URLs .*sitemap index"):
            output.add(article(url="https://example.org/3"))
    assert [text(url, "s:loc") for url in urls(sink.getvalue(), schema)] == [
        "https://example.org/1",
        "https://example.org/2",
    ]


@pytest.mark.slow  # fills a sitemap of 50,000 URLs: about 4 seconds
def test_the_50001st_url_is_refused_naming_the_limit(schema: xmlschema.XMLSchema) -> None:
    def many() -> Iterator[Article]:
        for number in range(sitemap.MAX_URLS):
            yield Article(headline="x", language="de", url=f"https://example.org/{number}")

    sink = io.BytesIO()
    with newsarticle.open_collection("sitemap", sink) as output:
        for each in many():
            output.add(each)
        with pytest.raises(newsarticle.NewsArticleError, match="at most 50,000 URLs"):
            output.add(article())
        assert output.count == sitemap.MAX_URLS
    assert len(urls(sink.getvalue(), schema)) == sitemap.MAX_URLS


def test_the_byte_and_news_limits_refuse_an_article_before_writing_it(
    monkeypatch: pytest.MonkeyPatch, now: dt.datetime, schema: xmlschema.XMLSchema
) -> None:
    monkeypatch.setattr(sitemap, "MAX_NEWS", 1)
    sink = io.BytesIO()
    with newsarticle.open_collection("sitemap", sink, news=True, news_publication="P") as output:
        output.add(article())
        with pytest.raises(newsarticle.NewsArticleError, match="at most 1 news entries"):
            output.add(article(url="https://example.org/2"))
        output.add(article(url="https://example.org/old", published=dt.date(2020, 1, 1)))
    assert [text(url, "s:loc") for url in urls(sink.getvalue(), schema)] == [
        "https://example.org/a?x=1&y='2'",
        "https://example.org/old",
    ]

    size = len(write([article()]))
    monkeypatch.setattr(sitemap, "MAX_BYTES", size)
    sink = io.BytesIO()
    with newsarticle.open_collection("sitemap", sink) as output:
        output.add(article())  # exactly at the limit
        with pytest.raises(newsarticle.NewsArticleError, match=r"at most .* bytes"):
            output.add(article())
    assert len(sink.getvalue()) == size


def test_a_url_of_2048_characters_is_refused() -> None:
    long = "https://example.org/" + "a" * (2048 - len("https://example.org/"))
    with pytest.raises(newsarticle.NewsArticleError, match="shorter than 2,048 characters"):
        write([article(url=long)])
    assert len(write([article(url=long[:-1])])) > 0


def test_an_article_without_url_is_refused_and_the_sitemap_goes_on(schema: xmlschema.XMLSchema) -> None:
    sink = io.BytesIO()
    with newsarticle.open_collection("sitemap", sink) as output:
        output.add(article())
        with pytest.raises(newsarticle.MissingURLError):
            output.add(article(url=None))
        output.add(article(url="https://example.org/2"))
    assert len(urls(sink.getvalue(), schema)) == 2


def test_a_sitemap_of_no_articles_is_an_empty_urlset(schema: xmlschema.XMLSchema) -> None:
    document = write([])
    assert len(ET.fromstring(document)) == 0
    # The XSD wants at least one <url>: an empty sitemap is well-formed, not valid (docs/renderers/sitemap.md).
    assert not schema.is_valid(document.decode())


COMMAND = os.path.join(os.path.dirname(sys.executable), "newsarticle")


@pytest.mark.slow
def test_the_command_writes_a_sitemap_and_reports_the_file_without_url(
    tmp_path: Path, schema: xmlschema.XMLSchema
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, url in (("a", "https://example.org/a"), ("b", None), ("c", "https://example.org/c?p=1&q=2")):
        metadata = f"url: {url}\n" if url else ""
        (folder / f"{name}.txt").write_text(f"Politik\nTitel {name}\n2025-02-27\n{metadata}\nEin Absatz.\n", "utf-8")
    target = tmp_path / "sitemap.xml"
    result = subprocess.run(
        [COMMAND, "convert", folder, "-o", target], capture_output=True, timeout=300, check=False
    )  # the format follows from the suffix
    assert result.returncode == 1, result.stderr
    assert f"{folder / 'b.txt'}:4:1: error: no-url: ".encode() in result.stderr
    found = urls(target.read_bytes(), schema)
    assert [text(url, "s:loc") for url in found] == ["https://example.org/a", "https://example.org/c?p=1&q=2"]
    assert [text(url, "s:lastmod") for url in found] == ["2025-02-27", "2025-02-27"]
