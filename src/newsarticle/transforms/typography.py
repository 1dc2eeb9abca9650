"""The ``typography`` transform: straight quotes become the locale's quotation marks.

``"Wort"`` becomes „Wort“ in German, “Wort” in English and « Wort » in French;
``'`` between letters becomes the apostrophe ’, elsewhere an inner quotation
mark. The marks come from the translated catalogs (Babel ships no CLDR
delimiters), so a language gets its own by adding a ``.po`` file.
"""

from __future__ import annotations

import re

import attrs

from newsarticle import Article, RegisterTransform, RenderContext, Section, hookimpl

# A quote opens at the start of the text or after whitespace, an opening bracket or a dash.
_OPENS_AFTER = frozenset(" \t\u00a0\u202f([{/-\u2012\u2013\u2014\u2015")
_OPENING_SINGLE = re.compile(r"(?:^|(?<=[\s(\[{\u2012-\u2015/\"-]))'(?=\S)")


def smarten(text: str, marks: tuple[str, str, str, str]) -> str:
    """Replace the straight quotes of ``text`` with ``marks`` (open, close, inner open, inner close)."""
    if '"' not in text and "'" not in text:
        return text
    opening, closing, inner_opening, inner_closing = marks
    text = _double(text, opening, closing)
    text = _OPENING_SINGLE.sub(inner_opening, text)
    # What is left is an apostrophe (Peter's, geht's) or a closing inner quote.
    return re.sub(r"(?<=\w)'(?=\w)", "\u2019", text).replace("'", inner_closing)


def _double(text: str, opening: str, closing: str) -> str:
    pieces = text.split('"')
    out = [pieces[0]]
    is_open = False
    for index, after in enumerate(pieces[1:], 1):
        before = pieces[index - 1][-1:] if index == 1 or pieces[index - 1] else '"'
        if before and before not in _OPENS_AFTER and before != '"':
            mark = closing  # right after a word: closes ("Wort", 5" stays a closing mark)
        elif after[:1].isspace() or not after:
            # Space on both sides, as in ' " Wort " ': pair it with the quote before.
            mark = closing if is_open else opening
        else:
            mark = opening
        is_open = mark == opening
        out += (mark, after)
    return "".join(out)


class Typography:
    name = "typography"
    description = "Replace straight quotes with the locale's quotation marks („…“ in German, “…” in English)."

    def apply(self, article: Article, context: RenderContext) -> Article:
        marks = context.formatter.quotes

        def fix(text: str | None) -> str | None:
            return None if text is None else smarten(text, marks)

        return attrs.evolve(
            article,
            headline=smarten(article.headline, marks),
            category=fix(article.category),
            sections=tuple(
                Section(heading=fix(s.heading), paragraphs=tuple(smarten(p, marks) for p in s.paragraphs))
                for s in article.sections
            ),
        )


@hookimpl
def register_transforms(register: RegisterTransform) -> None:
    register(Typography())
