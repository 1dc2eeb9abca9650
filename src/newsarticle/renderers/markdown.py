"""The ``markdown`` format: CommonMark, escaped by context so that it stays readable.

A CommonMark parser reads back exactly the model's headline, subheadings and
paragraphs. Only what would otherwise turn into markup is escaped, and only
where it would: ``1.`` at the start of a paragraph (a list), ``*`` in
``*nicht*`` but not in ``Autor*innen`` alone, ``_`` in ``__init__`` but never
inside a word (``max_depth``), backticks only when two runs could pair into a
code span, ``]`` only right before ``(``, ``<`` only where a tag or an autolink
could start, ``&`` only before an entity, a backslash only before punctuation.
The GFM extensions that a one-line paragraph can still trigger (``~``
strikethrough, as Hugo's Goldmark reads it) are escaped too; tables need a
delimiter row, which this output never contains.

Every block is a single line with a blank line after it, so no line can become
a setext underline or a lazy continuation of the block before.

For static-site generators (``front_matter=True``) the text must also survive
what reads the file before any Markdown parser (Jekyll's Liquid, Hugo's
shortcode lexer) and what kramdown, Jekyll's parser, reads differently: every
``{`` is written ``&#123;`` (no ``{{``, ``{%``, ``{{<``, no attribute list), an
escaped ``&`` is ``&amp;`` and ``~~`` is ``&#126;&#126;`` (kramdown shows ``\\&``
as written), and ``|``, ``$$``, every ``*`` and ``_`` run but a single ``_``
inside a word, and ``#``, ``:``, ``*[`` at the start of a paragraph get a
backslash, which CommonMark and kramdown both read as an escape.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Sequence

from newsarticle import DATE_OPTIONS, Article, Option, RegisterRenderer, RenderContext, hookimpl
from newsarticle._dates import in_whole_minutes
from newsarticle._urls import BASE_URL_HELP, check_base_url, with_page_url

__all__ = ["MarkdownRenderer", "escape_block", "escape_heading", "front_matter"]

_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# An entity or numeric character reference, which the parser would decode (markdown-it's patterns, widened).
_ENTITY = re.compile(r"&(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{0,31});")
_BACKTICK_RUN = re.compile(r"`+")
_BACKTICK = re.compile("`")
_START = re.Match.start
_MARKER_RUNS = {marker: re.compile(re.escape(marker) + "+") for marker in "*_~"}
# Characters whose escaping depends only on what follows them: ``](`` could close a link, a ``\\``
# before punctuation would escape it, ``<`` not before a space could open a tag or an autolink.
_LINK_CLOSE = re.compile(r"\](?=\()")
_BACKSLASH_PUNCT = re.compile(rf"\\(?=[{re.escape(''.join(sorted(_ASCII_PUNCT)))}])")
_TAG_OPEN = re.compile("<(?=[^ ])")
# First characters that can open a block construct at the start of a paragraph.
_BLOCK_FIRST = frozenset("#>-+*_0123456789`~<[")
_ATX = re.compile(r"#{1,6}(?: |$)")
_BULLET = re.compile(r"[-+*](?: |$)")
_ORDERED = re.compile(r"[0-9]{1,9}([.)])(?: |$)")
_HTML_BLOCK = re.compile(r"<[A-Za-z/!?]")
# A closing sequence of an ATX heading: spaces and #s at the end, or only #s.
_CLOSING_HASHES = re.compile(r"(?:^| )(#+)$")
_SEPARATOR = " \u00b7 "
# Every ``{``: Liquid's ``{{``/``{%`` and Hugo's ``{{<``/``{{%`` open with one, and so do kramdown's
# extensions and attribute lists (``{::comment}``, ``{:.x}``) and Goldmark's heading attributes (``{#id}``).
_BRACE = re.compile(r"\{")
# kramdown makes a table row of any line holding a ``|``.
_PIPE = re.compile(r"\|")
# kramdown reads ``$$…$$`` as math; ``\$`` is an escape in kramdown and CommonMark alike.
_MATH = re.compile(r"\$(?=\$)|(?<=\$)\$")
# What an escaped character becomes in the SSG mode where a backslash would not do: kramdown
# reads ``\&`` as two characters, and the ``{`` of a template delimiter needs no backslash but a reference.
_SSG_REPLACEMENTS = {"&": "&amp;", "{": "&#123;", "~": "&#126;"}
_NOWHERE: frozenset[int] = frozenset()


def _is_whitespace(ch: str) -> bool:
    # CommonMark's Unicode whitespace (category Zs, tab, LF, FF, CR), plus VT as markdown-it has it.
    return ch in "\t\n\x0b\x0c\r " or unicodedata.category(ch) == "Zs"


def _punct_kinds(ch: str) -> tuple[bool, bool]:
    """Whether ``ch`` is punctuation by CommonMark 0.31 (P and S categories) and by 0.30 (P only)."""
    if ch in _ASCII_PUNCT:
        return True, True
    category = unicodedata.category(ch)
    return category[0] in "PS", category[0] == "P"


def _emphasis_escapes(text: str, marker: str, split_word: bool, as_punct: frozenset[int], escapes: set[int]) -> None:
    """Add the positions of ``marker`` runs that could pair into emphasis (or strikethrough).

    A run is kept when it cannot open, or when it can open but nothing after it
    can close, and likewise for closers: what is left can never pair, so it is
    literal text in every CommonMark parser.
    """
    n = len(text)
    runs: list[tuple[int, int, bool, bool]] = []
    for match in _MARKER_RUNS[marker].finditer(text):
        i, end = match.span()
        # Past either end of the text the parser sees whitespace.
        before = text[i - 1] if i else " "
        after = text[end] if end < n else " "
        can_open, can_close = _flanking(before, after, (i - 1) in as_punct, end in as_punct, split_word)
        if can_open or can_close:
            runs.append((i, end, can_open, can_close))
    if len(runs) < 2:
        return
    first_opener = next((k for k, run in enumerate(runs) if run[2]), len(runs))
    last_closer = max((k for k, run in enumerate(runs) if run[3]), default=-1)
    for k, (start, end, can_open, can_close) in enumerate(runs):
        if (can_open and k < last_closer) or (can_close and k > first_opener):
            escapes.update(range(start, end))


@functools.lru_cache(maxsize=4096)
def _flanking(before: str, after: str, before_ref: bool, after_ref: bool, split_word: bool) -> tuple[bool, bool]:
    """Whether a delimiter run between ``before`` and ``after`` can open, and whether it can close.

    Flanking is judged under both the 0.31 (symbols are punctuation) and the
    0.30 definitions, whichever allows more. Cached, because a long paragraph
    has many runs but few distinct neighbours; the Unicode lookups per run
    would otherwise cost more than the rest of the renderer.
    """
    # Whitespace kept as a character reference reads as punctuation (``;`` or ``&``) to the parser.
    before_space = not before_ref and _is_whitespace(before)
    after_space = not after_ref and _is_whitespace(after)
    can_open = can_close = False
    for variant in (0, 1):
        before_punct = before_ref or _punct_kinds(before)[variant]
        after_punct = after_ref or _punct_kinds(after)[variant]
        left = not after_space and not (after_punct and not (before_space or before_punct))
        right = not before_space and not (before_punct and not (after_space or after_punct))
        can_open |= left and (split_word or not right or before_punct)
        can_close |= right and (split_word or not left or after_punct)
    return can_open, can_close


def _may_hold_markup(text: str) -> bool:
    """Whether ``text`` holds a character that can take part in inline markup."""
    # Eight substring tests beat one regex character class several times over on long paragraphs.
    return (
        "\\" in text
        or "`" in text
        or "*" in text
        or "_" in text
        or "~" in text
        or "]" in text
        or "<" in text
        or "&" in text
    )


def _block_start(text: str) -> int | None:
    """Where to put a backslash so that a paragraph does not open a block construct (None: nowhere)."""
    first = text[0]
    if first not in _BLOCK_FIRST:
        return None
    if first == "`":
        return None  # a fence: the inline pass escapes every backtick
    if first == "~":
        return 0 if text.startswith("~~~") else None
    if first == "[":
        # A link reference definition would swallow the paragraph.
        return 0 if "]:" in text else None
    if first.isdigit():
        ordered = _ORDERED.match(text)
        return ordered.start(1) if ordered else None
    if first == ">" or _ATX.match(text) or _BULLET.match(text) or _is_thematic_break(text):
        return 0
    return 0 if _HTML_BLOCK.match(text) else None


def _is_thematic_break(text: str) -> bool:
    """Whether ``text`` is three or more of one of ``-*_``, spaces allowed between: a ``<hr>``."""
    # Two passes in C; a regular expression with a backreference kept state for every mark of a long run.
    first = text[0]
    return first in "-*_" and not text.strip(first + " ") and text.count(first) >= 3


def _inline_escapes(text: str, as_punct: frozenset[int], fence: bool, escapes: set[int]) -> None:
    """Add the positions of the characters that would otherwise start or end inline markup."""
    # Positions are collected with map() over the matches, without a Python loop: a paragraph
    # of markup characters has one escape every other character.
    lengths = list(map(len, _BACKTICK_RUN.findall(text)))
    # A code span needs two runs of equal length; escaping some runs would leave
    # single backticks that a remaining run could pair with, so it is all or none.
    if fence or len(set(lengths)) < len(lengths):
        escapes.update(map(_START, _BACKTICK.finditer(text)))
    for marker, split_word in (("*", True), ("_", False), ("~", True)):
        if marker in text:
            _emphasis_escapes(text, marker, split_word, as_punct, escapes)
    # Each of these depends only on what follows it, so one regular expression finds each kind, in C.
    escapes.update(map(_START, _LINK_CLOSE.finditer(text)))
    escapes.update(map(_START, _ENTITY.finditer(text)))
    escapes.update(map(_START, _BACKSLASH_PUNCT.finditer(text)))
    # A backslash before whitespace that is written as a character reference (whose ``&`` is punctuation).
    escapes.update(i - 1 for i in as_punct if i and text[i - 1] == "\\")
    # A ``<`` can open a tag or an autolink only with a ``>`` somewhere after it. Asking that of the
    # last ``>`` once, not searching ahead from each ``<``, keeps a run of unclosed ``<`` linear.
    last_gt = text.rfind(">")
    if last_gt > 0:
        escapes.update(map(_START, _TAG_OPEN.finditer(text, 0, last_gt)))


def _escape(text: str, *, block: bool, heading: bool, ssg: bool) -> str:
    n = len(text)
    escapes: set[int] = set()
    lead, trail, as_punct = 0, n, _NOWHERE
    if text[0].isspace() or text[-1].isspace() or text[0] == "\ufeff":
        # Leading and trailing whitespace (U+00A0, U+2028, ...) would be trimmed by the parser, and
        # cmark drops a byte order mark that starts a document: they are written as character references.
        while lead < n and (text[lead].isspace() or text[lead] == "\ufeff"):
            lead += 1
        while trail > lead and text[trail - 1].isspace():
            trail -= 1
        as_punct = frozenset(range(lead)) | frozenset(range(trail, n))

    fence = False
    if block and lead == 0 and text[0] in _BLOCK_FIRST:
        fence = text.startswith("```")
        position = _block_start(text)
        if position is not None:
            escapes.add(position)
    if heading and trail == n:
        closing = _CLOSING_HASHES.search(text)
        if closing:
            escapes.add(closing.start(1))
    if fence or _may_hold_markup(text):
        _inline_escapes(text, as_punct, fence, escapes)

    if ssg:
        escapes.update(map(_START, _BRACE.finditer(text)))
        escapes.update(map(_START, _PIPE.finditer(text)))
        _kramdown_emphasis_escapes(text, escapes)
        if block and (text.startswith("*[") or text[0] in ":#"):
            # A kramdown abbreviation definition would swallow the paragraph, a definition (kramdown,
            # Goldmark's extension) would turn the paragraph before into its term, and kramdown's own
            # input reads ``#BookTok`` as a heading.
            escapes.add(0)
        escapes.update(map(_START, _MATH.finditer(text)))

    if not escapes and not as_punct:
        return text
    positions = sorted(escapes)
    if ssg:
        body = _replace_at(text, positions, lead, trail)
    else:
        # The pieces between escapes, cut and joined in C (see _inline_escapes).
        body = "\\".join(map(text.__getitem__, map(slice, [lead, *positions], [*positions, trail])))
    return _references(text[:lead]) + body + _references(text[trail:])


def _kramdown_emphasis_escapes(text: str, escapes: set[int]) -> None:
    """Add every ``*``, every ``_`` but a single one between letters or digits, and every ``~~``.

    kramdown pairs runs that CommonMark's flanking rules keep apart (``a ___ b ___``,
    ``a___b___c``), and even splits one long run into emphasis (``x ****``), so no
    run is safe from it; only a single underscore inside a word (``max_depth``) is.
    """
    # kramdown's GFM input (Jekyll's default) makes strikethrough of any two ``~~`` runs.
    for match in _MARKER_RUNS["~"].finditer(text):
        if match.end() - match.start() > 1:
            escapes.update(range(*match.span()))
    for marker in "*_":
        for match in _MARKER_RUNS[marker].finditer(text):
            start, end = match.span()
            if not (marker == "_" and end - start == 1 and _between_word_characters(text, start)):
                escapes.update(range(start, end))


def _between_word_characters(text: str, position: int) -> bool:
    return 0 < position < len(text) - 1 and text[position - 1].isalnum() and text[position + 1].isalnum()


def _replace_at(text: str, positions: list[int], lead: int, trail: int) -> str:
    """``text[lead:trail]`` with a backslash before each position, or the character there replaced by a reference."""
    pieces = []
    start = lead
    for position in positions:
        replacement = _SSG_REPLACEMENTS.get(text[position])
        if replacement is None:
            pieces.append(text[start:position] + "\\")
            start = position
        else:
            pieces.append(text[start:position] + replacement)
            start = position + 1
    pieces.append(text[start:trail])
    return "".join(pieces)


def _references(text: str) -> str:
    return "".join(f"&#{ord(ch)};" for ch in text)


def escape_block(text: str, *, ssg: bool = False) -> str:
    """Escape one line of text to be a CommonMark paragraph of its own that reads back as ``text``.

    With ``ssg`` the text also reads back as ``text`` in kramdown, and holds no
    Liquid tag or Hugo shortcode delimiter (see the module's docstring).
    """
    return _escape(text, block=True, heading=False, ssg=ssg)


def escape_heading(text: str, *, ssg: bool = False) -> str:
    """Escape one line of text to be the content of an ATX heading (``## …``) that reads back as ``text``."""
    return _escape(text, block=False, heading=True, ssg=ssg)


# YAML double-quoted scalars: escape the quote, the backslash, and every character a
# YAML reader would not take literally (controls, C1, YAML 1.1 line breaks, BOM).
_YAML_ESCAPES: dict[int, str] = {ord("\\"): "\\\\", ord('"'): '\\"'}
for _code in [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF]:
    _YAML_ESCAPES[_code] = f"\\u{_code:04X}"
del _code


def _yaml_string(value: str) -> str:
    return '"' + value.translate(_YAML_ESCAPES) + '"'


def _yaml_date(value: dt.date) -> str:
    # YAML timestamps have no seconds in their offset.
    return in_whole_minutes(value).isoformat()


def _yaml_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(map(_yaml_string, values)) + "]"


def front_matter(article: Article) -> str:
    """YAML front matter for Hugo and Jekyll, between ``---`` lines: each field in the keys both read.

    Strings are double-quoted YAML scalars, so no headline reads as a number,
    a boolean, a comment or a list; dates are plain YAML dates or timestamps.
    ``render_with_liquid: false`` keeps Jekyll's Liquid off the body.
    """
    lines = ["---", f"title: {_yaml_string(article.headline)}"]
    if article.published is not None:
        lines.append(f"date: {_yaml_date(article.published)}")
    if article.modified is not None:
        # Hugo reads lastmod; Jekyll's seo-tag and sitemap plugins read last_modified_at.
        modified = _yaml_date(article.modified)
        lines += [f"lastmod: {modified}", f"last_modified_at: {modified}"]
    if article.category is not None:
        lines.append(f"categories: [{_yaml_string(article.category)}]")
    if article.tags:
        lines.append(f"tags: {_yaml_list(article.tags)}")
    if article.description is not None:
        # Hugo's summary replaces the text's first words in lists and feeds, and Hugo reads it as Markdown.
        summary = escape_block(article.description, ssg=True)
        lines += [f"description: {_yaml_string(article.description)}", f"summary: {_yaml_string(summary)}"]
    if article.authors:
        # Jekyll's feed and seo-tag print author as a byline; Hugo themes read the authors list.
        lines += [f"author: {_yaml_string(', '.join(article.authors))}", f"authors: {_yaml_list(article.authors)}"]
    if article.image is not None:
        lines += [f"image: {_yaml_string(article.image)}", f"images: [{_yaml_string(article.image)}]"]
    if article.url is not None:
        # Not url: Hugo takes it as the page's own path and stops the build for an absolute URL.
        lines.append(f"canonical_url: {_yaml_string(article.url)}")
    lines.append(f"lang: {_yaml_string(article.language)}")
    lines.append("render_with_liquid: false")
    lines.append("---")
    return "\n".join(lines) + "\n"


class MarkdownRenderer:
    name = "markdown"
    media_type = "text/markdown"
    suffix = ".md"
    description = "CommonMark, escaped only where needed; optional YAML front matter for Hugo and Jekyll."
    options: Sequence[Option] = (
        Option(
            name="front_matter",
            type=bool,
            default=False,
            help="start with YAML front matter for Hugo and Jekyll; the body, safe from Liquid and shortcodes, follows",
        ),
        Option(
            name="heading",
            type=bool,
            default=False,
            help="with front_matter, keep the # headline and the category/date line in the body too",
        ),
        Option(name="base_url", type=str, default=None, help=BASE_URL_HELP, validator=check_base_url),
        *DATE_OPTIONS,
    )

    def render(self, article: Article, context: RenderContext) -> str:
        article = with_page_url(article, context.options.get("base_url"), article.source, self.suffix)
        ssg = bool(context.options.get("front_matter"))
        blocks = []
        if not ssg or context.options.get("heading"):
            blocks.append(f"# {escape_heading(article.headline, ssg=ssg)}")
            meta = [article.category] if article.category is not None else []
            if article.published is not None:
                label = context.formatter.gettext("Published")
                meta.append(f"{label} {context.date(article)}")
            if meta:
                blocks.append(escape_block(_SEPARATOR.join(meta), ssg=ssg))
        for section in article.sections:
            if section.heading is not None:
                blocks.append(f"## {escape_heading(section.heading, ssg=ssg)}")
            blocks.extend(escape_block(paragraph, ssg=ssg) for paragraph in section.paragraphs)
        body = "\n\n".join(blocks) + "\n"
        if ssg:
            return front_matter(article) + "\n" + body
        return body


@hookimpl
def register_renderers(register: RegisterRenderer) -> None:
    register(MarkdownRenderer())
