"""Every renderer, and the typography transform, takes time linear in its input, for every character class.

A renderer that searches ahead for a closing delimiter from each opening one
(``>`` after each ``<``, ``-->`` after each ``<!--``) is quadratic on a long
run of openers that never close: the Markdown renderer once took a minute on
a 4 MB paragraph. Each test fills the headline and a paragraph with one
repeated unit of a markup-relevant character class (the headline takes the
path of subheadings: Markdown's ATX heading, the text format's underline) and
checks the doubling ratio (``tests/scaling.py``), never an absolute time.
"""

from __future__ import annotations

import gc
import string
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest

import newsarticle
from newsarticle import Article, Section
from scaling import LINEAR, doubling_ratio

pytestmark = pytest.mark.slow

#: Characters per field: from the smallest size at which a quadratic search ahead in C (``str.find``)
#: outweighs the linear work, doubled until one rendering takes long enough that the scheduler's
#: time slices no longer decide the ratio.
MIN_SIZE = 1 << 18
MAX_SIZE = 1 << 20
ENOUGH = 0.015  # seconds
#: A ratio over the limit is measured again, at twice the size and back: another process can spoil
#: one ratio, and so can a size at which the input just outgrows a cache, but a quadratic term
#: spoils every one.
ATTEMPTS = 3

Variant = tuple[str, Mapping[str, Any], tuple[str, ...]]

#: Every renderer, and the typography transform, with the options that change its code path:
#: (format, options, transforms), all rendered by one test. A standalone HTML document holds the
#: fragment, and Markdown with front matter the plain Markdown, so those options cover both paths.
RENDERINGS: dict[str, list[Variant]] = {
    "html": [("html", {"standalone": True, "reading_time": True}, ())],
    "markdown": [("markdown", {"front_matter": True}, ())],
    "json": [("json", {}, ()), ("json", {"indent": 0}, ())],
    "text": [("text", {}, ()), ("text", {"width": 0}, ()), ("text", {"width": 1}, ())],
    "source": [("source", {}, ())],
    "ninjs": [("ninjs", {}, ())],
    "typography": [("source", {}, ("typography",))],
}

#: (test id, unit): the unit is repeated to fill each field.
CLASSES: list[tuple[str, str]] = [
    *((f"punct-{ord(ch):02x}", ch) for ch in string.punctuation),
    ("lt-letter", "<a"),
    ("lt-space", "< a "),
    ("comment", "<!--"),
    ("amp-letters", "&abc"),
    ("amp-hash", "&#x4"),
    ("entity-far", "&ab c;"),
    ("backtick-word", "`a"),
    ("star-underscore", "*a_b"),
    ("underscore-space", "_ a"),
    ("tilde-word", "~~a "),
    ("bracket-open", "[a"),
    ("bracket-close-paren", "]("),
    ("link-open", "[a]("),
    ("backslash-letter", "\\a"),
    ("backslash-space", "\\ "),
    ("hash-space", "# "),
    ("word", "a"),
    ("words", "a "),
    ("nbsp", "\u00a0"),
    ("nbsp-word", "a\u00a0"),
    ("em-space-word", "a\u2003"),
    ("double-quote-word", '"a" '),
    ("single-quote-word", "'a' "),
    ("quote-space", '" '),
    ("wide", "\u6f22"),
    ("combining", "e\u0301"),
]


@pytest.fixture(autouse=True, scope="module")
def _frozen_heap() -> Iterator[None]:
    # doubling_ratio collects garbage before each timing; with the test session's objects moved
    # out of the collector's sight, that costs microseconds instead of tens of milliseconds.
    gc.freeze()
    yield
    gc.unfreeze()


def _fill(unit: str, n: int) -> str:
    """``unit`` repeated to ``n`` characters, shaped into a valid field: single spaces, none at either end."""
    text = (unit * (n // len(unit) + 1))[:n].replace("  ", " ").strip(" ")
    # A field of only whitespace is refused by the model; letters at the ends keep the whitespace inside.
    return f"x{text}x" if text.isspace() else text


def _backtick_runs(n: int) -> str:
    """Backtick runs of growing length, each once, separated by a letter: no two runs can pair."""
    runs: list[str] = []
    size = length = 0
    while size < n:
        length += 1
        runs.append("`" * length)
        size += length + 1
    return "a".join(runs)


def _article_fields(text: str) -> dict[str, Any]:
    sections = (Section(paragraphs=["Lead.", text]), Section(heading="Zweitens", paragraphs=["Ende."]))
    return {"headline": text, "language": "de", "category": "Politik", "sections": sections}


def _renderer(variants: list[Variant]) -> Callable[[dict[str, Any]], object]:
    def work(fields: dict[str, Any]) -> object:
        for fmt, options, transforms in variants:
            # A new Article each time: word_count is cached on the instance and is part of the work.
            newsarticle.render(Article(**fields), fmt, locale="de", transforms=transforms, **options)
        return None

    return work


def _size(make: Callable[[int], dict[str, Any]], work: Callable[[dict[str, Any]], object]) -> int:
    n = MIN_SIZE
    while n < MAX_SIZE:
        data = make(n)
        work(data)  # the first run at a new size also pays for fresh memory
        start = time.perf_counter()
        work(data)
        if time.perf_counter() - start >= ENOUGH:
            break
        n *= 2
    return n


def assert_linear(make: Callable[[int], dict[str, Any]], work: Callable[[dict[str, Any]], object]) -> None:
    n = _size(make, work)
    ratios: list[str] = []
    for attempt in range(ATTEMPTS):
        size = n << (attempt % 2)
        ratio = doubling_ratio(make, work, size)
        if ratio < LINEAR:
            return
        ratios.append(f"{ratio:.2f} from {size} characters")
    pytest.fail(f"doubling ratios {', '.join(ratios)}: not linear (limit {LINEAR})")


@pytest.mark.parametrize("variants", RENDERINGS.values(), ids=RENDERINGS.keys())
@pytest.mark.parametrize("unit", [c[1] for c in CLASSES], ids=[c[0] for c in CLASSES])
def test_linear_in_character_class(unit: str, variants: list[Variant]) -> None:
    assert_linear(lambda n: _article_fields(_fill(unit, n)), _renderer(variants))


@pytest.mark.parametrize("variants", RENDERINGS.values(), ids=RENDERINGS.keys())
def test_linear_in_backtick_runs_of_growing_length(variants: list[Variant]) -> None:
    assert_linear(lambda n: _article_fields(_backtick_runs(n)), _renderer(variants))
