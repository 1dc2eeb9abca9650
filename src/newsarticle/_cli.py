"""The ``newsarticle`` command: ``convert``, ``check``, ``formats`` and ``--version``.

Start-up is part of the interface (``newsarticle --version`` runs in scripts
and shell completions), so this module imports only the standard library's
lightest parts; the batch machinery, pluggy, cattrs and Babel load inside the
command that needs them. ``--version`` reads the plugins' distributions from
entry-point metadata without importing any plugin.

Exit status: 0 when every file converted (or was skipped), 1 when some
failed or the ``jsonl`` corpus or the error report could not be written, 2
for a usage error, 130 after Ctrl-C, 143 after SIGTERM, 129 after SIGHUP.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from newsarticle._parser import MAX_INPUT_SIZE
from newsarticle._paths import display, file_kind, real, same_file, within

if TYPE_CHECKING:
    from types import FrameType

    from newsarticle import Article, FormatInfo, Option
    from newsarticle._atomic import AtomicFile
    from newsarticle._batch import Inputs, Job, Outcome, Runner
    from newsarticle._progress import Progress

__all__ = ["EXIT_FAILED", "EXIT_HANGUP", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_TERMINATED", "EXIT_USAGE", "main"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a process that Ctrl-C ended
EXIT_TERMINATED = 143  # 128 + SIGTERM: a service manager can tell "stopped" from "interrupted"
#: The longest --timeout: setitimer overflows on values near 1e10 s on some platforms, so a round bound below.
MAX_SECONDS = 10**9
EXIT_HANGUP = 129  # 128 + SIGHUP: the terminal or the ssh session closed

#: The command line's own aggregate format: one JSON object per article, one file.
JSONL = "jsonl"
JSONL_SUFFIX = ".jsonl"
JSONL_DESCRIPTION = "JSON Lines: every article in one file, one line each (the json format's compact output)."
# Same value as newsarticle._plugins.DISABLE_AUTOLOAD_ENV, which imports pluggy (a test keeps them equal).
DISABLE_AUTOLOAD_ENV = "NEWSARTICLE_DISABLE_PLUGIN_AUTOLOAD"
ENTRY_POINT_GROUP = "newsarticle"


def _runner(job: Job, scheduler: str | None, jobs: int, interrupt: _Interrupt, timeout: float | None) -> Runner:
    """Local worker processes, or with ``--scheduler`` a Dask cluster's workers (connected here, before any file)."""
    from newsarticle._batch import DEFAULT_TIMEOUT, Runner

    if timeout is None:
        timeout = DEFAULT_TIMEOUT
    if scheduler is None:
        return Runner(job, jobs=jobs, interrupted=interrupt, timeout=timeout, interruptible=interrupt.raising)
    try:
        from newsarticle._dask import DaskWorkers
    except ImportError:
        raise UsageError("--scheduler needs Dask: pip install 'newsarticle[dask]'") from None
    try:
        workers = DaskWorkers(job, scheduler, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    return Runner(job, jobs=jobs, interrupted=interrupt, workers=lambda _job: workers, timeout=timeout)


class UsageError(Exception):
    """A command line that cannot run as given: exit status 2."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    closed = _closed_streams()
    saved = sys.stdout, sys.stderr
    if sys.stderr is None:  # closed: messages are lost, the exit status still tells
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 -- closed in the finally below
    _results.stream = None if 1 in closed else sys.stdout
    try:
        return _main(argv, closed)
    finally:
        if saved[1] is None:
            sys.stderr.close()
        sys.stdout, sys.stderr = saved
        _results.stream = saved[0]


def _main(argv: Sequence[str] | None, closed: frozenset[int]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:  # --version with standard output closed
        print(f"newsarticle: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    # From here (--help is printed), the command's results go to the real standard output only;
    # everything else that prints (a plugin, at import, in a hook, in a forked worker) reaches
    # standard error and cannot corrupt them.
    sys.stdout = sys.stderr
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_usage(sys.stderr)
        print("newsarticle: error: choose a command: convert, check or formats", file=sys.stderr)
        return EXIT_USAGE
    _route_warnings(quiet=getattr(args, "quiet", False))
    try:
        if 0 in closed and "-" in getattr(args, "inputs", ()):
            raise UsageError("standard input is closed: there is nothing to read from -")
        if 1 in closed and (handler is not _convert or getattr(args, "output", None) in (None, "-")):
            _stdout()  # formats, check's report, a conversion to standard output: refused before any work
        return handler(args)
    except UsageError as exc:
        print(f"newsarticle: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt as exc:
        print("\nnewsarticle: interrupted", file=sys.stderr)
        return exc.status if isinstance(exc, _Terminated) else EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (newsarticle ... | head); Python would complain again at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, _stdout().fileno())
        return EXIT_FAILED


class _Results:
    """Where the command's results go: the standard output ``main`` found; None when it was closed."""

    stream: TextIO | None = sys.stdout


_results = _Results()


def _stdout() -> TextIO:
    """The stream for the command's results; a closed one is a usage error (nothing could receive them)."""
    if _results.stream is None:
        raise UsageError("standard output is closed: nothing can receive the result; write to a file with -o")
    return _results.stream


def _closed_streams() -> frozenset[int]:
    """Which of file descriptors 0, 1 and 2 are closed; each is opened on the null device.

    Otherwise the next file opened (an output's temporary file) would take the
    number, and whatever writes to "standard output" would write into it.
    """
    closed = set()
    for number in (0, 1, 2):
        try:
            os.fstat(number)
        except OSError:
            closed.add(number)
    for number in sorted(closed):
        spare = os.open(os.devnull, os.O_RDWR)
        if spare != number:
            os.dup2(spare, number)
            os.close(spare)
    return frozenset(closed)


# -- the parser ------------------------------------------------------------------


class _VersionAction(argparse.Action):
    """``--version``, computed only when asked for (it reads the plugins' metadata)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_args: object, **_kwargs: object) -> None:
        stream = _stdout()
        stream.write(version_text() + "\n")
        stream.flush()
        parser.exit()


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of worker processes, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1 worker process, got {value}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not value >= 0 or value == float("inf"):  # not NaN, not negative
        raise argparse.ArgumentTypeError(f"expected a number of seconds, 0 or more (0: no limit), got {text!r}")
    if value > MAX_SECONDS:  # the interval timer cannot hold it
        raise argparse.ArgumentTypeError(
            f"expected at most {MAX_SECONDS:,} seconds (about 30 years), got {text!r}; 0 sets no limit"
        )
    return value


def _size(text: str) -> int | None:
    """``--max-size``: bytes, with an optional K, M or G (powers of 1024); 0 for no limit."""
    number, unit = text.strip(), 1
    if number[-1:].upper() in _UNITS:
        number, unit = number[:-1], _UNITS[number[-1].upper()]
    try:
        value = int(number)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a size in bytes such as 16M or 500K, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a size of 0 or more (0: no limit), got {text!r}")
    return value * unit or None


_UNITS = {"K": 1024, "M": 1024**2, "G": 1024**3}


def _default_jobs() -> int:
    affinity = getattr(os, "sched_getaffinity", None)
    if affinity is not None:
        return len(affinity(0)) or 1
    return os.cpu_count() or 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsarticle",
        description="Convert scraped news articles to HTML, Markdown, JSON and more, one file or a whole corpus.",
        epilog="Run 'newsarticle COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action=_VersionAction, help="show the versions of newsarticle and its plugins")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    batch = argparse.ArgumentParser(add_help=False)
    group = batch.add_argument_group("batch")
    group.add_argument(
        "--glob",
        default="*.txt",
        metavar="PATTERN",
        help="files to take from input folders, searched recursively (default: %(default)s)",
    )
    group.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=None,
        metavar="N",
        help="worker processes (default: the number of CPUs); 1 works in order in this process",
    )
    group.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786) instead of local worker"
        " processes; its workers need newsarticle installed and the folders on a shared filesystem",
    )
    group.add_argument(
        "--follow-symlinks",
        action="store_true",
        help="follow symbolic links found in input folders, to files and to folders (default: skip them with"
        " a warning; a link named as INPUT is always followed)",
    )
    group.add_argument(
        "--timeout",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help="the time limit for one file; a file over it fails with code 'timeout' and the run goes on"
        " (default: 60; 0 for none)",
    )
    group.add_argument(
        "--max-size",
        type=_size,
        default=MAX_INPUT_SIZE,
        metavar="BYTES",
        help="refuse an input file larger than this, before reading it (code 'too-large'); K, M and G suffixes"
        " (default: 16M; 0 for none)",
    )
    group.add_argument("--fail-fast", action="store_true", help="stop at the first file that fails")
    group.add_argument("--errors", metavar="FILE", help="write every failure to FILE as JSON Lines")
    group.add_argument("-q", "--quiet", action="store_true", help="no progress bar, warnings or summary")
    group.add_argument("--strict", action="store_true", help="a file with any diagnostic fails")  # fmt: skip

    convert = commands.add_parser(
        "convert",
        parents=[batch],
        help="convert articles to another format",
        description="Convert articles. One input and no -o: the result goes to standard output. Several inputs "
        "or a folder: -o names an output folder whose tree mirrors the inputs', with the format's suffix.",
    )
    convert.add_argument("inputs", nargs="+", metavar="INPUT", help="a file, a folder, or - for standard input")
    convert.add_argument("-t", "--to", metavar="FORMAT", help="output format (see 'newsarticle formats'); "
                         "inferred from the suffix of -o FILE when not given")  # fmt: skip
    convert.add_argument("-o", "--output", metavar="OUT", help="output file, or output folder for several inputs")
    convert.add_argument("-s", "--standalone", action="store_true", help="a whole document (-O standalone=true)")
    convert.add_argument("--locale", help="locale for dates, numbers and labels (de, de_AT, en_GB, ...)")
    convert.add_argument("--transform", action="append", default=[], metavar="NAME",
                         help="apply a transform before rendering (repeatable, applied in order)")  # fmt: skip
    convert.add_argument("-O", "--option", action="append", default=[], dest="options", metavar="KEY=VALUE",
                         help="a renderer option (repeatable); 'newsarticle formats' lists them")  # fmt: skip
    convert.add_argument("--force", action="store_true", help="overwrite existing outputs (default: skip them)")
    convert.set_defaults(handler=_convert)

    check = commands.add_parser(
        "check",
        parents=[batch],
        help="parse articles and print every diagnostic",
        description="Parse without rendering and print each diagnostic as file:line:col: code: message.",
    )
    check.add_argument("inputs", nargs="+", metavar="INPUT", help="a file, a folder, or - for standard input")
    check.add_argument("--format", choices=("text", "json"), default="text", help="report format (default: text)")
    check.set_defaults(handler=_check)

    formats = commands.add_parser(
        "formats", help="list the output formats", description="List every output format and its options."
    )
    formats.add_argument("--format", choices=("text", "json"), default="text", help="list format (default: text)")
    formats.set_defaults(handler=_formats)
    return parser


# -- --version and formats -------------------------------------------------------------


def version_text() -> str:
    """``newsarticle 0.1.0`` and one line per plugin distribution, read from metadata (nothing is imported)."""
    from importlib import metadata

    try:
        own = metadata.version("newsarticle")
    except metadata.PackageNotFoundError:
        own = "(not installed)"
    lines = [f"newsarticle {own} (Python {sys.version.split()[0]})"]
    plugins: dict[tuple[str, str], list[str]] = {}
    for entry_point in metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = entry_point.dist
        key = (dist.name, dist.version) if dist is not None else ("(unknown distribution)", "")
        plugins.setdefault(key, []).append(entry_point.name)
    for (name, version), names in sorted(plugins.items()):
        lines.append(f"  {name} {version} (plugin {', '.join(sorted(names))})".rstrip())
    if not plugins:
        lines.append("  no plugins installed")
    elif os.environ.get(DISABLE_AUTOLOAD_ENV):
        lines.append(f"  (plugin autoload is off: {DISABLE_AUTOLOAD_ENV} is set)")
    return "\n".join(lines)


def _formats(args: argparse.Namespace) -> int:
    import newsarticle

    infos = newsarticle.formats()
    if args.format == "json":
        import json

        listing = [_format_dict(info) for info in infos] + [_jsonl_dict()]
        listing.sort(key=lambda item: str(item["name"]))
        _stdout().write(json.dumps(listing, ensure_ascii=False, indent=2, default=str) + "\n")
        return EXIT_OK
    entries: list[tuple[str, str]] = [(info.name, _describe(info)) for info in infos]
    entries.append((JSONL, _describe_jsonl()))
    for _name, text in sorted(entries):
        _stdout().write(text + "\n")
    return EXIT_OK


def _describe(info: FormatInfo) -> str:
    provider = info.plugin if info.distribution is None else f"{info.plugin} ({info.distribution} {info.version})"
    lines = [f"{info.name}  {info.suffix}  {info.media_type}", f"    {info.description}", f"    plugin: {provider}"]
    for option in info.options:
        lines.append(f"    -O {option.name}={_type_name(option)}  (default: {_show_default(option.default)})")
        lines.append(f"        {option.help}")
    return "\n".join(lines)


def _describe_jsonl() -> str:
    return f"{JSONL}  {JSONL_SUFFIX}  application/jsonl\n    {JSONL_DESCRIPTION}\n    plugin: the newsarticle command"


def _type_name(option: Option) -> str:
    if option.choices:
        return "|".join(str(choice) for choice in option.choices)
    return {bool: "true|false", int: "INT", float: "NUMBER", str: "TEXT"}.get(option.type, option.type.__name__.upper())


def _show_default(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "unset" if value is None else str(value)


def _format_dict(info: FormatInfo) -> dict[str, object]:
    return {
        "name": info.name,
        "suffix": info.suffix,
        "media_type": info.media_type,
        "description": info.description,
        "options": [
            {
                "name": o.name,
                "type": o.type.__name__,
                "default": o.default,
                "help": o.help,
                "choices": list(o.choices) if o.choices is not None else None,
            }
            for o in info.options
        ],
        "plugin": info.plugin,
        "distribution": info.distribution,
        "version": info.version,
    }


def _jsonl_dict() -> dict[str, object]:
    return {
        "name": JSONL,
        "suffix": JSONL_SUFFIX,
        "media_type": "application/jsonl",
        "description": JSONL_DESCRIPTION,
        "options": [],
        "plugin": "newsarticle command line",
        "distribution": "newsarticle",
        "version": None,
    }


# -- convert -----------------------------------------------------------------------------


def _convert(args: argparse.Namespace) -> int:
    from newsarticle._batch import Inputs, Task

    inputs: list[str] = args.inputs
    _check_inputs(inputs)
    output: str | None = None if args.output in (None, "-") else args.output
    folders = any(os.path.isdir(i) for i in inputs if i != "-")
    single = len(inputs) == 1 and not folders
    format_name = args.to or _infer_format(output, single)
    job, suffix = _make_job(format_name, args)
    session = _Session(args, check=False)

    if job.mode == JSONL:
        selection = Inputs(inputs, args.glob, follow_symlinks=args.follow_symlinks)
        if output is not None:
            if _names_folder(output):
                raise UsageError(f"-o {display(output)} is a folder; -t jsonl writes one file")
            _refuse_special("-o", output)
            if _is_input(output, selection):
                raise UsageError(f"refused: the output {display(output)} is an input")
        _check_report(args.errors, selection, output)
        return session.run(job, selection, _plain_tasks(selection), jsonl_output=output, batch=not single)
    if single and (output is None or not _names_folder(output)):
        source = inputs[0]
        _check_report(args.errors, Inputs(inputs, args.glob), output)
        if output is None:
            return session.run(job, None, iter([Task(source, None)]), batch=False)
        _refuse_special("-o", output)
        if source != "-" and same_file(source, output):
            raise UsageError(f"refused: the output {display(output)} is the input")
        if os.path.lexists(output) and not args.force:
            session.note(f"{display(output)} exists; skipped (use --force to overwrite)")
            return EXIT_OK
        return session.run(job, None, iter([Task(source, output)]), batch=False)
    if "-" in inputs:
        raise UsageError("standard input (-) goes to standard output or to -o FILE, not into a folder")
    if output is None:
        raise UsageError("several inputs or a folder need -o FOLDER for the outputs (or -t jsonl for one file)")
    if os.path.exists(output) and not os.path.isdir(output):
        raise UsageError(f"-o {display(output)} is a file; several inputs or a folder need an output folder")
    selection = Inputs(inputs, args.glob, prune=output, follow_symlinks=args.follow_symlinks)
    overlap = selection.overlap(suffix)
    if overlap is not None:
        raise UsageError(overlap)
    _check_report(args.errors, selection, output, output_suffix=suffix)
    from newsarticle._batch import plan_mirror

    plan = plan_mirror(selection, output, suffix, force=args.force)
    return session.run(job, selection, plan, batch=not single)  # one file into a folder needs no workers


def _check_inputs(inputs: Sequence[str]) -> None:
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


def _refuse_special(flag: str, path: str) -> None:
    """An output named on the command line that exists as a FIFO, socket or device (``/dev/stdout``,
    ``>(...)``) would be replaced by a regular file: refused, pointing to ``-o -``."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        hint = "; write to standard output with -o - and redirect it" if flag == "-o" else ""
        raise UsageError(f"{flag} {display(path)} is {file_kind(mode)}, not a file{hint}")


def _names_folder(output: str) -> bool:
    return os.path.isdir(output) or output.endswith(("/", os.sep))


def _is_input(path: str, selection: Inputs) -> bool:
    """Whether writing ``path`` would replace an input, or create a file that the selection reads.

    By the selection, compared resolved: an input file given by name (or
    another name of it: a link, a hard link), or a name that ``--glob``
    selects in an input folder, however either is reached.
    """
    return selection.selects(path)


def _check_report(
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
    _refuse_special("--errors", report)
    if _is_input(report, selection):
        raise UsageError(f"refused: the error report {display(report)} is an input")
    if output is not None and same_file(report, output):
        raise UsageError(f"refused: the error report {display(report)} is also the output {display(output)}")
    if output is not None and output_suffix and report.endswith(output_suffix) and within(real(report), real(output)):
        raise UsageError(
            f"refused: the error report {display(report)} is in the output folder with the outputs' suffix"
            f" {output_suffix} (it could replace an output)"
        )


def _plain_tasks(selection: Inputs) -> Any:
    from newsarticle._batch import Outcome, Task

    return (
        item if isinstance(item, Outcome) else Task(item.source, None, item.follow, item.folder)
        for item in selection.walk()
    )


def _infer_format(output: str | None, single: bool) -> str:
    if output is None:
        raise UsageError("give the output format with -t FORMAT (list them with: newsarticle formats)")
    name = os.path.basename(output).lower()
    if name.endswith(JSONL_SUFFIX):
        return JSONL
    if not single or _names_folder(output):
        raise UsageError("give the output format with -t FORMAT when -o names a folder")
    import newsarticle

    # The longest suffix wins: out.ninjs.json is ninjs, out.json is json.
    matches = [(len(info.suffix), info.name) for info in newsarticle.formats() if name.endswith(info.suffix.lower())]
    longest = max((length for length, _name in matches), default=0)
    names = sorted(format_name for length, format_name in matches if length == longest)
    if len(names) == 1:
        return names[0]
    suffix = os.path.splitext(name)[1]
    if not names:
        if not suffix:
            raise UsageError(f"cannot tell the format from -o {display(output)} (no suffix); give -t FORMAT")
        shown = display(suffix)
        raise UsageError(f"no format writes {shown} files; give -t FORMAT (list them with: newsarticle formats)")
    raise UsageError(f"{suffix} is the suffix of several formats ({', '.join(names)}); give -t FORMAT")


def _make_job(format_name: str, args: argparse.Namespace) -> tuple[Job, str]:
    """Validate format, options, locale and transforms before any file is read; return the job and its suffix."""
    import newsarticle
    from newsarticle._batch import DEFAULT_TIMEOUT, Job

    transforms = tuple(args.transform)
    if transforms:
        available = newsarticle.available_transforms()
        for name in transforms:
            if name not in available:
                raise UsageError(f"unknown transform {name!r}; available transforms: {', '.join(available) or 'none'}")
    locale: str | None = args.locale
    if locale is not None:
        from newsarticle._i18n import get_locale

        try:
            get_locale(locale)
        except newsarticle.UnknownLocaleError as exc:
            raise UsageError(str(exc)) from None
    if format_name == JSONL:
        if args.options or args.standalone:
            raise UsageError("the jsonl format has no options")
        try:
            from newsarticle._render import get_renderer

            get_renderer("json")
        except newsarticle.UnknownFormatError:
            raise UsageError("the jsonl format needs the json format, which failed to load") from None
        return Job(JSONL, JSONL, {}, locale, transforms, args.strict, args.max_size), JSONL_SUFFIX

    from newsarticle._render import coerce_option, get_renderer, resolve_options

    try:
        renderer = get_renderer(format_name)
    except newsarticle.UnknownFormatError:
        names = sorted([info.name for info in newsarticle.formats()] + [JSONL])
        raise UsageError(f"unknown format {format_name!r}; available formats: {', '.join(names)}") from None
    options: dict[str, Any] = {}
    given: dict[str, str] = {}  # each option as the user wrote it, for messages
    try:
        for item in args.options:
            key, equals, value = item.partition("=")
            if not equals or not key.strip():
                raise UsageError(f"-O takes KEY=VALUE, not {item!r}")
            options[key.strip()] = coerce_option(renderer, key.strip(), value)
            given[key.strip()] = f"-O {item}"
        if args.standalone:
            options["standalone"] = True
            given.setdefault("standalone", "-s")
        resolve_options(renderer, options)
    except newsarticle.OptionError as exc:
        raise UsageError(str(exc)) from None
    timeout: float = DEFAULT_TIMEOUT if args.timeout is None else args.timeout
    _probe(format_name, locale, transforms, options, given, timeout=timeout)
    return Job("render", format_name, options, locale, transforms, args.strict, args.max_size), renderer.suffix


def _probe_articles(locale: str | None) -> list[Article]:
    """A small article with a date and time, and the same with a date only."""
    import datetime as dt

    import newsarticle

    published = dt.datetime(2025, 2, 27, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    language = "de" if locale is None else locale.replace("_", "-")
    articles = []
    for date in (published, published.date()):
        fields: dict[str, Any] = {
            "headline": "Probe",
            "published": date,
            "sections": (newsarticle.Section(paragraphs=("Probe.",)),),
        }
        try:
            article = newsarticle.Article(language=language, **fields)
        except ValueError:  # a locale that is no language tag (with a Babel modifier): the locale still applies
            article = newsarticle.Article(language="de", **fields)
        articles.append(article)
    return articles


def _probe_error(
    format_name: str, locale: str | None, transforms: tuple[str, ...], options: dict[str, Any], timeout: float
) -> Exception | None:
    """The usage error when no probe article renders, if any; every other failure is left to the files.

    One that renders is enough: ``date_format="d. MMMM y, HH:mm"`` suits a corpus
    of date-times, and a date-only article among them fails on its own.
    Each render has the per-file time limit: a renderer that takes longer is
    no fault of the options, and is left to the files too (each then fails
    with code ``timeout``).
    """
    import warnings

    import newsarticle
    from newsarticle._batch import TimeLimitExceeded, time_limit

    first: Exception | None = None
    for article in _probe_articles(locale):
        try:
            with warnings.catch_warnings(), time_limit(timeout):
                warnings.simplefilter("ignore")
                newsarticle.render(article, format_name, locale=locale, transforms=transforms, **options)
        except (newsarticle.OptionError, newsarticle.UnknownLocaleError, newsarticle.UnknownTransformError) as exc:
            first = first or exc
            continue
        except TimeLimitExceeded:
            return None  # the second article would take as long: the files will tell
        except Exception:  # a real failure is the per-file handling's to report
            pass
        return None
    return first


def _probe(
    format_name: str,
    locale: str | None,
    transforms: tuple[str, ...],
    options: dict[str, Any],
    given: dict[str, str],
    *,
    timeout: float,
) -> None:
    """Render a probe article (with a time, then date-only) so that option values fail once, not once per file.

    An option value that no article can be rendered with (``-O timezone=Nope/X``,
    ``-O date_format=HH:mm``) is a usage error naming the option.
    """
    import newsarticle

    error = _probe_error(format_name, locale, transforms, options, timeout)
    if error is None:
        return
    if not isinstance(error, newsarticle.OptionError):
        raise UsageError(str(error))  # the locale or a transform, named in the message
    if not given:
        return  # the renderer's own defaults: nothing the command line could change
    # Name the options to blame: those that fail alone, else every one given (they fail together).
    culprits = [
        flag
        for key, flag in given.items()
        if _probe_error(format_name, locale, transforms, {key: options[key]}, timeout) is not None
    ]
    raise UsageError(f"{', '.join(culprits or given.values())}: {error}")


# -- check -------------------------------------------------------------------------------


def _check(args: argparse.Namespace) -> int:
    from newsarticle._batch import Inputs, Job

    _check_inputs(args.inputs)
    selection = Inputs(args.inputs, args.glob, follow_symlinks=args.follow_symlinks)
    _check_report(args.errors, selection, None)
    single = len(args.inputs) == 1 and not selection.folders
    session = _Session(args, check=True)
    job = Job("check", strict=args.strict, max_size=args.max_size)
    return session.run(job, selection, _plain_tasks(selection), batch=not single)


# -- running and reporting ---------------------------------------------------------------


class _Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP where Ctrl-C would raise KeyboardInterrupt: handled alike, but the exit status
    tells which (143, 129)."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class _Interrupt:
    """Ctrl-C (SIGINT), SIGTERM and SIGHUP (a closed terminal) set a flag that the batch loop polls.

    The workers then stop between files.

    With ``hard`` (a single input, possibly a blocking read of standard
    input), and inside :meth:`raising` (the file in progress in this process),
    the signal raises KeyboardInterrupt (:class:`_Terminated` for SIGTERM) at
    once instead, so a hanging renderer can be stopped; write_atomic holds the
    signals back while its temporary file exists, so nothing is half-written.
    """

    def __init__(self, *, hard: bool) -> None:
        self.hard = hard
        self.signal: int | None = None
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> _Interrupt:
        import signal

        from newsarticle._atomic import STOP_SIGNALS

        for number in STOP_SIGNALS:
            self._previous[number] = signal.signal(number, self._handle)
        return self

    def __exit__(self, *_exc: object) -> None:
        import signal

        for number, previous in self._previous.items():
            signal.signal(number, previous)

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        if self.signal is None:
            self.signal = signum
        if self.hard:
            self._raise()

    def _raise(self) -> None:
        status = self.status()
        raise _Terminated(status) if status != EXIT_INTERRUPTED else KeyboardInterrupt

    @contextlib.contextmanager
    def raising(self) -> Iterator[Callable[[], None]]:
        """A block in which the signal raises at once (and on entry, if it came already).

        It gives a function that ends the raising before the block does: once
        a file's output is being written, it is also to be reported.
        """
        hard, self.hard = self.hard, True

        def calm() -> None:
            self.hard = False

        try:
            if self.signal is not None:
                self._raise()
            yield calm
        finally:
            self.hard = hard

    def __call__(self) -> bool:
        return self.signal is not None

    def status(self) -> int:
        """The exit status for the signal that came: 128 plus its number, as a shell reports it."""
        return EXIT_INTERRUPTED if self.signal is None else 128 + self.signal


class _Session:
    """Runs one convert or check command and reports each outcome, in input order."""

    def __init__(self, args: argparse.Namespace, *, check: bool) -> None:
        self.args = args
        self.check = check
        self.quiet: bool = args.quiet
        self.json = check and args.format == "json"
        self.counts = {"converted": 0, "checked": 0, "failed": 0, "skipped": 0}
        self.warning_count = 0
        self.write_failed = False  # the jsonl corpus or the error report could not be written
        self.progress: Progress | None = None
        self._first_json = True

    def note(self, text: str) -> None:
        if not self.quiet:
            print(f"newsarticle: {text}", file=sys.stderr)

    def run(
        self,
        job: Job,
        selection: Inputs | None,
        items: Any,
        *,
        batch: bool,
        jsonl_output: str | None = None,
    ) -> int:
        import time

        from newsarticle._atomic import signals_deferred
        from newsarticle._progress import Progress

        args = self.args
        start = time.monotonic()
        if jsonl_output is not None and os.path.lexists(jsonl_output) and not args.force:
            self.note(f"{display(jsonl_output)} exists; skipped (use --force to overwrite)")
            return EXIT_OK
        show_progress = batch and not self.quiet and sys.stderr.isatty()
        total = selection.count() if show_progress and selection is not None else None
        jobs = (args.jobs or _default_jobs()) if batch else 1
        if total is not None:
            jobs = max(1, min(jobs, total))
        self.progress = Progress(sys.stderr, total, enabled=show_progress)
        stopped = complete = False
        sink: AtomicFile | None = None
        errors_file: AtomicFile | None = None
        with _Interrupt(hard=not batch) as interrupt:
            # The runner first: a scheduler that cannot be reached is a usage error before any file exists.
            runner = _runner(job, args.scheduler if batch else None, jobs, interrupt, args.timeout)
            outcomes = runner.run(items)
            try:
                # Each file is owned by the finally below from the moment it exists (signals wait until then).
                with signals_deferred():
                    if jsonl_output is not None:
                        sink = _open_output(jsonl_output, parents=True)
                    if args.errors:
                        errors_file = _open_output(args.errors, parents=False)
                if self.json:
                    _stdout().write('{"diagnostics": [')
                for outcome in outcomes:
                    self._report(outcome, sink, errors_file)
                    if outcome.status == "failed" and args.fail_fast:
                        stopped = True
                        break
                    if sink is not None and sink.closed:
                        break  # the corpus failed to write: converting the rest would be for nothing
                complete = not (stopped or runner.interrupted or runner.failure)
            except KeyboardInterrupt:  # a single input: Ctrl-C raises at once (see _Interrupt)
                runner.interrupted = True
            except _CannotCreate as exc:
                self._write_error(exc.error)
            finally:
                outcomes.close()  # terminates the workers when the loop stopped early
                runner.close()  # and releases a cluster's that never got a file
                self.progress.clear()
                self._close_outputs(sink, errors_file, complete=complete)
        self._finish(time.monotonic() - start, stopped=stopped, interrupted=runner.interrupted, batch=batch)
        return self._status(runner, interrupt)

    def _status(self, runner: Runner, interrupt: _Interrupt) -> int:
        if runner.interrupted:
            return interrupt.status()
        if runner.failure is not None:
            print(f"newsarticle: error: {runner.failure}; files not started are left for a rerun", file=sys.stderr)
            return EXIT_FAILED
        return EXIT_FAILED if self.counts["failed"] or self.write_failed else EXIT_OK

    def _report(self, outcome: Outcome, sink: AtomicFile | None, errors_file: AtomicFile | None) -> None:
        self.counts[outcome.status] += 1
        self.warning_count += len(outcome.warnings)
        assert self.progress is not None
        if self.json:
            self._report_json(outcome)
        else:
            # In strict mode the diagnostics are the errors: show each once.
            shown = [] if self.quiet else [w for w in outcome.warnings if w not in outcome.errors]
            shown += outcome.errors
            if shown:
                self.progress.clear()
                stream: TextIO = _stdout() if self.check else sys.stderr
                stream.write("".join(f"{problem}\n" for problem in shown))
                stream.flush()
        if outcome.data is not None:
            if sink is not None:
                if not sink.closed:
                    self._write(sink, outcome.data)
            else:
                stream = _stdout()
                stream.flush()
                stream.buffer.write(outcome.data)
                stream.buffer.flush()
        if errors_file is not None and outcome.errors and not errors_file.closed:
            import json

            lines = "".join(json.dumps(problem.to_dict(), ensure_ascii=False) + "\n" for problem in outcome.errors)
            self._write(errors_file, lines.encode("utf-8"))
        self.progress.advance()

    def _close_outputs(self, sink: AtomicFile | None, errors_file: AtomicFile | None, *, complete: bool) -> None:
        try:
            if errors_file is not None and not errors_file.closed:
                self._commit(errors_file)
        finally:
            if sink is not None and not sink.closed:
                # A corpus file is all or nothing: a stopped or interrupted run leaves none.
                if complete:
                    self._commit(sink)
                else:
                    sink.discard()

    def _write(self, file: AtomicFile, data: bytes) -> None:
        """Write to the corpus or the report; a failure (the file is then discarded) is reported once."""
        try:
            file.write(data)
        except OSError as exc:
            self._write_error(exc)

    def _commit(self, file: AtomicFile) -> None:
        try:
            file.commit()
        except OSError as exc:
            self._write_error(exc)

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
                _stdout().write(("\n" if self._first_json else ",\n") + json.dumps(record, ensure_ascii=False))
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
            results = _stdout()
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
        print(f"newsarticle: {text}", file=sys.stderr)


def _open_output(path: str, *, parents: bool) -> AtomicFile:
    """The corpus file or the error report, after removing the temporary files that killed runs left beside it.

    The report's folder is never created (``_check_report`` has named a missing one already).
    """
    from newsarticle._atomic import AtomicFile, remove_stale

    remove_stale(os.path.dirname(path) or os.curdir)
    try:
        return AtomicFile(path, parents=parents)
    except OSError as exc:
        raise _CannotCreate(exc) from exc


class _CannotCreate(Exception):
    """The corpus file or the error report could not be created (other OSErrors, a broken pipe, are not this)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error)
        self.error = error


def _route_warnings(*, quiet: bool) -> None:
    """Plugin warnings as one readable line each, not Python's source-line format; none with ``-q``."""
    import warnings

    def show(message: Warning | str, *_args: object, **_kwargs: object) -> None:
        if not quiet:
            print(f"newsarticle: warning: {message}", file=sys.stderr)

    warnings.showwarning = show
