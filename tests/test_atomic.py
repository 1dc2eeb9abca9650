"""Atomic outputs on hostile disks: full, read-only, too small for a file, long names, killed writers."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mounts import mounted
from newsarticle import _atomic, parse, unparse
from newsarticle._atomic import AtomicFile, is_temporary, remove_stale, write_atomic
from newsarticle._batch.manifest import MANIFEST_NAME

pytestmark = pytest.mark.slow  # most tests fill a mounted disk or run the command in a process of its own

SCRIPT = Path(sys.executable).with_name("newsarticle")
COMMAND = str(SCRIPT) if SCRIPT.exists() else (shutil.which("newsarticle") or "newsarticle")
DISK = 64 * 1024


def article(number: int) -> str:
    """A valid article of about 8 KB."""
    sentence = "Der Stadtrat hat am Mittwoch über die Kosten für die Schule und den Radweg beraten."
    body = "\n\n".join(f"{sentence} Absatz {index} von Artikel {number}. " * 8 for index in range(10))
    return f"Lokales\nArtikel {number}\n2025-03-{1 + number % 28:02d}\n\n{body}\n"


def corpus(folder: Path, count: int, *, bad: int = 1) -> Path:
    """``count`` articles and ``bad`` empty files (each a failure for the error report)."""
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (folder / f"{number:05d}.txt").write_text(article(number), encoding="utf-8")
    for number in range(bad):
        # Named to come first: a run that stops early has reported it.
        (folder / f"0-empty-{number}.txt").write_bytes(b"")
    return folder


def run(*args: str | os.PathLike[str], file_size: int | None = None) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        # Writing past RLIMIT_FSIZE raises SIGXFSZ, which kills; ignored, the write fails with EFBIG.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        assert file_size is not None
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))

    return subprocess.run(
        [COMMAND, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        preexec_fn=limit if file_size is not None else None,
    )


def leftovers(folder: Path) -> list[str]:
    return [name for name in os.listdir(folder) if is_temporary(name)]


def tmpfs(folder: Path, size: int = DISK) -> contextlib.AbstractContextManager[Path]:
    """A file system of ``size`` bytes at ``folder``: a full disk on demand (needs root, as in CI)."""
    return mounted(folder, "-t", "tmpfs", "-o", f"size={size}", "tmpfs")


def read_only(folder: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)


def fill(folder: Path) -> None:
    """Take every free byte of ``folder``'s file system."""
    with open(folder / "filler", "wb", buffering=0) as file, contextlib.suppress(OSError):
        while True:
            file.write(b"\0" * 4096)


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    with tmpfs(tmp_path / "disk") as folder:
        yield folder


# -- names ------------------------------------------------------------------------

LONG_NAMES = {
    "ascii": "a" * 250 + ".html",
    "two-byte": "é" * 125 + ".html",  # 250 + 5 bytes
    "three-byte": "€" * 83 + "x.html",  # 249 + 6 bytes
    "four-byte": "😀" * 62 + "xx.html",  # 248 + 7 bytes
    "not-utf-8": os.fsdecode(b"\xe9" * 250 + b".html"),  # Latin-1 bytes, surrogate-escaped
}


@pytest.mark.parametrize("name", LONG_NAMES.values(), ids=LONG_NAMES.keys())
def test_a_name_at_the_file_system_limit_is_written(tmp_path: Path, name: str) -> None:
    assert len(os.fsencode(name)) == 255
    write_atomic(str(tmp_path / name), b"whole")
    stream = AtomicFile(str(tmp_path / ("s" + name[1:])))
    stream.write(b"streamed")
    stream.commit()
    assert (tmp_path / name).read_bytes() == b"whole"
    assert (tmp_path / ("s" + name[1:])).read_bytes() == b"streamed"
    assert leftovers(tmp_path) == []


FILE_NAMES = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="/\0"), min_size=1, max_size=300),
    # Names that are not UTF-8 reach Python surrogate-escaped, one character per byte.
    st.binary(min_size=1, max_size=300).filter(lambda b: b"/" not in b and b"\0" not in b).map(os.fsdecode),
)


