"""newsarticle on a local Dask cluster against the local pool: wall time, files/s, bytes over the network per article.

    python benchmarks/bench_dask.py                 # 20,000 generated articles, each case once
    python benchmarks/bench_dask.py --quick         # 2,000 articles: a look in under a minute
    python benchmarks/bench_dask.py --repeat 3 --cases pool,scheduler   # the fastest of 3, two cases

The cases, each a fresh process (wall time measured around it, start-up included):

- ``pool``: ``newsarticle convert DIR -t html -o OUT -j 2 -q``, the local process pool;
- ``scheduler``: the same with ``--scheduler ADDR`` (``newsarticle.dask.convert``, partitions sized by the count);
- ``jsonl``: ``newsarticle convert DIR -t jsonl -o OUT --scheduler ADDR -q``, shards written by the workers;
- ``parquet``: ``newsarticle.dask.to_dataframe(read_results(DIR)).to_parquet(OUT)`` in a script;
- ``api-convert``: ``newsarticle.dask.convert(DIR, OUT, "html")`` in a script.

The cluster is started by this script on 127.0.0.1: ``dask scheduler`` and two ``dask worker --nthreads 1``
processes (each with its nanny), as ``tests/test_dask.py`` starts one. Before each case the workers are
restarted (``Client.restart``: no case inherits another's memory) and a small run of 50 files imports
newsarticle, the renderers and pyarrow in them, as a cluster in use has them.

**Bytes over the network** are counted at the sockets: ``_dask_bytes.py`` wraps Tornado's
``IOStream.read_from_fd`` and ``write_to_fd`` in the scheduler, the workers (``--preload``) and the measured
process, per socket. Sockets are matched by their addresses: client <-> scheduler is what the measured process
sent and received to the scheduler's port; scheduler <-> workers is what the scheduler moved on every other
socket except this script's own client (which reads the counters); worker <-> worker is what the workers
moved between themselves. These are payload bytes (Dask's frames and headers), not TCP/IP headers. The
loopback interface's counters around each case (``psutil.net_io_counters``) are recorded as a cross-check;
they include every other process's loopback traffic on the machine and the TCP/IP headers.
Outputs and inputs are on the same local file system (``--dir``, a RAM disk by default), so the bytes read
from and written to storage are not network traffic here; they are recorded per article (the corpus and
the outputs' sizes) for the plan in docs/scaling.md.

**Memory**: the peak resident set of each worker process (and of the scheduler) during the case, from
``VmHWM`` in ``/proc/PID/status`` after resetting it through ``/proc/PID/clear_refs`` (Linux); and the peak
of the measured process and of its children (the pool's processes) from ``getrusage``.

Results are printed and written to ``benchmarks/results/dask-<UTC time>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import runpy
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
SCRIPT = Path(sys.executable).with_name("newsarticle")
DASK = Path(sys.executable).with_name("dask")
PRELOAD = HERE / "_dask_bytes.py"
CASES = ("pool", "scheduler", "jsonl", "parquet", "api-convert")
DESCRIPTIONS = {
    "pool": "convert -t html -j 2",
    "scheduler": "convert -t html --scheduler",
    "jsonl": "convert -t jsonl --scheduler",
    "parquet": "to_dataframe(read_results).to_parquet",
    "api-convert": 'dask.convert(DIR, OUT, "html")',
}

sys.path.insert(0, str(HERE))
import _dask_bytes  # noqa: E402
from _harness import command_line, describe_machine, write_results  # noqa: E402

# -- the measured process -------------------------------------------------------------------------------------


def child(argv: list[str]) -> None:
    """Run one case in this process with its sockets counted; write what it measured to ``argv[0]``."""
    import resource

    result_path, kind, *rest = argv
    _dask_bytes.install()
    status = 0
    extra: dict[str, Any] = {}
    start = time.perf_counter()
    if kind == "cli":
        sys.argv = [str(SCRIPT), *rest]
        try:
            runpy.run_path(str(SCRIPT), run_name="__main__")
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    else:
        source, out, address, per_partition = rest
        from distributed import Client

        import newsarticle.dask as nd

        size = int(per_partition)
        with Client(address, timeout="60s"):
            if kind == "parquet":
                nd.to_dataframe(nd.read_results(source, files_per_partition=size)).to_parquet(out)
            else:
                summary = nd.convert(source, out, "html", files_per_partition=size)
                extra = {"converted": summary.converted, "failed": summary.failed}
                status = 0 if summary.failed == 0 else 1
    seconds = time.perf_counter() - start
    record = {
        "status": status,
        "seconds_inside": seconds,
        "counts": _dask_bytes.snapshot(),
        "maxrss_self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "maxrss_children_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        **extra,
    }
    Path(result_path).write_text(json.dumps(record), encoding="utf-8")


# -- the cluster ----------------------------------------------------------------------------------------------


class Cluster:
    """A scheduler and two single-threaded workers on 127.0.0.1, each its own process, counting socket bytes."""

    def __init__(self, folder: Path, workers: int = 2) -> None:
        folder.mkdir()
        info = folder / "scheduler.json"
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        common = ["--host", "127.0.0.1", "--no-dashboard", "--preload", str(PRELOAD)]
        self.scheduler = subprocess.Popen(
            [str(DASK), "scheduler", "--scheduler-file", str(info), "--port", "0", *common], **quiet
        )
        deadline = time.monotonic() + 60
        while not info.exists() or not info.read_text(encoding="utf-8").strip():
            if time.monotonic() > deadline:
                raise SystemExit("the Dask scheduler did not start")
            time.sleep(0.1)
        self.address: str = json.loads(info.read_text(encoding="utf-8"))["address"]
        self.workers = [
            subprocess.Popen([str(DASK), "worker", "--scheduler-file", str(info), "--nthreads", "1", *common], **quiet)
            for _ in range(workers)
        ]
        from distributed import Client

        self.client = Client(self.address, timeout="60s", set_as_default=False)
        self.client.wait_for_workers(workers, timeout=60)
        self.worker_pids: dict[str, int] = self.client.run(os.getpid)
        self.scheduler_pid: int = self.client.run_on_scheduler(os.getpid)

    def counts(self, *, scheduler_last: bool) -> dict[str, Any]:
        """Every process's socket counters now: the scheduler's, each worker's, and this script's.

        Asking the workers goes through the scheduler: before a case the scheduler is read last, after it
        first, so that those messages fall outside the case.
        """
        if scheduler_last:
            workers = self.client.run(_remote_snapshot)
            scheduler = self.client.run_on_scheduler(_remote_snapshot)
        else:
            scheduler = self.client.run_on_scheduler(_remote_snapshot)
            workers = self.client.run(_remote_snapshot)
        return {"scheduler": scheduler, "workers": workers, "bench": _dask_bytes.snapshot()}

    def restart(self) -> None:
        """New worker processes (their nannies start them), so that no case inherits another's memory."""
        self.client.restart(wait_for_workers=True, timeout=120)
        self.worker_pids = self.client.run(os.getpid)

    def reset_peak_memory(self) -> None:
        for pid in [self.scheduler_pid, *self.worker_pids.values()]:
            Path(f"/proc/{pid}/clear_refs").write_text("5", encoding="ascii")

    def peak_memory_mb(self) -> dict[str, float]:
        peaks = {"scheduler": _vm_hwm(self.scheduler_pid)}
        for number, pid in enumerate(self.worker_pids.values(), start=1):
            peaks[f"worker {number}"] = _vm_hwm(pid)
        return peaks

    def close(self) -> None:
        self.client.close()
        for process in [*self.workers, self.scheduler]:
            if process.poll() is None:
                process.terminate()
        for process in [*self.workers, self.scheduler]:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)


