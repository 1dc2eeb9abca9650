"""Text in: the scraped article format to an :class:`~newsarticle.Article`.

The rules are in docs/format.md. The parser runs in one pass over the lines
and builds every string with ``join``, so time and memory grow linearly with
the input.
"""

from __future__ import annotations

import array
import codecs
import datetime as dt
import functools
import itertools
import os
import re
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path

from newsarticle._dates import DateLineError, ReadDate, read_date_line
from newsarticle._diagnostics import Diagnostic
from newsarticle._exceptions import ParseError, ParseWarning
from newsarticle._format import (
    ABSENT,
    DEFAULT_TRAILER_KEYS,
    DEFAULT_TRAILER_LINES,
    ESCAPE,
    HEADING_MARK,
    MAX_HEADING_LENGTH,
    MAX_INPUT_SIZE,
    METADATA_LINE,
    TRAILER_MARK,
    looks_like_heading,
    trailer_key,
    trailer_keys,
)
from newsarticle._language import detect_article_language
from newsarticle._models import _BCP47, Article, Section, tag_problem, url_problem
from newsarticle._paths import read_limited
from newsarticle._text import collapse_spaces, find_forbidden, text_problem

__all__ = ["MAX_INPUT_SIZE", "check_language_tag", "parse", "parse_file"]


_BOMS_UTF32 = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_BOMS_UTF16 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

#: What `on_diagnostic` takes: a callable given each :class:`Diagnostic` of a lenient parse, after it succeeded.
DiagnosticHandler = Callable[[Diagnostic], None]


def parse(
    data: str | bytes,
    *,
    source: str | None = None,
    strict: bool = False,
    language: str | None = None,
    default_language: str | None = None,
    trailer_lines: Iterable[str] = DEFAULT_TRAILER_LINES,
    on_diagnostic: DiagnosticHandler | None = None,
    max_size: int | None = MAX_INPUT_SIZE,
) -> Article:
    """Parse one article in the text format.

    :param data: The article, as text or as bytes (UTF-8 with or without BOM,
        UTF-16/32 with BOM, or Windows-1252 as a reported fallback).
    :param source: Where it came from, such as a file name; kept in
        ``Article.source`` and named in every error and diagnostic.
    :param strict: Raise :class:`ParseError` instead of recovering. In the
        default lenient mode every recovery that guesses or lacks information
        is reported as a :class:`Diagnostic`.
    :param language: BCP 47 tag of the text, over a ``lang:`` line in it.
    :param default_language: BCP 47 tag of a text without a ``lang:`` line.
        When both are None the language is detected from the text, and is
        ``"und"`` (undetermined, reported as ``language-guess``) when unclear.
    :param trailer_lines: Lines a scraper leaves at the end, removed into
        ``Article.trailer``; extend :data:`DEFAULT_TRAILER_LINES` to add your own.
    :param on_diagnostic: Called with each Diagnostic of a lenient parse. When
        None, each is issued as a :class:`ParseWarning` instead.
    :param max_size: The largest input accepted, in bytes (characters for a
        ``str``), checked before anything else; None for no limit.
    :raises ParseError: The input has nothing to recover (empty, binary, an
        impossible date), is larger than ``max_size`` (code ``too-large``), or
        ``strict`` is set and something needed recovery.
    """
    # The common case in a few nanoseconds; anything else, including every error, the long way.
    if max_size is not None and not (type(max_size) is int and type(data) in _SIZED and len(data) <= max_size):
        _check_input_size(data, max_size, source)
    if isinstance(trailer_lines, str):
        raise TypeError(f"trailer_lines takes a collection of lines, such as {{{trailer_lines!r}}}, not a str")
    language = check_language_tag("language", language)
    default_language = check_language_tag("default_language", default_language)
    reader = _Reader(source, strict, on_diagnostic)
    text = reader.decode(data)
    keys = DEFAULT_TRAILER_KEYS if trailer_lines is DEFAULT_TRAILER_LINES else trailer_keys(trailer_lines)
    try:
        article = reader.read(text, language, default_language, keys)
    except ParseError:
        raise
    except ValueError as exc:
        # The model refused a string. Every character of the text lands in some
        # model string, so only here, on the error path, is the text searched.
        raise reader.unprintable(text) or reader.error(str(exc), 1, 1, "invalid") from None
    if reader.diagnostics:
        reader.flush()
    return article


