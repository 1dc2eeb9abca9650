"""newsarticle-brief: a ``brief`` format, each article as one line for a news ticker or a post.

The line is ``Category · date · headline · words, reading time``, with the date,
the numbers and the labels in the render's locale, and the headline shortened
with an ellipsis so that the line holds at most ``max_length`` characters.
"""

from __future__ import annotations

from newsarticle import Article, Option, RegisterRenderer, RenderContext, hookimpl

__all__ = ["Brief", "register_renderers"]

SEPARATOR = " · "


class Brief:
    """The renderer: one line per article, shortened to ``max_length`` characters."""

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
    # Cut at a space when there is one, so that no word is left half.
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:-") + "…"


@hookimpl
def register_renderers(register: RegisterRenderer) -> None:
    register(Brief())
