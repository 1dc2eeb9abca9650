"""Hatch build hook: compile the gettext catalogs (``.po``) into the wheel as ``.mo`` files.

The ``.mo`` files are build products, never committed (``.gitignore`` has ``*.mo``):
each wheel compiles them from the ``.po`` files it ships, with Babel's API, so a
wheel can never carry a catalog older than its sources. A catalog with errors
(a placeholder missing from a translation, a broken plural form) fails the build;
fuzzy entries are left out, as ``pybabel compile`` does.

Editable installs are skipped: there :mod:`newsarticle._i18n` compiles a ``.po``
in memory on first use, so editing a catalog shows at once.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
import tempfile
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

LOCALE_DIR = Path("src", "newsarticle", "locale")
PACKAGE_LOCALE_DIR = Path("newsarticle", "locale")


def compile_catalogs(source: Path, target: Path) -> list[Path]:
    """Compile each ``<lang>/LC_MESSAGES/<domain>.po`` under ``source`` to a ``.mo`` at the same place under ``target``.

    :returns: The ``.mo`` paths relative to ``target``.
    :raises ValueError: a catalog has errors; the message lists them.
    """
    compile_po = _compile_po(source.parent)
    compiled = []
    for po_path in sorted(source.glob("*/LC_MESSAGES/*.po")):
        relative = po_path.relative_to(source).with_suffix(".mo")
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        (target / relative).write_bytes(compile_po(po_path))
        compiled.append(relative)
    return compiled


def _compile_po(package_dir: Path) -> Callable[[Path], bytes]:
    """The library's own ``newsarticle._i18n.compile_po``, loaded from the source tree.

    The build environment has Babel but not the package's other dependencies
    (attrs), which the package's ``__init__`` imports; so the package is an
    empty module here, whose submodules load from ``package_dir``.
    """
    package = types.ModuleType("newsarticle")
    package.__path__ = [str(package_dir)]
    saved = {name: module for name, module in sys.modules.items() if name.split(".")[0] == "newsarticle"}
    sys.modules["newsarticle"] = package
    try:
        spec = importlib.util.spec_from_file_location("newsarticle._i18n", package_dir / "_i18n.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        compile_po: Callable[[Path], bytes] = module.compile_po
        return compile_po
    finally:
        for name in [name for name in sys.modules if name.split(".")[0] == "newsarticle"]:
            del sys.modules[name]
        sys.modules.update(saved)


class CatalogBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Compile the catalogs into the wheel (not into editable installs, which compile on first use)."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        # Hatchling puts this file into the sdist by itself, so a wheel built from the sdist compiles too.
        if self.target_name != "wheel" or version == "editable":
            return
        self._build_dir = Path(tempfile.mkdtemp(prefix="newsarticle-mo-"))
        for relative in compile_catalogs(Path(self.root) / LOCALE_DIR, self._build_dir):
            build_data["force_include"][str(self._build_dir / relative)] = (PACKAGE_LOCALE_DIR / relative).as_posix()

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        build_dir = getattr(self, "_build_dir", None)
        if build_dir is not None:
            shutil.rmtree(build_dir, ignore_errors=True)
