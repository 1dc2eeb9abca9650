"""The text renderer: plain text for people, localized, wrapped without breaking words, URLs or no-break spaces."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsarticle
from newsarticle import Article, OptionError, Section
from newsarticle._i18n import formatter_for
from newsarticle.renderers.text import display_width, wrap
from strategies import articles

SEPARATOR = " \u00b7 "
URL = re.compile(r"https?://\S+")


def parse(path: Path) -> Article:
    return newsarticle.parse_file(path, on_diagnostic=lambda d: None)


def render(article: Article, **options: object) -> str:
    output = newsarticle.render(article, "text", **options)  # type: ignore[arg-type]
    assert isinstance(output, str)
    return output


def corpus(corpus_files: list[Path], prefix: str) -> Article:
    return parse(next(path for path in corpus_files if path.name.startswith(prefix)))


def body_blocks(article: Article, output: str) -> list[str]:
    """The blocks after the header (category, headline, meta line)."""
    assert output.endswith("\n")
    assert not output.endswith("\n\n")
    header = (article.category is not None) + 1 + (article.published is not None or bool(article.sections))
    return output[:-1].split("\n\n")[header:]


def check_wrapped(text: str, block: str, width: int) -> None:
    """``block`` is ``text`` broken at spaces only, each line within ``width`` unless it is one word."""
    lines = block.split("\n")
    assert " ".join(lines) == text
    for line in lines:
        assert line == line.strip(" ")
        if width:
            assert display_width(line) <= width or " " not in line, line


def check_body(article: Article, output: str, width: int) -> None:
    """Subheadings (underlined) and paragraphs follow the header, in order, each wrapped at ``width``."""
    blocks = body_blocks(article, output)
    index = 0
    for section in article.sections:
        if section.heading is not None:
            heading, underline = blocks[index].rsplit("\n", 1)
            check_wrapped(section.heading, heading, width)
            assert underline == "-" * max(1, *map(display_width, heading.split("\n")))
            index += 1
        for paragraph in section.paragraphs:
            check_wrapped(paragraph, blocks[index], width)
            index += 1
    assert index == len(blocks)


SIMPLE = Article(
    headline="Neue Brücke für Kesselbach",
    language="de",
    category="Politik",
    published=dt.date(2025, 2, 27),
    sections=[
        Section(paragraphs=["Der Rat hat entschieden."]),
        Section(heading="Wie es weitergeht", paragraphs=["Gebaut wird ab März."]),
    ],
)


def test_registered() -> None:
    info = {f.name: f for f in newsarticle.formats()}["text"]
    assert (info.suffix, info.media_type) == (".txt", "text/plain")
    assert info.plugin == "newsarticle.renderers.text"
    assert {option.name: option.default for option in info.options} == {
        "width": 72,
        "date_format": "long",
        "timezone": None,
    }


def test_layout_german() -> None:
    assert render(SIMPLE) == (
        "Politik\n\n"
        "Neue Brücke für Kesselbach\n"
        "==========================\n\n"
        "Veröffentlicht am 27. Februar 2025 · 11 Wörter · 1 Minute Lesezeit\n\n"
        "Der Rat hat entschieden.\n\n"
        "Wie es weitergeht\n"
        "-----------------\n\n"
        "Gebaut wird ab März.\n"
    )


def test_layout_english() -> None:
    assert render(SIMPLE, locale="en").split("\n\n")[2] == "Published February 27, 2025 · 11 words · 1 min read"


def _words(count: int) -> Article:
    return Article(
        headline="H",
        language="de",
        published=dt.date(2025, 2, 27),
        sections=[Section(paragraphs=[" ".join(["Wort"] * count)])],
    )


@pytest.mark.parametrize(
    ("locale", "meta"),
    [
        ("de", "Veröffentlicht am 27. Februar 2025 · 1.234 Wörter · 6 Minuten Lesezeit"),
        ("de_AT", "Veröffentlicht am 27. Februar 2025 · 1.234 Wörter · 6 Minuten Lesezeit"),
        ("de_CH", "Veröffentlicht am 27. Februar 2025 · 1'234 Wörter · 6 Minuten Lesezeit"),
        ("en", "Published February 27, 2025 · 1,234 words · 6 min read"),
        ("en_GB", "Published 27 February 2025 · 1,234 words · 6 min read"),
        ("fr", "Publié le 27 février 2025 · 1\u202f234 mots · 6 min de lecture"),
    ],
)
def test_meta_line_spelled_out(locale: str, meta: str) -> None:
    assert render(_words(1234), locale=locale, width=0).split("\n\n")[1] == meta


@pytest.mark.parametrize(
    ("words", "german", "english"),
    [
        (1, "1 Wort · 1 Minute Lesezeit", "1 word · 1 min read"),
        (2, "2 Wörter · 1 Minute Lesezeit", "2 words · 1 min read"),
        (1000, "1.000 Wörter · 5 Minuten Lesezeit", "1,000 words · 5 min read"),
        (1_000_000, "1.000.000 Wörter · 5.000 Minuten Lesezeit", "1,000,000 words · 5,000 min read"),
    ],
)
def test_meta_line_plurals(words: int, german: str, english: str) -> None:
    article = _words(words)
    assert render(article, locale="de", width=0).split("\n\n")[1] == "Veröffentlicht am 27. Februar 2025 · " + german
    assert render(article, locale="en", width=0).split("\n\n")[1] == "Published February 27, 2025 · " + english


def test_meta_line_is_the_formatters_output(corpus_files: list[Path]) -> None:
    """Whatever the catalogs say, the line is the render context's formatter output, joined by middle dots."""
    article = corpus(corpus_files, "001_")
    assert article.published is not None
    for locale in ("de", "de_AT", "de_CH", "en", "en_GB", "fr", "it"):
        formatter = formatter_for(locale)
        expected = SEPARATOR.join(
            [
                f"{formatter.gettext('Published')} {formatter.date(article.published)}",
                formatter.words(article.word_count),
                formatter.reading_time(article.reading_time),
            ]
        )
        assert render(article, locale=locale, width=0).split("\n\n")[2] == expected


