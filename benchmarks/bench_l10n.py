"""What localization costs per rendered article: Babel formatting and gettext, against constants.

For each renderer that shows localized text, one run on the same generated corpus
(benchmarks/corpus.py) renders every article twice, in turns:

* ``localized``: ``render(article, format, locale="de")`` as users call it;
* ``constants``: the same render with the render context's formatter replaced by
  a stub that returns fixed strings of the same length ("27. Februar 2025",
  "1.234 Wörter"), so nothing is formatted, translated or looked up.

The difference is what localization costs per article, in µs and as a share of
the localized render (target: under 10%). It is also measured directly: the
formatter calls one render makes (date, label, word count, reading time), timed
alone, both warm (the formatter has seen the date before, as in a batch of news
from the same days) and cold (every date new to the formatter).

    python benchmarks/bench_l10n.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import warnings
from collections.abc import Callable
from typing import Any

import newsarticle
from _harness import best_of_each, command_line, describe_machine, write_results
from corpus import DEFAULT_SEED, generate_corpus
from newsarticle import _i18n

TARGET = 0.10
LOCALE = "de"
# (label, format, options): the renderers that show a localized date, label, word count or reading time.
CASES = (
    ('html (date, "Published")', "html", {}),
    ("html, reading_time=True", "html", {"reading_time": True}),
    ("markdown (date)", "markdown", {}),
    ("text (date, words, time)", "text", {}),
)


class ConstantFormatter:
    """The Formatter's interface with constant answers: rendering with nothing localized."""

    locale = LOCALE
    language_tag = LOCALE
    quotes = ("\u201e", "\u201c", "\u201a", "\u2018")

    def gettext(self, message: str) -> str:
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return plural

    def pgettext(self, context: str, message: str) -> str:
        return message

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return plural

    def number(self, value: float) -> str:
        return "1.234"

    def date(self, value: dt.date, date_format: str = "long", timezone: str | None = None) -> str:
        return "27. Februar 2025"

    def words(self, count: int) -> str:
        return "1.234 Wörter"

    def reading_time(self, minutes: int) -> str:
        return "6 Minuten Lesezeit"


def _render(format: str, options: dict[str, Any], constant: bool) -> Callable[[newsarticle.Article], object]:
    real = _i18n.formatter_for
    stub = ConstantFormatter()

    def render(article: newsarticle.Article) -> object:
        # RenderContext looks formatter_for up on the module at each use, so this swaps it for one render.
        if constant:
            _i18n.formatter_for = lambda locale: stub  # type: ignore[assignment,return-value]
        try:
            return newsarticle.render(article, format, locale=LOCALE, **options)
        finally:
            _i18n.formatter_for = real

    return render


#: One use of the formatter: ("get", name, (), {}) for an attribute, ("call", name, args, kwargs) for a method.
Use = tuple[str, str, tuple[Any, ...], dict[str, Any]]


class RecordingFormatter:
    """Passes every use of the formatter on to the real one and notes it, to be replayed on its own."""

    def __init__(self, formatter: _i18n.Formatter, log: list[Use]) -> None:
        self._formatter = formatter
        self._log = log

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._formatter, name)
        if not callable(value):
            self._log.append(("get", name, (), {}))
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            self._log.append(("call", name, args, kwargs))
            return value(*args, **kwargs)

        return call


def record_uses(articles: list[newsarticle.Article], format: str, options: dict[str, Any]) -> list[list[Use]]:
    """For each article, the uses of the formatter (dates, labels, numbers) that rendering it makes."""
    real = _i18n.formatter_for
    logs: list[list[Use]] = []
    for article in articles:
        log: list[Use] = []
        recorder = RecordingFormatter(real(LOCALE), log)
        _i18n.formatter_for = lambda locale, recorder=recorder: recorder  # type: ignore[misc]
        try:
            newsarticle.render(article, format, locale=LOCALE, **options)
        finally:
            _i18n.formatter_for = real
        logs.append(log)
    return logs


def _replay(cold: bool) -> Callable[[list[Use]], object]:
    formatter = _i18n.formatter_for(LOCALE)

    def replay(uses: list[Use]) -> object:
        if cold:
            formatter._dates.clear()  # every date new to the formatter, as for the first article of its day
        result = None
        for kind, name, args, kwargs in uses:
            result = getattr(formatter, name)(*args, **kwargs) if kind == "call" else getattr(formatter, name)
        return result

    return replay


