"""The command line's batch machinery: find the inputs, plan the outputs, convert in worker processes.

Data flows one way and never all at once::

    walk (lazy, sorted)  ->  plan (one Task or a decided Outcome per file)
        ->  run (in order, in-process or in a bounded window of worker chunks)
        ->  the caller reports each Outcome in input order

Workers read, parse, render and write each file themselves (atomically), so
only paths go out and small :class:`Outcome` tuples come back; the parent
holds at most ``window`` chunks of them. Outcomes come back in input order
whatever the number of workers, which is what makes output and messages
identical for ``--jobs 1`` and ``--jobs 8``.
"""

from __future__ import annotations

import collections
import contextlib
import fnmatch
import gc
import os
import re
import signal
import stat
import sys
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeGuard, cast

from newsarticle._atomic import STOP_SIGNALS, is_temporary, remove_stale, signals_deferred, write_atomic
from newsarticle._parser import MAX_INPUT_SIZE
from newsarticle._paths import (
    FolderCheck,
    InputRefused,
    Resolver,
    display,
    file_kind,
    inside,
    read_input,
    read_limited,
    real,
    within,
)

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from newsarticle import Article, Diagnostic

__all__ = [
    "CHECKED",
    "CONVERTED",
    "FAILED",
    "SKIPPED",
    "Chunk",
    "Found",
    "Inputs",
    "Job",
    "LocalWorkers",
    "Outcome",
    "Problem",
    "Runner",
    "Task",
    "TimeLimitExceeded",
    "Workers",
    "chunked",
    "is_decided",
    "jsonl_line",
    "lost",
    "plan_mirror",
    "process",
    "run_file",
    "settle",
    "time_limit",
]

CONVERTED = "converted"
CHECKED = "checked"
FAILED = "failed"
SKIPPED = "skipped"

#: The name a file read from standard input has in messages.
STDIN_NAME = "<stdin>"


class Problem(NamedTuple):
    """One diagnostic or failure, printable like a compiler message.

    ``path`` is the file's real name (it may hold surrogate escapes); every way
    out (``str``, :meth:`to_dict`) shows it, and the message, through
    :func:`~newsarticle._paths.display`, so no writer meets a surrogate.
    """

    path: str
    line: int | None
    column: int | None
    code: str
    message: str

    def __str__(self) -> str:
        path = display(self.path)
        where = path if self.line is None else f"{path}:{self.line}:{self.column or 1}"
        return f"{where}: {self.code}: {display(self.message)}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": display(self.path),
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "message": display(self.message),
        }


class Task(NamedTuple):
    """One file to process: ``source`` as the user spelled it (``-`` is standard input)."""

    source: str
    output: str | None  # None: the result travels back to the parent (stdout, JSON Lines)
    # Whether reading may follow a symbolic link: a file named on the command line, or --follow-symlinks.
    follow: bool = True
    # Where the walk found the file (its folder, resolved); checked again before reading, unless following
    # links: a folder on the way swapped for a link since is refused (code ``symlink``). None: not checked.
    folder: str | None = None
    # Where the output's folder led when it was planned (resolved); checked again right before writing:
    # one swapped for a link out of the output folder since is refused (code ``output-outside``).
    output_folder: str | None = None


class Outcome(NamedTuple):
    """What happened to one input file."""

    source: str
    status: str
    output: str | None = None
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    data: bytes | None = None


class Job(NamedTuple):
    """What every file of one command goes through; sent once to each worker."""

    mode: str  # "render", "jsonl" or "check"
    format: str | None = None
    options: dict[str, Any] = {}  # noqa: RUF012 -- a NamedTuple default, never mutated
    locale: str | None = None
    transforms: tuple[str, ...] = ()
    strict: bool = False
    max_size: int | None = MAX_INPUT_SIZE  # bytes; None: no limit (--max-size)


