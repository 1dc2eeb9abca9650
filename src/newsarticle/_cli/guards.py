"""Path checks before any file is touched: inputs that exist, outputs and reports that replace no input."""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from typing import TYPE_CHECKING

from newsarticle._batch.manifest import is_manifest_name
from newsarticle._cli.exits import UsageError
from newsarticle._paths import display, file_kind, real, same_file, within

if TYPE_CHECKING:
    from newsarticle._batch import Inputs


def check_inputs(inputs: Sequence[str]) -> None:
    """Every INPUT exists and is a file or a folder (a link named here is followed: it was asked for)."""
    if "-" in inputs and len(inputs) > 1:
        raise UsageError("standard input (-) must be the only input")
    for name in inputs:
        if name == "-":
            continue
        try:
            mode = os.stat(name).st_mode
        except (OSError, ValueError):
            broken = os.path.islink(name)
            what = "a broken symbolic link" if broken else "no such file or folder"
            raise UsageError(f"{what}: {display(name)}") from None
        if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
            # Reading a FIFO or a device would block or never end.
            raise UsageError(f"{display(name)} is {file_kind(mode)}, not a file or folder; use - to read a pipe")


def refuse_special(flag: str, path: str) -> None:
    """An output named on the command line that exists as a FIFO, socket or device (``/dev/stdout``,
    ``>(...)``) would be replaced by a regular file: refused, pointing to ``-o -``."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        hint = "; write to standard output with -o - and redirect it" if flag == "-o" else ""
        raise UsageError(f"{flag} {display(path)} is {file_kind(mode)}, not a file{hint}")


def names_folder(output: str) -> bool:
    return os.path.isdir(output) or output.endswith(("/", os.sep))


def is_input(path: str, selection: Inputs) -> bool:
    """Whether writing ``path`` would replace an input, or create a file that the selection reads.

    By the selection, compared resolved: an input file given by name (or
    another name of it: a link, a hard link), or a name that ``--glob``
    selects in an input folder, however either is reached.
    """
    return selection.selects(path)


def check_report(
    report: str | None, selection: Inputs, output: str | None, *, output_suffix: str | None = None
) -> None:
    """Refuse an ``--errors`` file that would replace an input or the output, or that needs a new folder.

    With ``output_suffix``, ``output`` is an output folder: a report in its
    tree with the outputs' suffix could replace one of them (the report is
    written last). Runs before any file is touched; the report's folder is
    never created.
    """
    if report is None:
        return
    if os.path.isdir(report) or report.endswith(("/", os.sep)):
        raise UsageError(f"--errors {display(report)} is a folder; give a file name for the error report")
    folder = os.path.dirname(report)
    if folder and not os.path.isdir(folder):
        problem = "is not a folder" if os.path.exists(folder) else "does not exist (it is not created)"
        raise UsageError(f"cannot write the error report {display(report)}: the folder {display(folder)} {problem}")
    refuse_special("--errors", report)
    if is_manifest_name(os.path.basename(report)):
        raise UsageError(f"--errors {display(report)} is the name of an output folder's manifest; choose another")
    if is_input(report, selection):
        raise UsageError(f"refused: the error report {display(report)} is an input")
    if output is not None and same_file(report, output):
        raise UsageError(f"refused: the error report {display(report)} is also the output {display(output)}")
    if output is not None and output_suffix and report.endswith(output_suffix) and within(real(report), real(output)):
        raise UsageError(
            f"refused: the error report {display(report)} is in the output folder with the outputs' suffix"
            f" {output_suffix} (it could replace an output)"
        )
