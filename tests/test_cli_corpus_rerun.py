"""A rerun of ``-t jsonl`` never calls a corpus up to date that lacks articles: one that failed, or a file
added to the input folder since, or one edited since (docs/cli.md, "Reruns: the manifest")."""

from __future__ import annotations

import os
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


def run(*args: str | os.PathLike[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([COMMAND, *map(str, args)], capture_output=True, text=True, timeout=300, check=False)


def corpus(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True)
    sources = sorted(DATA.glob("*.txt"))
    return [Path(shutil.copyfile(source, folder / source.name)) for source in sources[:count]]


def lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_a_corpus_that_lacks_a_failed_article_is_made_again(tmp_path: Path) -> None:
    corpus(tmp_path / "in", 3)
    (tmp_path / "in" / "zz_empty.txt").write_bytes(b"")
    out = tmp_path / "c.jsonl"
    first = run("convert", tmp_path / "in", "-o", out)
    assert first.returncode == 1
    assert lines(out) == 3
    again = run("convert", tmp_path / "in", "-o", out)
    # The failure is not hidden behind "up to date" and exit status 0.
    assert again.returncode == 1, again.stderr
    assert "converting again (some articles failed when it was made)" in again.stderr
    (tmp_path / "in" / "zz_empty.txt").unlink()
    fixed = run("convert", tmp_path / "in", "-o", out)
    assert fixed.returncode == 0, fixed.stderr
    assert "converting again" in fixed.stderr
    assert "up to date" in run("convert", tmp_path / "in", "-o", out).stderr


@pytest.mark.parametrize("change", ["added", "removed", "renamed", "edited"])
def test_a_corpus_is_made_again_when_the_folder_holds_other_files(tmp_path: Path, change: str) -> None:
    files = corpus(tmp_path / "in", 3)
    out = tmp_path / "c.jsonl"
    assert run("convert", tmp_path / "in", "-o", out).returncode == 0
    if change == "added":
        shutil.copyfile(sorted(DATA.glob("*.txt"))[5], tmp_path / "in" / "new.txt")
    elif change == "removed":
        files[0].unlink()
    elif change == "renamed":
        files[0].rename(files[0].with_name("renamed.txt"))
    else:  # a corrected article: the corpus (a feed) must hold the correction
        files[0].write_text(files[0].read_text(encoding="utf-8") + "\nKorrektur: ein Absatz mehr.\n", "utf-8")
    again = run("convert", tmp_path / "in", "-o", out)
    assert again.returncode == 0, again.stderr
    assert "converting again (the files selected changed)" in again.stderr
    assert lines(out) == len(list((tmp_path / "in").glob("*.txt")))
    if change == "edited":
        assert "Korrektur: ein Absatz mehr." in out.read_text(encoding="utf-8")


def test_a_news_sitemap_is_never_up_to_date_but_a_plain_one_is(tmp_path: Path) -> None:
    # Its news tags are for the articles of the two days before the run: yesterday's sitemap is stale today.
    corpus(tmp_path / "in", 2)
    base = ["-O", "base_url=https://example.org/news/"]
    news = [*base, "-O", "news=true", "-O", "news_publication=Kesselbacher Anzeiger"]
    out = tmp_path / "news.xml"
    assert run("convert", tmp_path / "in", "-o", out, *news).returncode == 0
    again = run("convert", tmp_path / "in", "-o", out, *news)
    assert again.returncode == 0, again.stderr
    assert "converting again (a news sitemap tags the articles of the two days before the run)" in again.stderr
    plain = tmp_path / "sitemap.xml"
    assert run("convert", tmp_path / "in", "-o", plain, *base).returncode == 0
    assert "sitemap.xml is up to date" in run("convert", tmp_path / "in", "-o", plain, *base).stderr
