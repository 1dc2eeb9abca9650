"""Parse every article in examples/articles/ and print what newsarticle found.

Run it from anywhere: ``python examples/parse_articles.py``. Diagnostics (such as
the Windows-1252 fallback of edge_cp1252.txt) are collected and printed rather
than raised: the default lenient parse recovers and says what it did.
"""

from __future__ import annotations

from pathlib import Path

import newsarticle

ARTICLES = Path(__file__).resolve().parent / "articles"


def describe(path: Path) -> str:
    diagnostics: list[newsarticle.Diagnostic] = []
    article = newsarticle.parse_file(path, source=path.name, on_diagnostic=diagnostics.append)
    published = article.published.isoformat() if article.published is not None else "(no date)"
    lines = [
        f"source:       {article.source}",
        f"language:     {article.language}",
        f"category:     {article.category or '(none)'}",
        f"headline:     {article.headline}",
        f"published:    {published}",
        f"sections:     {len(article.sections)} ({len(article.headings)} with a subheading)",
        f"paragraphs:   {len(article.paragraphs)}",
        f"words:        {article.word_count}",
        f"reading time: {article.reading_time} min",
        f"trailer:      {' | '.join(article.trailer) or '(none)'}",
    ]
    lines.extend(f"diagnostic:   {diagnostic}" for diagnostic in diagnostics)
    if not diagnostics:
        lines.append("diagnostics:  (none)")
    return "\n".join(lines)


def main() -> None:
    print("\n\n".join(describe(path) for path in sorted(ARTICLES.glob("*.txt"))))


if __name__ == "__main__":
    main()
