"""The minimal hand-written baseline, and the naive peers of each format: the least code that does the job.

``to_html`` is the baseline every figure is a multiple of: split off the three
header lines, split the rest on blank lines, drop the known trailer lines at
the end, escape each piece and join into HTML. No model, no validation, no
subheadings, no dates, no diagnostics: the floor that ``newsarticle.parse``
(and ``parse`` + ``render``) are measured against.

The peers do the same split and then what a script would do for the other
formats: ``json.dumps`` of a dict with its defaults (``to_json``), the pieces joined as Markdown
(``to_markdown``) or as plain text without wrapping (``to_text``). They are not
competitors either: no escaping for Markdown, no wrapping, no word count.
"""

from __future__ import annotations

import json
from html import escape

TRAILER = frozenset({"", "more stories", "See more", "Read more", "Mehr zum Thema", "Weitere Artikel", "Advertisement",
                     "Anzeige", "Related stories"})  # fmt: skip


def split(data: bytes) -> tuple[str, str, str, list[str]]:
    """Category, headline, date line and the body's blocks, the trailer dropped."""
    category, headline, date, body = data.decode("utf-8").split("\n", 3)
    lines = body.strip().split("\n")
    while lines and lines[-1] in TRAILER:
        lines.pop()
    return category, headline, date, [block for block in "\n".join(lines).split("\n\n") if block]


def to_html(data: bytes) -> str:
    # split() written out, as it always was: the baseline's cost must not move.
    category, headline, date, body = data.decode("utf-8").split("\n", 3)
    lines = body.strip().split("\n")
    while lines and lines[-1] in TRAILER:
        lines.pop()
    paragraphs = "".join(f"<p>{escape(block)}</p>\n" for block in "\n".join(lines).split("\n\n") if block)
    return (
        f"<article>\n<p>{escape(category)}</p>\n<h1>{escape(headline)}</h1>\n<time>{escape(date)}</time>\n"
        f"{paragraphs}</article>\n"
    )


def to_json(data: bytes) -> str:
    category, headline, date, blocks = split(data)
    document = {"category": category, "headline": headline, "published": date, "paragraphs": blocks}
    return json.dumps(document) + "\n"


def to_markdown(data: bytes) -> str:
    category, headline, date, blocks = split(data)
    return "\n\n".join([f"# {headline}", f"{category} · {date}", *blocks]) + "\n"


def to_text(data: bytes) -> str:
    category, headline, date, blocks = split(data)
    return "\n\n".join([category, f"{headline}\n{'=' * len(headline)}", date, *blocks]) + "\n"
