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

import shutil
import tempfile
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
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    compiled = []
    for po_path in sorted(source.glob("*/LC_MESSAGES/*.po")):
        relative = po_path.relative_to(source)
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=relative.parts[0], domain=po_path.stem)
        errors = [
            f"{po_path}: {message.id!r}: {error}"
            for message, message_errors in catalog.check()
            for error in message_errors
        ]
        if errors:
            raise ValueError("catalog errors:\n" + "\n".join(errors))
        mo_path = target / relative.with_suffix(".mo")
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=False)
        compiled.append(relative.with_suffix(".mo"))
    return compiled


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
