"""parse() and parse_file(): decoding, layout, header recovery, dates, blocks, trailer, language."""

from __future__ import annotations

import codecs
import datetime as dt
import os
import pickle
from pathlib import Path

import attrs
import pytest

import newsarticle
from newsarticle import (
    DEFAULT_TRAILER_LINES,
    Article,
    Diagnostic,
    ParseError,
    ParseWarning,
    Section,
    from_json,
    parse,
    parse_file,
    to_json,
    unparse,
)
from strategies import SEPARATORS

GERMAN = (
    "Der Gemeinderat hat am Dienstag mit großer Mehrheit für den neuen Haushalt gestimmt. "
    "Die Stadt will auch im kommenden Jahr nicht auf die Sanierung der Brücke verzichten."
)
ENGLISH = (
    "The council voted on Tuesday to approve the budget for the new bridge. "
    "It is the first time that the town has agreed on a plan with the county."
)


def text(*, category: str = "Politik", headline: str = "Rat beschließt Haushalt", date: str = "2025-02-27",
         body: str = GERMAN) -> str:  # fmt: skip
    return f"{category}\n{headline}\n{date}\n\n{body}\n"


def quiet(data: str | bytes, **options: object) -> tuple[Article, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    article = parse(data, on_diagnostic=diagnostics.append, **options)  # type: ignore[arg-type]
    return article, diagnostics


def codes(diagnostics: list[Diagnostic]) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in diagnostics]


# -- decoding ---------------------------------------------------------------

REFERENCE = text(body=f"Für 5\u00a0€ gibt’s „nichts“ – {GERMAN}")


@pytest.mark.parametrize(
    "data",
    [
        REFERENCE.encode("utf-8"),
        codecs.BOM_UTF8 + REFERENCE.encode("utf-8"),
        "\ufeff" + REFERENCE,
        codecs.BOM_UTF16_LE + REFERENCE.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + REFERENCE.encode("utf-16-be"),
        REFERENCE.encode("utf-16"),
        REFERENCE.replace("\n", "\r\n").encode("utf-8"),
        REFERENCE.replace("\n", "\r"),
        REFERENCE.rstrip("\n"),
        "\n\n \t\n" + REFERENCE + "\n \n\n",
    ],
    ids=[
        "utf8",
        "utf8-bom",
        "str-bom",
        "utf16le-bom",
        "utf16be-bom",
        "utf16-native",
        "crlf",
        "cr",
        "no-final-newline",
        "blank-lines-around",
    ],
)
def test_harmless_layout_variants_read_silently(data: str | bytes) -> None:
    article, diagnostics = quiet(data)
    assert diagnostics == []
    assert article == parse(REFERENCE)
    assert article.category == "Politik"  # no BOM left in the first field
    assert article.paragraphs[0].startswith("Für 5\u00a0€ gibt’s „nichts“ – Der")


def test_cp1252_fallback_is_a_diagnostic_with_line_and_column() -> None:
    data = text(headline="Haushalt", body="Für 5 € gibt’s nichts. " + GERMAN).encode("cp1252")
    article, diagnostics = quiet(data, source="alt.txt")
    assert article.paragraphs[0].startswith("Für 5 € gibt’s nichts.")
    [diagnostic] = diagnostics
    assert (diagnostic.code, diagnostic.line, diagnostic.column, diagnostic.source) == (
        "encoding-fallback",
        5,
        2,
        "alt.txt",
    )
    assert str(diagnostic).startswith("alt.txt:5:2: encoding-fallback: ")
    assert "Windows-1252" in diagnostic.message


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_cp1252_fallback_is_placed_where_the_text_has_the_byte_whatever_the_line_ends(newline: str) -> None:
    data = newline.join(["Politik", "Haushalt", "2025-02-27", "", "Die Straße wird gebaut."]).encode("cp1252")
    _, [diagnostic] = quiet(data)
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("encoding-fallback", 5, 9)


def test_a_str_subclass_is_checked_as_the_text_it_holds() -> None:
    class Lying(str):
        def encode(self, *args: object, **kwargs: object) -> bytes:  # type: ignore[override]
            return b""

    with pytest.raises(ParseError) as caught:
        quiet(Lying(text().replace("Brücke", "Br\x07cke", 1)))
    assert (caught.value.code, caught.value.line) == ("binary", 5)


