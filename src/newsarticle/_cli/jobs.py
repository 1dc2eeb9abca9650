"""From the command line to a Job: the format (given or inferred), options, locale and transforms, checked first."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, Any

from newsarticle._cli.exits import UsageError
from newsarticle._cli.guards import names_folder
from newsarticle._paths import display

if TYPE_CHECKING:
    from newsarticle._batch import Job
    from newsarticle._plugin_api import FormatInfo, RegisteredCollection, RegisteredRenderer


def infer_format(output: str | None, single: bool) -> str:
    if output is None:
        raise UsageError("give the output format with -t FORMAT (list them with: newsarticle formats)")
    name = os.path.basename(output).lower()
    from newsarticle._render import formats

    infos = formats()
    if not single or names_folder(output):
        # Several inputs go into one file only through a collection format (-o corpus.jsonl).
        infos = [info for info in infos if info.kind == "collection"]
        if names_folder(output) or not os.path.splitext(name)[1]:
            raise UsageError("give the output format with -t FORMAT when -o names a folder")
        if not any(name.endswith(info.suffix.lower()) for info in infos):
            raise UsageError(_no_collection_suffix(output, infos))
    # The longest suffix wins: out.ninjs.json is ninjs, out.json is json.
    matches = [(len(info.suffix), info.name) for info in infos if name.endswith(info.suffix.lower())]
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


def _no_collection_suffix(output: str, collections: list[FormatInfo]) -> str:
    """Why ``-o feed.json`` cannot be inferred for a folder: it names a file, and no collection format writes it."""
    known = ", ".join(f"{info.name} {info.suffix}" for info in collections)
    return (
        f"-o {display(output)} names one file, and several inputs go into one file only in a collection format,"
        f" none of which writes {display(os.path.splitext(output)[1])} files ({known}); give -t FORMAT"
        " (with a format of one file per article, -o names the folder to write)"
    )


def make_job(format_name: str, args: argparse.Namespace) -> tuple[Job, str]:
    """Check format, options, locale and transforms before any file is read; return the job and its suffix.

    Each option's value is checked by its :class:`~newsarticle.Option` (type,
    bounds, choices, validator) through :func:`~newsarticle.coerce_options`,
    one at a time, so that the message names the flag to blame.
    """
    from newsarticle._batch import Job
    from newsarticle._exceptions import UnknownFormatError, UnknownLocaleError, UnknownTransformError
    from newsarticle._plugin_api import RegisteredCollection
    from newsarticle._render import check_transforms, get_format

    transforms = tuple(args.transform)
    try:
        check_transforms(transforms)
    except UnknownTransformError as exc:
        raise UsageError(str(exc)) from None
    locale: str | None = args.locale
    if locale is not None:
        from newsarticle._i18n import get_locale

        try:
            get_locale(locale)
        except UnknownLocaleError as exc:
            raise UsageError(str(exc)) from None
    try:
        renderer = get_format(format_name)
    except UnknownFormatError as exc:
        raise UsageError(str(exc)) from None
    texts: dict[str, str] = {}
    flags: dict[str, str] = {}  # each option as the user wrote it, for messages
    for item in args.options:
        key, equals, value = item.partition("=")
        if not equals or not key.strip():
            raise UsageError(f"-O takes KEY=VALUE, not {item!r}")
        texts[key.strip()], flags[key.strip()] = value, f"-O {item}"
    if args.standalone:
        texts.setdefault("standalone", "true")
        flags.setdefault("standalone", "-s")
    options = {key: _checked(renderer, key, text, flags[key], args.timeout) for key, text in texts.items()}
    mode = "collect" if isinstance(renderer, RegisteredCollection) else "render"
    job = Job(
        mode, renderer.name, options, locale, transforms, args.strict, args.max_size, args.language, args.traceback
    )
    return job, renderer.suffix


def _checked(
    renderer: RegisteredRenderer | RegisteredCollection, key: str, text: str, flag: str, timeout: float | None
) -> Any:
    """The value of one ``-O`` option, checked by its Option; a usage error naming ``flag`` if it is refused,
    if the check fails (plugin code), or if the check runs past the time limit, as a file's work would."""
    from newsarticle._batch.timelimit import DEFAULT_TIMEOUT, TimeLimitExceeded, time_limit
    from newsarticle._exceptions import NewsArticleError
    from newsarticle._render import coerce_options

    limit = DEFAULT_TIMEOUT if timeout is None else timeout
    try:
        with time_limit(limit):
            return coerce_options(renderer.name, {key: text})[key]
    except NewsArticleError as exc:  # a refused value, or a PluginError: the option's own check failed
        raise UsageError(f"{flag}: {exc}") from None
    except TimeLimitExceeded:
        raise UsageError(
            f"{flag}: the check of option {key!r} of format {renderer.name!r} from {renderer.provider} took"
            f" longer than the time limit of {limit:g} s (--timeout)"
        ) from None


def recipe(job: Job, **extra: Any) -> dict[str, Any]:
    """What makes an output's bytes besides its input, for the output folder's manifest (see
    :mod:`newsarticle._batch.manifest`): the renderer's options after defaults, and the versions of
    newsarticle and of the distribution that provides the format."""
    import newsarticle
    from newsarticle._render import get_format, get_transform

    renderer = get_format(job.format or "")
    # make_job checked the given values: the option's check (plugin code) is not run again here.
    options = {**renderer.defaults, **job.options}
    provider = next((info for info in newsarticle.formats() if info.name == renderer.name), None)
    distribution = None if provider is None else f"{provider.distribution} {provider.version}"
    return {
        "format": renderer.name,
        "options": options,
        "locale": job.locale,
        "transforms": [get_transform(name).name for name in job.transforms],  # as registered: any case is one
        "strict": job.strict,
        "language": job.language,
        "newsarticle": newsarticle.__version__,
        "distribution": distribution,
        **extra,
    }
