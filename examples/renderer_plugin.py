"""A renderer plugin defined in this script and registered at run time, without any packaging.

Run it from anywhere: ``python examples/renderer_plugin.py``. It registers a
``brief`` format with ``newsarticle.register_plugin`` and prints every sample
article as one line, in German and in English, with ``max_length`` at its
default (280) and at 100. The same plugin as an installable package, found
through its entry point by ``newsarticle convert -t brief``, is in
examples/plugin-package/.
"""

from __future__ import annotations

from pathlib import Path

import newsarticle
from newsarticle import Article, Option, RegisterRenderer, RenderContext

ARTICLES = Path(__file__).resolve().parent / "articles"
SEPARATOR = " · "


class Brief:
    """One line per article: ``Category · date · headline · words, reading time``, in the render's locale."""

    name = "brief"
    media_type = "text/plain"
    suffix = ".brief.txt"
    description = "One line per article: category, date, headline, words and reading time, for a ticker."
    options = (Option(name="max_length", type=int, default=280, min=60, help="the longest line, in characters"),)

    def render(self, article: Article, context: RenderContext) -> str:
        formatter = context.formatter
        date = context.date(article)
        before = [part for part in (article.category, date) if part]
        after = f"{formatter.words(article.word_count)}, {formatter.reading_time(article.reading_time)}"
        room = context.options["max_length"] - len(SEPARATOR.join([*before, "", after]))
        return SEPARATOR.join([*before, shorten(article.headline, room), after]) + "\n"


def shorten(text: str, room: int) -> str:
    """``text`` if it fits in ``room`` characters, else its words that fit followed by an ellipsis."""
    if len(text) <= room:
        return text
    cut = text[: max(room - 1, 0)]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:-") + "…"


class BriefPlugin:
    """The plugin: an object whose methods are hook implementations."""

    @newsarticle.hookimpl
    def register_renderers(self, register: RegisterRenderer) -> None:
        register(Brief())


def main() -> None:
    newsarticle.register_plugin(BriefPlugin())
    [brief] = [info for info in newsarticle.formats() if info.name == "brief"]
    print(f"registered: {brief.name} ({brief.suffix}, {brief.media_type}) from plugin {brief.plugin}")
    articles = [
        newsarticle.parse_file(path, source=path.name, on_diagnostic=lambda _: None)
        for path in sorted(ARTICLES.glob("*.txt"))
    ]
    for locale in ("de", "en"):
        print(f"\nlocale {locale}:")
        for article in articles:
            print(newsarticle.render(article, "brief", locale=locale), end="")
    print("\nmax_length=100:")
    for article in articles:
        print(newsarticle.render(article, "brief", max_length=100), end="")


if __name__ == "__main__":
    main()
