"""The installed plugin: found through its entry point, and its lines fit and are localized.

Run after ``pip install -e .``: ``python -m pytest`` in examples/plugin-package/.
"""

from __future__ import annotations

import pytest

import newsarticle

ARTICLE = newsarticle.parse(
    "Sport\nHandball: Kesselbacher Frauen ziehen ins Finale des Wennetal-Cups ein\n2025-01-26\n\n"
    "Die Handballerinnen der HSG Kesselbach stehen im Finale.\n"
)


def test_the_entry_point_brings_the_format() -> None:
    [info] = [info for info in newsarticle.formats() if info.name == "brief"]
    assert (info.distribution, info.suffix, info.kind) == ("newsarticle-brief", ".brief.txt", "article")


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("de", "Sport · 26. Januar 2025 · Handball: Kesselbacher Frauen ziehen ins Finale des Wennetal-Cups ein"
               " · 8 Wörter, 1 Minute Lesezeit\n"),
        ("de_AT", "Sport · 26. Jänner 2025 · Handball: Kesselbacher Frauen ziehen ins Finale des Wennetal-Cups ein"
                  " · 8 Wörter, 1 Minute Lesezeit\n"),
        ("en", "Sport · January 26, 2025 · Handball: Kesselbacher Frauen ziehen ins Finale des Wennetal-Cups ein"
               " · 8 words, 1 min read\n"),
    ],
)  # fmt: skip
def test_one_localized_line(locale: str, expected: str) -> None:
    assert newsarticle.render(ARTICLE, "brief", locale=locale) == expected


@pytest.mark.parametrize("max_length", [80, 100, 120])
def test_a_long_headline_is_shortened_at_a_word(max_length: int) -> None:
    line = newsarticle.render(ARTICLE, "brief", max_length=max_length).rstrip("\n")
    assert len(line) <= max_length
    headline = line.split(" · ")[2]
    assert headline.endswith("…")
    assert ARTICLE.headline.startswith(headline.removesuffix("…"))
    assert ARTICLE.headline[len(headline) - 1] == " "  # cut between words


def test_a_line_shorter_than_60_is_refused() -> None:
    with pytest.raises(newsarticle.OptionError, match="max_length"):
        newsarticle.render(ARTICLE, "brief", max_length=59)