def test_cp1252_fallback_is_an_error_in_strict_mode() -> None:
    data = text(headline="Haushalt", body="Für 5 € gibt’s nichts. " + GERMAN).encode("cp1252")
    with pytest.raises(ParseError) as caught:
        parse(data, strict=True, source="alt.txt")
    assert (caught.value.code, caught.value.line, caught.value.column) == ("encoding-fallback", 5, 2)


def test_diagnostics_become_warnings_without_a_handler() -> None:
    data = text(headline="Haushalt", body="Für 5 € gibt’s nichts. " + GERMAN).encode("cp1252")
    with pytest.warns(ParseWarning, match=r"^<string>:5:2: encoding-fallback: "):
        article = parse(data)
    assert article.headline == "Haushalt"


@pytest.mark.parametrize(
    ("data", "line", "column"),
    [
        (b"\x00\x01\x02\x03binary", 1, 1),
        (text().encode("utf-8").replace(b"Haushalt", b"Haus\x00halt", 1), 2, 20),
        (text().replace("Haushalt", "Haus\x00halt", 1), 2, 20),
        (text().replace("Brücke", "Br\x07cke", 1), 5, GERMAN.index("Brücke") + 3),
        (b"Politik\n\x81\x8d\x8f\x90", 2, 1),
        # Not the first byte that is not UTF-8 (0xE4, Windows-1252's "ä"), the one neither reads.
        (b"Politik\nHaushalt\n2025-02-27\n\n\xe4abc\nx\x81y", 6, 2),
        # Lines that end in CR alone are lines, in bytes as in text.
        (b"Politik\rHaushalt\r2025-02-27\r\rx\x00", 5, 2),
        (b"Politik\r\nHaushalt\r\n2025-02-27\r\n\r\nx\x07", 5, 2),
    ],
    ids=[
        "nul-first",
        "nul-bytes",
        "nul-str",
        "control-char",
        "undefined-in-cp1252",
        "undefined-after-cp1252",
        "nul-after-cr",
        "control-after-crlf",
    ],
)
def test_binary_content_is_an_error_in_both_modes(data: str | bytes, line: int, column: int) -> None:
    for strict in (False, True):
        with pytest.raises(ParseError) as caught:
            quiet(data, strict=strict, source="x.bin")
        assert (caught.value.code, caught.value.line, caught.value.column) == ("binary", line, column)
        assert str(caught.value).startswith(f"x.bin:{line}:{column}: expected ")


def test_broken_utf16_after_its_byte_order_mark_is_an_error() -> None:
    data = codecs.BOM_UTF16_LE + text().encode("utf-16-le") + b"\x00"
    with pytest.raises(ParseError, match="UTF-16") as caught:
        quiet(data)
    assert (caught.value.code, caught.value.line) == ("encoding", 1)


@pytest.mark.parametrize("data", ["", b"", "\n \n\t\n", b"\xef\xbb\xbf\r\n"])
def test_empty_input_is_an_error_in_both_modes(data: str | bytes) -> None:
    for strict in (False, True):
        with pytest.raises(ParseError, match="empty file") as caught:
            quiet(data, strict=strict)
        assert caught.value.code == "empty"


def test_other_input_types_are_a_type_error() -> None:
    with pytest.raises(TypeError, match="str or bytes"):
        parse(42)  # type: ignore[arg-type]


# -- lines ---------------------------------------------------------------------


def test_spaces_and_tabs_collapse_but_every_other_character_stays() -> None:
    body = "  Ein\t\tAbsatz   mit  <b>&amp;</b> *Stern* _x_ `code` # und\u00a0„Zitat“ \u202f %  \t\n" + GERMAN
    article, _ = quiet(text(category=" Politik\t ", headline="Titel \t mit  Lücken", body=body))
    assert article.category == "Politik"
    assert article.headline == "Titel mit Lücken"
    assert article.paragraphs[0].startswith(
        "Ein Absatz mit <b>&amp;</b> *Stern* _x_ `code` # und\u00a0„Zitat“ \u202f % Der "
    )


def test_hard_wrapped_lines_join_with_one_space() -> None:
    body = "Der erste Absatz ist\nüber drei Zeilen\numbrochen.\n\n" + GERMAN
    article, diagnostics = quiet(text(body=body))
    assert diagnostics == []
    assert article.paragraphs == ("Der erste Absatz ist über drei Zeilen umbrochen.", GERMAN)