@given(FILE_NAMES)
def test_a_temporary_name_is_never_longer_than_its_target_allows(name: str) -> None:
    temporary = _atomic._temporary_name(name)
    size = len(os.fsencode(temporary))
    assert size <= max(len(os.fsencode(name)), _atomic.SHORT_NAME)
    assert is_temporary(temporary)
    # The target's part is cut on a character boundary, and the writer is this process.
    embedded, _, writer = temporary[1:].rpartition(".")[0].rpartition(".")
    assert name.startswith(embedded)
    assert writer.split("-")[:2] == [_atomic._host(), str(os.getpid())]
    match = _atomic._OURS.match(temporary)
    assert match is not None
    assert (match["host"], match["pid"]) == (_atomic._host(), str(os.getpid()))


# -- full and read-only disks, the library --------------------------------------------


def test_write_atomic_on_a_full_disk_leaves_the_target_and_no_temporary_file(disk: Path) -> None:
    target = disk / "a.html"
    target.write_bytes(b"previous")
    with pytest.raises(OSError, match="No space left") as raised:
        write_atomic(str(target), b"x" * (2 * DISK))  # fails while writing
    assert raised.value.errno == errno.ENOSPC
    assert raised.value.filename == str(target)
    fill(disk)
    with pytest.raises(OSError, match="No space left") as raised:
        write_atomic(str(target), b"x" * 100)  # buffered: fails when closing
    assert raised.value.errno == errno.ENOSPC
    assert raised.value.filename == str(target)
    assert target.read_bytes() == b"previous"
    assert leftovers(disk) == []


def test_a_failed_stream_write_removes_its_temporary_file_at_once(disk: Path) -> None:
    target = disk / "corpus.jsonl"
    target.write_bytes(b"previous\n")
    stream = AtomicFile(str(target))
    with pytest.raises(OSError, match="No space left") as raised:
        stream.write(b"x" * (2 * DISK))
    assert (raised.value.errno, raised.value.filename) == (errno.ENOSPC, str(target))
    assert stream.closed
    assert leftovers(disk) == []  # the space is back for the other outputs
    stream.discard()  # a caller's cleanup still runs
    assert target.read_bytes() == b"previous\n"


def test_a_failed_rename_names_the_target(tmp_path: Path) -> None:
    target = tmp_path / "folder"
    (target / "inside").mkdir(parents=True)  # os.replace cannot put a file over a non-empty folder
    stream = AtomicFile(str(target))
    stream.write(b"data")
    with pytest.raises(OSError, match=r"Directory not empty|File exists|Is a directory") as raised:
        stream.commit()
    assert raised.value.filename == str(target)
    with pytest.raises(OSError, match=r"Directory not empty|File exists|Is a directory") as raised:
        write_atomic(str(target), b"data")
    assert raised.value.filename == str(target)
    assert leftovers(tmp_path) == []


# -- full and read-only disks, the command ----------------------------------------------


