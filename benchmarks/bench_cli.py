"""The ``newsarticle`` command on a generated corpus: files per second, speed-up, peak memory, start-up.

    python benchmarks/bench_cli.py                  # 10,000 articles to HTML, --jobs 1 and 2
    python benchmarks/bench_cli.py --count 2000 --repeat 1 --format source   # a quick look

What it runs, each as a fresh subprocess of the installed command (the
console script beside this interpreter, as in a virtual environment; not a
pyenv shim, which adds its own ~100 ms):

- ``newsarticle convert DIR -t html -o OUT -j N -q`` for N = 1 and 2 on 2,000
  and 10,000 articles; wall time including start-up, files per second, the
  speed-up of ``-j 2`` over ``-j 1``, and peak memory. Peak memory is
  ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` read in a fresh wrapper
  process after the command ends: the largest resident set of any one process
  of the run (the parent or a worker), which must not grow with the corpus.
- ``newsarticle --version`` against ``python -c pass``, ``--startup-runs``
  times each, alternating; the minimum and the median.

The corpus comes from ``benchmarks/corpus.py`` when it is there (the same
generated articles as the other benchmarks), else from a small generator in
this file. Results are printed and written to ``benchmarks/results/cli-<UTC time>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
RESULTS = HERE / "results"
SCRIPT = Path(sys.executable).with_name("newsarticle")

# Runs the command given as arguments and prints its wall time and the peak RSS of its process tree's
# largest process: RUSAGE_CHILDREN of this fresh process covers exactly that one command.
_WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
status = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
elapsed = time.perf_counter() - start
print(json.dumps({"status": status, "seconds": elapsed,
                  "maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def write_articles(folder: Path, count: int, seed: int) -> str:
    """Write ``count`` generated articles into ``folder``; return which generator made them."""
    sys.path.insert(0, str(HERE))
    try:
        from corpus import write_corpus  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        write_corpus = None
    finally:
        sys.path.pop(0)
    if write_corpus is not None:
        write_corpus(folder, count, seed=seed)
        return "benchmarks/corpus.py"
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for number in range(1, count + 1):
        (folder / f"{number:05d}.txt").write_text(_article(rng), encoding="utf-8")
    return "bench_cli.py's own generator"


_TEXT = (
    "der die das und mit von für auf den dem im zu ein eine nicht auch sich ist bis nach bei aus noch wie über "
    "Stadtrat Haushalt Verwaltung Gemeinde Schule Kita Unternehmen Investition Förderung Projekt Straße Brücke "
    "Bahnhof Klinik Studie Hochschule Mannschaft Saison Ausstellung Verein Landkreis Energie Windpark Grundsteuer "
    "beschließt plant fordert kritisiert investiert erhöht senkt prüft startet erhält eröffnet unterstützt"
)
_WORDS = tuple(_TEXT.split())


def _article(rng: random.Random) -> str:
    """About 2-3 KB of German-looking news text in the article format."""

    def sentence() -> str:
        words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 18))]
        return " ".join(words).capitalize() + "."

    paragraphs = [" ".join(sentence() for _ in range(rng.randint(2, 5))) for _ in range(rng.randint(4, 9))]
    date = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
    header = f"Lokales\nStadtrat {rng.choice(_WORDS)} über den Haushalt\n{date.isoformat()}\n\n"
    return header + "\n\n".join(paragraphs) + "\n\nmore stories\nSee more\n"


def measure(command: list[str]) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *command], capture_output=True, text=True, check=True
    ).stdout
    record: dict[str, Any] = json.loads(result)
    if record["status"] != 0:
        raise SystemExit(f"{' '.join(command)} exited with {record['status']}")
    return record


def convert_runs(corpus: Path, sizes: list[int], format_name: str, repeat: int, work: Path) -> list[dict[str, Any]]:
    """The fastest of ``repeat`` runs for each size and job count; -j 1 and -j 2 take turns, so load hits both."""
    suffix = _suffix(format_name)
    best: dict[tuple[int, int], dict[str, Any]] = {}
    for _ in range(repeat):
        for size in sizes:
            source = corpus if size == max(sizes) else work / f"first-{size}"
            for jobs in (1, 2):
                out = work / "out"
                shutil.rmtree(out, ignore_errors=True)
                command = [str(SCRIPT), "convert", str(source), "-t", format_name, "-o", str(out), "-j", str(jobs)]
                run = measure([*command, "-q"])
                written = sum(1 for _ in out.rglob(f"*{suffix}"))
                if written != size:
                    raise SystemExit(f"expected {size} outputs, found {written}")
                if (size, jobs) not in best or run["seconds"] < best[size, jobs]["seconds"]:
                    best[size, jobs] = run
    # The fixed cost of each job count: the same command on an empty folder (start-up, plugins, the pool).
    empty = work / "empty"
    empty.mkdir(exist_ok=True)
    for jobs in (1, 2):
        for _ in range(repeat):
            run = measure(
                [str(SCRIPT), "convert", str(empty), "-t", format_name, "-o", str(work / "out"), "-j", str(jobs)]
            )
            if (0, jobs) not in best or run["seconds"] < best[0, jobs]["seconds"]:
                best[0, jobs] = run
    rows = []
    for (size, jobs), run in sorted(best.items()):
        seconds = run["seconds"]
        rows.append(
            {"files": size, "jobs": jobs, "seconds": seconds, "files_per_second": size / seconds,
             "peak_rss_mb": run["maxrss_kb"] / 1024}
        )  # fmt: skip
    return rows


def _suffix(format_name: str) -> str:
    import newsarticle

    return next(info.suffix for info in newsarticle.formats() if info.name == format_name)


def startup(runs: int) -> dict[str, dict[str, float]]:
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "newsarticle --version": [str(SCRIPT), "--version"],
        "python -m newsarticle --version": [sys.executable, "-m", "newsarticle", "--version"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    # Bytecode cached as an installation caches it, also where PYTHONDONTWRITEBYTECODE is set
    # (every run would compile newsarticle from source); one warm-up run fills the cache.
    with tempfile.TemporaryDirectory(prefix="newsarticle-pycache-") as cache:
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        for command in commands.values():
            subprocess.run(command, stdout=subprocess.DEVNULL, check=True, env=env)
        for _ in range(runs):
            for name, command in commands.items():  # alternating, so load from elsewhere hits all alike
                start = time.perf_counter()
                subprocess.run(command, stdout=subprocess.DEVNULL, check=True, env=env)
                times[name].append(time.perf_counter() - start)
    return {name: {"min_ms": min(t) * 1e3, "median_ms": statistics.median(t) * 1e3} for name, t in times.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="articles in the large corpus (default 10000)")
    parser.add_argument("--small", type=int, default=2_000, help="articles in the small corpus (default 2000)")
    parser.add_argument("--format", default="html", help="output format (default html; source if html is missing)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each conversion; the fastest counts (default 3)")
    parser.add_argument("--startup-runs", type=int, default=20, help="runs of each start-up command (default 20)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument(
        "--dir",
        default="/dev/shm" if os.path.isdir("/dev/shm") else None,
        help="where to put the corpus and the outputs (default: /dev/shm, a RAM disk, where there is one; "
        "on this project's VM creating a file on disk costs about 0.8 ms and does not parallelize)",
    )
    args = parser.parse_args(argv)
    if not SCRIPT.exists():
        raise SystemExit(f"the newsarticle command is not installed beside {sys.executable}")

    import newsarticle

    format_name = args.format
    if format_name not in {info.name for info in newsarticle.formats()}:
        print(f"format {format_name!r} is not available; measuring 'source' instead")
        format_name = "source"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{platform.python_implementation()} {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {load:.2f}")

    with tempfile.TemporaryDirectory(prefix="bench-cli-", dir=args.dir) as temporary:
        work = Path(temporary)
        corpus = work / "corpus"
        generator = write_articles(corpus, args.count, args.seed)
        small = work / f"first-{args.small}"
        small.mkdir()
        for path in sorted(corpus.iterdir())[: args.small]:
            shutil.copyfile(path, small / path.name)
        megabytes = sum(p.stat().st_size for p in corpus.iterdir()) / 1e6
        print(f"corpus: {args.count} articles, {megabytes:.1f} MB, from {generator}; format {format_name}; in {work}")
        rows = convert_runs(corpus, [args.small, args.count], format_name, args.repeat, work)

    print(f"\n{'files':>7} {'jobs':>4} {'seconds':>8} {'files/s':>8} {'peak RSS':>9}")
    for row in rows:
        print(f"{row['files']:>7} {row['jobs']:>4} {row['seconds']:>8.2f} {row['files_per_second']:>8.0f} "
              f"{row['peak_rss_mb']:>6.1f} MB")  # fmt: skip
    by = {(row["files"], row["jobs"]): row for row in rows}
    speedups = {size: by[size, 1]["seconds"] / by[size, 2]["seconds"] for size in (args.small, args.count)}
    # The part that parallelizes: each run less the fixed cost of its job count (the 0-file rows).
    work_speedups = {
        size: (by[size, 1]["seconds"] - by[0, 1]["seconds"]) / (by[size, 2]["seconds"] - by[0, 2]["seconds"])
        for size in (args.small, args.count)
    }
    for size, speedup in speedups.items():
        print(f"speed-up of -j 2 over -j 1 on {size} files: {speedup:.2f} for the command, "
              f"{work_speedups[size]:.2f} after the fixed cost")  # fmt: skip

    timings = startup(args.startup_runs)
    print(f"\nstart-up, {args.startup_runs} runs each: min / median")
    for name, figures in timings.items():
        print(f"  {name:<34} {figures['min_ms']:6.1f} / {figures['median_ms']:6.1f} ms")
    cost = timings["newsarticle --version"]["median_ms"] - timings["python -c pass"]["median_ms"]
    print(f"  newsarticle's own start-up cost (median): {cost:.1f} ms over the interpreter's")

    record = {
        "benchmark": "cli",
        "time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "command": " ".join(["python", *sys.argv]),
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "load_average_before": load,
        "corpus": {
            "count": args.count,
            "small": args.small,
            "megabytes": megabytes,
            "generator": generator,
            "directory": args.dir,
        },
        "format": format_name,
        "conversions": rows,
        "speedup": {str(size): value for size, value in speedups.items()},
        "speedup_after_fixed_cost": {str(size): value for size, value in work_speedups.items()},
        "startup": timings,
    }
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"cli-{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {path.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