# -- header recovery -----------------------------------------------------------


def test_missing_date_is_recovered_and_reported() -> None:
    data = f"Politik\nRat beschließt Haushalt\n\n{GERMAN}\n"
    article, diagnostics = quiet(data)
    assert (article.category, article.headline, article.published) == ("Politik", "Rat beschließt Haushalt", None)
    assert article.paragraphs == (GERMAN,)
    assert codes(diagnostics) == [("missing-date", 4)]


def test_missing_date_without_blank_line_keeps_the_body_line() -> None:
    article, diagnostics = quiet(f"Politik\nRat beschließt Haushalt\n{GERMAN}\n")
    assert article.published is None
    assert article.paragraphs == (GERMAN,)
    assert codes(diagnostics) == [("missing-date", 3)]


def test_missing_category_is_recovered_and_reported() -> None:
    article, diagnostics = quiet(f"\n\nRat beschließt Haushalt\n27.02.2025\n\n{GERMAN}\n")
    assert (article.category, article.headline, article.published) == (
        None,
        "Rat beschließt Haushalt",
        dt.date(2025, 2, 27),
    )
    assert codes(diagnostics) == [("missing-category", 3)]


def test_one_line_file_is_a_headline_without_body() -> None:
    article, diagnostics = quiet("Rat beschließt Haushalt\n", language="de")
    assert (article.category, article.headline, article.published, article.sections) == (
        None,
        "Rat beschließt Haushalt",
        None,
        (),
    )
    assert codes(diagnostics) == [("missing-headline", 1), ("empty-body", 2)]


def test_empty_body_is_reported() -> None:
    article, diagnostics = quiet("Politik\nRat beschließt Haushalt\n2025-02-27\n\n\n", language="de")
    assert article.sections == ()
    assert article.reading_time == 0
    assert codes(diagnostics) == [("empty-body", 4)]


def test_body_of_trailer_lines_only_is_empty() -> None:
    article, diagnostics = quiet(
        "Politik\nRat beschließt Haushalt\n2025-02-27\n\nmore stories\nSee more\n", language="de"
    )
    assert (article.sections, article.trailer) == ((), ("more stories", "See more"))
    assert codes(diagnostics) == [("empty-body", 4)]


@pytest.mark.parametrize(
    ("data", "code", "line"),
    [
        (f"Politik\nRat beschließt Haushalt\n\n{GERMAN}\n", "missing-date", 4),
        (f"Rat beschließt Haushalt\n2025-02-27\n\n{GERMAN}\n", "missing-category", 1),
        ("Rat beschließt Haushalt\n", "missing-headline", 1),
        ("Politik\nRat beschließt Haushalt\n2025-02-27\n", "empty-body", 4),
        (text(date="2025-02-27 14:30"), "time-without-offset", 3),
        (text(date="Freitag, 27. Februar 2025"), "weekday-mismatch", 3),
        (text(body="Kurzer Text."), "language-guess", 4),
    ],
)
def test_strict_mode_turns_each_recovery_into_an_error(data: str, code: str, line: int) -> None:
    _, diagnostics = quiet(data, language=None if code == "language-guess" else "de")
    assert diagnostics[0].code == code
    with pytest.raises(ParseError) as caught:
        parse(data, strict=True, source="a.txt", language=None if code == "language-guess" else "de")
    assert (caught.value.code, caught.value.line, caught.value.source) == (code, line, "a.txt")
    assert "strict" in str(caught.value)


def test_strict_mode_accepts_a_clean_article() -> None:
    article = parse(text(), strict=True)
    assert article.paragraphs == (GERMAN,)


# -- dates ---------------------------------------------------------------------