def _remote_snapshot() -> dict[str, list[int]]:
    """Runs in the scheduler or a worker: the counters of the preloaded module."""
    counts: dict[str, list[int]] = sys.modules["_dask_bytes"].snapshot()
    return counts


def _vm_hwm(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# -- who talked to whom ---------------------------------------------------------------------------------------


def _delta(after: dict[str, list[int]], before: dict[str, list[int]]) -> dict[tuple[str, str], int]:
    """Bytes (received + sent) moved on each socket between two snapshots."""
    moved = {}
    for key, (received, sent) in after.items():
        old = before.get(key, [0, 0])
        total = received - old[0] + sent - old[1]
        if total:
            local, peer = key.split("|")
            moved[local, peer] = total
    return moved


def _locals(snapshot: dict[str, list[int]]) -> set[str]:
    return {key.split("|")[0] for key in snapshot}


def traffic(
    before: dict[str, Any], after: dict[str, Any], client: dict[str, list[int]], address: str
) -> dict[str, int]:
    """Bytes by pair of parties during one case (see the module's docstring)."""
    scheduler_port = address.rpartition("//")[2]
    client_locals = _locals(client)
    bench_locals = _locals(after["bench"])
    worker_locals = set().union(*(_locals(s) for s in after["workers"].values()))
    client_moved = _delta(client, {})
    scheduler_moved = _delta(after["scheduler"], before["scheduler"])
    pairs = {
        "client_scheduler": sum(n for (_, peer), n in client_moved.items() if peer == scheduler_port),
        "client_workers": sum(n for (_, peer), n in client_moved.items() if peer != scheduler_port),
        "scheduler_workers": sum(
            n for (_, peer), n in scheduler_moved.items() if peer not in client_locals and peer not in bench_locals
        ),
        "scheduler_side_of_client": sum(n for (_, peer), n in scheduler_moved.items() if peer in client_locals),
        "bench_client": sum(n for (_, peer), n in scheduler_moved.items() if peer in bench_locals),
    }
    between = 0
    for name, snapshot in after["workers"].items():
        moved = _delta(snapshot, before["workers"].get(name, {}))
        between += sum(n for (_, peer), n in moved.items() if peer in worker_locals)
    pairs["worker_worker"] = between // 2  # each byte counted at both ends
    return pairs


def _loopback() -> int | None:
    try:
        import psutil
    except ImportError:
        return None
    counters = psutil.net_io_counters(pernic=True).get("lo")
    return None if counters is None else int(counters.bytes_sent)


# -- the cases ------------------------------------------------------------------------------------------------


def command(case: str, corpus: Path, out: Path, address: str, per_partition: int) -> list[str]:
    if case == "parquet":
        return ["parquet", str(corpus), str(out), address, str(per_partition)]
    if case == "api-convert":
        return ["convert", str(corpus), str(out), address, str(per_partition)]
    run = ["cli", "convert", str(corpus), "-o", str(out), "-q"]
    if case == "pool":
        return [*run, "-t", "html", "-j", "2"]
    if case == "scheduler":
        return [*run, "-t", "html", "--scheduler", address]
    return [*run, "-t", "jsonl", "--scheduler", address]


def count_outputs(case: str, out: Path) -> int:
    """How many articles the case's output holds, read back as its reader would."""
    if case in ("pool", "scheduler", "api-convert"):
        return sum(1 for _ in out.rglob("*.html"))
    if case == "jsonl":
        lines = 0
        for shard in sorted(out.glob("part-*.jsonl")):
            with shard.open("rb") as file:
                lines += sum(1 for line in file if json.loads(line))
        return lines
    import pyarrow.parquet as pq

    return int(pq.read_table(out, columns=["source"]).num_rows)


def output_bytes(out: Path) -> int:
    return sum(path.stat().st_size for path in out.rglob("*") if path.is_file())


def run_case(
    case: str, cluster: Cluster, corpus: Path, work: Path, *, count: int, per_partition: int
) -> dict[str, Any]:
    out = work / f"out-{case}"
    shutil.rmtree(out, ignore_errors=True)
    cluster.restart()
    warm_up(cluster, corpus, work)
    result_file = work / "child.json"
    arguments = command(case, corpus, out, cluster.address, per_partition)
    before = cluster.counts(scheduler_last=True)
    cluster.reset_peak_memory()
    loopback = _loopback()
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "_child", str(result_file), *arguments],
        stdout=subprocess.DEVNULL,
        check=False,
    )
    seconds = time.perf_counter() - start
    loopback_after = _loopback()
    peaks = cluster.peak_memory_mb()
    after = cluster.counts(scheduler_last=False)
    record = json.loads(result_file.read_text(encoding="utf-8"))
    if record["status"] != 0:
        raise SystemExit(f"{case}: {' '.join(arguments)} ended with status {record['status']}")
    written = count_outputs(case, out)
    if written != count:
        raise SystemExit(f"{case}: expected {count} articles in the output, found {written}")
    pairs = traffic(before, after, record["counts"], cluster.address)
    network = pairs["client_scheduler"] + pairs["client_workers"] + pairs["scheduler_workers"] + pairs["worker_worker"]
    return {
        "case": case,
        "what": DESCRIPTIONS[case],
        "seconds": seconds,
        "seconds_inside": record["seconds_inside"],
        "files_per_second": count / seconds,
        "bytes": pairs,
        "network_bytes_per_article": network / count if case != "pool" else 0.0,
        "client_scheduler_bytes_per_article": pairs["client_scheduler"] / count,
        "scheduler_workers_bytes_per_article": pairs["scheduler_workers"] / count,
        "loopback_bytes": None if loopback is None or loopback_after is None else loopback_after - loopback,
        "output_bytes": output_bytes(out),
        "output_bytes_per_article": output_bytes(out) / count,
        "peak_rss_mb": {
            **peaks,
            "measured process": record["maxrss_self_kb"] / 1024,
            "its children": record["maxrss_children_kb"] / 1024,
        },
    }


