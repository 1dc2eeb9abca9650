"""_metadata (installed distributions): what importlib.metadata reports, read without importing it."""

from __future__ import annotations

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


# Run in a fresh interpreter: in this one, other tests may have imported the importlib_metadata
# backport (Dask does), whose finder makes both readers look elsewhere.
_COMPARE = """
import contextlib, importlib, json, sys
from importlib import metadata
from newsarticle import _metadata

sys.path[:] = json.loads(sys.argv[1])
importlib.invalidate_caches()
def listing(points):
    return sorted([p[0], p[1], p[2], p[3]] for p in points)
def versions(read):
    found = {}
    for name in ("plug-in-one", "PLUG_IN.ONE", "spaced", "legacy", "quiet", "absent"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            found[name] = read(name)
    return found
print(json.dumps({
    "plain": _metadata._metadata_paths() is not None,
    "ours": {g: listing((p.name, p.value, p.dist_name, p.dist_version) for p in _metadata.entry_points(g))
             for g in ("newsarticle", "other", "none-such")},
    "reference": {g: listing((p.name, p.value, p.dist and p.dist.name, p.dist and p.dist.version)
                  for p in metadata.entry_points(group=g)) for g in ("newsarticle", "other", "none-such")},
    "our_versions": {k: v for k, v in versions(_metadata.version).items() if v is not None},
    "versions": versions(metadata.version),
}))
"""


@pytest.mark.slow
def test_same_answers_on_awkward_installations(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    # A name twice on the path: the first one counts, in both.
    _dist(first, "Plug_In.One", "1.0", "[newsarticle]\none = plug_in_one\n# a comment\n\n[other]\nx = y\n")
    _dist(second, "plug-in-one", "2.0", "[newsarticle]\nshadowed = nowhere\n")
    # Spaces around names and values, a section given twice, an egg-info folder, no entry points at all.
    _dist(first, "spaced", "0.3", "  [newsarticle]  \n  two  =  spaced.module:attr  \n[newsarticle]\nthree=x\n")
    _dist(second, "legacy", "0.9", "[newsarticle]\nold = legacy\n", kind="egg-info")
    _dist(second, "quiet", "5", None)
    (second / "not-metadata.txt").write_text("")
    path = json.dumps([str(first), str(tmp_path / "missing"), str(second)])
    result = subprocess.run([sys.executable, "-c", _COMPARE, path], capture_output=True, text=True, check=True)
    found = json.loads(result.stdout)
    assert found["plain"]  # read by _metadata, not handed to importlib.metadata
    assert found["ours"] == found["reference"]
    assert found["ours"]["newsarticle"]  # the comparison compared something
    assert found["our_versions"] == found["versions"]


def test_a_zip_on_the_path_is_left_to_importlib_metadata(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "plugins.zip"
    archive.write_bytes(b"")
    monkeypatch.setattr(sys, "path", [*sys.path, str(archive)])
    assert _metadata._metadata_paths() is None
    assert _ours("newsarticle") == _reference("newsarticle")


@pytest.mark.slow
def test_reading_them_imports_neither_importlib_metadata_nor_email() -> None:
    code = """
import json, sys
from newsarticle import _metadata
_metadata.version("newsarticle"), _metadata.entry_points("newsarticle")
print(json.dumps(sorted({"importlib.metadata", "email", "zipfile"} & set(sys.modules))))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert json.loads(result.stdout) == []


@pytest.mark.slow
def test_importing_the_package_loads_no_attrs() -> None:
    # attrs alone costs about 2.5 times a bare interpreter's start-up; --version needs none of the model.
    code = "import json, sys, newsarticle; print(json.dumps(sorted({'attr', 'attrs'} & set(sys.modules))))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert json.loads(result.stdout) == []
