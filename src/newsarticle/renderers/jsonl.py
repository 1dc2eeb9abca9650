"""The ``jsonl`` collection format: JSON Lines, one article per line, in input order.

Each line is exactly what the ``json`` format writes with ``indent=0`` (the
same keys, order and schema), so ``from_json`` reads every line back. Shards
written separately and concatenated are the same file.
"""

from __future__ import annotations

from newsarticle import Article, Option, RegisterCollection, RenderContext, hookimpl
from newsarticle._plugin_api import Sink
from newsarticle.renderers.json import _document

__all__ = ["JsonLinesFormat", "JsonLinesWriter", "register_collections"]

# Characters that str.splitlines() and some JSON Lines readers take for line ends; JSON allows
# them raw inside strings, and the json format keeps them so.
_LINE_BREAKS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})
_LINE_BREAK_CHARACTERS = ("\u2028", "\u2029", "\x85")


def json_line(article: Article, *, include_source: bool = True) -> str:
    """One line: the ``json`` format's compact output, with Unicode's other line breaks escaped."""
    line = _document(article, article.source if include_source else None, 0, "\n")
    if not line.isascii() and any(character in line for character in _LINE_BREAK_CHARACTERS):
        line = line.translate(_LINE_BREAKS)
    return line


class JsonLinesWriter:
    """Writes each article as it is added: memory stays flat however many there are."""

    def __init__(self, sink: Sink, include_source: bool) -> None:
        self._sink = sink
        self._include_source = include_source

    def add(self, article: Article) -> None:
        self._sink.write(json_line(article, include_source=self._include_source).encode("utf-8"))

    def close(self) -> None:
        """JSON Lines has no footer."""


class JsonLinesFormat:
    name = "jsonl"
    media_type = "application/jsonl"
    suffix = ".jsonl"
    description = "JSON Lines: every article in one file, one line each (the json format's compact output)."
    options = (
        Option(
            name="include_source",
            type=bool,
            default=True,
            help="write where each article was read from (a file name); false writes null, to keep paths private",
        ),
    )

    def open(self, sink: Sink, context: RenderContext) -> JsonLinesWriter:
        return JsonLinesWriter(sink, context.options.get("include_source", True))


@hookimpl
def register_collections(register: RegisterCollection) -> None:
    register(JsonLinesFormat())
