"""The scripts beside the documentation's pages, loaded for the tests: docs/_gen.py, the MkDocs hook that
generates the site's tables and API reference, and docs/screenshot.py.

They are not modules of the package (they live beside the pages they serve), so they are loaded from their files.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

DOCS = Path(__file__).resolve().parent.parent / "docs"


def load_docs_script(name: str) -> ModuleType:
    """The module in ``docs/<name>.py``."""
    spec = importlib.util.spec_from_file_location(f"docs_{name.strip('_')}", DOCS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_gen() -> ModuleType:
    return load_docs_script("_gen")
