"""``convert --scheduler`` through :func:`newsarticle.dask.convert`: inputs or outputs at URLs (``s3://``), and
collection formats written as shards by the workers.

The other ``--scheduler`` runs (local folders, one output per article) go through the batch runner with
:class:`~newsarticle._dask.DaskWorkers`, which reports each file in input order as it finishes.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import TYPE_CHECKING

from newsarticle._cli.exits import EXIT_FAILED, EXIT_OK, EXIT_SCHEDULER_LOST, UsageError
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


def convert_on_cluster(args: argparse.Namespace, job: Job, suffix: str) -> int:
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
        from newsarticle._dask import ClusterMismatch, connect_timeout
    except ImportError:
        raise UsageError("--scheduler needs Dask: pip install 'newsarticle[dask]'") from None
    # Relative paths mean this working folder, not each worker's: made absolute before they are sent.
    inputs = [name if is_url(name) else os.path.abspath(name) for name in args.inputs]
    target = output if is_url(output) else os.path.abspath(output)
    wait = connect_timeout()
    started = time.monotonic()
    try:
        client = Client(args.scheduler, timeout=f"{wait}s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {args.scheduler}: {exc}") from None
    try:
        with client.as_current():
            summary = nd.convert(
                inputs,
                target,
                job.format or "",
                glob=args.glob,
                locale=job.locale,
                transforms=job.transforms,
                strict=job.strict,
                language=job.language,
                force=args.force,
                **job.options,
            )
    except ClusterMismatch as exc:
        raise UsageError(f"the Dask cluster at {args.scheduler} cannot run this: {exc}") from None
    except FileNotFoundError as exc:
        raise UsageError(str(exc)) from None
    except Exception as exc:
        if client.status == "running":
            raise
        print(
            f"newsarticle: error: the connection to the Dask scheduler at {args.scheduler} was lost ({exc!r});"
            " partitions not committed are left for a rerun",
            file=sys.stderr,
        )
        return EXIT_SCHEDULER_LOST
    finally:
        client.close(timeout=wait)
    for failure in summary.failures:
        print(
            f"{display(failure.source or '')}:{failure.line}:{failure.column}: error: {failure.code}: "
            f"{display(failure.message)}",
            file=sys.stderr,
        )
    if args.errors:
        _write_errors(args.errors, summary.failures)
    if not args.quiet or summary.failed:
        elapsed = time.monotonic() - started
        print(
            f"newsarticle: {summary.converted:,} converted, {summary.failed:,} failed, {summary.skipped:,} skipped"
            f" in {elapsed:.1f} s; {summary.outputs:,} outputs committed by the workers to {display(output)}",
            file=sys.stderr,
        )
    return EXIT_FAILED if summary.failed else EXIT_OK


def _write_errors(path: str, failures: tuple[object, ...]) -> None:
    import json

    from newsarticle._atomic import write_atomic

    lines = []
    for failure in failures:
        data = {key: getattr(failure, key) for key in ("source", "line", "column", "code", "message")}
        data["path"] = display(str(data.pop("source") or ""))
        lines.append(json.dumps(data, ensure_ascii=False) + "\n")
    write_atomic(path, "".join(lines).encode("utf-8"))
