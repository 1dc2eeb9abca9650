"""A transform, registered at run time and applied by name: ``render(..., transforms=["teaser"])``.

Run it from anywhere: ``python examples/teaser_transform.py``. The ``teaser``
transform keeps an article's headline, date and category and cuts its body to
the whole sentences of its first paragraph that fit in 40 words, so that any
renderer (plain text and HTML here) shows a teaser instead of the whole
article; the word count and reading time follow. Transforms run only when a
caller names them, in the order named: ``["teaser", "typography"]`` also gives
the text the locale's quotation marks. On the command line, once the plugin is
installed: ``newsarticle convert articles/ -t html --transform teaser``.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs

import newsarticle
from newsarticle import Article, RegisterTransform, RenderContext, Section

ARTICLES = Path(__file__).resolve().parent / "articles"
TEASER_WORDS = 40
#: The end of a sentence: ., ! or ? (and a closing quotation mark), then a space.
SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"“”»«']))\s+")


def first_sentences(paragraph: str, words: int) -> str:
    """The whole sentences at the start of ``paragraph`` that fit in ``words`` words (at least the first)."""
    kept: list[str] = []
    for sentence in SENTENCE_END.split(paragraph):
        if kept and len(" ".join([*kept, sentence]).split()) > words:
            break
        kept.append(sentence)
    return " ".join(kept)


class Teaser:
    name = "teaser"
    description = f"Cut the body to the sentences of its first paragraph that fit in {TEASER_WORDS} words."

    def apply(self, article: Article, context: RenderContext) -> Article:
        paragraphs = article.paragraphs
        if not paragraphs:
            return article
        teaser = first_sentences(paragraphs[0], TEASER_WORDS)
        return attrs.evolve(article, sections=(Section(paragraphs=(teaser,)),), trailer=())


class TeaserPlugin:
    @newsarticle.hookimpl
    def register_transforms(self, register: RegisterTransform) -> None:
        register(Teaser())


def main() -> None:
    newsarticle.register_plugin(TeaserPlugin())
    print("transforms:", ", ".join(info.name for info in newsarticle.available_transforms()))
    for path in sorted(ARTICLES.glob("*.txt")):
        article = newsarticle.parse_file(path, source=path.name, on_diagnostic=lambda _: None)
        print(f"\n=== {path.name}: {article.word_count} words in full")
        print(newsarticle.render(article, "text", transforms=["teaser", "typography"]), end="")
        print("--- as HTML:")
        print(newsarticle.render(article, "html", transforms=["teaser"]), end="")


if __name__ == "__main__":
    main()
