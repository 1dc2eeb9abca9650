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

#: Characters per field: large enough that a quadratic search ahead in C (``str.find``) outweighs the
#: linear work, small enough that the inputs of fast renderers do not measure the memory bus.
SIZE = 1 << 18
#: Quick work is timed as the best of more runs: a busy machine disturbs it most, and repeating it is cheap.
QUICK = 0.05  # seconds
#: A ratio well under the limit settles a test at once; any other is measured again at twice the size,
#: and if the two disagree, at four times, and the majority decides. Another process can spoil one
#: ratio, and so can a size at which the input just outgrows a cache (a larger size is past it), but a
#: quadratic term, even one as cheap as a search in C, only grows with the size.
CLEARLY_LINEAR = 2.5
ATTEMPTS = 3

Variant = tuple[str, Mapping[str, Any], tuple[str, ...]]

#: Every renderer, and the typography transform, with the options that change its code path:
#: (format, options, transforms), all rendered by one test. A standalone HTML document holds the
#: fragment, and Markdown with front matter the plain Markdown, so those options cover both paths.
RENDERINGS: dict[str, list[Variant]] = {
    "html": [("html", {"standalone": True, "reading_time": True}, ())],
    # With front matter the headline goes to YAML and the body is escaped for static sites; with
    # heading=True both the YAML and the Markdown heading are timed.
    "markdown": [("markdown", {}, ()), ("markdown", {"front_matter": True, "heading": True}, ())],
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
    # glibc hands large blocks back to the system when they are freed, so each rendering of a large
    # input page-faults its memory in again, on some sizes and not others: ratios of 5 for linear
    # work. Freeing one block this large raises its threshold for doing so above every size here.
    block = bytearray(30 << 20)
    del block
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


def _repeat(make: Callable[[int], dict[str, Any]], work: Callable[[dict[str, Any]], object]) -> int:
    data = make(SIZE)
    work(data)  # the first run also pays for fresh memory
    start = time.perf_counter()
    work(data)
    return 9 if time.perf_counter() - start < QUICK else 3


def assert_linear(make: Callable[[int], dict[str, Any]], work: Callable[[dict[str, Any]], object]) -> None:
    n, repeat = SIZE, _repeat(make, work)
    ratios = [doubling_ratio(make, work, n, repeat=repeat)]
    if ratios[0] < CLEARLY_LINEAR:
        return
    over = int(ratios[0] >= LINEAR)
    while len(ratios) < ATTEMPTS and max(over, len(ratios) - over) * 2 < ATTEMPTS:
        ratios.append(doubling_ratio(make, work, n << len(ratios), repeat=repeat))
        over += ratios[-1] >= LINEAR
    shown = ", ".join(f"{ratio:.2f}" for ratio in ratios)
    assert over * 2 < ATTEMPTS, f"doubling ratios {shown} from {n} characters, doubled each time: not linear"


@pytest.mark.parametrize("variants", RENDERINGS.values(), ids=RENDERINGS.keys())
@pytest.mark.parametrize("unit", [c[1] for c in CLASSES], ids=[c[0] for c in CLASSES])
def test_linear_in_character_class(unit: str, variants: list[Variant]) -> None:
    assert_linear(lambda n: _article_fields(_fill(unit, n)), _renderer(variants))


@pytest.mark.parametrize("variants", RENDERINGS.values(), ids=RENDERINGS.keys())
def test_linear_in_backtick_runs_of_growing_length(variants: list[Variant]) -> None:
    assert_linear(lambda n: _article_fields(_backtick_runs(n)), _renderer(variants))
