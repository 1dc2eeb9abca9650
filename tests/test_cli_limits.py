"""The command's input-size limit, ``--max-size``: a file over it fails before it is read, the rest converts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import newsarticle
from newsarticle._batch import Job

pytestmark = pytest.mark.slow  # each test runs the command in a process of its own
#: The output folder's manifest of how each output was made (docs/cli.md): not an output.
MANIFEST = ".newsarticle-manifest.json"

DATA = Path(__file__).parent / "data"
SCRIPT = Path(sys.executable).with_name("newsarticle")
COMMAND = str(SCRIPT) if SCRIPT.exists() else (shutil.which("newsarticle") or "newsarticle")
TIMEOUT = 60


def run(*args: str | os.PathLike[str], stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [COMMAND, *map(str, args)],
        input=stdin.decode("utf-8") if stdin is not None else None,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def big_article(size: int) -> bytes:
    head = b"Politik\nEin langer Text\n2025-02-27\n\n"
    return head + b"Wort " * ((size - len(head)) // 5) + b"\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(sorted(DATA.glob("0*.txt"))[0], folder / "a.txt")
    (folder / "big.txt").write_bytes(big_article(300_000))
    return folder


def test_the_default_limit_is_the_parsers() -> None:
    assert Job("check").max_size == newsarticle.MAX_INPUT_SIZE


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_over_the_limit_fails_and_the_others_convert(corpus: Path, tmp_path: Path, jobs: str) -> None:
    out = tmp_path / "out"
    result = run("convert", corpus, "-t", "html", "-o", out, "--max-size", "100K", "-j", jobs)
    assert result.returncode == 1
    size = (corpus / "big.txt").stat().st_size
    expected = f"big.txt: error: too-large: not read: {size:,} bytes, over the limit of 102,400 bytes (--max-size)"
    assert expected in result.stderr
    assert sorted(p.name for p in out.iterdir() if p.name != MANIFEST) == ["a.html"]


def test_no_limit_converts_every_file(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("convert", corpus, "-t", "html", "-o", out, "--max-size", "0")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir() if p.name != MANIFEST) == ["a.html", "big.html"]


def test_a_huge_sparse_file_is_refused_without_being_read(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    with open(folder / "huge.txt", "wb") as file:
        file.truncate(64 * 1024**3)  # 64 GiB of nothing: reading it would take minutes and as much memory
    result = run("check", folder)
    assert result.returncode == 1
    assert (
        "huge.txt: error: too-large: not read: 68,719,476,736 bytes, over the limit of 16,777,216 bytes"
        in result.stdout
    )


def test_standard_input_over_the_limit_fails_without_reading_it_all() -> None:
    result = run("convert", "-", "-t", "text", "--max-size", "1K", stdin=big_article(5_000))
    assert result.returncode == 1
    assert "<stdin>: error: too-large: not read: more than the limit of 1,024 bytes (--max-size)" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("value", ["12X", "-1", "", "1.5M"])
def test_a_bad_limit_is_a_usage_error(corpus: Path, value: str) -> None:
    result = run("check", corpus, "--max-size", value)
    assert result.returncode == 2
    assert "--max-size" in result.stderr
