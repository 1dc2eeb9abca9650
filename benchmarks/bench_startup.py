"""Start-up: ``newsarticle --version`` and ``import newsarticle`` against ``python -c pass``.

Each command runs ``--runs`` times as a fresh process, the commands taking
turns; the best and the median wall time of each, and the best as a multiple
of ``python -c pass`` (target for ``newsarticle --version``: at most 5x).
Bytecode is cached as an installation caches it, in a temporary
``PYTHONPYCACHEPREFIX``, also where ``PYTHONDONTWRITEBYTECODE`` is set (it would
make every run compile newsarticle from source); one warm-up run fills it.
``import attrs`` is there for scale: the model needs it, and it alone costs
about 2.5x. The console script is the one beside this interpreter, as in a
virtual environment (a pyenv shim would add its own ~100 ms).

    python benchmarks/bench_startup.py              # 30 runs each, a few seconds
    python -X importtime -m newsarticle --version   # what the time goes to
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _harness import command_line, describe_machine, write_results

SCRIPT = Path(sys.executable).with_name("newsarticle")
TARGET = 5.0


def commands() -> dict[str, list[str]]:
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import attrs'": [sys.executable, "-c", "import attrs"],
        "python -c 'import newsarticle'": [sys.executable, "-c", "import newsarticle"],
        "newsarticle --version": [str(SCRIPT), "--version"],
        "python -m newsarticle --version": [sys.executable, "-m", "newsarticle", "--version"],
    }


def measure(runs: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in commands()}
    with tempfile.TemporaryDirectory(prefix="newsarticle-pycache-") as cache:
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        for argv in commands().values():
            subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)  # compiles, once
        for _ in range(runs):
            for name, argv in commands().items():
                start = time.perf_counter()
                subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
                times[name].append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="runs of each command (default 30)")
    args = parser.parse_args(argv)
    if not SCRIPT.exists():
        parser.exit(1, f"no console script at {SCRIPT}: install newsarticle into this interpreter's environment\n")

    times = measure(args.runs)
    floor = min(times["python -c pass"])
    print(describe_machine())
    print(f"{args.runs} runs of each command, taking turns\n")
    print(f"  {'':34} {'best ms':>8} {'median ms':>10} {'x python':>9}")
    rows = []
    for name, values in times.items():
        best, median = min(values), statistics.median(values)
        rows.append({"command": name, "best_ms": best * 1e3, "median_ms": median * 1e3, "x_python": best / floor})
        print(f"  {name:34} {best * 1e3:8.1f} {median * 1e3:10.1f} {best / floor:9.2f}")
    ratio = min(times["newsarticle --version"]) / floor
    print(f"\nnewsarticle --version: {ratio:.2f}x python -c pass (target at most {TARGET:g}x: "
          f"{'met' if ratio <= TARGET else 'missed'})")  # fmt: skip
    path = write_results("startup", {"command": command_line(), "runs": args.runs, "rows": rows, "target": TARGET})
    print(f"results: {path}")


if __name__ == "__main__":
    main()
