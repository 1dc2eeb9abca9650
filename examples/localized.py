"""One article's date, numbers and labels in de, de_AT, de_CH, en and fr, side by side.

Run it from anywhere: ``python examples/localized.py``. Each column is what
newsarticle writes for one locale (``render(article, ..., locale=...)``, and the
same ``Formatter`` a renderer gets as ``context.formatter``): Austria's
"Jänner", Switzerland's 1'234, France's narrow no-break space. Then the first
meta line of the plain-text rendering of the handball article in each locale.
"""

from __future__ import annotations

from pathlib import Path

import newsarticle

ARTICLES = Path(__file__).resolve().parent / "articles"
LOCALES = ("de", "de_AT", "de_CH", "en", "fr")
SAMPLE = ARTICLES / "013_cd7d936df88ca19e.txt"  # dated 26 January 2025, in German
#: A number large enough to show each locale's grouping and decimal marks.
BIG_NUMBER = 1234567.5


def rows(article: newsarticle.Article) -> list[tuple[str, list[str]]]:
    """(label, one value per locale) for each line of the table."""
    formatters = [newsarticle.formatter_for(locale) for locale in LOCALES]
    published = article.published
    assert published is not None
    return [
        ("date, long", [f.date(published) for f in formatters]),
        ("date, medium", [f.date(published, date_format="medium") for f in formatters]),
        ("date, short", [f.date(published, date_format="short") for f in formatters]),
        ("number", [f.number(BIG_NUMBER) for f in formatters]),
        ("words (1234)", [f.words(1234) for f in formatters]),
        ("reading time (1 min)", [f.reading_time(1) for f in formatters]),
        ("reading time (5 min)", [f.reading_time(5) for f in formatters]),
        ("label 'Published'", [f.gettext("Published") for f in formatters]),
        ("quotation marks", [f"{f.quotes[0]}…{f.quotes[1]}" for f in formatters]),
        ("language tag", [f.language_tag for f in formatters]),
    ]


def table(lines: list[tuple[str, list[str]]]) -> str:
    """A table with one column per locale, separated by `` | ``."""
    header = ("", list(LOCALES))
    label_width = max(len(label) for label, _ in [header, *lines])
    widths = [max(len(values[i]) for _, values in [header, *lines]) for i in range(len(LOCALES))]
    return "\n".join(
        " | ".join(
            [label.ljust(label_width), *(value.ljust(width) for value, width in zip(values, widths, strict=True))]
        ).rstrip()
        for label, values in [header, *lines]
    )


def main() -> None:
    article = newsarticle.parse_file(SAMPLE, on_diagnostic=lambda _: None)
    print(table(rows(article)) + "\n")
    for locale in LOCALES:
        text = newsarticle.render(article, "text", locale=locale)
        assert isinstance(text, str)
        byline = next(line for line in text.splitlines() if " · " in line)
        print(f"[{locale:<5}] {byline}")


if __name__ == "__main__":
    main()