def parse_file(
    path: str | os.PathLike[str],
    *,
    source: str | None = None,
    strict: bool = False,
    language: str | None = None,
    default_language: str | None = None,
    trailer_lines: Iterable[str] = DEFAULT_TRAILER_LINES,
    on_diagnostic: DiagnosticHandler | None = None,
    max_size: int | None = MAX_INPUT_SIZE,
) -> Article:
    """Read and parse one file; ``Article.source`` is the path as given unless ``source`` is.

    The other keyword arguments are those of :func:`parse`. A file larger than
    ``max_size`` is refused by its size on disk, before a byte of it is read.

    :raises OSError: the file cannot be read.
    :raises ParseError: as :func:`parse`.
    """
    _check_max_size(max_size)
    if source is None:
        # A file name that is not valid UTF-8 arrives with lone surrogates, which no
        # output (JSON, HTML) can carry; spell its odd bytes as \x escapes instead.
        source = os.fsencode(path).decode("utf-8", "backslashreplace")
    with Path(path).open("rb") as file:
        size = os.fstat(file.fileno()).st_size
        _check_size(size, max_size, source, "bytes")
        # One byte past the limit catches a file that grew since, or one whose size
        # the system does not report (/proc, a pipe); the buffer follows the file's size.
        data = read_limited(file, size, max_size)
        if max_size is not None and len(data) > max_size:
            raise _too_large(f"more than {max_size:,}", max_size, source, "bytes")
    return parse(
        data,
        source=source,
        strict=strict,
        language=language,
        default_language=default_language,
        trailer_lines=trailer_lines,
        on_diagnostic=on_diagnostic,
        max_size=max_size,
    )


