"""Where ``newsarticle.parse`` spends its time on the generated corpus (cProfile, sorted by own time).

python benchmarks/profile_parse.py              # top 20 functions by own time
python benchmarks/profile_parse.py --callers    # and who calls the top 5
"""

from __future__ import annotations

import argparse
import cProfile
import pstats

import newsarticle
from corpus import DEFAULT_SEED, generate_corpus


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--callers", action="store_true", help="also show the callers of the top 5")
    args = parser.parse_args(argv)

    corpus = generate_corpus(args.articles, seed=args.seed)
    for data in corpus:  # warm up: imports, regex compilation, caches
        newsarticle.parse(data)
    profile = cProfile.Profile()
    profile.enable()
    for data in corpus:
        newsarticle.parse(data)
    profile.disable()
    stats = pstats.Stats(profile).strip_dirs().sort_stats("tottime")
    stats.print_stats(args.top)
    if args.callers:
        stats.print_callers(5)


if __name__ == "__main__":
    main()
