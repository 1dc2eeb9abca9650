"""``convert --scheduler``: the job of the command through :func:`newsarticle.dask.convert`, on the workers of a
Dask cluster, which read the inputs and write the outputs themselves (local paths on a filesystem they share,
or URLs such as ``s3://``): one output per article, or one shard per partition for a collection format.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from typing import TYPE_CHECKING, Any

from newsarticle._cli.exits import EXIT_FAILED, EXIT_OK, EXIT_SCHEDULER_LOST, UsageError
from newsarticle._cli.signals import Interrupt
from newsarticle._paths import display

if TYPE_CHECKING:
    from newsarticle._batch import Job
    from newsarticle._progress import Progress


def is_url(path: str) -> bool:
    """Whether ``path`` is a URL (``s3://bucket/a``), not a local path that happens to hold ``://``."""
    scheme, separator, _rest = path.partition("://")
    return bool(separator) and scheme.replace("+", "").replace("-", "").isalnum() and not os.path.exists(path)


def _check_paths(args: argparse.Namespace, output: str, suffix: str, mode: str) -> None:
    """What the command checks of local inputs, the output folder and ``--errors`` before any file."""
    from newsarticle._batch import Inputs
    from newsarticle._cli.guards import check_inputs, check_report

    if "-" in args.inputs:
        raise UsageError("--scheduler reads files the workers can reach, not standard input (-)")
    local = [name for name in args.inputs if not is_url(name)]
    for name in [*local, output, args.errors or ""]:
        if "::" in name and not is_url(name):
            raise UsageError(f"{display(name)}: fsspec reads '::' as a chained URL; rename it, or give a URL")
    check_inputs(local)
    if is_url(output):
        check_report(args.errors, Inputs(local, args.glob), None)
        return
    if os.path.exists(output) and not os.path.isdir(output):
        raise UsageError(f"-o {display(output)} is a file; --scheduler writes into a folder: give -o FOLDER")
    if not os.path.isdir(output) and os.path.basename(output.rstrip("/")).lower().endswith(suffix.lower()):
        if mode == "collect":
            what = f"-t {args.to} --scheduler writes a folder of shards, one per partition (part-00000{suffix}, ...)"
        else:
            what = "--scheduler writes one file per input into a folder"
        raise UsageError(f"{what}: give -o FOLDER, not the file name {display(output)}")
    check_report(args.errors, Inputs(local, args.glob), output, output_suffix=suffix)
    records = os.path.join(os.path.abspath(output), "_newsarticle")
    if args.errors and os.path.abspath(args.errors).startswith(records + os.sep):
        raise UsageError(f"--errors {display(args.errors)} is in the output's _newsarticle/, the partition records")


def convert_on_cluster(args: argparse.Namespace, job: Job, suffix: str) -> int:  # noqa: PLR0915 -- one run, start to end
    """Run ``job`` with :func:`newsarticle.dask.convert` on the cluster at ``--scheduler``; report like the
    batch runner does (each warning and failure, a progress bar, the summary), and write ``--errors``."""
    output: str | None = args.output
    if output in (None, "-"):
        raise UsageError("--scheduler writes where the workers can: give -o FOLDER (a path they share, or a URL)")
    assert output is not None
    _check_paths(args, output, suffix, job.mode)
    ignored = [flag for flag, given in (("-j", args.jobs), ("--timeout", args.timeout)) if given is not None]
    if ignored and not args.quiet:
        verb = "does" if len(ignored) == 1 else "do"
        message = f"{' and '.join(ignored)} {verb} not apply with --scheduler: the cluster's workers run the files"
        print(f"newsarticle: {message}", file=sys.stderr)
    try:
        from distributed import Client

        import newsarticle.dask as nd
        from newsarticle._dask import (
            ClusterMismatch,
            SchedulerUnresponsive,
            check_address,
            connect_timeout,
            silence_dask,
        )
        from newsarticle._exceptions import NewsArticleError
    except ImportError:
        raise UsageError("--scheduler needs Dask: pip install 'newsarticle[dask]'") from None
    try:
        check_address(args.scheduler)
        wait = connect_timeout()
    except ValueError as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {args.scheduler}: {exc}") from None
    # newsarticle.dask sends local inputs as absolute paths (a worker may run in another folder) and names
    # them as given, as a local run does (in messages and in the outputs' source); the output folder too.
    target = output if is_url(output) else os.path.abspath(output)
    started = time.monotonic()
    silence_dask()  # the command says what happened, once; Dask's log would add tracebacks
    try:
        client = Client(args.scheduler, timeout=f"{wait}s", set_as_default=False, direct_to_workers=True)
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {args.scheduler}: {exc}") from None
    report = _Report(args, _count(args) if not args.quiet and sys.stderr.isatty() else None)
    status = EXIT_OK
    with Interrupt(hard=True) as interrupt:
        try:
            with client.as_current():
                try:
                    records = nd.iter_convert(
                        args.inputs,
                        target,
                        job.format or "",
                        glob=args.glob,
                        locale=job.locale,
                        transforms=job.transforms,
                        strict=job.strict,
                        language=job.language,
                        max_size=job.max_size,
                        force=args.force,
                        follow_symlinks=args.follow_symlinks,
                        files_per_partition=None,  # chosen by the number of files
                        **job.options,
                    )
                except ClusterMismatch:
                    raise  # said below, with the scheduler's address
                except (OSError, ValueError) as exc:  # what the inputs and outputs are; nothing ran
                    raise UsageError(str(exc)) from None
                except NewsArticleError as exc:  # a collection format that cannot start
                    raise UsageError(f"the {job.format} output could not be started: {exc}") from None
                try:
                    for record in records:
                        report.add(record)
                        if record["failed"] and args.fail_fast:
                            report.stopped = True
                            break
                finally:
                    records.close()  # cancels the partitions not finished
        except ClusterMismatch as exc:
            raise UsageError(f"the Dask cluster at {args.scheduler} cannot run this: {exc}") from None
        except KeyboardInterrupt:
            status = interrupt.status()
        except SchedulerUnresponsive as exc:
            report.lost = str(exc)
            status = EXIT_SCHEDULER_LOST
        except Exception as exc:
            if client.status == "running":
                raise
            report.lost = f"the connection to the Dask scheduler at {args.scheduler} was lost ({type(exc).__name__})"
            status = EXIT_SCHEDULER_LOST
        finally:
            report.progress.clear()
            with contextlib.suppress(Exception):  # a scheduler that is gone cannot be told goodbye
                client.close(timeout=wait)
    return report.finish(time.monotonic() - started, status, output)


class _Report:
    """The failures of each partition as its record comes back, the summary, and ``--errors``."""

    def __init__(self, args: argparse.Namespace, total: int | None) -> None:
        from newsarticle._progress import Progress

        self.args = args
        self.converted = self.skipped = self.written = 0
        self.failures: list[dict[str, Any]] = []
        self.lost: str | None = None
        self.stopped = False  # at the first failure (--fail-fast)
        self.progress: Progress = Progress(sys.stderr, total, enabled=not args.quiet and sys.stderr.isatty())

    def add(self, record: dict[str, Any]) -> None:
        self.converted += record["converted"]
        self.skipped += record["skipped"]
        self.written += record["written"]
        if record["failed"] or (record.get("warnings") and not self.args.quiet):
            self.progress.clear()
        if not self.args.quiet:
            for warning in record.get("warnings", ()):
                self._print("warning", warning)
        for failure in record["failed"]:
            self.failures.append(failure)
            self._print("error", failure)
        self.progress.advance(record["converted"] + record["skipped"] + len(record["failed"]))

    def _print(self, kind: str, problem: dict[str, Any]) -> None:
        """``file:line:col: error: code: message``, as the compiler convention and a local run write it."""
        where = display(str(problem["source"]))
        if problem["line"] is not None:
            where += f":{problem['line']}:{problem['column'] or 1}"
        print(f"{where}: {kind}: {problem['code']}: {display(str(problem['message']))}", file=sys.stderr)

    def finish(self, elapsed: float, status: int, output: str) -> int:
        if self.args.errors:
            _write_errors(self.args.errors, self.failures)
        failed = len(self.failures)
        processed = self.converted + failed
        rate = f", {processed / elapsed:,.0f} files/s" if elapsed > 0 and processed else ""
        text = f"{self.converted:,} converted, {failed:,} failed, {self.skipped:,} skipped in {elapsed:.1f} s{rate}"
        text += f"; {self.written:,} outputs committed by the workers to {display(output)}"
        if status not in (EXIT_OK, EXIT_SCHEDULER_LOST):
            text = f"interrupted: {text}; run the same command again to resume (committed partitions are skipped)"
        elif self.stopped:
            text = f"stopped at the first failure (--fail-fast): {text}"
        if self.lost is not None:
            print(f"newsarticle: error: {self.lost}; partitions not committed are left for a rerun", file=sys.stderr)
        # -q leaves out the summary, as a local run does, unless the run did not go to its end.
        if not self.args.quiet or self.stopped or status != EXIT_OK:
            print(f"newsarticle: {text}", file=sys.stderr)
            if failed:
                total = failed + self.converted + self.skipped
                print(f"newsarticle: error: {failed:,} of {total:,} files failed", file=sys.stderr)
        return EXIT_FAILED if failed and status == EXIT_OK else status


def _count(args: argparse.Namespace) -> int | None:
    """How many files the local inputs hold, for the progress bar (a walk of names only); None with a URL."""
    if any(is_url(name) for name in args.inputs):
        return None
    from newsarticle._batch import Inputs

    return Inputs(args.inputs, args.glob, follow_symlinks=args.follow_symlinks).count()


def _write_errors(path: str, failures: list[dict[str, Any]]) -> None:
    """The ``--errors`` report, in the batch runner's form: one JSON object per failure."""
    import json

    from newsarticle._atomic import write_atomic

    lines = []
    for failure in failures:
        data = {"path": display(str(failure["source"]))}
        data.update({key: failure[key] for key in ("line", "column", "code")})
        data["message"] = display(str(failure["message"]))
        lines.append(json.dumps(data, ensure_ascii=False) + "\n")
    write_atomic(path, "".join(lines).encode("utf-8"))
