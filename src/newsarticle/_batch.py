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
import fnmatch
import gc
import os
import re
import signal
import stat
import sys
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeGuard, cast

from newsarticle._atomic import is_temporary, remove_stale, write_atomic
from newsarticle._paths import InputRefused, Resolver, display, file_kind, inside, read_input, real, within

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult

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
    "Workers",
    "chunked",
    "is_decided",
    "jsonl_line",
    "lost",
    "plan_mirror",
    "process",
    "settle",
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


# -- inputs -------------------------------------------------------------------


class Found(NamedTuple):
    """A file to read, found by :meth:`Inputs.walk`."""

    source: str  # as the user would spell it
    absolute: str  # the same, absolute (through any link that was followed: the output mirrors it)
    follow: bool  # whether reading it may follow a symbolic link


class Inputs:
    """The files that INPUT arguments name: files as given, folders walked recursively and in sorted order.

    ``walk()`` is a generator: a folder of a million files is never listed
    whole, only one directory at a time. Every comparison of places uses
    resolved paths (:func:`~newsarticle._paths.real`) and, for the files named
    on the command line, device and inode too.
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
        # An output folder inside an input folder is not read back as input (but
        # an output folder that is an input folder, or holds one, is no exception).
        pruned = real(prune) if prune is not None else None
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
                    found = Found(entry.path, os.path.join(absolute, entry.name), follow)
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
        seen: dict[str, str] = {}
        for argument in self.arguments:
            resolved = real(argument)
            if resolved in seen:
                return f"{display(argument)} is given twice ({display(seen[resolved])} is the same place)"
            seen[resolved] = argument
            for folder, real_folder in zip(self.folders, self.real_folders, strict=True):
                if inside(resolved, real_folder):
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
    (refused), and one that exists already (skipped unless ``force``).
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
        source, absolute, follow = item
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
            yield Task(source, output, follow)


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
        data = sys.stdin.buffer.read() if task.source == "-" else read_input(task.source, follow_symlinks=task.follow)
    except InputRefused as exc:
        return failed(exc.code, exc.message)
    except OSError as exc:
        return failed("io", exc.strerror or str(exc))
    try:
        # The article names its file as messages do: JSON and every renderer encode it strictly.
        article = parse(data, source=None if task.source == "-" else display(task.source), on_diagnostic=note)
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
            from newsarticle import render

            rendered = render(article, job.format, locale=job.locale, transforms=job.transforms, **job.options)
    except NewsArticleError as exc:
        return failed(_error_code(exc), str(exc))
    except Exception as exc:
        return failed("internal", f"rendering failed: {exc!r}")
    payload = rendered.encode("utf-8") if isinstance(rendered, str) else bytes(rendered)
    if task.output is None:
        return Outcome(task.source, CONVERTED, warnings=tuple(warnings), data=payload)
    try:
        write_atomic(task.output, payload)
    except OSError as exc:
        return failed("io", f"cannot write {task.output}: {exc.strerror or exc}")
    return Outcome(task.source, CONVERTED, task.output, warnings=tuple(warnings))


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


# -- workers ---------------------------------------------------------------------

#: How long an interrupted run waits for the workers to finish the file each is on.
STOP_GRACE = 10.0

_worker_job: Job | None = None
_worker_stop: Any = None  # a shared byte: set by the parent to make workers stop between files


def _init_worker(job: Job, stop: Any) -> None:
    global _worker_job, _worker_stop  # one job per worker process
    _worker_job, _worker_stop = job, stop
    # Ctrl-C reaches the whole process group; only the parent decides what it means.
    # SIGTERM (Pool.terminate) keeps its default, so that a worker dies at once; while
    # write_atomic holds a temporary file it is held back, so the file is whole first.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_chunk(tasks: list[Task]) -> list[Outcome]:
    job = _worker_job
    assert job is not None, "worker not initialised"
    outcomes = []
    for task in tasks:
        if _worker_stop is not None and _worker_stop.value:
            break  # interrupted: report what is done, leave the rest to a rerun
        outcomes.append(process(task, job))
    return outcomes


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
    are released; :attr:`interrupted` tells the caller.
    """

    def __init__(
        self,
        job: Job,
        *,
        jobs: int,
        interrupted: Callable[[], bool],
        chunk: int = 64,
        workers: Callable[[Job], Workers] | None = None,
    ) -> None:
        self.job = job
        self.jobs = jobs
        self.chunk = chunk
        self._interrupted = interrupted
        self._workers = workers
        self.interrupted = False

    def run(self, items: Iterable[Task | Outcome]) -> Generator[Outcome, None, None]:
        if self._workers is not None:
            return self._run_on(self._workers(self.job), items)
        if self.jobs <= 1:
            return self._run_here(items)
        return self._run_on(LocalWorkers(self.job, self.jobs), items)

    def _run_here(self, items: Iterable[Task | Outcome]) -> Generator[Outcome, None, None]:
        for item in items:
            if self._interrupted():
                self.interrupted = True
                return
            yield item if isinstance(item, Outcome) else process(item, self.job)

    def _run_on(self, workers: Workers, items: Iterable[Task | Outcome]) -> Generator[Outcome, None, None]:
        pending: collections.deque[Chunk | list[Outcome]] = collections.deque()
        entries = chunked(items, self.chunk)
        finished = False
        try:
            while True:
                if self._interrupted():
                    self.interrupted = True
                    workers.stop()
                    # What the workers finish now is whole and written: count it. Decided
                    # entries (skips, refusals) lie beyond the interruption and are left out.
                    for settled in settle(pending):
                        yield from settled.outcomes()
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
    def __init__(self, result: AsyncResult[list[Outcome]], tasks: list[Task]) -> None:
        self.result = result
        self.tasks = tasks

    def ready(self) -> bool:
        return self.result.ready()

    def wait(self, timeout: float) -> None:
        self.result.wait(timeout)

    def outcomes(self) -> list[Outcome]:
        try:
            return self.result.get()
        except Exception as exc:  # a chunk that could not be sent or run costs its files, not the batch
            return [lost(task, exc) for task in self.tasks]


