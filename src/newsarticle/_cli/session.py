"""Running one batch command: the runner, its outputs and error report, and the report of each outcome."""

from __future__ import annotations

import argparse
import collections
import contextlib
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TextIO

from newsarticle._batch.manifest import UNKNOWN, UP_TO_DATE, made_by
from newsarticle._batch.records import CONVERTED, SKIPPED, shown_traceback
from newsarticle._cli.exits import EXIT_FAILED, EXIT_OK, EXIT_SCHEDULER_LOST, UsageError
from newsarticle._cli.signals import Interrupt
from newsarticle._cli.streams import stdout
from newsarticle._paths import display

if TYPE_CHECKING:
    from newsarticle._atomic import AtomicFile
    from newsarticle._batch import Inputs, Job, Manifest, Outcome, Runner
    from newsarticle._collection import CollectionOutput
    from newsarticle._progress import Progress


def _runner(job: Job, scheduler: str | None, jobs: int, interrupt: Interrupt, timeout: float | None) -> Runner:
    """Local worker processes, or with ``--scheduler`` a Dask cluster's workers (connected here, before any file)."""
    from newsarticle._batch import DEFAULT_TIMEOUT, Runner

    if timeout is None:
        timeout = DEFAULT_TIMEOUT
    if scheduler is None:
        return Runner(job, jobs=jobs, interrupted=interrupt, timeout=timeout, interruptible=interrupt.raising)
    try:
        from newsarticle._dask import ClusterMismatch, DaskWorkers
    except ImportError:
        raise UsageError("--scheduler needs Dask: pip install 'newsarticle[dask]'") from None
    try:
        workers = DaskWorkers(job, scheduler, timeout=timeout)
    except ClusterMismatch as exc:
        raise UsageError(f"the Dask cluster at {scheduler} cannot run this: {exc}") from None
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    return Runner(job, jobs=jobs, interrupted=interrupt, workers=lambda _job: workers, timeout=timeout)


def _default_jobs() -> int:
    affinity = getattr(os, "sched_getaffinity", None)
    if affinity is not None:
        return len(affinity(0)) or 1
    return os.cpu_count() or 1


