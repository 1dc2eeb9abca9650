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

The rooms, in the order data passes through them: :mod:`.walk` (find the
inputs), :mod:`.plan` (one Task or a decided Outcome per file), :mod:`.work`
(one file, under :mod:`.timelimit`), :mod:`.runner` (in order, in-process or
on workers), :mod:`.workers` (local worker processes); :mod:`.records` holds
what they exchange. Dask's workers are in :mod:`newsarticle._dask`.
"""

from newsarticle._batch.manifest import MANIFEST_NAME, UNKNOWN, UP_TO_DATE, Manifest
from newsarticle._batch.plan import plan_mirror
from newsarticle._batch.records import (
    CHECKED,
    CONVERTED,
    FAILED,
    SKIPPED,
    STDIN_NAME,
    Chunk,
    Job,
    Outcome,
    Problem,
    Task,
    Workers,
    output_name,
)
from newsarticle._batch.runner import Runner, chunked, is_decided, settle
from newsarticle._batch.timelimit import DEFAULT_TIMEOUT, TimeLimitExceeded, time_limit
from newsarticle._batch.walk import Found, Inputs
from newsarticle._batch.work import error_code, lost, process, run_file
from newsarticle._batch.workers import LocalWorkers

__all__ = [
    "CHECKED",
    "CONVERTED",
    "DEFAULT_TIMEOUT",
    "FAILED",
    "MANIFEST_NAME",
    "SKIPPED",
    "STDIN_NAME",
    "UNKNOWN",
    "UP_TO_DATE",
    "Chunk",
    "Found",
    "Inputs",
    "Job",
    "LocalWorkers",
    "Manifest",
    "Outcome",
    "Problem",
    "Runner",
    "Task",
    "TimeLimitExceeded",
    "Workers",
    "chunked",
    "error_code",
    "is_decided",
    "lost",
    "output_name",
    "plan_mirror",
    "process",
    "run_file",
    "settle",
    "time_limit",
]
