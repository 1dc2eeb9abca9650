"""Article text to HTML: newsarticle against Markdown libraries and the minimal baseline.

One run on the same generated corpus (benchmarks/corpus.py), µs per article and
each as a multiple of the baseline:

* the baseline (benchmarks/baseline.py), bytes to an HTML fragment;
* ``newsarticle.parse`` alone, and ``parse`` + ``newsarticle.render(article, "html")``,
  bytes to HTML (target: at most 3x the baseline);
* ``render(article, "html")`` alone, on articles parsed beforehand;
* mistune and markdown-it-py rendering the equivalent Markdown (built once,
  outside the timing: ``# headline``, a category and date line, paragraphs,
  ``## subheadings``) to HTML.

A row whose library is missing, or whose renderer is not written yet, prints a
note instead of a figure.

    python benchmarks/bench_render.py
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

import newsarticle
from _harness import best_of_each, command_line, describe_machine, write_results
from baseline import to_html
from corpus import DEFAULT_SEED, generate_corpus

TARGET = 3.0


def to_markdown(article: newsarticle.Article) -> str:
    """The straightforward Markdown of an article; the corpus needs no escaping."""
    blocks = [f"# {article.headline}"]
    meta = " · ".join(str(value) for value in (article.category, article.published) if value is not None)
    if meta:
        blocks.append(meta)
    for section in article.sections:
        if section.heading is not None:
            blocks.append(f"## {section.heading}")
        blocks.extend(section.paragraphs)
    return "\n\n".join(blocks) + "\n"


def _newsarticle_html() -> tuple[Callable[[bytes], object] | None, Callable[[Any], object] | None, str]:
    """``parse`` + ``render`` and ``render`` alone, or a note saying why they cannot run yet."""
    render = getattr(newsarticle, "render", None)
    if render is None:
        return None, None, "render not available yet"
    try:
        render(newsarticle.parse("Politik\nTitel\n2025-02-27\n\nEin Absatz mit der und die.\n"), "html")
    except Exception as exc:  # a renderer being written may fail in any way; report it, time the rest
        return None, None, f"render not available yet ({type(exc).__name__}: {exc})"

    def parse_render(data: bytes) -> object:
        return render(newsarticle.parse(data), "html")

    def render_only(article: newsarticle.Article) -> object:
        return render(article, "html")

    return parse_render, render_only, ""


def _mistune() -> tuple[Callable[[str], object] | None, str]:
    try:
        import mistune
    except ImportError:
        return None, "mistune not installed (pip install mistune)"
    return mistune.create_markdown(), f"mistune {mistune.__version__}"


def _markdown_it() -> tuple[Callable[[str], object] | None, str]:
    try:
        import markdown_it
    except ImportError:
        return None, "markdown-it-py not installed (pip install markdown-it-py)"
    return markdown_it.MarkdownIt("commonmark").render, f"markdown-it-py {markdown_it.__version__}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2_000, help="size of the generated corpus (default 2000)")
    parser.add_argument("--repeat", type=int, default=7, help="best of this many runs (default 7)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)

    corpus = generate_corpus(args.articles, seed=args.seed)
    corpus_bytes = sum(map(len, corpus))
    articles = [newsarticle.parse(data) for data in corpus]
    markdown = [to_markdown(article) for article in articles]
    print(describe_machine())
    print(
        f"corpus: {len(corpus):,} generated articles, {corpus_bytes / 1e6:.2f} MB "
        f"(mean {corpus_bytes / len(corpus) / 1e3:.1f} KB), seed {args.seed}; best of {args.repeat} runs"
    )

    parse_render, render_only, render_note = _newsarticle_html()
    mistune_render, mistune_note = _mistune()
    markdown_it_render, markdown_it_note = _markdown_it()
    # (label, function, inputs, note when it cannot run)
    cases: list[tuple[str, Callable[[Any], object] | None, list[Any], str]] = [
        ("baseline (split + escape)", to_html, corpus, ""),
        ("newsarticle.parse", newsarticle.parse, corpus, ""),
        ('parse + render(a, "html")', parse_render, corpus, render_note),
        ('render(a, "html") alone', render_only, articles, render_note),
        ("mistune (Markdown)", mistune_render, markdown, mistune_note),
        ("markdown-it-py (Markdown)", markdown_it_render, markdown, markdown_it_note),
    ]

    timed = best_of_each({label: (func, inputs) for label, func, inputs, _ in cases if func is not None}, args.repeat)
    base = timed[cases[0][0]]
    rows: list[dict[str, Any]] = []
    print(f"\n  {'':28} {'µs/article':>11} {'x baseline':>11}")
    for label, func, inputs, note in cases:
        if func is None:
            rows.append({"label": label, "note": note})
            print(f"  {label:28} {note}")
            continue
        seconds = timed[label]
        row = {
            "label": label,
            "seconds": seconds,
            "us_per_article": seconds / len(inputs) * 1e6,
            "x_baseline": seconds / base,
        }
        if note:
            row["version"] = note
        rows.append(row)
        print(f"  {label:28} {row['us_per_article']:11.1f} {row['x_baseline']:11.2f}")

    versions = [note for _, func, _, note in cases if func is not None and note]
    if versions:
        print(f"\n  ({', '.join(versions)}; Markdown built outside the timing)")
    html_row = rows[2]
    if "x_baseline" in html_row:
        verdict = "met" if html_row["x_baseline"] <= TARGET else "missed"
        print(f'parse + render(a, "html") / baseline: {html_row["x_baseline"]:.2f}x '
              f"(target at most {TARGET:.0f}x: {verdict})")  # fmt: skip

    path = write_results(
        "render",
        {
            "command": command_line(),
            "seed": args.seed,
            "repeat": args.repeat,
            "corpus": {"articles": len(corpus), "bytes": corpus_bytes},
            "rows": rows,
            "target": TARGET,
        },
    )
    print(f"results: {path}")


if __name__ == "__main__":
    main()
