"""Telling German from English (and saying when it cannot) by function words.

The method: lower-case a sample of the text (the headline and the first
paragraphs, up to 400 characters, about 55 words), split it on whitespace and
count how many of each language's 18 most frequent function words occur in it
(each word once, so one repeated word does not decide). The language with the
higher count wins when it has at least 3 and at least twice the other's count,
or at least 2 while the other has none;
otherwise the result is a guess, reported as ``language-guess``. A split and two
set intersections cost a few microseconds per article and need no model.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsarticle._models import Article, Section

__all__ = ["FALLBACK_LANGUAGE", "detect_language", "section_texts", "stated_language_needed"]

FALLBACK_LANGUAGE = "de"
SAMPLE_CHARS = 400

# No word in both lists: German "in" and "an" are left out of the English one.
_FUNCTION_WORDS = {
    "de": frozenset(("der", "die", "und", "das", "nicht", "mit", "ist", "den", "von", "für", "auf",
                     "ein", "eine", "sich", "auch", "dem", "zu", "im")),
    "en": frozenset(("the", "and", "of", "to", "is", "that", "for", "with", "was", "on", "are",
                     "it", "by", "from", "has", "be", "at", "a")),
}  # fmt: skip


def detect_language(texts: Iterable[str]) -> tuple[str, bool, dict[str, int]]:
    """Return ``(tag, confident, scores)`` for the text pieces, read in order."""
    parts: list[str] = []
    size = 0
    for text in texts:
        parts.append(text[: SAMPLE_CHARS - size])  # a long paragraph is not copied whole
        size += len(text) + 1
        if size >= SAMPLE_CHARS:
            break
    words = " ".join(parts).lower().split()
    scores = {lang: len(function_words.intersection(words)) for lang, function_words in _FUNCTION_WORDS.items()}
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)
    best, runner_up = ranked[0], ranked[1]
    if scores[best] == 0:
        return FALLBACK_LANGUAGE, False, scores
    confident = (scores[best] >= 3 and scores[best] >= 2 * scores[runner_up]) or (
        scores[best] >= 2 and scores[runner_up] == 0
    )
    return best, confident, scores


def section_texts(headline: str, sections: Iterable[Section]) -> Iterator[str]:
    """The pieces detection reads: the headline, then headings and paragraphs in order."""
    yield headline
    for section in sections:
        if section.heading is not None:
            yield section.heading
        yield from section.paragraphs


def stated_language_needed(article: Article) -> bool:
    """Whether the text format must state ``article.language`` because detection would not find it."""
    language, confident, _ = detect_language(section_texts(article.headline, article.sections))
    return not confident or language != article.language
