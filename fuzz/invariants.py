"""What every fuzz input must satisfy, written once for the fuzzers and for pytest.

Each harness is a function of raw bytes (``HARNESSES``). It decodes its
choices from the bytes itself, without atheris, so that ``pytest`` replays a
saved input exactly as the fuzzer ran it. A broken promise raises
:class:`Violation`; any other exception escaping a harness is a crash too.

The promises (issue 8):

- ``parse`` returns an Article that passes validation and obeys the round-trip
  laws, or raises ``ParseError``;
- every renderer returns ``str`` (without lone surrogates) or ``bytes``, or
  raises the library's own error (a ``PluginError`` that wraps anything else
  from a built-in renderer is a bug, not a refusal);
- ``from_json``/``from_dict`` return a valid Article or raise
  ``DeserializationError``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from typing import Any

import attrs

import newsarticle
from newsarticle import (
    Article,
    DeserializationError,
    NewsArticleError,
    ParseError,
    PluginError,
    from_dict,
    from_json,
    parse,
    to_dict,
    to_json,
    unparse,
)

__all__ = ["HARNESSES", "Choices", "Violation", "seed_for"]

LOCALES = (None, "de", "de_AT", "de_CH", "en", "fr")
# Where an article came from: a file name that is not valid UTF-8 arrives with lone surrogates.
# parse_file spells the odd bytes of a file name as \x escapes (parse itself takes the caller's word).
SOURCES = ("fuzz.txt", None, "d\\xfcr.txt", "<b>&amp;</b>.txt", "a\u2028b.txt")
# Values tried for each renderer option, by name; an option not listed keeps its default.
OPTION_VALUES: dict[str, tuple[object, ...]] = {
    "standalone": (False, True),
    "front_matter": (False, True),
    "heading": (False, True),
    "include_source": (True, False),
    "reading_time": (False, True),
    "date_format": ("long", "short", "medium", "full", "d. MMMM y"),
    "timezone": (None, "UTC", "Europe/Vienna", "America/New_York"),
    "width": (72, 1, 20, 200),
    "indent": (2, None, 0),
}
# Text a fuzzer rarely builds byte by byte: the format's marks and the characters
# that broke it before (Unicode whitespace, BOM, line separators).
HOSTILE_PIECES = (
    "",
    " ",
    "\u00a0",
    "\u2003",
    "\u2028",
    "\u2029",
    "\u0085",
    "\ufeff",
    "\\",
    "## ",
    "lang: en",
    "url: https://example.org/a",
    "author: ",
    "tags: a,",
    "modified: 2025-02-30",
    "See more",
    "2025-02-27",
    "2025-02-27T10:00:00+01:00",
    "<!--",
    "<",
    "&amp;",
    "Politik",
    "Ein Titel",
    "Ein Absatz.",
    "\ud800",
)


class Violation(AssertionError):
    """A promise of issue 8 that an input broke."""


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise Violation(message)


class Choices:
    """Reads decisions from the end of the input and leaves the rest as data.

    Taking them from the end keeps a corpus file's header intact when it seeds
    a harness that also needs choices.
    """

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._end = len(data)

    def byte(self) -> int:
        if self._end == 0:
            return 0
        self._end -= 1
        return self._data[self._end]

    def pick(self, options: Sequence[Any]) -> Any:
        return options[self.byte() % len(options)]

    def flag(self) -> bool:
        return bool(self.byte() & 1)

    def rest(self) -> bytes:
        return self._data[: self._end]


# -- parse -------------------------------------------------------------------------------------


def _quiet_parse(data: str | bytes, source: str | None = None) -> Article:
    return parse(data, source=source, on_diagnostic=lambda _diagnostic: None)


def check_parse(data: str | bytes, source: str | None = "fuzz.txt") -> Article | None:
    """The Article ``parse`` gives (valid, lawful), or None for a well-formed ParseError."""
    try:
        article = _quiet_parse(data, source=source)
    except ParseError as exc:
        position = f"line {exc.line}, column {exc.column}"
        _require(exc.line >= 1 and exc.column >= 1, f"ParseError without a position\n{position}")
        _require(_encodes(str(exc)), f"ParseError message that cannot be printed\n{str(exc)!r}")
        return None
    _require(isinstance(article, Article), f"parse returned {type(article).__name__}")
    check_valid(article)
    check_laws(article)
    return article


def check_valid(article: Article) -> None:
    """The parser builds without validators; rebuilding with them must accept the result."""
    try:
        rebuilt = attrs.evolve(article, sections=[attrs.evolve(s) for s in article.sections])
    except (TypeError, ValueError) as exc:
        problem = str(exc).split(":", 1)[0]
        raise Violation(f"the model rejects an Article it was given: {problem}\n{exc}") from exc
    _require(rebuilt == article, "rebuilding the Article with validation changed it")


def check_laws(article: Article) -> None:
    text = unparse(article)
    _require(isinstance(text, str) and _encodes(text), f"unparse wrote text that cannot be encoded\n{text!r:.200}")
    try:
        again = _quiet_parse(text, source=article.source)
    except ParseError as exc:
        raise Violation(f"parse refused what unparse wrote\n{exc}\n{text!r:.400}") from exc
    _require(again == article, f"parse(unparse(a)) != a: {_differ(article, again)}\n{article!r:.400}\n{again!r:.400}")
    _require(unparse(again) == text, "unparse is not a fixed point")
    check_serde_round_trip(article)


def check_serde_round_trip(article: Article) -> None:
    data = to_dict(article)
    again = from_dict(data)
    _require(again == article, f"from_dict(to_dict(a)) != a: {_differ(article, again)}")
    text = to_json(article)
    _require(_encodes(text), "to_json wrote text that cannot be written as UTF-8")
    again = from_json(text)
    _require(again == article, f"from_json(to_json(a)) != a: {_differ(article, again)}")
    # The shipped schema describes the json renderer's output, which adds the derived fields.
    document = newsarticle.render(article, "json")
    _require(isinstance(document, str) and _encodes(document), "the json renderer wrote text that is not UTF-8")
    errors = [e.message for e in _schema_validator().iter_errors(json.loads(document))]
    _require(not errors, f"the json renderer's output breaks the schema\n{errors[:3]}")


@functools.cache
def _schema_validator() -> Any:
    from jsonschema import Draft202012Validator, FormatChecker

    from newsarticle.renderers.json import load_schema

    return Draft202012Validator(load_schema(), format_checker=FormatChecker())


def _differ(one: Article, other: Article) -> str:
    """The fields in which two Articles differ, for a message that says which law broke how."""
    names = [f.name for f in attrs.fields(Article) if getattr(one, f.name) != getattr(other, f.name)]
    return "differs in " + (", ".join(names) or "nothing")


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# -- render ------------------------------------------------------------------------------------


@functools.cache
def builtin_formats() -> tuple[newsarticle.FormatInfo, ...]:
    """The formats newsarticle itself provides; a third-party plugin's faults are its own."""
    return tuple(info for info in newsarticle.formats() if info.distribution == "newsarticle")


