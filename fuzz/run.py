"""Run the fuzz harnesses one after another, for CI and by hand.

    python fuzz/run.py --seconds 60                 # every harness, 60 s each
    python fuzz/run.py --seconds 120 lines render   # some of them

Each harness starts from the articles in ``tests/data`` and, when it exists,
``../shared/corpus`` beside the repository (read only), plus its own saved
regressions. A new failure is minimised and saved as
``fuzz/regressions/<harness>/<sha1>``, which ``tests/test_fuzz_regressions.py``
replays. Prints one line per harness (executions, time, failures) and exits 1
when any harness found a new failure.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
ROOT = FUZZ.parent
REGRESSIONS = FUZZ / "regressions"
SEEDS = (ROOT / "tests" / "data", ROOT.parent / "shared" / "corpus")
# What libFuzzer itself saves when the process dies: a timeout, running out of memory, a native crash.
ARTIFACTS = ("crash-", "timeout-", "oom-", "leak-", "slow-unit-")
# What the harnesses import besides newsarticle: the fuzzer, and the JSON Schema checker of the test extra.
NEEDED = ("atheris", "jsonschema")

sys.path.insert(0, str(FUZZ))
from invariants import HARNESSES, seed_for  # noqa: E402 - needs the folder on the path first


def seed_corpus(harness: str, into: Path) -> int:
    count = 0
    for folder in (*SEEDS, REGRESSIONS / harness):
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.is_file():
                data = seed_for(harness, path.read_bytes()) if folder != REGRESSIONS / harness else path.read_bytes()
                (into / hashlib.sha1(data).hexdigest()).write_bytes(data)
                count += 1
    return count


def failure_key(check: Callable[[bytes], None], data: bytes) -> str | None:
    from harness import failure, signature  # imports atheris: only when fuzzing

    exc = failure(check, data)
    return None if exc is None else signature(exc)


def minimise(check: Callable[[bytes], None], data: bytes, budget: float) -> bytes:
    """Drop lines, then bytes, while the same failure remains (greedy, within ``budget`` seconds)."""
    key = failure_key(check, data)
    if key is None:
        return data
    deadline = time.monotonic() + budget
    for split in (lambda d: d.splitlines(keepends=True), lambda d: [bytes([b]) for b in d]):
        pieces = split(data)
        chunk = max(1, len(pieces) // 2)
        while chunk >= 1 and time.monotonic() < deadline:
            index = 0
            while index < len(pieces) and time.monotonic() < deadline:
                candidate = pieces[:index] + pieces[index + chunk :]
                if candidate != pieces and failure_key(check, b"".join(candidate)) == key:
                    pieces = candidate
                else:
                    index += chunk
            chunk //= 2
        data = b"".join(pieces)
    return data


def save_minimised(harness: str, paths: list[Path], budget: float) -> None:
    check = HARNESSES[harness]
    for path in paths:
        data = minimise(check, path.read_bytes(), budget)
        target = REGRESSIONS / harness / hashlib.sha1(data).hexdigest()
        path.unlink()
        target.write_bytes(data)
        print(f"  saved {target.relative_to(ROOT)} ({len(data)} bytes)")


def run_harness(harness: str, seconds: float, work: Path) -> dict[str, float]:
    corpus = work / "corpus"
    artifacts = work / "artifacts"
    corpus.mkdir()
    artifacts.mkdir()
    seeds = seed_corpus(harness, corpus)
    folder = REGRESSIONS / harness
    before = set(folder.iterdir()) if folder.is_dir() else set()
    totals = {"executions": 0.0, "known_hits": 0.0, "known": 0.0}
    start = time.monotonic()
    # A harness that dies (a timeout, memory) restarts for the time that is left.
    while (left := seconds - (time.monotonic() - start)) > 1:
        command = [
            sys.executable,
            str(FUZZ / f"{harness}.py"),
            f"-max_total_time={int(left)}",
            f"-artifact_prefix={artifacts}/",
            "-timeout=30",
            "-rss_limit_mb=3072",
            "-print_final_stats=0",
            str(corpus),
        ]
        log = work / "log.txt"
        with log.open("wb") as out:
            subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, cwd=work, check=False)
        text = log.read_text("utf-8", "replace")
        summaries = [line for line in text.splitlines() if line.startswith("FUZZ-SUMMARY ")]
        for line in text.splitlines():
            if line.startswith("NEW FAILURE"):
                print("  " + line)
        if summaries:
            stats = json.loads(summaries[-1].removeprefix("FUZZ-SUMMARY "))
            totals["executions"] += stats["executions"]
            totals["known_hits"] += stats["known_hits"]
            totals["known"] = stats["known"]
            break
        print(f"  {harness} stopped early:\n" + "\n".join(text.splitlines()[-15:]))
    totals["seconds"] = time.monotonic() - start
    died = [p for p in artifacts.iterdir() if p.name.startswith(ARTIFACTS)]
    for path in died:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.move(path, folder / ("died-" + hashlib.sha1(path.read_bytes()).hexdigest()))
    new = sorted(set(folder.iterdir()) - before) if folder.is_dir() else []
    save_minimised(harness, [p for p in new if not p.name.startswith("died-")], budget=30)
    for path in new:
        if path.name.startswith("died-"):
            path.rename(folder / path.name.removeprefix("died-"))
    totals["new"] = len(new)
    totals["seeds"] = seeds
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60, help="time per harness (default 60)")
    parser.add_argument("harnesses", nargs="*", help=f"default: all of {', '.join(HARNESSES)}")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.harnesses) - set(HARNESSES))
    if unknown:
        parser.error(f"no harness {unknown[0]!r}; the harnesses: {', '.join(HARNESSES)}")
    missing = [name for name in NEEDED if importlib.util.find_spec(name) is None]
    if missing:
        # A missing tool would look like a failure of every input, and fill regressions/ with noise.
        parser.exit(2, f"fuzz/run.py: needs {', '.join(missing)}: pip install atheris==3.0.0 -e '.[test]'\n")
    failed = False
    for harness in args.harnesses or list(HARNESSES):
        with tempfile.TemporaryDirectory(prefix=f"fuzz-{harness}-") as work:
            stats = run_harness(harness, args.seconds, Path(work))
        failed = failed or stats["new"] > 0
        print(
            f"{harness}: {int(stats['executions'])} executions in {stats['seconds']:.0f} s "
            f"from {int(stats['seeds'])} seeds, {int(stats['new'])} new failures, "
            f"{int(stats['known'])} known failures hit {int(stats['known_hits'])} times",
            flush=True,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
