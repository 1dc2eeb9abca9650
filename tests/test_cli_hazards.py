"""Nothing hangs: a worker killed from outside, a file that never finishes, Ctrl-C and SIGTERM at any moment.

The command runs in a subprocess through a small driver that wraps
the parse that each worker calls so that a marker in an input file misbehaves the way a
hostile or unlucky plugin does: the worker kills itself (as the
out-of-memory killer would), loops forever in Python code, or blocks forever
with every signal held back (as a hang in C code does). Every wait on the
command has a timeout, so a regression fails instead of hanging the suite.
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

pytestmark = pytest.mark.slow  # each test runs the command in a process of its own, and kills or signals it

DATA = Path(__file__).parent / "data"
SOURCES = sorted(DATA.glob("*.txt"))
SIGNAL_NAMES = ["SIGINT", "SIGTERM", "SIGHUP"]  # SIGHUP: the terminal or the ssh session closed
ARTICLE = "Lokales\nÜberschrift {marker}\n2025-02-27\n\nText.\n"

DRIVER = """
import os, signal, sys, time
from newsarticle._batch import work
from newsarticle._cli import main

_parse = work.parse

def parse(data, *args, **kwargs):
    text = data if isinstance(data, str) else data.decode("utf-8", "replace")
    if "HAZARD-KILL" in text:
        os.kill(os.getpid(), signal.SIGKILL)
    if "HAZARD-LOOP" in text:
        while True:
            pass
    if "HAZARD-STUCK" in text:  # what a hang in C code looks like: no signal handler ever runs
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM, signal.SIGINT, signal.SIGTERM})
        time.sleep(3600)
    return _parse(data, *args, **kwargs)

work.parse = parse  # what each worker calls for a file

from newsarticle.renderers import jsonl

_add = jsonl.JsonLinesWriter.add

def add(self, article):  # the collection format's add, which runs in the command itself
    if "HAZARD-ADD-LOOP" in article.headline:
        while True:
            pass
    return _add(self, article)

jsonl.JsonLinesWriter.add = add

if os.environ.get("HAZARD_STOP_AFTER_SEND"):  # a worker stopped between files (kill -STOP, a debugger)
    from newsarticle._batch import workers

    _send = workers._send

    def send(connection, message):
        if message is not None and "-hazard" in message.source and "half-way" in os.environ["HAZARD_STOP_AFTER_SEND"]:
            # The start of a message of 1000 bytes, then the stop: the parent must not wait for the rest.
            os.write(connection.fileno(), (1000).to_bytes(4, "big") + bytes([128]))
            os.kill(os.getpid(), signal.SIGSTOP)
        sent = _send(connection, message)
        if message is not None and "-hazard" in message.source:
            os.kill(os.getpid(), signal.SIGSTOP)
        return sent

    workers._send = send

if os.environ.get("HAZARD_LOOPING_RENDERER"):  # a renderer that never returns, whatever it renders
    from newsarticle import hookimpl, register_plugin

    class LoopingRenderer:
        name = "looping"
        media_type = "text/plain"
        suffix = ".loop"
        description = "Never returns."
        options = ()

        def render(self, article, context):
            while True:
                pass

    class Looping:
        @hookimpl
        def register_renderers(self, register):
            register(LoopingRenderer())

    register_plugin(Looping(), name="looping")

if os.environ.get("HAZARD_SLOW_WRITE"):  # a slow disk: signals arrive while a file is being written
    from newsarticle import _atomic
    from newsarticle._batch import work

    _write = work.write_atomic

    def write_atomic(path, data):
        with _atomic.signals_deferred():
            time.sleep(0.2)
            return _write(path, data)

    work.write_atomic = write_atomic

sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture
def driver(tmp_path: Path) -> list[str]:
    script = tmp_path / "driver.py"
    script.write_text(DRIVER, encoding="utf-8")
    return [sys.executable, str(script)]


def corpus(folder: Path, hazard: str | None, *, at: int = 20) -> Path:
    """The test corpus, with one file holding ``hazard`` sorted at position ``at``."""
    folder.mkdir(parents=True)
    for source in SOURCES:
        shutil.copyfile(source, folder / source.name)
    if hazard is not None:
        name = SOURCES[at].name.replace(".txt", "-hazard.txt")  # sorts right after its neighbour
        (folder / name).write_text(ARTICLE.format(marker=hazard), encoding="utf-8")
    return folder


