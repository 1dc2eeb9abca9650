"""Two versions of newsarticle in one sitting, in CPU time: for a machine that others load.

Under load a wall-clock run moves by more than most changes. This runs the
same cases (the baseline, ``parse`` and ``parse`` + json and text on 1,000
articles of about 6 KB; the baseline and ``parse`` on the mixed corpus) for the
newsarticle that ``--before`` points at and for this checkout, in turns, each in
a fresh process, timing chunks of 50 articles in ``time.process_time`` (the time
a process waits for a core is left out; the caches other processes empty are
not), best of ``--repeat`` per chunk. It prints each version's ratios to the
baseline, one line per run.

    git archive <commit> src | tar -x -C /tmp/before
    python benchmarks/bench_compare.py --before /tmp/before/src --rounds 2
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CHUNK = 50


def _measure(repeat: int) -> str:
    import newsarticle
    from baseline import to_html
    from corpus import DEFAULT_SEED, generate_article, generate_corpus

    rng = random.Random(DEFAULT_SEED)
    six = [generate_article(rng, size=6_000).encode() for _ in range(1_000)]
    mixed = generate_corpus(2_000, seed=DEFAULT_SEED)
    parse, render = newsarticle.parse, newsarticle.render
    cases: dict[str, tuple[Callable[[Any], object], list[bytes]]] = {
        "baseline": (to_html, six),
        "parse": (parse, six),
        "json": (lambda data: render(parse(data), "json"), six),
        "text": (lambda data: render(parse(data), "text"), six),
        "mixed baseline": (to_html, mixed),
        "mixed parse": (parse, mixed),
    }
    for func, items in cases.values():
        func(items[0])  # outside the clock: plugins, Babel, the locale
    chunks = {name: [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)] for name, (_, items) in cases.items()}
    best = {name: [float("inf")] * len(parts) for name, parts in chunks.items()}
    for _ in range(repeat):
        for name, (func, _) in cases.items():
            for index, part in enumerate(chunks[name]):
                gc.collect()
                start = time.process_time()
                for item in part:
                    func(item)
                best[name][index] = min(best[name][index], time.process_time() - start)
    total = {name: sum(times) for name, times in best.items()}
    six_ratios = "6 KB articles: " + " ".join(
        f"{name} {total[name] / total['baseline']:.2f}x" for name in ("parse", "json", "text")
    )
    mixed_ratio = total["mixed parse"] / total["mixed baseline"]
    return f"{six_ratios}, mixed-corpus parse {mixed_ratio:.2f}x (load average {os.getloadavg()[0]:.1f})"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, help="the src folder of the version to compare with (required)")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each version, in turns (default 2)")
    parser.add_argument("--repeat", type=int, default=5, help="best of this many per chunk (default 5)")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args(argv)
    if args.measure:
        print(_measure(args.repeat))
        return
    if args.before is None:
        parser.error("--before SRC is required: the src folder of the version to compare with")
    versions = {"before": args.before.resolve(), "after": HERE.parent / "src"}
    for _ in range(args.rounds):
        for label, src in versions.items():
            env = {**os.environ, "PYTHONPATH": str(src)}
            command = [sys.executable, str(Path(__file__).resolve()), "--measure", "--repeat", str(args.repeat)]
            result = subprocess.run(command, env=env, cwd=HERE, capture_output=True, text=True, check=True)
            print(f"{label:6} {result.stdout.strip()}", flush=True)


if __name__ == "__main__":
    main()