def check_language_tag(name: str, value: str | None) -> str | None:
    """A caller's language tag, ``de_AT`` spelled ``de-AT``; the errors name the argument (``--language``).

    :raises ValueError: ``value`` is no BCP 47 tag.
    :raises TypeError: ``value`` is no str.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str such as 'de' or 'de-AT', not {type(value).__name__}")
    tag = value.replace("_", "-")
    if not _BCP47.fullmatch(tag):
        raise ValueError(f"{name} must be a BCP 47 tag such as 'de' or 'de-AT', not {value!r}")
    return tag


def _check_max_size(max_size: int | None) -> None:
    if max_size is not None and (not isinstance(max_size, int) or isinstance(max_size, bool) or max_size < 0):
        raise ValueError(f"max_size must be a number of bytes (0 or more) or None for no limit, not {max_size!r}")


_SIZED = (str, bytes)


def _check_input_size(data: object, max_size: int, source: str | None) -> None:
    _check_max_size(max_size)
    if isinstance(data, str):
        _check_size(len(data), max_size, source, "characters")
    elif isinstance(data, (bytes, bytearray, memoryview)):
        _check_size(memoryview(data).nbytes, max_size, source, "bytes")
    # Anything else is refused with a TypeError when it is decoded.


def _check_size(size: int, max_size: int | None, source: str | None, unit: str) -> None:
    if max_size is not None and size > max_size:
        raise _too_large(f"{size:,}", max_size, source, unit)


def _too_large(found: str, max_size: int, source: str | None, unit: str) -> ParseError:
    return ParseError(
        f"expected at most {max_size:,} {unit} (max_size), found {found}; "
        "pass a larger max_size, or max_size=None for no limit",
        source=source,
        code="too-large",
    )


class _Reader:
    def __init__(self, source: str | None, strict: bool, on_diagnostic: DiagnosticHandler | None) -> None:
        self.source = source
        self.strict = strict
        self.on_diagnostic = on_diagnostic
        self.diagnostics: list[Diagnostic] = []
        # Set when the input's UTF-8 bytes showed no character that find_forbidden finds.
        self.forbidden_free = False

    def error(self, message: str, line: int, column: int = 1, code: str = "syntax") -> ParseError:
        return ParseError(message, source=self.source, line=line, column=column, code=code)

    def report(self, code: str, message: str, line: int, column: int = 1) -> None:
        if self.strict:
            raise self.error(f"{message} (strict mode)", line, column, code)
        self.diagnostics.append(Diagnostic(code=code, message=message, line=line, column=column, source=self.source))

    def flush(self) -> None:
        for diagnostic in self.diagnostics:
            if self.on_diagnostic is not None:
                self.on_diagnostic(diagnostic)
            else:
                warnings.warn(str(diagnostic), ParseWarning, stacklevel=3)

    def unprintable(self, text: str) -> ParseError | None:
        index = find_forbidden(text)
        if index is None:
            return None
        line, column = _position(text, index)
        if text[index] == "\x00":
            return self.error("expected text, found a NUL character (binary data?)", line, column, "binary")
        return self.error(
            f"expected text, found the control or non-character U+{ord(text[index]):04X}", line, column, "binary"
        )

    # -- decoding ---------------------------------------------------------

    def decode(self, data: str | bytes) -> str:
        if isinstance(data, str):
            if type(data) is not str:  # a subclass's own methods (encode, split) must not decide what is checked
                data = str.__str__(data)
            text = data[1:] if data.startswith("\ufeff") else data
            # Encoding and one pass over the bytes cost half of what str.isprintable() over the lines costs.
            self.forbidden_free = _free_of_forbidden(text.encode("utf-8", "surrogatepass"))
        elif isinstance(data, (bytes, bytearray, memoryview)):
            text = self._decode_bytes(bytes(data))
        else:
            raise TypeError(f"parse() takes str or bytes, not {type(data).__name__}")
        return _line_feeds(text)

    def _decode_bytes(self, data: bytes) -> str:
        for boms, codec in ((_BOMS_UTF32, "utf-32"), (_BOMS_UTF16, "utf-16")):
            if data.startswith(boms):
                try:
                    return data.decode(codec)
                except UnicodeDecodeError as exc:
                    raise self.error(f"expected {codec.upper()} after its byte-order mark: {exc.reason}", 1, 1,
                                     "encoding") from None  # fmt: skip
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
        free = _free_of_forbidden(data)
        nul = -1 if free else data.find(b"\x00")
        if nul >= 0:
            line, column = _position_bytes(data, nul)
            raise self.error("expected text, found a NUL byte (binary data?)", line, column, "binary")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError as undefined:
                # The byte that neither reads: Windows-1252 reads most that UTF-8 does not.
                line, column = _position_bytes(data, undefined.start, "cp1252")
                raise self.error(
                    f"expected UTF-8 or Windows-1252 text, found byte 0x{data[undefined.start]:02X} (binary data?)",
                    line,
                    column,
                    "binary",
                ) from None
            line, column = _position_bytes(data, exc.start, "cp1252")
            self.report(
                "encoding-fallback",
                f"not valid UTF-8 (byte 0x{data[exc.start]:02X}); decoded as Windows-1252",
                line,
                column,
            )
            return text
        self.forbidden_free = free
        return text

    # -- structure --------------------------------------------------------

    def read(self, text: str, language: str | None, default_language: str | None, keys: frozenset[str]) -> Article:
        lines = self._lines(text)
        # The usual header is the first three lines; the generator only for the rest.
        header = [0, 1, 2] if len(lines) > 2 and lines[0] and lines[1] and lines[2] else _first_nonblank(lines, 3)
        if not header:
            raise self.error("expected a category line, found an empty file", 1, 1, "empty")
        category, headline, published, body_start = self._header(lines, header)
        metadata = _NO_METADATA
        if body_start < len(lines) and lines[body_start] and METADATA_LINE.fullmatch(lines[body_start]):
            metadata = _Metadata()
            body_start = self._metadata(lines, body_start, metadata)
        if language is None:
            language = metadata.language or default_language
        end, trailer = self._trailer(lines, body_start, keys)
        empty_body_line = min(body_start, len(lines)) + 1
        blocks, wrapped = _blocks(lines, body_start, end)
        # Every block holds its own text now: dropping the lines here keeps one
        # copy of a large input's pointers in memory instead of two.
        lines.clear()
        sections = _sections(blocks, wrapped)
        if not sections:
            self.report("empty-body", "no body paragraphs after the header", empty_body_line)
        if language is None:
            language = self._detect_language(headline, sections, body_start + 1)
        # Every string above is valid by construction (normalised lines, no
        # forbidden character), so the validators are not run a second time.
        return _article(
            category=category,
            headline=headline,
            published=published,
            url=metadata.url,
            authors=tuple(metadata.authors),
            image=metadata.image,
            modified=metadata.modified,
            description=metadata.description,
            tags=metadata.tags,
            language=language,
            sections=sections,
            trailer=trailer,
            source=self.source,
        )

    def _lines(self, text: str) -> list[str]:
        """Split into lines stripped of spaces and tabs, inner runs collapsed; refuse unprintable text."""
        lines = text.split("\n")
        collapse = "\t" in text or _DOUBLE_SPACE.search(text) is not None
        if len(lines) >= _IN_PLACE_LINES:
            _normalise_in_place(lines, collapse_spaces if collapse else _strip_spaces)
        elif collapse:
            lines = [collapse_spaces(line) for line in lines]
        else:
            lines = [line.strip(" ") for line in lines]
        # A line that is not printable (to Python, a no-break space is not) may hold a forbidden
        # character, or only whitespace (a blank line); the loop below looks. Where the bytes showed
        # no forbidden character, only the lines of whitespace need it, and finding them stops at
        # each line's first character instead of asking the Unicode database of every one.
        look = any(map(str.isspace, lines)) if self.forbidden_free else not all(map(str.isprintable, lines))
        if look:
            for number, line in enumerate(lines, 1):
                if line.isspace():  # only no-break spaces, U+2028 and the like: a blank line
                    lines[number - 1] = ""
                    continue
                index = None if _printable(line) else find_forbidden(line)
                if index is not None:
                    column = text.split("\n", number)[number - 1].find(line[index]) + 1
                    what = (
                        "a NUL character (binary data?)"
                        if line[index] == "\x00"
                        else (f"the control or non-character U+{ord(line[index]):04X}")
                    )
                    raise self.error(f"expected text, found {what}", number, column, "binary")
        return lines

    def _header(self, lines: list[str], header: list[int]) -> tuple[str | None, str, dt.date | None, int]:
        first = header[0]
        if len(header) == 3:
            date = self._date(lines[header[2]], header[2])
            if date is not None:
                published = None if date is _NO_DATE else date
                return _category(lines[first]), _header_text(lines[header[1]]), published, header[2] + 1
        if len(header) >= 2:
            date = self._date(lines[header[1]], header[1])
            if date is not None:
                self.report("missing-category", "no category line before the headline", first + 1)
                published = None if date is _NO_DATE else date
                return None, _header_text(lines[first]), published, header[1] + 1
            after = header[1] + 1
            self.report("missing-date", "expected a date line after the headline; read the article without a date",
                        header[2] + 1 if len(header) == 3 else after + 1)  # fmt: skip
            return _category(lines[first]), _header_text(lines[header[1]]), None, after
        self.report("missing-headline", "only one line: read it as the headline, without category or date", first + 1)
        return None, _header_text(lines[first]), None, first + 1

    def _date(self, line: str, index: int) -> dt.date | None:
        if line == ABSENT:
            return _NO_DATE
        try:
            read: ReadDate | None = _read_date_line(line)
        except DateLineError as exc:
            raise self.error(str(exc), index + 1, 1, "invalid-date") from None
        if read is None:
            return None
        if read.note is not None:
            self.report(read.note[0], read.note[1], index + 1)
        return read.value

    def _metadata(self, lines: list[str], start: int, metadata: _Metadata) -> int:
        """Read the metadata block that starts at ``start`` into ``metadata``; return where the body starts.

        The block ends at the first line that is no metadata line. A metadata line
        with a value the model would refuse, or a second line of a key that does not
        repeat, is reported and ends the block too: it stays body text, so nothing
        is lost.
        """
        index = start
        while index < len(lines):
            match = METADATA_LINE.fullmatch(lines[index])
            if match is None:
                break
            key, value = match.group(1), match.group(2) or ""
            problem = metadata.add(key, value)
            if problem is not None:
                self.report("invalid-metadata", f"{key}: {problem}; kept the line as body text", index + 1)
                break
            if metadata.note is not None:
                self.report(metadata.note[0], metadata.note[1], index + 1)
                metadata.note = None
            index += 1
        return index

    def _trailer(self, lines: list[str], start: int, keys: frozenset[str]) -> tuple[int, tuple[str, ...]]:
        """Find where the body ends; return that index and the trailer lines after it."""
        try:
            # An escaped paragraph always has text after its backslash, so the first
            # lone backslash is the mark even when trailer lines are backslashes too.
            mark = lines.index(TRAILER_MARK, start)
        except ValueError:
            pass
        else:
            return mark, tuple(line for line in lines[mark + 1 :] if line)
        # The last paragraph is usually long: knowing it cannot be a trailer line
        # saves normalising a few kilobytes of text.
        limit = 2 * _longest(keys) + 8
        found: list[str] = []
        index = len(lines)
        while index > start:
            line = lines[index - 1]
            if line and (len(line) > limit or _trailer_key(line) not in keys):
                break
            if line:
                found.append(line)
            index -= 1
        found.reverse()
        return index, tuple(found)

    def _detect_language(self, headline: str, sections: tuple[Section, ...], line: int) -> str:
        detection = detect_article_language(headline, sections)
        if not detection.confident:
            self.report(
                "language-guess",
                f"could not tell the language (found {detection.summary()}); labelled it {detection.language!r}, "
                "undetermined: state it with a 'lang: xx' line after the date",
                line,
            )
        return detection.language


class _Metadata:
    """The values of a metadata block, read one line at a time (docs/format.md, section 3)."""

    def __init__(self) -> None:
        self.url: str | None = None
        self.authors: list[str] = []
        self.image: str | None = None
        self.modified: dt.date | None = None
        self.description: str | None = None
        self.tags: tuple[str, ...] = ()
        self.language: str | None = None
        self.seen: set[str] = set()
        self.note: tuple[str, str] | None = None  # a date's diagnostic, as for the date line

    def add(self, key: str, value: str) -> str | None:
        """Take one line's value; say why it cannot be taken, or return None."""
        if key in self.seen and key != "author":
            return f"expected one {key} line, found a second one"
        problem = _METADATA_READERS[key](self, value)
        if problem is None:
            self.seen.add(key)
        return problem

    def _url(self, value: str) -> str | None:
        problem = url_problem(value)
        if problem is None:
            self.url = value
        return _found(problem, value)

    def _image(self, value: str) -> str | None:
        problem = url_problem(value)
        if problem is None:
            self.image = value
        return _found(problem, value)

    def _author(self, value: str) -> str | None:
        problem = text_problem(value)
        if problem is None:
            self.authors.append(value)
        return _found(problem, value)

    def _description(self, value: str) -> str | None:
        problem = text_problem(value)
        if problem is None:
            self.description = value
        return _found(problem, value)

    def _tags(self, value: str) -> str | None:
        # Only the space is stripped around a tag, as the format strips lines.
        tags = tuple(tag.strip(" ") for tag in value.split(","))
        for tag in tags:
            problem = tag_problem(tag)
            if problem is not None:
                return _found(f"each tag {problem}", value)
        self.tags = tags
        return None

    def _modified(self, value: str) -> str | None:
        try:
            read = read_date_line(value)
        except DateLineError as exc:
            return str(exc)  # it quotes the value and names the impossible part
        if read is None:
            return _found("expected a date such as 2025-02-27 or a date-time such as 2025-02-27T14:30:00+01:00", value)
        self.modified = read.value
        self.note = read.note
        return None

    def _language(self, value: str) -> str | None:
        if not _BCP47.fullmatch(value):
            return _found("expected a BCP 47 language tag such as de or de-AT", value)
        self.language = value
        return None


