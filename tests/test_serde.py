"""to_dict/from_dict, to_json/from_json, and configure_converter."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import attrs
import cattrs
import pytest

from newsarticle import (
    SCHEMA_VERSION,
    Article,
    DeserializationError,
    Section,
    configure_converter,
    from_dict,
    from_json,
    parse,
    to_dict,
    to_json,
)

CET = dt.timezone(dt.timedelta(hours=1))
ARTICLE = Article(
    category="Politik",
    headline="Rat beschließt „Haushalt“ – 5\u00a0% mehr",
    published=dt.date(2025, 2, 27),
    language="de",
    sections=[
        Section(paragraphs=["Erster Absatz <b>&amp;</b>."]),
        Section(heading="Die Folgen", paragraphs=["Zweiter.", "Dritter."]),
    ],
    trailer=["more stories", "See more"],
    source="artikel.txt",
)


def test_to_dict_shape() -> None:
    assert to_dict(ARTICLE) == {
        "schema_version": SCHEMA_VERSION,
        "headline": "Rat beschließt „Haushalt“ – 5\u00a0% mehr",
        "language": "de",
        "category": "Politik",
        "published": "2025-02-27",
        "url": None,
        "authors": [],
        "image": None,
        "modified": None,
        "description": None,
        "tags": [],
        "sections": [
            {"heading": None, "paragraphs": ["Erster Absatz <b>&amp;</b>."]},
            {"heading": "Die Folgen", "paragraphs": ["Zweiter.", "Dritter."]},
        ],
        "trailer": ["more stories", "See more"],
        "source": "artikel.txt",
    }
    assert next(iter(to_dict(ARTICLE))) == "schema_version"
    assert SCHEMA_VERSION == 2


def test_to_dict_is_plain_json_data() -> None:
    data = to_dict(ARTICLE)
    assert json.loads(json.dumps(data)) == data


@pytest.mark.parametrize(
    ("published", "text"),
    [
        (None, None),
        (dt.date(2025, 2, 27), "2025-02-27"),
        (dt.datetime(2025, 2, 27, 14, 30, tzinfo=CET), "2025-02-27T14:30:00+01:00"),
        (dt.datetime(2025, 2, 27, 13, 30, 0, 5, tzinfo=dt.timezone.utc), "2025-02-27T13:30:00.000005+00:00"),
    ],
)
def test_dates_are_iso_8601_strings(published: dt.date | None, text: str | None) -> None:
    a = attrs.evolve(ARTICLE, published=published)
    assert to_dict(a)["published"] == text
    back = from_dict(to_dict(a))
    assert back == a
    assert type(back.published) is type(published)
    if isinstance(published, dt.datetime):
        assert back.published.utcoffset() == published.utcoffset()  # type: ignore[union-attr]


def test_z_suffix_is_read_as_utc() -> None:
    back = from_dict({**to_dict(ARTICLE), "published": "2025-02-27T13:30:00Z"})
    assert back.published == dt.datetime(2025, 2, 27, 13, 30, tzinfo=dt.timezone.utc)


def test_json_keeps_characters_as_themselves() -> None:
    text = to_json(ARTICLE)
    assert "\\u" not in text
    assert "„Haushalt“" in text
    assert "\u00a0" in text
    assert from_json(text) == ARTICLE
    assert from_json(text.encode("utf-8")) == ARTICLE
    assert to_json(ARTICLE, indent=2).startswith('{\n  "schema_version": 2,')


def test_derived_fields_are_ignored_on_input() -> None:
    data = {**to_dict(ARTICLE), "word_count": 999, "reading_time": 42}
    assert from_dict(data) == ARTICLE


def test_schema_version_is_optional_but_checked() -> None:
    data = to_dict(ARTICLE)
    del data["schema_version"]
    assert from_dict(data) == ARTICLE
    with pytest.raises(DeserializationError, match=r"^schema_version: expected 1 or 2, got 3$"):
        from_dict({**data, "schema_version": 3})


def _error(data: Any) -> str:
    with pytest.raises(DeserializationError) as caught:
        from_dict(data)
    assert isinstance(caught.value, ValueError)
    return str(caught.value)


def test_unknown_keys_are_refused_and_named() -> None:
    assert "extra fields found (colour) @ $" in _error({**to_dict(ARTICLE), "colour": "blue"})
    section = {"heading": None, "paragraphs": ["a"], "level": 2}
    assert "extra fields found (level) @ $.sections[0]" in _error({**to_dict(ARTICLE), "sections": [section]})


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"headline": 5}, "$.headline"),
        ({"headline": None}, "$.headline"),
        ({"category": ["Politik"]}, "$.category"),
        ({"language": 1}, "$.language"),
        ({"published": 20250227}, "$.published"),
        ({"published": "27.02.2025"}, "$.published"),
        ({"published": "2025-02-27T14:30:00"}, "$.published"),
        ({"sections": "Ein Absatz."}, "$.sections"),
        ({"sections": {"heading": None}}, "$.sections"),
        ({"sections": [None]}, "$.sections[0]"),
        ({"sections": ["Ein Absatz."]}, "$.sections[0]"),
        ({"sections": [{"heading": None, "paragraphs": [1]}]}, "$.sections[0].paragraphs"),
        ({"sections": [{"heading": None, "paragraphs": "Absatz"}]}, "$.sections[0].paragraphs"),
        ({"sections": [{"heading": 3, "paragraphs": ["a"]}]}, "$.sections[0].heading"),
        ({"trailer": "See more"}, "$.trailer"),
        ({"trailer": ["See more", None]}, "$.trailer"),
        ({"source": 7}, "$.source"),
    ],
)
def test_wrong_types_are_refused_with_the_field_named(change: dict[str, Any], path: str) -> None:
    message = _error({**to_dict(ARTICLE), **change})
    # One problem, one message: what was expected, and where.
    assert re.fullmatch(rf"invalid article: expected [^@;]+ @ {re.escape(path)}", message), message


def test_impossible_date_is_refused_with_the_field_named() -> None:
    message = _error({**to_dict(ARTICLE), "published": "2025-02-30"})
    assert message.endswith('found "2025-02-30" (February 2025 has 28 days) @ $.published')


def test_sub_second_offsets_survive() -> None:
    # CPython 3.11's fromisoformat reads "+00:00:00.000001" as UTC.
    published = dt.datetime(2000, 1, 1, tzinfo=dt.timezone(dt.timedelta(microseconds=1)))
    back = from_dict(to_dict(attrs.evolve(ARTICLE, published=published)))
    assert back.published.utcoffset() == dt.timedelta(microseconds=1)  # type: ignore[union-attr]


def test_missing_required_field_is_named() -> None:
    data = to_dict(ARTICLE)
    del data["headline"]
    assert "$.headline" in _error(data)
    assert "required" in _error(data)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"headline": ""}, "headline must not be empty"),
        ({"language": "German"}, "language must be a BCP 47"),
        ({"category": "Zwei\nZeilen"}, "category must be a single line"),
        ({"sections": [{"heading": None, "paragraphs": []}]}, "paragraphs must hold at least one paragraph"),
        (
            {"sections": [{"heading": None, "paragraphs": ["a"]}, {"heading": None, "paragraphs": ["b"]}]},
            "needs a heading",
        ),
    ],
)
def test_invalid_values_keep_the_validators_words(change: dict[str, Any], words: str) -> None:
    assert words in _error({**to_dict(ARTICLE), **change})


@pytest.mark.parametrize("data", [[], "text", None, 3])
def test_non_objects_are_refused(data: object) -> None:
    assert "expected an object" in _error(data)


@pytest.mark.parametrize("text", ["", "{", "[1, 2", b"\xff\xfe{"])
def test_from_json_refuses_text_that_is_not_json(text: str | bytes) -> None:
    with pytest.raises(DeserializationError, match="not valid JSON"):
        from_json(text)


def test_parsed_corpus_like_article_round_trips() -> None:
    a = parse("Wirtschaft\nTitel\n2025-02-27T14:30:00+01:00\n\nDer Rat und die Stadt sind mit dem Plan auf dem Weg.\n")
    assert from_json(to_json(a)) == a


# -- configure_converter -------------------------------------------------------


@attrs.frozen
class Issue:
    number: int
    lead: Article
    more: tuple[Article, ...] = ()


def test_configure_converter_teaches_a_fresh_converter() -> None:
    converter = cattrs.Converter()
    configure_converter(converter)
    plain = converter.unstructure(ARTICLE)
    assert plain == {k: v for k, v in to_dict(ARTICLE).items() if k != "schema_version"}
    assert converter.structure(plain, Article) == ARTICLE


def test_configured_converter_handles_articles_inside_other_classes() -> None:
    converter = cattrs.Converter()
    configure_converter(converter)
    issue = Issue(number=7, lead=ARTICLE, more=(attrs.evolve(ARTICLE, published=None),))
    plain = converter.unstructure(issue)
    assert plain["lead"]["published"] == "2025-02-27"
    assert json.loads(json.dumps(plain)) == plain
    assert converter.structure(plain, Issue) == issue


def test_configured_converter_refuses_unknown_keys() -> None:
    converter = cattrs.Converter()
    configure_converter(converter)
    plain = converter.unstructure(ARTICLE)
    with pytest.raises(cattrs.BaseValidationError):
        converter.structure({**plain, "colour": "blue"}, Article)


@pytest.mark.parametrize(
    ("key", "value"),
    [("schema_version", True), ("schema_version", 1.0), ("word_count", "junk"), ("reading_time", -1)],
)
def test_schema_version_and_derived_fields_must_have_their_types(key: str, value: object) -> None:
    data = to_dict(Article(headline="Eine Meldung", language="de"))
    data[key] = value
    with pytest.raises(DeserializationError, match=key):
        from_dict(data)


# -- found by fuzzing (fuzz/serde.py) ---------------------------------------------------------


@pytest.mark.parametrize("depth", [1_000, 100_000])
@pytest.mark.parametrize(("opening", "closing"), [("[", "]"), ('{"headline":', "}")])
def test_deeply_nested_json_is_refused_as_not_an_article(depth: int, opening: str, closing: str) -> None:
    text = '{"sections":' + opening * depth + "null" + closing * depth + "}"
    with pytest.raises(DeserializationError, match=r"nested too deeply|sections"):
        from_json(text)


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({1: "x", **to_dict(ARTICLE)}, ""),
        ({None: "x", **to_dict(ARTICLE)}, ""),
        ({**to_dict(ARTICLE), "sections": [{None: 1, "paragraphs": ["a"]}]}, r" @ \$\.sections\[0\]"),
        ({**to_dict(ARTICLE), "sections": [{("a",): 1}]}, r" @ \$\.sections\[0\]"),
    ],
)
def test_keys_that_are_not_strings_are_refused_and_named(data: dict[Any, Any], path: str) -> None:
    with pytest.raises(DeserializationError, match=f"string keys, got the key [^@]*{path}$"):
        from_dict(data)


@pytest.mark.parametrize("source", ["d\udcfcr.txt", "\ud800", "a\udfff\ud800b.txt", "ok\U0001f600\udc80"])
def test_json_of_a_file_name_with_odd_bytes_is_utf8_and_reads_back(source: str) -> None:
    article = attrs.evolve(ARTICLE, source=source)
    text = to_json(article)
    assert text.encode("utf-8").decode("utf-8") == text
    assert "\\ud" in text
    assert from_json(text) == article
    assert from_json(text.encode("utf-8")) == article
    assert "Haushalt“ – 5\u00a0%" in text  # every other character stays itself


@pytest.mark.parametrize("key", ["pa\udcffragraphs", "\ud800", "x\udc80\udcff"])
def test_an_unknown_key_with_lone_surrogates_is_named_in_a_printable_message(key: str) -> None:
    text = '{"headline": "T", "language": "de", "sections": [{"paragraphs": ["a"], KEY: 1}]}'
    text = text.replace("KEY", json.dumps(key))  # as \udcff escapes, which json.loads reads back as surrogates
    with pytest.raises(DeserializationError) as caught:
        from_json(text)
    message = str(caught.value)
    assert message.encode("utf-8").decode("utf-8") == message
    assert "extra fields found (" + key.encode("utf-8", "backslashreplace").decode("ascii") + ")" in message


@attrs.frozen
class Event:
    title: str
    day: dt.date | None
    tags: tuple[str, ...] = ()


def test_configure_converter_leaves_the_callers_own_hooks_alone() -> None:
    converter = cattrs.Converter()
    converter.register_structure_hook(str, lambda value, _: str(value).strip().upper())
    converter.register_unstructure_hook(str, lambda value: value.lower())
    converter.register_structure_hook(dt.date | None, lambda value, _: dt.date(*value) if value else None)
    converter.register_unstructure_hook(dt.date, lambda value: [value.year, value.month, value.day])
    configure_converter(converter)

    event = converter.structure({"title": " launch ", "day": [2025, 2, 27], "tags": [1, "b"]}, Event)
    assert event == Event(title="LAUNCH", day=dt.date(2025, 2, 27), tags=("1", "B"))
    assert converter.unstructure(event) == {"title": "launch", "day": [2025, 2, 27], "tags": ["1", "b"]}
    # ...and Articles are read and written exactly as to_dict does, whatever the converter's own hooks say.
    plain = converter.unstructure(ARTICLE)
    assert plain == {k: v for k, v in to_dict(ARTICLE).items() if k != "schema_version"}
    assert converter.structure(plain, Article) == ARTICLE
    with pytest.raises(cattrs.BaseValidationError):
        converter.structure({**plain, "headline": 42}, Article)
