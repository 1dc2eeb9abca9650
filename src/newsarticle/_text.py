"""Character-level rules shared by the model, the parser and the writer.

The text format joins hard-wrapped lines with one space and collapses runs of
spaces and tabs, so a model string can only hold what survives that: no line
breaks, no tabs, no doubled spaces, no space at either end. Control
characters, lone surrogates and Unicode noncharacters are refused everywhere
because no output format (HTML, XML, JSON text) can carry them faithfully.
"""

from __future__ import annotations

import codecs
import itertools
import re

__all__ = [
    "ONE_COLUMN",
    "collapse_spaces",
    "find_forbidden",
    "scan_words",
    "takes_one_column",
    "text_problem",
    "word_count",
]

# C0 controls except tab/LF/CR, DEL, C1 controls, surrogates, noncharacters, found in
# two fast steps: sre checks a BMP class and one astral range in a few nanoseconds a
# character, but a class of 32 scattered astral code points costs ten times that.
# Astral matches are rare (emoji) and checked one by one.
_SUSPECT = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff\U00010000-\U0010ffff]"
)

_SPACES = re.compile("[ \t]+")
# Exactly the characters for which str.isalnum() is true: sre's Unicode \w is isalnum() or "_".
# On ASCII text a plain character set does the same several times faster.
_ALNUM = re.compile(r"[^\W_]")
_ASCII_ALNUM = re.compile("[0-9A-Za-z]")

#: A regular-expression class (without its brackets) of characters that take one terminal column each:
#: Latin, Greek, Cyrillic (no combining marks), general punctuation (dashes, quotes, no-break spaces),
#: currency, letterlike, arrows, math.
ONE_COLUMN = (
    "\x20-\x7e\xa0-\xac\xae-\u02ff\u0370-\u0482\u048a-\u052f\u2010-\u2027\u202f-\u205f\u20a0-\u20c0\u2100-\u22ff"
)
_ONE_COLUMN_LINES = re.compile(f"[\n{ONE_COLUMN}]*")


def collapse_spaces(line: str) -> str:
    """Strip spaces and tabs at both ends and collapse inner runs to one space."""
    if "  " in line or "\t" in line:
        line = _SPACES.sub(" ", line)
    return line.strip(" ")


def text_problem(value: str) -> str | None:
    """Say why ``value`` cannot be a one-line text field, or return None when it can."""
    # Plain substring tests and one character-class search: every paragraph of
    # every parsed article passes through here, so this must cost nanoseconds.
    if not value:
        return "must not be empty"
    if "\n" in value or "\r" in value:
        return "must be a single line (found a line break)"
    if "\t" in value:
        return "must not contain tabs (the format turns them into spaces)"
    if "  " in value:
        return "must not contain two spaces in a row (the format collapses them)"
    if value[0] == " " or value[-1] == " ":
        return "must not start or end with a space (the format strips them)"
    if value.isspace():
        return "must hold more than whitespace (the format reads such a line as blank)"
    if value.isprintable():  # every forbidden character is unprintable
        return None
    index = find_forbidden(value)
    if index is not None:
        return f"must not contain the control or non-character U+{ord(value[index]):04X}"
    return None


def find_forbidden(text: str) -> int | None:
    """The index of the first character no model string may hold, or None."""
    match = _SUSPECT.search(text)
    while match is not None:
        char = match.group()
        if char <= "\uffff" or (ord(char) & 0xFFFE) == 0xFFFE:
            return match.start()
        match = _SUSPECT.search(text, match.end())
    return None


def takes_one_column(text: str) -> bool:
    """Whether every character of ``text`` (line breaks allowed) is of :data:`ONE_COLUMN`."""
    return text.isascii() or _ONE_COLUMN_LINES.fullmatch(text) is not None


def word_count(text: str) -> int:
    """Count whitespace-separated tokens that hold at least one letter or digit.

    A dash or a percent sign standing alone (``5 %``, ``Kesselbach – Rotenbühl``)
    is punctuation, not a word.
    """
    return scan_words(text)[0]


def scan_words(text: str) -> tuple[int, bool]:
    """:func:`word_count`, and True when its pass found every character to be of :data:`ONE_COLUMN`.

    False says nothing: the text may still be all one column (the text renderer
    then asks :func:`takes_one_column`, a pass of its own).
    """
    # Splitting a 6 KB article into its thousand tokens costs more than rendering it, so the
    # common case never makes a token: each character becomes one byte (_ALPHABET, Windows-1252 and
    # a few more, holds the letters and the punctuation of European text), one table maps every byte to its
    # class, 1 for a letter or digit, 0 for a space, and drops punctuation; then each run of
    # 1s is one word. The same table marks the bytes of characters outside ONE_COLUMN, so the
    # question the text renderer asks of every body costs a memchr instead of a regex pass.
    try:
        encoded = _charmap_encode(text, "strict", _ONE_BYTE)[0]
    except UnicodeEncodeError:
        return _word_count_beyond_alphabet(text), False
    classes = encoded.translate(_CLASS_OR_WIDTH_MARK, _ONE_COLUMN_PUNCTUATION)
    if _WIDTH_MARK not in classes:
        return _runs(classes), True
    return _runs(encoded.translate(_CLASS_OF_BYTE, _PUNCTUATION_BYTES)), False


