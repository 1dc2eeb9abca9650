"""Planning the outputs: one task per input file, its output mirrored into the output folder, or a decided outcome."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator

from newsarticle._atomic import remove_stale
from newsarticle._batch.manifest import UNKNOWN, UP_TO_DATE, Manifest, is_manifest_name
from newsarticle._batch.records import FAILED, SKIPPED, Outcome, Problem, Task, output_name
from newsarticle._batch.walk import Inputs, file_identity, selects_nothing
from newsarticle._paths import Resolver, inside, real, within


def plan_mirror(
    inputs: Inputs, output_folder: str, suffix: str, *, force: bool, manifest: Manifest | None = None
) -> Iterator[Task | Outcome]:
    """One Task per input file, its output in ``output_folder`` at the same relative path.

    Decided here, in input order and without a worker: an output that would
    overwrite an input (refused; compared by resolved path, and by device and
    inode for an existing output), one whose folder leads out of the output
    folder through a symbolic link (refused), one that two inputs would write
    (refused), and one that exists already: skipped when the ``manifest`` says
    the current recipe made it from this input (or does not know it), else
    converted again with the reason in ``Task.note``; with ``force``, converted. Each
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
    selected: Callable[[str], bool] = selects_nothing
    names: set[str] = set()
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
        out_name = output_name(name, suffix)
        output = os.path.join(out_dir, out_name)
        target = os.path.join(out_dir_abs, out_name)
        if target == previous:
            yield _refused(source, output, "output-collision", _collision(output, previous_source))
            continue
        previous, previous_source = target, source
        if escapes:
            message = (
                f"refused: the folder of {output} leads outside the output folder (a symbolic link to {out_dir_real})"
            )
            yield _refused(source, output, "output-outside", message)
        elif os.path.join(out_dir_real, out_name) in inputs.real_files or selected(out_name):
            yield _refused(
                source, output, "overwrites-input", f"refused: the output {output} is an input; give -o another folder"
            )
        elif is_manifest_name(out_name):
            message = f"refused: {output} has the name of an output folder's manifest"
            yield _refused(source, output, "output-collision", message)
        elif out_name in names and not force:
            yield _existing(Task(source, output, follow, folder, out_dir_real), target, inputs, manifest)
        elif force and _is_link_of(target, source, inputs):
            yield _same_file(source, output)
        else:
            yield Task(source, output, follow, folder, out_dir_real)


def _existing(task: Task, target: str, inputs: Inputs, manifest: Manifest | None) -> Task | Outcome:
    """An output that exists already: skipped when up to date or unknown to the manifest, else converted
    again (the task's note says why), unless it is an input by another name."""
    assert task.output is not None
    verdict = UNKNOWN if manifest is None else manifest.verdict(task.output, task.source)
    if verdict in (UP_TO_DATE, UNKNOWN):
        return Outcome(task.source, SKIPPED, task.output, note=verdict)
    if _is_link_of(target, task.source, inputs):
        return _same_file(task.source, task.output)
    return task._replace(note=verdict)


def _same_file(source: str, output: str) -> Outcome:
    message = f"refused: the output {output} is the same file as an input (a hard link, or a link's target)"
    return _refused(source, output, "overwrites-input", message)


def _collision(output: str, previous_source: str) -> str:
    return (
        f"{output} is the output of {previous_source} already; leave one of the two out (a --glob that"
        " selects one) or convert them into different output folders"
    )


def _refused(source: str, output: str, code: str, message: str) -> Outcome:
    return Outcome(source, FAILED, output, errors=(Problem(source, None, None, code, message),))


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
    return identity in inputs.file_ids or identity == file_identity(source)


def _names_in(directory: str) -> set[str]:
    """The names in ``directory`` (none if it does not exist): one listing instead of a stat per file."""
    try:
        return set(os.listdir(directory))
    except (FileNotFoundError, NotADirectoryError):
        return set()
