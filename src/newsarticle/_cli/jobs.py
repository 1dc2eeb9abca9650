"""From the command line to a Job: the format (given or inferred), options, locale and transforms, checked first."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, Any

from newsarticle._cli.exits import UsageError
from newsarticle._cli.guards import names_folder
from newsarticle._paths import display

if TYPE_CHECKING:
    from newsarticle import Article
    from newsarticle._batch import Job


#: The command line's own aggregate format: one JSON object per article, one file.
JSONL = "jsonl"
JSONL_SUFFIX = ".jsonl"
JSONL_DESCRIPTION = "JSON Lines: every article in one file, one line each (the json format's compact output)."


def infer_format(output: str | None, single: bool) -> str:
    if output is None:
        raise UsageError("give the output format with -t FORMAT (list them with: newsarticle formats)")
    name = os.path.basename(output).lower()
    if name.endswith(JSONL_SUFFIX):
        return JSONL
    if not single or names_folder(output):
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


def make_job(format_name: str, args: argparse.Namespace) -> tuple[Job, str]:
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