class LocalWorkers:
    """Worker processes on this machine (a multiprocessing pool), stopped between files by a shared flag."""

    def __init__(self, job: Job, jobs: int) -> None:
        import multiprocessing

        context = multiprocessing.get_context()
        self.window = 4 * jobs
        self._stop = context.RawValue("b", 0)
        # Forked workers inherit "ignore SIGINT" from their very first instruction, and a
        # frozen heap: the collector never walks (and so never copies) the parent's objects.
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        gc.freeze()
        try:
            self._pool = context.Pool(jobs, initializer=_init_worker, initargs=(job, self._stop))
        finally:
            gc.unfreeze()
            signal.signal(signal.SIGINT, previous)

    def submit(self, tasks: list[Task]) -> Chunk:
        return _LocalChunk(self._pool.apply_async(_run_chunk, (tasks,)), tasks)

    def stop(self) -> None:
        self._stop.value = 1

    def close(self, *, finished: bool) -> None:
        if finished:
            self._pool.close()
        else:
            # Every worker has finished its file and gone idle (settle): a worker killed
            # while it sends a result could leave the pool's pipes locked.
            self._pool.terminate()
        self._pool.join()


def lost(task: Task, exc: BaseException) -> Outcome:
    """The failure of a file whose worker failed as a whole."""
    problem = Problem(task.source, None, None, "worker", f"the worker failed: {exc!r}")
    return Outcome(task.source, FAILED, task.output, errors=(problem,))


def settle(pending: Iterable[Chunk | list[Outcome]]) -> Iterator[Chunk]:
    """Wait (at most STOP_GRACE in all) for the chunks in flight; yield those that are done, in order."""
    import time

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
