"""Installed versions and entry points, read as importlib.metadata reads them, for ``newsarticle --version``.

Importing :mod:`importlib.metadata` costs more than all the rest of the
command's start-up (it imports email, zipfile and pathlib: about 3.5 times a
bare ``python -c pass``). ``--version`` only needs two things from it, our own
version and the distributions that provide plugins, so this module reads the
same files in the same order for the plain case: folders on ``sys.path``
holding ``*.dist-info`` and ``*.egg-info`` folders, found by the standard path
finder. Anything else (a zip file or an egg on ``sys.path``, another finder
that reports distributions) is left to importlib.metadata itself, and a test
compares the two on the test environment.
"""

from __future__ import annotations

import os
import re
import sys

__all__ = ["EntryPointInfo", "entry_points", "version"]

_SUFFIXES = (".dist-info", ".egg-info")
_SEPARATORS = re.compile(r"[-_.]+")


class EntryPointInfo:
    """One entry point: its name and value, and the name and version of the distribution that declares it."""

    __slots__ = ("dist_name", "dist_version", "name", "value")

    def __init__(self, name: str, value: str, dist_name: str | None, dist_version: str | None) -> None:
        self.name = name
        self.value = value
        self.dist_name = dist_name
        self.dist_version = dist_version

    def __repr__(self) -> str:
        return f"EntryPointInfo({self.name!r}, {self.value!r}, {self.dist_name!r}, {self.dist_version!r})"


def version(name: str) -> str | None:
    """The version of the installed distribution ``name``, or None when it is not installed."""
    found = _metadata_paths()
    if found is None:
        from importlib import metadata

        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return None
    wanted = _normalize(name)
    path = next((path for key, path in found if key == wanted), None)
    return None if path is None else _headers(path).get("version")


def entry_points(group: str) -> list[EntryPointInfo]:
    """The entry points of ``group`` of every installed distribution, the first of each name on ``sys.path``."""
    found = _metadata_paths()
    if found is None:
        from importlib import metadata

        return [
            EntryPointInfo(
                point.name,
                point.value,
                None if point.dist is None else point.dist.name,
                None if point.dist is None else point.dist.version,
            )
            for point in metadata.entry_points(group=group)
        ]
    points: list[EntryPointInfo] = []
    seen: set[str] = set()
    for _, path in found:
        # The first distribution of each name counts; importlib.metadata takes the name from the folder.
        key = _normalize(_stem_name(path) or _headers(path).get("name", ""))
        if key in seen:
            continue
        seen.add(key)
        pairs = _entry_points(_read(os.path.join(path, "entry_points.txt")), group)
        if pairs:
            headers = _headers(path)
            points += (
                EntryPointInfo(name, value, headers.get("name"), headers.get("version")) for name, value in pairs
            )
    return points


def _metadata_paths() -> list[tuple[str, str]] | None:
    """Every metadata folder on ``sys.path`` with its normalized name, in importlib.metadata's order.

    None where importlib.metadata would look elsewhere too.
    """
    if any(finder is not _path_finder() and hasattr(finder, "find_distributions") for finder in sys.meta_path):
        return None
    paths: list[tuple[str, str]] = []
    for entry in sys.path:
        root = entry or "."
        if os.path.isfile(root) or os.path.basename(root).lower().endswith(".egg"):
            return None  # a zip file or an egg: importlib.metadata knows those layouts
        try:
            children = os.listdir(root)
        except OSError:
            continue
        # importlib.metadata groups a folder's children by name, in the order names first appear.
        groups: dict[str, list[str]] = {}
        for child in children:
            low = child.lower()
            if low.endswith(_SUFFIXES):
                name = _normalize(low.rpartition(".")[0].partition("-")[0])
                groups.setdefault(name, []).append(os.path.join(root, child))
        for name, group in groups.items():
            paths += ((name, path) for path in group)
    return paths


def _path_finder() -> object:
    from importlib.machinery import PathFinder

    return PathFinder


def _normalize(name: str) -> str:
    """PEP 503 normalization, with underscores: as importlib.metadata compares names."""
    return _SEPARATORS.sub("-", name).lower().replace("-", "_")


def _stem_name(path: str) -> str:
    """``foo`` for ``.../foo-1.0.dist-info``; empty when the folder's name does not say it."""
    stem, extension = os.path.splitext(os.path.basename(path))
    return stem.partition("-")[0] if extension in _SUFFIXES else ""


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as file:
            return file.read()
    except (OSError, UnicodeDecodeError):
        return None


def _headers(path: str) -> dict[str, str]:
    """The first ``Name`` and ``Version`` headers of a distribution's metadata, keys in lower case."""
    text = _read(os.path.join(path, "METADATA")) or _read(os.path.join(path, "PKG-INFO"))
    if text is None and os.path.isfile(path):
        text = _read(path)  # an old egg-info file is the metadata itself
    headers: dict[str, str] = {}
    for line in (text or "").splitlines():
        if not line.strip():
            break  # the headers end at the first blank line
        key, colon, value = line.partition(":")
        key = key.strip().lower()
        if colon and key in ("name", "version") and key not in headers:
            headers[key] = value.strip()
    return headers


def _entry_points(text: str | None, group: str) -> list[tuple[str, str]]:
    """``name = value`` pairs of section ``[group]``, read as importlib.metadata's ``Sectioned`` reads them."""
    pairs: list[tuple[str, str]] = []
    section = None
    for line in map(str.strip, (text or "").splitlines()):
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line.strip("[]")
        elif section == group:
            name, _, value = line.partition("=")
            pairs.append((name.strip(), value.strip()))
    return pairs
