"""Doubling ratios: how an algorithm's time grows with its input, without any absolute time.

A test builds the input at size ``n`` and ``2 n`` outside the clock, times the
work on each in this process's CPU time (so time spent waiting for a core on a
busy machine counts for neither; best of a few runs), and asserts the ratio.
Linear work gives about 2, quadratic about 4; ``LINEAR`` leaves room for
caches and noise but not for a quadratic term.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import TypeVar

__all__ = ["ATTEMPTS", "LINEAR", "doubling_ratio", "lowest_doubling_ratio"]

T = TypeVar("T")

#: The largest doubling ratio a linear algorithm is allowed.
LINEAR = 3.0
#: Measurements :func:`lowest_doubling_ratio` makes at most.
ATTEMPTS = 3


def _timed(work: Callable[[T], object], data: T) -> float:
    gc.collect()
    start = time.process_time()
    work(data)
    return time.process_time() - start


def doubling_ratio(
    make: Callable[[int], T],
    work: Callable[[T], object],
    n: int,
    *,
    repeat: int = 3,
    baseline: Callable[[T], object] | None = None,
) -> float:
    """``time(work(make(2 n))) / time(work(make(n)))``, each the best of ``repeat`` runs.

    The two sizes take turns, so a burst of load from elsewhere slows both
    rather than one of them. With a ``baseline``, timed in the same turns on the
    same inputs, the ratio is scaled as if the baseline's were exactly 2: for
    inputs far larger than any cache, where the memory system's time grows
    faster than the size for any work that walks the input (faster still while
    another process uses it too), and a baseline that walks it as much takes
    that out. Linear work still gives about 2, quadratic about 4.
    """
    small, large = make(n), make(2 * n)
    work(small)  # warm caches and lazy imports outside the clock
    best_small = best_large = base_small = base_large = float("inf")
    for _ in range(repeat):
        best_small = min(best_small, _timed(work, small))
        best_large = min(best_large, _timed(work, large))
        if baseline is not None:
            base_small = min(base_small, _timed(baseline, small))
            base_large = min(base_large, _timed(baseline, large))
    ratio = best_large / best_small
    return ratio if baseline is None else 2 * ratio / (base_large / base_small)


def lowest_doubling_ratio(
    make: Callable[[int], T],
    work: Callable[[T], object],
    n: int,
    *,
    repeat: int = 3,
    below: float = LINEAR,
    baseline: Callable[[T], object] | None = None,
) -> float:
    """The lowest :func:`doubling_ratio` of up to ``ATTEMPTS`` measurements, from ``n``, then ``2 n`` and ``4 n``,
    stopping at the first under ``below``.

    Load from elsewhere (another test process, another job) can inflate one
    measurement, and so can a size at which the input just outgrows a cache (a
    larger size is past it); a term that grows faster than the claim inflates
    every one, the more the larger the input.
    """
    ratios = [doubling_ratio(make, work, n, repeat=repeat, baseline=baseline)]
    while len(ratios) < ATTEMPTS and ratios[-1] >= below:
        ratios.append(doubling_ratio(make, work, n << len(ratios), repeat=repeat, baseline=baseline))
    return min(ratios)
