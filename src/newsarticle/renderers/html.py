"""The ``html`` format: an ``<article>`` fragment, or with ``standalone=True`` a whole HTML5 document.

The fragment is what a site template embeds::

    <article lang="de">
    <header>
    <p class="category">Politik</p>
    <h1>Stadtrat beschließt Haushalt</h1>
    <p class="byline">Von Anna Muster und Jörg Beispiel</p>
    <p class="meta">Veröffentlicht am <time datetime="2025-01-23">23. Januar 2025</time></p>
    </header>
    <p>The lead, before the first subheading, needs no section.</p>
    <section>
    <h2>A subheading</h2>
    <p>...</p>
    </section>
    </article>

The standalone document wraps it with a charset, viewport, title, meta
description, canonical link, Open Graph properties, a small stylesheet and
schema.org ``NewsArticle`` JSON-LD, and passes the Nu Html Checker without a
message.

Every piece of text goes through :func:`html.escape` exactly once, and the
JSON-LD escapes ``<``, ``>``, ``&``, U+2028 and U+2029 as ``\\u`` sequences, so
no text can open an element, an attribute, a comment or a script. The output is
built as one list of strings and joined once: rendering should cost less than
parsing.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import unicodedata
from html import escape
from typing import Any

from newsarticle import DATE_OPTIONS, Article, Option, RegisterRenderer, RenderContext, hookimpl
from newsarticle._dates import in_whole_minutes
from newsarticle._language import UNDETERMINED
from newsarticle._urls import BASE_URL_HELP, check_base_url, with_page_url

__all__ = [
    "DESCRIPTION_LIMIT",
    "STYLESHEET",
    "HtmlRenderer",
    "datetime_attribute",
    "describe",
    "description",
    "json_ld",
    "open_graph",
]

#: Longest meta description, in characters; search engines show about this much.
DESCRIPTION_LIMIT = 160

#: The standalone document's stylesheet: one readable column, German-friendly hyphenation.
STYLESHEET = (
    "body{margin:0;padding:2rem 1.25rem 3rem;color:#1d1d1b;background:#fcfcfa;"
    'font:1.125rem/1.6 Charter,"Bitstream Charter","Sitka Text",Cambria,Georgia,serif}'
    "article{max-width:38rem;margin:0 auto;hyphens:auto;overflow-wrap:break-word}"
    'h1,h2,.category,.meta{font-family:system-ui,"Segoe UI",Roboto,"Noto Sans",Helvetica,Arial,sans-serif}'
    "h1{font-size:2rem;line-height:1.2;margin:.3rem 0 .8rem}"
    "h2{font-size:1.3rem;line-height:1.3;margin:2.2rem 0 .6rem}"
    "p{margin:0 0 1rem}"
    "header{margin-bottom:2rem}"
    ".category{margin:0;color:#a3241b;font-size:.85rem;font-weight:600;letter-spacing:.06em;text-transform:uppercase}"
    ".meta{margin:0;color:#595959;font-size:.9rem}"
    "@media (max-width:30rem){body{font-size:1.0625rem}h1{font-size:1.6rem}}"
)


def _text(text: str) -> str:
    """``text`` escaped for element content, where quotes need no escaping (and read better as they are).

    Most text holds nothing to escape, and ``in`` finds that out several times
    faster than ``str.replace``, which counts a character one at a time first.
    """
    if "&" in text or "<" in text or ">" in text:
        return escape(text, quote=False)
    return text


def _paragraphs(paragraphs: tuple[str, ...]) -> str:
    """The paragraphs as ``<p>`` elements; no paragraph holds a line break, so one line shows what to escape."""
    lines = "\n".join(paragraphs)
    if "&" in lines or "<" in lines or ">" in lines:
        return "<p>" + "</p>\n<p>".join(map(_text, paragraphs)) + "</p>\n"
    return "<p>" + "</p>\n<p>".join(paragraphs) + "</p>\n"


_JSON_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))
_META_SEPARATOR = " · "

_HEAD_START = '<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>'
_HEAD_END = f"<style>{STYLESHEET}</style>\n"


def datetime_attribute(value: dt.date) -> str:
    """``value`` as a valid HTML ``datetime`` attribute: ISO 8601, a date stays a date.

    A date-time keeps its own offset; HTML allows at most milliseconds and
    offsets in whole minutes, so finer fractions are cut and an offset with
    seconds is converted to UTC (the same instant). Should that instant fall
    outside years 1-9999, only the date is written: true, if less precise.
    """
    value = in_whole_minutes(value)
    if not isinstance(value, dt.datetime):
        return value.isoformat()
    return value.isoformat(timespec="milliseconds" if value.microsecond >= 1000 else "seconds")


def describe(paragraph: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """A meta description: the paragraph, or its first ``limit`` characters cut at a word and ended with "…"."""
    if len(paragraph) <= limit:
        return paragraph
    cut = paragraph.rfind(" ", 0, limit)
    if cut < limit // 2:
        # One very long word (a URL, a compound): cut inside it, but not inside a combined character.
        cut = limit - 1
        while cut > 1 and (unicodedata.combining(paragraph[cut]) or "\u200d" in paragraph[cut - 1 : cut + 1]):
            cut -= 1
    head = paragraph[:cut]
    return (head.rstrip(" ,;:-–—") or head) + "…"


def description(article: Article) -> str | None:
    """The page's description: the article's teaser as written, else its first paragraph cut by :func:`describe`."""
    if article.description is not None:
        return article.description
    first = next((s.paragraphs[0] for s in article.sections), None)
    return None if first is None else describe(first)


_UNSET: Any = object()


def json_ld(article: Article, publisher: str | None = None, teaser: str | None = _UNSET) -> str:
    """The schema.org ``NewsArticle`` JSON-LD, safe to put inside a ``<script>`` element.

    It carries what Google's Article guidelines read (author, image,
    dateModified) and the body; ``publisher`` names the publishing Organization.
    ``teaser`` is the :func:`description`, when the caller has it already.
    """
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
    }
    if article.url is not None:
        data["url"] = article.url
        data["mainEntityOfPage"] = {"@type": "WebPage", "@id": article.url}
    if article.published is not None:
        data["datePublished"] = article.published.isoformat()
    if article.modified is not None:
        data["dateModified"] = article.modified.isoformat()
    if article.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in article.authors]
    if publisher is not None:
        data["publisher"] = {"@type": "Organization", "name": publisher}
    if article.image is not None:
        data["image"] = article.image
    if teaser is _UNSET:
        teaser = description(article)
    if teaser is not None:
        data["description"] = teaser
    if article.category is not None:
        data["articleSection"] = article.category
    if article.tags:
        data["keywords"] = list(article.tags)
    if _primary(article.language) != UNDETERMINED:  # schema.org wants a known language or none
        data["inLanguage"] = article.language
    data["wordCount"] = article.word_count
    if article.sections:
        data["articleBody"] = article.body
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for character, replacement in _JSON_ESCAPES:
        if character in text:
            text = text.replace(character, replacement)
    return text


class HtmlRenderer:
    name = "html"
    media_type = "text/html"
    suffix = ".html"
    description = "HTML5: an <article> fragment, or a standalone document with schema.org JSON-LD."
    options: tuple[Option, ...] = (
        Option(
            name="standalone",
            type=bool,
            default=False,
            help="a whole HTML5 document (title, description, stylesheet, JSON-LD) instead of an <article> fragment",
        ),
        Option(
            name="reading_time",
            type=bool,
            default=False,
            help="show the word count and reading time after the date",
        ),
        Option(name="base_url", type=str, default=None, help=BASE_URL_HELP, validator=check_base_url),
        Option(
            name="publisher",
            type=str,
            default=None,
            help="the publishing organization's name, for the standalone document's JSON-LD",
        ),
        *DATE_OPTIONS,
    )

    def render(self, article: Article, context: RenderContext) -> str:
        article = with_page_url(article, context.options.get("base_url"), article.source, self.suffix)
        language = escape(article.language)
        lang = f' lang="{language}"'
        if _is_rtl(article.language):
            lang += ' dir="rtl"'
        elif _primary(article.language) == UNDETERMINED:
            lang += ' dir="auto"'  # the language is not known, nor then its direction: the browser finds it
        headline = _text(article.headline)
        parts: list[str] = []
        standalone = context.options.get("standalone", False)
        if standalone:
            parts += ("<!DOCTYPE html>\n<html", lang, ">\n<head>\n", _HEAD_START, headline, "</title>\n")
            teaser = description(article)
            if teaser is not None:
                parts += ('<meta name="description" content="', escape(teaser), '">\n')
            if article.url is not None:
                parts += ('<link rel="canonical" href="', escape(article.url), '">\n')
            parts += open_graph(article, teaser)
            publisher = context.options.get("publisher")
            script = json_ld(article, publisher, teaser)
            parts += (_HEAD_END, '<script type="application/ld+json">', script, "</script>\n")
            parts.append("</head>\n<body>\n<main>\n")

        parts += ("<article", lang, ">\n<header>\n")
        if article.category is not None:
            parts += ('<p class="category">', _text(article.category), "</p>\n")
        parts += ("<h1>", headline, "</h1>\n")
        if article.authors:
            lang, start, end = _label_language(article, context)
            byline = _text(context.formatter.byline(article.authors))
            parts += ('<p class="byline"', lang, ">", start, byline, end, "</p>\n")
        self._meta(article, context, parts)
        parts.append("</header>\n")

        for section in article.sections:
            if section.heading is not None:
                parts += ("<section>\n<h2>", _text(section.heading), "</h2>\n")
            parts.append(_paragraphs(section.paragraphs))
            if section.heading is not None:
                parts.append("</section>\n")
        parts.append("</article>\n")

        if standalone:
            parts.append("</main>\n</body>\n</html>\n")
        return "".join(parts)

    @staticmethod
    def _meta(article: Article, context: RenderContext, parts: list[str]) -> None:
        """The line under the headline: "Published <date>", then optionally words and reading time."""
        show_reading_time = context.options.get("reading_time", False)
        if article.published is None and not (show_reading_time and article.sections):
            return
        formatter = context.formatter
        lang, start, end = _label_language(article, context)
        pieces: list[str] = []
        if article.published is not None:
            label = formatter.gettext("Published")
            pieces.append(
                f'{start}{_text(label)}{end} <time datetime="{datetime_attribute(article.published)}">'
                f"{_text(context.date(article) or '')}</time>"
            )
        if show_reading_time and article.sections:
            pieces.append(start + _text(formatter.words(article.word_count)) + end)
            pieces.append(start + _text(formatter.reading_time(article.reading_time)) + end)
        parts += ('<p class="meta"', lang, ">", _META_SEPARATOR.join(pieces), "</p>\n")


def open_graph(article: Article, teaser: str | None) -> list[str]:
    """The Open Graph ``<meta property>`` elements (og:, article:) for the standalone document's head."""
    properties: list[tuple[str, str]] = [("og:type", "article"), ("og:title", article.headline)]
    if article.url is not None:
        properties.append(("og:url", article.url))
    if article.image is not None:
        properties.append(("og:image", article.image))
    if teaser is not None:
        properties.append(("og:description", teaser))
    if article.published is not None:
        properties.append(("article:published_time", article.published.isoformat()))
    if article.modified is not None:
        properties.append(("article:modified_time", article.modified.isoformat()))
    if article.category is not None:
        properties.append(("article:section", article.category))
    properties += [("article:author", name) for name in article.authors]
    properties += [("article:tag", tag) for tag in article.tags]
    return [f'<meta property="{name}" content="{escape(value)}">\n' for name, value in properties]


