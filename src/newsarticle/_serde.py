"""Plain data and JSON: the one cattrs converter, and how to configure another.

The shape: ``{"schema_version": 2, "headline": ..., "language": ...,
"category": ..., "published": "2025-02-27", "url": ..., "authors": [...],
"image": ..., "modified": ..., "description": ..., "tags": [...],
"sections": [{"heading": ..., "paragraphs": [...]}], "trailer": [...],
"source": ...}``. Dates are ISO 8601 strings; a date-time keeps its offset.
Unknown keys and wrong types are refused with an error that names the field.
Documents of schema_version 1 (without the metadata keys) are still read. ``word_count`` and
``reading_time`` may appear (the JSON renderer adds them) and are ignored on
input because they are derived.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.v import format_exception

from newsarticle._dates import read_date_line
from newsarticle._exceptions import DeserializationError
from newsarticle._models import Article, Section

__all__ = [
    "DERIVED_FIELDS",
    "SCHEMA_VERSION",
    "configure_converter",
    "dumps",
    "from_dict",
    "from_json",
    "to_dict",
    "to_json",
]

#: Version of the plain-data shape; bumped when a field changes meaning or is added.
SCHEMA_VERSION = 2
#: Keys that schema_version 2 added (the metadata block): a version 1 document has none of them.
_ADDED_IN_2 = ("url", "authors", "image", "modified", "description", "tags")
#: Keys that output may carry but input ignores, because they follow from the rest.
DERIVED_FIELDS = ("word_count", "reading_time")

_T = TypeVar("_T")
_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)"
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _structure_str(value: object, _type: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return value


def _structure_str_tuple(value: object, _type: object) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"expected a list of strings, got {type(value).__name__}")
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise TypeError(f"expected a list of strings, but item {index} is {type(item).__name__}")
    return tuple(value)


def _objects_only(hook: Callable[[Any, Any], _T]) -> Callable[[Any, Any], _T]:
    # Without this a string would be read as its characters and a list as keys.
    def structure(value: object, type_: object) -> _T:
        if not isinstance(value, Mapping):
            raise TypeError(f"expected an object, got {type(value).__name__}")
        # cattrs joins unknown keys into its message and fails on one that is not a string.
        odd = [key for key in value if not isinstance(key, str)]
        if odd:
            raise TypeError(f"expected an object with string keys, got the key {odd[0]!r}")
        return hook(value, type_)

    return structure


def _lists_only(hook: Callable[[Any, Any], _T]) -> Callable[[Any, Any], _T]:
    def structure(value: object, type_: object) -> _T:
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"expected a list, got {type(value).__name__}")
        return hook(value, type_)

    return structure


def _structure_published(value: object, _type: object) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO 8601 date string, got {type(value).__name__}")
    # The date line's reader, not fromisoformat: it names the impossible part, reads
    # "Z" on Python 3.10, and keeps sub-second offsets that CPython 3.11 drops.
    read = read_date_line(value) if _DATE.fullmatch(value) or _DATETIME.fullmatch(value) else None
    if read is None:
        raise ValueError(f"expected an ISO 8601 date (2025-02-27) or date-time with offset, got {value!r}")
    return read.value


def _unstructure_published(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _structure_optional_str(value: object, _type: object) -> str | None:
    return None if value is None else _structure_str(value, _type)


def _as_is(value: _T) -> _T:
    return value


def configure_converter(converter: cattrs.Converter) -> None:
    """Teach ``converter`` newsarticle's types, exactly as :func:`to_dict` uses them.

    For applications that keep their own converter and embed Articles in
    their own attrs classes. Only the hooks for :class:`Article` and
    :class:`Section` are registered: each field's hook is bound to the field,
    so the converter's own hooks for ``str``, dates or tuples stay as they were,
    and do not change how Articles are read and written.
    """
    strings = override(struct_hook=_structure_str_tuple, unstruct_hook=list)
    text = override(struct_hook=_structure_str, unstruct_hook=_as_is)
    optional_text = override(struct_hook=_structure_optional_str, unstruct_hook=_as_is)
    # Typed Any: the generators take overrides and their own flags as one **kwargs.
    section_fields: dict[str, Any] = {"heading": optional_text, "paragraphs": strings}
    section = make_dict_structure_fn(Section, converter, _cattrs_forbid_extra_keys=True, **section_fields)
    unstructure_section = make_dict_unstructure_fn(Section, converter, **section_fields)
    converter.register_structure_hook(Section, _objects_only(section))
    converter.register_unstructure_hook(Section, unstructure_section)

    # cattrs' own hook for the tuple names the index of a bad section; made after Section's, it uses it.
    structure_sections = _lists_only(converter.get_structure_hook(tuple[Section, ...]))
    date = override(struct_hook=_structure_published, unstruct_hook=_unstructure_published)
    article_fields: dict[str, Any] = {
        "headline": text,
        "language": text,
        "category": optional_text,
        "published": date,
        "url": optional_text,
        "authors": strings,
        "image": optional_text,
        "modified": date,
        "description": optional_text,
        "tags": strings,
        "sections": override(
            struct_hook=structure_sections,
            unstruct_hook=lambda sections: [unstructure_section(section) for section in sections],
        ),
        "trailer": strings,
        "source": optional_text,
    }
    article = make_dict_structure_fn(Article, converter, _cattrs_forbid_extra_keys=True, **article_fields)
    converter.register_structure_hook(Article, _objects_only(article))
    converter.register_unstructure_hook(Article, make_dict_unstructure_fn(Article, converter, **article_fields))


@functools.cache
def _converter() -> cattrs.Converter:
    converter = cattrs.Converter()
    configure_converter(converter)
    return converter


def to_dict(article: Article) -> dict[str, Any]:
    """Plain data (dicts, lists, strings) for ``article``, with ``schema_version`` first."""
    return {"schema_version": SCHEMA_VERSION, **_converter().unstructure(article, Article)}


def from_dict(data: Mapping[str, Any]) -> Article:
    """An Article from :func:`to_dict`'s output.

    :raises DeserializationError: naming the field that is missing, unknown,
        of the wrong type, or invalid.
    """
    if not isinstance(data, Mapping):
        raise DeserializationError(f"expected an object (a dict), got {type(data).__name__}")
    version = data.get("schema_version", SCHEMA_VERSION)
    if type(version) is not int or version not in (1, SCHEMA_VERSION):  # True == 1 and 1.0 == 1 in Python
        raise DeserializationError(f"schema_version: expected 1 or {SCHEMA_VERSION}, got {version!r}")
    if version == 1:
        added = [name for name in _ADDED_IN_2 if name in data]
        if added:
            raise DeserializationError(f"{added[0]}: not a field of schema_version 1 (added in 2)")
    for name in DERIVED_FIELDS:
        if name in data and (type(data[name]) is not int or data[name] < 0):
            raise DeserializationError(
                f"{name}: expected a whole number (it is derived and ignored), got {data[name]!r}"
            )
    fields = {k: v for k, v in data.items() if k != "schema_version" and k not in DERIVED_FIELDS}
    try:
        return _converter().structure(fields, Article)
    except cattrs.BaseValidationError as exc:
        messages = cattrs.transform_error(exc, path="$", format_exception=_format_exception)
        raise DeserializationError(_printable("invalid article: " + "; ".join(messages))) from exc
    except (TypeError, ValueError) as exc:
        raise DeserializationError(_printable(f"invalid article: {exc}")) from exc


def to_json(article: Article, *, indent: int | None = None) -> str:
    """:func:`to_dict` as JSON text: UTF-8 characters as themselves, no ``\\u`` escapes.

    The one exception is a lone surrogate, which only ``source`` can hold (a file
    name that is not valid UTF-8): it is written as a ``\\udcxx`` escape, so the
    text can be encoded as UTF-8 and :func:`from_json` reads the same name back.
    """
    return dumps(to_dict(article), indent=indent)


def dumps(data: object, *, indent: int | None = None, separators: tuple[str, str] | None = None) -> str:
    """``json.dumps`` for text that must be written as UTF-8: characters as themselves, lone surrogates escaped."""
    text = json.dumps(data, ensure_ascii=False, indent=indent, separators=separators)
    # Inside JSON text a surrogate can only stand in a string, where its escape means the same.
    return _escape_surrogates(text)


def from_json(text: str | bytes) -> Article:
    """An Article from :func:`to_json`'s output (or the ``json`` renderer's).

    :raises DeserializationError: for text that is not JSON, or not an article.
    """
    try:
        data = json.loads(text)
    except ValueError as exc:  # json.JSONDecodeError and UnicodeDecodeError
        raise DeserializationError(f"not valid JSON: {exc}") from exc
    except RecursionError:
        # No article nests deeper than three levels; the decoder gives up near a thousand.
        raise DeserializationError("not valid JSON for an article: arrays or objects nested too deeply") from None
    return from_dict(data)


def _printable(message: str) -> str:
    # cattrs names unknown keys as they are; a key read from JSON may hold a lone
    # surrogate (a "\\udcff" escape), which no UTF-8 log or report could take.
    return _escape_surrogates(message)


def _escape_surrogates(text: str) -> str:
    return _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _format_exception(exc: BaseException, type_: type | None) -> str:
    # Keep our validators' own words ("headline must not be empty") where cattrs
    # would only say "invalid value".
    if isinstance(exc, (TypeError, ValueError)) and not isinstance(exc, cattrs.BaseValidationError) and str(exc):
        return str(exc)
    return format_exception(exc, type_)