def _found(problem: str | None, value: str) -> str | None:
    return None if problem is None else f"{problem}, found {value!r:.80}"


# Most texts have no metadata block: they share this one, which nothing changes.
_NO_METADATA = _Metadata()

_METADATA_READERS: dict[str, Callable[[_Metadata, str], str | None]] = {
    "url": _Metadata._url,
    "author": _Metadata._author,
    "image": _Metadata._image,
    "modified": _Metadata._modified,
    "description": _Metadata._description,
    "tags": _Metadata._tags,
    "lang": _Metadata._language,
}


def _blocks(lines: list[str], start: int, end: int) -> tuple[list[str], set[int]]:
    """The body's blocks, their lines joined with one space, and the indexes of those of several lines."""
    blocks: list[str] = []
    wrapped: set[int] = set()  # few blocks are hard-wrapped: cheaper than a flag for each block
    # Most blocks are one line: it is kept as it is, and a list made only for a second line.
    first: str | None = None
    block: list[str] | None = None
    for line in itertools.islice(lines, start, end):
        if line:
            if first is None:
                first = line
            elif block is None:
                block = [first, line]
            else:
                block.append(line)
        elif first is not None:
            if block is not None:
                wrapped.add(len(blocks))
                first, block = " ".join(block), None
            blocks.append(first)
            first = None
    if first is not None:
        if block is not None:
            wrapped.add(len(blocks))
            first = " ".join(block)
        blocks.append(first)
    return blocks, wrapped


