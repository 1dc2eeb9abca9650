"""Right-to-left languages, from Babel's locale data: script subtags, territories, tags Babel does not know."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from babel import Locale, localedata

import newsarticle
from newsarticle import Article, Section
from newsarticle._i18n import RTL_SCRIPTS, _likely_script, is_right_to_left

RIGHT_TO_LEFT = (
    "ar", "ar-EG", "ar-001", "he", "he-IL", "iw", "fa", "fa-AF", "ur", "ps", "sd", "ug", "yi", "dv", "ckb", "ks",
    "mzn", "syr",
    # a script subtag, or a territory that implies the script
    "pa-Arab", "pa_Arab_PK", "pa-PK", "az-Arab", "az-IR", "uz-Arab", "ku-Arab", "ha-Arab", "ms-Arab", "ff-Adlm",
    # a script Babel has no locale with for this language, or no language at all
    "tk-Arab", "en-Hebr", "und-Arab", "zz-Thaa",
    # languages Babel has no locale for, by their likely script (pnb under its new code, lah)
    "arc", "nqo", "rhg", "pnb",
)  # fmt: skip
LEFT_TO_RIGHT = (
    "de", "de-AT", "de-CH-1996", "de_DE@euro", "en", "en-GB", "pa", "pa-Guru", "pa-IN", "sd-Deva", "ks-Deva",
    "ar-Latn", "he-Latn", "az", "az-Latn", "uz", "ku", "ku-Latn", "sr-Cyrl", "zh-Hant-TW", "ja", "tr", "und", "zz",
)  # fmt: skip


@pytest.mark.parametrize("tag", RIGHT_TO_LEFT)
def test_right_to_left(tag: str) -> None:
    assert is_right_to_left(tag)


@pytest.mark.parametrize("tag", LEFT_TO_RIGHT)
def test_left_to_right(tag: str) -> None:
    assert not is_right_to_left(tag)


def test_the_script_list_agrees_with_every_locale_babel_knows() -> None:
    # The list answers only where Babel has no locale; where it has one, both must say the same.
    checked = 0
    for identifier in localedata.locale_identifiers():
        if identifier == "root":
            continue
        locale = Locale.parse(identifier)
        script = locale.script or _likely_script(str(locale)) or _likely_script(locale.language)
        assert (locale.character_order == "right-to-left") == (script in RTL_SCRIPTS), (identifier, script)
        checked += 1
    assert checked > 500


def _article(language: str) -> Article:
    return Article(headline="عنوان", language=language, sections=[Section(paragraphs=["فقرة."])])


@pytest.mark.parametrize("language", ["pa-Arab", "pa-PK", "az-Arab", "ku-Arab", "uz-Arab", "tk-Arab", "nqo"])
def test_html_marks_a_right_to_left_script_subtag(language: str) -> None:
    document = newsarticle.render(_article(language), "html", standalone=True, locale="de")
    assert isinstance(document, str)
    assert f'<html lang="{language}" dir="rtl">' in document
    assert f'<article lang="{language}" dir="rtl">' in document


@pytest.mark.parametrize("language", ["pa", "pa-Guru", "ku", "az", "ar-Latn"])
def test_html_leaves_a_left_to_right_tag_alone(language: str) -> None:
    fragment = newsarticle.render(_article(language), "html", locale="de")
    assert isinstance(fragment, str)
    assert f'<article lang="{language}">' in fragment


def test_html_meta_line_in_a_left_to_right_locale_inside_a_right_to_left_article() -> None:
    article = Article(
        headline="سرخط", language="ku-Arab", published=dt.date(2025, 2, 27), sections=_article("ku").sections
    )
    fragment = newsarticle.render(article, "html", locale="de")
    assert isinstance(fragment, str)
    assert '<article lang="ku-Arab" dir="rtl">' in fragment
    assert '<p class="meta" lang="de" dir="ltr">' in fragment
    fragment = newsarticle.render(attrs.evolve(article, language="de"), "html", locale="pa_Arab")
    assert isinstance(fragment, str)
    assert '<p class="meta" lang="pa-Arab" dir="rtl">' in fragment
