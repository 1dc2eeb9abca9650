"""The built documentation site in a real browser: served over HTTP, read in headless Chromium.

The site is built as ``.ci/run`` builds it (``mkdocs build --strict``), served by
``python -m http.server`` and opened over the DevTools protocol: every page of the
navigation shows its heading, the search box finds pages, a link of the navigation
leads to its page, and no page logs an error to the console.
"""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
import time
import urllib.request
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from browser import DevToolsPage, devtools_page
from docs_hook import load_docs_script
from processes import finish

pytestmark = pytest.mark.slow  # mkdocs, an HTTP server and Chromium

ROOT = Path(__file__).resolve().parent.parent


def nav_pages(nav: list[object]) -> list[tuple[str, str]]:
    """(title, Markdown file) of every page of mkdocs.yml's nav; a page without a title is named by its file."""
    pages: list[tuple[str, str]] = []
    for entry in nav:
        if isinstance(entry, str):
            pages.append(("", entry))
        elif isinstance(entry, dict):
            for title, value in entry.items():
                if isinstance(value, list):
                    pages += nav_pages(value)
                else:
                    pages.append((title, value))
    return pages


NAV = nav_pages(yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"])


def url_path(page: str) -> str:
    """Where MkDocs puts a page (directory URLs): ``renderers/html.md`` is ``renderers/html/``."""
    stem = page.removesuffix(".md")
    return "" if stem == "index" else stem.removesuffix("/index") + "/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The strictly built site, served on a free port of 127.0.0.1; its base URL."""
    folder = tmp_path_factory.mktemp("site")
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(folder)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    server = subprocess.Popen(
        [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()  # "Serving HTTP on 127.0.0.1 port 40123 (http://127.0.0.1:40123/) ..."
        match = re.search(r"port (\d+)", line)
        assert match, f"http.server said {line!r}"
        base = f"http://127.0.0.1:{match.group(1)}/"
        deadline = time.monotonic() + 10
        while True:
            try:
                urllib.request.urlopen(base, timeout=2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "http.server answers no request in 10 s"
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        finish(server, timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevToolsPage]:
    with devtools_page(tmp_path_factory.mktemp("chromium")) as page:
        yield page


@pytest.mark.parametrize(("title", "page"), NAV, ids=[page for _, page in NAV])
def test_every_page_shows_its_heading_and_logs_no_error(
    site: str, browser: DevToolsPage, title: str, page: str
) -> None:
    browser.errors.clear()
    browser.navigate(site + url_path(page))
    heading = browser.wait_for("document.querySelector('article h1')?.textContent.replace('¶', '').trim()")
    source_title = re.search(r"^# (.+)$", (ROOT / "docs" / page).read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert source_title is not None
    assert heading == source_title.group(1).replace("`", "")
    assert browser.evaluate("document.querySelectorAll('article h2, article p').length") > 0
    if title and page != "index.md":  # the home page's title is the site's name
        assert browser.evaluate("document.title").startswith(f"{title} - newsarticle")
    assert browser.errors == []


def test_the_search_box_finds_pages(site: str, browser: DevToolsPage) -> None:
    browser.errors.clear()
    browser.navigate(site)
    browser.evaluate("document.querySelector('input.md-search__input').focus()")
    browser.type_text("hookimpl")
    results = browser.wait_for(
        "[...document.querySelectorAll('.md-search-result__item a')].map(a => a.getAttribute('href'))", timeout=20
    )
    assert any("plugins/" in href for href in results), results
    assert browser.errors == []


def test_the_navigation_leads_to_its_pages(site: str, browser: DevToolsPage) -> None:
    browser.errors.clear()
    browser.navigate(site)
    links = browser.evaluate(
        "[...document.querySelectorAll('nav.md-nav--primary a.md-nav__link[href]')]"
        ".map(a => [a.textContent.trim(), a.href])"
    )
    by_title = dict(links)
    for title, page in NAV:
        if title:
            assert by_title.get(title) == site + url_path(page), (title, by_title)
    # Follow one as a reader does, by a click.
    browser.evaluate(
        "[...document.querySelectorAll('nav.md-nav--primary a.md-nav__link')]"
        ".find(a => a.textContent.trim() === 'Writing plugins').click()"
    )
    browser.wait_for(f"location.href === {site + 'plugins/'!r} && document.readyState === 'complete'")
    assert browser.wait_for("document.querySelector('article h1')?.textContent.replace('¶', '').trim()") == (
        "Writing plugins"
    )
    assert browser.errors == []


def test_the_renderers_page_shows_the_screenshot(site: str, browser: DevToolsPage) -> None:
    browser.navigate(site + "renderers/")
    size = browser.wait_for(
        "(() => { const i = document.querySelector('article img[src$=\"article.png\"]');"
        " return i && i.complete && i.naturalWidth ? [i.naturalWidth, i.naturalHeight] : null })()"
    )
    assert size == [1000, 800]


def read_png(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and the decompressed scanlines of an 8-bit RGB PNG, every chunk's CRC checked."""
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    position, chunks = 8, []
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind, body = data[position + 4 : position + 8], data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length : position + 12 + length])
        assert zlib.crc32(kind + body) == crc, kind
        chunks.append((kind, body))
        position += 12 + length
    assert chunks[0][0] == b"IHDR"
    assert chunks[-1][0] == b"IEND"
    width, height, depth, colour = struct.unpack(">IIBB", chunks[0][1][:10])
    assert (depth, colour) == (8, 2), "8-bit RGB"
    return width, height, zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))


def test_the_screenshot_script_takes_the_page(tmp_path: Path) -> None:
    screenshot = load_docs_script("screenshot")
    out = screenshot.take(tmp_path / "article.png")
    width, height, scanlines = read_png(out.read_bytes())
    assert (width, height) == screenshot.SIZE
    assert len(scanlines) == height * (1 + 3 * width)  # a filter byte, then RGB, per row
    assert len(set(scanlines)) > 16, "a blank picture"
    # The committed picture is one the script took: the same kind of image, of the same size.
    committed = read_png((ROOT / "docs" / "img" / "article.png").read_bytes())
    assert committed[:2] == screenshot.SIZE


@pytest.mark.parametrize("locale", ["de", "de_AT", "en"])
def test_a_standalone_article_page_shows_its_article_and_logs_no_error(
    browser: DevToolsPage, tmp_path: Path, locale: str
) -> None:
    from babel.dates import format_date

    import newsarticle

    article = newsarticle.parse_file(ROOT / "examples" / "articles" / "edge_wrapped_paragraphs.txt")
    assert article.published is not None
    page = tmp_path / "article.html"
    page.write_text(str(newsarticle.render(article, "html", standalone=True, locale=locale)), encoding="utf-8")
    browser.errors.clear()
    browser.navigate(page.as_uri())
    assert browser.evaluate("document.querySelector('article h1').textContent") == article.headline
    shown = browser.evaluate("[...document.querySelectorAll('article time')].map(t => t.textContent)")
    assert format_date(article.published, "long", locale=locale) in shown  # "27. August 2024", "August 27, 2024"
    paragraphs = browser.evaluate("[...document.querySelectorAll('article p:not([class])')].map(p => p.innerText)")
    assert paragraphs == list(article.paragraphs)
    assert browser.errors == []
