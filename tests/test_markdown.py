"""The markdown renderer: CommonMark (markdown-it-py) reads back exactly the model's text; YAML front matter too."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

import newsarticle
from newsarticle import Article, RenderContext, Section
from newsarticle._i18n import formatter_for
from newsarticle.renderers.markdown import escape_block, escape_heading, front_matter
from strategies import HOSTILE, articles, one_line_text

COMMONMARK = MarkdownIt("commonmark")
SEPARATOR = " \u00b7 "

#: What means something to CommonMark (and to GFM, as Hugo reads it) at the start of a line or inside one.
MARKDOWN_HOSTILE = (
    "*", "**", "***", "_", "__", "`", "``", "```", "~", "~~", "~~~", "*nicht*", "_x_", "__init__", "**fett**",
    "Autor*innen", "Leser_innen", "max_depth", "a*b*c", "*)", "(*", "„*", "*“",
    "[x](y)", "[x]: /y", "[^1]: note", "![a](b)", "[", "]", "](", "(", ")", "[x][y]", "[x]",
    "<div>", "</p>", "<!--", "-->", "<?php", "<!DOCTYPE", "<![CDATA[", "<https://x>", "<a@b.de>", "<1@x.de>", "< 4",
    "&amp;", "&#35;", "&#x41;", "&copy", "&", "F&E",
    "1.", "1)", "2025.", "123456789.", "-", "- ", "+", "+ ", "> ", ">", "#", "# ", "##", "####### ", "=", "===",
    "---", "- - -", "* * *", "___", "\\", "\\*", "\\\\", "\\`", "|", "| a |", "!", "\u00a0", "\u202f", "\u2028",
    "\u3000", "\u2003", "€", "°", "„", "“", ":", ".", ",", "x", "Wort", "http://x.de/a_b_c", "#BookTok",
    "{", "{{", "{%", "{{<", "{{%", "%}}", ">}}", "}}", "{{ site.title }}", "{% if x %}", "{{< x >}}", "{:", "{::",
    "$", "$$", "&#123;",
)  # fmt: skip
_SPACES = re.compile(" {2,}")


def markdown_text() -> st.SearchStrategy[str]:
    """One-line text built from what CommonMark and GFM read as markup."""
    piece = st.one_of(
        st.sampled_from(MARKDOWN_HOSTILE), st.sampled_from(HOSTILE), st.just(" "), st.text("*_`~[]()<>&#\\!-+.1 ")
    )
    return (
        st.lists(piece, min_size=1, max_size=10)
        .map("".join)
        .map(lambda s: _SPACES.sub(" ", s).strip(" "))
        .filter(lambda s: bool(s) and not s.isspace())
    )


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(markdown_text(), markdown_text(), one_line_text())


@st.composite
def markdown_articles(draw: st.DrawFn) -> Article:
    """Articles whose every text field is Markdown-hostile."""
    count = draw(st.integers(0, 4))
    sections = [
        Section(
            heading=draw(hostile_text()) if index else draw(st.none() | hostile_text()),
            paragraphs=draw(st.lists(hostile_text(), min_size=1, max_size=4)),
        )
        for index in range(count)
    ]
    return Article(
        headline=draw(hostile_text()),
        language=draw(st.sampled_from(("de", "en", "fr", "no", "de-AT"))),
        category=draw(st.none() | hostile_text()),
        published=draw(st.none() | st.dates() | st.datetimes(timezones=st.just(dt.timezone.utc))),
        sections=sections,
    )


def read_back(markdown: str) -> list[tuple[str, str]]:
    """Every block as (tag, plain text); fails on anything but headings and paragraphs of plain text."""
    tokens = COMMONMARK.parse(markdown)
    blocks = []
    index = 0
    while index < len(tokens):
        opening = tokens[index]
        assert opening.type in ("heading_open", "paragraph_open"), f"unexpected {opening.type} in\n{markdown}"
        inline = tokens[index + 1]
        kinds = {child.type for child in inline.children or ()}
        assert kinds <= {"text"}, f"markup {kinds} in {inline.content!r}"
        blocks.append((opening.tag, "".join(child.content for child in inline.children or ())))
        assert tokens[index + 2].type == opening.type.replace("_open", "_close")
        index += 3
    return blocks


def expected_blocks(article: Article, context: RenderContext, *, heading: bool = True) -> list[tuple[str, str]]:
    blocks = [("h1", article.headline)] if heading else []
    meta = [article.category] if article.category is not None else []
    if article.published is not None:
        meta.append(f"{context.formatter.gettext('Published')} {context.date(article)}")
    if meta and heading:
        blocks.append(("p", SEPARATOR.join(meta)))
    for section in article.sections:
        if section.heading is not None:
            blocks.append(("h2", section.heading))
        blocks.extend(("p", paragraph) for paragraph in section.paragraphs)
    return blocks


def split_front_matter(markdown: str) -> tuple[Any, str]:
    assert markdown.startswith("---\n")
    head, _, body = markdown[4:].partition("\n---\n")
    return yaml.safe_load(head), body


def render(article: Article, **options: Any) -> tuple[str, RenderContext]:
    locale = "en" if article.language.startswith("en") else "de"
    options.setdefault("date_format", "long")
    options.setdefault("timezone", None)
    output = newsarticle.render(article, "markdown", locale=locale, **options)
    assert isinstance(output, str)
    return output, RenderContext(locale, options)


def parse(path: Path) -> Article:
    return newsarticle.parse_file(path, on_diagnostic=lambda d: None)


def check_front_matter(article: Article, markdown: str) -> str:
    data, body = split_front_matter(markdown)
    assert data["title"] == article.headline
    assert data["lang"] == article.language
    if article.category is None:
        assert "categories" not in data
    else:
        assert data["categories"] == [article.category]
    if article.published is None:
        assert "date" not in data
    else:
        assert type(data["date"]) is type(article.published)
        assert data["date"] == article.published
    if article.modified is None:
        assert "lastmod" not in data
    else:
        assert type(data["lastmod"]) is type(article.modified)
        assert data["lastmod"] == data["last_modified_at"] == article.modified
    assert data.get("tags", []) == list(article.tags)
    assert data.get("authors", []) == list(article.authors)
    assert data.get("author") == (", ".join(article.authors) if article.authors else None)
    assert data.get("description") == article.description
    if article.description is not None:
        assert read_back(data["summary"]) == [("p", article.description)]
    assert data.get("images", []) == ([article.image] if article.image else [])
    assert data.get("image") == article.image
    assert data.get("canonical_url") == article.url
    assert "url" not in data
    assert data["render_with_liquid"] is False
    return body


# --- the format --------------------------------------------------------------------------------------------


def test_registered() -> None:
    info = {f.name: f for f in newsarticle.formats()}["markdown"]
    assert (info.suffix, info.media_type) == (".md", "text/markdown")
    assert {option.name for option in info.options} == {
        "front_matter",
        "heading",
        "base_url",
        "date_format",
        "timezone",
    }
    assert info.plugin == "newsarticle.renderers.markdown"


def test_layout() -> None:
    article = Article(
        headline="Neue Brücke für Kesselbach",
        language="de",
        category="Politik",
        published=dt.date(2025, 2, 27),
        sections=[
            Section(paragraphs=["Der Rat hat entschieden.", "1. Januar ist Stichtag."]),
            Section(heading="Wie es weitergeht", paragraphs=["Gebaut wird ab März."]),
        ],
    )
    assert newsarticle.render(article, "markdown", locale="de") == (
        "# Neue Brücke für Kesselbach\n\n"
        "Politik · Veröffentlicht am 27. Februar 2025\n\n"
        "Der Rat hat entschieden.\n\n"
        "1\\. Januar ist Stichtag.\n\n"
        "## Wie es weitergeht\n\n"
        "Gebaut wird ab März.\n"
    )


def test_date_line_localized_and_formatted() -> None:
    article = Article(
        headline="H", language="de", category="K", published=dt.date(2025, 1, 3), sections=[Section(paragraphs=["P"])]
    )
    assert "\n\nK · Veröffentlicht am 3. Jänner 2025\n\n" in newsarticle.render(article, "markdown", locale="de_AT")
    assert "\n\nK · Published January 3, 2025\n\n" in newsarticle.render(article, "markdown", locale="en")
    assert "\n\nK · Publié le 3 janvier 2025\n\n" in newsarticle.render(article, "markdown", locale="fr")
    short = newsarticle.render(article, "markdown", locale="de", date_format="short")
    assert "\n\nK · Veröffentlicht am 03.01.25\n\n" in short
    pattern = newsarticle.render(article, "markdown", locale="de", date_format="d.M.y")
    assert "\n\nK · Veröffentlicht am 3.1.2025\n\n" in pattern
    only_date = newsarticle.render(attrs.evolve(article, category=None), "markdown", locale="de")
    assert "\n\nVeröffentlicht am 3. Januar 2025\n\n" in only_date
    only_category = newsarticle.render(attrs.evolve(article, published=None), "markdown", locale="de")
    assert "\n\nK\n\n" in only_category
    # The line is escaped like a paragraph: a category that looks like a list item stays text.
    listed = newsarticle.render(attrs.evolve(article, category="1. Liga"), "markdown", locale="de")
    assert "\n\n1\\. Liga · Veröffentlicht am 3. Januar 2025\n\n" in listed
    assert read_back(listed)[1] == ("p", "1. Liga · Veröffentlicht am 3. Januar 2025")


def test_date_line_timezone() -> None:
    published = dt.datetime(2025, 2, 27, 23, 30, tzinfo=dt.timezone.utc)
    article = Article(headline="H", language="de", category="K", published=published)
    output = newsarticle.render(article, "markdown", locale="de", timezone="Europe/Berlin")
    line = read_back(output)[1][1]
    assert line == "K · Veröffentlicht am " + formatter_for("de").date(published, "long", "Europe/Berlin")
    assert line.startswith("K · Veröffentlicht am 28. Februar 2025")
    assert "00:30" in line
    assert "date: 2025-02-27T23:30:00+00:00\n" in newsarticle.render(
        article, "markdown", timezone="Europe/Berlin", front_matter=True
    )


def test_no_category_no_date_no_body() -> None:
    article = Article(headline="Nur eine Überschrift", language="de")
    assert newsarticle.render(article, "markdown") == "# Nur eine Überschrift\n"


# --- escaping, by context ----------------------------------------------------------------------------------

PARAGRAPHS = [
    # Left alone: nothing here can become markup.
    ("Autor*innen und Leser_innen", "Autor*innen und Leser_innen"),
    ("max_depth und max_nesting_depth", "max_depth und max_nesting_depth"),
    ("#BookTok ist überall", "#BookTok ist überall"),
    ("[Update, 14.10 Uhr] Die Polizei", "[Update, 14.10 Uhr] Die Polizei"),
    ("10 < x < 100 und 5 > 3", "10 < x < 100 und 5 > 3"),
    ("F&E und Heberle & Söhne", "F&E und Heberle & Söhne"),
    ("C:\\Programme\\Kesselbach", "C:\\Programme\\Kesselbach"),
    ("ein einzelnes ` Zeichen", "ein einzelnes ` Zeichen"),
    ("`a`` ```b", "`a`` ```b"),
    ("2 * 3 = 6", "2 * 3 = 6"),
    ("Satz. Noch einer, mit: Doppelpunkt; und - Strich!", "Satz. Noch einer, mit: Doppelpunkt; und - Strich!"),
    ("===", "==="),
    ("2025-02-27", "2025-02-27"),
    ("####### sieben", "####### sieben"),
    ("+49 7341 9120", "+49 7341 9120"),
    ("-5 Grad", "-5 Grad"),
    ("1.000 Euro", "1.000 Euro"),
    # Escaped where they would be markup.
    ("Autor*innen und Leser*innen", "Autor\\*innen und Leser\\*innen"),
    ("did *not* need", "did \\*not\\* need"),
    ("is **critical**", "is \\*\\*critical\\*\\*"),
    ("the __init__ method", "the \\_\\_init\\_\\_ method"),
    ("_Munidopsis_ lebt", "\\_Munidopsis\\_ lebt"),
    ("ca. ~5 bis ~10 km", "ca. ~5 bis ~10 km"),
    ("von ~~alt~~ zu neu", "von \\~\\~alt\\~\\~ zu neu"),
    ("call `parse()`", "call \\`parse()\\`"),
    ("als [Text](https://x.de) verlinkt", "als [Text\\](https://x.de) verlinkt"),
    ("[x]: /url", "\\[x]: /url"),
    ("ein <div> und </p>", "ein \\<div> und \\</p>"),
    ("siehe <https://x.de>", "siehe \\<https://x.de>"),
    ("aus &amp; wird &#38; oder &#x26;", "aus \\&amp; wird \\&#38; oder \\&#x26;"),
    ("a \\* b", "a \\\\* b"),
    ("1. Januar", "1\\. Januar"),
    ("3) Drittens", "3\\) Drittens"),
    ("2025.", "2025\\."),
    ("- Punkt", "\\- Punkt"),
    ("+ Punkt", "\\+ Punkt"),
    ("* Punkt", "\\* Punkt"),
    ("-", "\\-"),
    ("> Hinweis", "\\> Hinweis"),
    (">Hinweis", "\\>Hinweis"),
    ("# Titel", "\\# Titel"),
    ("###", "\\###"),
    ("---", "\\---"),
    ("- - -", "\\- - -"),
    ("___", "\\___"),
    ("```python", "\\`\\`\\`python"),
    ("~~~", "\\~~~"),
    ("<div>", "\\<div>"),
    ("<!-- Kommentar", "\\<!-- Kommentar"),
    ("\u00a0eingerückt", "&#160;eingerückt"),
    ("Ende\u202f", "Ende&#8239;"),
    ("\u2028", "&#8232;"),
    ("\ufeff> BOM", "&#65279;> BOM"),
    ("Pfad\\\u00a0", "Pfad\\\\&#160;"),
]


@pytest.mark.parametrize(("text", "markdown"), PARAGRAPHS)
def test_paragraph_escaping(text: str, markdown: str) -> None:
    assert escape_block(text) == markdown
    assert read_back(markdown) == [("p", text)]


HEADINGS = [
    ("1. Januar", "1. Januar"),
    ("- nicht", "- nicht"),
    ("> nicht", "> nicht"),
    ("C#", "C#"),
    ("Nummer #1", "Nummer #1"),
    ("Kanal #", "Kanal \\#"),
    ("#", "\\#"),
    ("# ##", "# \\##"),
    ("\u00a0x\u00a0", "&#160;x&#160;"),
    ("*wichtig*", "\\*wichtig\\*"),
]


@pytest.mark.parametrize(("text", "markdown"), HEADINGS)
def test_heading_escaping(text: str, markdown: str) -> None:
    assert escape_heading(text) == markdown
    assert read_back(f"## {markdown}") == [("h2", text)]


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(hostile_text())
def test_any_text_reads_back(text: str) -> None:
    assert read_back(escape_block(text)) == [("p", text)]
    assert read_back("## " + escape_heading(text)) == [("h2", text)]
    assert read_back("# " + escape_heading(text)) == [("h1", text)]


def static_site_problem(markdown: str) -> str | None:
    """What Liquid, Hugo's shortcode lexer, Goldmark's attributes or kramdown would act on, if anything."""
    if "{" in markdown:
        return "a literal { (Liquid, shortcodes, attributes)"
    index = 0
    unescaped = []
    while index < len(markdown):
        if markdown[index] == "\\" and index + 1 < len(markdown):
            if markdown[index + 1] == "&":
                return "\\& (kramdown shows the backslash)"
            unescaped.append(" ")
            index += 2
        else:
            unescaped.append(markdown[index])
            index += 1
    rest = "".join(unescaped)
    if "|" in rest:
        return "an unescaped | (a kramdown table)"
    if "$$" in rest:
        return "$$ (kramdown math)"
    return None


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(hostile_text())
def test_any_text_reads_back_for_static_sites(text: str) -> None:
    for markdown, expected in (
        (escape_block(text, ssg=True), [("p", text)]),
        ("## " + escape_heading(text, ssg=True), [("h2", text)]),
    ):
        assert read_back(markdown) == expected
        assert static_site_problem(markdown) is None, markdown


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("{{ site.title }}", "&#123;&#123; site.title }}"),
        ("{% if x %} and {%- raw -%}", "&#123;% if x %} and &#123;%- raw -%}"),
        ("{{< x >}} {{% y %}}", "&#123;&#123;< x >}} &#123;&#123;% y %}}"),
        ("{{{x}}}", "&#123;&#123;&#123;x}}}"),
        ("{::comment} {:.x}", "&#123;::comment} &#123;:.x}"),
        ("&amp; & F&E", "&amp;amp; & F&E"),
        ("$$x^2$$ costs $5", "\\$\\$x^2\\$\\$ costs $5"),
        ("{ x } %", "&#123; x } %"),
        ("\\{{", "\\\\&#123;&#123;"),
        ("a | b", "a \\| b"),
        ("*[HTML]: Hyper", "\\*[HTML]: Hyper"),
        ("x *[y]: z", "x \\*[y]: z"),
        ("#BookTok", "\\#BookTok"),
        (": x", "\\: x"),
        ("Leser_innen, max_depth, Autor*innen", "Leser_innen, max_depth, Autor\\*innen"),
        ("a ___ b ___", "a \\_\\_\\_ b \\_\\_\\_"),
        ("a___b___c", "a\\_\\_\\_b\\_\\_\\_c"),
        ("~5 km, ~6 km", "~5 km, ~6 km"),
        ("~5 km, ~~x~~", "&#126;5 km, &#126;&#126;x&#126;&#126;"),
    ],
)
def test_static_site_escaping(text: str, markdown: str) -> None:
    assert escape_block(text, ssg=True) == markdown
    assert read_back(markdown) == [("p", text)]


# --- whole articles ----------------------------------------------------------------------------------------


def test_corpus_reads_back(corpus_files: list[Path]) -> None:
    for path in corpus_files:
        article = parse(path)
        output, context = render(article)
        assert read_back(output) == expected_blocks(article, context), path.name


def test_corpus_front_matter(corpus_files: list[Path]) -> None:
    for path in corpus_files:
        article = parse(path)
        output, context = render(article, front_matter=True)
        body = check_front_matter(article, output)
        assert read_back(body) == expected_blocks(article, context, heading=False), path.name
        output, context = render(article, front_matter=True, heading=True)
        body = check_front_matter(article, output)
        assert body.startswith("\n# ")
        assert read_back(body) == expected_blocks(article, context), path.name


def test_corpus_stays_readable(corpus_files: list[Path]) -> None:
    """A handful of backslashes per article at most, and never before ordinary sentence punctuation."""
    block_start = re.compile(r"^(?:[0-9]{1,9}\\[.)]|\\[-+*>#_~`\[<])")
    for path in corpus_files:
        output, _ = render(parse(path))
        backslashes = output.count("\\")
        assert backslashes <= 20, path.name
        assert backslashes <= len(output) / 100, path.name
        for line in output.splitlines():
            rest = block_start.sub("", line)
            assert not re.search(r"\\[.,:;!?'\"()/%-]", rest), line
    # Text that needs no escaping comes out as it is.
    plain = parse(next(p for p in corpus_files if p.name.startswith("001_")))
    assert "\\" not in render(plain)[0]


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.one_of(articles(), markdown_articles()), st.booleans(), st.booleans())
def test_any_article_reads_back(article: Article, with_front_matter: bool, heading: bool) -> None:
    output, context = render(article, front_matter=with_front_matter, heading=heading)
    if with_front_matter:
        output = check_front_matter(article, output)
        assert static_site_problem(output) is None, output
    assert read_back(output) == expected_blocks(article, context, heading=heading or not with_front_matter)


# --- front matter --------------------------------------------------------------------------------------------

TITLES = [
    "Kesselbach: Der Rat entscheidet",
    'Er sagte: "Nein"',
    "'einfach' und \"doppelt\"",
    "# kein Kommentar",
    "Titel # mit Raute",
    "- keine Liste",
    "@handle",
    "`Code`",
    "yes",
    "no",
    "null",
    "~",
    "true",
    "1.5",
    "0x1F",
    "2025-02-27",
    "%TAG",
    "&anchor",
    "*alias",
    "!tag",
    "{a: b}",
    "[a, b]",
    "? key",
    "| block",
    "> folded",
    "a\\b",
    "Zeile\u2028Trenner\u2029Absatz",
    "\ufeffBOM",
    "\u00a0NBSP\u00a0",
    "…",
    "---",
    "...",
    "=",
    "<<",
    "\U0001f1e9\U0001f1ea",
]


@pytest.mark.parametrize("title", TITLES)
def test_front_matter_quotes_any_title(title: str) -> None:
    article = Article(headline=title, language="de", category=title, published=dt.date(2025, 2, 27))
    data, _ = split_front_matter(front_matter(article))
    assert data == {
        "title": title,
        "date": dt.date(2025, 2, 27),
        "categories": [title],
        "lang": "de",
        "render_with_liquid": False,
    }


def test_front_matter_shape() -> None:
    article = Article(headline="Titel", language="no", category="Politik", published=dt.date(2025, 2, 27))
    assert front_matter(article) == (
        '---\ntitle: "Titel"\ndate: 2025-02-27\ncategories: ["Politik"]\nlang: "no"\nrender_with_liquid: false\n---\n'
    )


@pytest.mark.parametrize(
    ("published", "text"),
    [
        (dt.datetime(2025, 2, 27, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))), "2025-02-27T10:30:00+01:00"),
        (dt.datetime(2025, 2, 27, 10, 30, 5, 250000, tzinfo=dt.timezone.utc), "2025-02-27T10:30:05.250000+00:00"),
        (
            dt.datetime(2025, 2, 27, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=1, seconds=30))),
            "2025-02-27T09:29:30+00:00",
        ),
    ],
)
def test_front_matter_datetime(published: dt.datetime, text: str) -> None:
    article = Article(headline="H", language="de", published=published)
    matter = front_matter(article)
    assert f"\ndate: {text}\n" in matter
    data, _ = split_front_matter(matter)
    assert data["date"] == published
    assert data["date"].utcoffset() is not None


def test_front_matter_without_date_and_category() -> None:
    article = Article(headline="H", language="en")
    assert split_front_matter(front_matter(article))[0] == {"title": "H", "lang": "en", "render_with_liquid": False}


@given(articles())
def test_front_matter_any_article(article: Article) -> None:
    check_front_matter(article, front_matter(article) + "\n")


def test_front_matter_of_an_instant_outside_the_calendar_in_utc_keeps_its_date() -> None:
    # An offset with seconds becomes UTC for YAML; at year 1 that instant has no date, so the date alone is written.
    article = newsarticle.parse(
        "Lokales\nEine Meldung\n0001-01-01T00:00:00+00:00:30\n\nDer Text der Meldung steht hier.\n", language="de"
    )
    front = yaml.safe_load(newsarticle.render(article, "markdown", front_matter=True).split("---")[1])
    assert front["date"] == dt.date(1, 1, 1)
