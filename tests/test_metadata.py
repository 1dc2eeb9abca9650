"""_metadata: the versions and entry points importlib.metadata reports, without importing it."""

from __future__ import annotations

import contextlib
import importlib
import json
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from newsarticle import _metadata


def _reference(group: str) -> list[tuple[str, str, str | None, str | None]]:
    return sorted(
        (point.name, point.value, point.dist and point.dist.name, point.dist and point.dist.version)
        for point in metadata.entry_points(group=group)
    )


def _ours(group: str) -> list[tuple[str, str, str | None, str | None]]:
    points = _metadata.entry_points(group)
    return sorted((point.name, point.value, point.dist_name, point.dist_version) for point in points)


def _groups() -> set[str]:
    return {point.group for dist in metadata.distributions() for point in dist.entry_points} | {"newsarticle"}


def test_same_entry_points_and_versions_as_importlib_metadata() -> None:
    for group in _groups():
        assert _ours(group) == _reference(group), group
    for dist in metadata.distributions():
        assert _metadata.version(dist.metadata["Name"]) == metadata.version(dist.metadata["Name"])
    assert _metadata.version("no-such-distribution-here") is None


def _dist(folder: Path, name: str, version: str, entry_points: str | None, *, kind: str = "dist-info") -> None:
    info = folder / f"{name}-{version}.{kind}"
    info.mkdir(parents=True)
    (info / ("METADATA" if kind == "dist-info" else "PKG-INFO")).write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: x\n\nName: not-a-header\n"
    )
    if entry_points is not None:
        (info / "entry_points.txt").write_text(entry_points)


def test_same_answers_on_awkward_installations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    # A name twice on the path: the first one counts, in both.
    _dist(first, "Plug_In.One", "1.0", "[newsarticle]\none = plug_in_one\n# a comment\n\n[other]\nx = y\n")
    _dist(second, "plug-in-one", "2.0", "[newsarticle]\nshadowed = nowhere\n")
    # Spaces around names and values, a section given twice, an egg-info folder, no entry points at all.
    _dist(first, "spaced", "0.3", "  [newsarticle]  \n  two  =  spaced.module:attr  \n[newsarticle]\nthree=x\n")
    _dist(second, "legacy", "0.9", "[newsarticle]\nold = legacy\n", kind="egg-info")
    _dist(second, "quiet", "5", None)
    (second / "not-metadata.txt").write_text("")
    monkeypatch.setattr(sys, "path", [str(first), str(tmp_path / "missing"), str(second)])
    importlib.invalidate_caches()
    assert _metadata._metadata_paths() is not None  # read here, not handed to importlib.metadata
    for group in ("newsarticle", "other", "none-such"):
        assert _ours(group) == _reference(group)
    for name in ("plug-in-one", "PLUG_IN.ONE", "spaced", "legacy", "quiet", "absent"):
        expected = None
        with contextlib.suppress(metadata.PackageNotFoundError):
            expected = metadata.version(name)
        assert _metadata.version(name) == expected, name


def test_a_zip_on_the_path_is_left_to_importlib_metadata(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "plugins.zip"
    archive.write_bytes(b"")
    monkeypatch.setattr(sys, "path", [*sys.path, str(archive)])
    assert _metadata._metadata_paths() is None
    assert _ours("newsarticle") == _reference("newsarticle")


def test_reading_them_imports_neither_importlib_metadata_nor_email() -> None:
    code = """
import json, sys
from newsarticle import _metadata
_metadata.version("newsarticle"), _metadata.entry_points("newsarticle")
print(json.dumps(sorted({"importlib.metadata", "email", "zipfile"} & set(sys.modules))))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert json.loads(result.stdout) == []


def test_importing_the_package_loads_no_attrs() -> None:
    # attrs alone costs about 2.5 times a bare interpreter's start-up; --version needs none of the model.
    code = "import json, sys, newsarticle; print(json.dumps(sorted({'attr', 'attrs'} & set(sys.modules))))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert json.loads(result.stdout) == []
