"""unparse(): the canonical text format, its escapes, and reading it back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from newsarticle import Article, Diagnostic, Section, parse, parse_file, unparse

GERMAN = "Der Gemeinderat hat am Dienstag mit großer Mehrheit für den neuen Haushalt gestimmt und die Stadt auch."
ENGLISH = "The council voted on Tuesday to approve the budget for the bridge, and it is on the way."


def article(**changes: object) -> Article:
    fields: dict[str, object] = {
        "category": "Politik",
        "headline": "Rat beschließt Haushalt",
        "published": dt.date(2025, 2, 27),
        "language": "de",
        "sections": [Section(paragraphs=[GERMAN])],
    }
    fields.update(changes)
    return Article(**fields)  # type: ignore[arg-type]


def body_lines(text: str) -> list[str]:
    return text.split("\n\n", 1)[1].rstrip("\n").split("\n")


def reads_back(a: Article) -> None:
    # Canonical text needs no recovery, so strict mode reads it.
    assert parse(unparse(a), strict=True) == a


def test_canonical_layout() -> None:
    a = article(
        sections=[
            Section(paragraphs=[GERMAN]),
            Section(heading="Die Folgen", paragraphs=["Zweiter Absatz mit „Zitat“.", "Dritter Absatz."]),
        ],
        trailer=["more stories", "See more"],
    )
    assert unparse(a) == (
        "Politik\nRat beschließt Haushalt\n2025-02-27\n\n"
        f"{GERMAN}\n\nDie Folgen\n\nZweiter Absatz mit „Zitat“.\n\nDritter Absatz.\n\n"
        "more stories\nSee more\n"
    )
    reads_back(a)


def test_date_time_keeps_its_offset() -> None:
    published = dt.datetime(2025, 2, 27, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    a = article(published=published)
    assert unparse(a).split("\n")[2] == "2025-02-27T14:30:00+01:00"
    assert parse(unparse(a)).published.utcoffset() == dt.timedelta(hours=1)  # type: ignore[union-attr]
    reads_back(a)


def test_absent_category_and_date_are_a_lone_backslash() -> None:
    a = article(category=None, published=None)
    assert unparse(a).startswith("\\\nRat beschließt Haushalt\n\\\n\n")
    reads_back(a)


def test_header_lines_that_start_with_a_backslash_are_escaped() -> None:
    a = article(category="\\", headline="\\n ist kein Zeilenumbruch")
    assert unparse(a).startswith("\\\\\n\\\\n ist kein Zeilenumbruch\n")
    reads_back(a)


def test_category_starting_with_a_byte_order_mark_is_escaped() -> None:
    # A reader drops a BOM at the start of the text, and the category comes first.
    a = article(category="\ufeffPolitik")
    assert unparse(a).startswith("\\\ufeffPolitik\n")
    reads_back(a)


@pytest.mark.parametrize(
    "paragraph",
    ["Kurze Zeile", "## Kein Titel", "\\", "\\Pfad", "See more", "MEHR ZUM THEMA"],
)
def test_middle_paragraphs_that_would_be_misread_get_a_backslash(paragraph: str) -> None:
    a = article(sections=[Section(paragraphs=[GERMAN, paragraph, ENGLISH])])
    assert body_lines(unparse(a)) == [GERMAN, "", "\\" + paragraph, "", ENGLISH]
    reads_back(a)


def test_last_paragraph_that_looks_like_a_trailer_line_gets_a_backslash() -> None:
    a = article(sections=[Section(paragraphs=[GERMAN, "Read more"])], trailer=["See more"])
    assert body_lines(unparse(a)) == [GERMAN, "", "\\Read more", "", "See more"]
    reads_back(a)


def test_short_first_and_last_paragraphs_need_no_escape() -> None:
    a = article(sections=[Section(paragraphs=["Vorspann", GERMAN, "Foto: Archiv"])])
    assert body_lines(unparse(a)) == ["Vorspann", "", GERMAN, "", "Foto: Archiv"]
    reads_back(a)


def test_headings_that_would_not_be_read_as_headings_get_the_mark() -> None:
    a = article(
        sections=[
            Section(heading="Vorab", paragraphs=[GERMAN]),
            Section(heading="Ein Zwischentitel mit Punkt.", paragraphs=[ENGLISH]),
            Section(heading="## Raute", paragraphs=["Ein Absatz."]),
            Section(heading="\\Pfad", paragraphs=["Noch einer."]),
            Section(heading="x" * 101, paragraphs=["Letzter."]),
            Section(heading="Normal", paragraphs=["Ende."]),
        ]
    )
    assert body_lines(unparse(a))[::2] == [
        "## Vorab", GERMAN, "## Ein Zwischentitel mit Punkt.", ENGLISH, "## ## Raute", "Ein Absatz.",
        "## \\Pfad", "Noch einer.", "## " + "x" * 101, "Letzter.", "Normal", "Ende.",
    ]  # fmt: skip
    reads_back(a)


def test_heading_followed_by_heading_like_paragraph() -> None:
    a = article(sections=[Section(paragraphs=[GERMAN]), Section(heading="Titel", paragraphs=["Kurz", ENGLISH])])
    assert body_lines(unparse(a)) == [GERMAN, "", "Titel", "", "\\Kurz", "", ENGLISH]
    reads_back(a)


def test_unknown_trailer_lines_follow_a_lone_backslash() -> None:
    a = article(trailer=["See more", "Foto: dpa", "\\"])
    assert unparse(a).endswith(f"{GERMAN}\n\n\\\nSee more\nFoto: dpa\n\\\n")
    reads_back(a)


def test_language_is_stated_only_where_detection_would_miss_it() -> None:
    assert "lang: " not in unparse(article())
    stated = article(language="de-AT")
    assert unparse(stated).split("\n")[3] == "lang: de-AT"
    reads_back(stated)
    wrong = article(language="en")
    assert unparse(wrong).split("\n")[3] == "lang: en"
    reads_back(wrong)
    short = article(sections=[Section(paragraphs=["Kurz."])])
    assert unparse(short).split("\n")[3] == "lang: de"
    reads_back(short)


def test_first_paragraph_that_looks_like_a_lang_line_stays_a_paragraph() -> None:
    a = article(sections=[Section(paragraphs=["lang: en", GERMAN])])
    reads_back(a)


def test_article_without_body() -> None:
    a = article(sections=[], trailer=["See more"])
    diagnostics: list[Diagnostic] = []
    assert parse(unparse(a), on_diagnostic=diagnostics.append) == a
    assert [d.code for d in diagnostics] == ["empty-body"]


def test_source_is_not_written() -> None:
    a = article(source="artikel.txt")
    assert "artikel.txt" not in unparse(a)
    assert parse(unparse(a), source="artikel.txt") == a


DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("name", ["edge_wrapped_paragraphs.txt", "edge_crlf.txt", "edge_extra_blank_lines.txt"])
def test_canonical_form_of_a_messy_file(name: str) -> None:
    a = parse_file(DATA / name)
    text = unparse(a)
    assert "\r" not in text
    assert "\n\n\n" not in text
    assert all(line == line.strip(" \t") for line in text.split("\n"))
    blocks = len(a.paragraphs) + len(a.headings)
    # One line per block, one blank line between blocks, then a blank line and the trailer.
    assert len(body_lines(text)) == 2 * blocks - 1 + 1 + len(a.trailer)
    assert unparse(parse(text, source=a.source)) == text
