"""The ``jsonfeed`` collection format: JSON Feed 1.1, checked by a JSON Schema written from the specification
(tests/data/schemas/jsonfeed-1.1.schema.json) and its HTML by html5lib, on the corpus and on hostile articles."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import attrs
import html5lib
import jsonschema
import pytest

import newsarticle
from collection_memory import peak_memory
from newsarticle import Article, Section

SCHEMA = json.loads((Path(__file__).parent / "data" / "schemas" / "jsonfeed-1.1.schema.json").read_text("utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
BASE = "https://example.org/news/"
BERLIN_WINTER = dt.timezone(dt.timedelta(hours=1))
HOSTILE = 'A <b>&amp; "quoted" ]]> \u202eRTL\u202c مرحبا 👩‍👩‍👧 </script>'


def _quiet(path: Path) -> Article:
    return newsarticle.parse_file(path, on_diagnostic=lambda _d: None)


@pytest.fixture(scope="module")
def corpus(corpus_files: list[Path]) -> list[Article]:
    """The corpus, each article's source its file name: the relative path base_url derives its url from."""
    return [attrs.evolve(_quiet(path), source=path.name) for path in corpus_files]


def feed(articles: Any, **options: Any) -> dict[str, Any]:
    """The feed written for ``articles``, parsed, after the schema accepted it."""
    sink = io.BytesIO()
    newsarticle.write_collection(articles, "jsonfeed", sink, **options)
    document = json.loads(sink.getvalue().decode("utf-8"))
    VALIDATOR.validate(document)
    return document  # type: ignore[no-any-return]


def full_article(**changes: Any) -> Article:
    values: dict[str, Any] = {
        "headline": HOSTILE,
        "language": "de-AT",
        "category": "Politik",
        "published": dt.datetime(2025, 2, 27, 14, 30, 5, tzinfo=BERLIN_WINTER),
        "url": "https://example.org/a?x=1&y='2'",
        "authors": ("Anna Muster", "Jörg <Beispiel> & Co"),
        "image": "https://example.org/bild.jpg",
        "modified": dt.date(2025, 2, 28),
        "description": HOSTILE,
        "tags": ("Stadt", "Haus & <Hof>"),
        "sections": (
            Section(paragraphs=("Erster <p> & Absatz", HOSTILE)),
            Section(heading="Zwischen </h2> Titel", paragraphs=("Letzter.",)),
        ),
    }
    values.update(changes)
    return Article(**values)


def test_jsonfeed_is_a_collection_format_that_needs_urls() -> None:
    [info] = [info for info in newsarticle.formats() if info.name == "jsonfeed"]
    assert (info.kind, info.suffix, info.media_type) == ("collection", ".feed.json", "application/feed+json")
    assert info.plugin == "newsarticle.renderers.jsonfeed"
    assert {"base_url", "page_suffix", "title", "home_page_url", "feed_url", "author", "language", "limit"} <= {
        option.name for option in info.options
    }


def test_the_corpus_becomes_one_valid_feed_in_input_order(corpus: list[Article]) -> None:
    document = feed(corpus, base_url=BASE, title="Kesselbacher Anzeiger")
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["title"] == "Kesselbacher Anzeiger"
    items = document["items"]
    assert [item["title"] for item in items] == [article.headline for article in corpus]
    sources = [Path(article.source or "").stem for article in corpus]
    assert [item["id"] for item in items] == [f"{BASE}{stem}.html" for stem in sources]
    assert [item["url"] for item in items] == [item["id"] for item in items]
    for item, article in zip(items, corpus, strict=True):
        assert item["language"] == article.language
        if isinstance(article.published, dt.datetime):
            assert dt.datetime.fromisoformat(item["date_published"]) == article.published
        elif article.published is not None:
            # A date-only date: noon UTC that day.
            assert item["date_published"] == f"{article.published.isoformat()}T12:00:00Z"
        else:
            assert "date_published" not in item


def test_the_home_page_is_base_url_unless_given(corpus: list[Article]) -> None:
    # As the atom and rss feeds link to base_url: a reader shows the site the feed belongs to.
    assert feed(corpus[:1], base_url=BASE)["home_page_url"] == BASE
    assert (
        feed(corpus[:1], base_url=BASE, home_page_url="https://example.org/")["home_page_url"] == "https://example.org/"
    )
    assert "home_page_url" not in feed([full_article()])


def _html_text(fragment: str) -> list[tuple[str, str]]:
    """(element, text) of every element of an HTML fragment, as a browser's parser reads it."""
    tree = html5lib.parseFragment(fragment, namespaceHTMLElements=False)
    return [(element.tag, "".join(element.itertext())) for element in tree]


def test_the_body_is_html_that_a_parser_reads_back_as_the_article(corpus: list[Article]) -> None:
    for article in [*corpus, full_article()]:
        [item] = feed([article], base_url=BASE)["items"]
        expected = []
        for section in article.sections:
            if section.heading is not None:
                expected.append(("h2", section.heading))
            expected += [("p", paragraph) for paragraph in section.paragraphs]
        assert _html_text(item["content_html"]) == expected, article.source


