"""``convert --scheduler``: the same conversion on a Dask cluster gives the same tree as local workers."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import LocalCluster

from processes import finish

pytestmark = pytest.mark.slow  # a Dask cluster of worker processes, and the command in a process of its own
#: The output folder's manifest of how each output was made (docs/cli.md): not an output.
MANIFEST = ".newsarticle-manifest.json"

DATA = Path(__file__).parent / "data"
SCRIPT = Path(sys.executable).with_name("newsarticle")
COMMAND = str(SCRIPT) if SCRIPT.exists() else (shutil.which("newsarticle") or "newsarticle")
UNREACHABLE = "tcp://127.0.0.1:9"  # the discard port: nothing listens there


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    # Two worker processes on this machine: a real scheduler, real pickling, real worker imports.
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def run(*arguments: str, scheduler_timeout: str | None = None) -> subprocess.CompletedProcess[bytes]:
    environment = dict(os.environ)
    if scheduler_timeout is not None:
        environment["NEWSARTICLE_SCHEDULER_TIMEOUT"] = scheduler_timeout
    return subprocess.run([COMMAND, *arguments], capture_output=True, timeout=300, check=False, env=environment)


def tree(folder: Path) -> dict[str, bytes]:
    """The outputs: without a local run's manifest or a cluster run's partition records."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MANIFEST and p.relative_to(folder).parts[0] != "_newsarticle"
    }


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    for source in DATA.glob("*.txt"):
        target = folder / source.name[:3] / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    (folder / "bad").mkdir()
    (folder / "bad" / "impossible.txt").write_text("Lokales\nÜberschrift\n2025-13-45\n\nText.\n", encoding="utf-8")
    (folder / "bad" / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    return folder


def test_a_cluster_converts_the_same_tree_as_local_workers(scheduler: str, inputs: Path, tmp_path: Path) -> None:
    (inputs / "link.txt").symlink_to(next(DATA.glob("*.txt")))  # skipped by both, with the same warning
    local = run("convert", str(inputs), "-t", "html", "-s", "-o", str(tmp_path / "local"), "-j", "1")
    remote = run("convert", str(inputs), "-t", "html", "-s", "-o", str(tmp_path / "dask"), "--scheduler", scheduler)
    assert local.returncode == remote.returncode == 1  # the two bad files fail on both, the rest convert
    converted = tree(tmp_path / "dask")
    assert len(converted) == len(list(DATA.glob("*.txt")))
    assert converted == tree(tmp_path / "local")
    # The same messages, warnings and errors, for the same files: the cluster's come a partition at a time.
    assert _messages(remote.stderr) == _messages(local.stderr)
    assert b"link.txt: warning: symlink: skipped: a symbolic link to a file, not followed" in remote.stderr
    assert b"impossible.txt:3:1: error: invalid-date" in remote.stderr
    assert b"40 converted, 2 failed, 1 skipped" in remote.stderr


def _messages(stderr: bytes) -> set[str]:
    """The files' warnings and errors (not the summary's lines, which start with newsarticle:)."""
    lines = stderr.decode().splitlines()
    return {
        line for line in lines if not line.startswith("newsarticle:") and (": warning: " in line or ": error: " in line)
    }


def test_the_command_says_what_a_cluster_run_cannot_do(scheduler: str, inputs: Path, tmp_path: Path) -> None:
    article = str(next(DATA.glob("*.txt")))
    (tmp_path / "empty").mkdir()
    cases = {
        ("convert", str(tmp_path / "empty"), "-t", "html", "-o", str(tmp_path / "out")): "nothing to convert",
        ("convert", article, "-t", "html", "-o", str(tmp_path / "a.html")): "writes one file per input into a folder",
        ("convert", article, "-o", str(tmp_path / "out")): "give the format with -t FORMAT",
        ("convert", "-", "-t", "html", "-o", str(tmp_path / "out")): "not standard input",
        ("convert", article, "-t", "html"): "give -o FOLDER",
    }
    for arguments, message in cases.items():
        result = run(*arguments, "--scheduler", scheduler)
        assert (result.returncode, message.encode() in result.stderr) == (2, True), (arguments, result.stderr)
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "a.html").exists()


