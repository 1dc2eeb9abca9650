"""The scripts in examples/ run, and say what they promise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import newsarticle

pytestmark = pytest.mark.slow  # the example scripts run in fresh interpreters

EXAMPLES = Path(__file__).parent.parent / "examples"
ARTICLES = sorted((EXAMPLES / "articles").glob("*.txt"))
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> str:
    # From another directory: the script finds its articles relative to itself.
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "parse_articles.py")],
        cwd=tmp_path_factory.mktemp("elsewhere"),
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        capture_output=True,
        check=True,
        timeout=120,
    )
    assert result.stderr == b""
    return result.stdout.decode("utf-8")


def test_examples_hold_the_promised_articles() -> None:
    assert len(ARTICLES) >= 4
    names = {path.name for path in ARTICLES}
    assert {"edge_cp1252.txt", "edge_wrapped_paragraphs.txt"} <= names
    for path in ARTICLES:
        # Byte-exact copies of corpus files, so the corpus expectations describe them too.
        assert path.read_bytes() == (DATA / path.name).read_bytes(), path.name


@pytest.mark.parametrize("path", ARTICLES, ids=[p.name for p in ARTICLES])
def test_output_describes_every_article(output: str, path: Path) -> None:
    article = newsarticle.parse_file(path, on_diagnostic=lambda _: None)
    assert f"source:       {path.name}\n" in output
    block = output.split(f"source:       {path.name}\n", 1)[1].split("\n\n", 1)[0]
    assert f"headline:     {article.headline}\n" in block
    assert f"language:     {article.language}\n" in block
    assert f"paragraphs:   {len(article.paragraphs)}\n" in block
    assert f"words:        {article.word_count}\n" in block
    assert f"reading time: {article.reading_time} min\n" in block


def test_output_reports_the_encoding_fallback(output: str) -> None:
    assert "edge_cp1252.txt:2:19: encoding-fallback:" in output
    assert output.count("diagnostic:   ") == 1