def test_every_metadata_field_and_hostile_text_come_back_as_they_were() -> None:
    article = full_article()
    document = feed([article], title=HOSTILE, author=HOSTILE, description=HOSTILE, language="de", content="both")
    assert (document["title"], document["authors"], document["description"]) == (HOSTILE, [{"name": HOSTILE}], HOSTILE)
    assert document["language"] == "de"
    [item] = document["items"]
    assert item["id"] == item["url"] == "https://example.org/a?x=1&y='2'"
    assert item["title"] == HOSTILE
    assert item["summary"] == HOSTILE
    assert item["image"] == "https://example.org/bild.jpg"
    assert item["authors"] == [{"name": "Anna Muster"}, {"name": "Jörg <Beispiel> & Co"}]
    assert item["tags"] == ["Stadt", "Haus & <Hof>"]
    assert item["language"] == "de-AT"
    assert item["date_published"] == "2025-02-27T14:30:05+01:00"
    assert item["date_modified"] == "2025-02-28T12:00:00Z"
    assert item["content_text"] == article.body
    assert "<b>" not in item["content_html"]  # the text's markup is text, escaped


def test_content_chooses_html_text_or_both() -> None:
    article = full_article()
    choices = {"html": {"content_html"}, "text": {"content_text"}, "both": {"content_html", "content_text"}}
    for content, keys in choices.items():
        [item] = feed([article], content=content)["items"]
        assert {key for key in item if key.startswith("content_")} == keys


def test_an_article_without_a_body_or_dates_is_still_a_valid_item() -> None:
    bare = Article(headline="Nur ein Titel", language="de", url="https://example.org/1")
    for content in ("html", "text"):
        [item] = feed([bare], content=content)["items"]
        assert item.get("content_html", item.get("content_text")) == ""
        assert not {"date_published", "date_modified"} & set(item)


def test_an_offset_with_seconds_becomes_utc_and_fractions_are_kept() -> None:
    lmt = dt.timezone(dt.timedelta(minutes=53, seconds=28))  # Berlin's local mean time
    article = full_article(published=dt.datetime(1890, 5, 1, 12, 0, tzinfo=lmt))
    [item] = feed([article])["items"]
    assert item["date_published"] == "1890-05-01T11:06:32+00:00"
    article = full_article(published=dt.datetime(2025, 1, 1, 0, 0, 0, 250000, tzinfo=dt.timezone.utc))
    [item] = feed([article])["items"]
    assert dt.datetime.fromisoformat(item["date_published"]) == article.published


def _dated(day: int, name: str, **changes: Any) -> Article:
    return Article(headline=name, language="de", url=f"https://example.org/{name}", **changes)


def test_limit_keeps_the_newest_articles_newest_first() -> None:
    articles = [
        _dated(1, "old", published=dt.date(2025, 1, 1)),
        _dated(2, "undated"),
        _dated(3, "noon-tie-a", published=dt.date(2025, 3, 1)),
        _dated(4, "newest", published=dt.datetime(2025, 3, 2, 8, 0, tzinfo=BERLIN_WINTER)),
        _dated(5, "noon-tie-b", published=dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.timezone.utc)),
        _dated(6, "modified-only", modified=dt.date(2025, 2, 1)),
    ]
    titles = [item["title"] for item in feed(articles, limit=4)["items"]]
    # Of equal dates (a date-only date is noon UTC), the earlier in input comes first.
    assert titles == ["newest", "noon-tie-a", "noon-tie-b", "modified-only"]
    assert [item["title"] for item in feed(articles, limit=100)["items"]] == [
        "newest", "noon-tie-a", "noon-tie-b", "modified-only", "old", "undated",
    ]  # fmt: skip
    assert len(feed(articles[:0], limit=3)["items"]) == 0


def test_options_are_checked_before_anything_is_written() -> None:
    refused: list[dict[str, Any]] = [
        {"limit": 0},
        {"feed_url": "/feed.json"},
        {"home_page_url": "ftp://x.org/"},
        {"language": "German"},
    ]
    for options in refused:
        sink = io.BytesIO()
        with pytest.raises(newsarticle.OptionError):
            newsarticle.open_collection("jsonfeed", sink, **options)
        assert sink.getvalue() == b""


def test_an_article_without_url_is_refused_and_the_feed_goes_on() -> None:
    sink = io.BytesIO()
    with newsarticle.open_collection("jsonfeed", sink) as output:
        output.add(full_article())
        with pytest.raises(newsarticle.MissingURLError):
            output.add(full_article(url=None))
        output.add(full_article(url="https://example.org/2"))
    document = json.loads(sink.getvalue())
    VALIDATOR.validate(document)
    assert [item["id"] for item in document["items"]] == ["https://example.org/a?x=1&y='2'", "https://example.org/2"]


def test_items_are_written_as_they_are_added_and_the_output_is_deterministic(corpus: list[Article]) -> None:
    sink = io.BytesIO()
    with newsarticle.open_collection("jsonfeed", sink, base_url=BASE) as output:
        sizes = []
        for article in corpus[:3]:
            output.add(article)
            sizes.append(len(sink.getvalue()))
    assert sizes[0] < sizes[1] < sizes[2] < len(sink.getvalue())
    again = io.BytesIO()
    newsarticle.write_collection(corpus[:3], "jsonfeed", again, base_url=BASE)
    assert again.getvalue() == sink.getvalue()
    assert sink.getvalue().endswith(b"\n]}\n")


def _distinct_url(article: Article, round_: int) -> Article:
    return attrs.evolve(article, url=f"{BASE}{round_}/{Path(article.source or '').stem}.html")


@pytest.mark.parametrize("options", [{}, {"limit": 5}], ids=["every article", "limit=5"])
def test_memory_stays_flat_in_the_number_of_articles(corpus: list[Article], options: dict[str, Any]) -> None:
    few = peak_memory(corpus, 2, "jsonfeed", _distinct_url, **options)
    many = peak_memory(corpus, 20, "jsonfeed", _distinct_url, **options)
    assert many < few * 1.5 + 64 * 1024, (few, many)