def _classify(blocks: list[str], wrapped: set[int]) -> tuple[array.array[int], dict[int, str]]:
    """The heading candidates, in order, and the heading text of each marked one, without its mark.

    A block is a marked candidate (``## ``) or one shaped like a heading; every
    other block is a paragraph. An escaped block is replaced by its text in
    ``blocks``. Neither kind of candidate can be the last block: a Section needs
    a paragraph.
    """
    last = len(blocks) - 1
    # Machine integers: a million candidates (a million short lines) in a list
    # would also keep a million int objects, 36 bytes each.
    candidates = array.array("q")
    marked: dict[int, str] = {}
    mark = HEADING_MARK[0]
    for index, text in enumerate(blocks):
        first = text[0]
        if first == ESCAPE:
            # Escaped, the block is a paragraph whatever follows; when only
            # whitespace follows, the block as written is that paragraph.
            escaped = _after_mark(text, ESCAPE)
            if escaped is not None:
                blocks[index] = escaped
        elif len(text) > MAX_HEADING_LENGTH and first != mark:
            continue  # most blocks: a paragraph too long for a heading's shape, without a mark
        elif index in wrapped:
            continue  # a wrapped block is always a paragraph
        elif text.startswith(HEADING_MARK):
            # A mark without heading text is no subheading, and no shape either.
            title = _after_mark(text, HEADING_MARK)
            if title is not None and index < last:
                marked[index] = title
                candidates.append(index)
        elif 0 < index < last and looks_like_heading(text):
            candidates.append(index)
    return candidates, marked


