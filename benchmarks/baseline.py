"""The minimal hand-written baseline: article bytes to an HTML fragment, the least code that does the job.

Split off the three header lines, split the rest on blank lines, drop the known
trailer lines at the end, escape each piece and join into HTML. No model, no
validation, no subheadings, no dates, no diagnostics: the floor that
``newsarticle.parse`` (and ``parse`` + ``render``) are measured against.
"""

from __future__ import annotations

from html import escape

TRAILER = frozenset({"", "more stories", "See more", "Read more", "Mehr zum Thema", "Weitere Artikel", "Advertisement",
                     "Anzeige", "Related stories"})  # fmt: skip


def to_html(data: bytes) -> str:
    category, headline, date, body = data.decode("utf-8").split("\n", 3)
    lines = body.strip().split("\n")
    while lines and lines[-1] in TRAILER:
        lines.pop()
    paragraphs = "".join(f"<p>{escape(block)}</p>\n" for block in "\n".join(lines).split("\n\n") if block)
    return (
        f"<article>\n<p>{escape(category)}</p>\n<h1>{escape(headline)}</h1>\n<time>{escape(date)}</time>\n"
        f"{paragraphs}</article>\n"
    )