def hazard_name(folder: Path) -> str:
    return next(str(path) for path in folder.glob("*-hazard.txt"))


def leftovers(folder: Path) -> list[str]:
    return [path.name for path in folder.rglob(".*") if path.name.endswith(".tmp")]


def run(command: list[str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)


def start(command: list[str], **hazards: str) -> subprocess.Popen[str]:
    """The command in a session of its own (``finish`` kills it with its workers), with ``HAZARD_*`` switches set."""
    environment = {**os.environ, **{f"HAZARD_{name.upper()}": value for name, value in hazards.items()}}
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True, env=environment
    )


def records(report: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]


def test_a_worker_killed_from_outside_fails_its_file_and_the_run_ends(driver: list[str], tmp_path: Path) -> None:
    inputs = corpus(tmp_path / "in", "HAZARD-KILL")
    out, report = tmp_path / "out", tmp_path / "errors.jsonl"
    command = [*driver, "convert", str(inputs), "-t", "source", "-o", str(out), "-j", "2", "--errors", str(report)]
    result = run(command)
    assert result.returncode == 1, result.stderr
    lost = hazard_name(inputs)
    assert f"{lost}: error: worker: the worker processing it was killed (signal 9, SIGKILL" in result.stderr
    assert f"{len(SOURCES)} converted, 1 failed, 0 skipped" in result.stderr
    assert len(list(out.glob("*.txt"))) == len(SOURCES)  # the files after it went to a new worker
    assert [(r["path"], r["code"]) for r in records(report)] == [(lost, "worker")]
    assert leftovers(out) == []


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_over_the_time_limit_fails_and_the_run_goes_on(driver: list[str], tmp_path: Path, jobs: str) -> None:
    inputs = corpus(tmp_path / "in", "HAZARD-LOOP")
    out = tmp_path / "out"
    # 3 s: enough for a fresh worker's first file (imports, the locale) on a busy machine; the hazard loops for good.
    result = run([*driver, "convert", str(inputs), "-t", "html", "-o", str(out), "-j", jobs, "--timeout", "3"])
    assert result.returncode == 1, result.stderr
    assert f"{hazard_name(inputs)}: error: timeout: took longer than the time limit of 3 s (--timeout)" in result.stderr
    assert f"{len(SOURCES)} converted, 1 failed, 0 skipped" in result.stderr
    assert len(list(out.glob("*.html"))) == len(SOURCES)


def test_a_file_stuck_outside_python_costs_its_worker_and_the_run_goes_on(driver: list[str], tmp_path: Path) -> None:
    inputs = corpus(tmp_path / "in", "HAZARD-STUCK")
    out = tmp_path / "out"
    result = run([*driver, "convert", str(inputs), "-t", "json", "-o", str(out), "-j", "2", "--timeout", "0.5"])
    assert result.returncode == 1, result.stderr
    assert f"{hazard_name(inputs)}: error: timeout: took longer than the time limit of 0.5 s" in result.stderr
    assert "its worker was killed" in result.stderr
    assert f"{len(SOURCES)} converted, 1 failed, 0 skipped" in result.stderr