def _label_language(article: Article, context: RenderContext) -> tuple[str, str, str]:
    """The ``lang``/``dir`` attributes for a line of labels, and the span that marks English labels.

    Labels and dates are in the render locale, which need not be the article's
    language. Where newsarticle has no catalog for the locale (Polish), the
    labels are English among Polish dates: marked, so that a screen reader does
    not read them as Polish.
    """
    tag = context.language_tag
    lang = ""
    if tag.lower() != article.language.lower():
        lang = f' lang="{escape(tag)}"'
        if _is_rtl(tag) != _is_rtl(article.language):
            lang += ' dir="rtl"' if _is_rtl(tag) else ' dir="ltr"'
    labels = context.formatter.labels_language
    marked = _primary(labels) != _primary(tag)
    start, end = (f'<span lang="{escape(labels)}">', "</span>") if marked else ("", "")
    return lang, start, end


def _primary(tag: str) -> str:
    return tag.partition("-")[0].lower()


@functools.lru_cache(maxsize=256)
def _is_rtl(language: str) -> bool:
    """Whether ``language`` is written right to left (then the element gets ``dir="rtl"``), from Babel's data."""
    from newsarticle._i18n import is_right_to_left  # Babel loads on the first render, as for any date

    return is_right_to_left(language)


@hookimpl
def register_renderers(register: RegisterRenderer) -> None:
    register(HtmlRenderer())