def test_fail_fast_stops_a_cluster_run_at_the_first_failure(scheduler: str, inputs: Path, tmp_path: Path) -> None:
    many(inputs / "more", 300)  # after bad/: 128 files or more, two a partition, and most not started yet
    result = run(
        "convert", str(inputs), "-t", "html", "-o", str(tmp_path / "out"), "--fail-fast", "--scheduler", scheduler
    )
    assert result.returncode == 1, result.stderr
    assert b"stopped at the first failure (--fail-fast)" in result.stderr
    # The partitions' records are read in order: the summary ends at the partition of the first bad file.
    assert 1 <= len(_messages(result.stderr)) <= 2
    converted = int(re.search(rb"(\d+) converted", result.stderr).group(1))  # type: ignore[union-attr]
    assert converted < 60  # none of more/, which comes after bad/


def test_relative_paths_mean_the_command_s_folder_not_the_workers(scheduler: str, inputs: Path, tmp_path: Path) -> None:
    # The workers run in pytest's working folder; the command in another, naming its files relative to it.
    assert Path.cwd() != tmp_path
    result = subprocess.run(
        [COMMAND, "convert", "in", "-t", "html", "-o", "out", "--scheduler", scheduler],
        cwd=tmp_path,
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 1, result.stderr  # the two bad files
    assert b"in/bad/impossible.txt:3:1: error: invalid-date:" in result.stderr  # named as the user gave them
    local = run("convert", str(inputs), "-t", "html", "-o", str(tmp_path / "local"), "-j", "1", "-q")
    assert local.returncode == 1
    assert tree(tmp_path / "out") == tree(tmp_path / "local")
    assert len(tree(tmp_path / "out")) == len(list(DATA.glob("*.txt")))


def test_a_rerun_on_the_cluster_skips_what_exists(scheduler: str, inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run("convert", str(inputs), "-t", "json", "-o", str(out), "--scheduler", scheduler, "-q")
    assert first.returncode == 1
    assert b"newsarticle:" not in first.stderr  # -q: the two files' errors only, as a local run
    again = run("convert", str(inputs), "-t", "json", "-o", str(out), "--scheduler", scheduler)
    assert b"0 converted, 2 failed, 40 skipped" in again.stderr  # the failures are failures again
    assert again.returncode == 1


def test_jsonl_lines_come_back_from_the_workers_in_input_order(scheduler: str, inputs: Path, tmp_path: Path) -> None:
    # On a cluster -t jsonl writes a folder of shards, one per partition; concatenated, they are the local file.
    local = run("convert", str(inputs), "-t", "jsonl", "-o", str(tmp_path / "local.jsonl"), "-j", "1", "-q")
    remote = run("convert", str(inputs), "-t", "jsonl", "-o", str(tmp_path / "dask"), "--scheduler", scheduler)
    assert local.returncode == remote.returncode == 1, remote.stderr
    lines = _shards(tmp_path / "dask")
    assert lines == (tmp_path / "local.jsonl").read_bytes()
    assert lines.count(b"\n") == 40
    refused = run("convert", str(inputs), "-t", "jsonl", "-o", str(tmp_path / "dask.jsonl"), "--scheduler", scheduler)
    assert refused.returncode == 2
    assert b"writes a folder of shards" in refused.stderr


def test_an_unreachable_scheduler_is_a_usage_error(inputs: Path, tmp_path: Path) -> None:
    arguments = ["convert", str(inputs), "-t", "html", "-o", str(tmp_path / "out"), "--scheduler", UNREACHABLE]
    start = time.monotonic()
    result = run(*arguments, scheduler_timeout="1")
    assert result.returncode == 2
    assert b"cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.stderr
    assert not (tmp_path / "out").exists()
    assert time.monotonic() - start < 8  # not the default 10 s wait


def test_a_scheduler_timeout_that_is_no_number_is_a_usage_error(inputs: Path, tmp_path: Path) -> None:
    arguments = ["convert", str(inputs), "-t", "html", "-o", str(tmp_path / "out"), "--scheduler", UNREACHABLE]
    result = run(*arguments, scheduler_timeout="soon")
    assert result.returncode == 2
    assert b"NEWSARTICLE_SCHEDULER_TIMEOUT='soon' is not a number of seconds" in result.stderr


def test_an_address_dask_cannot_speak_is_refused_at_once(inputs: Path, tmp_path: Path) -> None:
    for address, message in (("nope://x", b"nope://x"), ("tcp://127.0.0.1", b"names its port")):
        start = time.monotonic()
        result = run("convert", str(inputs), "-t", "html", "-o", str(tmp_path / "out"), "--scheduler", address)
        assert (result.returncode, message in result.stderr) == (2, True), result.stderr
        assert b"Traceback" not in result.stderr
        assert time.monotonic() - start < 8  # refused at once, not after Dask's timeouts


# -- a cluster of separate processes, to lose its parts ------------------------------------------------

# Loaded by each worker (dask worker --preload): every file takes a little while, so that a run lasts long
# enough to lose the scheduler in the middle; a file with HAZARD-KILL kills the worker process reading it.
PRELOAD = """
import os, signal, time
from newsarticle._batch import work

# Dask imports a preload twice (it reloads it): wrap the original parse, never the wrapper.
_parse = work.__dict__.setdefault("_unwrapped_parse", work.parse)

def parse(data, *args, **kwargs):
    if b"HAZARD-KILL" in data:
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(0.02)
    return _parse(data, *args, **kwargs)

work.parse = parse  # what each worker calls for a file

# The same for newsarticle.dask.convert's reading (convert --scheduler with a collection format or URLs).
import newsarticle.dask as api
_api_parse = api.__dict__.setdefault("_unwrapped_parse", api.parse)

def api_parse(data, *args, **kwargs):
    if b"HAZARD-KILL" in data:
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(0.02)
    return _api_parse(data, *args, **kwargs)

api.parse = api_parse
"""


class Cluster:
    """A scheduler and two single-threaded workers, each its own process, found through a scheduler file."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir()
        dask = str(Path(sys.executable).with_name("dask"))
        preload = folder / "slow_preload.py"
        preload.write_text(PRELOAD, encoding="utf-8")
        info = folder / "scheduler.json"
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        self.scheduler = subprocess.Popen(
            [dask, "scheduler", "--scheduler-file", str(info), "--port", "0", "--no-dashboard"], **quiet
        )
        deadline = time.monotonic() + 60
        while not info.exists() or not info.read_text(encoding="utf-8").strip():
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.1)
        self.address = json.loads(info.read_text(encoding="utf-8"))["address"]
        self.workers = [
            subprocess.Popen(
                [
                    dask,
                    "worker",
                    "--scheduler-file",
                    str(info),
                    "--nthreads",
                    "1",
                    "--no-dashboard",
                    "--preload",
                    str(preload),
                ],
                **quiet,
            )
            for _ in range(2)
        ]
        from distributed import Client

        with Client(self.address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=60)

    def close(self) -> None:
        for process in [*self.workers, self.scheduler]:
            if process.poll() is None:
                process.terminate()
        for process in [*self.workers, self.scheduler]:
            try:
                process.wait(timeout=10)  # a worker whose scheduler is gone may not close gracefully at all
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    started = Cluster(tmp_path / "cluster")
    yield started
    started.close()


def many(folder: Path, count: int) -> Path:
    sources = sorted(DATA.glob("*.txt"))
    for number in range(count):
        target = folder / f"{number % 8}" / f"{number:05d}.txt"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(sources[number % len(sources)], target)
    return folder


def test_a_lost_scheduler_ends_the_run_with_the_files_in_flight_failed(cluster: Cluster, tmp_path: Path) -> None:
    format_name = "source"
    inputs = many(tmp_path / "in", 2000)  # 20 ms a file on two workers: about 20 s
    out = tmp_path / "out"
    report = tmp_path / "errors.jsonl"
    command = [COMMAND, "convert", str(inputs), "-t", format_name, "-o", str(out), "--scheduler", cluster.address]
    environment = {**os.environ, "NEWSARTICLE_SCHEDULER_TIMEOUT": "2"}
    process = subprocess.Popen(
        [*command, "--errors", str(report)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
        start_new_session=True,
    )
    time.sleep(6)  # connected and converting
    assert process.poll() is None
    cluster.scheduler.send_signal(signal.SIGKILL)
    _stdout, stderr = finish(process, 60)

    assert process.returncode == 3, stderr  # its own exit status (docs/cli.md)
    assert b"Traceback" not in stderr
    assert f"error: the connection to the Dask scheduler at {cluster.address} was lost".encode() in stderr
    assert b"partitions not committed are left for a rerun" in stderr
    assert report.exists()  # the failures that came back before: none in this corpus
    # The workers outlive their scheduler and finish the partition they are on, each file written whole:
    # a temporary file may still be on its way to its name when the command ends, never left behind.
    deadline = time.monotonic() + 20
    while list(tmp_path.rglob(".*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not list(tmp_path.rglob(".*.tmp")), "temporary files left"
    assert 0 < len(list(out.rglob("*.txt"))) < 2000


def test_a_scheduler_that_stops_answering_ends_the_run(cluster: Cluster, tmp_path: Path) -> None:
    inputs = many(tmp_path / "in", 2000)  # 20 ms a file on two workers: about 20 s
    command = [
        COMMAND,
        "convert",
        str(inputs),
        "-t",
        "html",
        "-o",
        str(tmp_path / "out"),
        "--scheduler",
        cluster.address,
    ]
    environment = {**os.environ, "NEWSARTICLE_SCHEDULER_TIMEOUT": "2"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment, start_new_session=True
    )
    time.sleep(6)  # connected and converting
    assert process.poll() is None
    cluster.scheduler.send_signal(signal.SIGSTOP)  # hung: its connections stay open, nothing answers
    try:
        _stdout, stderr = finish(process, 60)
    finally:
        cluster.scheduler.send_signal(signal.SIGCONT)
    assert process.returncode == 3, stderr
    assert f"error: the Dask scheduler at {cluster.address} did not answer within 2 s".encode() in stderr
    assert b"Traceback" not in stderr


def _shards(folder: Path) -> bytes:
    parts = sorted(folder.glob("part-*.jsonl"))
    assert [part.name for part in parts] == [f"part-{index:05d}.jsonl" for index in range(len(parts))]
    return b"".join(part.read_bytes() for part in parts)


def test_shards_survive_a_lost_scheduler_and_a_rerun_completes_them(tmp_path: Path) -> None:
    inputs = many(tmp_path / "in", 2000)  # 20 ms a file, 16 files a partition: about 0.3 s each
    shards, report = tmp_path / "shards", tmp_path / "errors.jsonl"
    first = Cluster(tmp_path / "first")
    try:
        command = [COMMAND, "convert", str(inputs), "-t", "jsonl", "-o", str(shards), "--scheduler", first.address]
        process = subprocess.Popen(
            [*command, "--errors", str(report)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "NEWSARTICLE_SCHEDULER_TIMEOUT": "2"},
            start_new_session=True,
        )
        time.sleep(6)  # on two workers, a few partitions committed by now, most of them not
        assert process.poll() is None
        first.scheduler.send_signal(signal.SIGKILL)
        _stdout, stderr = finish(process, 60)
    finally:
        first.close()  # its workers: a partition they were on is not committed
    assert process.returncode == 3, stderr
    assert b"Traceback" not in stderr
    assert f"error: the connection to the Dask scheduler at {first.address} was lost".encode() in stderr
    assert b"partitions not committed are left for a rerun" in stderr
    assert report.exists()
    records = [json.loads(path.read_bytes()) for path in (shards / "_newsarticle").glob("part-*.json")]
    assert 0 < len(records) == len(list(shards.glob("part-*.jsonl"))) < 125

    second = Cluster(tmp_path / "second")
    try:
        rerun = run("convert", str(inputs), "-t", "jsonl", "-o", str(shards), "--scheduler", second.address)
    finally:
        second.close()
    assert rerun.returncode == 0, rerun.stderr
    kept = sum(len(record["inputs"]) for record in records)
    assert f"{kept:,} skipped".encode() in rerun.stderr  # what the first run committed is kept
    local = run("convert", str(inputs), "-o", str(tmp_path / "local.jsonl"), "-q")
    assert local.returncode == 0
    assert _shards(shards) == (tmp_path / "local.jsonl").read_bytes()
    assert not list(shards.rglob(".*.tmp")), "temporary files left"


def test_shards_survive_a_killed_worker(cluster: Cluster, tmp_path: Path) -> None:
    inputs = many(tmp_path / "in", 2000)
    shards = tmp_path / "shards"
    command = [COMMAND, "convert", str(inputs), "-t", "jsonl", "-o", str(shards), "--scheduler", cluster.address]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    time.sleep(8)
    assert process.poll() is None
    cluster.workers[0].send_signal(signal.SIGKILL)  # as the OOM killer would
    _stdout, stderr = finish(process, 120)
    assert process.returncode == 0, stderr  # Dask ran the lost partition again on the other worker
    # Partitions Dask computed again after the loss find this run's own records: converted, not skipped.
    assert b" 0 skipped" in stderr
    local = run("convert", str(inputs), "-o", str(tmp_path / "local.jsonl"), "-q")
    assert local.returncode == 0
    assert _shards(shards) == (tmp_path / "local.jsonl").read_bytes()
    assert not list(shards.rglob(".*.tmp")), "temporary files left"


def test_a_lost_worker_fails_only_its_chunk(cluster: Cluster, inputs: Path, tmp_path: Path) -> None:
    (inputs / "bad" / "killer.txt").write_text("Lokales\nHAZARD-KILL\n2025-02-27\n\nText.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("convert", str(inputs), "-t", "html", "-o", str(out), "--scheduler", cluster.address)
    assert result.returncode == 1
    lost = [line for line in result.stderr.decode().splitlines() if ": worker: the worker failed" in line]
    assert any("killer.txt" in line for line in lost)
    assert len(lost) == 1  # its partition (43 files: one a partition), not the batch
    # Every other good file is converted (files of the lost chunk done before the killer may be too).
    written = {path.relative_to(out).with_suffix(".txt") for path in out.rglob("*.html")}
    for source in inputs.rglob("*.txt"):
        if source.parent.name != "bad" and not any(str(source) in line for line in lost):
            assert source.relative_to(inputs) in written


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_a_run_on_the_cluster(cluster: Cluster, tmp_path: Path, signum: int, status: int) -> None:
    inputs = many(tmp_path / "in", 2000)
    out, report = tmp_path / "out", tmp_path / "errors.jsonl"
    command = [COMMAND, "convert", str(inputs), "-t", "jsonl", "-o", str(out), "--scheduler", cluster.address]
    process = subprocess.Popen(
        [*command, "--errors", str(report)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    time.sleep(6)
    assert process.poll() is None
    process.send_signal(signum)
    _stdout, stderr = finish(process, 60)
    assert process.returncode == status, stderr
    assert b"newsarticle: interrupted: " in stderr
    assert b"Traceback" not in stderr
    assert report.exists()
    # What the workers committed before the signal is whole, each shard with its record; not everything was.
    shards = sorted(path.stem for path in out.glob("part-*.jsonl"))
    assert shards == sorted(path.stem for path in out.glob("_newsarticle/part-*.json"))
    assert len(shards) < 125  # 2,000 files, 16 a partition
    deadline = time.monotonic() + 30  # the workers finish the partition they are on, then its file goes
    while list(tmp_path.rglob(".*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.2)