CET = dt.timezone(dt.timedelta(hours=1))
INDIA_WEST = dt.timezone(-dt.timedelta(hours=5, minutes=30))  # a negative offset with minutes


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2025-02-27", dt.date(2025, 2, 27)),
        ("27.02.2025", dt.date(2025, 2, 27)),
        ("3.3.2025", dt.date(2025, 3, 3)),
        ("27. Februar 2025", dt.date(2025, 2, 27)),
        ("3. März 2025", dt.date(2025, 3, 3)),
        ("Donnerstag, 27. Februar 2025", dt.date(2025, 2, 27)),
        ("Donnerstag 27. Februar 2025", dt.date(2025, 2, 27)),
        ("27. Feb. 2025", dt.date(2025, 2, 27)),
        ("3. Jänner 2025", dt.date(2025, 1, 3)),
        ("3. Jän. 2025", dt.date(2025, 1, 3)),
        ("February 27, 2025", dt.date(2025, 2, 27)),
        ("Thursday, February 27, 2025", dt.date(2025, 2, 27)),
        ("Feb. 27, 2025", dt.date(2025, 2, 27)),
        ("27 February 2025", dt.date(2025, 2, 27)),
        ("2025-02-27T14:30:00+01:00", dt.datetime(2025, 2, 27, 14, 30, tzinfo=CET)),
        ("2025-02-27T14:30+01:00", dt.datetime(2025, 2, 27, 14, 30, tzinfo=CET)),
        ("2025-02-27T13:30:00Z", dt.datetime(2025, 2, 27, 13, 30, tzinfo=dt.timezone.utc)),
        ("2025-02-27T14:30:00.250-05:30", dt.datetime(2025, 2, 27, 14, 30, 0, 250000, tzinfo=INDIA_WEST)),
    ],
)  # fmt: skip
def test_date_forms(line: str, expected: dt.date) -> None:
    article, diagnostics = quiet(text(date=line), source="a.txt")
    assert diagnostics == []
    assert article.published == expected
    assert type(article.published) is type(expected)
    if isinstance(expected, dt.datetime):
        assert article.published.utcoffset() == expected.utcoffset()  # type: ignore[union-attr]


def test_time_without_offset_keeps_only_the_date() -> None:
    article, diagnostics = quiet(text(date="2025-02-27T14:30"))
    assert article.published == dt.date(2025, 2, 27)
    assert type(article.published) is dt.date
    assert codes(diagnostics) == [("time-without-offset", 3)]


def test_wrong_weekday_keeps_the_date_and_says_so() -> None:
    article, diagnostics = quiet(text(date="Freitag, 27. Februar 2025"))
    assert article.published == dt.date(2025, 2, 27)
    assert codes(diagnostics) == [("weekday-mismatch", 3)]
    assert "Thursday" in diagnostics[0].message


def test_a_word_before_the_date_that_is_no_weekday_is_ignored_and_reported() -> None:
    article, diagnostics = quiet(text(date="Heute, 27. Februar 2025"))
    assert article.published == dt.date(2025, 2, 27)
    assert codes(diagnostics) == [("unknown-weekday", 3)]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("2025-13-45", "there is no month 13"),
        ("2025-02-30", "February 2025 has 28 days"),
        ("2024-02-30", "February 2024 has 29 days"),
        ("31.04.2025", "April 2025 has 30 days"),
        ("30. Februar 2025", "February 2025 has 28 days"),
        ("0000-01-01", "there is no year 0"),
    ],
)
def test_impossible_dates_are_errors_in_both_modes(line: str, reason: str) -> None:
    for strict in (False, True):
        with pytest.raises(ParseError) as caught:
            quiet(text(date=line), source="article.txt", strict=strict)
        assert str(caught.value) == f'article.txt:3:1: expected a date such as 2025-02-27, found "{line}" ({reason})'
        assert (caught.value.line, caught.value.column, caught.value.code) == (3, 1, "invalid-date")


def test_parse_error_is_a_value_error_that_survives_pickling() -> None:
    with pytest.raises(ValueError, match="no month 13") as caught:
        parse(text(date="2025-13-45"), source="article.txt")
    error = caught.value
    assert isinstance(error, ParseError)
    assert (error.source, error.line, error.column) == ("article.txt", 3, 1)
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.source, copy.line, copy.column, copy.code) == (
        str(error), error.source, error.line, error.column, error.code,
    )  # fmt: skip


def test_parse_error_without_source_names_the_string() -> None:
    with pytest.raises(ParseError) as caught:
        parse(text(date="2025-13-45"))
    assert str(caught.value).startswith("<string>:3:1: ")


# -- blocks and subheadings ----------------------------------------------------


def blocks(*items: str) -> str:
    return text(body="\n\n".join(items))


def structure(article: Article) -> list[tuple[str | None, tuple[str, ...]]]:
    return [(s.heading, s.paragraphs) for s in article.sections]


