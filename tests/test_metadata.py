"""The metadata block after the date line: reading, writing, the model's fields, and their JSON."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from jsonschema import Draft202012Validator

from newsarticle import (
    Article,
    DeserializationError,
    Diagnostic,
    ParseError,
    Section,
    from_dict,
    from_json,
    parse,
    render,
    to_dict,
    to_json,
    unparse,
)
from newsarticle.renderers.json import load_schema
from scaling import LINEAR, lowest_doubling_ratio

GERMAN = (
    "Der Gemeinderat hat am Dienstag mit großer Mehrheit für den neuen Haushalt gestimmt. "
    "Die Stadt will auch im kommenden Jahr nicht auf die Sanierung der Brücke verzichten."
)
CET = dt.timezone(dt.timedelta(hours=1))
CORPUS = sorted((Path(__file__).parent / "data").glob("*.txt"))


def text(block: str, body: str = GERMAN) -> str:
    """An article whose metadata block (lines after the date line) is ``block``."""
    return f"Politik\nRat beschließt Haushalt\n2025-02-27\n{block}\n\n{body}\n"


def quiet(data: str, **options: object) -> tuple[Article, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    article = parse(data, on_diagnostic=diagnostics.append, **options)  # type: ignore[arg-type]
    return article, diagnostics


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


FULL = article(
    url="https://example.org/politik/haushalt?id=1&x=2",
    authors=["Anna Muster", "Jörg „Jo“ Beispiel", "\\ and ## not marks here"],
    image="https://example.org/bilder/rathaus.jpg",
    modified=dt.datetime(2025, 2, 28, 9, 15, tzinfo=CET),
    description="Der Rat stimmt zu: 5\u00a0% mehr für die Brücke.",
    tags=["Stadt", "Haushalt 2025", "Brücke"],
    language="de-AT",
)


# -- reading -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "field", "value"),
    [
        ("url: https://example.org/a/b?c=1#d", "url", "https://example.org/a/b?c=1#d"),
        ("url: HTTP://bücher.example/ä", "url", "HTTP://bücher.example/ä"),
        ("author: Anna Muster", "authors", ("Anna Muster",)),
        ("image: http://[::1]:8080/x.jpg", "image", "http://[::1]:8080/x.jpg"),
        ("modified: 2025-02-28", "modified", dt.date(2025, 2, 28)),
        ("modified: 2025-02-28T09:15:00+01:00", "modified", dt.datetime(2025, 2, 28, 9, 15, tzinfo=CET)),
        ("modified: 28. Februar 2025", "modified", dt.date(2025, 2, 28)),
        ("description: Ein Teaser: kurz.", "description", "Ein Teaser: kurz."),
        ("tags: Stadt, Haushalt 2025,Brücke", "tags", ("Stadt", "Haushalt 2025", "Brücke")),
        ("tags: Einzig", "tags", ("Einzig",)),
        ("lang: de-AT", "language", "de-AT"),
    ],
)
def test_each_key_sets_its_field_and_leaves_the_body(line: str, field: str, value: object) -> None:
    parsed, diagnostics = quiet(text(line))
    assert getattr(parsed, field) == value
    assert (parsed.paragraphs, diagnostics) == ((GERMAN,), [])


def test_metadata_is_absent_by_default() -> None:
    parsed = parse(text("").replace("\n\n\n", "\n\n"))
    assert (parsed.url, parsed.authors, parsed.image, parsed.modified, parsed.description, parsed.tags) == (
        None,
        (),
        None,
        None,
        None,
        (),
    )


def test_author_repeats_in_order_and_keys_come_in_any_order() -> None:
    block = "tags: b, a\nauthor: Zoe Zett\nurl: https://example.org/1\nauthor: Anna Alpha\nauthor: Max Mitte"
    parsed, diagnostics = quiet(text(block))
    assert parsed.authors == ("Zoe Zett", "Anna Alpha", "Max Mitte")
    assert (parsed.tags, parsed.url, diagnostics) == (("b", "a"), "https://example.org/1", [])


@pytest.mark.parametrize(
    "line",
    [
        "Author: Anna Muster",  # keys are lower case, as a scraped byline is not
        "URL: https://example.org/",
        "foto: Archiv",
        "source: dpa",
        "author:Anna",  # no space after the colon
        "title: Noch ein Titel",
    ],
)
def test_other_lines_after_the_date_stay_body_as_before(line: str) -> None:
    parsed, diagnostics = quiet(text(line))
    assert parsed.paragraphs == (line, GERMAN)
    assert (parsed.url, parsed.authors, diagnostics) == (None, (), [])


def test_the_block_ends_at_the_first_other_line() -> None:
    parsed, _ = quiet(text("url: https://example.org/1\nFoto: Archiv\nauthor: Anna Muster"))
    assert parsed.url == "https://example.org/1"
    assert parsed.authors == ()
    assert parsed.paragraphs == ("Foto: Archiv author: Anna Muster", GERMAN)


def test_a_metadata_line_after_a_blank_line_is_body() -> None:
    parsed, diagnostics = quiet(text("", body=f"url: https://example.org/1\n\n{GERMAN}"))
    assert (parsed.url, parsed.paragraphs, diagnostics) == (None, ("url: https://example.org/1", GERMAN), [])


def test_corpus_has_no_metadata_and_reads_as_before() -> None:
    for path in CORPUS:
        parsed, _ = quiet(path.read_bytes())  # type: ignore[arg-type]
        assert (parsed.url, parsed.authors, parsed.image, parsed.modified, parsed.description, parsed.tags) == (
            None,
            (),
            None,
            None,
            None,
            (),
        ), path.name


# -- bad values: kept as body, with a diagnostic; an error in strict mode ------------------------

BAD = [
    ("url: /politik/haushalt", "url: must be an absolute http or https URL"),
    ("url: ftp://example.org/a", "url: must be an absolute http or https URL"),
    ("url: https://example.org/a b", "url: must be an absolute http or https URL"),
    ("url: https://exa<mple.org/", "without spaces, quotes or angle brackets"),
    ("url: https:///pfad", "url: must be an absolute http or https URL"),
    ("url: http://example.org:http/", "url: must be an absolute http or https URL"),
    ("url:", "url: must be an absolute"),
    ("image: Foto: Archiv", "image: must be an absolute http or https URL"),
    ("author:", "author: must not be empty"),
    ("author: \u00a0", "author: must hold more than whitespace"),
    ("modified: 2025-02-30", 'modified: expected a date such as 2025-02-27, found "2025-02-30"'),
    ("modified: gestern", "modified: expected a date such as 2025-02-27 or a date-time"),
    ("description:", "description: must not be empty"),
    ("tags: Stadt,,Land", "tags: each tag must not be empty"),
    ("tags: Stadt,", "tags: each tag must not be empty"),
    ("lang: Deutsch", "lang: expected a BCP 47 language tag"),
]


@pytest.mark.parametrize(("line", "message"), BAD)
def test_a_bad_value_stays_body_with_a_diagnostic(line: str, message: str) -> None:
    parsed, diagnostics = quiet(text(f"author: Anna Muster\n{line}\ndescription: danach"))
    assert parsed.authors == ("Anna Muster",)
    # Nothing is lost: the line, and every line after it, is the first paragraph.
    assert parsed.paragraphs == (f"{line} description: danach", GERMAN)
    assert parsed.description is None
    assert [(d.code, d.line) for d in diagnostics] == [("invalid-metadata", 5)]
    assert message in diagnostics[0].message
    assert diagnostics[0].message.endswith("kept the line as body text")


@pytest.mark.parametrize(("line", "message"), BAD)
def test_a_bad_value_is_an_error_in_strict_mode(line: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse(text(line), source="artikel.txt", strict=True)
    assert (caught.value.code, caught.value.line, caught.value.column) == ("invalid-metadata", 4, 1)
    assert str(caught.value).startswith("artikel.txt:4:1: ")
    assert message in str(caught.value)


@pytest.mark.parametrize("key", ["url", "image", "modified", "description", "tags", "lang"])
def test_a_second_line_of_a_key_that_does_not_repeat_stays_body(key: str) -> None:
    first = {
        "url": "https://example.org/1",
        "image": "https://example.org/1.jpg",
        "modified": "2025-02-28",
        "description": "Ein Teaser.",
        "tags": "a, b",
        "lang": "de",
    }[key]
    parsed, diagnostics = quiet(text(f"{key}: {first}\n{key}: {first}"))
    assert parsed.paragraphs == (f"{key}: {first}", GERMAN)
    assert [(d.code, d.line) for d in diagnostics] == [("invalid-metadata", 5)]
    assert f"expected one {key} line, found a second one" in diagnostics[0].message
    with pytest.raises(ParseError, match="found a second one"):
        parse(text(f"{key}: {first}\n{key}: {first}"), strict=True)


def test_modified_without_offset_keeps_the_date_as_published_does() -> None:
    parsed, diagnostics = quiet(text("modified: 2025-02-28T09:15"))
    assert parsed.modified == dt.date(2025, 2, 28)
    assert [(d.code, d.line) for d in diagnostics] == [("time-without-offset", 4)]


# -- writing -----------------------------------------------------------------------------------


def test_unparse_writes_the_block_in_canonical_order() -> None:
    written = unparse(FULL)
    assert written.split("\n\n")[0].split("\n")[3:] == [
        "url: https://example.org/politik/haushalt?id=1&x=2",
        "author: Anna Muster",
        "author: Jörg „Jo“ Beispiel",
        "author: \\ and ## not marks here",
        "image: https://example.org/bilder/rathaus.jpg",
        "modified: 2025-02-28T09:15:00+01:00",
        "description: Der Rat stimmt zu: 5\u00a0% mehr für die Brücke.",
        "tags: Stadt, Haushalt 2025, Brücke",
        "lang: de-AT",
    ]
    assert parse(written, strict=True) == FULL


def test_without_metadata_unparse_writes_what_it_wrote_before() -> None:
    assert unparse(article()) == f"Politik\nRat beschließt Haushalt\n2025-02-27\n\n{GERMAN}\n"


@pytest.mark.parametrize(
    "paragraph",
    ["url: https://example.org/1", "author: Anna Muster", "tags: a, b", "lang: en", "description:", "modified: x"],
)
def test_a_first_paragraph_that_looks_like_a_metadata_line_is_escaped(paragraph: str) -> None:
    a = article(sections=[Section(paragraphs=[paragraph, GERMAN])])
    written = unparse(a)
    assert written.split("\n\n")[1] == "\\" + paragraph
    assert parse(written, strict=True) == a
    # The escape holds where the blank line after the header is lost.
    assert parse(written.replace("2025-02-27\n\n", "2025-02-27\n"), strict=True) == a


def test_later_paragraphs_that_look_like_metadata_are_not_escaped() -> None:
    a = article(sections=[Section(paragraphs=[GERMAN, "url: https://example.org/1 ist die Adresse."])])
    assert unparse(a).endswith("\n\nurl: https://example.org/1 ist die Adresse.\n")
    assert parse(unparse(a), strict=True) == a


def test_a_metadata_shaped_first_paragraph_reads_back_after_a_bad_value() -> None:
    once = unparse(quiet(text("url: keine-adresse"))[0])
    assert "\n\n\\url: keine-adresse\n\n" in once
    assert unparse(quiet(once)[0]) == once


# -- the model ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"url": "/relativ"}, "url must be an absolute http or https URL"),
        ({"url": "mailto:a@example.org"}, "url must be an absolute http or https URL"),
        ({"url": "https://example.org/a\nb"}, "url must be an absolute"),
        ({"url": 'https://example.org/"x"'}, "without spaces, quotes or angle brackets"),
        ({"image": "https://example.org/a\u00a0b.jpg"}, "image must be an absolute"),
        ({"image": "https://example.org/\x85"}, "image must be an absolute"),
        ({"authors": ["Anna", ""]}, "authors[1] must not be empty"),
        ({"authors": ["Anna\nMuster"]}, "authors[0] must be a single line"),
        ({"description": " Teaser"}, "description must not start or end with a space"),
        ({"tags": ["Stadt, Land"]}, "tags[0] must not contain a comma"),
        ({"tags": ["  "]}, "tags[0] must not contain two spaces"),
        ({"modified": dt.datetime(2025, 2, 28, 9, 15)}, "modified must be a date or a timezone-aware datetime"),
    ],
)
def test_the_model_refuses_what_the_block_cannot_hold(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        article(**changes)


def test_wrong_types_are_type_errors() -> None:
    with pytest.raises(TypeError, match="url must be a str or None"):
        article(url=42)
    with pytest.raises(TypeError, match=r"authors\[0\] must be a str"):
        article(authors=[None])
    with pytest.raises(TypeError, match=r"modified must be a datetime\.date"):
        article(modified="2025-02-28")


def test_collections_are_tuples_and_evolve_validates() -> None:
    a = article(authors=["Anna"], tags=["a"])
    assert (a.authors, a.tags) == (("Anna",), ("a",))
    with pytest.raises(ValueError, match="tags"):
        attrs.evolve(a, tags=("a,b",))


# -- JSON --------------------------------------------------------------------------------------


def test_json_carries_the_metadata_and_reads_it_back() -> None:
    data = to_dict(FULL)
    assert data["schema_version"] == 2
    assert {k: data[k] for k in ("url", "authors", "image", "modified", "description", "tags")} == {
        "url": "https://example.org/politik/haushalt?id=1&x=2",
        "authors": ["Anna Muster", "Jörg „Jo“ Beispiel", "\\ and ## not marks here"],
        "image": "https://example.org/bilder/rathaus.jpg",
        "modified": "2025-02-28T09:15:00+01:00",
        "description": "Der Rat stimmt zu: 5\u00a0% mehr für die Brücke.",
        "tags": ["Stadt", "Haushalt 2025", "Brücke"],
    }
    assert from_dict(data) == FULL
    assert from_json(to_json(FULL)) == FULL


def test_schema_version_1_documents_are_still_read() -> None:
    plain = article()
    old = {
        k: v
        for k, v in to_dict(plain).items()
        if k not in ("url", "authors", "image", "modified", "description", "tags")
    }
    old["schema_version"] = 1
    assert from_dict(old) == plain
    with pytest.raises(DeserializationError, match=r"^url: not a field of schema_version 1 \(added in 2\)$"):
        from_dict({**old, "url": "https://example.org/1"})


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("url", "/relativ", "url must be an absolute http or https URL"),
        ("authors", "Anna", "expected a list of strings"),
        ("tags", ["a,b"], "tags[0] must not contain a comma"),
        ("modified", "28.02.2025", "expected an ISO 8601 date"),
        ("image", 7, "expected a string"),
    ],
)
def test_from_dict_names_the_bad_metadata_field(key: str, value: object, message: str) -> None:
    with pytest.raises(DeserializationError) as caught:
        from_dict({**to_dict(FULL), key: value})
    assert message in str(caught.value)


# -- linear in every shape of the block ----------------------------------------------------------

# Each size takes some milliseconds to read, so that noise on a shared machine stays small.
SHAPES: dict[str, tuple[Callable[[int], str], int]] = {
    "many author lines": (lambda n: text("\n".join(f"author: Autorin Nummer {i}" for i in range(n))), 20_000),
    "one line of many tags": (lambda n: text("tags: " + ", ".join(f"Tag {i}" for i in range(n))), 50_000),
    "one long url": (lambda n: text("url: https://example.org/" + "a/b?c=d&" * n), 200_000),
    "one long description": (lambda n: text("description: " + "Ein Teaser, " * n + "Ende."), 200_000),
    "a bad value before a long block": (lambda n: text("url: /relativ\n" + "author: Anna Muster\n" * n), 50_000),
}


@pytest.mark.parametrize(("make", "n"), list(SHAPES.values()), ids=list(SHAPES))
def test_reading_the_block_is_linear(make: Callable[[int], str], n: int) -> None:
    ratio = lowest_doubling_ratio(make, lambda data: quiet(data, language="de"), n)
    assert ratio < LINEAR


def test_writing_the_block_is_linear() -> None:
    def make(n: int) -> Article:
        return article(authors=[f"Autorin {i}" for i in range(n)], tags=[f"Tag {i}" for i in range(n)])

    assert lowest_doubling_ratio(make, unparse, 100_000, repeat=5) < LINEAR


def test_the_schema_accepts_version_1_documents_and_refuses_metadata_in_them() -> None:
    validator = Draft202012Validator(load_schema())
    document = json.loads(render(FULL, "json"))
    assert list(validator.iter_errors(document)) == []
    old = {k: v for k, v in document.items() if k not in ("url", "authors", "image", "modified", "description", "tags")}
    old["schema_version"] = 1
    assert list(validator.iter_errors(old)) == []
    assert not validator.is_valid({**old, "tags": []})
    # A version 2 document has every key, as the json renderer writes it.
    assert not validator.is_valid({k: v for k, v in document.items() if k != "authors"})


def test_format_doc_shows_the_messages_the_parser_prints() -> None:
    doc = (Path(__file__).parent.parent / "docs" / "format.md").read_text(encoding="utf-8")
    diagnostics: list[Diagnostic] = []
    parse(text("url: /politik/1"), source="article.txt", on_diagnostic=diagnostics.append)
    parse(text("url: https://example.org/1\nurl: https://example.org/2"), source="article.txt",
          on_diagnostic=diagnostics.append)  # fmt: skip
    for diagnostic in diagnostics:
        assert f"\n{diagnostic}\n" in doc
