"""The kill test: thousands of files, something killed mid-run, and a rerun that completes the same tree.

A worker killed from outside (as the out-of-memory killer does), the command
itself killed with SIGKILL, and the command stopped with SIGTERM: each run
ends (no hang), leaves only whole outputs, and running the same command again
(without ``--force``) completes a tree byte-identical to a run that nobody
interrupted, with no temporary file anywhere.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from processes import finish

#: The output folder's manifest of how each output was made (docs/cli.md): not an output.
MANIFEST = ".newsarticle-manifest.json"

pytestmark = pytest.mark.slow

DATA = Path(__file__).parent / "data"
COUNT = 4000


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """COUNT small articles in 40 folders, and the tree a clean ``-t html -j 2`` run makes of them."""
    base = tmp_path_factory.mktemp("kill")
    folder = base / "in"
    sources = sorted(DATA.glob("*.txt"))
    for number in range(COUNT):
        target = folder / f"{number % 40:02d}" / f"{number:05d}.txt"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(sources[number % len(sources)], target)
    clean = base / "clean"
    result = subprocess.run(command(folder, clean), capture_output=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    return folder, tree(clean)


def command(inputs: Path, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "newsarticle",
        "convert",
        str(inputs),
        "-t",
        "html",
        "-o",
        str(out),
        "-j",
        "2",
        *extra,
    ]


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name != MANIFEST
    }


def temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob(".*") if p.name.endswith(".tmp")]


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command name (2nd field) is in parentheses and may hold spaces: the parent comes after ")".
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def start_and_wait(arguments: list[str], out: Path, written: int = 300) -> subprocess.Popen[bytes]:
    """Start the command; return once it has written ``written`` outputs (well into the run)."""
    process = subprocess.Popen(arguments, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while sum(1 for _ in out.rglob("*.html")) < written:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the command made no progress"
        time.sleep(0.01)
    return process


def check_whole_and_rerun(inputs: Path, out: Path, clean: dict[str, bytes], report: Path) -> None:
    partial = tree(out)
    assert all(clean[name] == data for name, data in partial.items() if not name.rpartition("/")[2].startswith("."))
    rerun = subprocess.run(command(inputs, out, "--errors", str(report)), capture_output=True, timeout=600, check=False)
    assert rerun.returncode == 0, rerun.stderr
    assert tree(out) == clean
    assert temporaries(out.parent) == []


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the workers through /proc")
def test_a_worker_killed_mid_run(corpus: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    inputs, clean = corpus
    out, report = tmp_path / "out", tmp_path / "errors.jsonl"
    process = start_and_wait(command(inputs, out, "--errors", str(report)), out)
    workers = children(process.pid)
    assert len(workers) == 2, workers
    os.kill(workers[0], signal.SIGKILL)
    _stdout, stderr = finish(process, 120)

    assert process.returncode == 1, stderr
    records = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 1
    assert records[0]["code"] == "worker"
    assert "the worker processing it was killed (signal 9, SIGKILL" in records[0]["message"]
    lost = records[0]["path"]
    assert f"{lost}: error: worker: " in stderr.decode()
    # Killed at a random moment: the lost file's output is missing, or whole if the kill came just after writing it.
    output = Path(lost).relative_to(inputs).with_suffix(".html").as_posix()
    assert tree(out).get(output, clean[output]) == clean[output]
    assert f"{COUNT - 1:,} converted, 1 failed, 0 skipped".encode() in stderr  # a new worker took over
    check_whole_and_rerun(inputs, out, clean, report)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the workers through /proc")
def test_the_command_killed_mid_run(corpus: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    inputs, clean = corpus
    out, report = tmp_path / "out", tmp_path / "errors.jsonl"
    process = start_and_wait(command(inputs, out, "--errors", str(report)), out)
    workers = children(process.pid)
    assert workers
    process.kill()
    finish(process, 60)
    deadline = time.monotonic() + 20
    while any(alive(pid) for pid in workers):
        assert time.monotonic() < deadline, "the workers outlived the command"
        time.sleep(0.05)
    check_whole_and_rerun(inputs, out, clean, report)


def test_sigterm_mid_run(corpus: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    inputs, clean = corpus
    out, report = tmp_path / "out", tmp_path / "errors.jsonl"
    process = start_and_wait(command(inputs, out, "--errors", str(report)), out)
    process.send_signal(signal.SIGTERM)
    _stdout, stderr = finish(process, 120)
    assert process.returncode == 143, stderr
    assert b"newsarticle: interrupted: " in stderr
    assert report.exists()  # written whole, and empty: nothing failed
    assert report.read_bytes() == b""
    converted = int(stderr.split(b"interrupted: ")[1].split(b" converted")[0].replace(b",", b""))
    assert converted == len(tree(out))  # every whole file is counted
    check_whole_and_rerun(inputs, out, clean, report)
