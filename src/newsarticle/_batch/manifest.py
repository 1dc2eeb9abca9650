"""The output folder's manifest: which recipe made each output, so that a rerun with another recipe converts again.

A *recipe* is everything that decides an output's bytes besides its input:
the format, the renderer's options after defaults, the locale, the
transforms, ``--strict``, newsarticle's version and that of the distribution
that provides the format. The manifest, ``.newsarticle-manifest.json`` in the
output folder, maps each output (its path below the folder) to the recipe and
the input that made it, and the file it wrote (inode, size and modification
time). It is one short entry per output (the recipes themselves are stored
once), never an output's content.

An output without an entry (an older run, a file the user put there) is
skipped, as an existing file always was, and counted apart; so is an output
that is no longer the file its entry recorded (a run killed before it saved
the manifest, or another run writing the same folder at the same time,
replaced it, or someone edited it): the entry's recipe no longer says how it
was made. A manifest that cannot be read (corrupt, hostile, from a newer
version, not a regular file) is treated as absent with a warning; it is
replaced when the run records an output.
"""

from __future__ import annotations

import json
import os
import stat
from typing import Any

from newsarticle._atomic import write_atomic
from newsarticle._paths import display, read_limited

#: The manifest's name in its folder: a dot-file, never an input (the walk leaves it out) nor an output.
MANIFEST_NAME = ".newsarticle-manifest.json"


def is_manifest_name(name: str) -> bool:
    """Whether a file of this name could be a manifest: in any folder (a one-file output keeps its manifest in
    its own folder, and a link can make a subfolder the output folder itself), in any case (macOS and Windows
    file systems ignore it)."""
    return name.casefold() == MANIFEST_NAME


#: A manifest larger than this is not read (treated as absent): about nine million entries.
MAX_MANIFEST_SIZE = 1 << 30
_FORMAT = 2

# The verdicts on an existing output.
UP_TO_DATE = "up to date"
UNKNOWN = "not in the manifest"

#: What changed, by recipe field, in the order a message names the first difference.
_CHANGES = {
    "incomplete": "some articles failed when it was made",
    "format": "the format changed",
    "options": "the options changed",
    "locale": "the locale changed",
    "transforms": "the transforms changed",
    "strict": "--strict changed",
    "language": "--language changed",
    "inputs": "the inputs changed",
    "files": "the files selected changed",
    "newsarticle": "newsarticle's version changed",
    "distribution": "the version of the format's plugin changed",
}
ANOTHER_INPUT = "another input made it"
STANDARD_INPUT = "its input was standard input"


def made_by(status: os.stat_result) -> tuple[int, int, int]:
    """What tells one written output file from any later one at the same name: every atomic write makes a
    new inode, and an inode number freed and used again still differs in size or modification time."""
    return status.st_ino, status.st_size, status.st_mtime_ns


def canonical(recipe: dict[str, Any]) -> dict[str, Any]:
    """``recipe`` as it reads back from the manifest: values that JSON cannot hold are compared by ``repr``."""
    loaded: dict[str, Any] = json.loads(json.dumps(recipe, sort_keys=True, default=repr))
    return loaded


