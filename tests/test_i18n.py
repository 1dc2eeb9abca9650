"""Localization: locale choice, Babel dates and numbers, plural forms and translated labels.

Expected strings are spelled out as CLDR (through Babel) writes them, including
its no-break spaces: U+202F NARROW NO-BREAK SPACE groups French digits and
separates the English time from AM/PM.
"""

from __future__ import annotations

import ast
import datetime as dt
import functools
import os
import shlex
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

import newsarticle
from newsarticle import Article, OptionError, RenderContext, Section, UnknownLocaleError, _i18n
from newsarticle._i18n import (
    DATE_FORMATS,
    Formatter,
    compile_po,
    formatter_for,
    get_locale,
    month_numbers,
    set_catalog_dir,
)
from newsarticle._render import resolve_locale

SRC = Path(newsarticle.__file__).parent
NNBSP = "\u202f"  # NARROW NO-BREAK SPACE
LOCALES = ("de", "de_AT", "de_CH", "en", "en_GB", "fr")

JANUARY = dt.date(2025, 1, 27)
MARCH = dt.date(2025, 3, 5)
# 09:15 in India is 04:45 in Berlin (CET) and 22:45 the day before in New York (EST).
INDIA_MORNING = dt.datetime(2025, 3, 5, 9, 15, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Compile the package's .po files afresh and read labels from them, so no test sees a stale .mo."""
    target = tmp_path_factory.mktemp("locale")
    for po_path in sorted(_i18n.LOCALE_DIR.glob("*/LC_MESSAGES/newsarticle.po")):
        mo_path = target / po_path.relative_to(_i18n.LOCALE_DIR).with_suffix(".mo")
        mo_path.parent.mkdir(parents=True)
        mo_path.write_bytes(compile_po(po_path))
    set_catalog_dir(target)
    yield target
    set_catalog_dir(None)


def make_article(**changes: object) -> Article:
    fields: dict[str, object] = {
        "headline": 'Der "große" Test',
        "category": "Wirtschaft",
        "language": "de",
        "published": MARCH,
        "sections": (Section(paragraphs=("Ein Absatz mit vier Wörtern.",)),),
    }
    fields.update(changes)
    return Article(**fields)  # type: ignore[arg-type]


# -- Which locale ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("identifier", "expected"), [
    ("de-AT", "de_AT"), ("de_AT", "de_AT"), ("de_at", "de_AT"), ("en-GB", "en_GB"), ("fr", "fr"), ("de_DE", "de_DE"),
])  # fmt: skip
def test_locale_identifiers_with_hyphen_or_underscore(identifier: str, expected: str) -> None:
    assert str(get_locale(identifier)) == expected
    assert formatter_for(identifier).locale == expected
    assert formatter_for(identifier).language_tag == expected.replace("_", "-")


def test_locales_are_parsed_once() -> None:
    get_locale("de-CH")
    hits = get_locale.cache_info().hits
    assert get_locale("de-CH") is get_locale("de-CH")
    assert get_locale.cache_info().hits == hits + 2
    assert formatter_for("de_CH") is formatter_for("de_CH")


@pytest.mark.parametrize("identifier", ["xx", "de_XX", "", "not a locale", "de-CH-1996-extra!"])
def test_unknown_locale_says_how_to_list_valid_ones(identifier: str) -> None:
    with pytest.raises(UnknownLocaleError, match="unknown locale") as info:
        formatter_for(identifier)
    assert "locale_identifiers()" in str(info.value)
    assert isinstance(info.value, ValueError)


@pytest.mark.slow
def test_the_listing_command_in_the_error_works() -> None:
    command = shlex.split(_i18n.LIST_LOCALES_HINT.split("list them with: ", 1)[1])
    assert command[0] == "python"
    output = subprocess.run([sys.executable, *command[1:]], capture_output=True, text=True, check=True).stdout
    assert "'de_AT'" in output


def test_locale_order_argument_then_article_language_then_german() -> None:
    assert resolve_locale("en-GB", make_article(language="fr")) == "en_GB"
    assert resolve_locale(None, make_article(language="fr-CH")) == "fr_CH"
    assert resolve_locale(None, make_article(language="zz")) == "de"
    with pytest.raises(UnknownLocaleError):
        resolve_locale("zz", make_article())


