"""What the batch pieces exchange: a file's task and outcome, the job, the problems, and the workers' interface."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from newsarticle._exceptions import MAX_PLUGIN_TEXT
from newsarticle._format import MAX_INPUT_SIZE
from newsarticle._paths import display

if TYPE_CHECKING:
    from newsarticle._models import Article

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
        return f"{self._where()}: {self.code}: {display(self.message)}"

    def shown(self, severity: str) -> str:
        """The compiler's form, ``file:line:col: warning: code: message`` (or ``error``), which editors
        and CI annotators parse; without line and column when unknown."""
        return f"{self._where()}: {severity}: {self.code}: {display(self.message)}"

    def _where(self) -> str:
        path = display(self.path)
        return path if self.line is None else f"{path}:{self.line}:{self.column or 1}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": display(self.path),
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "message": display(self.message),
        }


def shown_traceback(text: str) -> str:
    """A traceback as printed below its file's error: each line indented, and shown with
    :func:`~newsarticle._paths.display`.

    A plugin's exception message is plugin text: a newline in it would start a
    line of its own, which could pass for one of the command's messages
    (``other.txt:1:1: error: ...``), and a control or bidi character could
    spoof the terminal. Only the traceback's own line ends end its lines, and
    a line is cut as a plugin's text in a message is.
    """
    return "\n".join(f"    {display(_cut(line))}" for line in text.rstrip("\n").split("\n"))


def _cut(line: str) -> str:
    if len(line) <= MAX_PLUGIN_TEXT:
        return line
    return f"{line[:MAX_PLUGIN_TEXT]}... ({len(line) - MAX_PLUGIN_TEXT:,} more characters)"


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
    # Why an existing output is converted again (the manifest's verdict); its outcome carries it to the summary.
    note: str = ""


class Outcome(NamedTuple):
    """What happened to one input file."""

    source: str
    status: str
    output: str | None = None
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    data: bytes | None = None
    # Why it was skipped or converted again, for the summary ("up to date", "the options changed").
    note: str = ""
    # A plugin's or renderer's traceback, with --traceback only.
    traceback: str = ""
    # The output file this run wrote, as the manifest identifies it (see manifest.made_by).
    made: tuple[int, int, int] | None = None
    # The parsed article, for a collection format: the parent adds it to the one output, in input order.
    article: Article | None = None


class Job(NamedTuple):
    """What every file of one command goes through; sent once to each worker."""

    mode: str  # "render" (one output per file), "collect" (a collection format: one output) or "check"
    format: str | None = None
    options: dict[str, Any] = {}  # noqa: RUF012 -- a NamedTuple default, never mutated
    locale: str | None = None
    transforms: tuple[str, ...] = ()
    strict: bool = False
    max_size: int | None = MAX_INPUT_SIZE  # bytes; None: no limit (--max-size)
    language: str | None = None  # the language of a file without a lang: line (--language)
    traceback: bool = False  # a failure inside a plugin or renderer carries its traceback (--traceback)
    # The folder the outputs' paths are relative to, for an option that names an output's place
    # (``-O base_url``: an article's url is its output's path below it). None: to standard output.
    output_root: str | None = None


class Chunk(Protocol):
    """A chunk of files in flight on some worker."""

    def ready(self) -> bool: ...

    def wait(self, timeout: float) -> None: ...

    def outcomes(self) -> list[Outcome]:
        """The chunk's outcomes once ready; a chunk whose worker failed gives failures, never an exception."""


class Workers(Protocol):
    """Where chunks of files are processed: local worker processes, or a Dask cluster's workers."""

    @property
    def window(self) -> int:
        """How many chunks may be in flight now."""

    def submit(self, tasks: list[Task]) -> Chunk: ...

    def stop(self) -> None:
        """Start no new file: workers finish the one they are on."""

    def close(self, *, finished: bool) -> None:
        """Release the workers; unless ``finished``, after the chunks in flight have settled."""

    def failure(self) -> str | None:
        """Why no further file can be processed (a lost Dask scheduler), or None."""


#: The context a file runs in, in-process: it may give a function to call once the file is rendered.
Interruptible = contextlib.AbstractContextManager[Callable[[], None] | None]


def output_name(relative: str, suffix: str) -> str:
    """``sub/a.txt`` with suffix ``.html`` is ``sub/a.html``."""
    root, _extension = os.path.splitext(relative)
    return root + suffix