class Session:
    """Runs one convert or check command and reports each outcome, in input order."""

    def __init__(self, args: argparse.Namespace, *, check: bool) -> None:
        self.args = args
        self.check = check
        self.quiet: bool = args.quiet
        self.json = check and args.format == "json"
        self.counts = {"converted": 0, "checked": 0, "failed": 0, "skipped": 0}
        self.warning_count = 0
        self.write_failed = False  # the collection output or the error report could not be written
        self.progress: Progress | None = None
        self._first_json = True
        self.manifest: Manifest | None = None
        self._corpus_made: tuple[int, int, int] | None = None  # the collection output file, once committed
        self._interrupt: Interrupt | None = None
        # Why files were skipped or converted again: (status, note) -> count, for the summary.
        self.notes: collections.Counter[tuple[str, str]] = collections.Counter()

    def note(self, text: str) -> None:
        if not self.quiet:
            print(f"newsarticle: {text}", file=sys.stderr)

    def warn(self, text: str) -> None:
        """A warning that names its own place (``file: warning: code: message``); left out with -q."""
        if not self.quiet:
            print(text, file=sys.stderr)

    def run(  # noqa: PLR0915 -- one run's outputs, opened and closed in one place
        self,
        job: Job,
        selection: Inputs | None,
        items: Any,
        *,
        batch: bool,
        collection: str | None = None,
        manifest: Manifest | None = None,
    ) -> int:
        """Run ``items`` and report them; ``manifest`` records each output written (saved also after Ctrl-C).

        :param collection: For a collection format (``job.mode == "collect"``): the one output file, or ``-``
            for standard output. It is written whole or not at all.
        """
        import time

        from newsarticle._atomic import signals_deferred
        from newsarticle._progress import Progress

        args = self.args
        start = time.monotonic()
        self.manifest = manifest
        show_progress = batch and not self.quiet and sys.stderr.isatty()
        total = selection.count() if show_progress and selection is not None else None
        jobs = (args.jobs or _default_jobs()) if batch else 1
        if total is not None:
            jobs = max(1, min(jobs, total))
        self.progress = Progress(sys.stderr, total, enabled=show_progress)
        stopped = complete = False
        sink: AtomicFile | None = None
        collected: CollectionOutput | None = None
        errors_file: AtomicFile | None = None
        with Interrupt(hard=not batch) as interrupt:
            self._interrupt = interrupt
            # The runner first: a scheduler that cannot be reached is a usage error before any file exists.
            runner = _runner(job, args.scheduler if batch else None, jobs, interrupt, args.timeout)
            outcomes = runner.run(items)
            try:
                # Each file is owned by the finally below from the moment it exists (signals wait until then).
                with signals_deferred():
                    if collection is not None and collection != "-":
                        sink = _open_output(collection, parents=True)
                    if args.errors:
                        errors_file = _open_output(args.errors, parents=False)
                if collection is not None:
                    collected = self._open_collection(job, sink)
                base = None if selection is None or "-" in selection.arguments else os.path.abspath(selection.base())
                if self.json:
                    stdout().write('{"diagnostics": [')
                for result in outcomes:
                    outcome = result if collected is None else self._collect(result, collected, base, job.traceback)
                    self._report(outcome, errors_file)
                    if outcome.status == "failed" and args.fail_fast:
                        stopped = True
                        break
                    if (sink is not None and sink.closed) or (collected is not None and collected.damaged):
                        break  # the collection output is lost: converting the rest would be for nothing
                complete = not (stopped or runner.interrupted or runner.failure)
            except KeyboardInterrupt:  # a single input: Ctrl-C raises at once (see Interrupt)
                runner.interrupted = True
            except _CannotCreate as exc:
                self._write_error(exc.error)
            except _CannotStart as exc:
                self._fail(str(exc))
            finally:
                outcomes.close()  # terminates the workers when the loop stopped early
                runner.close()  # and releases a cluster's that never got a file
                self.progress.clear()
                try:
                    self._close_outputs(sink, collected, errors_file, complete=complete)
                finally:
                    self._save_manifest(collection, selection)
        self._finish(time.monotonic() - start, stopped=stopped, interrupted=runner.interrupted, batch=batch)
        return self._status(runner, interrupt)

    def _status(self, runner: Runner, interrupt: Interrupt) -> int:
        if runner.interrupted:
            return interrupt.status()
        if runner.failure is not None:
            print(f"newsarticle: error: {runner.failure}; files not started are left for a rerun", file=sys.stderr)
            return EXIT_SCHEDULER_LOST
        return EXIT_FAILED if self.counts["failed"] or self.write_failed else EXIT_OK

    def _save_manifest(self, corpus: str | None, selection: Inputs | None) -> None:
        """Record the corpus file if it was committed, and write the manifest: also after Ctrl-C, so that
        what this run wrote is known to the next one."""
        if self.manifest is None:
            return
        if self._corpus_made is not None and corpus is not None:
            arguments = selection.arguments if selection is not None else []
            # A corpus without the articles that failed is not up to date: a rerun makes it again (and
            # reports those files again), rather than skipping it with exit status 0.
            complete = not self.counts["failed"]
            arguments_source = "-" if "-" in arguments else arguments[0]
            self.manifest.record(corpus, arguments_source, self._corpus_made, complete=complete)
        try:
            self.manifest.save()
        except OSError as exc:
            self._write_error(exc)

    def _collect(self, outcome: Outcome, collected: CollectionOutput, base: str | None, traceback: bool) -> Outcome:
        """Add the outcome's article to the collection output; a refused article is that file's failure."""
        from newsarticle._batch import FAILED, STDIN_NAME, Outcome, Problem, TimeLimitExceeded, error_code
        from newsarticle._batch.timelimit import TIMEOUT
        from newsarticle._exceptions import MissingURLError, NewsArticleError, traceback_text

        article = outcome.article
        if article is None:
            return outcome
        outcome = outcome._replace(article=None)  # its work is done: the article is not kept
        source = outcome.source
        # Its page's path below base_url: the same path as its page in `convert FOLDER -t html -o SITE`.
        page = None if source == "-" or base is None else os.path.relpath(os.path.abspath(source), base)
        try:
            with self._format_code():
                collected.add(article, path=page)
        except TimeLimitExceeded:
            name = STDIN_NAME if source == "-" else source
            message = (
                f"the {collected.format} format took longer than the time limit of {self._limit:g} s (--timeout)"
                " to add it" + ("; it is left out" if collected.damaged is None else ", after writing part of it")
            )
            return Outcome(source, FAILED, errors=(Problem(name, None, None, TIMEOUT, message),))
        except BrokenPipeError:
            raise  # the reader of standard output went away: the command ends quietly (see main)
        except OSError as exc:  # the output could not be written (a full disk): reported once, the run ends
            self._write_error(exc)
            return outcome
        except NewsArticleError as exc:
            line = exc.line if isinstance(exc, MissingURLError) else None
            name = STDIN_NAME if source == "-" else source
            problem = Problem(name, line, None if line is None else 1, error_code(exc), str(exc))
            shown = traceback_text(exc.__cause__ or exc) if traceback and not isinstance(exc, MissingURLError) else ""
            return Outcome(source, FAILED, errors=(problem,), warnings=outcome.warnings, traceback=shown)
        if sink_is_stdout(collected):
            stdout().buffer.flush()
        return outcome

    def _report(self, outcome: Outcome, errors_file: AtomicFile | None) -> None:
        self.counts[outcome.status] += 1
        if outcome.note:
            self.notes[outcome.status, outcome.note] += 1
        if self.manifest is not None and outcome.made is not None and outcome.output is not None:
            self.manifest.record(outcome.output, outcome.source, outcome.made)
        self.warning_count += len(outcome.warnings)
        assert self.progress is not None
        if self.json:
            self._report_json(outcome)
        else:
            # In strict mode the diagnostics are the errors: show each once.
            shown = [] if self.quiet else [w.shown("warning") for w in outcome.warnings if w not in outcome.errors]
            shown += [error.shown("error") for error in outcome.errors]
            if outcome.traceback:
                shown.append(shown_traceback(outcome.traceback))
            if shown:
                self.progress.clear()
                stream: TextIO = stdout() if self.check else sys.stderr
                stream.write("".join(f"{line}\n" for line in shown))
                stream.flush()
        if outcome.data is not None:
            stream = stdout()
            stream.flush()
            stream.buffer.write(outcome.data)
            stream.buffer.flush()
        if errors_file is not None and outcome.errors and not errors_file.closed:
            import json

            lines = "".join(json.dumps(problem.to_dict(), ensure_ascii=False) + "\n" for problem in outcome.errors)
            self._write(errors_file, lines.encode("utf-8"))
        self.progress.advance()

    def _close_outputs(
        self,
        sink: AtomicFile | None,
        collected: CollectionOutput | None,
        errors_file: AtomicFile | None,
        *,
        complete: bool,
    ) -> None:
        try:
            if errors_file is not None and not errors_file.closed:
                self._commit(errors_file)
        finally:
            # A collection output is all or nothing: a stopped or interrupted run, or a damaged output, leaves none.
            finished = False
            try:
                if complete and collected is not None and collected.damaged is None and not (sink and sink.closed):
                    finished = self._finish_collection(collected)
                elif collected is not None:
                    if collected.damaged is not None and not isinstance(collected.failure, BrokenPipeError):
                        self._fail(f"the {collected.format} output was not written: {collected.damaged}")
                    collected.abandon()
            finally:  # also when the format's close() was interrupted: no temporary file is left
                if sink is not None and not sink.closed:
                    if finished:
                        self._corpus_made = self._commit(sink)
                    else:
                        sink.discard()

    def _finish_collection(self, collected: CollectionOutput) -> bool:
        """Let the format end its output; whether it did (a failure is reported)."""
        from newsarticle._batch import TimeLimitExceeded
        from newsarticle._exceptions import NewsArticleError

        try:
            with self._format_code():
                collected.close()
            if sink_is_stdout(collected):
                stdout().buffer.flush()
        except TimeLimitExceeded:
            collected.abandon()
            self._fail(
                f"the {collected.format} output was not written: its format took longer than the time limit of"
                f" {self._limit:g} s (--timeout) to end it"
            )
            return False
        except OSError as exc:
            self._write_error(exc)
            return False
        except NewsArticleError as exc:
            self._fail(f"the {collected.format} output was not written: {exc}")
            return False
        return True

    @property
    def _limit(self) -> float:
        from newsarticle._batch import DEFAULT_TIMEOUT

        return DEFAULT_TIMEOUT if self.args.timeout is None else float(self.args.timeout)

    @contextlib.contextmanager
    def _format_code(self) -> Iterator[None]:
        """Around each call of a collection format's code in this process (open, add, close), which could hang
        the command: a signal stops it at once, and ``--timeout`` bounds it (its writes excepted, see _Sink)."""
        from newsarticle._batch import time_limit

        assert self._interrupt is not None
        with self._interrupt.immediate(), time_limit(self._limit):
            yield

    def _open_collection(self, job: Job, sink: AtomicFile | None) -> CollectionOutput:
        """The collection output on ``sink`` (standard output when None), with the job's options (checked already).

        Without the job's transforms: the workers applied them (see ``process``).
        """
        from newsarticle._batch import TimeLimitExceeded
        from newsarticle._collection import open_collection
        from newsarticle._exceptions import NewsArticleError

        assert job.format is not None
        try:
            with self._format_code():
                return open_collection(job.format, _Sink(sink), locale=job.locale, **job.options)
        except NewsArticleError as exc:
            raise _CannotStart(f"the {job.format} output could not be started: {exc}") from exc
        except TimeLimitExceeded:
            raise _CannotStart(
                f"the {job.format} output could not be started: its format took longer than the time limit of"
                f" {self._limit:g} s (--timeout)"
            ) from None

    def _fail(self, message: str) -> None:
        """An error that costs the run its one output (exit status 1); the files' own results stand."""
        assert self.progress is not None
        self.progress.clear()
        self.write_failed = True
        print(f"newsarticle: error: {message}", file=sys.stderr)

    def _write(self, file: AtomicFile, data: bytes) -> None:
        """Write to the error report; a failure (the file is then discarded) is reported once."""
        try:
            file.write(data)
        except OSError as exc:
            self._write_error(exc)

    def _commit(self, file: AtomicFile) -> tuple[int, int, int] | None:
        """Commit the file; its :func:`~newsarticle._batch.manifest.made_by`, or None when it failed (reported)."""
        try:
            return made_by(file.commit())
        except OSError as exc:
            self._write_error(exc)
            return None

    def _write_error(self, exc: OSError) -> None:
        """A full disk, a read-only folder: a message naming the file (AtomicFile's errors name their
        target), exit status 1, and the other output still written."""
        assert self.progress is not None
        self.progress.clear()
        self.write_failed = True
        reason = exc.strerror or str(exc)
        name = display(os.fsdecode(exc.filename)) if exc.filename is not None else "the output"
        print(f"newsarticle: error: cannot write {name}: {reason}; nothing written", file=sys.stderr)

    def _report_json(self, outcome: Outcome) -> None:
        import json

        for severity, problems in (("warning", outcome.warnings), ("error", outcome.errors)):
            for problem in problems:
                if severity == "warning" and problem in outcome.errors:
                    continue
                record = {**problem.to_dict(), "severity": severity}
                stdout().write(("\n" if self._first_json else ",\n") + json.dumps(record, ensure_ascii=False))
                self._first_json = False

    def _finish(self, elapsed: float, *, stopped: bool, interrupted: bool, batch: bool) -> None:
        counts = self.counts
        done = counts["checked"] if self.check else counts["converted"]
        if self.json:
            import json

            summary = {
                "checked": counts["checked"] + counts["failed"],
                "passed": counts["checked"],
                "failed": counts["failed"],
                "warnings": self.warning_count,
                "interrupted": interrupted,
            }
            results = stdout()
            results.write(("\n" if not self._first_json else "") + '],\n"summary": ' + json.dumps(summary) + "}\n")
            results.flush()
        if self.quiet and not interrupted and not stopped:
            return
        if not batch and not interrupted and not self.check:
            return
        if self.check:
            text = f"{counts['checked'] + counts['failed']:,} checked: {done:,} passed, {counts['failed']:,} failed"
            text += f", {self.warning_count:,} warning{'s' if self.warning_count != 1 else ''}"
        else:
            text = f"{done:,} converted, {counts['failed']:,} failed, {counts['skipped']:,} skipped"
        processed = done + counts["failed"]
        rate = f", {processed / elapsed:,.0f} files/s" if elapsed > 0 and processed else ""
        text += f" in {elapsed:.1f} s{rate}"
        if interrupted:
            text = f"interrupted: {text}" + ("" if self.check else "; run the same command again to resume")
        elif stopped:
            text = f"stopped at the first failure (--fail-fast): {text}"
        reasons = self._reasons()
        if reasons:
            text += f"; {reasons}"
        print(f"newsarticle: {text}", file=sys.stderr)
        if counts["failed"]:
            # The count a reader looks for first, on a line of its own that says "error" as the files' lines do.
            # Out of every file the summary counts, skipped ones included: a rerun that skips 39 up-to-date
            # outputs and fails the 40th has 1 of 40 files failed, not "1 of 1". check's summary counts no skips.
            total = processed if self.check else processed + counts["skipped"]
            print(f"newsarticle: error: {counts['failed']:,} of {total:,} files failed", file=sys.stderr)

    def _reasons(self) -> str:
        """Why files were converted again or skipped, and how to force: "12 converted again (the options
        changed); 28 up to date (--force converts again)"."""
        parts = [
            f"{count:,} converted again ({note})"
            for (status, note), count in sorted(self.notes.items())
            if status == CONVERTED
        ]
        up_to_date = self.notes[SKIPPED, UP_TO_DATE]
        if up_to_date:
            parts.append(f"{up_to_date:,} up to date (--force converts again)")
        unknown = self.notes[SKIPPED, UNKNOWN]
        if unknown:
            parts.append(f"{unknown:,} existing, not in the output folder's manifest (--force overwrites)")
        return "; ".join(parts)


