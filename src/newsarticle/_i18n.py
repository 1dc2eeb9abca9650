"""Everything Babel: locales, localized dates and numbers, translated labels.

This is the only module that imports Babel, and nothing imports this module
until a renderer or a named-month date line needs it. Locales are parsed once
and cached: re-parsing an identifier on every call costs about three times the
formatting itself.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext as _gettext
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from babel import Locale
from babel import UnknownLocaleError as _BabelUnknownLocale
from babel import dates as _dates
from babel import numbers as _numbers

from newsarticle._exceptions import OptionError, UnknownLocaleError

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

__all__ = [
    "DATE_FORMATS",
    "DEFAULT_LOCALE",
    "Formatter",
    "formatter_for",
    "get_locale",
    "locale_identifiers",
    "month_numbers",
    "weekday_numbers",
]

DEFAULT_LOCALE = "de"
DATE_FORMATS = ("short", "medium", "long", "full")
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "newsarticle"

# Locales whose month and weekday names the parser reads on a date line.
_PARSE_LOCALES = ("de", "de_AT", "de_CH", "en", "en_GB")


def _(message: str) -> str:
    """Mark a label for extraction; it is translated where it is shown."""
    return message


@functools.cache
def get_locale(identifier: str) -> Locale:
    """Parse a locale identifier (``de``, ``de_AT``, ``de-AT``) once, and cache it."""
    try:
        return Locale.parse(identifier.replace("-", "_"))
    except (_BabelUnknownLocale, ValueError, TypeError) as exc:
        raise UnknownLocaleError(
            f"unknown locale {identifier!r}: use an identifier Babel knows, such as 'de', 'de_AT' or 'en_GB'"
            ' (list them with: python -c "import babel; print(babel.localedata.locale_identifiers())")'
        ) from exc


def locale_identifiers() -> list[str]:
    """Every locale identifier Babel knows, sorted."""
    from babel.localedata import locale_identifiers as _ids

    return sorted(_ids())


def _name_table(groups: Iterable[dict[int, str]], shift: int = 0) -> dict[str, int]:
    table: dict[str, int] = {}
    ambiguous: set[str] = set()
    for names in groups:
        for number, name in names.items():
            key = name.rstrip(".").casefold()
            if table.get(key, number + shift) != number + shift:
                ambiguous.add(key)
            table[key] = number + shift
    for key in ambiguous:
        del table[key]
    return table


@functools.lru_cache(maxsize=1)
def month_numbers() -> dict[str, int]:
    """Casefolded month names and abbreviations (no final dot) of the parse locales, to 1-12."""
    groups = []
    for identifier in _PARSE_LOCALES:
        months = get_locale(identifier).months
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                groups.append(dict(months[context][width]))
    return _name_table(groups)


@functools.lru_cache(maxsize=1)
def weekday_numbers() -> dict[str, int]:
    """Casefolded weekday names and abbreviations of the parse locales, to 0 (Monday)-6."""
    groups = []
    for identifier in _PARSE_LOCALES:
        days = get_locale(identifier).days
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                groups.append(dict(days[context][width]))
    return _name_table(groups)


@functools.cache
def _translations(language: str, territory: str | None) -> _gettext.NullTranslations:
    languages = [f"{language}_{territory}", language] if territory else [language]
    try:
        return _gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=languages)
    except OSError:
        # No catalog for this language: English labels, the locale's own dates and numbers.
        return _gettext.NullTranslations()


@functools.cache
def _zone(name: str) -> ZoneInfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise OptionError(f"unknown time zone {name!r}: use an IANA name such as 'Europe/Berlin'") from exc


class Formatter:
    """Dates, numbers, plural units and labels for one locale.

    Renderers get one through their render context, so a third-party renderer
    formats German dates and numbers correctly without importing Babel.
    """

    def __init__(self, locale: str) -> None:
        self._locale = get_locale(locale)
        self.locale = str(self._locale)
        self._translations = _translations(self._locale.language, self._locale.territory)

    def __repr__(self) -> str:
        return f"Formatter({self.locale!r})"

    @property
    def language_tag(self) -> str:
        """The locale as a BCP 47 tag (``de-AT``), for ``lang`` attributes."""
        return self.locale.replace("_", "-")

    def gettext(self, message: str) -> str:
        """Translate a label."""
        return self._translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Translate a label whose form depends on the number ``n``."""
        return self._translations.ngettext(singular, plural, n)

    def number(self, value: float) -> str:
        """A number with the locale's digits, grouping and decimal sign (``1.234``)."""
        return _numbers.format_decimal(value, locale=self._locale)

    def date(self, value: dt.date, date_format: str = "long", timezone: str | None = None) -> str:
        """A date, or a date-time in its own offset or in ``timezone``, for people to read.

        ``date_format`` is one of Babel's names (short, medium, long, full) or a
        CLDR pattern such as ``"d. MMMM y"``.
        """
        if not isinstance(value, dt.datetime):
            return _dates.format_date(value, date_format, locale=self._locale)
        if timezone is not None:
            value = value.astimezone(_zone(timezone))
        date_text = _dates.format_date(value, date_format, locale=self._locale)
        time_text = _dates.format_time(value, "short", locale=self._locale)
        join = self._locale.datetime_formats.get(date_format if date_format in DATE_FORMATS else "medium")
        pattern = str(join) if join is not None else "{1} {0}"
        return pattern.replace("'", "").format(time_text, date_text)

    def words(self, count: int) -> str:
        """``1.234 Wörter``, ``1 word``."""
        return self.ngettext("{count} word", "{count} words", count).format(count=self.number(count))

    def reading_time(self, minutes: int) -> str:
        """``5 Minuten Lesezeit``, ``1 min read``."""
        return self.ngettext("{minutes} min read", "{minutes} min read", minutes).format(minutes=self.number(minutes))

    @property
    def quotes(self) -> tuple[str, str, str, str]:
        """Quotation marks: opening, closing, inner opening, inner closing.

        Babel does not ship CLDR's delimiters, so translators set them in the
        catalog (German „…“ ‚…‘); a locale without a catalog gets English ones.
        """
        p = self._translations.pgettext
        return (
            p("quotation mark", "\u201c"),
            p("quotation mark", "\u201d"),
            p("inner quotation mark", "\u2018"),
            p("inner quotation mark", "\u2019"),
        )


@functools.lru_cache(maxsize=64)
def formatter_for(locale: str) -> Formatter:
    """One cached Formatter per locale identifier."""
    return Formatter(locale)


# Labels that renderers add around an article, kept here so extraction finds them.
LABELS = (
    _("Section"),
    _("Published"),
    _("Reading time"),
)