# -- inputs -------------------------------------------------------------------


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
        self.file_ids = {identity for identity in map(_identity, self.files) if identity is not None}
        # The input folders by device and inode: a bind mount of one has its identity, not its path.
        self._folder_ids = {
            identity: folder
            for identity, folder in zip(map(_identity, self.real_folders), self.real_folders, strict=True)
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
        identity = _identity(argument)
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
                elif not is_temporary(entry.name) and selected(entry.name):
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
            if entry.inode() in self._folder_inodes and _identity(entry.path) in self._folder_ids:
                message = "skipped: this folder is also an input folder given by another name (a bind mount)"
                return "skip-folder", Problem(entry.path, None, None, "overlap", message)
            identity = _identity(entry.path) if self.follow_symlinks else None
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
            identity = _identity(path)
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
        if resolved in self.real_files or _identity(path) in self.file_ids:
            return True
        directory, name = os.path.split(resolved)
        return self.selects_in(directory)(name)

    def selects_in(self, directory: str) -> Callable[[str], bool]:
        """Whether a file name in ``directory`` (resolved) names an input, without the explicit input files."""
        directory = self.locate(directory)
        if self.prune is not None and within(directory, self.prune):
            return _nothing
        selectors = [self.selector(directory, folder) for folder in self.real_folders if within(directory, folder)]
        if not selectors:
            return _nothing
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
            identity = _identity(argument) if os.path.isdir(argument) else None  # hard-linked files stay two
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


def _identity(path: str) -> tuple[int, int] | None:
    """Device and inode of an existing file (through links), else None."""
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    return status.st_dev, status.st_ino


def _stem_first(name: str) -> tuple[str, str]:
    return os.path.splitext(name)[0], name


def _nothing(_name: str) -> bool:
    return False


def output_name(relative: str, suffix: str) -> str:
    """``sub/a.txt`` with suffix ``.html`` is ``sub/a.html``."""
    root, _extension = os.path.splitext(relative)
    return root + suffix


def plan_mirror(inputs: Inputs, output_folder: str, suffix: str, *, force: bool) -> Iterator[Task | Outcome]:
    """One Task per input file, its output in ``output_folder`` at the same relative path.

    Decided here, in input order and without a worker: an output that would
    overwrite an input (refused; compared by resolved path, and by device and
    inode for an existing output), one whose folder leads out of the output
    folder through a symbolic link (refused), one that two inputs would write
    (refused), and one that exists already (skipped unless ``force``). Each
    Task carries where its input's folder and its output's folder led, for
    :func:`process` to check again right before reading and writing.
    """
    base = inputs.base()
    output_abs = os.path.abspath(output_folder)
    output_real = real(output_folder)
    resolve = Resolver()
    parent: str | None = None
    out_dir = out_dir_abs = out_dir_real = ""
    escapes = False
    selected: Callable[[str], bool] = _nothing
    existing: set[str] = set()
    # Two files can only share an output when they share a folder and a name without
    # suffix (a.txt and a.md), and walk() yields those one after the other.
    previous = previous_source = ""
    for item in inputs.walk():
        if isinstance(item, Outcome):
            yield item
            continue
        source, absolute, follow, folder = item
        directory, name = os.path.split(absolute)
        if directory != parent:
            # Paths are worked out once per directory: the loop runs in the parent for every file.
            parent = directory
            relative = _below(directory, base)
            out_dir = os.path.normpath(os.path.join(output_folder, relative))
            out_dir_abs = os.path.normpath(os.path.join(output_abs, relative))
            out_dir_real = resolve(out_dir_abs)
            escapes = not within(out_dir_real, output_real)
            selected = inputs.selects_in(out_dir_real)
            names = _names_in(out_dir_abs)
            if not escapes:
                # Before any worker writes here: a killed run's temporary files go, a live writer's stay.
                remove_stale(out_dir_abs, names)
            existing = set() if force else names
        out_name = output_name(name, suffix)
        output = os.path.join(out_dir, out_name)
        target = os.path.join(out_dir_abs, out_name)
        if target == previous:
            problem = Problem(
                source, None, None, "output-collision", f"{output} is the output of {previous_source} already"
            )
            yield Outcome(source, FAILED, output, errors=(problem,))
            continue
        previous, previous_source = target, source
        if escapes:
            message = (
                f"refused: the folder of {output} leads outside the output folder (a symbolic link to {out_dir_real})"
            )
            yield Outcome(source, FAILED, output, errors=(Problem(source, None, None, "output-outside", message),))
        elif os.path.join(out_dir_real, out_name) in inputs.real_files or selected(out_name):
            problem = Problem(source, None, None, "overwrites-input", f"refused: the output {output} is an input")
            yield Outcome(source, FAILED, output, errors=(problem,))
        elif out_name in existing:
            yield Outcome(source, SKIPPED, output)
        elif force and _is_link_of(target, source, inputs):
            message = f"refused: the output {output} is the same file as an input (a hard link, or a link's target)"
            yield Outcome(source, FAILED, output, errors=(Problem(source, None, None, "overwrites-input", message),))
        else:
            yield Task(source, output, follow, folder, out_dir_real)


def _below(directory: str, base: str) -> str:
    """``directory`` relative to ``base``, which holds it: a slice, where ``os.path.relpath``
    would split and rejoin every component (quadratic over a deep tree)."""
    if directory == base:
        return os.curdir
    if inside(directory, base):
        return directory[len(base.rstrip(os.sep)) + 1 :]
    return os.path.relpath(directory, base)


def _is_link_of(target: str, source: str, inputs: Inputs) -> bool:
    """Whether an existing ``target`` is ``source`` itself (a hard link, or the file a followed link
    leads to) or an input file named on the command line: two ``stat`` calls, for an existing output only."""
    try:
        status = os.lstat(target)
    except OSError:
        return False
    if not stat.S_ISREG(status.st_mode):
        return False  # a link or anything else at the output's name is replaced, never written through
    identity = (status.st_dev, status.st_ino)
    return identity in inputs.file_ids or identity == _identity(source)


def _names_in(directory: str) -> set[str]:
    """The names in ``directory`` (none if it does not exist): one listing instead of a stat per file."""
    try:
        return set(os.listdir(directory))
    except (FileNotFoundError, NotADirectoryError):
        return set()


# -- one file -------------------------------------------------------------------


def process(task: Task, job: Job) -> Outcome:
    """Read, parse and (unless checking) render and write one file. Never raises for a bad file."""
    from newsarticle import NewsArticleError, ParseError, parse

    name = STDIN_NAME if task.source == "-" else task.source
    warnings: list[Problem] = []

    def note(diagnostic: Diagnostic) -> None:
        warnings.append(Problem(name, diagnostic.line, diagnostic.column, diagnostic.code, diagnostic.message))

    def failed(code: str, message: str, line: int | None = None, column: int | None = None) -> Outcome:
        error = Problem(name, line, column, code, message)
        return Outcome(task.source, FAILED, task.output, errors=(error,), warnings=tuple(warnings))

    try:
        if task.source == "-":
            data = _read_stdin(job.max_size)
        elif task.folder is not None and not task.follow and not _CHECK_FOLDER(_folder_of(task.source), task.folder):
            message = f"not read: its folder no longer leads to {task.folder}, where it was listed (replaced by a link)"
            return failed("symlink", message)
        else:
            data = read_input(task.source, follow_symlinks=task.follow, max_size=job.max_size)
    except InputRefused as exc:
        return failed(exc.code, exc.message)
    except OSError as exc:
        return failed("io", exc.strerror or str(exc))
    try:
        # The article names its file as messages do: JSON and every renderer encode it strictly.
        source = None if task.source == "-" else display(task.source)
        article = parse(data, source=source, on_diagnostic=note, max_size=job.max_size)
    except ParseError as exc:
        return failed(exc.code, exc.message, exc.line, exc.column)
    except Exception as exc:  # a parser bug must not stop the batch
        return failed("internal", f"the parser failed: {exc!r}")
    if job.strict and warnings:
        return Outcome(task.source, FAILED, task.output, errors=tuple(warnings))
    if job.mode == "check":
        return Outcome(task.source, CHECKED, warnings=tuple(warnings))
    try:
        if job.mode == "jsonl":
            rendered: str | bytes = jsonl_line(article, job.locale, job.transforms)
        else:
            assert job.format is not None
            from newsarticle._render import render_encoded

            # Encoded once: the check for text that cannot be written is that same encode.
            rendered = render_encoded(article, job.format, locale=job.locale, transforms=job.transforms, **job.options)
    except NewsArticleError as exc:
        return failed(_error_code(exc), str(exc))
    except Exception as exc:
        return failed("internal", f"rendering failed: {exc!r}")
    payload = rendered.encode("utf-8") if isinstance(rendered, str) else bytes(rendered)
    if task.output is None:
        return Outcome(task.source, CONVERTED, warnings=tuple(warnings), data=payload)
    _work_done()
    if task.output_folder is not None and not _CHECK_FOLDER(_folder_of(task.output), task.output_folder):
        message = f"refused: the folder of {task.output} no longer leads to {task.output_folder} (replaced by a link)"
        return failed("output-outside", message)
    try:
        write_atomic(task.output, payload)
    except OSError as exc:
        return failed("io", f"cannot write {task.output}: {exc.strerror or exc}")
    return Outcome(task.source, CONVERTED, task.output, warnings=tuple(warnings))


# The folders found right once in this process, so that each file costs a few system calls.
_CHECK_FOLDER = FolderCheck()


def _folder_of(path: str) -> str:
    return os.path.dirname(os.path.abspath(path))


def _read_stdin(max_size: int | None) -> bytes:
    data = read_limited(sys.stdin.buffer, 0, max_size)  # a pipe that never ends is not read whole
    if max_size is not None and len(data) > max_size:
        raise InputRefused("too-large", f"not read: more than the limit of {max_size:,} bytes (--max-size)")
    return data


def _error_code(exc: Exception) -> str:
    from newsarticle import OptionError, PluginError, UnknownLocaleError

    if isinstance(exc, PluginError):
        return "plugin"
    if isinstance(exc, OptionError):
        return "option"
    if isinstance(exc, UnknownLocaleError):
        return "locale"
    return "render"


# Characters that str.splitlines() and some JSON Lines readers take for line ends;
# JSON allows them raw inside strings, so json.dumps(ensure_ascii=False) keeps them.
_LINE_BREAKS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def jsonl_line(article: Article, locale: str | None = None, transforms: Iterable[str] = ()) -> str:
    """One line of the ``jsonl`` corpus: the ``json`` renderer's compact output (``indent=0``).

    So every line has exactly the data, key order and schema of ``-t json``,
    and ``from_json`` reads each line back.
    """
    from newsarticle import render

    text = render(article, "json", locale=locale, transforms=tuple(transforms), indent=0)
    assert isinstance(text, str)
    return text.rstrip("\n").translate(_LINE_BREAKS) + "\n"


# -- time limit ---------------------------------------------------------------------

#: The per-file time limit (``--timeout``) when none is given, in seconds; 0 means none.
DEFAULT_TIMEOUT = 60.0
#: How long past the time limit a worker may stay on one file before the parent kills it:
#: the limit raises inside Python code, but a hang in C code never returns to the interpreter.
KILL_GRACE = 5.0
TIMEOUT = "timeout"


class TimeLimitExceeded(BaseException):
    """Raised by SIGALRM inside a file's read, parse or render.

    A BaseException, like KeyboardInterrupt, so that the ``except Exception``
    of a renderer or of :func:`process` cannot swallow it. It never leaves
    :func:`run_file` or the command's probe, so it is no library error.
    """


def _alarm(_signum: int, _frame: object) -> None:
    raise TimeLimitExceeded


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`TimeLimitExceeded` in the block after ``seconds`` (0: never).

    Only where SIGALRM exists (not on Windows) and in the main thread (not in a
    Dask worker's task thread): elsewhere the block runs without a limit.
    """
    setitimer = getattr(signal, "setitimer", None)
    if seconds <= 0 or setitimer is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _alarm)
    setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# What process() calls when a file is rendered and about to be written (run_file's before_write);
# per thread, because a Dask worker runs chunks in several threads.
_file_state = threading.local()


def _work_done() -> None:
    """The file is rendered: from here on it is written and reported, never given up half-way.

    Cancels the time limit, and calls the ``before_write`` that :func:`run_file`
    was given (in-process, it makes Ctrl-C wait until the file is reported).
    """
    setitimer = getattr(signal, "setitimer", None)
    if setitimer is not None and threading.current_thread() is threading.main_thread():
        setitimer(signal.ITIMER_REAL, 0)
    before_write: Callable[[], None] | None = getattr(_file_state, "before_write", None)
    if before_write is not None:
        before_write()


def run_file(task: Task, job: Job, timeout: float, before_write: Callable[[], None] | None = None) -> Outcome:
    """:func:`process` under the per-file time limit; a file over it fails with code ``timeout``.

    Standard input has no limit: a pipe may be slow to fill.
    """
    _file_state.before_write = before_write
    try:
        with time_limit(timeout if task.source != "-" else 0.0):
            return process(task, job)
    except TimeLimitExceeded:
        reason = f"took longer than the time limit of {timeout:g} s (--timeout); nothing was written for it"
        return lost(task, reason, TIMEOUT)
    finally:
        _file_state.before_write = None


# -- workers ---------------------------------------------------------------------

#: How long an interrupted run waits for the workers to finish the file each is on.
STOP_GRACE = 10.0
#: How long a worker that was told to go may take to exit before it is killed.
EXIT_GRACE = 2.0
#: A pause this long between the parent's looks at the workers is the parent's own (a slow
#: reader of its output): the workers' silence during it does not count against them.
PARENT_AWAY = 1.0
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _die_with_parent(parent: int) -> None:
    """Make this worker end when the command's process dies, even by SIGKILL.

    On Linux the kernel sends SIGTERM when the parent dies (held back while a
    file is being written, so the file is whole first); elsewhere the worker
    checks its parent between files (:func:`_worker_loop`).
    """
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):  # a libc without prctl: the check below remains
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _unblock(*signums: int) -> None:
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is not None:
        mask(signal.SIG_UNBLOCK, set(signums))


def _worker_loop(connection: Connection, job: Job, *, stop: Any, started: Any, timeout: float, parent: int) -> None:
    """A worker process: receive a chunk of tasks, send one outcome per file, then None; until None comes."""
    # Ctrl-C and a closed terminal's SIGHUP reach the whole process group; only the parent
    # decides what they mean (it stops the run and writes the report).
    # SIGTERM keeps its default so that a worker ends at once; while write_atomic
    # holds a temporary file it is held back, so the file is whole first.
    for number in STOP_SIGNALS:
        signal.signal(number, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, which a fork inherits
    # Forked with them held back (LocalWorkers._start): one that came meanwhile acts now, by these rules.
    _unblock(*STOP_SIGNALS)
    _die_with_parent(parent)
    while True:
        try:
            tasks: list[Task] | None = connection.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if tasks is None:
            return
        for task in tasks:
            if stop.value or os.getppid() != parent:
                break  # interrupted: report what is done, leave the rest to a rerun
            # The parent reads this clock to kill a worker stuck past the limit in C code.
            started.value = time.monotonic()
            outcome = run_file(task, job, timeout)
            started.value = 0.0  # sending is not working on the file: a slow reader must not look like a hang
            if not _send(connection, outcome):
                return
        if not _send(connection, None):
            return


def _send(connection: Connection, message: Outcome | None) -> bool:
    """Send to the parent; False when it is gone."""
    try:
        connection.send(message)
    except OSError:
        return False
    return True


class Chunk(Protocol):
    """A chunk of files in flight on some worker."""

    def ready(self) -> bool: ...

    def wait(self, timeout: float) -> None: ...

    def outcomes(self) -> list[Outcome]:
        """The chunk's outcomes once ready; a chunk whose worker failed gives failures, never an exception."""


class Workers(Protocol):
    """Where chunks of files are processed: local worker processes, or a Dask cluster's workers."""

    window: int

    def submit(self, tasks: list[Task]) -> Chunk: ...

    def stop(self) -> None:
        """Start no new file: workers finish the one they are on."""

    def close(self, *, finished: bool) -> None:
        """Release the workers; unless ``finished``, after the chunks in flight have settled."""

    def failure(self) -> str | None:
        """Why no further file can be processed (a lost Dask scheduler), or None."""


#: The context a file runs in, in-process: it may give a function to call once the file is rendered.
Interruptible = contextlib.AbstractContextManager[Callable[[], None] | None]


class Runner:
    """Processes planned items in input order: in-process (``jobs == 1``), or on :class:`Workers`.

    With workers, items are fed lazily in chunks that grow from 4 files to
    ``chunk`` (a small batch is spread over every worker; a large one pays
    little for the pipes), at most ``workers.window`` chunks are in flight,
    and outcomes are yielded in input order.
    ``interrupted`` is polled between files (in-process) or ten times a
    second (with workers). When it returns True, or the consumer stops early
    (``--fail-fast``), the workers are told to stop after their current file,
    what they finished is still yielded (after an interrupt), and the workers
    are released; :attr:`interrupted` tells the caller. When the workers
    report a :meth:`~Workers.failure` (a lost Dask scheduler), the chunks in
    flight give their (failed) outcomes and the run ends; :attr:`failure`
    tells the caller why.
    In-process, each file runs inside ``interruptible()``, a context in which
    the interrupt raises KeyboardInterrupt at once (so a hanging renderer can
    be stopped); the file in progress is then left for a rerun. The context
    gives a function that ends this early: once a file is rendered, its write
    and its outcome are not interrupted, so every file written is counted.
    ``timeout`` is the per-file time limit (:func:`run_file`; 0 for none).
    """

    def __init__(
        self,
        job: Job,
        *,
        jobs: int,
        interrupted: Callable[[], bool],
        chunk: int = 64,
        workers: Callable[[Job], Workers] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        interruptible: Callable[[], Interruptible] = contextlib.nullcontext,
    ) -> None:
        self.job = job
        self.jobs = jobs
        self.chunk = chunk
        self.timeout = timeout
        self._interrupted = interrupted
        self._interruptible = interruptible
        self._workers = workers
        self.interrupted = False
        self.failure: str | None = None
        self._started = False

    def run(self, items: Iterable[Task | Outcome]) -> Generator[Outcome, None, None]:
        """The outcomes, in input order. Workers start with the first outcome asked for, not before:
        a generator that is never started (the command failed to open its outputs) leaves none behind."""
        if self._workers is None and self.jobs <= 1:
            return self._run_here(items)
        return self._run_on(items)

    def close(self) -> None:
        """Release workers given to this runner that no run has used (a run releases its own)."""
        if self._workers is not None and not self._started:
            self._started = True
            self._workers(self.job).close(finished=True)

    def _make_workers(self) -> Workers:
        self._started = True
        if self._workers is not None:
            return self._workers(self.job)
        return LocalWorkers(self.job, self.jobs, timeout=self.timeout, interrupted=self._interrupted)

    def _run_here(self, items: Iterable[Task | Outcome]) -> Generator[Outcome, None, None]:
        for item in items:
            if self._interrupted():
                self.interrupted = True
                return
            if isinstance(item, Outcome):
                yield item
                continue
            try:
                with self._interruptible() as calm:
                    outcome = run_file(item, self.job, self.timeout, calm)
            except KeyboardInterrupt:  # writes hold the signal back, so nothing is half-written
                self.interrupted = True
                return
            yield outcome

    def _run_on(self, items: Iterable[Task | Outcome]) -> Generator[Outcome, None, None]:
        workers = self._make_workers()
        pending: collections.deque[Chunk | list[Outcome]] = collections.deque()
        entries = chunked(items, self.chunk)
        finished = False
        try:
            while True:
                self.failure = workers.failure()
                if self.failure is not None:
                    # Every chunk in flight is lost with it (their outcomes say so); the rest is left for a rerun.
                    workers.stop()
                    for settled in settle(pending):
                        yield from settled.outcomes()
                    pending.clear()
                    return
                if self._interrupted():
                    self.interrupted = True
                    workers.stop()
                    # What the workers finish now is whole and written: count it. Decided
                    # entries (skips, refusals) lie beyond the interruption and are left out.
                    for settled in settle(pending):
                        yield from settled.outcomes()
                    pending.clear()  # settled or given up on: the grace is not waited out twice
                    return
                while len(pending) < workers.window:
                    entry = next(entries, None)
                    if entry is None:
                        break
                    pending.append(entry if is_decided(entry) else workers.submit(cast("list[Task]", entry)))
                if not pending:
                    break
                head = pending[0]
                if isinstance(head, list):
                    pending.popleft()
                    yield from head
                elif head.ready():
                    pending.popleft()
                    yield from head.outcomes()
                else:
                    head.wait(0.1)
            finished = True
        finally:
            if not finished:
                workers.stop()
                for _settled in settle(pending):
                    pass
            workers.close(finished=finished)


class _LocalChunk:
    """A chunk's outcomes as they arrive, one per file; ``finished`` once its worker sent its end (or was lost)."""

    def __init__(self, workers: LocalWorkers, tasks: list[Task]) -> None:
        self.workers = workers
        self.tasks = tasks
        self.done: list[Outcome] = []
        self.finished = False

    def ready(self) -> bool:
        if not self.finished:
            self.workers.pump(0.0)
        return self.finished

    def wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not self.finished:
            self.workers.pump(max(0.0, deadline - time.monotonic()))
            if time.monotonic() >= deadline:
                return

    def outcomes(self) -> list[Outcome]:
        return self.done


class _Worker:
    """One worker process, the parent's end of its pipe, and the chunk it is on."""

    def __init__(self, process: Any, connection: Connection, started: Any) -> None:
        self.process = process
        self.connection = connection
        self.started = started  # when the worker began its current file (time.monotonic), 0.0 between files
        self.chunk: _LocalChunk | None = None
        # When the parent last heard from it (a chunk sent, an outcome received), on the parent's clock:
        # a worker stopped while it sends or waits has no file started, yet holds a chunk.
        self.heard = time.monotonic()
        self.killed_for_time = False
        self.was_on_file = False
        self.torn = False


class LocalWorkers:
    """Worker processes on this machine, each with a pipe of its own, stopped between files by a shared flag.

    The parent knows which chunk each worker is on and gets one outcome per
    file, so a worker that dies (the out-of-memory killer, ``kill -9``) costs
    only the file it was on: that file fails with code ``worker``, a new
    worker takes its place and the rest of its chunk. A worker stuck on one
    file past the time limit plus :data:`KILL_GRACE` (a hang in C code that
    SIGALRM cannot break) is killed the same way, and its file fails with code
    ``timeout``; so is one that holds a chunk and sends nothing for that long
    in any state (stopped with SIGSTOP between files, blocked on its pipe): its
    next file fails with code ``worker``. Every wait in the parent is bounded
    by the time limit; with no time limit a stopped worker cannot be told from
    a slow one, and only an interrupt ends the wait.
    """

    def __init__(
        self, job: Job, jobs: int, *, timeout: float = 0.0, interrupted: Callable[[], bool] = lambda: False
    ) -> None:
        import multiprocessing

        # Fork where there is fork: the worker must be the command's child to die with it,
        # and a forked worker inherits "ignore SIGINT" and the imported modules at once.
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        self._context: Any = multiprocessing.get_context(method)
        self.window = 4 * jobs
        self.job = job
        self.timeout = timeout
        self._interrupted = interrupted
        self._stop = self._context.RawValue("b", 0)
        self._queue: collections.deque[_LocalChunk] = collections.deque()
        self._workers = [self._start() for _ in range(jobs)]
        self._last_pump = time.monotonic()

    def _start(self) -> _Worker:
        parent_end, child_end = self._context.Pipe()
        started = self._context.RawValue("d", 0.0)
        process = self._context.Process(
            target=_worker_loop,
            args=(child_end, self.job),
            kwargs={"stop": self._stop, "started": started, "timeout": self.timeout, "parent": os.getpid()},
            daemon=True,
        )
        # Forked workers ignore SIGINT from their very first instruction, and share a
        # frozen heap: the collector never walks (and so never copies) the parent's objects.
        # SIGTERM is held back across the fork: until the worker sets its own handler, it has the
        # parent's, which only sets a flag, so a SIGTERM then (multiprocessing's exit) would be lost
        # and the parent would wait on that worker for ever.
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        gc.freeze()
        try:
            with signals_deferred():
                process.start()
        finally:
            gc.unfreeze()
            signal.signal(signal.SIGINT, previous)
        child_end.close()  # so that the parent reads end-of-file when the worker dies
        return _Worker(process, parent_end, started)

    def submit(self, tasks: list[Task]) -> Chunk:
        chunk = _LocalChunk(self, tasks)
        if self._stop.value:
            chunk.finished = True
        else:
            self._queue.append(chunk)
            self._dispatch()
        return chunk

    def failure(self) -> None:
        """None: a lost local worker is replaced, and the run goes on."""

    def stop(self) -> None:
        self._stop.value = 1
        while self._queue:  # never started: nothing to report, a rerun does them
            self._queue.popleft().finished = True

    def pump(self, timeout: float) -> None:
        """Wait at most ``timeout`` for news from the workers, and act on it."""
        from multiprocessing.connection import wait

        self._excuse_absence()
        busy = [worker for worker in self._workers if worker.chunk is not None]
        if busy:
            waitables: list[Any] = [worker.connection for worker in busy]
            waitables += [worker.process.sentinel for worker in busy]
            wait(waitables, timeout=min(timeout, self._until_deadline(busy)))
        for worker in busy:
            self._receive(worker)
        self._enforce_time_limit()
        self._dispatch()
        self._last_pump = time.monotonic()

    def _excuse_absence(self) -> None:
        """After the parent was away (its reader was slow, the machine slept), the workers start a fresh
        period: their silence meanwhile may have been a send waiting on the parent."""
        now = time.monotonic()
        if now - self._last_pump > PARENT_AWAY:
            for worker in self._workers:
                worker.heard = max(worker.heard, now)

    def _until_deadline(self, busy: list[_Worker]) -> float:
        if self.timeout <= 0:
            return float("inf")
        return max(0.0, min(worker.heard for worker in busy) + self.timeout + KILL_GRACE - time.monotonic())

    def _receive(self, worker: _Worker) -> None:
        chunk = worker.chunk
        assert chunk is not None
        # A worker stopped half-way through sending leaves a message that recv would wait on for ever.
        limit = self.timeout + KILL_GRACE if self.timeout > 0 else 0.0
        try:
            while worker.connection.poll():
                with time_limit(limit):
                    message: Outcome | None = worker.connection.recv()
                worker.heard = time.monotonic()
                if message is None:
                    chunk.finished = True
                    worker.chunk = None
                    return
                chunk.done.append(message)
        except (EOFError, OSError):  # died, possibly half-way through a message
            self._lost(worker)
            return
        except TimeLimitExceeded:
            worker.torn = True  # the pipe holds the rest of a message: nothing more can be read from it
            self._kill_silent(worker)
            return
        if not worker.process.is_alive():
            self._lost(worker)

    def _enforce_time_limit(self) -> None:
        if self.timeout <= 0:
            return
        now = time.monotonic()
        for worker in self._workers:
            if worker.chunk is not None and now - worker.heard > self.timeout + KILL_GRACE:
                self._kill_silent(worker)

    def _kill_silent(self, worker: _Worker) -> None:
        """Kill a worker that sent nothing for longer than the limit plus the grace, and take its loss."""
        # Read before the kill: a worker stopped between files must not be said to be slow on one.
        worker.was_on_file = bool(worker.started.value)
        worker.killed_for_time = True
        worker.process.kill()
        worker.process.join(EXIT_GRACE)
        self._lost(worker)

    def _lost(self, worker: _Worker) -> None:
        """The worker died on its chunk: fail the file it was on, and hand the rest to a new worker."""
        chunk = worker.chunk
        assert chunk is not None
        worker.process.join(EXIT_GRACE)
        if worker.process.is_alive():  # its pipe broke, yet it lives: make sure
            worker.process.kill()
            worker.process.join(EXIT_GRACE)
        if not worker.torn:
            _drain(worker.connection, chunk)
        worker.connection.close()
        if chunk.finished:  # it had sent its end before it died: nothing was lost, _dispatch replaces it
            worker.chunk = None
            return
        index = self._workers.index(worker)
        stopping = bool(self._stop.value) or self._interrupted()
        if not stopping and len(chunk.done) < len(chunk.tasks):
            task = chunk.tasks[len(chunk.done)]
            if worker.killed_for_time and not worker.was_on_file:
                reason = (
                    f"its worker sent nothing for longer than the time limit of {self.timeout:g} s (--timeout)"
                    f" plus {KILL_GRACE:g} s while on no file (stopped, or blocked sending), so it was killed;"
                    " run the same command again to finish it"
                )
                chunk.done.append(lost(task, reason))
            elif worker.killed_for_time:
                reason = (
                    f"took longer than the time limit of {self.timeout:g} s (--timeout) and did not stop"
                    " (stuck outside Python code, or its process stopped), so its worker was killed"
                )
                chunk.done.append(lost(task, reason, TIMEOUT))
            else:
                # Killed at any moment: most likely mid-file, but possibly just after the file was written whole.
                reason = f"{_death(worker.process.exitcode)}; run the same command again to finish it"
                chunk.done.append(lost(task, reason))
            if task.output is not None:  # killed while writing it, the worker left its temporary file
                remove_stale(os.path.dirname(os.path.abspath(task.output)))
        if stopping or len(chunk.done) >= len(chunk.tasks):
            # Interrupted: the rest of the chunk is left for a rerun, like the files not started.
            chunk.finished = True
        else:
            self._queue.appendleft(chunk)  # first in line: the run waits for it
        self._workers[index] = self._start() if not stopping else worker
        if stopping:
            worker.chunk = None

    def _dispatch(self) -> None:
        if self._stop.value:
            return
        for index, worker in enumerate(self._workers):
            if not self._queue:
                return
            if worker.chunk is not None:
                continue
            if not worker.process.is_alive():  # died while idle: it had no file to lose
                worker.process.join(EXIT_GRACE)
                worker.connection.close()
                self._workers[index] = self._start()
            self._send_chunk(self._workers[index])

    def _send_chunk(self, worker: _Worker) -> None:
        chunk = self._queue.popleft()
        try:
            worker.connection.send(chunk.tasks[len(chunk.done) :])
        except OSError:  # died just now: the next round replaces it
            self._queue.appendleft(chunk)
            return
        worker.chunk = chunk
        worker.heard = time.monotonic()

    def close(self, *, finished: bool) -> None:
        for worker in self._workers:
            if worker.process.exitcode is None and not worker.connection.closed:
                with contextlib.suppress(OSError):
                    if finished or worker.chunk is None:
                        worker.connection.send(None)
        deadline = time.monotonic() + EXIT_GRACE
        for worker in self._workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                # Still on a file after the grace: SIGTERM waits for a write in progress.
                worker.process.terminate()
                worker.process.join(EXIT_GRACE)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(EXIT_GRACE)
            worker.connection.close()


def _drain(connection: Connection, chunk: _LocalChunk) -> None:
    """Take the whole messages a dead worker sent before it died: they may have come after the last look."""
    with contextlib.suppress(EOFError, OSError):
        while connection.poll():
            message: Outcome | None = connection.recv()
            if message is None:
                chunk.finished = True
                return
            chunk.done.append(message)


def _death(exitcode: int | None) -> str:
    """How a worker ended, for the record of the file it was on."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = "an unknown signal"
        hint = " (the out-of-memory killer sends it)" if -exitcode == signal.SIGKILL else ""
        return f"the worker processing it was killed (signal {-exitcode}, {name}{hint})"
    return f"the worker processing it exited unexpectedly (status {exitcode})"


def lost(task: Task, reason: str, code: str = "worker") -> Outcome:
    """The failure of a file whose worker did not give its outcome (``reason`` says why)."""
    problem = Problem(task.source, None, None, code, reason)
    return Outcome(task.source, FAILED, task.output, errors=(problem,))


def settle(pending: Iterable[Chunk | list[Outcome]]) -> Iterator[Chunk]:
    """Wait (at most STOP_GRACE in all) for the chunks in flight; yield those that are done, in order."""
    deadline = time.monotonic() + STOP_GRACE
    for waiting in pending:
        if not isinstance(waiting, list):
            waiting.wait(max(0.0, deadline - time.monotonic()))
            if waiting.ready():
                yield waiting


def is_decided(entry: list[Task] | list[Outcome]) -> TypeGuard[list[Outcome]]:
    return isinstance(entry[0], Outcome)


def chunked(items: Iterable[Task | Outcome], largest: int) -> Iterator[list[Task] | list[Outcome]]:
    """Group consecutive tasks (and consecutive decided outcomes) into lists of 4, 8, ... up to ``largest``."""
    tasks: list[Task] = []
    decided: list[Outcome] = []
    size = min(4, largest)
    for item in items:
        if isinstance(item, Outcome):
            if tasks:
                yield tasks
                tasks = []
            decided.append(item)
            if len(decided) >= size:
                yield decided
                decided = []
        else:
            if decided:
                yield decided
                decided = []
            tasks.append(item)
            if len(tasks) >= size:
                yield tasks
                tasks = []
                size = min(2 * size, largest)
    if tasks:
        yield tasks
    if decided:
        yield decided