def check_corpus_failed(result: subprocess.CompletedProcess[str], output: Path, reason: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"newsarticle: error: cannot write {output}: {reason}" in result.stderr
    assert output.read_text(encoding="utf-8") == "previous\n"
    assert leftovers(output.parent) == []


def check_report(report: Path) -> None:
    records = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert [(Path(r["path"]).name, r["code"]) for r in records] == [("0-empty-0.txt", "empty")]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_jsonl_on_a_full_disk_fails_cleanly_and_still_writes_the_report(tmp_path: Path, disk: Path, jobs: str) -> None:
    inputs = corpus(tmp_path / "in", 30)
    output, report = disk / "corpus.jsonl", tmp_path / "report.jsonl"
    output.write_text("previous\n", encoding="utf-8")
    result = run("convert", inputs, "-o", output, "--force", "--errors", report, "-j", jobs)
    check_corpus_failed(result, output, "No space left on device")
    check_report(report)


def test_jsonl_over_the_file_size_limit_fails_cleanly(tmp_path: Path) -> None:
    """EFBIG, without a mount: RLIMIT_FSIZE in the command's process."""
    inputs = corpus(tmp_path / "in", 30)
    output, report = tmp_path / "out" / "corpus.jsonl", tmp_path / "report.jsonl"
    output.parent.mkdir()
    output.write_text("previous\n", encoding="utf-8")
    result = run("convert", inputs, "-o", output, "--force", "--errors", report, "-j", "1", file_size=DISK)
    check_corpus_failed(result, output, "File too large")
    check_report(report)


def test_jsonl_that_fails_when_committed_fails_cleanly(tmp_path: Path, disk: Path) -> None:
    """A corpus smaller than the write buffer: the disk-full error comes from close(), in commit."""
    inputs = corpus(tmp_path / "in", 0)
    (inputs / "one.txt").write_text("Lokales\nKurz\n2025-03-01\n\nEin Satz.\n", encoding="utf-8")
    output, report = disk / "corpus.jsonl", tmp_path / "report.jsonl"
    output.write_text("previous\n", encoding="utf-8")
    fill(disk)
    result = run("convert", inputs, "-o", output, "--force", "--errors", report)
    check_corpus_failed(result, output, "No space left on device")
    check_report(report)


def test_jsonl_into_a_read_only_folder_fails_cleanly(tmp_path: Path, disk: Path) -> None:
    inputs = corpus(tmp_path / "in", 3)
    output, report = disk / "corpus.jsonl", tmp_path / "report.jsonl"
    output.write_text("previous\n", encoding="utf-8")
    read_only(disk)
    result = run("convert", inputs, "-o", output, "--force", "--errors", report)
    check_corpus_failed(result, output, "Read-only file system")
    assert not report.exists()  # the run stopped before its first file: no report claims otherwise


@pytest.mark.parametrize("fault", ["read-only", "full"])
def test_a_report_that_cannot_be_written_fails_the_run_but_not_the_corpus(
    tmp_path: Path, disk: Path, fault: str
) -> None:
    inputs = corpus(tmp_path / "in", 3)
    output, report = tmp_path / "corpus.jsonl", disk / "report.jsonl"
    report.write_text("previous\n", encoding="utf-8")
    if fault == "read-only":
        read_only(disk)
        reason = "Read-only file system"
    else:
        fill(disk)
        reason = "No space left on device"
    result = run("convert", inputs, "-o", output, "--errors", report)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"newsarticle: error: cannot write {report}: {reason}" in result.stderr
    assert report.read_text(encoding="utf-8") == "previous\n"
    assert leftovers(disk) == []
    assert leftovers(tmp_path) == []
    if fault == "full":  # the report failed as it was written: the corpus is whole
        assert len(output.read_text(encoding="utf-8").splitlines()) == 3
    else:  # the report could not even be created: the run stopped before its first file
        assert not output.exists()


# -- writers that are gone ------------------------------------------------------------


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_remove_stale_removes_only_the_files_of_writers_that_are_gone(tmp_path: Path) -> None:
    host, old = _atomic._host(), time.time() - _atomic.FOREIGN_STALE_AFTER - 60
    other = f"{(int(host, 16) + 1) % 2**32:08x}"
    stale = {
        f".a.html.{host}-{dead_pid()}-0123abcd.tmp": None,  # this host, writer gone
        f".b.html.{other}-{os.getpid()}-0123abcd.tmp": old,  # another host, untouched for long
    }
    kept = {
        f".d.html.{host}-{os.getpid()}-0123abcd.tmp": old,  # this host, writer alive (however old)
        f".e.html.{other}-{dead_pid()}-0123abcd.tmp": None,  # another host, recent: maybe alive there
        ".f.html.0123abcd.tmp": old,  # no writer named: maybe a user's own file (.thesis.0badcafe.tmp)
        f".g.html.{host}-{dead_pid()}-0123abcX.tmp": old,  # not our pattern
        ".notes.tmp": old,  # somebody else's
        f"h.html.{host}-{dead_pid()}-0123abcd.tmp": old,  # not hidden: not ours
    }
    for name, modified in {**stale, **kept}.items():
        (tmp_path / name).write_bytes(b"partial")
        if modified is not None:
            os.utime(tmp_path / name, (modified, modified))
    folder = tmp_path / f".i.html.{host}-{dead_pid()}-0123abcd.tmp"
    folder.mkdir()  # only regular files are ours
    assert remove_stale(str(tmp_path)) == len(stale)
    assert sorted(os.listdir(tmp_path)) == sorted([*kept, folder.name])
    assert remove_stale(str(tmp_path / "missing")) == 0


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="a zombie is told from /proc, on Linux")
def test_the_file_of_a_zombie_writer_is_stale(tmp_path: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        stat = Path(f"/proc/{child.pid}/stat")
        deadline = time.monotonic() + 30
        while stat.exists() and stat.read_bytes().rpartition(b")")[2].split()[0] != b"Z":
            assert time.monotonic() < deadline
            time.sleep(0.01)
        name = f".a.html.{_atomic._host()}-{child.pid}-0123abcd.tmp"
        (tmp_path / name).write_bytes(b"partial")
        assert remove_stale(str(tmp_path)) == 1
    finally:
        child.wait()


def test_a_rerun_removes_what_a_killed_jsonl_run_left(tmp_path: Path) -> None:
    inputs = corpus(tmp_path / "in", 400, bad=0)
    out = tmp_path / "out"
    out.mkdir()
    output = out / "corpus.jsonl"
    command = [COMMAND, "convert", str(inputs), "-o", str(output), "-j", "1", "-q"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        # Killed once the corpus is past its first buffer, so the temporary file holds a partial corpus.
        while not [n for n in leftovers(out) if (out / n).stat().st_size > 0]:
            assert process.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.01)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    left = leftovers(out)
    assert len(left) == 1
    assert not output.exists()
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert rerun.returncode == 0, rerun.stderr
    assert leftovers(out) == []
    assert len(output.read_text(encoding="utf-8").splitlines()) == 400


def test_per_file_outputs_on_a_full_disk_fail_one_by_one_and_leave_no_temporary_file(
    tmp_path: Path, disk: Path
) -> None:
    inputs = corpus(tmp_path / "in", 30, bad=0)
    out = disk / "out"
    result = run("convert", inputs, "-t", "source", "-o", out, "-j", "2")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "No space left on device" in result.stderr
    written = sorted(p for p in out.iterdir() if p.name != MANIFEST_NAME)
    assert written, "the first files fit"
    assert [p.name for p in written if is_temporary(p.name)] == []
    for path in written:  # every file there is whole
        assert path.read_text(encoding="utf-8") == unparse(parse(article(int(path.stem)))), path


def test_check_with_a_report_in_a_read_only_folder_fails_cleanly(tmp_path: Path, disk: Path) -> None:
    inputs = corpus(tmp_path / "in", 2)
    report = disk / "report.jsonl"
    read_only(disk)
    result = run("check", inputs, "--errors", report)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"newsarticle: error: cannot write {report}: Read-only file system" in result.stderr


def test_a_conversion_to_a_folder_removes_what_killed_runs_left_in_each_output_folder(tmp_path: Path) -> None:
    inputs = corpus(tmp_path / "in", 4, bad=0)
    (inputs / "sub").mkdir()
    (inputs / "sub" / "x.txt").write_text(article(9), encoding="utf-8")
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    host = _atomic._host()
    stale = [
        out / f".a.html.{host}-{dead_pid()}-0123abcd.tmp",
        out / "sub" / f".x.html.{host}-{dead_pid()}-0123abcd.tmp",
    ]
    alive = out / f".b.html.{host}-{os.getpid()}-0123abcd.tmp"
    for path in [*stale, alive]:
        path.write_bytes(b"partial")
    result = run("convert", inputs, "-t", "html", "-o", out, "-j", "1")
    assert result.returncode == 0, result.stderr
    assert not any(path.exists() for path in stale)
    assert alive.exists()  # a live writer's file is not ours to remove
    assert (out / "sub" / "x.html").exists()


def test_workers_start_only_with_the_first_file() -> None:
    # An output that cannot be opened ends the run before its first file; workers started before
    # that were never released, and with -j 2 the command could wait on them for ever at exit.
    import multiprocessing

    from newsarticle._batch import Job, Runner

    outcomes = Runner(Job("check"), jobs=2, interrupted=lambda: False).run(iter(()))
    assert multiprocessing.active_children() == []
    outcomes.close()


@pytest.mark.parametrize("target", ["report", "corpus"])
def test_outputs_that_cannot_be_created_end_a_run_of_several_workers_at_once(
    tmp_path: Path, disk: Path, target: str
) -> None:
    inputs = corpus(tmp_path / "in", 40, bad=0)
    read_only(disk)
    if target == "report":
        arguments = ["-t", "html", "-o", tmp_path / "out", "--errors", disk / "errors.jsonl"]
    else:
        arguments = ["-o", disk / "corpus.jsonl"]
    for _ in range(5):  # the hang was a race, lost about one time in seven
        result = run("convert", inputs, *arguments, "-j", "2")  # a hang fails on run()'s timeout
        assert result.returncode == 1, result.stderr
        assert "Read-only file system; nothing written" in result.stderr