def test_a_short_line_without_final_punctuation_between_paragraphs_is_a_subheading() -> None:
    article, _ = quiet(blocks(GERMAN, "Die Folgen für Kesselbach", ENGLISH, "Was bleibt", "Ende."))
    assert structure(article) == [
        (None, (GERMAN,)),
        ("Die Folgen für Kesselbach", (ENGLISH,)),
        ("Was bleibt", ("Ende.",)),
    ]
    assert article.paragraphs == (GERMAN, ENGLISH, "Ende.")
    assert article.headings == ("Die Folgen für Kesselbach", "Was bleibt")


@pytest.mark.parametrize(
    "block",
    [
        "Ein Satz.", "Wirklich?", "Achtung!", "Es folgt:", "Erstens;", "Und dann …",
        "Er sagte „Nein“", "Sie sagte »Ja«", "Er sagte 'Nein'", "Er sagte ‘Nein’", 'Er sagte "Nein"',
        "(Archivbild)", "[Update]", "x" * 101,
    ],
)  # fmt: skip
def test_lines_that_end_like_prose_or_are_long_stay_paragraphs(block: str) -> None:
    article, _ = quiet(blocks(GERMAN, block, ENGLISH))
    assert structure(article) == [(None, (GERMAN, block, ENGLISH))]


def test_a_line_of_exactly_100_characters_can_be_a_subheading() -> None:
    heading = "x" * 100
    article, _ = quiet(blocks(GERMAN, heading, ENGLISH))
    assert article.headings == (heading,)


def test_first_and_last_blocks_are_never_subheadings_by_shape() -> None:
    article, _ = quiet(blocks("Vorspann ohne Punkt", GERMAN, "Foto: Archiv"))
    assert structure(article) == [(None, ("Vorspann ohne Punkt", GERMAN, "Foto: Archiv"))]


def test_a_wrapped_block_is_never_a_subheading() -> None:
    article, _ = quiet(blocks(GERMAN, "Zwei kurze\nZeilen", ENGLISH))
    assert structure(article) == [(None, (GERMAN, "Zwei kurze Zeilen", ENGLISH))]


def test_two_subheading_like_lines_in_a_row_the_first_is_the_heading() -> None:
    article, _ = quiet(blocks(GERMAN, "Erste Zeile", "Zweite Zeile", ENGLISH))
    assert structure(article) == [(None, (GERMAN,)), ("Erste Zeile", ("Zweite Zeile", ENGLISH))]


def test_in_a_longer_run_only_the_first_is_the_heading() -> None:
    article, _ = quiet(blocks(GERMAN, "Eins", "Zwei", "Drei", ENGLISH))
    assert structure(article) == [(None, (GERMAN,)), ("Eins", ("Zwei", "Drei", ENGLISH))]


def test_heading_mark_forces_a_heading_anywhere_but_at_the_end() -> None:
    long_line = "Ein Zwischentitel, der wie ein Satz endet." + " x" * 60
    article, _ = quiet(blocks("## Auftakt.", GERMAN, f"## {long_line}", ENGLISH, "## Zum Schluss"))
    assert structure(article) == [("Auftakt.", (GERMAN,)), (long_line, (ENGLISH, "## Zum Schluss"))]


def test_in_a_run_the_marked_heading_wins() -> None:
    article, _ = quiet(blocks(GERMAN, "Kurze Zeile", "## Echter Titel", "## Noch einer", ENGLISH))
    assert structure(article) == [
        (None, (GERMAN, "Kurze Zeile")),
        ("Echter Titel", ("## Noch einer", ENGLISH)),
    ]


def test_leading_backslash_forces_a_paragraph() -> None:
    article, _ = quiet(blocks(GERMAN, "\\Kurze Zeile", "\\## Kein Titel", "\\\\Pfad", "\\ Mit Leerzeichen", ENGLISH))
    assert structure(article) == [
        (None, (GERMAN, "Kurze Zeile", "## Kein Titel", "\\Pfad", "Mit Leerzeichen", ENGLISH))
    ]


def test_backslash_escape_in_the_header() -> None:
    article, _ = quiet("\\\\Kategorie\n\\ Titel\n2025-02-27\n\n" + GERMAN)
    assert (article.category, article.headline) == ("\\Kategorie", "Titel")


