"""Peak memory of ``newsarticle.parse`` per input byte, for the input shapes that matter.

For each shape, one input of ``--size`` MB is built, then parsed under
:mod:`tracemalloc`; the figure is the peak of memory allocated during ``parse``
(the input itself excluded) divided by the input's size in bytes. tracemalloc
counts every Python allocation, so the figure does not depend on the allocator
or on what the process held before::

    python benchmarks/bench_memory.py             # 8 MB per shape, a few seconds
    python benchmarks/bench_memory.py --size 32

Shapes: the generated corpus's long article (paragraphs of prose with
subheadings), tiny paragraphs (``a`` and a blank line), one huge line, blank
lines only after the header, and the same article as ``str`` instead of bytes.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tracemalloc
import warnings
from collections.abc import Callable

import newsarticle
from corpus import long_input

_HEADER = "Lokales\nEine Meldung\n2025-02-27\n\n"


def _repeat(unit: str, size: int) -> bytes:
    return (_HEADER + unit * (size // len(unit.encode()))).encode()


SHAPES: dict[str, Callable[[int], str | bytes]] = {
    "prose article (bytes)": long_input,
    "prose article (str)": lambda size: long_input(size).decode(),
    "tiny paragraphs": lambda size: _repeat("a\n\n", size),
    "one-line paragraphs": lambda size: _repeat("Ein kurzer Satz.\n\n", size),
    "hard-wrapped lines": lambda size: _repeat("Ein kurzer Satz\n", size),
    "short sections": lambda size: _repeat("Kurzer Titel\n\nEin Absatz.\n\n", size),
    "one huge line": lambda size: _repeat("wort ", size),
    "blank lines": lambda size: _repeat("\n", size - 8) + b"Ende.\n",
    "cp1252 fallback": lambda size: _repeat("Gr\xfc\xdfe ", size).decode().encode("cp1252"),
}


def peak_per_byte(data: str | bytes) -> float:
    """Peak bytes allocated while parsing ``data``, per byte of input."""
    size = len(data.encode()) if isinstance(data, str) else len(data)
    gc.collect()
    tracemalloc.start()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            newsarticle.parse(data, language="de", max_size=None)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=float, default=8.0, help="input size in MB per shape (default 8)")
    args = parser.parse_args(argv)
    size = int(args.size * 1_000_000)
    print(f"peak memory of parse per input byte, {args.size:g} MB inputs (tracemalloc)")
    for name, make in SHAPES.items():
        print(f"  {name:<24} {peak_per_byte(make(size)):6.1f} bytes/byte")
    return 0


if __name__ == "__main__":
    sys.exit(main())
