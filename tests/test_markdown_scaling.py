"""The markdown renderer takes time linear in its input in both modes, plain CommonMark and static-site.

``tests/test_render_scaling.py`` times every renderer with one set of options;
the markdown renderer has two escaping paths (the static-site one adds the
Liquid, shortcode and kramdown escapes) and, with front matter, a headline that
goes to YAML instead of a heading, so each path is timed here on every ASCII
punctuation character and on the units the static-site escapes look for.
"""

from __future__ import annotations

import string
from typing import Any

import pytest

import newsarticle
from newsarticle import Article, Section
from scaling import LINEAR, doubling_ratio

pytestmark = pytest.mark.slow

SIZE = 1 << 16
ATTEMPTS = 3
UNITS = [*string.punctuation, "{{", "{%", "{{<", "$$", "a_b ", "a___b", "*a_b", "~~a ", "x |", ": a", "&amp;"]
MODES: dict[str, dict[str, Any]] = {
    "commonmark": {},
    "static-site": {"front_matter": True, "heading": True},
    "static-site-body": {"front_matter": True},
}


def _article(unit: str, n: int) -> Article:
    text = (unit * (n // len(unit) + 1))[:n].replace("  ", " ").strip(" ")
    return Article(
        headline=text,
        language="de",
        category=text,
        description=text,
        sections=[Section(paragraphs=["Lead.", text]), Section(heading=text, paragraphs=["Ende."])],
    )


@pytest.mark.parametrize("options", MODES.values(), ids=MODES.keys())
@pytest.mark.parametrize("unit", UNITS)
def test_linear_in_every_mode(unit: str, options: dict[str, Any]) -> None:
    def render(article: Article) -> object:
        return newsarticle.render(article, "markdown", locale="de", **options)

    # A busy machine can spoil one ratio; a quadratic term spoils every one, and more at each larger size.
    ratios = []
    for attempt in range(ATTEMPTS):
        ratios.append(doubling_ratio(lambda n: _article(unit, n), render, SIZE << attempt))
        if ratios[-1] < LINEAR:
            return
    pytest.fail(f"doubling ratios {', '.join(f'{r:.2f}' for r in ratios)} from {SIZE} characters: not linear")