def test_date_options() -> None:
    published = dt.datetime(2025, 1, 31, 23, 30, tzinfo=dt.timezone.utc)
    article = Article(headline="H", language="de", published=published, sections=[Section(paragraphs=["Wort"])])
    meta = render(article, width=0).split("\n\n")[1]
    assert meta == "Veröffentlicht am " + formatter_for("de").date(published) + " · 1 Wort · 1 Minute Lesezeit"
    assert meta.startswith("Veröffentlicht am 31. Januar 2025")
    zoned = render(article, width=0, timezone="Europe/Vienna", locale="de_AT").split("\n\n")[1]
    assert zoned.startswith("Veröffentlicht am 1. Februar 2025")
    assert "00:30" in zoned
    assert render(article, date_format="short").split("\n\n")[1].startswith("Veröffentlicht am 31.01.25")
    assert render(article, date_format="d. MMMM").split("\n\n")[1].startswith("Veröffentlicht am 31. Januar")


def test_without_category_date_and_body() -> None:
    assert render(Article(headline="Nur das", language="de")) == "Nur das\n=======\n"
    dated = Article(headline="Nur das", language="de", published=dt.date(2025, 3, 1))
    assert render(dated) == "Nur das\n=======\n\nVeröffentlicht am 1. März 2025\n"
    assert render(dated, locale="en") == "Nur das\n=======\n\nPublished March 1, 2025\n"


# --- wrapping ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [0, 1, 10, 20, 40, 72, 100])
def test_corpus_wrapping(corpus_files: list[Path], width: int) -> None:
    for path in corpus_files:
        article = parse(path)
        output = render(article, width=width)
        check_body(article, output, width)
        if width == 0:
            blocks = output[:-1].split("\n\n")
            assert len(output.splitlines()) == 2 * len(blocks) - 1 + 1 + len(article.headings), path.name


def test_default_width_is_72(corpus_files: list[Path]) -> None:
    output = render(corpus(corpus_files, "006_"))
    assert max(map(display_width, output.splitlines())) == 72


