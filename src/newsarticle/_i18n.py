"""Everything Babel: locales, localized dates and numbers, translated labels.

This is the only module that imports Babel, and nothing imports this module
until a renderer or a named-month date line needs it. Locales are parsed once
and cached: re-parsing an identifier on every call costs about three times the
formatting itself.

Labels come from gettext catalogs in ``locale/<lang>/LC_MESSAGES/newsarticle.po``.
A wheel ships them compiled (``.mo``, by the build hook in ``hatch_build.py``);
where a ``.po`` has no ``.mo`` beside it, or a newer one, as in a source checkout
or an editable install, it is compiled in memory on first use, so a label never
comes from a stale ``.mo``. A regional catalog (``de_CH``) may hold only what
differs from its language's catalog (``de``), which it falls back to.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gettext as _gettext
import io
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from babel import Locale
from babel import UnknownLocaleError as _BabelUnknownLocale
from babel import dates as _dates
from babel import lists as _lists
from babel import numbers as _numbers

from newsarticle._exceptions import OptionError, UnknownLocaleError

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

__all__ = [
    "DATE_FORMATS",
    "DEFAULT_LOCALE",
    "DOMAIN",
    "LABELS",
    "LOCALE_DIR",
    "Formatter",
    "catalog_dir",
    "compile_po",
    "formatter_for",
    "get_locale",
    "is_date_format",
    "is_right_to_left",
    "is_time_zone",
    "month_numbers",
    "set_catalog_dir",
    "weekday_numbers",
]

DEFAULT_LOCALE = "de"
DATE_FORMATS = ("short", "medium", "long", "full")
#: Where the package keeps its catalogs: ``<lang>/LC_MESSAGES/newsarticle.po`` (and ``.mo`` in a wheel).
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "newsarticle"
LIST_LOCALES_HINT = 'list them with: python -c "import babel.localedata as d; print(d.locale_identifiers())"'

# Locales whose month and weekday names the parser reads on a date line.
_PARSE_LOCALES = ("de", "de_AT", "de_CH", "en", "en_GB")

# Where catalogs are read from: the package's own, unless set_catalog_dir() says otherwise.
_catalog_dirs = [LOCALE_DIR]


def _(message: str) -> str:
    """Mark a label for extraction; it is translated where it is shown."""
    return message


# Labels for any renderer, built-in or third-party, to show through ``context.formatter.gettext``:
# listed here so that extraction puts them into the catalogs even before a renderer uses them.
LABELS = (
    _("Section"),
    _("Published"),
    _("Reading time"),
)


@functools.cache
def get_locale(identifier: str) -> Locale:
    """Parse a locale identifier (``de``, ``de_AT``, ``de-AT``) once, and cache it.

    :raises UnknownLocaleError: Babel does not know the identifier; the message says how to list those it knows.
        ``und`` (an article whose language detection could not tell) is no locale either.
    """
    try:
        # Babel reads "und" (undetermined) as en_US, its likeliest language; it means no language at all.
        if identifier.replace("-", "_").partition("_")[0].lower() == "und":
            raise _BabelUnknownLocale(identifier)
        return Locale.parse(identifier.replace("-", "_"))
    except (_BabelUnknownLocale, ValueError, TypeError, AttributeError) as exc:
        raise UnknownLocaleError(
            f"unknown locale {identifier!r}: use an identifier Babel knows, such as 'de', 'de_AT', 'de-CH' or 'en_GB'"
            f" ({LIST_LOCALES_HINT})"
        ) from exc


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


# -- Catalogs -----------------------------------------------------------------------------------------------------


def catalog_dir() -> Path:
    """The directory that catalogs are read from (:data:`LOCALE_DIR` unless :func:`set_catalog_dir` changed it)."""
    return _catalog_dirs[-1]


def set_catalog_dir(directory: Path | None) -> None:
    """Read catalogs from ``directory`` (``None``: the package's own) and forget those already loaded.

    The test suite points this at catalogs it has just compiled.
    """
    _catalog_dirs[-1] = LOCALE_DIR if directory is None else Path(directory)
    _translations.cache_clear()
    formatter_for.cache_clear()


def compile_po(po_path: Path) -> bytes:
    """Compile ``<lang>/LC_MESSAGES/<domain>.po`` to ``.mo`` bytes, without fuzzy entries (as ``pybabel compile``).

    :raises ValueError: the catalog has errors (a placeholder missing from a
        translation, a broken plural form); the message lists each with the file.
    """
    # The one place that compiles catalogs: the wheel's build hook (hatch_build.py) and
    # scripts/catalogs.py call it too.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    # In the usual layout the directory names the language, for a catalog whose header does not.
    language = po_path.parent.parent.name if po_path.parent.name == "LC_MESSAGES" else None
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=language, domain=po_path.stem)
    errors = [
        f"{po_path}: {message.id!r}: {error}" for message, message_errors in catalog.check() for error in message_errors
    ]
    if errors:
        raise ValueError("catalog errors:\n" + "\n".join(errors))
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def _load_catalog(directory: Path) -> _gettext.GNUTranslations | None:
    mo_path = directory / f"{DOMAIN}.mo"
    po_path = directory / f"{DOMAIN}.po"
    if mo_path.is_file() and (not po_path.is_file() or mo_path.stat().st_mtime >= po_path.stat().st_mtime):
        with mo_path.open("rb") as mo_file:
            return _gettext.GNUTranslations(mo_file)
    if po_path.is_file():
        # A source checkout or an editable install: no .mo, or one older than its .po.
        return _gettext.GNUTranslations(io.BytesIO(compile_po(po_path)))
    return None


def _catalog_names(locale: Locale) -> list[str]:
    """``de_CH`` -> ``["de_CH", "de"]``: the most specific catalog first, its language's last."""
    names = [str(locale)]
    if locale.script and locale.territory:
        names.append(f"{locale.language}_{locale.script}")
    names.append(locale.language)
    return list(dict.fromkeys(names))


@functools.cache
def _translations(identifier: str) -> tuple[_gettext.NullTranslations, str]:
    """The catalog chain for a parsed locale identifier, and the language its labels are in (a BCP 47 tag).

    English labels where no catalog exists.
    """
    chain: _gettext.NullTranslations | None = None
    language = "en"  # the msgids are English, so a locale without a catalog shows English labels
    for name in _catalog_names(get_locale(identifier)):
        catalog = _load_catalog(catalog_dir() / name / "LC_MESSAGES")
        if catalog is None:
            continue
        if chain is None:
            chain, language = catalog, name.replace("_", "-")
        else:
            chain.add_fallback(catalog)
    return (chain if chain is not None else _gettext.NullTranslations()), language


# -- Formatting ---------------------------------------------------------------------------------------------------


@functools.cache
def _zone(name: str) -> ZoneInfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise OptionError(f"unknown time zone {name!r}: use an IANA name such as 'Europe/Berlin'") from exc


def is_time_zone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone that this system knows (``Europe/Berlin``)."""
    try:
        _zone(name)
    except OptionError:
        return False
    return True


_MEMO_SIZE = 4096
_JOIN_TOKEN = re.compile(r"'([^']*)'|\{([01])\}")


def _join(pattern: str, date_text: str, time_text: str) -> str:
    """Fill a CLDR date-time pattern (``{1}, {0}``, ``{1} 'um' {0}``): ``{1}`` the date, ``{0}`` the time."""

    def replace(match: re.Match[str]) -> str:
        if match.group(2) is not None:
            return time_text if match.group(2) == "0" else date_text
        return match.group(1) or "'"  # '' is a literal apostrophe

    return _JOIN_TOKEN.sub(replace, pattern)


_MONTH_WIDTHS = {3: "abbreviated", 4: "wide", 5: "narrow"}
_DAY_WIDTHS = {3: "abbreviated", 4: "wide", 5: "narrow", 6: "short"}
_TEMPLATE_FIELD = re.compile(r"%\((\w+)\)s|%%")

#: A date pattern made ready to fill: a str.format template, and a function per field that reads it from a date.
CompiledDate = tuple[str, tuple[Callable[[dt.date], str], ...]]


def _field_reader(name: str, formatter: Formatter) -> Callable[[dt.date], str]:
    """A function that gives field ``name`` of a date as Babel's ``DateTimeFormat`` does.

    Day, month, year and weekday read tables the formatter keeps (Babel looks each
    name up through several layers, about 3 µs a date); any other field is Babel's.
    A test compares the two for every locale Babel knows.
    """
    char, width = name[0], len(name)
    if char == "d":
        return lambda value: str(value.day).zfill(width)
    if char in "ML" and width <= 2:
        return lambda value: str(value.month).zfill(width)
    if char in "ML" and width in _MONTH_WIDTHS:
        months = formatter._names("months", "format" if char == "M" else "stand-alone", _MONTH_WIDTHS[width])
        return lambda value: months[value.month]
    if char == "y" and width == 2:
        return lambda value: str(value.year).zfill(2)[-2:]
    if char == "y":
        return lambda value: str(value.year).zfill(width)
    if char == "E" and width <= 6:
        days = formatter._names("days", "format", _DAY_WIDTHS[max(width, 3)])
        return lambda value: days[value.weekday()]
    locale = formatter._locale
    return lambda value: str(_dates.DateTimeFormat(value, locale)[name])


def _compile_date(template: str, formatter: Formatter) -> CompiledDate:
    """Babel's %-template of a date pattern (``%(d)s. %(MMMM)s %(y)s``) as a str.format template and readers."""
    readers = []
    parts = []
    position = 0
    for match in _TEMPLATE_FIELD.finditer(template):
        parts.append(template[position : match.start()].replace("{", "{{").replace("}", "}}"))
        if match.group(1) is None:
            parts.append("%")
        else:
            parts.append("{}")
            readers.append(_field_reader(match.group(1), formatter))
        position = match.end()
    parts.append(template[position:].replace("{", "{{").replace("}", "}}"))
    return "".join(parts), tuple(readers)


# CLDR's date field letters; a pattern without one shows no date at all.
_DATE_FIELDS = re.compile("[GyYuUrQqMLlwWdDFgEec]")
_QUOTED = re.compile("'[^']*'")


def _check_pattern(pattern: str) -> None:
    """Refuse a date_format that is not a CLDR date pattern (Babel would print it as it is)."""
    bare = _QUOTED.sub("", pattern)
    if not _DATE_FIELDS.search(bare) or any(mark in bare for mark in "%{}"):
        raise OptionError(
            f"date_format {pattern!r} is neither short, medium, long nor full, nor a CLDR date pattern"
            " with date fields such as 'd. MMMM y'"
        )


# A date-time with every field a pattern can show, to try a pattern on once.
_SAMPLE = dt.datetime(2025, 2, 27, 14, 30, 15, tzinfo=dt.timezone(dt.timedelta(hours=1)))


@functools.lru_cache(maxsize=256)
def _unfit_pattern(date_format: str, value: dt.date) -> str:
    """Why ``date_format`` cannot show ``value``, with the value as a reader writes it (not its repr)."""
    if isinstance(value, dt.datetime):
        return f"date_format {date_format!r} cannot show the date-time {value.isoformat()}"
    return (
        f"date_format {date_format!r} asks for a time, and the article has a date only ({value.isoformat()}):"
        " a date has no time fields such as H, m or z; the named formats short, medium, long and full suit both"
    )


def is_date_format(date_format: str) -> bool:
    """Whether ``date_format`` is a named format or a CLDR date pattern with date fields.

    A pattern with time fields too (``d. MMMM y, HH:mm``) is one: it suits
    date-times, and a date-only article refuses it on its own.
    """
    if date_format in DATE_FORMATS:
        return True
    try:
        _check_pattern(date_format)
        _dates.format_datetime(_SAMPLE, date_format, locale=get_locale("en"))
    except (OptionError, AttributeError, KeyError, ValueError, TypeError):
        return False
    return True


class Formatter:
    """Dates, numbers, plural units and labels for one locale.

    Renderers get one through their render context (``context.formatter``), so a
    third-party renderer formats German dates and numbers correctly without
    importing Babel. Get one with :func:`formatter_for`, which caches them.
    """

    def __init__(self, locale: str) -> None:
        self._locale = get_locale(locale)
        self.locale = str(self._locale)
        self._translations, self._labels_language = _translations(self.locale)
        group, decimal = _numbers.get_group_symbol(self._locale), _numbers.get_decimal_symbol(self._locale)
        # Babel strips every pair of ASCII apostrophes from what it formats, so the Swiss group
        # separator (CLDR 48 made it ') vanishes from 1'000'000. Such locales format with the
        # locale's pattern and English symbols, then swap the symbols in.
        self._swap_symbols = str.maketrans({",": group, ".": decimal}) if "'" in group + decimal else None
        # Counts are what renderers format, and Babel spends ~7 µs on each: group whole numbers here,
        # as NumberPattern does (tests compare the two for every locale Babel knows).
        pattern = self._locale.decimal_formats[None]
        plain = not (pattern.prefix[0] or pattern.suffix[0] or pattern.scale or pattern.exp_prec)
        self._grouping: tuple[int, int, int, str] | None = (
            (pattern.int_prec[0], *pattern.grouping, group) if plain and "@" not in pattern.pattern else None
        )
        # Dates, word counts and reading times repeat across the articles of a batch, and each
        # always reads the same in one locale: remember the strings (bounded; cleared when full).
        self._memo: dict[tuple[object, ...], str] = {}
        self._tables: dict[tuple[str, str, str], dict[int, str]] = {}
        self._patterns: dict[str, CompiledDate] = {}

    def _remember(self, key: tuple[object, ...], text: str) -> str:
        if len(self._memo) >= _MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = text
        return text

    def _names(self, kind: str, context: str, width: str) -> dict[int, str]:
        """Month (``kind="months"``) or weekday names as a plain dict, read from Babel's data once."""
        key = (kind, context, width)
        table = self._tables.get(key)
        if table is None:
            table = self._tables[key] = dict(getattr(self._locale, kind)[context][width])
        return table

    def _date_text(self, value: dt.date, date_format: str) -> str:
        """The date part of ``value`` in a named format or a CLDR pattern."""
        compiled = self._patterns.get(date_format)
        if compiled is None:
            if date_format in DATE_FORMATS:
                pattern = self._locale.date_formats[date_format]
            else:
                pattern = _dates.parse_pattern(date_format)
            compiled = self._patterns[date_format] = _compile_date(str(pattern.format), self)
        template, readers = compiled
        return template.format(*[read(value) for read in readers])

    def __repr__(self) -> str:
        return f"Formatter({self.locale!r})"

    @property
    def language_tag(self) -> str:
        """The locale as a BCP 47 tag (``de-AT``), for ``lang`` attributes."""
        return self.locale.replace("_", "-")

    @property
    def labels_language(self) -> str:
        """The language of the labels as a BCP 47 tag: the locale's catalog (``de``, ``de-CH``), or ``en``
        where newsarticle has no catalog for it (``pl``), so a renderer can mark English labels as such."""
        return self._labels_language

    # Labels

    def gettext(self, message: str) -> str:
        """Translate a label: ``gettext("Published")`` is ``Veröffentlicht am`` in German."""
        return self._translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Translate a label whose form depends on the number ``n``, by the catalog's plural rule."""
        return self._translations.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        """Translate a label that needs a context to tell it from the same English words used otherwise."""
        return self._translations.pgettext(context, message)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        """:meth:`ngettext` with a context."""
        return self._translations.npgettext(context, singular, plural, n)

    # Numbers and dates

    def number(self, value: float) -> str:
        """A number with the locale's digits, grouping and decimal sign: ``1.234`` (de), ``1\u202f234`` (fr)."""
        if type(value) is int and value >= 0 and self._grouping is not None:
            minimum, size, later_size, symbol = self._grouping
            digits = str(value).rjust(minimum, "0")
            if len(digits) <= size:
                return digits
            groups = []
            while len(digits) > size:
                groups.append(digits[-size:])
                digits = digits[:-size]
                size = later_size
            groups.append(digits)
            return symbol.join(reversed(groups))
        if self._swap_symbols is None:
            return str(_numbers.format_decimal(value, locale=self._locale))
        pattern = _numbers.parse_pattern(self._locale.decimal_formats[None])
        return str(pattern.apply(value, "en")).translate(self._swap_symbols)

    def date(self, value: dt.date, date_format: str = "long", timezone: str | None = None) -> str:
        """A date, or a date-time in its own offset or in ``timezone``, for people to read.

        :param date_format: One of Babel's names (short, medium, long, full) or a
            CLDR pattern such as ``"d. MMMM y"`` (``"d. MMMM y, HH:mm"`` for a date-time).
            A named format shows a date-time's time in the locale's short form,
            joined as the locale's date-time pattern says.
        :param timezone: An IANA zone name (``Europe/Berlin``) to show an aware
            date-time in; a date stays the date it is.
        :raises OptionError: an unknown time zone, or a pattern with time fields for a date.
        """
        if type(value) is not dt.date:
            # Not remembered: equal date-times in two offsets read differently.
            return self._date(value, date_format, timezone)
        if timezone is not None:
            _zone(timezone)  # an unknown name is an error even where there is nothing to convert
        text = self._memo.get(("date", value, date_format))
        return (
            text if text is not None else self._remember(("date", value, date_format), self._date(value, date_format))
        )

    def _date(self, value: dt.date, date_format: str, timezone: str | None = None) -> str:
        zone = None if timezone is None else _zone(timezone)
        if date_format not in DATE_FORMATS:
            _check_pattern(date_format)
        try:
            if isinstance(value, dt.datetime):
                if zone is not None and value.tzinfo is not None:
                    # Near year 1 or 9999 the instant may have no date in that zone: keep its own offset.
                    with contextlib.suppress(OverflowError):
                        value = value.astimezone(zone)
                if date_format not in DATE_FORMATS:
                    return str(_dates.format_datetime(value, date_format, locale=self._locale))
                time_text = _dates.format_time(value, "short", locale=self._locale)
                join = self._locale.datetime_formats.get(date_format)
                pattern = str(join) if join is not None else "{1} {0}"
                return _join(pattern, self._date_text(value, date_format), time_text)
            return self._date_text(value, date_format)
        except (AttributeError, KeyError, ValueError, TypeError) as exc:
            raise OptionError(_unfit_pattern(date_format, value)) from exc

    def words(self, count: int) -> str:
        """A word count: ``1.234 Wörter`` (de), ``1 word`` (en)."""
        text = self._memo.get(("words", count))
        if text is None:
            label = self.ngettext("{count} word", "{count} words", count)
            text = self._remember(("words", count), label.format(count=self.number(count)))
        return text

    def reading_time(self, minutes: int) -> str:
        """A reading time: ``1 Minute Lesezeit``, ``5 Minuten Lesezeit`` (de), ``5 min read`` (en)."""
        text = self._memo.get(("minutes", minutes))
        if text is None:
            label = self.ngettext("{minutes} min read", "{minutes} min read", minutes)
            text = self._remember(("minutes", minutes), label.format(minutes=self.number(minutes)))
        return text

    def byline(self, authors: Sequence[str]) -> str:
        """The authors as a byline: ``Von Anna Muster und Ben Beispiel`` (de), ``By Anna Muster`` (en).

        The names are joined by the list pattern of the labels' language, so that
        "and" is in the same language as "By" where no catalog covers the locale.
        """
        names = list(authors)
        if not names:
            return ""
        locale = self._locale
        if self._labels_language.partition("-")[0] != self.locale.partition("_")[0]:
            locale = get_locale(self._labels_language.replace("-", "_"))
        joined = str(_lists.format_list(names, locale=locale))
        # Translators: a byline; {authors} are the names, already joined by your language's "and".
        return self.gettext("By {authors}").format(authors=joined)

    @property
    def quotes(self) -> tuple[str, str, str, str]:
        """Quotation marks: opening, closing, inner opening, inner closing.

        Babel ships no CLDR delimiters, so each catalog sets its language's marks
        (German „…“ ‚…‘, French «\u202f…\u202f» “…”); a locale without a catalog gets English ones.
        """
        return (
            # Translators: the opening quotation mark, with any space your typography puts after it.
            self.pgettext("opening quotation mark", "\u201c"),
            # Translators: the closing quotation mark, with any space your typography puts before it.
            self.pgettext("closing quotation mark", "\u201d"),
            # Translators: the opening mark of a quotation inside a quotation.
            self.pgettext("opening inner quotation mark", "\u2018"),
            # Translators: the closing mark of a quotation inside a quotation.
            self.pgettext("closing inner quotation mark", "\u2019"),
        )


@functools.lru_cache(maxsize=64)
def formatter_for(locale: str) -> Formatter:
    """One cached Formatter per locale identifier."""
    return Formatter(locale)


#: Scripts written right to left (ISO 15924 codes, from Unicode's script data), for the tags Babel has no locale
#: for: a script no locale of the language uses (``tk-Arab``), or a language without a locale (``arc``, ``nqo``).
RTL_SCRIPTS = frozenset(
    {
        "Adlm", "Arab", "Aran", "Armi", "Avst", "Chrs", "Cprt", "Elym", "Gara", "Hatr", "Hebr", "Hung", "Khar",
        "Lydi", "Mand", "Mani", "Mend", "Merc", "Mero", "Narb", "Nbat", "Nkoo", "Orkh", "Ougr", "Palm", "Phli",
        "Phlp", "Phnx", "Prti", "Rohg", "Samr", "Sarb", "Sogd", "Sogo", "Syrc", "Syre", "Syrj", "Syrn", "Thaa",
        "Yezi",
    }
)  # fmt: skip


@functools.lru_cache(maxsize=256)
def is_right_to_left(tag: str) -> bool:
    """Whether text in the language ``tag`` (BCP 47, or a locale identifier) runs right to left.

    CLDR's character order for the tag's locale decides (``ar``, ``pa-Arab``
    and ``pa-PK`` yes; ``pa`` and ``pa-Guru`` no). A script Babel has no locale
    with (``tk-Arab``, ``ar-Latn``) decides by itself, and a language Babel does
    not know by its likely script (``arc``: Imperial Aramaic). Cached per tag.
    """
    language, script, territory = _subtags(tag)
    # The territory can tell the script (pa-PK is pa-Arab-PK), but Babel may have a locale without it.
    full = "_".join(part for part in (language, script, territory) if part)
    for identifier in dict.fromkeys((full, "_".join(part for part in (language, script) if part))):
        try:
            locale = Locale.parse(identifier)
        except (_BabelUnknownLocale, ValueError):
            continue
        if script is None or locale.script == script:
            return bool(locale.character_order == "right-to-left")
        break  # Babel answered for the language in another script
    return (script or _likely_script(language)) in RTL_SCRIPTS


# Language, then optional script and territory; what follows (variants, extensions, "@euro") is ignored.
_SUBTAGS = re.compile(r"([A-Za-z]{2,3})(?:[-_]([A-Za-z]{4}))?(?:[-_]([A-Za-z]{2}|[0-9]{3}))?(?![A-Za-z0-9])")


def _subtags(tag: str) -> tuple[str, str | None, str | None]:
    """Language, script and territory of ``de-AT``, ``pa_Arab_PK`` or ``sr-Latn-RS-1996``."""
    found = _SUBTAGS.match(tag)
    if found is None:
        return tag.lower(), None, None
    language, script, territory = found.groups()
    return language.lower(), script and script.title(), territory and territory.upper()


def _likely_script(language: str) -> str | None:
    from babel.core import get_global

    likely_subtags = get_global("likely_subtags")
    # A deprecated code (pnb, now lah) has its likely subtags under the code that replaced it.
    likely = likely_subtags.get(language) or likely_subtags.get(get_global("language_aliases").get(language, ""))
    return None if likely is None else _subtags(likely)[1]