def _sections(blocks: list[str], wrapped: set[int]) -> tuple[Section, ...]:
    """The body's sections; ``blocks`` is used up (its items move into the Sections)."""
    if not blocks:
        return ()
    candidates, marked = _classify(blocks, wrapped)
    if not candidates:  # most articles: one section without a heading
        return (_section(None, tuple(blocks)),)
    # In a run of consecutive candidates one becomes the heading: the first
    # marked one, else the first. The others stay paragraphs, as written, so
    # each section's paragraphs are the blocks between two chosen headings.
    sections: list[Section] = []
    heading: str | None = None
    start = 0
    pos, count = 0, len(candidates)
    while pos < count:
        first = pos
        while pos + 1 < count and candidates[pos + 1] == candidates[pos] + 1:
            pos += 1
        chosen = next((candidates[j] for j in range(first, pos + 1) if candidates[j] in marked), candidates[first])
        pos += 1
        if chosen > start:  # only a first block that is a heading has no paragraph before it
            sections.append(_section(heading, tuple(blocks[start:chosen])))
        heading = marked.get(chosen, blocks[chosen])
        start = chosen + 1
    # The blocks are not needed after this: dropping the ones already used, in
    # place, spares a slice that would be a third copy of a large body's pointers.
    del blocks[:start]
    sections.append(_section(heading, tuple(blocks)))
    return tuple(sections)


_NO_DATE = dt.date.min

# The model's objects without their validators, as _models.trusted builds them but without its
# keyword dictionary: a Section per few paragraphs and an Article per parse.
_new = object.__new__
_set = object.__setattr__


def _section(heading: str | None, paragraphs: tuple[str, ...]) -> Section:
    section: Section = _new(Section)
    _set(section, "heading", heading)
    _set(section, "paragraphs", paragraphs)
    return section


def _article(
    *,
    category: str | None,
    headline: str,
    published: dt.date | None,
    url: str | None,
    authors: tuple[str, ...],
    image: str | None,
    modified: dt.date | None,
    description: str | None,
    tags: tuple[str, ...],
    language: str,
    sections: tuple[Section, ...],
    trailer: tuple[str, ...],
    source: str | None,
) -> Article:
    article: Article = _new(Article)
    _set(article, "category", category)
    _set(article, "headline", headline)
    _set(article, "published", published)
    _set(article, "url", url)
    _set(article, "authors", authors)
    _set(article, "image", image)
    _set(article, "modified", modified)
    _set(article, "description", description)
    _set(article, "tags", tags)
    _set(article, "language", language)
    _set(article, "sections", sections)
    _set(article, "trailer", trailer)
    _set(article, "source", source)
    return article