def test_urls_stay_whole(corpus_files: list[Path]) -> None:
    for prefix in ("008_", "027_"):
        article = corpus(corpus_files, prefix)
        urls = [url for paragraph in article.paragraphs for url in URL.findall(paragraph)]
        assert urls
        for width in (10, 30, 72):
            words = render(article, width=width).split()
            for url in urls:
                assert url in words, (url, width)


def test_no_break_spaces_kept(corpus_files: list[Path]) -> None:
    article = corpus(corpus_files, "014_")
    source = "".join(article.paragraphs)
    assert "\u00a0" in source
    assert "\u202f" in source
    for width in (0, 8, 20, 72):
        output = render(article, width=width)
        for space in ("\u00a0", "\u202f"):
            assert output.count(space) == source.count(space) + article.headline.count(space)
        for glued in ("5\u00a0%", "38,5\u00a0°C", "z.\u202fB."):
            assert glued in source
            assert glued in output


@pytest.mark.parametrize(
    "text",
    [
        "eins \u00a0 zwei drei vier",
        "eins zwei \u202f drei",
        "eins zwei\u00a0drei vier",
        "eins \u00a0",
        "\u202f eins",
        "\u2028 Zeilentrenner \u2029",
    ],
)
def test_no_break_space_never_lost(text: str) -> None:
    for width in range(1, len(text) + 2):
        lines = wrap(text, width)
        assert " ".join(lines) == text
        assert all(not line.startswith(" ") and not line.endswith(" ") for line in lines)


def test_textwrap_would_lose_no_break_spaces() -> None:
    """Why the renderer has its own wrap(): textwrap drops a no-break space standing between spaces at a break."""
    wrapper = textwrap.TextWrapper(width=10, break_long_words=False, break_on_hyphens=False)
    assert "\u00a0" not in "".join(wrapper.wrap("aaaa bbbb \u00a0 cccc dddd"))
    assert "\u00a0" in "".join(wrap("aaaa bbbb \u00a0 cccc dddd", 10))


def test_wrap_examples() -> None:
    assert wrap("eins zwei drei", 9) == ["eins zwei", "drei"]
    assert wrap("eins zwei drei", 8) == ["eins", "zwei", "drei"]
    assert wrap("https://example.org/ein/sehr/langer/pfad x", 10) == ["https://example.org/ein/sehr/langer/pfad", "x"]
    assert wrap("Gemeinde-Entwicklungs-Gesellschaft mbH", 12) == ["Gemeinde-Entwicklungs-Gesellschaft", "mbH"]
    assert wrap("eins zwei", 0) == ["eins zwei"]
    assert wrap("日本語 日本語", 8) == ["日本語", "日本語"]
    assert wrap("Mu\u0308nchen ist schön", 11) == ["Mu\u0308nchen ist", "schön"]


def test_display_width() -> None:
    assert display_width("abc") == 3
    assert display_width("Grüße") == 5
    assert display_width("Gru\u0308ße") == 5
    assert display_width("日本") == 4
    assert display_width("a\u200bb") == 2


def test_headline_wrapped_and_underlined() -> None:
    article = Article(headline="Eine ziemlich lange Überschrift über den Haushalt", language="de")
    assert render(article, width=20) == "Eine ziemlich lange\nÜberschrift über den\nHaushalt\n====================\n"


def test_meta_line_breaks_between_items() -> None:
    assert (
        render(SIMPLE, width=40).split("\n\n")[2]
        == "Veröffentlicht am 27. Februar 2025 ·\n11 Wörter · 1 Minute Lesezeit"
    )


def meta_block(article: Article, output: str) -> str:
    return output.split("\n\n")[1 + (article.category is not None)]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=80), st.sampled_from(["de", "en", "fr", "de_CH"]))
def test_meta_separator_survives_wrapping(width: int, locale: str) -> None:
    # The dot between date, word count and reading time stays at the end of the line it follows:
    # no line starts with it or holds it alone, and the lines joined give the unwrapped meta line.
    unwrapped = meta_block(SIMPLE, render(SIMPLE, width=0, locale=locale))
    items = unwrapped.split(SEPARATOR)
    lines = meta_block(SIMPLE, render(SIMPLE, width=width, locale=locale)).split("\n")
    assert " ".join(lines) == unwrapped
    for line in lines:
        assert not line.startswith("\u00b7")
        assert line.strip(" \u00b7")
        # Within the width, unless an item (with its dot) is wider on its own.
        assert display_width(line) <= width or any(line in (item, item + " \u00b7") for item in items), line


