"""What localization costs per rendered article: Babel formatting and gettext, against constants.

For each renderer that shows localized text, on the same generated corpus
(benchmarks/corpus.py), in one run:

* ``render``: ``render(article, format, locale="de")`` as users call it;
* ``consts``: the same render with the render context's formatter replaced by
  one that returns fixed strings of the same length ("27. Februar 2025",
  "1.234 Wörter"): nothing formatted, translated or looked up. ``diff`` is the
  difference, which on a shared machine is within the noise;
* ``l10n``: the formatter calls those renders make (dates, labels, word counts,
  reading times), recorded once and replayed alone, less the same replay on the
  formatter of constants (the cost of replaying):

  - ``batch``: one pass over the corpus with a new formatter, which remembers
    the strings it has made as it goes (686 distinct dates in 2,000 articles);
    this is what converting a folder of news costs;
  - ``cold``: every article's values new to the formatter.

The share is of the localized render (target: under 10%).

    python benchmarks/bench_l10n.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import statistics
import subprocess
import sys
import time
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


def _replay(formatter: Any, forget: bool = False) -> Callable[[list[Use]], object]:
    """Replays one article's uses on ``formatter``; ``forget`` empties its memory of strings first."""

    def replay(uses: list[Use]) -> object:
        if forget:
            formatter._memo.clear()
        result = None
        for kind, name, args, kwargs in uses:
            result = getattr(formatter, name)(*args, **kwargs) if kind == "call" else getattr(formatter, name)
        return result

    return replay


def one_pass(uses: list[list[Use]], repeat: int) -> float:
    """µs per article of replaying the corpus once, in order, on a new formatter (best of ``repeat``)."""
    best = float("inf")
    for _ in range(repeat):
        replay = _replay(_i18n.Formatter(LOCALE))
        gc.collect()
        start = time.perf_counter()
        for article_uses in uses:
            replay(article_uses)
        best = min(best, time.perf_counter() - start)
    return best / len(uses) * 1e6


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
print(" ".join(f"{t * 1e3:.3f}" for t in times))
"""


def first_use(sample: bytes) -> dict[str, float]:
    """Milliseconds of the first localized render in a fresh process (importing Babel, loading the
    locale's CLDR data and catalog), of the second, and of the first in another locale; median of 5 processes."""
    runs = []
    for _ in range(5):
        output = subprocess.run(
            [sys.executable, "-c", _FIRST_USE, sample.decode()], capture_output=True, text=True, check=True
        ).stdout.split()
        runs.append([float(value) for value in output])
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

    # The runs take turns: renders first, constants and localized in alternating order, then the replays.
    uses = {label: record_uses(articles, format, options) for label, format, options in CASES}
    cases: dict[str, tuple[Callable[[Any], object], list[Any]]] = {}
    for index, (label, format, options) in enumerate(CASES):
        for constant in (False, True) if index % 2 else (True, False):
            name = f"{label} {'constants' if constant else 'localized'}"
            cases[name] = (_render(format, options, constant=constant), articles)
    cold_formatter = _i18n.Formatter(LOCALE)  # its own, so that forgetting leaves the shared one warm
    for label, _, _ in CASES:
        cases[f"{label} replay cold"] = (_replay(cold_formatter, forget=True), uses[label])
        cases[f"{label} replay constants"] = (_replay(ConstantFormatter()), uses[label])
    timed = {name: seconds / len(articles) * 1e6 for name, seconds in best_of_each(cases, args.repeat).items()}
    for label, _, _ in CASES:
        timed[f"{label} replay batch"] = one_pass(uses[label], args.repeat)

    rows: list[dict[str, Any]] = []
    print(f"\n  {'µs per article':26} {'render':>7} {'consts':>7} {'diff':>6}   {'l10n: batch':>11} {'share':>6}"
          f"   {'cold':>6} {'share':>6}")  # fmt: skip
    for label, format, options in CASES:
        localized, constants = timed[f"{label} localized"], timed[f"{label} constants"]
        overhead = timed[f"{label} replay constants"]
        batch = timed[f"{label} replay batch"] - overhead
        cold = timed[f"{label} replay cold"] - overhead
        row = {
            "label": label,
            "format": format,
            "options": options,
            "render_us": localized,
            "render_with_constants_us": constants,
            "difference_us": localized - constants,
            "l10n_batch_us": batch,
            "l10n_batch_share": batch / localized,
            "l10n_cold_us": cold,
            "l10n_cold_share": cold / localized,
            "replay_overhead_us": overhead,
        }
        rows.append(row)
        print(f"  {label:26} {localized:7.1f} {constants:7.1f} {localized - constants:6.1f}   {batch:11.2f}"
              f" {batch / localized:6.1%}   {cold:6.2f} {cold / localized:6.1%}")  # fmt: skip

    once = first_use(corpus[0])
    print(
        f"\n  first localized render in a fresh process: {once['first_ms']:.1f} ms (Babel, CLDR data, catalog),"
        f" then {once['second_ms'] * 1e3:.0f} µs; first in a second locale: {once['first_other_locale_ms']:.1f} ms"
    )
    worst = max(row["l10n_batch_share"] for row in rows)
    verdict = "met" if worst < TARGET else "missed"
    print(f"largest share (batch): {worst:.1%} (target under {TARGET:.0%}: {verdict})")

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