@functools.lru_cache(maxsize=16)
def _longest(keys: frozenset[str]) -> int:
    return max(map(len, keys), default=0)


# The same few lines end most articles ("more stories", "See more"); only short lines get here.
_trailer_key = functools.lru_cache(maxsize=1024)(trailer_key)
# A folder of news holds many articles of the same few days: the date line, read once per day.
# What it returns is immutable (a date, a fixed-offset date-time, a note); an error is never cached.
_read_date_line = functools.lru_cache(maxsize=1024)(read_date_line)


# sre finds a literal by its prefix table, faster than `"  " in text` on non-ASCII text.
_DOUBLE_SPACE = re.compile("  ")


# From this many lines on, lines are normalised in place: a second list of a million
# pointers would double the memory that the lines take. Below it a comprehension is faster.
_IN_PLACE_LINES = 1 << 16


def _normalise_in_place(lines: list[str], normalise: Callable[[str], str]) -> None:
    for index, line in enumerate(lines):
        lines[index] = normalise(line)


def _strip_spaces(line: str) -> str:
    return line.strip(" ")


# The bytes that begin, in UTF-8, a character that find_forbidden finds: the C0 controls but tab,
# line feed and carriage return; DEL; C2 (C2 80 to C2 9F are the C1 controls, C2 A0 the common
# no-break space); ED (the surrogates, which only text passed as str can hold, encoded with
# "surrogatepass"); EF (U+FDD0 to U+FDEF, U+FFFE, U+FFFF); F0 to F4 (the astral noncharacters).
_SUSPECT_LEADS = frozenset([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xC2, 0xED, 0xEF, *range(0xF0, 0xF5)])
_NOT_SUSPECT_LEADS = bytes(byte for byte in range(256) if byte not in _SUSPECT_LEADS)
_C1_UTF8 = re.compile(b"\xc2[\x80-\x9f]")


def _free_of_forbidden(data: bytes) -> bool:
    """True when ``data``, read as UTF-8, holds no character that find_forbidden finds; False when unsure."""
    # One C pass that deletes every other byte leaves nothing in most texts: several times faster
    # than str.isprintable() over the decoded lines, which asks the Unicode database of every character.
    leads = data.translate(None, _NOT_SUSPECT_LEADS)
    if not leads:
        return True
    # No-break spaces are common in German news: a few are checked for the C1 controls that share their
    # lead byte. The other leads are rare, and so is more than one C2 in 64 bytes (then a stop of the
    # regex at each costs more than the slow look): both are left to the slow look.
    return len(leads) <= len(data) >> 6 and leads.count(0xC2) == len(leads) and _C1_UTF8.search(data) is None


def _printable(line: str) -> bool:
    # No-break spaces are common in German news ("5\u00a0%", "z.\u202fB.") and allowed,
    # but unprintable to Python; removing them is cheaper than a character-class search.
    return line.isprintable() or line.replace("\xa0", "").replace("\u202f", "").isprintable()


def _first_nonblank(lines: list[str], count: int) -> list[int]:
    return list(itertools.islice((index for index, line in enumerate(lines) if line), count))


def _after_mark(text: str, mark: str) -> str | None:
    """The text after a leading escape or heading mark, or None when the mark does not apply.

    The mark applies only when what follows is a string the model accepts: the
    model's own check decides, so a mark followed by nothing but Unicode
    whitespace (a no-break space, U+2028) leaves the block as written instead of
    yielding a field the validators refuse.
    """
    if not text.startswith(mark):
        return None
    # The writer never puts a space after the escape; a hand-written one is layout.
    rest = text[len(mark) :].lstrip(" ")
    return rest if text_problem(rest) is None else None


def _header_text(line: str) -> str:
    escaped = _after_mark(line, ESCAPE)
    return line if escaped is None else escaped


def _category(line: str) -> str | None:
    return None if line == ABSENT else _header_text(line)


def _position(text: str, index: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def _position_bytes(data: bytes, index: int, codec: str = "utf-8") -> tuple[int, int]:
    """The line and column of byte ``index``, counted in the text the bytes decode to, as parse reads it."""
    before = _line_feeds(data[:index].decode(codec, "replace"))
    return _position(before, len(before))


def _line_feeds(text: str) -> str:
    """``text`` with each line ending (CR LF, or a lone CR) a line feed: the lines that parse reads."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