_FIRST_USE = """
import sys, time, warnings
import newsarticle
warnings.simplefilter("ignore")
article = newsarticle.parse(sys.argv[1].encode())
newsarticle.render(article, "source")  # plugins loaded, Babel not yet
times = []
for locale in ("de", "de", "fr"):
    start = time.perf_counter()
    newsarticle.render(article, "html", locale=locale, reading_time=True)
    times.append(time.perf_counter() - start)
print(" ".join(f"{t * 1e3:.3f}" for t in times), "babel" in sys.modules)
"""


def first_use(sample: bytes) -> dict[str, float]:
    """Milliseconds of the first localized render in a fresh process (importing Babel, loading the
    locale's CLDR data and catalog), of the second, and of the first in another locale; median of 5 processes."""
    runs = []
    for _ in range(5):
        output = subprocess.run(
            [sys.executable, "-c", _FIRST_USE, sample.decode()], capture_output=True, text=True, check=True
        ).stdout.split()
        runs.append([float(value) for value in output[:3]])
    first, second, other = (statistics.median(column) for column in zip(*runs, strict=True))
    return {"first_ms": first, "second_ms": second, "first_other_locale_ms": other}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2_000, help="size of the generated corpus (default 2000)")
    parser.add_argument("--repeat", type=int, default=9, help="best of this many runs (default 9)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)

    corpus = generate_corpus(args.articles, seed=args.seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", newsarticle.ParseWarning)
        articles = [newsarticle.parse(data) for data in corpus]
    dates = len({article.published for article in articles})
    print(describe_machine())
    print(
        f"corpus: {len(articles):,} generated articles, {dates:,} distinct dates, seed {args.seed}; "
        f"locale {LOCALE!r}; best of {args.repeat} runs"
    )

    # The runs take turns; renders first, constants and localized in alternating order, replays last,
    # so that no render runs right after the replays have filled the caches with Babel's code.
    cases: dict[str, tuple[Callable[[Any], object], list[Any]]] = {}
    for index, (label, format, options) in enumerate(CASES):
        for constant in (False, True) if index % 2 else (True, False):
            name = f"{label} {'constants' if constant else 'localized'}"
            cases[name] = (_render(format, options, constant=constant), articles)
    for label, format, options in CASES:
        uses = record_uses(articles, format, options)
        cases[f"{label} calls warm"] = (_replay(cold=False), uses)
        cases[f"{label} calls cold"] = (_replay(cold=True), uses)
    timed = {name: seconds / len(articles) * 1e6 for name, seconds in best_of_each(cases, args.repeat).items()}

    rows: list[dict[str, Any]] = []
    print(
        f"\n  {'µs per article':26} {'render':>8} {'consts':>8} {'diff':>6}"
        f"  {'l10n calls':>10} {'share':>6}  {'cold':>6} {'share':>6}"
    )
    for label, format, options in CASES:
        localized, constants = timed[f"{label} localized"], timed[f"{label} constants"]
        warm, cold = timed[f"{label} calls warm"], timed[f"{label} calls cold"]
        row = {
            "label": label,
            "format": format,
            "options": options,
            "render_us": localized,
            "render_with_constants_us": constants,
            "difference_us": localized - constants,
            "l10n_us": warm,
            "l10n_share": warm / localized,
            "l10n_cold_us": cold,
            "l10n_cold_share": cold / localized,
        }
        rows.append(row)
        print(
            f"  {label:26} {localized:8.1f} {constants:8.1f} {localized - constants:6.1f}"
            f"  {warm:10.2f} {warm / localized:6.1%}  {cold:6.2f} {cold / localized:6.1%}"
        )
    once = first_use(corpus[0])
    print(
        f"\n  first localized render in a fresh process: {once['first_ms']:.1f} ms (Babel, CLDR data, catalog),"
        f" then {once['second_ms'] * 1e3:.0f} µs; first in a second locale: {once['first_other_locale_ms']:.1f} ms"
    )
    worst = max(row["l10n_share"] for row in rows)
    verdict = "met" if worst < TARGET else "missed"
    print(
        "\n  render: render(a, format, locale='de'); consts: the same with a formatter of constants;"
        "\n  l10n calls: the formatter calls of those renders replayed alone (cold: every date new)"
    )
    print(f"largest share: {worst:.1%} (target under {TARGET:.0%}: {verdict})")

    path = write_results(
        "l10n",
        {
            "command": command_line(),
            "seed": args.seed,
            "repeat": args.repeat,
            "locale": LOCALE,
            "corpus": {"articles": len(articles), "distinct_dates": dates},
            "rows": rows,
            "first_use": once,
            "target_share": TARGET,
        },
    )
    print(f"results: {path}")


if __name__ == "__main__":
    main()
