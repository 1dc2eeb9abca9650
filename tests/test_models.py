"""Article and Section: validators, derived values, immutability."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from newsarticle import WORDS_PER_MINUTE, Article, Section
from strategies import SEPARATORS


def article(**changes: object) -> Article:
    fields: dict[str, object] = {"headline": "Rat beschließt Haushalt", "language": "de"}
    fields.update(changes)
    return Article(**fields)  # type: ignore[arg-type]


# -- validators ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "must not be empty"),
        ("Zwei\nZeilen", "single line"),
        ("Zwei\rZeilen", "single line"),
        ("Mit\tTab", "tabs"),
        ("Zwei  Leerzeichen", "two spaces"),
        (" vorne", "start or end with a space"),
        ("hinten ", "start or end with a space"),
        ("Steuer\x07zeichen", r"U\+0007"),
        ("C1\x85", r"U\+0085"),
        ("Nicht\ufffe", r"U\+FFFE"),
    ],
)
def test_one_line_fields_refuse_what_the_format_cannot_hold(value: str, message: str) -> None:
    attempts = [
        lambda: article(headline=value),
        lambda: article(category=value),
        lambda: article(trailer=["See more", value]),
        lambda: Section(heading=value, paragraphs=["Ein Absatz."]),
        lambda: Section(paragraphs=["Ein Absatz.", value]),
    ]
    for attempt in attempts:
        with pytest.raises(ValueError, match=message):
            attempt()


def test_error_names_the_field_and_position() -> None:
    with pytest.raises(ValueError, match=r"^headline must not be empty"):
        article(headline="")
    with pytest.raises(ValueError, match=r"^paragraphs\[1\] must not be empty"):
        Section(paragraphs=["Ein Absatz.", ""])
    with pytest.raises(ValueError, match=r"^trailer\[0\] must be a single line"):
        article(trailer=["See\nmore"])


def test_what_the_format_can_hold_is_accepted() -> None:
    text = "„Zitat“ <b>&amp;</b> *x* _y_ `z` # ## \\ \u00a0\u202f\u2028 👍🏽 e\u0301 lang: en"
    a = article(headline=text, category=text, sections=[Section(heading=text, paragraphs=[text])], trailer=[text])
    assert a.headline == a.category == a.sections[0].heading == a.paragraphs[0] == a.trailer[0] == text


def test_section_needs_a_paragraph() -> None:
    with pytest.raises(ValueError, match="at least one paragraph"):
        Section(heading="Titel", paragraphs=[])


def test_only_the_first_section_may_lack_a_heading() -> None:
    first = Section(paragraphs=["Erster."])
    assert article(sections=[first, Section(heading="Titel", paragraphs=["Zweiter."])]).paragraphs == (
        "Erster.",
        "Zweiter.",
    )
    with pytest.raises(ValueError, match=r"sections\[1\] needs a heading"):
        article(sections=[first, Section(paragraphs=["Zweiter."])])


def test_sections_must_be_sections() -> None:
    with pytest.raises(TypeError, match=r"sections\[0\] must be a Section"):
        article(sections=["Ein Absatz."])


def test_naive_datetime_is_refused_but_dates_and_aware_datetimes_are_kept() -> None:
    with pytest.raises(ValueError, match="naive datetime"):
        article(published=dt.datetime(2025, 2, 27, 14, 30))
    assert article(published=dt.date(2025, 2, 27)).published == dt.date(2025, 2, 27)
    aware = dt.datetime(2025, 2, 27, 14, 30, tzinfo=dt.timezone.utc)
    assert article(published=aware).published is aware
    with pytest.raises(TypeError, match="published"):
        article(published="2025-02-27")


@pytest.mark.parametrize("tag", ["de", "en", "de-AT", "sr-Latn-RS", "es-419", "de-CH-1996"])
def test_language_accepts_bcp47_tags(tag: str) -> None:
    assert article(language=tag).language == tag


@pytest.mark.parametrize("tag", ["", "German", "de_DE", "d", "de-", "de AT", None])
def test_language_refuses_what_is_not_a_bcp47_tag(tag: object) -> None:
    with pytest.raises(ValueError, match="BCP 47"):
        article(language=tag)


def test_wrong_types_are_type_errors() -> None:
    with pytest.raises(TypeError, match="headline must be a str"):
        article(headline=42)
    with pytest.raises(TypeError, match="source must be a str or None"):
        article(source=Ellipsis)
    with pytest.raises(TypeError, match=r"paragraphs\[0\] must be a str"):
        Section(paragraphs=[b"bytes"])


def test_fields_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        Section(None, ["Ein Absatz."])  # type: ignore[misc]


# -- derived values ------------------------------------------------------------


def test_derived_values_follow_the_sections() -> None:
    a = article(
        sections=[
            Section(paragraphs=["Eins zwei drei.", "Vier – fünf 5\u00a0%."]),
            Section(heading="Sechs sieben", paragraphs=["Acht."]),
        ]
    )
    assert a.paragraphs == ("Eins zwei drei.", "Vier – fünf 5\u00a0%.", "Acht.")
    assert a.headings == ("Sechs sieben",)
    assert a.body == "Eins zwei drei.\n\nVier – fünf 5\u00a0%.\n\nSechs sieben\n\nAcht."
    # Standing-alone dashes and percent signs are no words (a no-break space separates
    # words); subheadings count, the headline does not.
    assert a.word_count == 9
    assert a.reading_time == 1


@pytest.mark.parametrize(
    ("paragraph", "one_column"),
    [("Vier – fünf 5\u00a0% „z.\u202fB.“", True), ("Dünn\u2009%", False), ("Ő und Ж", True), ("漢字", False)],
)
def test_the_body_scan_is_private_and_cached(paragraph: str, one_column: bool) -> None:
    # What the word count's pass also finds (the text renderer's one-column question) is no field:
    # it changes neither equality, nor the repr, nor what attrs knows of the class.
    a, b = article(sections=[Section(paragraphs=[paragraph])]), article(sections=[Section(paragraphs=[paragraph])])
    assert a._one_column is one_column
    assert a == b
    assert repr(a) == repr(b)
    assert "_one_column" not in attrs.fields_dict(Article)
    assert "_body_scan" not in attrs.asdict(a)


def test_empty_body() -> None:
    a = article()
    assert (a.paragraphs, a.headings, a.body, a.word_count, a.reading_time) == ((), (), "", 0, 0)


@pytest.mark.parametrize("paragraph", ["–", "Ja.", "ein " * 99 + "Ende"])
def test_reading_time_is_never_zero_for_a_body(paragraph: str) -> None:
    assert article(sections=[Section(paragraphs=[paragraph.strip()])]).reading_time == 1


@pytest.mark.parametrize(
    ("words", "minutes"),
    [
        (WORDS_PER_MINUTE, 1),
        (WORDS_PER_MINUTE * 3 // 2 - 1, 1),
        (WORDS_PER_MINUTE * 3 // 2, 2),
        (WORDS_PER_MINUTE * 10, 10),
    ],
)
def test_reading_time_rounds_to_whole_minutes(words: int, minutes: int) -> None:
    a = article(sections=[Section(paragraphs=[" ".join(["Wort"] * words)])])
    assert a.word_count == words
    assert a.reading_time == minutes


# -- immutability --------------------------------------------------------------


def test_instances_are_frozen_and_collections_are_tuples() -> None:
    paragraphs = ["Eins."]
    section = Section(paragraphs=paragraphs)
    a = article(sections=[section], trailer=["See more"])
    paragraphs.append("Zwei.")
    assert section.paragraphs == ("Eins.",)
    assert isinstance(a.sections, tuple)
    assert isinstance(a.trailer, tuple)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        a.headline = "Anders"  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        section.heading = "Titel"  # type: ignore[misc]


def test_evolve_validates_changes() -> None:
    a = article(category="Politik")
    assert attrs.evolve(a, category=None).category is None
    with pytest.raises(ValueError, match="single line"):
        attrs.evolve(a, headline="Zwei\nZeilen")


def test_equal_articles_are_equal_and_hash_alike() -> None:
    a = article(sections=[Section(paragraphs=["Eins."])])
    b = article(sections=(Section(paragraphs=("Eins.",)),))
    assert a == b
    assert hash(a) == hash(b)
    assert a != attrs.evolve(a, source="x.txt")


@pytest.mark.parametrize("blank", ["\u00a0", "\u3000", "\u2028", "\u00a0\u202f"])
def test_whitespace_alone_is_no_headline(blank: str) -> None:
    with pytest.raises(ValueError, match="more than whitespace"):
        Article(headline=blank, language="de")


@pytest.mark.parametrize("space", SEPARATORS)
def test_every_unicode_separator_alone_is_refused_and_next_to_text_kept(space: str) -> None:
    # The parser reads a line of these as blank and a mark before them as text as
    # written; both rest on the model refusing exactly this, in every field.
    for field in ("headline", "category"):
        with pytest.raises(ValueError, match="more than whitespace"):
            article(**{field: space * 2})
    with pytest.raises(ValueError, match="more than whitespace"):
        Section(heading=space, paragraphs=("Text.",))
    with pytest.raises(ValueError, match="more than whitespace"):
        article(trailer=(space,))
    kept = Section(heading=f"{space}Titel", paragraphs=(f"Text{space}",))
    assert kept.heading == f"{space}Titel"
