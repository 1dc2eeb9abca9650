"""``convert --scheduler``: the same conversion on a Dask cluster gives the same tree as local workers."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import LocalCluster

DATA = Path(__file__).parent / "data"
SCRIPT = Path(sys.executable).with_name("newsarticle")
COMMAND = str(SCRIPT) if SCRIPT.exists() else (shutil.which("newsarticle") or "newsarticle")


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    # Two worker processes on this machine: a real scheduler, real pickling, real worker imports.
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def run(*arguments: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([COMMAND, *arguments], capture_output=True, timeout=300, check=False)


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


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
    local = run("convert", str(inputs), "-t", "html", "-s", "-o", str(tmp_path / "local"), "-j", "1", "-q")
    remote = run("convert", str(inputs), "-t", "html", "-s", "-o", str(tmp_path / "dask"), "--scheduler", scheduler)
    assert local.returncode == remote.returncode == 1  # the two bad files fail on both, the rest convert
    converted = tree(tmp_path / "dask")
    assert len(converted) == len(list(DATA.glob("*.txt")))
    assert converted == tree(tmp_path / "local")
    assert b"impossible.txt:3:1" in remote.stderr
    assert b"binary.txt" in remote.stderr
    assert b"42 converted" not in remote.stderr
    assert b"40 converted, 2 failed, 0 skipped" in remote.stderr


def test_a_rerun_on_the_cluster_skips_what_exists(scheduler: str, inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run("convert", str(inputs), "-t", "json", "-o", str(out), "--scheduler", scheduler, "-q")
    again = run("convert", str(inputs), "-t", "json", "-o", str(out), "--scheduler", scheduler)
    assert b"0 converted, 2 failed, 40 skipped" in again.stderr


def test_jsonl_lines_come_back_from_the_workers_in_input_order(scheduler: str, inputs: Path, tmp_path: Path) -> None:
    local = run("convert", str(inputs), "-t", "jsonl", "-o", str(tmp_path / "local.jsonl"), "-j", "1", "-q")
    remote = run("convert", str(inputs), "-t", "jsonl", "-o", str(tmp_path / "dask.jsonl"), "--scheduler", scheduler)
    assert local.returncode == remote.returncode == 1
    lines = (tmp_path / "dask.jsonl").read_bytes()
    assert lines == (tmp_path / "local.jsonl").read_bytes()
    assert lines.count(b"\n") == 40


def test_an_unreachable_scheduler_is_a_usage_error(inputs: Path, tmp_path: Path) -> None:
    result = run("convert", str(inputs), "-t", "html", "-o", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:9")
    assert result.returncode == 2
    assert b"cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_address_dask_cannot_speak_is_refused_at_once(inputs: Path, tmp_path: Path) -> None:
    result = run("convert", str(inputs), "-t", "html", "-o", str(tmp_path / "out"), "--scheduler", "nope://x")
    assert result.returncode == 2
    assert b"nope://x" in result.stderr
    assert b"Traceback" not in result.stderr
