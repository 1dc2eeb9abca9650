"""word_count: the same count as splitting at whitespace, without making a token for each word."""

from __future__ import annotations

import codecs
import gc
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsarticle import _text, parse_file
from newsarticle._text import _word_count_by_tokens, scan_words, takes_one_column, word_count
from scaling import LINEAR, lowest_doubling_ratio

DATA = Path(__file__).parent / "data"
# Whitespace that str.split() splits at, outside ASCII; letters, digits and marks outside Windows-1252.
_FOREIGN = "\x85\xa0\u1680\u2000\u2009\u200a\u2028\u2029\u202f\u205f\u3000ŞşŁłőœΩωЖж漢字٣①\u0301\u200b"
_ALPHABET = st.sampled_from(" \n\t\x1c.,;–—„“…€%&_-0aZäß½²ª" + _FOREIGN) | st.characters(codec="utf-8")


def reference(text: str) -> int:
    """The definition: whitespace-separated tokens with at least one letter or digit."""
    return sum(1 for token in text.split() if any(char.isalnum() for char in token))


@settings(max_examples=1000, deadline=None)
@given(st.text(_ALPHABET, max_size=60))
def test_word_count_is_the_definition(text: str) -> None:
    assert word_count(text) == reference(text)


@settings(max_examples=1000, deadline=None)
@given(st.text(_ALPHABET, max_size=60))
def test_the_scan_says_one_column_only_when_it_is(text: str) -> None:
    # The text renderer trusts a True without looking again; False only sends it to look.
    count, one_column = scan_words(text)
    assert count == reference(text)
    if one_column:
        assert takes_one_column(text)


@pytest.mark.parametrize(
    "text",
    [
        "Kesselbach – Rotenbühl — „Zitat“ … 5\u00a0% z.\u202fB. Elif Şahin 3\u00a0€ ‚x‘ ½",
        "Łódź und Kraków, Čech ™ ± °C",
    ],
)
def test_the_scan_answers_for_european_text(text: str) -> None:
    # The prose of the corpus gets its answer from the count's own pass, not from a second one.
    assert scan_words(text) == (reference(text), True)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Elif Şahin sagte es",  # a letter outside Windows-1252 inside a word
        "Ş ş Ł",  # words made of such letters alone
        "Москва и Питер",  # no Windows-1252 at all
        "Ş " * 100,  # more foreign runs than the error handler takes
        "5\u00a0% und x\u2009y und a\u202fb",  # no-break and thin spaces split tokens
        "a\x85b \u2028c",
        "Kesselbach – Rotenbühl — „Zitat“ …",
        "e\u0301 \u0301 \u200b",  # a combining mark alone, a zero-width space alone
        "½ ² ª µ × ÷",
        "_ __ a_b",
    ],
)
def test_word_count_on_hard_cases(text: str) -> None:
    assert word_count(text) == reference(text)


def _ignore(_diagnostic: object) -> None:
    """Some corpus files are there for their warnings; here only their text counts."""


def _best(work: Callable[[str], object], texts: list[str], repeat: int = 7) -> list[float]:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        for text in texts:
            work(text)
        times.append(time.perf_counter() - start)
    return times


def test_word_count_costs_a_fraction_of_counting_token_by_token() -> None:
    # Token by token (the fallback, and once the only way) makes an object per word, which
    # cost more than all the rest of the json renderer; on the prose it is made for, the
    # count takes about a third of that.
    bodies = [parse_file(path, on_diagnostic=_ignore).body for path in sorted(DATA.glob("*.txt"))]
    counted, by_tokens = [float("inf")], [float("inf")]
    for _ in range(3):  # the two take turns, so load from elsewhere hits both
        counted.append(min(_best(word_count, bodies)))
        by_tokens.append(min(_best(_word_count_by_tokens, bodies)))
    assert min(counted) < 0.75 * min(by_tokens)  # about 0.4 here; without the fix, 1


@pytest.mark.parametrize("unit", ["Wort, und – „Zitat“ ", "a ", "Ş ", "漢 ", "x", "–", " \u00a0"])
def test_word_count_is_linear(unit: str) -> None:
    # Western prose, one-letter words, foreign letters past the error handler's budget,
    # wide characters, one huge word, one huge punctuation token, spaces only.
    assert lowest_doubling_ratio(lambda n: unit * n, word_count, 1 << 17) < LINEAR


def test_the_one_byte_alphabet() -> None:
    """Each of its characters encodes to its byte, through the fast table; it holds Windows-1252 but C0 controls."""
    assert type(_text._ONE_BYTE).__name__ == "EncodingMap"  # not a dict: that would cost ten times as much
    for byte, char in enumerate(_text._ALPHABET):
        assert codecs.charmap_encode(char, "strict", _text._ONE_BYTE)[0] == bytes([byte])
    windows_1252 = set(bytes(range(256)).decode("cp1252", "ignore"))
    assert windows_1252 - set(_text._ALPHABET) == {chr(code) for code in range(1, 0x20) if not chr(code).isspace()}
