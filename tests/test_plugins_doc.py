"""The plugin examples of docs/plugins.md run as written."""

from __future__ import annotations

import re
from collections.abc import Generator
from pathlib import Path

import pytest

import newsarticle

PLUGINS_DOC = Path(__file__).parent.parent / "docs" / "plugins.md"
ARTICLE = Path(__file__).parent / "data" / "001_174fa88330290a76.txt"


def _example(marker: str) -> str:
    """The docs' Python block that holds ``marker``."""
    blocks = re.findall(r"```python\n(.*?)```", PLUGINS_DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
    found = [block for block in blocks if marker in block]
    assert len(found) == 1, f"docs/plugins.md has {len(found)} Python examples with {marker!r}"
    return found[0]


@pytest.fixture
def registered() -> Generator[list[str], None, None]:
    """The names the example registers its plugins under; unregistered afterwards."""
    names: list[str] = []
    register = newsarticle.register_plugin

    def remembering(plugin: object, name: str | None = None) -> str:
        names.append(register(plugin, name=name))
        return names[-1]

    newsarticle.register_plugin = remembering  # type: ignore[assignment]
    try:
        yield names
    finally:
        newsarticle.register_plugin = register
        for name in names:
            newsarticle.unregister_plugin(name)


def test_the_hook_wrapper_example_registers_its_fallback(registered: list[str]) -> None:
    exec(compile(_example("wrapper=True"), str(PLUGINS_DOC), "exec"), {})
    assert registered, "the example registers no plugin"
    article = newsarticle.parse_file(ARTICLE, on_diagnostic=lambda _d: None)
    assert newsarticle.render(article, "shout") == article.headline.upper()
