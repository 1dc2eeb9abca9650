"""The command on a generated corpus: Ctrl-C and resume, and the progress bar on a terminal."""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import newsarticle
from newsarticle import Diagnostic

pytestmark = pytest.mark.slow  # each test runs the command in a process of its own
#: The output folder's manifest of how each output was made (docs/cli.md): not an output.
MANIFEST = ".newsarticle-manifest.json"

SCRIPT = Path(sys.executable).with_name("newsarticle")
# The installed console script; if it is missing, running it fails every test loudly.
COMMAND = str(SCRIPT) if SCRIPT.exists() else (shutil.which("newsarticle") or "newsarticle")
DATA = Path(__file__).parent / "data"
SUMMARY = re.compile(r"([\d,]+) converted, ([\d,]+) failed, ([\d,]+) skipped")


_SENTENCES = (
    "Der Stadtrat hat am Mittwoch über den Haushalt für das kommende Jahr beraten",
    "Nach Angaben der Verwaltung steigen die Kosten für die Sanierung der Schule um 2,4 Mio. Euro",
    "Die Opposition kritisierte, dass die Pläne nicht mit den Anwohnern abgestimmt worden seien",
    "„Wir investieren dort, wo es die Menschen jeden Tag spüren“, sagte die Bürgermeisterin",
    "Bis zum Ende des Jahres soll auch der neue Radweg zwischen Bahnhof und Innenstadt fertig sein",
    "Die Entscheidung über den Zuschuss fällt nach der Sommerpause im Kreistag",
)


def generated_article(number: int, paragraphs: int = 30) -> str:
    """A deterministic German article of about 16 KB with subheadings and the scraper's trailer."""
    rng = random.Random(number)
    blocks = []
    for index in range(paragraphs):
        blocks.append(" ".join(rng.choice(_SENTENCES) + "." for _ in range(rng.randint(4, 8))))
        if index and index % 6 == 0 and index < paragraphs - 1:
            blocks.append(f"Abschnitt {index // 6} über den Haushalt")
    header = (
        f"Lokales\nArtikel {number}: Stadtrat berät über den Haushalt\n2025-{1 + number % 12:02d}-{1 + number % 28:02d}"
    )
    return header + "\n\n" + "\n\n".join(blocks) + "\n\nmore stories\nSee more\n"


def write_corpus(folder: Path, count: int) -> dict[str, str]:
    """Write ``count`` articles into two levels of folders; return the expected ``source`` output by path."""
    expected = {}
    for number in range(count):
        relative = f"{number % 4}/{number:04d}.txt"
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        text = generated_article(number)
        path.write_text(text, encoding="utf-8")
        expected[relative] = newsarticle.unparse(newsarticle.parse(text))
    return expected


def files(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in folder.rglob("*")
        if p.is_file() and p.name != MANIFEST
    }


def summary(stderr: str) -> tuple[int, int, int]:
    found = SUMMARY.search(stderr)
    assert found is not None, stderr
    converted, failed, skipped = (int(group.replace(",", "")) for group in found.groups())
    return converted, failed, skipped


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_leaves_only_whole_files_and_a_rerun_resumes(tmp_path: Path, jobs: str) -> None:
    count = 300
    expected = write_corpus(tmp_path / "in", count)
    out = tmp_path / "out"
    command = [COMMAND, "convert", str(tmp_path / "in"), "-t", "source", "-o", str(out), "-j", jobs]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while sum(1 for _ in out.rglob("*.txt")) < 5:
        assert process.poll() is None, "the conversion ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    process.send_signal(signal.SIGINT)
    _stdout, stderr = process.communicate(timeout=120)

    assert process.returncode == 130, stderr
    assert "interrupted" in stderr
    written = files(out)
    assert not [name for name in written if name.endswith(".tmp") or "/." in f"/{name}"], "temporary files left"
    assert 5 <= len(written) < count
    for name, text in written.items():
        assert text == expected[name], f"{name} is not whole"
    reported, failed, _skipped = summary(stderr)
    assert failed == 0
    assert reported == len(written)  # every whole file is counted

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert rerun.returncode == 0, rerun.stderr
    assert summary(rerun.stderr) == (count - len(written), 0, len(written))
    assert files(out) == expected


def _read_terminal(command: list[str]) -> tuple[int, str]:
    """Run ``command`` with standard error on a pseudo-terminal; return its status and what the terminal showed."""
    import pty

    leader, follower = pty.openpty()
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    shown = bytearray()
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:  # EIO: the other side is closed
            break
        if not data:
            break
        shown += data
    os.close(leader)
    return process.wait(timeout=60), shown.decode("utf-8", "replace")


def test_progress_bar_on_a_terminal_only(tmp_path: Path) -> None:
    total = len(list(DATA.glob("*.txt")))
    status, shown = _read_terminal(
        [COMMAND, "convert", str(DATA), "-t", "source", "-o", str(tmp_path / "a"), "-j", "1"]
    )
    assert status == 0
    assert f"{total}/{total} files" in shown
    assert "files/s" in shown
    assert "\x1b[K" in shown  # the bar is drawn over itself, then cleared

    piped = subprocess.run(
        [COMMAND, "convert", str(DATA), "-t", "source", "-o", str(tmp_path / "b"), "-j", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert piped.returncode == 0
    assert f"/{total} files" not in piped.stderr
    assert "\r" not in piped.stderr
    assert "\x1b" not in piped.stderr

    status, quiet = _read_terminal([COMMAND, "convert", str(DATA), "-t", "source", "-o", str(tmp_path / "c"), "-q"])
    assert status == 0
    assert quiet == ""


def test_warnings_and_summary_go_to_standard_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [COMMAND, "convert", str(DATA), "-t", "source", "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout == ""
    diagnostics: list[Diagnostic] = []
    newsarticle.parse_file(DATA / "edge_cp1252.txt", on_diagnostic=diagnostics.append)
    assert diagnostics
    for diagnostic in diagnostics:
        assert (
            f"{DATA / 'edge_cp1252.txt'}:{diagnostic.line}:{diagnostic.column}: warning: {diagnostic.code}: "
            in result.stderr
        )
