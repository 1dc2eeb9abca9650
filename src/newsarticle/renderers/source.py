"""The ``source`` format: the canonical article text, so converting to it normalizes a file."""

from __future__ import annotations

from newsarticle import Article, RegisterRenderer, RenderContext, hookimpl, unparse


class SourceRenderer:
    name = "source"
    media_type = "text/plain"
    suffix = ".txt"
    description = "The canonical newsarticle text format (parse reads it back to the same Article)."
    options = ()

    def render(self, article: Article, context: RenderContext) -> str:
        return unparse(article)


@hookimpl
def register_renderers(register: RegisterRenderer) -> None:
    register(SourceRenderer())