def check_render(article: Article, choices: Choices) -> None:
    """Every built-in format, with options, locale and transforms read from ``choices``."""
    transforms = [info.name for info in newsarticle.available_transforms() if choices.flag()]
    locale = choices.pick(LOCALES)
    for info in builtin_formats():
        options = {o.name: choices.pick(OPTION_VALUES[o.name]) for o in info.options if o.name in OPTION_VALUES}
        check_render_one(article, info.name, locale, transforms, options)


def check_render_one(
    article: Article, format: str, locale: str | None, transforms: Sequence[str], options: dict[str, object]
) -> None:
    call = f"render(a, {format!r}, locale={locale!r}, transforms={list(transforms)!r}, **{options!r})"
    try:
        result = newsarticle.render(article, format, locale=locale, transforms=transforms, **options)
    except PluginError as exc:
        # render() wraps whatever a renderer raised; from a built-in only a deliberate error may come out.
        cause = exc.__cause__
        _require(
            cause is None or isinstance(cause, NewsArticleError),
            f"render {format!r} failed with {type(cause).__name__}\n{call}: {cause!r}",
        )
        return
    except NewsArticleError:
        return
    _require(isinstance(result, (str, bytes)), f"render {format!r} returned {type(result).__name__}\n{call}")
    if isinstance(result, str):
        _require(_encodes(result), f"render {format!r} returned lone surrogates\n{call}")
    if format == "source" and not transforms:
        again = _quiet_parse(result, source=article.source)
        _require(again == article, f"render 'source' does not parse back: {_differ(article, again)}\n{call}")
    if format == "json" and not transforms:
        again = from_json(result)
        # include_source=False keeps the path out on purpose: everything else reads back.
        expected = article if options.get("include_source", True) else attrs.evolve(article, source=None)
        _require(again == expected, f"render 'json' does not read back: {_differ(expected, again)}\n{call}")