class _Sink:
    """A collection format's sink: the output file, or standard output (``file`` None).

    The time limit's clock stops while it writes: the limit bounds the format's work, as a worker's
    bounds a file's but not its write, never a slow disk or a slow reader of standard output.
    """

    def __init__(self, file: AtomicFile | None) -> None:
        self.file = file

    def write(self, data: bytes, /) -> int:
        from newsarticle._batch.timelimit import clock_stopped

        with clock_stopped():
            (stdout().buffer if self.file is None else self.file).write(data)
        return len(data)


def sink_is_stdout(collected: CollectionOutput) -> bool:
    return isinstance(collected.sink, _Sink) and collected.sink.file is None


class _CannotStart(Exception):
    """The collection format failed to start its output (its open() raised)."""


def _open_output(path: str, *, parents: bool) -> AtomicFile:
    """The collection output file or the error report, after removing the temporary files that killed runs left
    beside it.

    The report's folder is never created (``check_report`` has named a missing one already).
    """
    from newsarticle._atomic import AtomicFile, remove_stale

    remove_stale(os.path.dirname(path) or os.curdir)
    try:
        return AtomicFile(path, parents=parents)
    except OSError as exc:
        raise _CannotCreate(exc) from exc


class _CannotCreate(Exception):
    """The collection output file or the error report could not be created (other OSErrors, a broken pipe,
    are not this)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error)
        self.error = error
