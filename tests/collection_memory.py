"""The memory a collection format needs, measured alike in every format's tests: flat in corpus size."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import newsarticle
from newsarticle import Article


class CountingSink:
    """A sink that keeps nothing: what stays in memory is the host's and the format's alone."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return len(data)


def peak_memory(
    articles: list[Article],
    repeat: int,
    format: str,
    vary: Callable[[Article, int], Article] | None = None,
    **options: Any,
) -> int:
    """The peak of traced memory while ``format`` writes ``articles`` ``repeat`` times over, streamed.

    :param vary: Makes each round's copy of an article different (a format may refuse the same URL twice).
    """

    def stream() -> Iterator[Article]:
        for round_ in range(repeat):
            for article in articles:
                yield article if vary is None else vary(article, round_)

    tracemalloc.start()
    try:
        newsarticle.write_collection(stream(), format, CountingSink(), **options)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