def test_lone_backslash_in_the_header_means_absent() -> None:
    article, diagnostics = quiet(f"\\\nRat beschließt Haushalt\n\\\n\n{GERMAN}\n")
    assert diagnostics == []
    assert (article.category, article.headline, article.published) == (None, "Rat beschließt Haushalt", None)


# -- trailer -------------------------------------------------------------------


def test_trailer_lines_at_the_end_move_into_the_trailer() -> None:
    article, diagnostics = quiet(text(body=f"{GERMAN}\n\nmore stories\n\n  See more \t\n\nADVERTISEMENT\n\n"))
    assert diagnostics == []
    assert article.paragraphs == (GERMAN,)
    assert article.trailer == ("more stories", "See more", "ADVERTISEMENT")


def test_trailer_words_elsewhere_stay_in_the_body() -> None:
    body = f"Mehr zum Thema\n\n{GERMAN}\n\nSee more\n\n{ENGLISH}\n\nWeitere Artikel"
    article, _ = quiet(text(body=body))
    assert article.trailer == ("Weitere Artikel",)
    assert structure(article) == [(None, ("Mehr zum Thema", GERMAN)), ("See more", (ENGLISH,))]


def test_trailer_is_read_line_by_line_before_blocks_are_joined() -> None:
    article, _ = quiet(text(body=f"{GERMAN}\nmore stories\nSee more"))
    assert article.paragraphs == (GERMAN,)
    assert article.trailer == ("more stories", "See more")


def test_callers_extend_the_trailer_lines() -> None:
    data = text(body=f"{GERMAN}\n\nZurück zur Startseite\n\nSee more")
    assert quiet(data)[0].trailer == ("See more",)
    extended = [*DEFAULT_TRAILER_LINES, "Zurück zur Startseite"]
    article, _ = quiet(data, trailer_lines=extended)
    assert article.trailer == ("Zurück zur Startseite", "See more")
    assert article.paragraphs == (GERMAN,)
    # A caller's list replaces the default one.
    assert quiet(data, trailer_lines=["zurück zur startseite"])[0].trailer == ()


def test_lone_backslash_marks_the_start_of_the_trailer() -> None:
    article, _ = quiet(text(body=f"{GERMAN}\n\n\\\nFoto: dpa\nQuelle: Archiv\n\n\\"))
    assert article.paragraphs == (GERMAN,)
    assert article.trailer == ("Foto: dpa", "Quelle: Archiv", "\\")


# -- language ------------------------------------------------------------------


def test_language_is_detected_from_the_text() -> None:
    assert quiet(text(body=GERMAN)) == (quiet(text(body=GERMAN))[0], [])
    assert quiet(text(body=GERMAN))[0].language == "de"
    english, diagnostics = quiet(text(headline="Council approves budget", body=ENGLISH))
    assert (english.language, diagnostics) == ("en", [])


def test_explicit_language_wins_and_needs_no_guess() -> None:
    article, diagnostics = quiet(text(body="Kurz."), language="de_AT")
    assert (article.language, diagnostics) == ("de-AT", [])
    assert quiet(text(body=GERMAN), language="en")[0].language == "en"


def test_invalid_explicit_language_is_refused() -> None:
    with pytest.raises(ValueError, match="BCP 47"):
        parse(text(), language="German")


def test_too_little_text_is_undetermined_and_a_language_guess() -> None:
    article, diagnostics = quiet(text(headline="Rat", body="Kurz."))
    assert article.language == "und"
    assert [d.code for d in diagnostics] == ["language-guess"]


def test_a_lang_line_after_the_date_states_the_language() -> None:
    article, diagnostics = quiet(text(date="2025-02-27\nlang: fr", body=GERMAN))
    assert (article.language, diagnostics, article.paragraphs) == ("fr", [], (GERMAN,))
    assert quiet(text(date="2025-02-27\nlang: fr"), language="de")[0].language == "de"


# -- parse_file ----------------------------------------------------------------


def test_parse_file_sets_the_source_and_passes_options(tmp_path: Path) -> None:
    path = tmp_path / "artikel.txt"
    path.write_bytes(text(date="2025-13-45").encode("utf-8"))
    with pytest.raises(ParseError) as caught:
        parse_file(path)
    assert str(caught.value).startswith(f"{path}:3:1: ")
    path.write_bytes(text().encode("utf-8"))
    article = parse_file(str(path), language="en")
    assert (article.source, article.language) == (str(path), "en")
    assert parse_file(path, source="anders.txt").source == "anders.txt"
    assert parse_file(path) == Article(
        category="Politik",
        headline="Rat beschließt Haushalt",
        published=dt.date(2025, 2, 27),
        language="de",
        sections=[Section(paragraphs=[GERMAN])],
        source=str(path),
    )


