"""Finding the inputs: the files that INPUT arguments name, folders walked lazily and in sorted order."""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple

from newsarticle._atomic import is_temporary
from newsarticle._batch.manifest import MANIFEST_NAME
from newsarticle._batch.records import FAILED, SKIPPED, Outcome, Problem, output_name
from newsarticle._paths import display, file_kind, inside, real, within


class Found(NamedTuple):
    """A file to read, found by :meth:`Inputs.walk`."""

    source: str  # as the user would spell it
    absolute: str  # the same, absolute (through any link that was followed: the output mirrors it)
    follow: bool  # whether reading it may follow a symbolic link
    folder: str | None = None  # its folder, resolved, as the walk found it (None: named on the command line)


class Inputs:
    """The files that INPUT arguments name: files as given, folders walked recursively and in sorted order.

    ``walk()`` is a generator: a folder of a million files is never listed
    whole, only one directory at a time. Every comparison of places uses
    resolved paths (:func:`~newsarticle._paths.real`) and device and inode too:
    of the files named on the command line, and of the input folders, so that
    a path through a bind mount of one is inside it (:meth:`locate`).
    """

    def __init__(
        self, arguments: Sequence[str], pattern: str, *, prune: str | None = None, follow_symlinks: bool = False
    ) -> None:
        self.arguments = list(arguments)
        self.pattern = pattern
        self.follow_symlinks = follow_symlinks
        # fnmatch.fnmatch, compiled once: the pattern is matched against every name in the tree.
        self._match = re.compile(fnmatch.translate(os.path.normcase(pattern))).match
        named = [a for a in self.arguments if a != "-"]
        self.folders = [os.path.abspath(a) for a in named if os.path.isdir(a)]
        self.files = {os.path.abspath(a) for a in named if not os.path.isdir(a)}
        self.real_folders = [real(f) for f in self.folders]
        self.real_files = {real(f) for f in self.files}
        self.file_ids = {identity for identity in map(file_identity, self.files) if identity is not None}
        # The input folders by device and inode: a bind mount of one has its identity, not its path.
        self._folder_ids = {
            identity: folder
            for identity, folder in zip(map(file_identity, self.real_folders), self.real_folders, strict=True)
            if identity is not None
        }
        self._located: dict[str, str] = {}
        self._folder_inodes = {inode for _device, inode in self._folder_ids}  # a set lookup per folder walked
        # An output folder inside an input folder is not read back as input (but
        # an output folder that is an input folder, or holds one, is no exception).
        pruned = self.locate(real(prune)) if prune is not None else None
        self.prune = pruned if pruned is not None and any(inside(pruned, f) for f in self.real_folders) else None

    def walk(self) -> Iterator[Found | Outcome]:
        """Yield a :class:`Found` for every input file, an :class:`Outcome` for what is skipped or unreadable.

        A folder's files come in the order of their names without suffix (then
        with it), before its subfolders, which come in name order: a.md, a.txt,
        a-1.txt, b.txt. So files that would write the same output are neighbours.
        Symbolic links found in a folder (to files or folders) and special files
        (FIFOs, sockets, devices) are skipped with a warning; with
        ``follow_symlinks`` links are followed, each folder walked once.
        """
        for argument in self.arguments:
            if argument == "-":
                yield Found("-", "-", True)
            elif not os.path.isdir(argument):
                yield Found(argument, os.path.abspath(argument), True)
            else:
                yield from self._walk_folder(argument)

    def _walk_folder(self, argument: str) -> Iterator[Found | Outcome]:
        top = os.path.abspath(argument)
        walked: set[tuple[int, int]] = set()  # folders by device and inode: a followed link never loops
        identity = file_identity(argument)
        if identity is not None:
            walked.add(identity)
        # Depth-first with an explicit stack: a hostile tree may nest deeper than Python recurses.
        stack = [(argument, top, real(argument))]
        while stack:
            spelled, absolute, resolved = stack.pop()
            try:
                with os.scandir(spelled) as listing:
                    # Folders before links: with --follow-symlinks, a folder is walked under its own name.
                    entries = sorted(listing, key=lambda entry: entry.is_symlink())
            except OSError as exc:
                failure = Problem(spelled, None, None, "io", f"cannot list the folder: {exc.strerror or exc}")
                yield Outcome(spelled, FAILED, errors=(failure,))
                continue
            selected = self.selector(absolute, top)
            files: list[tuple[str, Found | Outcome]] = []
            folders: list[tuple[str, str]] = []
            for entry in entries:
                kind, problem = self._classify(entry, walked)
                if kind == "folder":
                    target = real(entry.path) if entry.is_symlink() else os.path.join(resolved, entry.name)
                    if target != self.prune:
                        folders.append((entry.name, target))
                elif problem is not None:
                    # A folder's name is not matched by --glob; a skipped file's is, like any file's.
                    if kind == "skip-folder" or selected(entry.name):
                        files.append((entry.name, Outcome(entry.path, SKIPPED, warnings=(problem,))))
                elif not is_temporary(entry.name) and entry.name != MANIFEST_NAME and selected(entry.name):
                    follow = kind == "followed" or self.follow_symlinks
                    found = Found(entry.path, os.path.join(absolute, entry.name), follow, resolved)
                    files.append((entry.name, found))
            files.sort(key=lambda pair: _stem_first(pair[0]))
            yield from (item for _name, item in files)
            for name, target in sorted(folders, reverse=True):
                stack.append((os.path.join(spelled, name), os.path.join(absolute, name), target))

    def _classify(self, entry: os.DirEntry[str], walked: set[tuple[int, int]]) -> tuple[str, Problem | None]:
        """What a folder entry is: ``file``, ``followed`` (a file through a link) or ``folder``,
        else ``skip`` or ``skip-folder`` with the Problem that says why."""
        if entry.is_symlink():
            return self._classify_link(entry, walked)
        if entry.is_dir(follow_symlinks=False):
            if entry.inode() in self._folder_inodes and file_identity(entry.path) in self._folder_ids:
                message = "skipped: this folder is also an input folder given by another name (a bind mount)"
                return "skip-folder", Problem(entry.path, None, None, "overlap", message)
            identity = file_identity(entry.path) if self.follow_symlinks else None
            if identity is not None and identity in walked:
                message = "skipped: a folder walked already through a symbolic link"
                return "skip-folder", Problem(entry.path, None, None, "symlink", message)
            if identity is not None:
                walked.add(identity)
            return "folder", None  # one that vanished meanwhile fails when it is listed
        if entry.is_file(follow_symlinks=False):
            return "file", None
        try:
            kind = file_kind(entry.stat(follow_symlinks=False).st_mode)
        except OSError:
            kind = "not a regular file"
        return "skip", Problem(entry.path, None, None, "special-file", f"skipped: {kind}, not a regular file")

    def _classify_link(self, entry: os.DirEntry[str], walked: set[tuple[int, int]]) -> tuple[str, Problem | None]:
        try:
            status = entry.stat(follow_symlinks=True)
        except OSError:
            return "skip", Problem(entry.path, None, None, "symlink", "skipped: a broken symbolic link")
        is_folder = stat.S_ISDIR(status.st_mode)
        if not self.follow_symlinks:
            what = "a folder" if is_folder else "a file" if stat.S_ISREG(status.st_mode) else file_kind(status.st_mode)
            message = f"skipped: a symbolic link to {what}, not followed (--follow-symlinks follows links)"
            return ("skip-folder" if is_folder else "skip"), Problem(entry.path, None, None, "symlink", message)
        if is_folder:
            identity = (status.st_dev, status.st_ino)
            if identity in walked:
                message = "skipped: a symbolic link to a folder that is walked already"
                return "skip-folder", Problem(entry.path, None, None, "symlink", message)
            walked.add(identity)
            return "folder", None
        if stat.S_ISREG(status.st_mode):
            return "followed", None
        message = f"skipped: a symbolic link to {file_kind(status.st_mode)}, not a regular file"
        return "skip", Problem(entry.path, None, None, "special-file", message)

    def count(self) -> int:
        """How many items :meth:`walk` yields (a walk of names only, for the progress bar)."""
        return sum(1 for _ in self.walk())

    def matches(self, relative: str) -> bool:
        """Whether a path relative to an input folder is selected by the pattern."""
        relative = os.path.normcase(relative).replace(os.sep, "/")
        if "/" in self.pattern:
            return self._match(relative) is not None
        return self._match(relative.rpartition("/")[2]) is not None

    def selector(self, directory: str, folder: str) -> Callable[[str], bool]:
        """Whether a file name in ``directory`` (absolute, inside input ``folder``) is selected; cheap per name."""
        if "/" not in self.pattern and os.path.normcase("A") == "A":
            match = self._match  # the common case, once per file in the parent: a compiled regex, nothing else
            return lambda name: match(name) is not None
        prefix = os.path.relpath(directory, folder)
        return lambda name: self.matches(os.path.join(prefix, name))

    def locate(self, resolved: str) -> str:
        """``resolved`` (a :func:`real` path) spelled below the input folder that holds it, if one does.

        A path can lie in an input folder that its resolved spelling does not
        show: through a bind mount, the same folder under another name. The
        nearest ancestor with an input folder's device and inode decides, and
        the path is returned as seen from that folder's resolved path (else as
        it is), so that every comparison by path afterwards compares places.
        Ancestors are looked up once per command: linear in a walk's folders.
        """
        if not self._folder_ids or any(within(resolved, folder) for folder in self.real_folders):
            return resolved
        missing: list[str] = []  # ancestors not looked up yet, innermost first
        path = resolved
        while path not in self._located:
            identity = file_identity(path)
            folder = self._folder_ids.get(identity) if identity is not None else None
            if folder is not None:
                self._located[path] = folder
                break
            missing.append(path)
            parent = os.path.dirname(path)
            if parent == path:
                self._located[path] = path
                break
            path = parent
        spelled = self._located[path]
        for below in reversed(missing):
            spelled = self._located[below] = os.path.join(spelled, os.path.basename(below))
        return spelled

    def selects(self, path: str) -> bool:
        """Whether a file at ``path`` is (or would be, once written) one of the inputs.

        By resolved path, by device and inode (a hard link to an input file
        named on the command line), and by the pattern in the input folders.
        """
        resolved = real(path)
        if resolved in self.real_files or file_identity(path) in self.file_ids:
            return True
        directory, name = os.path.split(resolved)
        return self.selects_in(directory)(name)

    def selects_in(self, directory: str) -> Callable[[str], bool]:
        """Whether a file name in ``directory`` (resolved) names an input, without the explicit input files."""
        directory = self.locate(directory)
        if self.prune is not None and within(directory, self.prune):
            return selects_nothing
        selectors = [self.selector(directory, folder) for folder in self.real_folders if within(directory, folder)]
        if not selectors:
            return selects_nothing
        return lambda name: any(selected(name) for selected in selectors)

    def base(self) -> str:
        """The folder whose tree the output folder mirrors: the input folder, or the inputs' common parent."""
        if len(self.arguments) == 1 and self.folders:
            return self.folders[0]
        parents = self.folders + [os.path.dirname(f) for f in self.files]
        return os.path.commonpath(parents)

    def overlap(self, suffix: str) -> str | None:
        """A message when one input lies inside another (its files would be converted twice),
        or two input files given by name would write the same output. Places are compared resolved:
        the same folder named twice through a link is given twice."""
        seen: dict[str | tuple[int, int], str] = {}
        for argument in self.arguments:
            resolved = real(argument)
            identity = file_identity(argument) if os.path.isdir(argument) else None  # hard-linked files stay two
            for place in (resolved, identity):
                if place in seen:
                    return f"{display(argument)} is given twice ({display(seen[place])} is the same place)"
            seen[resolved] = argument
            if identity is not None:
                seen[identity] = argument
            located = os.path.join(self.locate(os.path.dirname(resolved)), os.path.basename(resolved))
            for folder, real_folder in zip(self.folders, self.real_folders, strict=True):
                if inside(resolved, real_folder) or inside(located, real_folder):
                    return f"{display(argument)} is inside the input folder {display(os.path.relpath(folder))}"
        outputs: dict[str, str] = {}
        for argument in self.arguments:
            if os.path.abspath(argument) in self.files:
                output = output_name(os.path.abspath(argument), suffix)
                if output in outputs:
                    return f"{display(outputs[output])} and {display(argument)} would write the same output"
                outputs[output] = argument
        return None


def file_identity(path: str) -> tuple[int, int] | None:
    """Device and inode of an existing file (through links), else None."""
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    return status.st_dev, status.st_ino


def _stem_first(name: str) -> tuple[str, str]:
    return os.path.splitext(name)[0], name


def walk_order(relative: str) -> tuple[tuple[int, str, str], ...]:
    """The place of a file, by its ``/``-separated path below an input folder, in the order :meth:`Inputs.walk`
    yields files: for listings made another way (object storage), so that every storage gives one order."""
    *folders, name = relative.split("/")
    return (*((1, folder, "") for folder in folders), (0, *_stem_first(name)))


def selects_nothing(_name: str) -> bool:
    return False