def warm_up(cluster: Cluster, corpus: Path, work: Path) -> None:
    """Import newsarticle, the renderers and pyarrow in the workers: a small run of each API path."""
    import newsarticle.dask as nd

    small = work / "warm"
    if not small.exists():
        small.mkdir()
        for path in sorted(corpus.iterdir())[:50]:
            shutil.copyfile(path, small / path.name)
    with cluster.client.as_current():
        nd.convert(str(small), str(work / "warm-html"), "html", files_per_partition=10, force=True)
        nd.convert(str(small), str(work / "warm-jsonl"), "jsonl", files_per_partition=10, force=True)
        nd.to_dataframe(nd.read_results(str(small), files_per_partition=10)).to_parquet(str(work / "warm.parquet"))


def print_table(rows: list[dict[str, Any]], count: int) -> None:
    print()
    print(f"{count:,} articles; bytes per article over the network: in all, client<->scheduler,")
    print("scheduler<->workers (with their nannies), worker<->worker; the largest worker's peak RSS")
    header = (
        f"{'case':<40} {'wall s':>7} {'files/s':>8} {'net B/art':>10} {'cl<->sch':>9} {'sch<->wk':>9}"
        f" {'wk<->wk':>8} {'wk RSS MB':>10}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        workers = [v for k, v in row["peak_rss_mb"].items() if k.startswith("worker")]
        rss = max(workers) if row["case"] != "pool" else row["peak_rss_mb"]["its children"]
        print(
            f"{row['what']:<40} {row['seconds']:>7.1f} {row['files_per_second']:>8.0f} "
            f"{row['network_bytes_per_article']:>10.0f} {row['client_scheduler_bytes_per_article']:>9.0f} "
            f"{row['scheduler_workers_bytes_per_article']:>9.0f} {row['bytes']['worker_worker'] / count:>8.0f}"
            f" {rss:>10.0f}"
        )
    print("(pool: no network; its RSS column is the largest pool process)")


def main(argv: list[str] | None = None) -> None:
    arguments = sys.argv[1:] if argv is None else argv
    if arguments[:1] == ["_child"]:
        child(arguments[1:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=20_000, help="articles in the corpus (default 20000)")
    parser.add_argument("--quick", action="store_true", help="2,000 articles, each case once")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each case; the fastest counts (default 1)")
    parser.add_argument("--cases", default=",".join(CASES), help=f"which cases, comma-separated ({','.join(CASES)})")
    parser.add_argument(
        "--files-per-partition",
        type=int,
        default=None,
        help="files per task of the two API cases (default: newsarticle.dask's, 1000); the command uses its own",
    )
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument(
        "--dir",
        default="/dev/shm" if os.path.isdir("/dev/shm") else None,
        help="where to put the corpus and the outputs (default: /dev/shm, a RAM disk, where there is one)",
    )
    args = parser.parse_args(arguments)
    count = 2_000 if args.quick else args.count
    repeat = 1 if args.quick else args.repeat
    cases = [case.strip() for case in args.cases.split(",") if case.strip()]
    unknown = sorted(set(cases) - set(CASES))
    if unknown:
        parser.error(f"no case {unknown[0]!r}; cases: {', '.join(CASES)}")
    for tool in (SCRIPT, DASK):
        if not tool.exists():
            raise SystemExit(f"{tool.name} is not installed beside {sys.executable}: pip install -e '.[dask]'")
    _dask_bytes.install()
    if args.files_per_partition is None:
        from newsarticle.dask import DEFAULT_FILES_PER_PARTITION

        args.files_per_partition = DEFAULT_FILES_PER_PARTITION
    from corpus import write_corpus  # type: ignore[import-not-found,unused-ignore]

    load_before = os.getloadavg()
    print(describe_machine())
    with tempfile.TemporaryDirectory(prefix="bench-dask-", dir=args.dir) as temporary:
        work = Path(temporary)
        corpus = work / "corpus"
        write_corpus(corpus, count, seed=args.seed)
        input_bytes = sum(path.stat().st_size for path in corpus.iterdir())
        print(f"{count:,} articles, {input_bytes / 1e6:.1f} MB, in {corpus}")
        cluster = Cluster(work / "cluster")
        try:
            best: dict[str, dict[str, Any]] = {}
            for _ in range(repeat):
                for case in cases:  # the cases take turns, so load from elsewhere hits all alike
                    row = run_case(case, cluster, corpus, work, count=count, per_partition=args.files_per_partition)
                    print(f"  {row['what']}: {row['seconds']:.1f} s", flush=True)
                    if case not in best or row["seconds"] < best[case]["seconds"]:
                        best[case] = row
        finally:
            cluster.close()
    rows = [best[case] for case in cases]
    print_table(rows, count)
    print(f"load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}")
    path = write_results(
        "dask",
        {
            "command": command_line(),
            "articles": count,
            "input_bytes": input_bytes,
            "input_bytes_per_article": input_bytes / count,
            "repeat": repeat,
            "files_per_partition": args.files_per_partition,
            "cluster": "dask scheduler + 2 x dask worker --nthreads 1 (with nanny), 127.0.0.1",
            "load_average_before": load_before,
            "network_counting": "payload bytes per socket, Tornado IOStream read_from_fd/write_to_fd (_dask_bytes.py)",
            "results": rows,
        },
    )
    print(f"written to {path}")


if __name__ == "__main__":
    main()