class Manifest:
    """The recipes of the outputs in one folder, and the current run's recipe.

    ``single`` keys inputs by absolute path (one ``-o FILE``: any input may write
    it); otherwise by file name (a mirrored tree: the output's path fixes the
    input's folder and stem, the name tells ``a.md`` from ``a.txt``).
    """

    def __init__(self, folder: str, recipe: dict[str, Any], *, single: bool = False) -> None:
        self.folder = folder
        self.path = os.path.join(folder, MANIFEST_NAME)
        self.recipe = canonical(recipe)
        self.single = single
        self.warning: str | None = None
        self._recipes: dict[str, dict[str, Any]] = {}
        self._outputs: dict[str, tuple[str, str, tuple[int, int, int]]] = {}
        self._changed = False
        self._load()
        self._current = next((key for key, known in self._recipes.items() if known == self.recipe), None)
        if self._current is None:
            self._current = str(max((int(key) for key in self._recipes), default=0) + 1)

    def verdict(self, output: str, source: str) -> str:
        """Why the existing ``output`` is to be converted again, or :data:`UP_TO_DATE` or :data:`UNKNOWN`."""
        entry = self._outputs.get(self._key(output))
        if entry is None:
            return UNKNOWN
        recipe_id, made_from, made = entry
        if _made(output) != made:
            return UNKNOWN  # not the file this entry was recorded for: its recipe is not known
        if source == "-":
            return STANDARD_INPUT  # its content cannot be compared with the last run's
        if made_from != self._input(source):
            return ANOTHER_INPUT
        if recipe_id == self._current:
            return UP_TO_DATE
        old = self._recipes[recipe_id]
        changed = (why for field, why in _CHANGES.items() if old.get(field) != self.recipe.get(field))
        return next(changed, "the recipe changed")

    def record(self, output: str, source: str, made: tuple[int, int, int], *, complete: bool = True) -> None:
        """``output`` was just written from ``source`` with the current recipe; ``made`` is the
        :func:`made_by` of the file written.

        :param complete: False for a corpus that lacks the articles that failed: it is recorded
            under a recipe of its own, so that the next run converts it again instead of calling
            it up to date.
        """
        assert self._current is not None
        recipe_id = self._current if complete else self._recipe_for({**self.recipe, "incomplete": True})
        self._outputs[self._key(output)] = (recipe_id, self._input(source), made)
        self._changed = True

    def _recipe_for(self, recipe: dict[str, Any]) -> str:
        """The id of ``recipe`` among the known ones, or a new id (added to them) that no other uses."""
        known = next((key for key, value in self._recipes.items() if value == recipe), None)
        if known is not None:
            return known
        assert self._current is not None
        new = str(max(int(key) for key in [*self._recipes, self._current]) + 1)
        self._recipes[new] = recipe
        return new

    def save(self) -> None:
        """Write the manifest (atomically) if the run recorded an output; raises OSError naming it."""
        if not self._changed:
            return
        used = {entry[0] for entry in self._outputs.values()}
        assert self._current is not None
        recipes = {key: value for key, value in self._recipes.items() if key in used}
        if self._current in used:
            recipes[self._current] = self.recipe
        document = {
            "newsarticle-manifest": _FORMAT,
            "recipes": recipes,
            "outputs": {key: [recipe_id, source, *made] for key, (recipe_id, source, made) in self._outputs.items()},
        }
        # ASCII: a file name that is not UTF-8 (a surrogate escape) is kept as a \u escape, and reads back as itself.
        write_atomic(self.path, json.dumps(document, separators=(",", ":")).encode("ascii"))
        self._changed = False

    def _key(self, output: str) -> str:
        return os.path.relpath(output, self.folder).replace(os.sep, "/")

    def _input(self, source: str) -> str:
        if source == "-":
            return "-"
        return os.path.abspath(source) if self.single else os.path.basename(source)

    def _load(self) -> None:
        try:
            document = _read(self.path)
        except FileNotFoundError:
            return
        except (OSError, ValueError, RecursionError, MemoryError) as exc:
            self.warning = f"{display(self.path)}: warning: manifest: not read ({_reason(exc)}); treated as absent"
            return
        parsed = _parse(document)
        if parsed is None:
            self.warning = (
                f"{display(self.path)}: warning: manifest: not a manifest this version can read; treated as absent"
            )
            return
        self._recipes, self._outputs = parsed


def _made(path: str) -> tuple[int, int, int] | None:
    """The :func:`made_by` of the regular file at ``path``, or None (gone, a link, anything else)."""
    try:
        status = os.lstat(path)
    except (OSError, ValueError):
        return None
    return made_by(status) if stat.S_ISREG(status.st_mode) else None


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def _read(path: str) -> Any:
    """The manifest's JSON. Only a regular file is read: a FIFO would block, a device never end."""
    _check(os.lstat(path))
    # The name can be swapped between the look and the open (a FIFO put there would block the open
    # forever): the open neither follows a link nor waits for a writer, and what it opened is checked.
    descriptor = os.open(path, _OPEN_FLAGS | getattr(os, "O_CLOEXEC", 0))
    with open(descriptor, "rb") as file:
        # A buffer of the size it has, not of the limit (which a memory limit, ulimit -v, refuses).
        data = read_limited(file, _check(os.fstat(descriptor)), MAX_MANIFEST_SIZE)
    if len(data) > MAX_MANIFEST_SIZE:
        raise ValueError(f"larger than {MAX_MANIFEST_SIZE:,} bytes")
    return json.loads(data)


def _check(status: os.stat_result) -> int:
    """The size of a regular file that is not too large to read."""
    if not stat.S_ISREG(status.st_mode):
        raise ValueError("not a regular file")
    if status.st_size > MAX_MANIFEST_SIZE:
        raise ValueError(f"larger than {MAX_MANIFEST_SIZE:,} bytes")
    return status.st_size


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    if isinstance(exc, MemoryError):
        return "too large for the memory this process may use"
    return str(exc)


def _parse(
    document: Any,
) -> tuple[dict[str, dict[str, Any]], dict[str, tuple[str, str, tuple[int, int, int]]]] | None:
    """The recipes and outputs of a manifest, checked entry by entry; None for anything else."""
    if not isinstance(document, dict) or document.get("newsarticle-manifest") != _FORMAT:
        return None
    recipes, outputs = document.get("recipes"), document.get("outputs")
    if not isinstance(recipes, dict) or not isinstance(outputs, dict):
        return None
    if not all(_recipe_id(key) and isinstance(value, dict) for key, value in recipes.items()):
        return None
    checked: dict[str, tuple[str, str, tuple[int, int, int]]] = {}
    for key, entry in outputs.items():
        if not (isinstance(entry, list) and len(entry) == 5 and entry[0] in recipes and isinstance(entry[1], str)):
            return None
        made = tuple(entry[2:])
        if not all(type(number) is int for number in made):
            return None
        checked[key] = (entry[0], entry[1], (made[0], made[1], made[2]))
    return recipes, checked


def _recipe_id(key: str) -> bool:
    return key.isascii() and key.isdigit() and len(key) < 10