def test_a_time_limit_is_a_number_of_seconds(tmp_path: Path) -> None:
    for wrong in ("-1", "soon", "nan"):
        result = run([sys.executable, "-m", "newsarticle", "check", str(DATA), "--timeout", wrong])
        assert result.returncode == 2
        assert "--timeout: expected a number of seconds" in result.stderr
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize("huge", ["1e300", "1e10", "18446744073709551616"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_time_limit_too_long_for_the_timer_is_a_usage_error(huge: str, jobs: str) -> None:
    result = run([sys.executable, "-m", "newsarticle", "check", str(DATA), "-j", jobs, "--timeout", huge])
    assert result.returncode == 2, result.stderr
    assert "--timeout: expected at most 1,000,000,000 seconds" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_longest_time_limit_is_taken(tmp_path: Path) -> None:
    result = run([sys.executable, "-m", "newsarticle", "check", str(SOURCES[0]), "--timeout", "1e9"])
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_renderer_that_loops_fails_each_file_instead_of_hanging_the_run(
    driver: list[str], tmp_path: Path, jobs: str
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for source in SOURCES[:3]:
        shutil.copyfile(source, inputs / source.name)
    out = tmp_path / "out"
    command = [*driver, "convert", str(inputs), "-t", "looping", "-o", str(out), "-j", jobs, "--timeout", "0.5"]
    process = start(command, looping_renderer="1")
    _stdout, stderr = finish(process, 60)
    assert process.returncode == 1, stderr
    assert stderr.count("timeout: took longer than the time limit of 0.5 s (--timeout)") == 3
    assert "0 converted, 3 failed, 0 skipped" in stderr
    assert leftovers(tmp_path) == []
    assert list(out.rglob("*.loop")) == []


@pytest.mark.parametrize("when", ["after-sending", "half-way-through-sending"])
def test_a_worker_stopped_between_files_is_killed_and_the_run_ends(
    driver: list[str], tmp_path: Path, when: str
) -> None:
    inputs = corpus(tmp_path / "in", None)
    # Chunks hold 4, 8, 16, ... files: the hazard, 22nd, is mid-chunk, and its worker stops just after
    # sending its outcome, neither on a file nor waiting for one.
    name = SOURCES[20].name.replace(".txt", "-hazard.txt")
    (inputs / name).write_text(ARTICLE.format(marker="stop after this one"), encoding="utf-8")
    out, report = tmp_path / "out", tmp_path / "errors.jsonl"
    command = [*driver, "convert", str(inputs), "-t", "html", "-o", str(out), "-j", "2", "--timeout", "1"]
    process = start([*command, "--errors", str(report)], stop_after_send=when)
    _stdout, stderr = finish(process, 60)
    assert process.returncode == 1, stderr
    lost = [(r["path"], r["code"]) for r in records(report)]
    # Stopped after its outcome was sent, the next file is lost; half-way through, its own outcome is.
    lost_file = inputs / name if when.startswith("half-way") else inputs / SOURCES[21].name
    assert lost == [(str(lost_file), "worker")]
    assert "sent nothing for longer than the time limit of 1 s (--timeout)" in stderr
    assert f"{len(SOURCES)} converted, 1 failed, 0 skipped" in stderr
    written = len(SOURCES) + (1 if when.startswith("half-way") else 0)  # the lost outcome's file was written
    assert len(list(out.glob("*.html"))) == written
    assert leftovers(out) == []


def start_and_wait_for_hang(command: list[str], out: Path, done: int) -> subprocess.Popen[str]:
    """Start ``command``; return once it has written ``done`` outputs and is in the hanging file."""
    process = start(command)
    deadline = time.monotonic() + 60
    while sum(1 for _ in out.rglob("*")) < done:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the command made no progress"
        time.sleep(0.01)
    time.sleep(0.5)  # into the hanging file
    return process


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize(
    ("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)], ids=SIGNAL_NAMES
)
def test_a_signal_stops_a_hanging_file_and_writes_the_summary_and_the_report(
    driver: list[str], tmp_path: Path, jobs: str, signum: int, status: int
) -> None:
    inputs = corpus(tmp_path / "in", "HAZARD-LOOP", at=5)
    (inputs / "000-bad.txt").write_text("Lokales\nÜberschrift\n2025-13-45\n\nText.\n", encoding="utf-8")
    out, report = tmp_path / "out", tmp_path / "errors.jsonl"
    command = [*driver, "convert", str(inputs), "-t", "source", "-o", str(out), "-j", jobs]
    process = start_and_wait_for_hang([*command, "--timeout", "0", "--errors", str(report)], out, 5)
    process.send_signal(signum)
    _stdout, stderr = finish(process, 60)
    assert process.returncode == status, stderr
    assert "newsarticle: interrupted: " in stderr
    assert "Traceback" not in stderr
    assert [r["code"] for r in records(report)] == ["invalid-date"]  # the report is written, and whole
    assert leftovers(tmp_path) == []
    hazard = Path(hazard_name(inputs))
    assert not (out / hazard.name).exists()


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=SIGNAL_NAMES)
def test_a_signal_during_a_corpus_file_leaves_no_file(
    driver: list[str], tmp_path: Path, signum: int, jobs: str
) -> None:
    inputs = corpus(tmp_path / "in", "HAZARD-LOOP", at=5)
    target = tmp_path / "corpus.jsonl"
    command = [*driver, "convert", str(inputs), "-t", "jsonl", "-o", str(target), "-j", jobs, "--timeout", "0"]
    process = start(command)
    time.sleep(3)  # well into the hanging file (the others take milliseconds)
    assert process.poll() is None
    process.send_signal(signum)
    _stdout, stderr = finish(process, 60)
    assert process.returncode == 128 + signum, stderr
    assert "interrupted" in stderr
    assert not target.exists()
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=SIGNAL_NAMES[:2])
def test_a_signal_stops_a_collection_format_that_hangs_in_the_command(
    driver: list[str], tmp_path: Path, signum: int
) -> None:
    inputs = corpus(tmp_path / "in", "HAZARD-ADD-LOOP", at=5)
    target = tmp_path / "corpus.jsonl"
    command = [*driver, "convert", str(inputs), "-t", "jsonl", "-o", str(target), "-j", "2", "--timeout", "0"]
    process = start(command)
    time.sleep(3)  # the workers are done; the command is in the format's add
    assert process.poll() is None
    process.send_signal(signum)
    _stdout, stderr = finish(process, 30)
    assert process.returncode == 128 + signum, stderr
    assert "interrupted" in stderr
    assert not target.exists()
    assert leftovers(tmp_path) == []


def test_the_time_limit_bounds_a_collection_format_that_hangs_in_the_command(driver: list[str], tmp_path: Path) -> None:
    inputs = corpus(tmp_path / "in", "HAZARD-ADD-LOOP", at=5)
    target = tmp_path / "corpus.jsonl"
    command = [*driver, "convert", str(inputs), "-t", "jsonl", "-o", str(target), "-j", "2", "--timeout", "1"]
    result = run(command, timeout=60)
    assert result.returncode == 1, result.stderr
    assert f"{hazard_name(inputs)}: error: timeout: the jsonl format took longer than" in result.stderr
    assert len(target.read_text(encoding="utf-8").splitlines()) == len(SOURCES)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_sigterm_stops_check_with_its_summary(driver: list[str], tmp_path: Path, jobs: str) -> None:
    inputs = corpus(tmp_path / "in", "HAZARD-LOOP", at=5)
    command = [*driver, "check", str(inputs), "-j", jobs, "--timeout", "0", "--format", "json"]
    process = start(command)
    time.sleep(3)
    assert process.poll() is None
    process.send_signal(signal.SIGTERM)
    stdout, stderr = finish(process, 60)
    assert process.returncode == 143, stderr
    assert json.loads(stdout)["summary"]["interrupted"] is True


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=SIGNAL_NAMES)
def test_a_file_written_as_the_signal_comes_is_counted(driver: list[str], tmp_path: Path, signum: int) -> None:
    inputs = corpus(tmp_path / "in", None)
    out = tmp_path / "out"
    command = [*driver, "convert", str(inputs), "-t", "source", "-o", str(out), "-j", "1"]
    process = start(command, slow_write="1")
    deadline = time.monotonic() + 60
    while sum(1 for _ in out.rglob("*.txt")) < 3:
        assert process.poll() is None
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.1)  # in the middle of the next write
    process.send_signal(signum)
    _stdout, stderr = finish(process, 60)
    assert process.returncode == 128 + signum, stderr
    written = len(list(out.rglob("*.txt")))
    assert f"interrupted: {written} converted, 0 failed" in stderr  # the file written as the signal came is counted


def test_a_closed_terminal_stops_the_run_through_the_command_not_its_workers(driver: list[str], tmp_path: Path) -> None:
    # A closed terminal sends SIGHUP to the whole foreground process group, workers included:
    # they ignore it, finish their file, and the command writes the report.
    inputs = corpus(tmp_path / "in", "HAZARD-LOOP", at=5)
    (inputs / "000-bad.txt").write_text("Lokales\nÜberschrift\n2025-13-45\n\nText.\n", encoding="utf-8")
    out, report = tmp_path / "out", tmp_path / "errors.jsonl"
    command = [*driver, "convert", str(inputs), "-t", "source", "-o", str(out), "-j", "2", "--timeout", "2"]
    process = start_and_wait_for_hang([*command, "--errors", str(report)], out, 5)
    os.killpg(process.pid, signal.SIGHUP)
    _stdout, stderr = finish(process, 60)
    assert process.returncode == 129, stderr
    assert "newsarticle: interrupted: " in stderr
    codes = [r["code"] for r in records(report)]
    assert codes in (["invalid-date"], ["invalid-date", "timeout"])  # the looping file ends by its time limit
    assert "worker" not in codes  # no worker died of the signal
    assert leftovers(tmp_path) == []