def test_parse_file_keeps_a_non_utf8_file_name_printable(tmp_path: Path) -> None:
    raw = os.path.join(os.fsencode(tmp_path), b"bericht-\xff.txt")
    with open(raw, "wb") as handle:
        handle.write(b"Lokales\nEine Meldung\n2025-02-27\n\nDer Text der Meldung steht hier.\n")
    article = newsarticle.parse_file(os.fsdecode(raw), language="de")
    assert article.source is not None
    assert article.source.endswith("bericht-\\xff.txt")
    newsarticle.to_json(article).encode("utf-8")  # no lone surrogate left to trip an encoder


def test_a_line_of_no_break_spaces_alone_is_blank() -> None:
    text = "Lokales\nEine Meldung\n2025-02-27\n\nDer erste Absatz.\n\u00a0\u202f\nDer zweite Absatz.\n"
    article = parse(text, language="de")
    assert article.paragraphs == ("Der erste Absatz.", "Der zweite Absatz.")


def test_trailer_lines_must_be_a_collection_of_lines() -> None:
    with pytest.raises(TypeError, match="collection of lines"):
        parse("Lokales\nEine Meldung\n2025-02-27\n\nText.\n", trailer_lines="Anzeige")


# -- whitespace after a mark ----------------------------------------------------
# Unicode whitespace alone is a blank line; after a mark it must not become a field of
# only whitespace, which the model refuses (and JSON, the schema and unparse with it).


def assert_valid_and_round_trips(article: Article) -> None:
    rebuilt = attrs.evolve(article, sections=[attrs.evolve(s) for s in article.sections])  # validates
    assert rebuilt == article
    assert parse(unparse(article), language=article.language) == article
    assert from_json(to_json(article)) == article


@pytest.mark.parametrize("space", SEPARATORS)
def test_a_header_escape_before_whitespace_alone_keeps_the_line_as_written(space: str) -> None:
    article, diagnostics = quiet(f"\\{space}\n\\ {space}\n2025-02-27\n\n{GERMAN}\n")
    assert diagnostics == []
    assert (article.category, article.headline) == (f"\\{space}", f"\\ {space}")
    assert_valid_and_round_trips(article)


@pytest.mark.parametrize("space", SEPARATORS)
def test_a_heading_mark_before_whitespace_alone_is_a_paragraph(space: str) -> None:
    article, _ = quiet(blocks(GERMAN, f"## {space}{space}", ENGLISH, "Ende."))
    assert structure(article) == [(None, (GERMAN, f"## {space}{space}", ENGLISH, "Ende."))]
    assert_valid_and_round_trips(article)


@pytest.mark.parametrize("space", SEPARATORS)
def test_an_escape_before_whitespace_alone_is_the_paragraph_as_written(space: str) -> None:
    article, _ = quiet(blocks(GERMAN, f"\\{space}", f"\\ {space}", ENGLISH))
    assert structure(article) == [(None, (GERMAN, f"\\{space}", f"\\ {space}", ENGLISH))]
    assert_valid_and_round_trips(article)


def test_whitespace_between_a_mark_and_text_stays_in_the_text() -> None:
    article, _ = quiet(f"\\\u00a0Kategorie\n\\\u2003Titel\n2025-02-27\n\n{GERMAN}\n\n## \u3000Titel\n\n\\\u2028x\n")
    assert (article.category, article.headline) == ("\u00a0Kategorie", "\u2003Titel")
    assert structure(article) == [(None, (GERMAN,)), ("\u3000Titel", ("\u2028x",))]
    assert_valid_and_round_trips(article)


def test_the_source_format_keeps_a_whitespace_category_out_of_the_headline() -> None:
    # `convert -t source | convert - -t source`: the category used to become a blank
    # line on the second read, so the headline moved into its place.
    once = parse(f"\\\u3000\nTitel\n2025-02-27\n\n{GERMAN}\n")
    twice = parse(unparse(once))
    assert (twice.category, twice.headline) == ("\\\u3000", "Titel")
    assert unparse(twice) == unparse(once)
