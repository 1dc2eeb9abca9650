"""How fast ``newsarticle.parse`` reads articles, next to the minimal hand-written baseline.

One run measures, on the same generated corpus (benchmarks/corpus.py):

* MB/s and µs per article for ``newsarticle.parse(bytes)`` and for the baseline
  (benchmarks/baseline.py: split, drop the trailer, escape, join into HTML), and
  their ratio; the target is parse at most 2x the baseline per article;
* µs per 6 KB article, for both;
* linear scaling: ``parse`` on one 5 MB and one 50 MB input (one article whose
  paragraphs repeat), seconds and MB/s for each.

    python benchmarks/bench_parse.py            # about a minute
    python benchmarks/bench_parse.py --quick    # fewer repeats, no 50 MB input
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from typing import Any

import newsarticle
from _harness import best_of, best_of_each, command_line, describe_machine, write_results
from baseline import to_html
from corpus import DEFAULT_SEED, generate_article, generate_corpus, long_input

TARGET = 2.0


def _check_clean(articles: list[bytes]) -> None:
    """The corpus must parse without diagnostics: warnings would be timed too."""
    found: list[newsarticle.Diagnostic] = []
    for data in articles:
        newsarticle.parse(data, on_diagnostic=found.append)
    if found:
        sys.exit(f"the generated corpus gives {len(found)} diagnostics, first: {found[0]}")


def _row(label: str, seconds: float, count: int, size: int, base: float | None) -> dict[str, Any]:
    row = {
        "label": label,
        "seconds": seconds,
        "us_per_article": seconds / count * 1e6,
        "mb_per_s": size / seconds / 1e6,
    }
    if base is not None:
        row["x_baseline"] = seconds / base
    return row


def _print_rows(title: str, rows: list[dict[str, Any]]) -> None:
    print(f"\n{title}")
    print(f"  {'':28} {'µs/article':>11} {'MB/s':>8} {'x baseline':>11}")
    for row in rows:
        print(f"  {row['label']:28} {row['us_per_article']:11.1f} {row['mb_per_s']:8.1f} {row['x_baseline']:11.2f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2_000, help="size of the generated corpus (default 2000)")
    parser.add_argument("--repeat", type=int, default=7, help="best of this many runs (default 7)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--sizes", default="5,50", help="MB sizes for the scaling check (default 5,50; '' skips)")
    parser.add_argument("--quick", action="store_true", help="3 repeats, scaling check with 5 MB only")
    args = parser.parse_args(argv)
    repeat = 3 if args.quick else args.repeat
    sizes = [5] if args.quick else [int(mb) for mb in args.sizes.split(",") if mb]

    corpus = generate_corpus(args.articles, seed=args.seed)
    corpus_bytes = sum(map(len, corpus))
    _check_clean(corpus)
    print(describe_machine())
    print(
        f"corpus: {len(corpus):,} generated articles, {corpus_bytes / 1e6:.2f} MB "
        f"(mean {corpus_bytes / len(corpus) / 1e3:.1f} KB), seed {args.seed}; best of {repeat} runs"
    )

    timed = best_of_each({"baseline": (to_html, corpus), "parse": (newsarticle.parse, corpus)}, repeat)
    base, parsed = timed["baseline"], timed["parse"]
    corpus_rows = [
        _row("baseline (split + escape)", base, len(corpus), corpus_bytes, base),
        _row("newsarticle.parse(bytes)", parsed, len(corpus), corpus_bytes, base),
    ]
    _print_rows("generated corpus", corpus_rows)

    rng = random.Random(args.seed + 6)
    six_kb = [generate_article(rng, size=6_000).encode() for _ in range(200)]
    six_kb_bytes = sum(map(len, six_kb))
    _check_clean(six_kb)
    timed = best_of_each({"baseline": (to_html, six_kb), "parse": (newsarticle.parse, six_kb)}, repeat)
    base_6k, parsed_6k = timed["baseline"], timed["parse"]
    six_kb_rows = [
        _row("baseline (split + escape)", base_6k, len(six_kb), six_kb_bytes, base_6k),
        _row("newsarticle.parse(bytes)", parsed_6k, len(six_kb), six_kb_bytes, base_6k),
    ]
    _print_rows(f"{len(six_kb)} articles of about 6 KB (mean {six_kb_bytes / len(six_kb):,.0f} bytes)", six_kb_rows)

    scaling: list[dict[str, Any]] = []
    if sizes:
        print("\nlinear scaling: one article whose paragraphs repeat")
        print(f"  {'input':>8} {'parse s':>9} {'MB/s':>8} {'baseline s':>11} {'MB/s':>8}")
        for mb in sizes:
            data = long_input(mb * 1_000_000, seed=args.seed)
            runs = 2 if mb >= 20 else min(repeat, 3)
            timings = []
            for _ in range(runs):
                start = time.perf_counter()
                newsarticle.parse(data, max_size=None)  # 50 MB is over MAX_INPUT_SIZE
                timings.append(time.perf_counter() - start)
            seconds = min(timings)
            base_seconds = best_of(to_html, [data], runs)
            scaling.append(
                {
                    "bytes": len(data),
                    "runs": runs,
                    "parse_seconds": seconds,
                    "parse_mb_per_s": len(data) / seconds / 1e6,
                    "baseline_seconds": base_seconds,
                    "baseline_mb_per_s": len(data) / base_seconds / 1e6,
                }
            )
            print(
                f"  {len(data) / 1e6:6.1f}MB {seconds:9.3f} {len(data) / seconds / 1e6:8.2f}"
                f" {base_seconds:11.3f} {len(data) / base_seconds / 1e6:8.1f}"
            )
        if len(scaling) > 1:
            first, last = scaling[0], scaling[-1]
            growth = (last["parse_seconds"] / first["parse_seconds"]) / (last["bytes"] / first["bytes"])
            print(f"  time per byte, largest / smallest input: {growth:.2f} (1.00 = linear)")

    ratio = parsed / base
    verdict = "met" if ratio <= TARGET else "missed"
    print(f"\nparse / baseline per article: {ratio:.2f}x (target at most {TARGET:.0f}x: {verdict})")

    path = write_results(
        "parse",
        {
            "command": command_line(),
            "seed": args.seed,
            "repeat": repeat,
            "corpus": {"articles": len(corpus), "bytes": corpus_bytes, "rows": corpus_rows},
            "six_kb": {"articles": len(six_kb), "bytes": six_kb_bytes, "rows": six_kb_rows},
            "scaling": scaling,
            "ratio_parse_to_baseline": ratio,
            "target": TARGET,
        },
    )
    print(f"results: {path}")


if __name__ == "__main__":
    main()
