"""Parse every article in examples/articles/, say what newsarticle found, and render it in every format.

Run it from anywhere: ``python examples/parse_articles.py`` prints what the parser
found in each article; ``python examples/parse_articles.py --out rendered`` also
writes every article in every format newsarticle knows (``newsarticle.formats()``,
plugins included) into ``rendered/<format>/``, one file per article for a
renderer (``kind == "article"``) and one file for the whole sample for a
collection format (``kind == "collection"``, through ``write_collection``; those
that link to every article, ``needs_url``, get ``base_url``).

Diagnostics (such as the Windows-1252 fallback of edge_cp1252.txt) are collected
and printed rather than raised: the default lenient parse recovers and says what
it did.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import newsarticle

ARTICLES = Path(__file__).resolve().parent / "articles"
#: Where the collection formats that link to every article put it: base_url plus the file's name, as .html.
BASE_URL = "https://example.org/news/"
#: Options that make a renderer's file complete on its own: a whole HTML page, Markdown with front matter.
OPTIONS: dict[str, dict[str, Any]] = {"html": {"standalone": True}, "markdown": {"front_matter": True}}


def parse(path: Path) -> tuple[newsarticle.Article, list[newsarticle.Diagnostic]]:
    diagnostics: list[newsarticle.Diagnostic] = []
    article = newsarticle.parse_file(path, source=path.name, on_diagnostic=diagnostics.append)
    return article, diagnostics


def describe(article: newsarticle.Article, diagnostics: list[newsarticle.Diagnostic]) -> str:
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


def render_everything(articles: list[newsarticle.Article], out: Path) -> list[str]:
    """Write ``articles`` in every format into ``out/<format>/``; one line per format saying what was written."""
    report = []
    for info in newsarticle.formats():
        folder = out / info.name
        folder.mkdir(parents=True, exist_ok=True)
        if info.kind == "collection":
            options = {"base_url": BASE_URL} if info.needs_url else OPTIONS.get(info.name, {})
            target = folder / f"articles{info.suffix}"
            count = newsarticle.write_collection(articles, info.name, target, **options)
            report.append(f"{info.name:<10} {info.kind:<10} {count} articles -> {target.relative_to(out)}")
            continue
        for article in articles:
            rendered = newsarticle.render(article, info.name, **OPTIONS.get(info.name, {}))
            target = folder / Path(article.source or "article").with_suffix(info.suffix).name
            if isinstance(rendered, bytes):
                target.write_bytes(rendered)
            else:
                target.write_text(rendered, encoding="utf-8")
        report.append(f"{info.name:<10} {info.kind:<10} {len(articles)} files    -> {info.name}/*{info.suffix}")
    return report


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--out", type=Path, help="also render every article in every format into this folder")
    options = arguments.parse_args()
    parsed = [parse(path) for path in sorted(ARTICLES.glob("*.txt"))]
    print("\n\n".join(describe(article, diagnostics) for article, diagnostics in parsed))
    if options.out is not None:
        print(f"\n\nEvery format, in {options.out}:")
        print("\n".join(render_everything([article for article, _ in parsed], options.out)))


if __name__ == "__main__":
    main()
