"""The command line's grammar: argparse, the value parsers, and ``--version``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from newsarticle._cli.streams import stdout
from newsarticle._format import MAX_INPUT_SIZE

MAX_SECONDS = 10**9


DISABLE_AUTOLOAD_ENV = "NEWSARTICLE_DISABLE_PLUGIN_AUTOLOAD"
ENTRY_POINT_GROUP = "newsarticle"


class _VersionAction(argparse.Action):
    """``--version``, computed only when asked for (it reads the plugins' metadata)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_args: object, **_kwargs: object) -> None:
        stream = stdout()
        stream.write(version_text() + "\n")
        stream.flush()
        parser.exit()


class _CommandParser(argparse.ArgumentParser):
    """A command's parser: an argument it does not know is its own error, shown with its own usage.

    argparse would hand the leftovers back to the top-level parser, whose usage
    (``newsarticle [-h] [--version] COMMAND ...``) says nothing about the flags
    of the command the user typed.
    """

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        parsed, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}{self._suggestion(extras)}")
        return parsed, extras

    def _suggestion(self, extras: Sequence[str]) -> str:
        """``; did you mean --force?`` for the first mistyped long flag among ``extras``, or nothing."""
        import difflib

        flags = [flag for flag in self._option_string_actions if flag.startswith("--")]
        for extra in extras:
            if extra.startswith("--"):
                close = difflib.get_close_matches(extra.partition("=")[0], flags, n=1)
                if close:
                    return f"; did you mean {close[0]}?"
        return ""


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help, wrapped only at spaces: a file or flag name with a hyphen stays whole on one line."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        import textwrap

        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        import textwrap

        return textwrap.fill(
            " ".join(text.split()), width, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
        )


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


def _language(text: str) -> str:
    """``--language``: a BCP 47 tag, ``de_AT`` spelled ``de-AT``; checked before any file is read."""
    from newsarticle._parser import check_language_tag

    try:
        tag = check_language_tag("--language", text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a BCP 47 language tag such as de, de-AT or pt-BR, got {text!r}"
        ) from None
    assert tag is not None
    return tag


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsarticle",
        formatter_class=_HelpFormatter,
        description="Convert scraped news articles to HTML, Markdown, JSON and more, one file or a whole corpus.",
        epilog="Run 'newsarticle COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action=_VersionAction, help="show the versions of newsarticle and its plugins")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_CommandParser)

    batch = _CommandParser(add_help=False, formatter_class=_HelpFormatter)
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
    group.add_argument(
        "--language",
        type=_language,
        metavar="TAG",
        help="the language (BCP 47: de, de-AT, fr) of a file without a 'lang:' line, instead of detecting it",
    )
    group.add_argument(
        "--traceback",
        action="store_true",
        help="show the full traceback of a failure inside a plugin, a renderer or the parser",
    )

    convert = commands.add_parser(
        "convert",
        formatter_class=_HelpFormatter,
        parents=[batch],
        help="convert articles to another format",
        description="Convert articles. One input and no -o: the result goes to standard output. Several inputs "
        "or a folder: -o names an output folder whose tree mirrors the inputs', with the format's suffix. A rerun "
        "converts only what is missing or was made by another command (see --force).",
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
    # A literal, not _batch.manifest.MANIFEST_NAME: building the parser must not import the batch machinery.
    convert.add_argument("--force", action="store_true", help="convert every file again (default: an existing "
                         "output is skipped when the output folder's .newsarticle-manifest.json says the same "
                         "command made it from the same input, or does not know it, and converted again when "
                         "the format, options, locale, transforms or versions changed)")  # fmt: skip
    convert.set_defaults(command="convert")

    check = commands.add_parser(
        "check",
        formatter_class=_HelpFormatter,
        parents=[batch],
        help="parse articles and print every diagnostic",
        description="Parse without rendering and print each diagnostic as file:line:col: warning|error: code: message.",
    )
    check.add_argument("inputs", nargs="+", metavar="INPUT", help="a file, a folder, or - for standard input")
    check.add_argument("--format", choices=("text", "json"), default="text", help="report format (default: text)")
    check.set_defaults(command="check")

    formats = commands.add_parser(
        "formats",
        formatter_class=_HelpFormatter,
        help="list the output formats",
        description="List every output format and its options.",
    )
    formats.add_argument("--format", choices=("text", "json"), default="text", help="list format (default: text)")
    formats.set_defaults(command="formats")
    return parser


def version_text() -> str:
    """``newsarticle 0.1.0`` and one line per plugin distribution, read from metadata (nothing is imported)."""
    # Not importlib.metadata: importing it costs more than the rest of the start-up.
    from newsarticle import _metadata

    own = _metadata.version("newsarticle") or "(not installed)"
    lines = [f"newsarticle {own} (Python {sys.version.split()[0]})"]
    plugins: dict[tuple[str, str], list[str]] = {}
    for entry_point in _metadata.entry_points(ENTRY_POINT_GROUP):
        key = (entry_point.dist_name or "(unknown distribution)", entry_point.dist_version or "")
        plugins.setdefault(key, []).append(entry_point.name)
    for (name, version), names in sorted(plugins.items()):
        lines.append(f"  {name} {version} (plugin {', '.join(sorted(names))})".rstrip())
    if not plugins:
        lines.append("  no plugins installed")
    elif os.environ.get(DISABLE_AUTOLOAD_ENV):
        lines.append(f"  (plugin autoload is off: {DISABLE_AUTOLOAD_ENV} is set)")
    return "\n".join(lines)
