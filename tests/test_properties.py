"""The laws of the text format and of serialization, over generated hostile input."""

from __future__ import annotations

import codecs

import attrs
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import newsarticle
from newsarticle import Article, Diagnostic, ParseError, from_dict, from_json, parse, to_dict, to_json, unparse
from newsarticle._text import find_forbidden
from strategies import HOSTILE, WHITESPACE, articles, blank_text, one_line_text

LAWS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _parse_quietly(data: str | bytes, **options: object) -> tuple[Article, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    article = parse(data, on_diagnostic=diagnostics.append, **options)  # type: ignore[arg-type]
    return article, diagnostics


@LAWS
@given(articles())
def test_parse_reads_back_what_unparse_wrote(article: Article) -> None:
    article_again, diagnostics = _parse_quietly(unparse(article), source=article.source)
    assert article_again == article
    # The canonical form needs no recovery; only an article without body is reported.
    assert [d.code for d in diagnostics] == ([] if article.sections else ["empty-body"])


@LAWS
@given(articles())
def test_canonical_text_parses_in_strict_mode(article: Article) -> None:
    text = unparse(article)
    if article.sections:
        assert parse(text, source=article.source, strict=True) == article
    else:
        with pytest.raises(ParseError) as caught:
            parse(text, strict=True)
        assert caught.value.code == "empty-body"


_METADATA_LINES = (
    "url: https://example.org/a?b=1&c", "url: /relativ", "url: https://example.org/a b", "url:",
    "author: Jane Doe", "author: \\", "Author: Jane Doe", "image: http://[::1]/x.jpg", "image: ftp://x",
    "modified: 2025-02-28", "modified: 2025-02-27T10:00", "modified: 2025-13-45", "modified: gestern",
    "description: Ein Teaser.", "tags: Stadt, Rat", "tags: a,,b", "tags: ,", "tags: a,", "\\url: x",
)  # fmt: skip
_MARKS = ("\\", "\\ ", "\\\\", "## ", "##", "lang: ", "lang:", " ", "\t", "author: ", "tags: a,", "url: ")

# Text in roughly the format's shape, with the format's marks in every position.
_LINE = st.one_of(
    one_line_text(max_pieces=4),
    st.just(""),
    st.just("   \t "),
    st.sampled_from(("\\", "\\\\", "\\ x", "## ", "## Zwischentitel", "lang: en", "lang: xx-", "See more", "Anzeige")),
    st.sampled_from(("2025-02-27", "27. Februar 2025", "2025-02-27T10:00:00+01:00", "Kurzer Titel", "Ende.")),
    # The metadata block's lines, valid and not, in every position.
    st.sampled_from(_METADATA_LINES),
    # Unicode whitespace alone (a blank line), after each of the format's marks and
    # next to text, so that it lands in every position: header, block, trailer, lang.
    blank_text(),
    st.builds(
        lambda mark, blank, after: mark + blank + after,
        st.sampled_from(_MARKS),
        blank_text(),
        st.sampled_from(("", "", "en", "x", " x", "\\")),
    ),
)
_PIECES = st.lists(st.sampled_from(("a", " ", "\n", "\r", "\t", "\\", *HOSTILE, *WHITESPACE)), max_size=40).map("".join)
_TEXTS = st.lists(_LINE, max_size=14).map("\n".join) | _PIECES


@LAWS
@given(_TEXTS)
def test_unparse_of_parse_is_a_fixed_point_after_one_step(text: str) -> None:
    try:
        article, _ = _parse_quietly(text)
    except ParseError:
        return
    once = unparse(article)
    assert unparse(_parse_quietly(once)[0]) == once


@LAWS
@given(articles())
def test_from_dict_reads_back_what_to_dict_wrote(article: Article) -> None:
    assert from_dict(to_dict(article)) == article
    assert from_json(to_json(article)) == article


def _assert_article_or_parse_error(data: str | bytes) -> None:
    try:
        article, _ = _parse_quietly(data)
    except ParseError as exc:
        error: ParseError | None = exc
    else:
        error = None
        assert isinstance(article, newsarticle.Article)
        # The parser builds its objects without re-running the validators;
        # rebuilding them with validation must accept every one.
        rebuilt = attrs.evolve(article, sections=[attrs.evolve(s) for s in article.sections])
        assert rebuilt == article
        # And what it returns obeys the laws that hold for every valid Article.
        assert _parse_quietly(unparse(article))[0] == article
        assert from_json(to_json(article)) == article
    if error is not None:
        assert error.line >= 1
        assert error.column >= 1


@LAWS
@given(st.text() | _TEXTS)
def test_any_text_gives_an_article_or_a_parse_error(text: str) -> None:
    _assert_article_or_parse_error(text)


_ENCODINGS = st.sampled_from(("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1"))


@st.composite
def _encoded_texts(draw: st.DrawFn) -> bytes:
    text = draw(_TEXTS)
    encoding = draw(_ENCODINGS)
    data = text.encode(encoding, errors="replace")
    prefix = draw(
        st.sampled_from((b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE))
    )
    return prefix + data


@LAWS
@given(st.binary() | _encoded_texts())
def test_any_bytes_give_an_article_or_a_parse_error(data: bytes) -> None:
    _assert_article_or_parse_error(data)


# Characters on either side of each line the parser draws before it decodes bytes: the controls it
# refuses and the whitespace controls it reads as blank, C1 (and NEL, also whitespace), the
# no-break space and the soft hyphen it keeps, noncharacters in and beyond the BMP, and their
# neighbours that are allowed. Not NUL: bytes with one are refused at it before anything else.
_EDGE_CHARACTERS = (
    *"\x07\x08\x0b\x0c\x1c\x1f\x7f\x80\x85\x9f\xa0\xad\u2028\ufdcf\ufdd0\ufdef\ufdf0\ufffd\ufffe\uffff",
    *"\U0001fffd\U0001fffe\U0001ffff\U0010fffe\U0010ffff\U0001f600üß€„–",
)
_EDGE_TEXTS = st.lists(_LINE | st.sampled_from(_EDGE_CHARACTERS), max_size=14).map("\n".join) | st.lists(
    st.sampled_from(("a", " ", "\n", *_EDGE_CHARACTERS)), max_size=40
).map("".join)


@LAWS
@given(_EDGE_TEXTS)
@example("Politik\nHaushalt\n2025-02-27\n\nDer Etat\xa0steigt\x85 um 5\xa0%.")  # C1 beside a no-break space
@example("Politik\nHaushalt\n2025-02-27\n\xa0\u2028\nDer Etat steigt.\n\xa0\n")  # lines of whitespace alone
def test_utf8_bytes_read_as_the_text_they_encode(text: str) -> None:
    outcomes = []
    for data in (text, text.encode("utf-8")):
        try:
            outcomes.append(_parse_quietly(data))
        except ParseError as exc:
            outcomes.append((exc.code, exc.line, exc.column))
    assert outcomes[0] == outcomes[1]


def _holds_refused_character(text: str) -> bool:
    """Whether a line of ``text`` that is not blank holds a character that no model string may hold."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return any(find_forbidden(line) is not None and not line.strip(" \t").isspace() for line in lines)


@LAWS
@given(_EDGE_TEXTS)
@example("Politik\nHaushalt\n2025-02-27\n\nDer Etat\xa0steigt\x85 um 5\xa0%.")
@example("Politik\nHaushalt\n2025-02-27\n\nDer Etat steigt\ufdd0.")
@example("Politik\nHaushalt\n2025-02-27\n\nDer Etat steigt\udc80.")  # a lone surrogate, only in a str
@example("Politik\nHaus\x1fhalt\n2025-02-27\n\x1c\n\nDer Etat steigt.")  # a separator control: blank alone
def test_text_is_refused_exactly_when_a_line_holds_a_forbidden_character(text: str) -> None:
    try:
        _parse_quietly(text)
    except ParseError as exc:
        refused = exc.code == "binary"
    else:
        refused = False
    assert refused == _holds_refused_character(text)