def test_render_rejects_an_unknown_locale() -> None:
    with pytest.raises(UnknownLocaleError, match="unknown locale 'klingon'"):
        newsarticle.render(make_article(), "source", locale="klingon")


# -- Babel stays in one module, loaded late ----------------------------------------------------------------------------


def test_only_i18n_imports_babel() -> None:
    importers = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            if any(name == "babel" or name.startswith("babel.") for name in names):
                importers.append(path.relative_to(SRC).as_posix())
    assert sorted(set(importers)) == ["_i18n.py"]


def test_catalogs_are_compiled_in_one_place() -> None:
    # The library, the wheel's build hook and scripts/catalogs.py all call _i18n.compile_po.
    root = SRC.parent.parent
    writers = [
        path.relative_to(root).as_posix()
        for path in sorted([*SRC.rglob("*.py"), root / "hatch_build.py", *(root / "scripts").glob("*.py")])
        if "write_mo" in path.read_text(encoding="utf-8")
    ]
    assert writers == ["src/newsarticle/_i18n.py"]
    assert "compile_po" in (root / "hatch_build.py").read_text(encoding="utf-8")


@pytest.mark.slow
def test_babel_loads_when_a_renderer_first_needs_it() -> None:
    code = textwrap.dedent(
        """
        import sys
        import newsarticle
        text = "Wirtschaft\\nEine Überschrift\\n2025-02-27\\n\\nDer erste Absatz.\\n"
        article = newsarticle.parse(text, language="de")
        newsarticle.render(article, "source")
        assert "babel" not in sys.modules, "babel loaded before anything was localized"
        assert newsarticle.RenderContext("de").formatter.words(1234) == "1.234 Wörter"
        assert "babel" in sys.modules
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- Dates ----------------------------------------------------------------------------------------------------------

DATES = {
    "de": {
        "short": ("27.01.25", "05.03.25"),
        "medium": ("27.01.2025", "05.03.2025"),
        "long": ("27. Januar 2025", "5. März 2025"),
        "full": ("Montag, 27. Januar 2025", "Mittwoch, 5. März 2025"),
    },
    "de_AT": {
        "short": ("27.01.25", "05.03.25"),
        "medium": ("27.01.2025", "05.03.2025"),
        "long": ("27. Jänner 2025", "5. März 2025"),
        "full": ("Montag, 27. Jänner 2025", "Mittwoch, 5. März 2025"),
    },
    "de_CH": {
        "short": ("27.01.25", "05.03.25"),
        "medium": ("27.01.2025", "05.03.2025"),
        "long": ("27. Januar 2025", "5. März 2025"),
        "full": ("Montag, 27. Januar 2025", "Mittwoch, 5. März 2025"),
    },
    "en": {
        "short": ("1/27/25", "3/5/25"),
        "medium": ("Jan 27, 2025", "Mar 5, 2025"),
        "long": ("January 27, 2025", "March 5, 2025"),
        "full": ("Monday, January 27, 2025", "Wednesday, March 5, 2025"),
    },
    "en_GB": {
        "short": ("27/01/2025", "05/03/2025"),
        "medium": ("27 Jan 2025", "5 Mar 2025"),
        "long": ("27 January 2025", "5 March 2025"),
        "full": ("Monday, 27 January 2025", "Wednesday, 5 March 2025"),
    },
    "fr": {
        "short": ("27/01/2025", "05/03/2025"),
        "medium": ("27 janv. 2025", "5 mars 2025"),
        "long": ("27 janvier 2025", "5 mars 2025"),
        "full": ("lundi 27 janvier 2025", "mercredi 5 mars 2025"),
    },
}


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("date_format", ["short", "medium", "long", "full"])
def test_dates(locale: str, date_format: str) -> None:
    formatter = formatter_for(locale)
    assert (formatter.date(JANUARY, date_format), formatter.date(MARCH, date_format)) == DATES[locale][date_format]


def test_dates_read_as_babel_writes_them_in_every_locale() -> None:
    # Formatter.date fills day, month, year and weekday itself (Babel takes ~3 µs a date); the rest is Babel's.
    from babel.dates import format_date
    from babel.localedata import locale_identifiers

    days = [dt.date(2024, month, 1 + month) for month in range(1, 13)] + [dt.date(999, 12, 31), dt.date(2025, 3, 9)]
    patterns = [*DATE_FORMATS, "d. MMMM y", "EEEE, d. MMMM yyyy", "LLLL yy", "EEEEE EEEEEE E MMMMM", "QQQ G w ccc"]
    for identifier in locale_identifiers():
        formatter = Formatter(identifier)
        for pattern in patterns:
            for day in days:
                assert formatter.date(day, pattern) == format_date(day, pattern, locale=identifier), (identifier, day)


def test_long_is_the_default() -> None:
    assert formatter_for("de").date(JANUARY) == "27. Januar 2025"
    assert formatter_for("de-AT").date(JANUARY) == "27. Jänner 2025"


# Own offset (+05:30), then Europe/Berlin, then America/New_York; all "long".
DATETIMES = {
    "de": ("5. März 2025, 09:15", "5. März 2025, 04:45", "4. März 2025, 22:45"),
    "de_AT": ("5. März 2025, 09:15", "5. März 2025, 04:45", "4. März 2025, 22:45"),
    "de_CH": ("5. März 2025, 09:15", "5. März 2025, 04:45", "4. März 2025, 22:45"),
    "en": (f"March 5, 2025, 9:15{NNBSP}AM", f"March 5, 2025, 4:45{NNBSP}AM", f"March 4, 2025, 10:45{NNBSP}PM"),
    "en_GB": ("5 March 2025, 09:15", "5 March 2025, 04:45", "4 March 2025, 22:45"),
    "fr": ("5 mars 2025, 09:15", "5 mars 2025, 04:45", "4 mars 2025, 22:45"),
}


@pytest.mark.parametrize("locale", LOCALES)
def test_datetime_in_its_own_offset_or_a_timezone(locale: str) -> None:
    formatter = formatter_for(locale)
    shown = (
        formatter.date(INDIA_MORNING),
        formatter.date(INDIA_MORNING, timezone="Europe/Berlin"),
        formatter.date(INDIA_MORNING, timezone="America/New_York"),
    )
    assert shown == DATETIMES[locale]


@pytest.mark.parametrize(("locale", "date_format", "expected"), [
    ("de", "short", "05.03.25, 09:15"),
    ("de", "full", "Mittwoch, 5. März 2025, 09:15"),
    ("en", "short", f"3/5/25, 9:15{NNBSP}AM"),
    ("en_GB", "medium", "5 Mar 2025, 09:15"),
    ("fr", "short", "05/03/2025 09:15"),  # CLDR joins the short French forms without a comma
    ("fr", "full", "mercredi 5 mars 2025, 09:15"),
])  # fmt: skip
def test_datetime_widths(locale: str, date_format: str, expected: str) -> None:
    assert formatter_for(locale).date(INDIA_MORNING, date_format) == expected


def test_summer_time_in_a_timezone() -> None:
    noon_utc = dt.datetime(2025, 7, 1, 12, 0, tzinfo=dt.timezone.utc)
    assert formatter_for("de").date(noon_utc, timezone="Europe/Berlin") == "1. Juli 2025, 14:00"
    assert formatter_for("en").date(noon_utc, timezone="America/New_York") == f"July 1, 2025, 8:00{NNBSP}AM"


def test_a_date_stays_a_date_in_any_timezone() -> None:
    assert formatter_for("de").date(MARCH, timezone="Pacific/Kiritimati") == "5. März 2025"


def test_cldr_patterns() -> None:
    assert formatter_for("de").date(MARCH, "d. MMMM y") == "5. März 2025"
    assert formatter_for("de_AT").date(JANUARY, "EEEE, d. MMMM") == "Montag, 27. Jänner"
    assert formatter_for("de").date(INDIA_MORNING, "d. MMMM y, HH:mm 'Uhr'") == "5. März 2025, 09:15 Uhr"
    assert formatter_for("fr").date(INDIA_MORNING, "d MMMM y HH:mm", "Europe/Paris") == "5 mars 2025 04:45"


def test_time_fields_for_a_date_are_an_option_error() -> None:
    with pytest.raises(OptionError, match=r"date_format 'd\. MMMM y, HH:mm'") as info:
        formatter_for("de").date(MARCH, "d. MMMM y, HH:mm")
    # The date as a reader writes it, and what fits instead; not Python's repr of it.
    assert f"a date only ({MARCH.isoformat()})" in str(info.value)
    assert "datetime.date(" not in str(info.value)
    assert "short, medium, long and full suit both" in str(info.value)


def test_unknown_timezone_is_an_option_error() -> None:
    with pytest.raises(OptionError, match="unknown time zone 'Europe/Bonn'"):
        formatter_for("de").date(INDIA_MORNING, timezone="Europe/Bonn")
    with pytest.raises(OptionError, match="unknown time zone"):
        formatter_for("de").date(MARCH, timezone="Mars/Olympus_Mons")


def test_render_context_date_uses_the_options() -> None:
    article = make_article(published=INDIA_MORNING)
    context = RenderContext("de-AT", {"date_format": "full", "timezone": "America/New_York"})
    assert context.date(article) == "Dienstag, 4. März 2025, 22:45"
    assert RenderContext("de_AT", {}).date(make_article(published=JANUARY)) == "27. Jänner 2025"
    assert RenderContext("de", {}).date(make_article(published=None)) is None


def test_the_parser_reads_month_names_from_the_same_data() -> None:
    months = month_numbers()
    assert (months["jänner"], months["januar"], months["january"], months["märz"], months["mär"]) == (1, 1, 1, 3, 3)
    assert newsarticle.parse("Kultur\nTitel\n27. Jänner 2025\n\nText.\n", language="de").published == JANUARY


# -- Numbers and plural forms --------------------------------------------------------------------------------------

NUMBERS = {
    "de": ("1", "2", "1.234", "1.000.000"),
    "de_AT": ("1", "2", "1.234", "1.000.000"),
    "de_CH": ("1", "2", "1'234", "1'000'000"),
    "en": ("1", "2", "1,234", "1,000,000"),
    "en_GB": ("1", "2", "1,234", "1,000,000"),
    "fr": ("1", "2", f"1{NNBSP}234", f"1{NNBSP}000{NNBSP}000"),
}


@pytest.mark.parametrize("locale", LOCALES)
def test_numbers(locale: str) -> None:
    assert tuple(formatter_for(locale).number(n) for n in (1, 2, 1234, 1_000_000)) == NUMBERS[locale]


def test_swiss_grouping_survives_babel_quote_stripping() -> None:
    # Babel removes pairs of ASCII apostrophes from its output; CLDR 48 made the Swiss separator one.
    assert formatter_for("de_CH").number(1_234_567) == "1'234'567"
    assert formatter_for("de_CH").number(1_234_567.5) == "1'234'567.5"
    assert formatter_for("de_CH").number(-1_000_000) == "-1'000'000"


def test_whole_numbers_are_grouped_as_babel_groups_them_in_every_locale() -> None:
    # Formatter.number groups ints itself (Babel takes ~7 µs per call); floats still go through Babel.
    from babel.localedata import locale_identifiers

    for identifier in locale_identifiers():
        formatter = Formatter(identifier)
        for n in (0, 7, 12, 123, 1234, 12345, 123456, 1234567, 10**12 + 5):
            assert formatter.number(n) == formatter.number(float(n)), (identifier, n)


def test_date_strings_are_remembered_per_format_only_for_dates() -> None:
    formatter = Formatter("de")
    assert formatter.date(MARCH, "short") == "05.03.25"
    assert formatter.date(MARCH, "long") == "5. März 2025"
    assert formatter.date(MARCH, "short") == "05.03.25"
    same_instant = INDIA_MORNING.astimezone(dt.timezone.utc)
    assert formatter.date(INDIA_MORNING) == "5. März 2025, 09:15"
    assert formatter.date(same_instant) == "5. März 2025, 03:45"  # equal datetimes, each in its own offset


WORDS = {
    "de": ("1 Wort", "2 Wörter", "1.234 Wörter", "1.000.000 Wörter"),
    "de_AT": ("1 Wort", "2 Wörter", "1.234 Wörter", "1.000.000 Wörter"),
    "de_CH": ("1 Wort", "2 Wörter", "1'234 Wörter", "1'000'000 Wörter"),
    "en": ("1 word", "2 words", "1,234 words", "1,000,000 words"),
    "en_GB": ("1 word", "2 words", "1,234 words", "1,000,000 words"),
    # French has CLDR's third form for exact millions: "1 000 000 de mots".
    "fr": ("1 mot", "2 mots", f"1{NNBSP}234 mots", f"1{NNBSP}000{NNBSP}000 de mots"),
}

READING_TIMES = {
    "de": ("1 Minute Lesezeit", "2 Minuten Lesezeit", "1.234 Minuten Lesezeit", "1.000.000 Minuten Lesezeit"),
    "de_AT": ("1 Minute Lesezeit", "2 Minuten Lesezeit", "1.234 Minuten Lesezeit", "1.000.000 Minuten Lesezeit"),
    "de_CH": ("1 Minute Lesezeit", "2 Minuten Lesezeit", "1'234 Minuten Lesezeit", "1'000'000 Minuten Lesezeit"),
    "en": ("1 min read", "2 min read", "1,234 min read", "1,000,000 min read"),
    "en_GB": ("1 min read", "2 min read", "1,234 min read", "1,000,000 min read"),
    "fr": ("1 min de lecture", "2 min de lecture", f"1{NNBSP}234 min de lecture",
           f"1{NNBSP}000{NNBSP}000 min de lecture"),
}  # fmt: skip


@pytest.mark.parametrize("locale", LOCALES)
def test_plural_forms(locale: str) -> None:
    formatter = formatter_for(locale)
    assert tuple(formatter.words(n) for n in (1, 2, 1234, 1_000_000)) == WORDS[locale]
    assert tuple(formatter.reading_time(n) for n in (1, 2, 1234, 1_000_000)) == READING_TIMES[locale]


@pytest.mark.parametrize("n", [0, 1, 2, 5, 11, 21, 101, 1001])
def test_the_plural_follows_the_number(n: int) -> None:
    """Never "1 Minuten": one form for exactly 1 (and, in French, 0), the other for every other count."""
    for locale in ("de", "de_AT", "de_CH"):
        formatter = formatter_for(locale)
        shown = formatter.number(n)
        assert formatter.reading_time(n) == f"{shown} {'Minute' if n == 1 else 'Minuten'} Lesezeit"
        assert formatter.words(n) == f"{shown} {'Wort' if n == 1 else 'Wörter'}"
    for locale in ("en", "en_GB"):
        assert formatter_for(locale).words(n) == f"{formatter_for(locale).number(n)} {'word' if n == 1 else 'words'}"
    french = "mot" if n in (0, 1) else "mots"
    assert formatter_for("fr").words(n) == f"{formatter_for('fr').number(n)} {french}"


# -- Labels ---------------------------------------------------------------------------------------------------------

LABELS = {
    "de": ("Rubrik", "Veröffentlicht am", "Lesezeit"),
    "de_AT": ("Rubrik", "Veröffentlicht am", "Lesezeit"),
    "de_CH": ("Rubrik", "Veröffentlicht am", "Lesezeit"),
    "en": ("Section", "Published", "Reading time"),
    "en_GB": ("Section", "Published", "Reading time"),
    "fr": ("Rubrique", "Publié le", "Temps de lecture"),
}


@pytest.mark.parametrize("locale", LOCALES)
def test_labels(locale: str) -> None:
    formatter = formatter_for(locale)
    assert tuple(map(formatter.gettext, ("Section", "Published", "Reading time"))) == LABELS[locale]


QUOTES = {
    "de": ("„", "“", "‚", "‘"),
    "de_AT": ("„", "“", "‚", "‘"),
    "de_CH": ("«", "»", "‹", "›"),
    "en": ("“", "”", "‘", "’"),
    "en_GB": ("“", "”", "‘", "’"),
    "fr": (f"«{NNBSP}", f"{NNBSP}»", "“", "”"),
}


@pytest.mark.parametrize("locale", LOCALES)
def test_quotation_marks(locale: str) -> None:
    assert formatter_for(locale).quotes == QUOTES[locale]


def test_babel_ships_no_quotation_delimiters() -> None:
    # Why the marks come from the catalogs: if Babel ever ships CLDR's delimiters, use them instead.
    from babel.localedata import load

    assert not any("delimiter" in key or "quot" in key for key in load("de"))


@pytest.mark.parametrize(("locale", "headline"), [
    ("de", "Der „große“ Test"),
    ("de_CH", "Der «große» Test"),
    ("en", "Der “große” Test"),
    ("fr", f"Der «{NNBSP}große{NNBSP}» Test"),
])  # fmt: skip
def test_typography_uses_the_locale_marks(locale: str, headline: str) -> None:
    rendered = newsarticle.render(make_article(), "source", locale=locale, transforms=["typography"])
    assert isinstance(rendered, str)
    assert headline in rendered


@pytest.mark.parametrize("locale", ["it", "ja", "pt_BR"])
def test_locale_without_catalog_gets_english_labels_and_its_own_formats(locale: str) -> None:
    formatter = formatter_for(locale)
    assert formatter.gettext("Published") == "Published"
    assert formatter.quotes == QUOTES["en"]
    expected = {
        "it": ("1.234 words", "1 min read", "27 gennaio 2025"),
        "ja": ("1,234 words", "1 min read", "2025年1月27日"),
        "pt_BR": ("1.234 words", "1 min read", "27 de janeiro de 2025"),
    }
    assert (formatter.words(1234), formatter.reading_time(1), formatter.date(JANUARY)) == expected[locale]


def test_regional_catalog_falls_back_to_its_language() -> None:
    swiss = formatter_for("de_CH")
    assert swiss.quotes[0] == "«"  # from de_CH
    assert swiss.words(2) == "2 Wörter"  # from de
    assert formatter_for("de_AT").quotes[0] == "„"  # no de_AT catalog: de's


def test_pgettext_and_npgettext_fall_back_to_the_english_message() -> None:
    formatter = formatter_for("de")
    assert formatter.pgettext("no such context", "Published") == "Published"
    assert formatter.npgettext("no such context", "{n} item", "{n} items", 2) == "{n} items"


# -- Finding catalogs ---------------------------------------------------------------------------------------------


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Iterator[Path]:
    """The package's .po files alone in a directory the Formatter reads, as in a source checkout."""
    for po_path in _i18n.LOCALE_DIR.glob("*/LC_MESSAGES/newsarticle.po"):
        target = tmp_path / po_path.relative_to(_i18n.LOCALE_DIR)
        target.parent.mkdir(parents=True)
        shutil.copy2(po_path, target)
    previous = _i18n.catalog_dir()
    set_catalog_dir(tmp_path)
    yield tmp_path
    set_catalog_dir(previous)


def test_po_without_mo_is_compiled_in_memory(catalog_copy: Path) -> None:
    assert Formatter("de").gettext("Published") == "Veröffentlicht am"
    assert not list(catalog_copy.rglob("*.mo")), "compiling on first use must not write into the package"


def test_a_stale_mo_is_ignored(catalog_copy: Path) -> None:
    po_path = catalog_copy / "de" / "LC_MESSAGES" / "newsarticle.po"
    stale = po_path.read_text(encoding="utf-8").replace('msgstr "Veröffentlicht am"', 'msgstr "Erschienen"')
    mo_path = po_path.with_suffix(".mo")
    stale_po = catalog_copy / "stale.po"
    stale_po.write_text(stale, encoding="utf-8")
    mo_path.write_bytes(compile_po(stale_po))
    os.utime(mo_path, (po_path.stat().st_mtime - 60,) * 2)
    assert Formatter("de").gettext("Published") == "Veröffentlicht am"

    os.utime(mo_path, (po_path.stat().st_mtime + 60,) * 2)  # a .mo newer than its .po is what a build made
    set_catalog_dir(catalog_copy)
    assert Formatter("de").gettext("Published") == "Erschienen"


def test_fuzzy_entries_are_not_used(catalog_copy: Path) -> None:
    po_path = catalog_copy / "de" / "LC_MESSAGES" / "newsarticle.po"
    text = po_path.read_text(encoding="utf-8")
    po_path.write_text(text.replace('msgid "Published"', '#, fuzzy\nmsgid "Published"'), encoding="utf-8")
    assert Formatter("de").gettext("Published") == "Published"
    assert Formatter("de").gettext("Section") == "Rubrik"


# -- Through render() -----------------------------------------------------------------------------------------------


@functools.cache
def article_of(words: int, published: dt.date = JANUARY) -> Article:
    """A German article whose body has exactly ``words`` words."""
    return make_article(published=published, sections=(Section(paragraphs=(" ".join(["Wort"] * words),)),))


def meta_line(html: str) -> str:
    (line,) = (line for line in html.splitlines() if line.startswith('<p class="meta"'))
    return line


# The meta line: label, date, word count and reading time, for 1, 2, 1234 and 1,000,000 words.
META = {
    "de": ("Veröffentlicht am", "27. Januar 2025", ("1 Wort", "2 Wörter", "1.234 Wörter", "1.000.000 Wörter"),
           ("1 Minute Lesezeit", "1 Minute Lesezeit", "6 Minuten Lesezeit", "5.000 Minuten Lesezeit")),
    "de_AT": ("Veröffentlicht am", "27. Jänner 2025", ("1 Wort", "2 Wörter", "1.234 Wörter", "1.000.000 Wörter"),
              ("1 Minute Lesezeit", "1 Minute Lesezeit", "6 Minuten Lesezeit", "5.000 Minuten Lesezeit")),
    "de_CH": ("Veröffentlicht am", "27. Januar 2025", ("1 Wort", "2 Wörter", "1'234 Wörter", "1'000'000 Wörter"),
              ("1 Minute Lesezeit", "1 Minute Lesezeit", "6 Minuten Lesezeit", "5'000 Minuten Lesezeit")),
    "en": ("Published", "January 27, 2025", ("1 word", "2 words", "1,234 words", "1,000,000 words"),
           ("1 min read", "1 min read", "6 min read", "5,000 min read")),
    "en_GB": ("Published", "27 January 2025", ("1 word", "2 words", "1,234 words", "1,000,000 words"),
              ("1 min read", "1 min read", "6 min read", "5,000 min read")),
    "fr": ("Publié le", "27 janvier 2025",
           ("1 mot", "2 mots", f"1{NNBSP}234 mots", f"1{NNBSP}000{NNBSP}000 de mots"),
           ("1 min de lecture", "1 min de lecture", "6 min de lecture", f"5{NNBSP}000 min de lecture")),
}  # fmt: skip


@pytest.mark.parametrize("locale", LOCALES)
def test_html_meta_line(locale: str) -> None:
    label, date, words, minutes = META[locale]
    tag = locale.replace("_", "-")
    lang = "" if tag == "de" else f' lang="{tag}"'
    for index, count in enumerate((1, 2, 1234, 1_000_000)):
        html = newsarticle.render(article_of(count), "html", locale=locale, reading_time=True)
        assert isinstance(html, str)
        assert meta_line(html) == (
            f'<p class="meta"{lang}>{label} <time datetime="2025-01-27">{date}</time>'
            f" · {words[index]} · {minutes[index]}</p>"
        )


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("date_format", ["short", "medium", "long", "full"])
def test_html_dates(locale: str, date_format: str) -> None:
    for index, value in enumerate((JANUARY, MARCH)):
        html = newsarticle.render(article_of(3, value), "html", locale=locale, date_format=date_format)
        assert isinstance(html, str)
        assert f'<time datetime="{value.isoformat()}">{DATES[locale][date_format][index]}</time>' in html


@pytest.mark.parametrize("locale", LOCALES)
def test_html_datetime_in_its_offset_and_in_a_timezone(locale: str) -> None:
    article = article_of(3, INDIA_MORNING)
    shown = [
        newsarticle.render(article, "html", locale=locale, **({"timezone": zone} if zone else {}))
        for zone in (None, "Europe/Berlin", "America/New_York")
    ]
    for html, expected in zip(shown, DATETIMES[locale], strict=True):
        assert isinstance(html, str)
        assert f'<time datetime="2025-03-05T09:15:00+05:30">{expected}</time>' in html


def test_html_takes_the_article_language_then_german() -> None:
    assert "27. Jänner 2025" in str(newsarticle.render(make_article(language="de-AT", published=JANUARY), "html"))
    assert "January 27, 2025" in str(newsarticle.render(make_article(language="en", published=JANUARY), "html"))
    assert "27. Januar 2025" in str(newsarticle.render(make_article(language="zz", published=JANUARY), "html"))


def text_meta(text: str) -> str:
    """The text renderer's line under the headline (category, headline, underline, then it)."""
    return text.split("\n\n")[2]


def markdown_meta(markdown: str) -> str:
    """The Markdown renderer's line under the ``# headline``."""
    return markdown.split("\n\n")[1]


@pytest.mark.parametrize("locale", LOCALES)
def test_text_meta_line(locale: str) -> None:
    label, date, words, minutes = META[locale]
    for index, count in enumerate((1, 2, 1234, 1_000_000)):
        text = newsarticle.render(article_of(count), "text", locale=locale, width=0)
        assert isinstance(text, str)
        assert text_meta(text) == f"{label} {date} · {words[index]} · {minutes[index]}"


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("date_format", ["short", "medium", "long", "full"])
def test_markdown_and_text_dates(locale: str, date_format: str) -> None:
    label = META[locale][0]
    for index, value in enumerate((JANUARY, MARCH)):
        expected = f"{label} {DATES[locale][date_format][index]}"
        markdown = newsarticle.render(article_of(3, value), "markdown", locale=locale, date_format=date_format)
        text = newsarticle.render(article_of(3, value), "text", locale=locale, date_format=date_format, width=0)
        assert isinstance(markdown, str)
        assert isinstance(text, str)
        assert markdown_meta(markdown) == f"Wirtschaft · {expected}"
        assert text_meta(text).startswith(f"{expected} · ")


@pytest.mark.parametrize("locale", LOCALES)
def test_markdown_and_text_datetime_in_its_offset_and_in_a_timezone(locale: str) -> None:
    article = article_of(3, INDIA_MORNING)
    label = META[locale][0]
    for zone, expected in zip((None, "Europe/Berlin", "America/New_York"), DATETIMES[locale], strict=True):
        options = {"timezone": zone} if zone else {}
        markdown = newsarticle.render(article, "markdown", locale=locale, **options)
        text = newsarticle.render(article, "text", locale=locale, width=0, **options)
        assert isinstance(markdown, str)
        assert isinstance(text, str)
        assert markdown_meta(markdown) == f"Wirtschaft · {label} {expected}"
        assert text_meta(text).startswith(f"{label} {expected} · ")


def test_typography_then_markdown_in_french() -> None:
    markdown = newsarticle.render(make_article(), "markdown", locale="fr", transforms=["typography"])
    assert isinstance(markdown, str)
    assert markdown.startswith(f"# Der «{NNBSP}große{NNBSP}» Test\n")


@pytest.mark.parametrize("pattern", ["foo", "{1}", "%(d)s", "'d. MMMM y'"])
def test_a_date_format_without_date_fields_is_an_option_error(pattern: str) -> None:
    article = newsarticle.parse(
        "Lokales\nEine Meldung\n2025-02-27T10:00:00+01:00\n\nDer Text der Meldung steht hier.\n", language="de"
    )
    with pytest.raises(newsarticle.OptionError, match="CLDR date pattern"):
        newsarticle.render(article, "text", date_format=pattern)


def test_a_time_zone_that_cannot_hold_the_instant_keeps_its_own_offset() -> None:
    article = newsarticle.parse(
        "Lokales\nEine Meldung\n0001-01-01T00:10:00+00:30\n\nDer Text der Meldung steht hier.\n", language="de"
    )
    text = newsarticle.render(article, "text", locale="de", timezone="America/New_York")
    assert "1. Januar 1" in text
