"""One file: read, parse, render and write it, under the time limit; never raises for a bad file."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsarticle._diagnostics import Diagnostic
    from newsarticle._models import Article

from newsarticle._atomic import write_atomic
from newsarticle._batch.manifest import made_by
from newsarticle._batch.records import CHECKED, CONVERTED, FAILED, STDIN_NAME, Job, Outcome, Problem, Task
from newsarticle._batch.timelimit import TIMEOUT, TimeLimitExceeded, file_state, time_limit, work_done
from newsarticle._exceptions import (
    MissingURLError,
    NewsArticleError,
    OptionError,
    ParseError,
    PluginError,
    UnknownLocaleError,
)
from newsarticle._parser import parse
from newsarticle._paths import FolderCheck, InputRefused, display, read_input, read_limited


def process(task: Task, job: Job) -> Outcome:
    """Read, parse and (unless checking) render and write one file. Never raises for a bad file."""
    name = STDIN_NAME if task.source == "-" else task.source
    warnings: list[Problem] = []

    def note(diagnostic: Diagnostic) -> None:
        warnings.append(Problem(name, diagnostic.line, diagnostic.column, diagnostic.code, diagnostic.message))

    def failed(code: str, message: str, line: int | None = None, column: int | None = None) -> Outcome:
        error = Problem(name, line, column, code, message)
        return Outcome(task.source, FAILED, task.output, errors=(error,), warnings=tuple(warnings))

    def crashed(code: str, message: str) -> Outcome:
        """A failure inside the parser, a plugin or a renderer: with ``--traceback`` it carries the traceback."""
        outcome = failed(code, message)
        if not job.traceback:
            return outcome
        import traceback

        return outcome._replace(traceback=traceback.format_exc())

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
        article = parse(data, source=source, on_diagnostic=note, max_size=job.max_size, default_language=job.language)
    except ParseError as exc:
        return failed(exc.code, exc.message, exc.line, exc.column)
    except Exception as exc:  # a parser bug must not stop the batch
        return crashed("internal", f"the parser failed: {exc!r}")
    if job.strict and warnings:
        return Outcome(task.source, FAILED, task.output, errors=tuple(warnings))
    if job.mode == "check":
        return Outcome(task.source, CHECKED, warnings=tuple(warnings))
    try:
        if job.mode == "collect":  # the parent adds it to the one output, in input order
            return Outcome(task.source, CONVERTED, warnings=tuple(warnings), article=_transformed(article, job))
        assert job.format is not None
        from newsarticle._render import render_encoded

        if "base_url" in job.options and task.output is not None and job.output_root is not None:
            article = with_output_url(article, job.options["base_url"], task.output, job.output_root)
        # Encoded once: the check for text that cannot be written is that same encode.
        rendered = render_encoded(article, job.format, locale=job.locale, transforms=job.transforms, **job.options)
    except NewsArticleError as exc:
        return crashed(error_code(exc), str(exc))
    except Exception as exc:
        return crashed("internal", f"rendering failed: {exc!r}")
    payload = rendered.encode("utf-8") if isinstance(rendered, str) else bytes(rendered)
    if task.output is None:
        return Outcome(task.source, CONVERTED, warnings=tuple(warnings), data=payload)
    work_done()
    if task.output_folder is not None and not _CHECK_FOLDER(_folder_of(task.output), task.output_folder):
        message = f"refused: the folder of {task.output} no longer leads to {task.output_folder} (replaced by a link)"
        return failed("output-outside", message)
    try:
        written = write_atomic(task.output, payload)
    except OSError as exc:
        return failed("io", f"cannot write {task.output}: {exc.strerror or exc}")
    return Outcome(task.source, CONVERTED, task.output, warnings=tuple(warnings), made=made_by(written))


# The folders found right once in this process, so that each file costs a few system calls.
_CHECK_FOLDER = FolderCheck()


def _folder_of(path: str) -> str:
    return os.path.dirname(os.path.abspath(path))


def _transformed(article: Article, job: Job) -> Article:
    """The article after the job's transforms, for a collection: here, in parallel and under the time limit,
    as for any format; the command's output applies none."""
    if not job.transforms:
        return article
    from newsarticle._collection import transformed

    assert job.format is not None
    return transformed(article, job.format, locale=job.locale, transforms=job.transforms, **job.options)


def _read_stdin(max_size: int | None) -> bytes:
    data = read_limited(sys.stdin.buffer, 0, max_size)  # a pipe that never ends is not read whole
    if max_size is not None and len(data) > max_size:
        raise InputRefused("too-large", f"not read: more than the limit of {max_size:,} bytes (--max-size)")
    return data


def error_code(exc: Exception) -> str:
    """The code a file's failure to render (or to join a collection) is reported with."""
    if isinstance(exc, MissingURLError):
        return "no-url"
    if isinstance(exc, PluginError):
        return "plugin"
    if isinstance(exc, OptionError):
        return "option"
    if isinstance(exc, UnknownLocaleError):
        return "locale"
    return "render"


def run_file(task: Task, job: Job, timeout: float, before_write: Callable[[], None] | None = None) -> Outcome:
    """:func:`process` under the per-file time limit; a file over it fails with code ``timeout``.

    Standard input has no limit: a pipe may be slow to fill.
    """
    file_state.before_write = before_write
    try:
        with time_limit(timeout if task.source != "-" else 0.0):
            outcome = process(task, job)
        return outcome._replace(note=task.note) if task.note and outcome.status == CONVERTED else outcome
    except TimeLimitExceeded:
        reason = f"took longer than the time limit of {timeout:g} s (--timeout); nothing was written for it"
        return lost(task, reason, TIMEOUT)
    finally:
        file_state.before_write = None


def lost(task: Task, reason: str, code: str = "worker") -> Outcome:
    """The failure of a file whose worker did not give its outcome (``reason`` says why)."""
    problem = Problem(task.source, None, None, code, reason)
    return Outcome(task.source, FAILED, task.output, errors=(problem,))


def with_output_url(article: Article, base_url: object, output: str, root: str) -> Article:
    """The article with the url of its page: the output's path below the output folder, below ``base_url``.

    On the command line the page is the output, not the input: ``convert articles/ -o site/`` makes
    ``articles/politik/a.txt`` the page ``politik/a.html``.
    """
    from newsarticle._urls import with_page_url

    path = os.path.relpath(output, root)
    return with_page_url(article, base_url if isinstance(base_url, str) else None, path, os.path.splitext(path)[1])
