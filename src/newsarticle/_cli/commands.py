"""The two batch commands, ``convert`` and ``check``: choose the inputs and outputs, then run a session."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, Any

from newsarticle._batch.manifest import is_manifest_name
from newsarticle._cli.exits import EXIT_OK, UsageError
from newsarticle._cli.guards import check_inputs, check_report, is_input, names_folder, refuse_special
from newsarticle._cli.jobs import infer_format, make_job, recipe
from newsarticle._cli.session import Session
from newsarticle._paths import display, real, same_file

if TYPE_CHECKING:
    from newsarticle._batch import Inputs, Job, Manifest


def convert(args: argparse.Namespace) -> int:
    from newsarticle._batch import Inputs, Task

    inputs: list[str] = args.inputs
    if args.scheduler is not None:
        from newsarticle._cli.cluster import convert_on_cluster

        if args.to is None:
            raise UsageError("--scheduler writes a folder of outputs: give the format with -t FORMAT")
        job, suffix = make_job(args.to, args)
        return convert_on_cluster(args, job, suffix)
    check_inputs(inputs)
    output: str | None = None if args.output in (None, "-") else args.output
    folders = any(os.path.isdir(i) for i in inputs if i != "-")
    single = len(inputs) == 1 and not folders
    format_name = args.to or infer_format(output, single)
    job, suffix = make_job(format_name, args)
    session = Session(args, check=False)

    if output is not None and is_manifest_name(os.path.basename(os.path.normpath(output))):
        raise UsageError(f"-o {display(output)} is the name of an output folder's manifest; choose another")
    if job.mode == "collect":
        return _convert_collection(args, job, session, output, batch=not single)
    if single and (output is None or not names_folder(output)):
        source = inputs[0]
        check_report(args.errors, Inputs(inputs, args.glob), output)
        if output is None:
            return session.run(job, None, iter([Task(source, None)]), batch=False)
        refuse_special("-o", output)
        if source != "-" and same_file(source, output):
            raise UsageError(f"refused: the output {display(output)} is the input")
        manifest = _manifest(session, output, recipe(job))
        if os.path.lexists(output) and not args.force and not _again(session, manifest, output, source):
            return EXIT_OK
        job = job._replace(output_root=os.path.dirname(output) or os.curdir)
        return session.run(job, None, iter([Task(source, output)]), batch=False, manifest=manifest)
    if "-" in inputs:
        raise UsageError("standard input (-) goes to standard output or to -o FILE, not into a folder")
    if output is None:
        raise UsageError(
            "several inputs or a folder need -o FOLDER for the outputs (or a collection format, -t jsonl, for one file)"
        )
    if os.path.exists(output) and not os.path.isdir(output):
        raise UsageError(f"-o {display(output)} is a file; several inputs or a folder need an output folder")
    selection = Inputs(inputs, args.glob, prune=output, follow_symlinks=args.follow_symlinks)
    overlap = selection.overlap(suffix)
    if overlap is not None:
        raise UsageError(overlap)
    require_files(selection, "convert")
    check_report(args.errors, selection, output, output_suffix=suffix)
    from newsarticle._batch import Manifest, plan_mirror

    # The output's path below the folder names its input only below the same base: another base (another input
    # folder, the same name relative to another working folder) is another input for every output.
    manifest = Manifest(output, recipe(job, inputs=real(selection.base())))
    if manifest.warning is not None:
        session.warn(manifest.warning)
    plan = plan_mirror(selection, output, suffix, force=args.force, manifest=manifest)
    job = job._replace(output_root=output)
    # One file into a folder needs no workers.
    return session.run(job, selection, plan, batch=not single, manifest=manifest)


def _convert_collection(
    args: argparse.Namespace, job: Job, session: Session, output: str | None, *, batch: bool
) -> int:
    """Every article into one output of a collection format (a file, or standard output)."""
    from newsarticle._batch import Inputs

    inputs: list[str] = args.inputs
    selection = Inputs(inputs, args.glob, follow_symlinks=args.follow_symlinks)
    require_files(selection, "convert")
    manifest = None
    if output is not None:
        if names_folder(output):
            raise UsageError(f"-o {display(output)} is a folder; -t {job.format} writes every article into one file")
        refuse_special("-o", output)
        if is_input(output, selection):
            raise UsageError(f"refused: the output {display(output)} is an input")
        # The corpus depends on which files were selected: the inputs, the pattern and the files the
        # folders hold now (one added, removed or renamed is another corpus) are in its recipe.
        selected = [i if i == "-" else os.path.abspath(i) for i in inputs]
        made_by = recipe(job, inputs=[selected, args.glob], files=selected_files(selection))
        manifest = _manifest(session, output, made_by)
        corpus = "-" if "-" in inputs else inputs[0]
        timely = _made_for_the_time_of_the_run(job)
        if os.path.lexists(output) and not args.force and not _again(session, manifest, output, corpus, timely):
            return EXIT_OK
    check_report(args.errors, selection, output)
    tasks = plain_tasks(selection)
    return session.run(job, selection, tasks, collection=output or "-", batch=batch, manifest=manifest)


def _manifest(session: Session, output: str, made_by: dict[str, Any]) -> Manifest:
    """The manifest of the folder that holds the one output file ``output``."""
    from newsarticle._batch import Manifest

    manifest = Manifest(os.path.dirname(output) or os.curdir, made_by, single=True)
    if manifest.warning is not None:
        session.warn(manifest.warning)
    return manifest


def _made_for_the_time_of_the_run(job: Job) -> str | None:
    """Why the output's bytes depend on when it is made (so it is never up to date), or None: what the
    collection format's ``depends_on_time`` says (plugin code, so a failure is the plugin's usage error)."""
    from newsarticle._exceptions import plugin_fault
    from newsarticle._plugin_api import RegisteredCollection
    from newsarticle._render import get_format

    collection = get_format(job.format or "")
    if not isinstance(collection, RegisteredCollection) or collection.depends_on_time is None:
        return None
    try:
        reason = collection.depends_on_time({**collection.defaults, **job.options})
    except BaseException as exc:
        error = plugin_fault(exc, f"depends_on_time of format {collection.name!r} from {collection.provider}")
        if error is exc:
            raise
        raise UsageError(str(error)) from None
    return None if reason is None else str(reason)


def _again(session: Session, manifest: Manifest, output: str, source: str, timely: str | None = None) -> bool:
    """Whether the existing one output file is converted again; says why, or why it is skipped."""
    from newsarticle._batch import UNKNOWN, UP_TO_DATE

    verdict = manifest.verdict(output, source)
    if verdict == UP_TO_DATE and timely is not None:
        verdict = timely
    if verdict == UP_TO_DATE:
        session.note(f"{display(output)} is up to date; skipped (--force converts again)")
        return False
    if verdict == UNKNOWN:
        session.note(
            f"{display(output)} exists; skipped: not made by a run its folder's manifest knows (--force overwrites)"
        )
        return False
    session.note(f"{display(output)}: converting again ({verdict})")
    return True


def require_files(selection: Inputs, command: str) -> None:
    """A usage error when the input folders hold nothing that ``--glob`` selects: "0 converted" would
    read as success. Files skipped later (up to date, links) were found: they count as something."""
    if not selection.folders or selection.files or "-" in selection.arguments:
        return
    if next(iter(selection.walk()), None) is not None:
        return
    named = [display(a) for a in selection.arguments if os.path.isdir(a)]
    where = "the folder" if len(named) == 1 else "the folders"
    raise UsageError(
        f"nothing to {command}: no file matches --glob {selection.pattern!r} in {where} {', '.join(named)}"
        " (searched with their subfolders)"
    )


def selected_files(selection: Inputs) -> str:
    """A digest of the paths, sizes and modification times of the files ``selection`` reads, in order: it
    changes when a file is added, removed, renamed or edited (a feed must show the corrected headline). One
    listing of the folders and a stat of each file, no file read; the names are not kept."""
    import hashlib

    from newsarticle._batch import Found

    digest = hashlib.sha256()
    for item in selection.walk():
        if isinstance(item, Found):
            try:
                status = os.stat(item.absolute, follow_symlinks=item.follow)
                stamp = f"{status.st_size}:{status.st_mtime_ns}"
            except OSError:
                stamp = "?"  # gone or unreadable: the run reports it
            digest.update(os.fsencode(item.absolute) + b"\0" + stamp.encode() + b"\0")
    return digest.hexdigest()


def plain_tasks(selection: Inputs) -> Any:
    from newsarticle._batch import Outcome, Task

    return (
        item if isinstance(item, Outcome) else Task(item.source, None, item.follow, item.folder)
        for item in selection.walk()
    )


def check(args: argparse.Namespace) -> int:
    from newsarticle._batch import Inputs, Job

    check_inputs(args.inputs)
    selection = Inputs(args.inputs, args.glob, follow_symlinks=args.follow_symlinks)
    require_files(selection, "check")
    check_report(args.errors, selection, None)
    single = len(args.inputs) == 1 and not selection.folders
    session = Session(args, check=True)
    job = Job("check", strict=args.strict, max_size=args.max_size, language=args.language, traceback=args.traceback)
    return session.run(job, selection, plain_tasks(selection), batch=not single)
