"""``convert --scheduler`` through :func:`newsarticle.dask.convert`: inputs or outputs at URLs (``s3://``), and
collection formats written as shards by the workers.

The other ``--scheduler`` runs (local folders, one output per article) go through the batch runner with
:class:`~newsarticle._dask.DaskWorkers`, which reports each file in input order as it finishes.
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


def is_url(path: str) -> bool:
    """Whether ``path`` is a URL (``s3://bucket/a``), not a local path that happens to hold ``://``."""
    scheme, separator, _rest = path.partition("://")
    return bool(separator) and scheme.replace("+", "").replace("-", "").isalnum() and not os.path.exists(path)


def wants_cluster_api(args: argparse.Namespace, collection: bool) -> bool:
    """Whether ``convert --scheduler`` goes through newsarticle.dask.convert."""
    if args.scheduler is None:
        return False
    output = args.output or ""
    return collection or is_url(output) or any(is_url(name) for name in args.inputs)


def convert_on_cluster(args: argparse.Namespace, job: Job, suffix: str) -> int:  # noqa: PLR0915 -- one run, start to end
    """Run ``job`` with :func:`newsarticle.dask.convert` on the cluster at ``--scheduler``; report like the
    batch runner does (each failure, the summary), and write ``--errors``."""
    output: str | None = args.output
    if output in (None, "-"):
        raise UsageError("--scheduler writes where the workers can: give -o FOLDER (a path they share, or a URL)")
    assert output is not None
    if "-" in args.inputs:
        raise UsageError("--scheduler reads files the workers can reach, not standard input (-)")
    if job.mode == "collect" and os.path.basename(output.rstrip("/")).lower().endswith(suffix.lower()):
        raise UsageError(
            f"-t {job.format} --scheduler writes a folder of shards, one per partition (part-00000{suffix}, ...):"
            f" give -o FOLDER, not the file name {display(output)}"
        )
    try:
        from distributed import Client

        import newsarticle.dask as nd
        from newsarticle._dask import ClusterMismatch, connect_timeout, silence_dask
    except ImportError:
        raise UsageError("--scheduler needs Dask: pip install 'newsarticle[dask]'") from None
    # Relative paths mean this working folder, not each worker's: made absolute before they are sent.
    inputs = [name if is_url(name) else os.path.abspath(name) for name in args.inputs]
    target = output if is_url(output) else os.path.abspath(output)
    wait = connect_timeout()
    started = time.monotonic()
    silence_dask()  # the command says what happened, once; Dask's log would add tracebacks
    try:
        client = Client(args.scheduler, timeout=f"{wait}s", set_as_default=False, direct_to_workers=True)
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {args.scheduler}: {exc}") from None
    report = _Report(args)
    status = EXIT_OK
    with Interrupt(hard=True) as interrupt:
        try:
            with client.as_current():
                try:
                    records = nd.iter_convert(
                        inputs,
                        target,
                        job.format or "",
                        glob=args.glob,
                        locale=job.locale,
                        transforms=job.transforms,
                        strict=job.strict,
                        language=job.language,
                        max_size=job.max_size,
                        force=args.force,
                        **job.options,
                    )
                except ClusterMismatch:
                    raise  # said below, with the scheduler's address
                except (FileNotFoundError, ValueError) as exc:  # what the inputs and outputs are; nothing ran
                    raise UsageError(str(exc)) from None
                try:
                    for record in records:
                        report.add(record)
                finally:
                    records.close()  # cancels the partitions not finished
        except ClusterMismatch as exc:
            raise UsageError(f"the Dask cluster at {args.scheduler} cannot run this: {exc}") from None
        except KeyboardInterrupt:
            status = interrupt.status()
        except Exception as exc:
            if client.status == "running":
                raise
            report.lost = f"the connection to the Dask scheduler at {args.scheduler} was lost ({type(exc).__name__})"
            status = EXIT_SCHEDULER_LOST
        finally:
            with contextlib.suppress(Exception):  # a scheduler that is gone cannot be told goodbye
                client.close(timeout=wait)
    return report.finish(time.monotonic() - started, status, output)


class _Report:
    """The failures of each partition as its record comes back, the summary, and ``--errors``."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.converted = self.skipped = self.written = 0
        self.failures: list[dict[str, Any]] = []
        self.lost: str | None = None

    def add(self, record: dict[str, Any]) -> None:
        self.converted += record["converted"]
        self.skipped += record["skipped"]
        self.written += record["written"]
        for failure in record["failed"]:
            self.failures.append(failure)
            where = display(str(failure["source"]))
            if failure["line"] is not None:
                where += f":{failure['line']}:{failure['column'] or 1}"
            print(f"{where}: error: {failure['code']}: {display(str(failure['message']))}", file=sys.stderr)

    def finish(self, elapsed: float, status: int, output: str) -> int:
        if self.args.errors:
            _write_errors(self.args.errors, self.failures)
        failed = len(self.failures)
        text = f"{self.converted:,} converted, {failed:,} failed, {self.skipped:,} skipped in {elapsed:.1f} s"
        text += f"; {self.written:,} outputs committed by the workers to {display(output)}"
        if status not in (EXIT_OK, EXIT_SCHEDULER_LOST):
            text = f"interrupted: {text}; run the same command again to resume (committed partitions are skipped)"
        if self.lost is not None:
            print(f"newsarticle: error: {self.lost}; partitions not committed are left for a rerun", file=sys.stderr)
        if not self.args.quiet or failed or status != EXIT_OK:
            print(f"newsarticle: {text}", file=sys.stderr)
        if failed and status == EXIT_OK:
            print(
                f"newsarticle: error: {failed:,} of {failed + self.converted + self.skipped:,} files failed",
                file=sys.stderr,
            )
            return EXIT_FAILED
        return status


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
