"""A standalone html page as a real browser builds it: headless Chromium's DOM after scripts have run."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path
from xml.etree.ElementTree import Element

import html5lib
import pytest

import newsarticle
from browser import QUIET_FLAGS, chromium
from newsarticle import Article, Section

pytestmark = pytest.mark.slow  # headless Chromium, a process per page

# Every way text could try to run a script, if it were not escaped.
ATTACKS = (
    "<script>document.title='pwned'</script>",
    "<img src=x onerror=\"document.title='pwned'\">",
    "</script><script>document.title='pwned'</script>",
    "<!-- <svg onload=\"document.title='pwned'\"> -->",
    "\u2028\u2029 & &amp; \"quoted\" 'single'",
)

HOSTILE = Article(
    headline="</title><script>document.title='pwned'</script> Stadtrat & Co.",
    language="de",
    category="<b>Politik</b>",
    published=dt.date(2025, 1, 23),
    sections=[
        Section(paragraphs=[f"Absatz {number}: {attack}" for number, attack in enumerate(ATTACKS)]),
        Section(heading="</h2><script>document.title='pwned'</script>", paragraphs=["Der letzte Absatz."]),
    ],
)


def browse(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            chromium(),
            *QUIET_FLAGS,
            f"--user-data-dir={profile}",
            # Let load and error events (an <img onerror>) fire before the DOM is dumped.
            "--virtual-time-budget=3000",
            *extra,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def dump_dom(page: Path, profile: Path) -> Element:
    """The DOM the browser built, serialized by the browser and read back with html5lib."""
    dom = browse(page, profile, "--dump-dom").stdout
    assert dom.strip(), "chromium printed no DOM"
    root: Element = html5lib.parse(dom, namespaceHTMLElements=False)
    return root


def text_of(element: Element) -> str:
    return "".join(element.itertext())


@pytest.fixture(scope="module")
def browsed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Element, Element]:
    """The hostile page as the browser built it, and a control page whose own script must run."""
    directory = tmp_path_factory.mktemp("browser")
    document = str(newsarticle.render(HOSTILE, "html", standalone=True))
    page = directory / "article.html"
    page.write_text(document, encoding="utf-8")
    # The control proves the browser runs scripts, so the hostile page's untouched title means something.
    control = directory / "control.html"
    control.write_text(
        document.replace("</body>", "<script>document.title='ran'</script>\n</body>"),
        encoding="utf-8",
    )
    return dump_dom(page, directory / "profile"), dump_dom(control, directory / "profile")


def test_the_browser_runs_scripts_at_all(browsed: tuple[Element, Element]) -> None:
    _, control = browsed
    title = control.find("head/title")
    assert title is not None
    assert text_of(title) == "ran"


def test_the_browser_sees_the_article(browsed: tuple[Element, Element]) -> None:
    root, _ = browsed
    assert root.attrib["lang"] == "de"
    title = root.find("head/title")
    assert title is not None
    assert text_of(title) == HOSTILE.headline
    (article,) = root.iter("article")
    assert article.attrib["lang"] == "de"
    assert [text_of(h1) for h1 in root.iter("h1")] == [HOSTILE.headline]
    assert [text_of(h2) for h2 in root.iter("h2")] == list(HOSTILE.headings)
    paragraphs = [text_of(p) for p in article.iter("p") if "class" not in p.attrib]
    assert paragraphs == list(HOSTILE.paragraphs)
    category = article.find(".//p[@class='category']")
    assert category is not None
    assert text_of(category) == HOSTILE.category
    assert [e.tag for e in article.iter() if e.tag in {"b", "img", "svg", "script"}] == []


def test_no_script_but_the_json_ld(browsed: tuple[Element, Element]) -> None:
    root, _ = browsed
    scripts = list(root.iter("script"))
    assert [s.attrib for s in scripts] == [{"type": "application/ld+json"}]
    data = json.loads(scripts[0].text or "")
    assert data["headline"] == HOSTILE.headline
    assert data["articleSection"] == HOSTILE.category
    title = root.find("head/title")
    assert title is not None
    assert text_of(title) == HOSTILE.headline  # document.title='pwned' never ran
    for element in root.iter():
        assert not any(name.startswith("on") for name in element.attrib), element.attrib
