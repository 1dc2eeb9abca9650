"""Reading the date line: ISO 8601, German numeric, and named-month forms.

ISO and ``27.02.2025`` are read by regular expressions alone; only a line with a
month name consults Babel's CLDR data (through :mod:`newsarticle._i18n`), so the
common case never imports Babel.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

import attrs

__all__ = ["DateLineError", "ReadDate", "in_whole_minutes", "read_date_line"]

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ISO_DATETIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?"
    r" ?(Z|z|[+-]\d{2}(?::?\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?)?"
)
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_WORD = r"[^\W\d_]+\.?"
_NAMED_DMY = re.compile(rf"(?:(?P<wd>{_WORD}),? )?(?P<d>\d{{1,2}})\.? (?P<m>{_WORD}) (?P<y>\d{{4}})")
_NAMED_MDY = re.compile(rf"(?:(?P<wd>{_WORD}),? )?(?P<m>{_WORD}) (?P<d>\d{{1,2}}),? (?P<y>\d{{4}})")
# A line that is shaped like a date even though it may not be a valid one.
_DATE_LIKE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}(?:[T ].*)?|\d{1,2}\.\d{1,2}\.\d{2,4}")

_EXAMPLE = "expected a date such as 2025-02-27"


@attrs.frozen
class ReadDate:
    """A date line's value, and a note when reading it dropped or doubted something."""

    value: dt.date
    note: tuple[str, str] | None = None  # (code, message)


class DateLineError(ValueError):
    """The line is shaped like a date but names a day that does not exist."""


def read_date_line(line: str) -> ReadDate | None:
    """Read ``line`` as a date line.

    Returns None when the line is not shaped like a date at all (so the caller
    may treat it as body text), and raises :class:`DateLineError` when it is
    shaped like one but is impossible (``2025-02-30``): a date is never guessed.
    """
    match = _ISO_DATE.fullmatch(line)
    if match:
        return ReadDate(_make_date(line, *match.groups()))
    match = _ISO_DATETIME.fullmatch(line)
    if match:
        return _iso_datetime(line, match)
    match = _DOTTED.fullmatch(line)
    if match:
        day, month, year = match.groups()
        return ReadDate(_make_date(line, year, month, day))
    if _DATE_LIKE.fullmatch(line):
        raise DateLineError(f'{_EXAMPLE}, found "{line}"')
    named = _NAMED_DMY.fullmatch(line) or _NAMED_MDY.fullmatch(line)
    if named and any(ch.isalpha() for ch in named["m"]):
        return _named(line, named)
    return None


def _make_date(line: str, year: str, month: str, day: str) -> dt.date:
    y, m, d = int(year), int(month), int(day)
    if y < 1:
        raise DateLineError(f'{_EXAMPLE}, found "{line}" (there is no year {y})')
    if not 1 <= m <= 12:
        raise DateLineError(f'{_EXAMPLE}, found "{line}" (there is no month {m})')
    days = calendar.monthrange(y, m)[1]
    if not 1 <= d <= days:
        month_name = calendar.month_name[m]
        raise DateLineError(f'{_EXAMPLE}, found "{line}" ({month_name} {y} has {days} days)')
    return dt.date(y, m, d)


def _iso_datetime(line: str, match: re.Match[str]) -> ReadDate:
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    date = _make_date(line, year, month, day)
    h, mi, s = int(hour), int(minute), int(second or 0)
    if h > 23 or mi > 59 or s > 59:
        raise DateLineError(f'expected a time such as 14:30, found "{line}" ({hour}:{minute} is no time of day)')
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    if offset is None:
        note = (
            "time-without-offset",
            f'the time in "{line}" has no UTC offset; kept only the date',
        )
        return ReadDate(date, note)
    return ReadDate(dt.datetime(date.year, date.month, date.day, h, mi, s, micro, tzinfo=_offset(line, offset)))


def _offset(line: str, text: str) -> dt.timezone:
    if text in ("Z", "z"):
        return dt.timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    seconds = float(digits[4:] or 0)
    delta = dt.timedelta(hours=hours, minutes=minutes, seconds=seconds)
    if minutes > 59 or delta >= dt.timedelta(hours=24):
        raise DateLineError(f'expected a UTC offset such as +01:00, found "{text}" in "{line}"')
    return dt.timezone(sign * delta)


def _named(line: str, match: re.Match[str]) -> ReadDate:
    from newsarticle._i18n import month_numbers, weekday_numbers

    month = month_numbers().get(match["m"].rstrip(".").casefold())
    if month is None:
        raise DateLineError(f'{_EXAMPLE}, found "{line}" ("{match["m"]}" is no month name this parser knows)')
    date = _make_date(line, match["y"], str(month), match["d"])
    weekday_text = match["wd"]
    if weekday_text is None:
        return ReadDate(date)
    weekday = weekday_numbers().get(weekday_text.rstrip(".").casefold())
    if weekday is None:
        note = ("unknown-weekday", f'"{weekday_text}" before the date is no weekday; ignored it')
        return ReadDate(date, note)
    if weekday != date.weekday():
        actual = calendar.day_name[date.weekday()]
        note = ("weekday-mismatch", f'"{line}" names the wrong weekday: {date.isoformat()} is a {actual}')
        return ReadDate(date, note)
    return ReadDate(date)


_MINUTE = dt.timedelta(minutes=1)


def in_whole_minutes(value: dt.date) -> dt.date:
    """``value`` with a UTC offset in whole minutes, as RFC 3339, HTML and YAML timestamps require.

    A date-time whose offset has seconds (old local mean time) becomes the same
    instant in UTC; should that instant fall outside years 1-9999, its date
    alone, which is true if less precise. Dates and other date-times are returned as they are.
    """
    if not isinstance(value, dt.datetime):
        return value
    offset = value.utcoffset()
    if offset is None or not offset % _MINUTE:
        return value
    try:
        return value.astimezone(dt.timezone.utc)
    except OverflowError:
        return value.date()
