"""Runs one harness of ``invariants.HARNESSES`` under atheris (libFuzzer).

A broken invariant does not stop the run: the input is saved to
``fuzz/regressions/<harness>/<sha1>`` (once per distinct failure) and fuzzing
goes on, so one run finds every bug it can reach, not only the first. When the
time given with ``-max_total_time`` is up, the harness prints one summary
line and exits 1 if it found a new failure, 0 otherwise.

A failure already saved in ``fuzz/regressions/`` is known: pytest replays it,
so the fuzzer counts it apart instead of saving it again.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import pkgutil
import re
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import atheris

REGRESSIONS = Path(__file__).resolve().parent / "regressions"
# The command line and the Dask client need tools a library call never uses.
_NOT_FUZZED = ("newsarticle._cli", "newsarticle._dask", "newsarticle._batch", "newsarticle.__main__")

Mutator = Callable[[bytes, int, int], bytes]


def _instrument() -> None:
    # Coverage feedback for newsarticle only: instrumenting Babel and cattrs would
    # slow every execution and steer the fuzzer into their code instead of ours.
    with atheris.instrument_imports(include=["newsarticle"]):
        import newsarticle

        for module in pkgutil.walk_packages(newsarticle.__path__, "newsarticle."):
            if not module.name.startswith(_NOT_FUZZED):
                importlib.import_module(module.name)
        newsarticle.formats()  # loads the plugin manager and every built-in renderer


def signature(exc: BaseException) -> str:
    """Where a failure happened: one saved input per place, not per input."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.name != "_require"]
    where = frames[-1] if frames else None
    place = f"{Path(where.filename).name}:{where.lineno}" if where else "?"
    # A Violation's first line names the broken law and how, without the input's text.
    kind = str(exc).split("\n", 1)[0] if isinstance(exc, AssertionError) else ""
    return f"{type(exc).__name__} at {place}: {re.sub(r'[0-9]+', 'N', kind)[:120]}".rstrip(": ")


def failure(check: Callable[[bytes], None], data: bytes) -> BaseException | None:
    try:
        check(data)
    except Exception as exc:  # every exception is a finding
        return exc
    return None


def _deadline(argv: list[str]) -> tuple[list[str], float | None]:
    # libFuzzer exits at -max_total_time without returning to Python; the harness keeps
    # the clock itself so that it can print its summary and choose its exit code.
    seconds = None
    rest = []
    for arg in argv:
        if arg.startswith("-max_total_time="):
            seconds = float(arg.split("=", 1)[1])
            rest.append(f"-max_total_time={int(seconds) + 60}")
        else:
            rest.append(arg)
    return rest, seconds


def main(name: str, custom_mutator: Mutator | None = None) -> None:
    _instrument()
    from invariants import HARNESSES

    check = HARNESSES[name]
    folder = REGRESSIONS / name
    known = set()
    for path in sorted(folder.glob("*")) if folder.is_dir() else ():
        exc = failure(check, path.read_bytes())
        if exc is not None:
            known.add(signature(exc))
    argv, seconds = _deadline(sys.argv)
    start = time.monotonic()
    stats = {"harness": name, "executions": 0, "new": 0, "known_hits": 0, "known": len(known)}
    found: set[str] = set()

    def finish() -> None:
        stats["seconds"] = round(time.monotonic() - start, 1)
        print("FUZZ-SUMMARY " + json.dumps(stats), flush=True)
        os._exit(1 if stats["new"] else 0)

    def test_one_input(data: bytes) -> None:
        stats["executions"] += 1
        exc = failure(check, data)
        if exc is not None:
            key = signature(exc)
            if key in known:
                stats["known_hits"] += 1
            elif key not in found:
                found.add(key)
                stats["new"] += 1
                folder.mkdir(parents=True, exist_ok=True)
                path = folder / hashlib.sha1(data).hexdigest()
                path.write_bytes(data)
                detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
                detail = detail.replace("\n", " | ")[:600]
                print(f"NEW FAILURE {key}, saved to {path}: {detail}", file=sys.stderr, flush=True)
        if seconds is not None and time.monotonic() - start >= seconds:
            finish()

    atheris.Setup(argv, test_one_input, custom_mutator=custom_mutator)
    atheris.Fuzz()