# -- from_json / from_dict ---------------------------------------------------------------------

_KEYS = (
    "schema_version",
    "headline",
    "language",
    "category",
    "published",
    "url",
    "authors",
    "image",
    "modified",
    "description",
    "tags",
    "sections",
    "heading",
    "paragraphs",
    "trailer",
    "source",
    "word_count",
    "reading_time",
    "x",
    1,
    None,
)
_SCALARS = (
    None,
    True,
    False,
    0,
    1,
    2,
    -1,
    "https://example.org/a",
    2**70,
    1.0,
    float("nan"),
    "de",
    "de-AT",
    "de_DE",
    "2025-02-27",
    "2025-02-27T10:00:00Z",
    "2025-02-27T10:00:00.5+01:00",
    "2025-02-30",
    "2025-02-27T10:00",
    *HOSTILE_PIECES,
)


def _json_value(choices: Choices, depth: int) -> object:
    kind = choices.byte() % 8
    if depth <= 0 or kind < 4:
        return choices.pick(_SCALARS)
    if kind < 6:
        return [_json_value(choices, depth - 1) for _ in range(choices.byte() % 4)]
    return {choices.pick(_KEYS): _json_value(choices, depth - 1) for _ in range(choices.byte() % 6)}


def json_document(choices: Choices) -> object:
    """An article-shaped structure: an object with the model's keys (and a few that no JSON holds)."""
    return {choices.pick(_KEYS): _json_value(choices, 3) for _ in range(1 + choices.byte() % 8)}


def check_deserialize(call: Callable[[], Article], what: str, given: object) -> None:
    try:
        article = call()
    except DeserializationError as exc:
        _require(_encodes(str(exc)), f"{what}: an error message that cannot be printed\n{exc!r}\n{given!r:.300}")
        return
    _require(isinstance(article, Article), f"{what} returned {type(article).__name__}\n{given!r:.300}")
    try:
        check_valid(article)
    except Violation as exc:
        raise Violation(f"{what} returned an invalid Article: {exc}\n{given!r:.300}") from exc
    check_laws(article)


# -- the harnesses -----------------------------------------------------------------------------


def parse_bytes(data: bytes) -> None:
    """``parse`` on arbitrary bytes."""
    check_parse(data)


