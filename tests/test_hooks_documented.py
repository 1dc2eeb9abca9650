"""Every hook is documented under its exact signature and exercised by a test (datasette's rule)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from newsarticle import hookspecs

ROOT = Path(__file__).resolve().parent.parent
HOOKS = sorted(
    name for name, value in vars(hookspecs).items() if callable(value) and hasattr(value, "newsarticle_spec")
)


def test_there_are_hooks() -> None:
    assert HOOKS == ["register_collections", "register_renderers", "register_transforms"]


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented_with_its_signature(hook: str) -> None:
    parameters = ", ".join(inspect.signature(getattr(hookspecs, hook)).parameters)
    docs = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    assert f"### {hook}({parameters})\n" in docs


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_a_docstring_with_params(hook: str) -> None:
    doc = inspect.getdoc(getattr(hookspecs, hook)) or ""
    for parameter in inspect.signature(getattr(hookspecs, hook)).parameters:
        assert f":param {parameter}:" in doc


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_implemented_in_a_test(hook: str) -> None:
    implemented = re.compile(rf"@hookimpl\n\s*def {hook}\(")
    assert any(implemented.search(path.read_text(encoding="utf-8")) for path in (ROOT / "tests").glob("test_*.py"))