def _runs(classes: bytes) -> int:
    """The runs of 1s in bytes that are 0 or 1: the words."""
    # Read as one integer, byte 0 lowest, x ^ (x << 8) has a 1 wherever a byte's class differs
    # from the one before, with nothing (0) before the first byte and after the last: two for each
    # run of letters. Big integers do that in C, a machine word at a time, faster than
    # bytes.count() looks for b"\x00\x01"; XOR is one operation fewer than x & ~(x << 8).
    flags = int.from_bytes(classes, "little")
    return (flags ^ (flags << 8)).bit_count() >> 1


def _word_count_beyond_alphabet(text: str) -> int:
    """word_count of text that holds characters outside the one-byte alphabet."""
    # Runs of letters outside it (a name's ő, a Cyrillic word) become letters of the alphabet;
    # anything else, or too many runs, is counted token by token.
    try:
        classes = _charmap_encode(text, _LETTER_RUNS, _ONE_BYTE)[0].translate(_CLASS_OF_BYTE, _PUNCTUATION_BYTES)
    except UnicodeEncodeError:
        return _word_count_by_tokens(text)
    return _runs(classes)


def _word_count_by_tokens(text: str) -> int:
    """word_count, one token at a time: for text beyond the one-byte alphabet."""
    tokens = text.split()
    # Most tokens are plain words; only the rest need a closer look, in C: a token of a
    # million punctuation marks would cost half a second character by character in Python.
    odd = list(itertools.filterfalse(str.isalnum, tokens))
    return len(tokens) - len(odd) + sum(1 for token in odd if _has_alnum(token))


# Characters one byte each: Windows-1252's, and in place of its five unassigned bytes and of the C0
# controls that no model string holds (tab, line breaks and the whitespace controls stay), the letters
# of names in European news that it lacks (Turkish, Polish, Czech) and the thin and narrow no-break
# spaces of careful typography ("z.\u202fB."). Every other character costs a call of the error
# handler below, or the count token by token. NUL stays byte 0: charmap_build makes the fast
# three-level table only then, and a slow dictionary otherwise.
_EXTRA_CHARACTERS = "\u2009\u202fŞşĞğİıŁłŚśŻżŹźĆćŃńĄąĘęČčř"


def _one_byte_alphabet() -> str:
    """The 256 characters that word_count encodes as one byte each, in the order of their bytes."""
    alphabet = list(bytes(range(256)).decode("cp1252", "replace"))
    free = [byte for byte, char in enumerate(alphabet) if char == "\ufffd" or (0 < byte < 0x20 and not char.isspace())]
    for byte, char in zip(free, _EXTRA_CHARACTERS, strict=True):
        alphabet[byte] = char
    return "".join(alphabet)


def _classes(alphabet: str, marked: str = "") -> tuple[bytes, bytes]:
    """A table from the alphabet's bytes to their class, and the bytes that ``translate`` deletes.

    Whitespace becomes 0, letters and digits 1; everything else is deleted.
    The characters of ``marked`` become _WIDTH_MARK instead, whatever their class.
    """
    table = bytearray(range(256))
    punctuation = bytearray()
    for byte, char in enumerate(alphabet):
        if char in marked:
            table[byte] = _WIDTH_MARK
        elif char.isspace():
            table[byte] = 0
        elif char.isalnum():
            table[byte] = 1
        else:
            punctuation.append(byte)
    return bytes(table), bytes(punctuation)


# Neither a space (0) nor a letter (1): a character outside ONE_COLUMN.
_WIDTH_MARK = 2
_ALPHABET = _one_byte_alphabet()
_CLASS_OF_BYTE, _PUNCTUATION_BYTES = _classes(_ALPHABET)
# The same classes, with the alphabet's characters outside ONE_COLUMN (the soft hyphen, the thin
# space, controls) marked: a text without the mark is all one column.
_CLASS_OR_WIDTH_MARK, _ONE_COLUMN_PUNCTUATION = _classes(
    _ALPHABET, "".join(char for char in _ALPHABET if not _ONE_COLUMN_LINES.fullmatch(char))
)
# The charmap codec that Windows-1252 is, with this alphabet, called directly: the codec lookup of
# text.encode() and the codec's Python method cost more than encoding a paragraph (1.5 µs a call).
_ONE_BYTE = codecs.charmap_build(_ALPHABET)
_charmap_encode = codecs.charmap_encode
# More runs of characters outside the alphabet than this (Cyrillic, Greek, Chinese prose) are
# counted token by token: a call of the error handler per run would cost more than that.
_MAX_FOREIGN_RUNS = 16


def _letters_for_foreign_run(error: UnicodeError) -> tuple[bytes, int]:
    """Codec error handler: a run of letters outside the one-byte alphabet (ő, ș, ж) counts as letters.

    Anything else (a thin space, an arrow, a combining mark) raises, and the
    caller counts token by token.
    """
    if not isinstance(error, UnicodeEncodeError):
        raise error
    run = error.object[error.start : error.end]
    # CPython hands the handler the same exception object for every run of one encode call,
    # so it can carry the count; where it does not, only the speed-up is lost.
    runs = getattr(error, "_newsarticle_runs", 0) + 1
    if runs > _MAX_FOREIGN_RUNS or not run.isalnum():
        raise error
    setattr(error, "_newsarticle_runs", runs)  # noqa: B010 -- an attribute of our own on a stdlib exception
    return b"a" * len(run), error.end


_LETTER_RUNS = "newsarticle.letter-runs"
codecs.register_error(_LETTER_RUNS, _letters_for_foreign_run)


def _has_alnum(token: str) -> bool:
    return (_ASCII_ALNUM if token.isascii() else _ALNUM).search(token) is not None
