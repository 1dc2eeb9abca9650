"""Article bytes to every format: newsarticle against the naive peers, Markdown libraries and the baseline.

One run on the same generated corpus (benchmarks/corpus.py; by default 2,000
articles of about 6 KB each), µs per article and each as a multiple of the
baseline, all cases taking turns so that load from elsewhere hits them alike:

* the baseline (benchmarks/baseline.py: split, escape, join into HTML) and the
  naive peers of the other formats: ``split + json.dumps``, split joined as
  Markdown, split joined as plain text (no escaping, no wrapping, no count);
* ``newsarticle.parse`` alone;
* ``parse`` + ``newsarticle.render(article, format)`` for html, markdown, json
  and text, bytes in, text out; the targets: html at most 2.5x the baseline,
  the others at most 3x; the render part is that row minus ``parse``;
* mistune and markdown-it-py rendering the equivalent Markdown (built once,
  outside the timing) to HTML.

A row whose library is missing prints a note instead of a figure.

    python benchmarks/bench_render.py                 # about a minute
    python benchmarks/bench_render.py --size 0        # the mixed-size corpus (mean 3.6 KB)
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable
from typing import Any

import newsarticle
from _harness import best_of_each, command_line, describe_machine, write_results
from baseline import to_html, to_json, to_markdown, to_text
from corpus import DEFAULT_SEED, generate_article, generate_corpus

#: Largest multiple of the baseline for parse + render, per format.
TARGETS = {"html": 2.5, "markdown": 3.0, "json": 3.0, "text": 3.0}
FORMATS = tuple(TARGETS)


def corpus(count: int, size: int, seed: int) -> list[bytes]:
    """``count`` generated articles of about ``size`` bytes each; 0 draws sizes as real articles vary."""
    if not size:
        return generate_corpus(count, seed=seed)
    rng = random.Random(seed)
    return [generate_article(rng, size=size).encode() for _ in range(count)]


def markdown_of(article: newsarticle.Article) -> str:
    """The straightforward Markdown of an article, for the Markdown libraries; the corpus needs no escaping."""
    blocks = [f"# {article.headline}"]
    meta = " · ".join(str(value) for value in (article.category, article.published) if value is not None)
    if meta:
        blocks.append(meta)
    for section in article.sections:
        if section.heading is not None:
            blocks.append(f"## {section.heading}")
        blocks.extend(section.paragraphs)
    return "\n\n".join(blocks) + "\n"


def parse_render(format: str) -> Callable[[bytes], object]:
    render, parse = newsarticle.render, newsarticle.parse

    def work(data: bytes) -> object:
        # A new Article each time: word_count is cached on the instance and is part of the work.
        return render(parse(data), format)

    return work


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
    parser.add_argument(
        "--size", type=int, default=6_000, help="bytes per article (default 6000); 0 for the mixed sizes of corpus.py"
    )
    parser.add_argument("--repeat", type=int, default=7, help="best of this many runs (default 7)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)

    data = corpus(args.articles, args.size, args.seed)
    corpus_bytes = sum(map(len, data))
    found: list[newsarticle.Diagnostic] = []
    articles = [newsarticle.parse(item, on_diagnostic=found.append) for item in data]
    if found:
        parser.exit(1, f"the generated corpus gives {len(found)} diagnostics, first: {found[0]}\n")
    markdown = [markdown_of(article) for article in articles]
    print(describe_machine())
    print(
        f"corpus: {len(data):,} generated articles, {corpus_bytes / 1e6:.2f} MB "
        f"(mean {corpus_bytes / len(data) / 1e3:.1f} KB), seed {args.seed}; best of {args.repeat} runs"
    )

    mistune_render, mistune_note = _mistune()
    markdown_it_render, markdown_it_note = _markdown_it()
    # (label, format it produces, function, inputs, note when it cannot run)
    cases: list[tuple[str, str, Callable[[Any], object] | None, list[Any], str]] = [
        ("baseline (split + escape)", "html", to_html, data, ""),
        ("split + json.dumps", "json", to_json, data, ""),
        ("split, joined as Markdown", "markdown", to_markdown, data, ""),
        ("split, joined as text", "text", to_text, data, ""),
        ("newsarticle.parse", "", newsarticle.parse, data, ""),
        *((f'parse + render(a, "{name}")', name, parse_render(name), data, "") for name in FORMATS),
        ("mistune (Markdown to HTML)", "html", mistune_render, markdown, mistune_note),
        ("markdown-it-py (Markdown to HTML)", "html", markdown_it_render, markdown, markdown_it_note),
    ]

    runnable = {label: (func, inputs) for label, _, func, inputs, _ in cases if func is not None}
    for func, inputs in runnable.values():
        func(inputs[0])  # outside the clock: the plugins, Babel and the locale load on first use
    timed = best_of_each(runnable, args.repeat)
    base = timed[cases[0][0]]
    parse_seconds = timed["newsarticle.parse"]
    rows: list[dict[str, Any]] = []
    print(f"\n  {'':34} {'format':>8} {'µs/article':>11} {'x baseline':>11} {'render µs':>10}")
    for label, format, func, inputs, note in cases:
        if func is None:
            rows.append({"label": label, "format": format, "note": note})
            print(f"  {label:34} {format:>8} {note}")
            continue
        seconds = timed[label]
        row: dict[str, Any] = {
            "label": label,
            "format": format,
            "seconds": seconds,
            "us_per_article": seconds / len(inputs) * 1e6,
            "x_baseline": seconds / base,
        }
        render_part = ""
        if label.startswith("parse + render"):
            row["render_us_per_article"] = (seconds - parse_seconds) / len(inputs) * 1e6
            render_part = f"{row['render_us_per_article']:10.1f}"
        if note:
            row["version"] = note
        rows.append(row)
        print(f"  {label:34} {format:>8} {row['us_per_article']:11.1f} {row['x_baseline']:11.2f} {render_part}")

    versions = [note for _, _, func, _, note in cases if func is not None and note]
    if versions:
        print(f"\n  ({', '.join(versions)}; Markdown built outside the timing)")
    verdicts = {}
    print()
    for name, target in TARGETS.items():
        ratio = timed[f'parse + render(a, "{name}")'] / base
        verdicts[name] = {"x_baseline": ratio, "target": target, "met": ratio <= target}
        print(f"  parse + {name:8} {ratio:5.2f}x the baseline (target at most {target:g}x: "
              f"{'met' if ratio <= target else 'missed'})")  # fmt: skip

    path = write_results(
        "render",
        {
            "command": command_line(),
            "seed": args.seed,
            "repeat": args.repeat,
            "corpus": {"articles": len(data), "bytes": corpus_bytes, "size": args.size},
            "rows": rows,
            "targets": verdicts,
        },
    )
    print(f"results: {path}")


if __name__ == "__main__":
    main()