def parse_str(data: bytes) -> None:
    """``parse`` on arbitrary text, lone surrogates included, in three decodings of the bytes."""
    choices = Choices(data)
    mode = choices.byte() % 3
    rest = choices.rest()
    if mode == 0:
        text = rest.decode("utf-8", "surrogateescape")
    elif mode == 1:
        text = rest[: len(rest) // 2 * 2].decode("utf-16-le", "surrogatepass")
    else:
        text = rest.decode("latin-1")
    check_parse(text)


def render(data: bytes) -> None:
    """``parse`` + every built-in renderer and transform with varied options, + ``unparse``."""
    choices = Choices(data)
    source = choices.pick(SOURCES)
    article = check_parse(choices.rest(), source)
    if article is not None:
        check_render(article, choices)


def serde(data: bytes) -> None:
    """``from_json`` on raw bytes and text, ``from_dict`` on generated article-shaped structures."""
    choices = Choices(data)
    mode = choices.byte() % 3
    raw = choices.rest()
    if mode == 0:
        check_deserialize(lambda: from_json(raw), "from_json(bytes)", raw)
    elif mode == 1:
        text = raw.decode("utf-8", "surrogateescape")
        check_deserialize(lambda: from_json(text), "from_json(str)", text)
    else:
        document = json_document(Choices(raw))
        check_deserialize(lambda: from_dict(document), "from_dict", document)  # type: ignore[arg-type]


def lines(data: bytes) -> None:
    """What the line mutator builds: parse and the laws, then every format with defaults."""
    article = check_parse(data)
    if article is not None:
        for info in builtin_formats():
            check_render_one(article, info.name, None, (), {})


def _text(choices: Choices) -> str:
    # Mostly the format's marks and odd whitespace, glued to a word so that many pass validation.
    start = "".join(choices.pick(_TEXT_PIECES) for _ in range(choices.byte() % 4))
    return start + choices.pick(_WORDS)


_WORDS = ("Wort", "a", "x y", "Anzeige", "more stories", "See more", "2025-02-27", "lang: en", "<", "&amp;", "\\")
_TEXT_PIECES = (*HOSTILE_PIECES, *_WORDS, "# ", "- ", "1. ", "\t")
_LANGUAGES = ("de", "en", "de-AT", "fr", "und", "zh-Hant-TW")
_DATES = (None, "2025-02-27", "2025-02-27T10:00:00+01:00", "0001-01-01")
# Valid URLs with what outputs must escape (& ' ( ) #, a zero-width space), and one the model refuses.
_URLS = (None, "https://example.org/a?b=1&c='2'#(x)", "http://[::1]:8080/x", "HTTPS://bücher.example/ä\u200b", "/rel")


def article_fields(choices: Choices) -> dict[str, object]:
    """The fields of an Article, each drawn as text that the writer must escape or may not."""
    sections = []
    for index in range(choices.byte() % 4):
        paragraphs = [_text(choices) for _ in range(1 + choices.byte() % 3)]
        heading = _text(choices) if index or choices.flag() else None
        sections.append({"heading": heading, "paragraphs": paragraphs})
    fields: dict[str, object] = {
        "headline": _text(choices),
        "language": choices.pick(_LANGUAGES),
        "category": _text(choices) if choices.flag() else None,
        "published": choices.pick(_DATES),
        "sections": sections,
        "trailer": [_text(choices) for _ in range(choices.byte() % 3)],
        "source": choices.pick(SOURCES),
    }
    # The metadata is drawn last, so that saved inputs still describe the fields above as before.
    fields["url"] = choices.pick(_URLS)
    fields["authors"] = [_text(choices) for _ in range(choices.byte() % 3)]
    fields["image"] = choices.pick(_URLS)
    fields["modified"] = choices.pick(_DATES)
    fields["description"] = _text(choices) if choices.flag() else None
    fields["tags"] = [_text(choices) for _ in range(choices.byte() % 3)]
    return fields


def articles(data: bytes) -> None:
    """Any valid Article the bytes describe: ``unparse``, the laws, every format with its defaults."""
    fields = article_fields(Choices(data))
    try:
        article = from_dict(fields)
    except DeserializationError:
        return  # the model refused the drawn text: nothing to write
    check_valid(article)
    check_laws(article)
    for info in builtin_formats():
        check_render_one(article, info.name, None, (), {})


HARNESSES: dict[str, Callable[[bytes], None]] = {
    "parse_bytes": parse_bytes,
    "parse_str": parse_str,
    "render": render,
    "serde": serde,
    "lines": lines,
    "articles": articles,
}


def seed_for(harness: str, text: bytes) -> bytes:
    """A corpus article turned into a useful first input for ``harness``."""
    if harness == "serde":
        try:
            article = _quiet_parse(text)
        except ParseError:
            return text + b"\x00"
        return to_json(article).encode("utf-8") + b"\x00"  # the last byte picks from_json(bytes)
    if harness == "parse_str":
        return text + b"\x00"  # the last byte picks UTF-8
    return text
