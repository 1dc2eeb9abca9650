"""Planning the outputs: one task per input file, its output mirrored into the output folder, or a decided outcome."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator

from newsarticle._atomic import remove_stale
from newsarticle._batch.records import FAILED, SKIPPED, Outcome, Problem, Task, output_name
from newsarticle._batch.walk import Inputs, file_identity, selects_nothing
from newsarticle._paths import Resolver, inside, real, within


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
    selected: Callable[[str], bool] = selects_nothing
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
    return identity in inputs.file_ids or identity == file_identity(source)


def _names_in(directory: str) -> set[str]:
    """The names in ``directory`` (none if it does not exist): one listing instead of a stat per file."""
    try:
        return set(os.listdir(directory))
    except (FileNotFoundError, NotADirectoryError):
        return set()
