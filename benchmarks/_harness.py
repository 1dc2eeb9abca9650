"""Timing, the environment record and the results file, shared by the benchmark scripts."""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"
REPO = Path(__file__).parent.parent
# Items per timed chunk: about 10-50 ms of work for parse on the generated corpus.
CHUNK = 100


def best_of(func: Callable[[Any], object], items: Sequence[Any], repeat: int) -> float:
    """The fastest of ``repeat`` runs of ``func`` over every item, in seconds."""
    return best_of_each({"": (func, items)}, repeat)[""]


def best_of_each(
    cases: dict[str, tuple[Callable[[Any], object], Sequence[Any]]], repeat: int, chunk: int = CHUNK
) -> dict[str, float]:
    """For each case ``name: (func, items)``, the best time of ``repeat`` runs of ``func`` over every item, in seconds.

    The machine these run on is shared, and on two cores a burst of load from
    elsewhere can spoil a whole run over thousands of items. So the items are
    timed in chunks of ``chunk``, each chunk keeps its fastest of ``repeat``
    runs, and the result is the sum over the chunks: on a quiet machine that is
    the best run, on a busy one it is the least disturbed time of every part.
    The runs take turns (one run of each case, then the next round), so load
    hits every case alike; garbage is collected before each chunk so that one
    does not pay for the one before.
    """
    chunks = {name: [items[i : i + chunk] for i in range(0, len(items), chunk)] for name, (_, items) in cases.items()}
    best = {name: [float("inf")] * len(parts) for name, parts in chunks.items()}
    for _ in range(repeat):
        for name, (func, _) in cases.items():
            for index, part in enumerate(chunks[name]):
                gc.collect()
                start = time.perf_counter()
                for item in part:
                    func(item)
                elapsed = time.perf_counter() - start
                best[name][index] = min(best[name][index], elapsed)
    return {name: sum(times) for name, times in best.items()}


def environment() -> dict[str, Any]:
    import newsarticle

    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
        ).stdout.strip()
        dirty = bool(
            subprocess.run(
                ["git", "status", "--porcelain", "--", "src"],
                capture_output=True,
                text=True,
                check=True,
                cwd=REPO,
            ).stdout.strip()
        )
    except (OSError, subprocess.CalledProcessError):
        commit, dirty = None, None
    return {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "newsarticle": newsarticle.__version__,
        "commit": commit,
        "src_changed_since_commit": dirty,
    }


def write_results(name: str, results: dict[str, Any]) -> Path:
    """Write ``results`` with a timestamp and the environment to ``results/<name>-<time>.json``."""
    now = dt.datetime.now(dt.timezone.utc)
    record = {"benchmark": name, "time": now.isoformat(timespec="seconds"), "environment": environment(), **results}
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}-{now:%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def describe_machine() -> str:
    """One line for the printed report: what the figures were measured on."""
    load = f", load average {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else ""
    return f"{platform.python_implementation()} {sys.version.split()[0]} on {os.cpu_count()} CPUs{load}"


def command_line() -> str:
    return " ".join(["python", *sys.argv])
