"""The command never misleads: usage per command, format suggestions, nothing found, stale outputs, messages."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each test runs the command in a process of its own
SCRIPT = Path(sys.executable).with_name("newsarticle")
# The installed console script; if it is missing, running it fails every test loudly.
COMMAND = str(SCRIPT) if SCRIPT.exists() else (shutil.which("newsarticle") or "newsarticle")
DATA = Path(__file__).parent / "data"
ARTICLE = DATA / "001_174fa88330290a76.txt"
SUMMARY = re.compile(r"([\d,]+) converted, ([\d,]+) failed, ([\d,]+) skipped")


def run(*args: str | os.PathLike[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([COMMAND, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


def summary(stderr: str) -> tuple[int, int, int]:
    found = SUMMARY.search(stderr)
    assert found is not None, stderr
    converted, failed, skipped = (int(group.replace(",", "")) for group in found.groups())
    return converted, failed, skipped


def corpus(folder: Path, count: int = 4) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for source in sorted(DATA.glob("*.txt"))[:count]:
        shutil.copyfile(source, folder / source.name)
    return folder


# -- a command's own usage -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "usage"),
    [
        (["convert", ARTICLE, "--bogus"], "usage: newsarticle convert"),
        (["check", "--bogus", ARTICLE], "usage: newsarticle check"),
        (["formats", "--bogus"], "usage: newsarticle formats"),
    ],
)
def test_an_unknown_flag_after_a_command_shows_that_commands_usage(arguments: list[str], usage: str) -> None:
    result = run(*arguments)
    assert result.returncode == 2
    assert result.stderr.startswith(usage), result.stderr
    assert "unrecognized arguments: --bogus" in result.stderr


# -- format names ----------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "meant"), [("htlm", "html"), ("jsnol", "jsonl"), ("markdwon", "markdown")])
def test_a_mistyped_format_gets_a_suggestion_and_the_list(typed: str, meant: str) -> None:
    result = run("convert", ARTICLE, "-t", typed)
    assert result.returncode == 2
    assert f"did you mean {meant!r}?" in result.stderr
    assert "available formats: " in result.stderr
    assert "jsonl" in result.stderr


def test_a_format_name_like_none_gets_no_suggestion() -> None:
    result = run("convert", ARTICLE, "-t", "zzzzzz")
    assert result.returncode == 2
    assert "available formats: " in result.stderr
    assert "did you mean" not in result.stderr


# -- nothing to do ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "arguments",
    [
        ["convert", "{in}", "-t", "html", "-o", "{out}"],
        ["convert", "{in}", "-o", "{out}.jsonl"],
        ["check", "{in}"],
    ],
)
def test_an_empty_folder_is_a_usage_error_that_says_what_was_searched(tmp_path: Path, arguments: list[str]) -> None:
    empty = tmp_path / "scraped"
    (empty / "sub").mkdir(parents=True)
    (empty / "sub" / "notes.md").write_text("not an article\n")
    filled = [a.format(**{"in": empty, "out": tmp_path / "out"}) for a in arguments]
    result = run(*filled)
    assert result.returncode == 2, result.stderr
    assert f"no file matches --glob '*.txt' in the folder {empty}" in result.stderr
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "out.jsonl").exists()


def test_a_glob_that_matches_nothing_names_the_pattern_and_every_folder(tmp_path: Path) -> None:
    first, second = corpus(tmp_path / "a", 1), corpus(tmp_path / "b", 1)
    result = run("convert", first, second, "--glob", "*.md", "-t", "html", "-o", tmp_path / "out")
    assert result.returncode == 2
    assert f"no file matches --glob '*.md' in the folders {first}, {second}" in result.stderr


def test_a_folder_whose_outputs_are_all_up_to_date_is_not_nothing_found(tmp_path: Path) -> None:
    source = corpus(tmp_path / "in", 2)
    assert run("convert", source, "-t", "html", "-o", tmp_path / "out").returncode == 0
    again = run("convert", source, "-t", "html", "-o", tmp_path / "out")
    assert again.returncode == 0, again.stderr
    assert summary(again.stderr) == (0, 0, 2)