@pytest.mark.parametrize("width", [-1, True, "72", 7.5])
def test_bad_width(width: object) -> None:
    with pytest.raises(OptionError, match="width"):
        render(SIMPLE, width=width)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(articles(), st.sampled_from([0, 1, 12, 40, 72]), st.sampled_from(["de", "en", "fr", "de_CH"]))
def test_any_article(article: Article, width: int, locale: str) -> None:
    output = render(article, width=width, locale=locale)
    head = output[:-1].split("\n\n", 2)
    if article.category is not None:
        check_wrapped(article.category, head.pop(0), width)
    headline, underline = head[0].rsplit("\n", 1)
    check_wrapped(article.headline, headline, width)
    assert underline == "=" * max(1, *map(display_width, headline.split("\n")))
    check_body(article, output, width)


_NARROW_WORDS = [
    "Brücke",
    "„Rat“",
    "–",
    "z.\u00a0B.",
    "5\u00a0%",
    "https://example.org/a/very/long/path/to/an/article",
    "a",
    "Οδός",
]


def _narrow_paragraph() -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(_NARROW_WORDS), min_size=1, max_size=40).map(" ".join)


@st.composite
def _narrow_articles(draw: st.DrawFn) -> Article:
    count = draw(st.integers(1, 4))
    sections = [
        Section(
            heading=None if index == 0 and draw(st.booleans()) else draw(_narrow_paragraph()),
            paragraphs=draw(st.lists(_narrow_paragraph(), min_size=1, max_size=4)),
        )
        for index in range(count)
    ]
    return Article(headline="Neue Brücke", language="de", sections=sections)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.one_of(articles(), _narrow_articles()), st.sampled_from([1, 5, 12, 40, 72]))
def test_body_wrapped_as_each_block_alone(article: Article, width: int) -> None:
    """Narrow text is wrapped in one pass over the whole body; each block gets the lines wrap() gives it alone."""
    expected: list[str] = []
    for section in article.sections:
        if section.heading is not None:
            lines = wrap(section.heading, width)
            expected.append("\n".join([*lines, "-" * max(1, *map(display_width, lines))]))
        expected += ["\n".join(wrap(paragraph, width)) for paragraph in section.paragraphs]
    assert body_blocks(article, render(article, width=width)) == expected


@pytest.mark.parametrize(
    "sections",
    [
        # A one-line paragraph with the text of the subheading after it.
        [Section(paragraphs=["Ausblick", "Rat tagt."]), Section(heading="Ausblick", paragraphs=["Mehr."])],
        # A longer paragraph whose last line is the subheading's text.
        [Section(paragraphs=["Der Rat tagt morgen wieder " + "lang " * 3 + "Ausblick"]),
         Section(heading="Ausblick", paragraphs=["Mehr."])],
        # Two subheadings alike, the first block a subheading, one that wraps.
        [Section(heading="Ausblick", paragraphs=["Ausblick zwei"]), Section(heading="Ausblick", paragraphs=["Ja."]),
         Section(heading="Ein sehr langer Zwischentitel, der umbricht", paragraphs=["Ende."])],
    ],
    ids=["one-line paragraph like the subheading", "last line like the subheading", "alike, first, wrapping"],
)  # fmt: skip
def test_subheadings_found_among_the_wrapped_lines(sections: list[Section]) -> None:
    """The underline goes after the subheading, never after a paragraph line that reads the same."""
    article = Article(headline="Neue Brücke", language="de", sections=sections)
    expected: list[str] = []
    for section in article.sections:
        if section.heading is not None:
            lines = wrap(section.heading, 30)
            expected.append("\n".join([*lines, "-" * max(map(display_width, lines))]))
        expected += ["\n".join(wrap(paragraph, 30)) for paragraph in section.paragraphs]
    assert body_blocks(article, render(article, width=30)) == expected
