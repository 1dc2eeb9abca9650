"""The typed, immutable model: an Article made of Sections made of paragraphs.

Instances are frozen and keyword-only; change them with :func:`attrs.evolve`.
Validators reject exactly what the text format cannot express, which is what
makes ``parse(unparse(article)) == article`` hold for every valid Article.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import urllib.parse
from collections.abc import Iterable
from typing import Any, TypeVar

import attrs

from newsarticle._text import scan_words, takes_one_column, text_problem

__all__ = ["WORDS_PER_MINUTE", "Article", "Section", "tag_problem", "trusted", "url_problem"]

_T = TypeVar("_T")

#: Reading speed behind :attr:`Article.reading_time`: 200 words a minute, a common
#: figure for attentive reading of German news prose (English readers are a bit faster).
WORDS_PER_MINUTE = 200

# BCP 47 in the shape language[-script][-region][-variant...]; enough to refuse
# "de_DE", "German" or an empty string without pulling in a registry.
_BCP47 = re.compile(
    r"[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?(?:-[A-Za-z0-9]{5,8}|-[0-9][A-Za-z0-9]{3})*"
)


def _str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _section_tuple(value: Iterable[Section]) -> tuple[Section, ...]:
    return tuple(value)


def _one_line(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{attribute.name} must be a str, not {type(value).__name__}")
    problem = text_problem(value)
    if problem is not None:
        raise ValueError(f"{attribute.name} {problem}: {value!r:.80}")


def _optional_one_line(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _one_line(instance, attribute, value)


def _lines(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise TypeError(f"{attribute.name}[{index}] must be a str, not {type(item).__name__}")
        problem = text_problem(item)
        if problem is not None:
            raise ValueError(f"{attribute.name}[{index}] {problem}: {item!r:.80}")


# Whitespace (sre's \s is str.isspace) and the characters RFC 3986 leaves out of URLs,
# which break the outputs that carry them (an HTML attribute, a feed, a sitemap).
_NOT_IN_URL = re.compile(r'[\s"<>\\^`{|}]')


def url_problem(value: str) -> str | None:
    """Say why ``value`` is no absolute http(s) URL, or return None when it is one.

    The parser asks this for a ``url:`` or ``image:`` line, and the model for its
    fields, so the two cannot disagree.
    """
    if not value or _NOT_IN_URL.search(value) is not None:
        return "must be an absolute http or https URL without spaces, quotes or angle brackets"
    problem = text_problem(value)
    if problem is not None:
        return problem
    try:
        parts = urllib.parse.urlsplit(value)
        parts.port  # noqa: B018 - raises for a port that is no number
    except ValueError:
        return "must be an absolute http or https URL, such as https://example.org/news/1"
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return "must be an absolute http or https URL, such as https://example.org/news/1"
    return None


def tag_problem(value: str) -> str | None:
    """Say why ``value`` cannot be a tag, or return None when it can: tags are written comma-separated."""
    if "," in value:
        return "must not contain a comma (the format separates tags with commas)"
    return text_problem(value)


def _optional_url(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        raise TypeError(f"{attribute.name} must be a str or None, not {type(value).__name__}")
    problem = url_problem(value)
    if problem is not None:
        raise ValueError(f"{attribute.name} {problem}: {value!r:.80}")


def _tags(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise TypeError(f"{attribute.name}[{index}] must be a str, not {type(item).__name__}")
        problem = tag_problem(item)
        if problem is not None:
            raise ValueError(f"{attribute.name}[{index}] {problem}: {item!r:.80}")


def _non_empty(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    if not value:
        raise ValueError(f"{attribute.name} must hold at least one paragraph")


def _published(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, dt.datetime):
        if value.utcoffset() is None:
            raise ValueError(f"{attribute.name} must be a date or a timezone-aware datetime, not a naive datetime")
        return
    if not isinstance(value, dt.date):
        raise TypeError(f"{attribute.name} must be a datetime.date or datetime.datetime, not {type(value).__name__}")


def _language(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not _BCP47.fullmatch(value):
        raise ValueError(f"{attribute.name} must be a BCP 47 language tag such as 'de' or 'de-AT', not {value!r}")


def _sections(_instance: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    for index, section in enumerate(value):
        if not isinstance(section, Section):
            raise TypeError(f"{attribute.name}[{index}] must be a Section, not {type(section).__name__}")
        if index and section.heading is None:
            # Paragraphs after a heading belong to it; without a heading they would
            # merge into the section before, so the format cannot express this.
            raise ValueError(f"{attribute.name}[{index}] needs a heading: only the first section may have none")


@attrs.frozen(kw_only=True)
class Section:
    """A run of paragraphs, introduced by a subheading except at the start of the body."""

    heading: str | None = attrs.field(default=None, validator=_optional_one_line)
    paragraphs: tuple[str, ...] = attrs.field(converter=_str_tuple, validator=[_non_empty, _lines])


@attrs.frozen(kw_only=True)
class Article:
    """One news article.

    ``published`` is a :class:`datetime.date`, or a timezone-aware
    :class:`datetime.datetime` when the source gave a time. ``trailer`` holds the
    lines the scraper left after the article ("more stories", "See more"), in
    order, so that nothing read is lost.

    The metadata of the format's block after the date line is absent by default:
    ``url`` and ``image`` (absolute http or https URLs), ``authors`` (names, in
    order), ``modified`` (like ``published``), ``description`` (the teaser, one
    line) and ``tags`` (one-line tags without commas).
    """

    headline: str = attrs.field(validator=_one_line)
    language: str = attrs.field(validator=_language)
    category: str | None = attrs.field(default=None, validator=_optional_one_line)
    published: dt.date | None = attrs.field(default=None, validator=_published)
    url: str | None = attrs.field(default=None, validator=_optional_url)
    authors: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple, validator=_lines)
    image: str | None = attrs.field(default=None, validator=_optional_url)
    modified: dt.date | None = attrs.field(default=None, validator=_published)
    description: str | None = attrs.field(default=None, validator=_optional_one_line)
    tags: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple, validator=_tags)
    sections: tuple[Section, ...] = attrs.field(default=(), converter=_section_tuple, validator=_sections)
    trailer: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple, validator=_lines)
    source: str | None = attrs.field(default=None)

    @source.validator
    def _check_source(self, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and not isinstance(value, str):
            raise TypeError(f"{attribute.name} must be a str or None, not {type(value).__name__}")

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """Every paragraph of every section, in order (subheadings excluded)."""
        return tuple(p for section in self.sections for p in section.paragraphs)

    @property
    def headings(self) -> tuple[str, ...]:
        """The subheadings, in order."""
        return tuple(s.heading for s in self.sections if s.heading is not None)

    @functools.cached_property
    def body(self) -> str:
        """The body as plain text: subheadings and paragraphs, separated by blank lines."""
        blocks: list[str] = []
        for section in self.sections:
            if section.heading is not None:
                blocks.append(section.heading)
            blocks.extend(section.paragraphs)
        return "\n\n".join(blocks)

    @functools.cached_property
    def word_count(self) -> int:
        """Words of the body (subheadings and paragraphs, not the headline)."""
        return self._body_scan[0]

    @functools.cached_property
    def _body_scan(self) -> tuple[int, bool]:
        # The word count's pass over the body also tells, at no cost, whether it is all one terminal
        # column, which the text renderer asks of every article: a second pass cost it 10 to 18 µs.
        return scan_words(self.body)

    @functools.cached_property
    def _one_column(self) -> bool:
        """Whether every character of the body takes one terminal column (:data:`newsarticle._text.ONE_COLUMN`)."""
        return self._body_scan[1] or takes_one_column(self.body)

    @property
    def reading_time(self) -> int:
        """Whole minutes at :data:`WORDS_PER_MINUTE`, rounded half up; at least 1 for a non-empty body."""
        words = self.word_count
        if not self.sections:
            return 0
        return max(1, (words + WORDS_PER_MINUTE // 2) // WORDS_PER_MINUTE)


def trusted(cls: type[_T], **values: Any) -> _T:
    """Build a model object without running its validators.

    Only for callers that guarantee every invariant by construction: the
    parser, whose property tests check that ``attrs.evolve(parse(x))`` (which
    validates) accepts everything it returns. Every field must be given.
    """
    instance = object.__new__(cls)
    for name, value in values.items():
        object.__setattr__(instance, name, value)
    return instance
