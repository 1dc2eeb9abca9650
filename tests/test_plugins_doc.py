"""The plugin examples of docs/plugins.md run as written, and its tutorial, followed in a fresh environment, works."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

import newsarticle
from processes import fresh_environment

ROOT = Path(__file__).resolve().parent.parent
PLUGINS_DOC = ROOT / "docs" / "plugins.md"
ARTICLE = Path(__file__).parent / "data" / "001_174fa88330290a76.txt"


def _example(marker: str) -> str:
    """The docs' Python block that holds ``marker``."""
    blocks = re.findall(r"```python\n(.*?)```", PLUGINS_DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
    found = [block for block in blocks if marker in block]
    assert len(found) == 1, f"docs/plugins.md has {len(found)} Python examples with {marker!r}"
    return found[0]


def test_the_hook_wrapper_example_registers_its_fallback(registered: list[str]) -> None:
    exec(compile(_example("wrapper=True"), str(PLUGINS_DOC), "exec"), {})
    assert registered, "the example registers no plugin"
    article = newsarticle.parse_file(ARTICLE, on_diagnostic=lambda _d: None)
    assert newsarticle.render(article, "shout") == article.headline.upper()


def tutorial_step(heading: str, language: str) -> str:
    """The one ``language`` block under the tutorial's step ``heading`` (a "### " heading of docs/plugins.md)."""
    text = PLUGINS_DOC.read_text(encoding="utf-8")
    section = text.split(f"\n### {heading}\n", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
    blocks = re.findall(rf"```{language}\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) == 1, f"docs/plugins.md, {heading}: {len(blocks)} {language} blocks"
    return blocks[0]


@pytest.mark.slow  # a fresh virtual environment, pip, pytest and the command in it
def test_the_tutorial_followed_in_a_fresh_environment_yields_an_installed_tested_plugin(tmp_path: Path) -> None:
    # The folder layout the tutorial draws, filled with its three files as the page shows them; "../newsarticle",
    # the tutorial's path to a clone, is this checkout.
    package = tmp_path / "newsarticle-shout"
    files = {
        "pyproject.toml": tutorial_step("1. `pyproject.toml`", "toml"),
        "src/newsarticle_shout/__init__.py": tutorial_step("2. `src/newsarticle_shout/__init__.py`", "python"),
        "tests/test_shout.py": tutorial_step("3. `tests/test_shout.py`", "python"),
    }
    for name, content in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(content, encoding="utf-8")
    (tmp_path / "newsarticle").symlink_to(ROOT, target_is_directory=True)
    commands = tutorial_step("4. Install and test", "sh")
    result = subprocess.run(
        ["bash", "-e", "-c", commands],
        cwd=package,
        env=fresh_environment(),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout
    # newsarticle formats: the format, then the plugin and the distribution that brought it
    assert re.search(r"^shout +\.shout\.txt +text/plain$", result.stdout, flags=re.MULTILINE), result.stdout
    assert "(newsarticle-shout 0.1.0)" in result.stdout
